import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrialConfigError } from '../errors.ts';
import { allocate } from '../randomisation/allocate.ts';
import { createSeededRandom } from '../randomisation/seeded-random.ts';
import { createRandomisationState } from '../randomisation/state.ts';
import { ENRICH_TEMPLATE, ENRICH_TRIAL_CONFIG } from '../templates/enrich.ts';
import { findTrialTemplate } from '../templates/index.ts';
import {
  findInstrumentForConstruct,
  getVisit,
  randomisationConfigOf,
  validateTrialConfig,
} from './trial-config.ts';
import type { TrialConfig } from './types.ts';

describe('the ENRICH trial configuration', () => {
  it('is valid and loaded by the enrich template', () => {
    assert.equal(validateTrialConfig(ENRICH_TRIAL_CONFIG), ENRICH_TRIAL_CONFIG);
    assert.equal(findTrialTemplate('enrich')?.config, ENRICH_TRIAL_CONFIG);
    assert.deepEqual(ENRICH_TRIAL_CONFIG.arms, [
      { name: 'peer_support', ratio: 1 },
      { name: 'usual_care', ratio: 1 },
    ]);
    assert.deepEqual(
      ENRICH_TRIAL_CONFIG.factors.map((factor) => factor.name),
      ['site', 'diagnosis_group'],
    );
    assert.deepEqual(ENRICH_TRIAL_CONFIG.factors[1]?.levels, ['psychosis', 'personality', 'other']);
    assert.deepEqual(
      ENRICH_TRIAL_CONFIG.eligibility.map((rule) => rule.id),
      [
        'age_18_or_over',
        'admission_in_previous_2_years',
        'no_organic_mental_disorder',
        'primary_diagnosis_not_excluded',
        'consent_recorded',
      ],
    );
    assert.equal(ENRICH_TRIAL_CONFIG.followUpDays, 365);
  });

  it('gives the engines the template randomisation (permuted blocks 2, 4, 6) and minimisation as the alternative', () => {
    assert.deepEqual(
      randomisationConfigOf(ENRICH_TRIAL_CONFIG),
      ENRICH_TEMPLATE.randomisation.permutedBlocks,
    );
    const minimisation: TrialConfig = {
      ...ENRICH_TRIAL_CONFIG,
      randomisation: { kind: 'minimisation', imbalance: 'range', preferredArmProbability: 0.8 },
    };
    assert.deepEqual(randomisationConfigOf(minimisation), ENRICH_TEMPLATE.randomisation.minimisation);
    assert.deepEqual(
      randomisationConfigOf({ ...ENRICH_TRIAL_CONFIG, randomisation: { kind: 'minimisation' } }),
      {
        kind: 'minimisation',
        arms: ENRICH_TRIAL_CONFIG.arms,
        factors: ENRICH_TRIAL_CONFIG.factors,
      },
    );
    const config = randomisationConfigOf(ENRICH_TRIAL_CONFIG);
    const step = allocate(
      config,
      createRandomisationState(config),
      { site: 'site_1', diagnosis_group: 'other' },
      createSeededRandom(1),
    );
    assert.ok(['peer_support', 'usual_care'].includes(step.allocation.arm));
  });

  it('finds visits and instruments', () => {
    assert.equal(getVisit(ENRICH_TRIAL_CONFIG, 'month_12').kind, 'records');
    assert.equal(findInstrumentForConstruct(ENRICH_TRIAL_CONFIG, 'eq5d')?.scoring.kind, 'utility');
    assert.equal(findInstrumentForConstruct({ ...ENRICH_TRIAL_CONFIG, instruments: [] }, 'hope'), undefined);
  });
});

