import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENRICH_TRIAL_CONFIG } from '../templates/enrich.ts';
import { evaluateEligibility } from './eligibility.ts';
import type { ScreeningCriteria, TrialConfig } from './types.ts';

const ELIGIBLE: ScreeningCriteria = {
  ageYears: 34,
  admissionsPrior2y: 1,
  organicMentalDisorder: false,
  primaryDiagnosis: 'psychosis',
};
const CONSENT = { consentDate: '2024-03-01' };

const reasonsOf = (criteria: ScreeningCriteria, consent: { consentDate: string } | null = CONSENT) =>
  evaluateEligibility(ENRICH_TRIAL_CONFIG, { criteria }, consent ?? undefined).reasons.map(
    (reason) => `${reason.ruleId}:${reason.status}`,
  );

describe('evaluateEligibility (ENRICH rules)', () => {
  it('accepts an adult with a recent admission, no organic disorder, an included diagnosis and consent', () => {
    assert.deepEqual(evaluateEligibility(ENRICH_TRIAL_CONFIG, { criteria: ELIGIBLE }, CONSENT), {
      eligible: true,
      reasons: [],
    });
    assert.deepEqual(reasonsOf({ ...ELIGIBLE, ageYears: 18 }), [], 'age 18 exactly is eligible');
    for (const diagnosis of ['bipolar_disorder', 'depression', 'personality_disorder', 'other'] as const) {
      assert.deepEqual(reasonsOf({ ...ELIGIBLE, primaryDiagnosis: diagnosis }), [], diagnosis);
    }
  });

  const cases: [string, ScreeningCriteria, string[]][] = [
    ['aged 17', { ...ELIGIBLE, ageYears: 17.9 }, ['age_18_or_over:not_met']],
    [
      'no admission in 2 years',
      { ...ELIGIBLE, admissionsPrior2y: 0 },
      ['admission_in_previous_2_years:not_met'],
    ],
    [
      'organic mental disorder',
      { ...ELIGIBLE, organicMentalDisorder: true },
      ['no_organic_mental_disorder:not_met'],
    ],
    [
      'learning disability',
      { ...ELIGIBLE, primaryDiagnosis: 'learning_disability' },
      ['primary_diagnosis_not_excluded:not_met'],
    ],
    [
      'eating disorder',
      { ...ELIGIBLE, primaryDiagnosis: 'eating_disorder' },
      ['primary_diagnosis_not_excluded:not_met'],
    ],
    [
      'drug/alcohol dependency',
      { ...ELIGIBLE, primaryDiagnosis: 'substance_dependency' },
      ['primary_diagnosis_not_excluded:not_met'],
    ],
    [
      'nothing recorded',
      {},
      [
        'age_18_or_over:unknown',
        'admission_in_previous_2_years:unknown',
        'no_organic_mental_disorder:unknown',
        'primary_diagnosis_not_excluded:unknown',
      ],
    ],
    [
      'wrong types count as not recorded',
      { ...ELIGIBLE, ageYears: '40', organicMentalDisorder: 'no' } as unknown as ScreeningCriteria,
      ['age_18_or_over:unknown', 'no_organic_mental_disorder:unknown'],
    ],
    [
      'several failures at once',
      {
        ageYears: 16,
        admissionsPrior2y: 0,
        organicMentalDisorder: true,
        primaryDiagnosis: 'eating_disorder',
      },
      [
        'age_18_or_over:not_met',
        'admission_in_previous_2_years:not_met',
        'no_organic_mental_disorder:not_met',
        'primary_diagnosis_not_excluded:not_met',
      ],
    ],
  ];
  for (const [name, criteria, expected] of cases) {
    it(`reports ${name}`, () => {
      assert.deepEqual(reasonsOf(criteria), expected);
      assert.equal(evaluateEligibility(ENRICH_TRIAL_CONFIG, { criteria }, CONSENT).eligible, false);
    });
  }

  it('is not eligible until consent is recorded', () => {
    assert.deepEqual(reasonsOf(ELIGIBLE, null), ['consent_recorded:unknown']);
    assert.deepEqual(reasonsOf(ELIGIBLE, { consentDate: '' }), ['consent_recorded:unknown']);
  });

  it('explains each reason in words that name the rule, the field and the value', () => {
    const result = evaluateEligibility(
      ENRICH_TRIAL_CONFIG,
      { criteria: { ...ELIGIBLE, ageYears: 17, primaryDiagnosis: 'eating_disorder' } },
      undefined,
    );
    assert.deepEqual(
      result.reasons.map((reason) => reason.message),
      [
        'Aged 18 or over: requires ageYears >= 18 (got 17)',
        'Primary diagnosis is not learning disability, eating disorder or drug/alcohol dependency: requires primaryDiagnosis not one of learning_disability, eating_disorder, substance_dependency (got "eating_disorder")',
        'Written informed consent recorded: requires a consent record (got none)',
      ],
    );
  });

  it('evaluates configured is_true and one_of rules on any criterion', () => {
    const config: Pick<TrialConfig, 'eligibility'> = {
      eligibility: [
        { id: 'speaks_english', description: 'Speaks English', kind: 'is_true', field: 'speaksEnglish' },
        {
          id: 'in_catchment',
          description: 'Lives in catchment',
          kind: 'one_of',
          field: 'borough',
          values: ['north', 'south'],
        },
      ],
    };
    assert.deepEqual(
      evaluateEligibility(config, { criteria: { speaksEnglish: true, borough: 'north' } }).eligible,
      true,
    );
    assert.deepEqual(
      evaluateEligibility(config, { criteria: { speaksEnglish: false, borough: 'east' } }).reasons.map(
        (reason) => reason.message,
      ),
      [
        'Speaks English: requires speaksEnglish true (got false)',
        'Lives in catchment: requires borough one of north, south (got "east")',
      ],
    );
  });
});
