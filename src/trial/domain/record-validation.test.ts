import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordValidationError } from '../errors.ts';
import { ENRICH_TRIAL_CONFIG } from '../templates/enrich.ts';
import {
  problemsOf,
  validateBaseline,
  validateConsent,
  validateContact,
  validateDeath,
  validateDischarge,
  validateInterventionWithdrawal,
  validateInterview,
  validateParticipant,
  validatePeerWorkerAssignment,
  validateRandomisation,
  validateScreeningEntry,
  validateSeriousAdverseEvent,
  validateServiceUseEvent,
  validateServiceUseReview,
  validateUnblinding,
  validateWithdrawal,
} from './record-validation.ts';
import { sampleTrial } from './trial-records.test-support.ts';

const config = ENRICH_TRIAL_CONFIG;
const [p1, p2, p3, p4, p5] = sampleTrial();
assert.ok(p1 && p2 && p3 && p4 && p5);

const SCREENING = {
  screeningId: 'S1',
  trialId: 'enrich',
  site: 'site_1',
  screenedDate: '2024-01-03',
  screenedBy: 'researcher_1',
  criteria: { ageYears: 30, primaryDiagnosis: 'psychosis' },
  outcome: 'pending',
};

type Validator = (input: unknown) => unknown;

/** Each validator with valid records (from the sample trial) and broken ones with every expected message. */
const CASES: { name: string; validate: Validator; valid: unknown[]; broken: [unknown, string[]][] }[] = [
  {
    name: 'screening',
    validate: validateScreeningEntry,
    valid: [
      SCREENING,
      { ...SCREENING, outcome: 'not_eligible', ineligibilityReasons: ['age_18_or_over'] },
      { ...SCREENING, outcome: 'randomised', participantId: 'P001' },
      { ...SCREENING, outcome: 'declined', outcomeDetail: 'did not want to take part' },
    ],
    broken: [
      [
        {
          ...SCREENING,
          screenedDate: '2024-13-01',
          criteria: { ageYears: [30] },
          outcome: 'not_eligible',
          participantId: 'P1',
        },
        [
          'screening.screenedDate requires an ISO date YYYY-MM-DD (got "2024-13-01")',
          'screening.criteria.ageYears requires a number, true/false or text (got [30])',
          'screening.ineligibilityReasons requires at least one reason when the outcome is not_eligible (got none)',
          'screening.participantId requires outcome randomised (got outcome not_eligible)',
        ],
      ],
      [
        { ...SCREENING, criteria: 'none', outcome: 'randomised', ineligibilityReasons: [1] },
        [
          'screening.criteria requires an object (got "none")',
          'screening.ineligibilityReasons requires a list of rule ids (got [1])',
          'screening.participantId requires a value when the outcome is randomised (got nothing)',
        ],
      ],
      [
        { screeningId: '' },
        [
          'screening.screeningId requires non-empty text (got "")',
          'screening.trialId requires non-empty text (got nothing)',
          'screening.site requires non-empty text (got nothing)',
          'screening.screenedDate requires an ISO date YYYY-MM-DD (got nothing)',
          'screening.screenedBy requires non-empty text (got nothing)',
          'screening.criteria requires an object (got nothing)',
          'screening.outcome requires one of pending, not_eligible, declined, not_randomised_other, randomised (got nothing)',
        ],
      ],
      [[1, 2], ['screening requires an object (got [1,2])']],
    ],
  },
  {
    name: 'consent',
    validate: validateConsent,
    valid: [p1.consent],
    broken: [
      [
        { ...p1.consent, recordsAccess: 'yes', futureContact: 1 },
        [
          'consent.recordsAccess requires true or false (got "yes")',
          'consent.futureContact requires true or false (got 1)',
        ],
      ],
    ],
  },
  {
    name: 'participant',
    validate: (input) => validateParticipant(config, input),
    valid: [p1.participant],
    broken: [
      [
        { ...p1.participant, site: 'site_99', diagnosisGroup: 'anxiety' },
        [
          'participant.site requires one of site_1, site_2, site_3, site_4, site_5, site_6, site_7 (got "site_99")',
          'participant.diagnosisGroup requires one of psychosis, personality, other (got "anxiety")',
        ],
      ],
    ],
  },
  {
    name: 'baseline',
    validate: (input) => validateBaseline(config, input),
    valid: [p1.baseline, p3.baseline],
    broken: [
      [
        {
          ...p1.baseline,
          ageYears: 17,
          admissionsPrior2y: 0,
          gender: 'f',
          assessmentDate: '2023-12-01',
          responses: { hope: { h1: 5 }, bprs: {}, symptoms: [] },
        },
        [
          'baseline.ageYears requires a finite number >= 18 (got 17)',
          'baseline.gender requires one of female, male, other (got "f")',
          'baseline.admissionsPrior2y requires a whole number >= 1 (got 0)',
          'baseline.assessmentDate requires a date on or after indexAdmissionDate 2023-12-20 (got 2023-12-01)',
          'baseline.responses: hope item h1 requires a whole number in [1, 4] (got 5)',
          'baseline.responses requires instruments of symptoms, quality_of_life, social_inclusion, hope, social_network, eq5d (got "bprs")',
          'baseline.responses.symptoms requires an object of item responses (got [])',
        ],
      ],
      [
        { ...p1.baseline, responses: undefined },
        ['baseline.responses requires an object of instrument responses (got nothing)'],
      ],
      [{ ...p1.baseline, responses: 'x' }, ['baseline.responses requires an object (got "x")']],
    ],
  },
  {
    name: 'randomisation',
    validate: (input) => validateRandomisation(config, input),
    valid: [p1.randomisation],
    broken: [
      [
        {
          ...p1.randomisation,
          sequence: 0,
          randomisedAt: '2024-01-06 10:00',
          strata: { site: 'site_1', region: 'x' },
          method: 'coin',
        },
        [
          'randomisation.sequence requires a whole number >= 1 (got 0)',
          'randomisation.randomisedAt requires an ISO date-time with time zone (got "2024-01-06 10:00")',
          'randomisation.method requires one of permuted_blocks, minimisation (got "coin")',
          'randomisation.strata.diagnosis_group requires one of psychosis, personality, other (got nothing)',
          'randomisation.strata requires configured factors only (got "region")',
        ],
      ],
      [
        { ...p1.randomisation, strata: null, arm: 7 },
        [
          'randomisation.arm requires one of peer_support, usual_care (got 7)',
          'randomisation.strata requires an object of factor levels (got null)',
        ],
      ],
    ],
  },
  {
    name: 'discharge',
    validate: validateDischarge,
    valid: [p1.discharge],
    broken: [
      [
        { participantId: 'P1', dischargeDate: 20240115, recordedBy: 'r' },
        ['discharge.dischargeDate requires an ISO date YYYY-MM-DD (got 20240115)'],
      ],
    ],
  },
  {
    name: 'assignment',
    validate: validatePeerWorkerAssignment,
    valid: [p1.assignments[0], { ...p1.assignments[0], endDate: '2024-05-01' }],
    broken: [
      [
        { ...p1.assignments[0], endDate: '2024-01-01' },
        ['assignment.endDate requires a date on or after startDate 2024-01-07 (got 2024-01-01)'],
      ],
    ],
  },
  {
    name: 'contact',
    validate: (input) => validateContact(input, '2024-01-15'),
    valid: [...p1.contacts, ...p5.contacts],
    broken: [
      [
        {
          ...p1.contacts[5],
          setting: 'ward',
          minutes: 0,
          activities: ['getting_to_know', 'getting_to_know'],
        },
        [
          'contact.minutes requires a finite number > 0 <= 1440 (got 0)',
          'contact.activities requires a list of distinct values from getting_to_know, sharing_lived_experience, listening_support, building_trust, discharge_planning, practical_help, accessing_services, recovery_goals, wellbeing_planning, social_activities, community_connections (got "getting_to_know")',
          'contact.setting ward requires phase before_discharge (got after_discharge)',
        ],
      ],
      [
        { ...p1.contacts[0], contactDate: '2024-01-16' },
        ['contact.phase before_discharge requires a date on or before discharge 2024-01-15 (got 2024-01-16)'],
      ],
      [
        { ...p1.contacts[5], contactDate: '2024-01-15' },
        ['contact.phase after_discharge requires a date after discharge 2024-01-15 (got 2024-01-15)'],
      ],
      [
        { ...p1.contacts[0], mode: 'carrier_pigeon', activities: 'chat' },
        [
          'contact.mode requires one of face_to_face, telephone, video, text_message (got "carrier_pigeon")',
          'contact.activities requires a list of distinct values from getting_to_know, sharing_lived_experience, listening_support, building_trust, discharge_planning, practical_help, accessing_services, recovery_goals, wellbeing_planning, social_activities, community_connections (got "chat")',
        ],
      ],
    ],
  },
  {
    name: 'interview',
    validate: (input) => validateInterview(config, input),
    valid: [p1.interviews[0], p2.interviews[0]],
    broken: [
      [
        { ...p1.interviews[0], visitId: 'month_12', notCompletedReason: 'declined' },
        [
          'interview.visitId requires one of month_4 (got "month_12")',
          'interview.notCompletedReason requires status not_completed (got completed)',
        ],
      ],
      [
        { ...p2.interviews[0], notCompletedReason: undefined, responses: { hope: { h1: 1 } } },
        [
          'interview.notCompletedReason requires one of declined, not_contactable, withdrawn, died, other (got nothing)',
          'interview.responses requires none when not completed (got responses)',
        ],
      ],
      [
        { ...p1.interviews[0], interviewDate: undefined },
        ['interview.interviewDate requires an ISO date YYYY-MM-DD (got nothing)'],
      ],
    ],
  },
  {
    name: 'service use review',
    validate: (input) => validateServiceUseReview(config, input),
    valid: [p1.serviceUseReviews[0]],
    broken: [
      [
        { ...p1.serviceUseReviews[0], visitId: 'month_4', recordsAvailable: undefined },
        [
          'service_use_review.visitId requires one of month_12 (got "month_4")',
          'service_use_review.recordsAvailable requires true or false (got nothing)',
        ],
      ],
    ],
  },
  {
    name: 'service use event',
    validate: validateServiceUseEvent,
    valid: [...p1.serviceUseEvents],
    broken: [
      [
        {
          kind: 'admission',
          eventId: 'E',
          participantId: 'P',
          admissionDate: '2024-03-10',
          dischargeDate: '2024-03-01',
          legalStatus: 'informal',
        },
        [
          'service_use.dischargeDate requires a date on or after admissionDate 2024-03-10 (got 2024-03-01)',
          'service_use.legalStatus requires one of voluntary, involuntary (got "informal")',
        ],
      ],
      [
        { kind: 'liaison', eventId: 'E', participantId: 'P', date: '2024-03-10', contacts: 0 },
        ['service_use.contacts requires a whole number >= 1 (got 0)'],
      ],
      [
        { kind: 'gp_visit', eventId: 'E', participantId: 'P' },
        ['service_use.kind requires one of admission, crisis_team, liaison, community_team (got "gp_visit")'],
      ],
    ],
  },
  {
    name: 'sae',
    validate: validateSeriousAdverseEvent,
    valid: [p1.seriousAdverseEvents[0]],
    broken: [
      [
        {
          ...p1.seriousAdverseEvents[0],
          category: 'death',
          reportedDate: '2024-05-01',
          seriousness: ['hospitalisation'],
        },
        [
          'sae.reportedDate requires a date on or after onsetDate 2024-06-01 (got 2024-05-01)',
          'sae.seriousness requires "death" when the category is death or the outcome fatal (got hospitalisation)',
        ],
      ],
      [
        { ...p1.seriousAdverseEvents[0], seriousness: ['death'] },
        ['sae.outcome requires fatal when seriousness includes death (got resolved)'],
      ],
      [
        { ...p1.seriousAdverseEvents[0], seriousness: [], relatedness: 'maybe' },
        [
          'sae.seriousness requires a list of distinct values from death, life_threatening, hospitalisation, disability, important_medical_event with at least 1 (got [])',
          'sae.relatedness requires one of not_related, unlikely, possibly, probably, definitely (got "maybe")',
        ],
      ],
    ],
  },
  {
    name: 'withdrawal',
    validate: validateWithdrawal,
    valid: [p3.withdrawal, p4.withdrawal],
    broken: [
      [
        { ...p3.withdrawal, scope: 'intervention', reason: '' },
        [
          'withdrawal.reason requires non-empty text (got "")',
          'withdrawal.scope requires interviews or all: a withdrawal from the intervention only is an intervention_withdrawal record (got intervention)',
        ],
      ],
    ],
  },
  {
    name: 'intervention_withdrawal',
    validate: validateInterventionWithdrawal,
    valid: [p5.interventionWithdrawal],
    broken: [
      [
        { ...p5.interventionWithdrawal, scope: 'all', dataUse: 'none', reason: '' },
        [
          'intervention_withdrawal.reason requires non-empty text (got "")',
          'intervention_withdrawal.scope requires intervention (got all)',
          'intervention_withdrawal.dataUse requires collected_and_records when only the intervention is stopped (got none)',
        ],
      ],
    ],
  },
  {
    name: 'death',
    validate: validateDeath,
    valid: [p2.death],
    broken: [
      [
        { participantId: 'P2', dateOfDeath: '2024-06-31', recordedBy: 'r' },
        ['death.dateOfDeath requires an ISO date YYYY-MM-DD (got "2024-06-31")'],
      ],
    ],
  },
  {
    name: 'unblinding',
    validate: validateUnblinding,
    valid: [
      {
        participantId: 'P1',
        requestedBy: 'tm',
        requestedAt: '2024-05-01T09:00:00+01:00',
        reason: 'Clinical emergency: overdose',
      },
    ],
    broken: [
      [
        { participantId: 'P1', requestedBy: 'tm', requestedAt: '2024-05-01T09:00:00Z', reason: ' ' },
        ['unblinding.reason requires non-empty text (got " ")'],
      ],
    ],
  },
];