describe('validateTrialConfig errors', () => {
  it('reports every problem at once with its path', () => {
    const broken = {
      ...ENRICH_TRIAL_CONFIG,
      name: '',
      arms: [{ name: 'peer_support', ratio: 0 }],
      randomisation: { kind: 'permuted_blocks', blockSizes: [3] },
      eligibility: [
        { id: 'age', description: 'Age', kind: 'at_least', field: 'ageYears', minimum: Number.NaN },
        { id: 'age', description: '', kind: 'between', field: 'x' },
        { id: 'dx', description: 'Diagnosis', kind: 'not_one_of', field: '', values: [] },
      ],
      visits: [
        {
          id: 'month_4',
          label: '4m',
          kind: 'interview',
          targetDaysAfterDischarge: 122.5,
          windowBeforeDays: -1,
          windowAfterDays: 56,
          instruments: ['nope'],
        },
        {
          id: 'month_4',
          label: 'x',
          kind: 'phone',
          targetDaysAfterDischarge: 1,
          windowBeforeDays: 0,
          windowAfterDays: 0,
          instruments: [],
        },
        {
          id: 'r1',
          label: 'r',
          kind: 'records',
          targetDaysAfterDischarge: 365,
          windowBeforeDays: 0,
          windowAfterDays: 0,
          instruments: [],
        },
        {
          id: 'r2',
          label: 'r',
          kind: 'records',
          targetDaysAfterDischarge: 365,
          windowBeforeDays: 0,
          windowAfterDays: 0,
          instruments: [],
        },
      ],
      instruments: [
        ...ENRICH_TRIAL_CONFIG.instruments,
        { ...ENRICH_TRIAL_CONFIG.instruments[0], id: 'symptoms_copy' },
        { ...ENRICH_TRIAL_CONFIG.instruments[1] },
      ],
      baselineInstruments: ['symptoms', 'missing_one'],
      followUpDays: 0,
    } as unknown as TrialConfig;
    assert.throws(
      () => validateTrialConfig(broken),
      (error: unknown) => {
        assert.ok(error instanceof TrialConfigError);
        assert.equal(error.code, 'trial_config_invalid');
        assert.deepEqual(
          error.problems.map((problem) => `${problem.path}: ${problem.message}`),
          [
            'name: trial config name requires non-empty text (got "")',
            'randomisation: randomisation requires at least two arms (got 1)',
            'randomisation: arm "peer_support" ratio requires a whole number >= 1 (got 0)',
            'instruments[6].construct: construct "symptoms" requires one instrument (got "symptoms" and "symptoms_copy")',
            'instruments[7].id: instrument ids require distinct values (got "quality_of_life" twice)',
            'instruments[7].construct: construct "quality_of_life" requires one instrument (got "quality_of_life" and "quality_of_life")',
            'eligibility[0].minimum: eligibility rule "age" requires a finite minimum (got NaN)',
            'eligibility[1].id: eligibility rule ids require distinct values (got "age" twice)',
            'eligibility[1].description: eligibility rule "age" requires a description',
            'eligibility[1].kind: eligibility rule kind requires one of at_least, is_true, is_false, one_of, not_one_of, consent_recorded (got "between")',
            'eligibility[2].field: eligibility rule "dx" requires a field (got "")',
            'eligibility[2].values: eligibility rule "dx" requires at least one value (got none)',
            'visits[0].targetDaysAfterDischarge: visit "month_4" targetDaysAfterDischarge requires a whole number >= 0 (got 122.5)',
            'visits[0].windowBeforeDays: visit "month_4" windowBeforeDays requires a whole number >= 0 (got -1)',
            'visits[0].instruments: visit "month_4" requires configured instruments (got "nope")',
            'visits[1].id: visit ids require distinct values (got "month_4" twice)',
            'visits[1].kind: visit kind requires "interview" or "records" (got "phone")',
            'visits: trial config requires at most one records visit (got 2)',
            'baselineInstruments: baseline instruments require configured instruments (got "missing_one")',
            'followUpDays: trial config followUpDays requires a whole number >= 1 (got 0)',
          ],
        );
        return true;
      },
    );
  });

  it('reports a block size that does not fit the ratio', () => {
    assert.throws(
      () =>
        validateTrialConfig({
          ...ENRICH_TRIAL_CONFIG,
          randomisation: { kind: 'permuted_blocks', blockSizes: [3] },
        }),
      {
        name: 'TrialConfigError',
        message: 'randomisation: block size requires a multiple of the ratio sum 2 (1:1) (got 3)',
      },
    );
  });

  it('rejects a config that is not an object, or lacks lists', () => {
    assert.throws(() => validateTrialConfig(null as unknown as TrialConfig), {
      name: 'TrialConfigError',
      message: 'config: trial config requires an object (got null)',
    });
    assert.throws(
      () =>
        validateTrialConfig({
          ...ENRICH_TRIAL_CONFIG,
          randomisation: null,
          visits: 'x',
          instruments: undefined,
          eligibility: {},
        } as unknown as TrialConfig),
      (error: unknown) => {
        assert.ok(error instanceof TrialConfigError);
        assert.deepEqual(
          error.problems.map((problem) => problem.message),
          [
            'trial config randomisation requires an object (got null)',
            'trial config instruments requires a list',
            'trial config eligibility requires a list',
            'trial config visits requires a list',
            'baseline instruments require configured instruments (got "symptoms")',
            'baseline instruments require configured instruments (got "quality_of_life")',
            'baseline instruments require configured instruments (got "social_inclusion")',
            'baseline instruments require configured instruments (got "hope")',
            'baseline instruments require configured instruments (got "social_network")',
            'baseline instruments require configured instruments (got "eq5d")',
          ],
        );
        return true;
      },
    );
  });

  it('refuses to build an error without problems', () => {
    assert.throws(() => new TrialConfigError([]), { name: 'RangeError' });
  });
});