describe('record validators', () => {
  for (const { name, validate, valid, broken } of CASES) {
    it(`${name}: accepts valid records unchanged`, () => {
      for (const record of valid) {
        assert.ok(record !== undefined, `${name} sample exists`);
        assert.equal(validate(record), record);
      }
    });
    it(`${name}: reports every problem at once`, () => {
      for (const [record, messages] of broken) {
        assert.throws(
          () => validate(record),
          (error: unknown) => {
            assert.ok(error instanceof RecordValidationError);
            assert.deepEqual(
              error.problems.map((problem) => problem.message),
              messages,
            );
            assert.equal(error.code, error.problems[0]?.code);
            return true;
          },
        );
      }
    });
  }

  it('uses the codes record_field_missing, record_field_invalid and record_inconsistent', () => {
    assert.deepEqual(
      problemsOf(() => validateDischarge({ participantId: 'P1', dischargeDate: 'x' })).map((problem) => [
        problem.code,
        problem.path,
      ]),
      [
        ['record_field_invalid', 'discharge.dischargeDate'],
        ['record_field_missing', 'discharge.recordedBy'],
      ],
    );
    assert.equal(
      problemsOf(() => validateContact({ ...p1.contacts[5], setting: 'ward' }))[0]?.code,
      'record_inconsistent',
    );
    assert.deepEqual(
      problemsOf(() => validateDischarge(p1.discharge)),
      [],
    );
    assert.throws(
      () =>
        problemsOf(() => {
          throw new TypeError('boom');
        }),
      { name: 'TypeError' },
    );
    assert.throws(() => new RecordValidationError([]), { name: 'RangeError' });
  });
});
