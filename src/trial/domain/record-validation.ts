/**
 * Validation of each trial record read from a request or a database: every problem at once, as
 * `RecordValidationError` (`problems[].path` = `<record>.<field>`). Validators return the input typed; they
 * never change it. Messages never quote an allocation (`arm` problems name the configured arms only when
 * the arm itself is malformed, and the randomisation record is only written by the randomisation service).
 */

import { type DataProblem, InstrumentResponseError, RecordValidationError } from '../errors.ts';
import { parseIsoDate } from '../typed-columns.ts';
import { checkRecord, describeValue, type FieldChecker } from './field-checks.ts';
import { scoreInstrument } from './instruments.ts';
import {
  type BaselineRecord,
  CONTACT_ACTIVITIES,
  CONTACT_MODES,
  CONTACT_PHASES,
  CONTACT_SETTINGS,
  type ConsentRecord,
  type ContactRecord,
  type DeathRecord,
  DIAGNOSIS_GROUPS,
  type DischargeRecord,
  ETHNICITIES,
  FIRST_LANGUAGES,
  type FollowUpInterview,
  GENDERS,
  type InterventionWithdrawalRecord,
  type Participant,
  type PeerWorkerAssignment,
  type RandomisationRecord,
  SAE_EXPECTEDNESS,
  SAE_OUTCOMES,
  SAE_RELATEDNESS,
  SAE_SERIOUSNESS,
  SCREENING_OUTCOMES,
  type ScreeningLogEntry,
  SEXUAL_ORIENTATIONS,
  type SeriousAdverseEvent,
  type ServiceUseEvent,
  type ServiceUseReview,
  type TrialConfig,
  type UnblindingRecord,
  WITHDRAWAL_DATA_USE,
  WITHDRAWAL_SCOPES,
  type WithdrawalRecord,
} from './types.ts';

const SAE_CATEGORY_VALUES = [
  'death',
  'hospitalisation',
  'self_harm',
  'suicide_attempt',
  'violence',
  'other',
] as const;
const CONTACT_ACTIVITY_IDS = CONTACT_ACTIVITIES.map((activity) => activity.id);

function finish<T>(checker: FieldChecker): T {
  if (checker.problems.length > 0) throw new RecordValidationError(checker.problems);
  return checker.record as unknown as T;
}

/** `later` must not be before `earlier` (both day numbers, when both parsed). */
function notBefore(
  checker: FieldChecker,
  kind: string,
  earlierField: string,
  earlier: number | undefined,
  laterField: string,
  later: number | undefined,
): void {
  if (earlier !== undefined && later !== undefined && later < earlier) {
    checker.inconsistent(
      laterField,
      `${kind}.${laterField} requires a date on or after ${earlierField} ${checker.record[earlierField]} (got ${checker.record[laterField]})`,
    );
  }
}

/**
 * Validates a screening log entry: ids, site, date, screener, criteria object, outcome; `not_eligible`
 * requires at least one ineligibility reason; `randomised` requires the participant id, and only
 * `randomised` may carry one.
 * @throws RecordValidationError listing every problem.
 * @example validateScreeningEntry(entry).outcome; // 'declined'
 */
export function validateScreeningEntry(input: unknown): ScreeningLogEntry {
  const kind = 'screening';
  const checker = checkRecord(kind, input);
  checker.text('screeningId');
  checker.text('trialId');
  checker.text('site');
  checker.date('screenedDate');
  checker.text('screenedBy');
  const criteria = checker.record.criteria;
  if (criteria === null || typeof criteria !== 'object' || Array.isArray(criteria)) {
    if (checker.record === input) {
      checker.invalid('criteria', `${kind}.criteria requires an object (got ${describeValue(criteria)})`);
    }
  } else {
    for (const [field, value] of Object.entries(criteria)) {
      if (value !== null && !['number', 'boolean', 'string'].includes(typeof value)) {
        checker.invalid(
          `criteria.${field}`,
          `${kind}.criteria.${field} requires a number, true/false or text (got ${describeValue(value)})`,
        );
      }
    }
  }
  const outcome = checker.oneOf('outcome', SCREENING_OUTCOMES);
  const reasons = checker.record.ineligibilityReasons;
  if (reasons !== undefined && reasons !== null) {
    if (!Array.isArray(reasons) || !reasons.every((reason) => typeof reason === 'string' && reason !== '')) {
      checker.invalid(
        'ineligibilityReasons',
        `${kind}.ineligibilityReasons requires a list of rule ids (got ${describeValue(reasons)})`,
      );
    }
  }
  checker.text('outcomeDetail', { optional: true });
  const participantId = checker.text('participantId', { optional: true });
  if (outcome === 'not_eligible' && (!Array.isArray(reasons) || reasons.length === 0)) {
    checker.inconsistent(
      'ineligibilityReasons',
      `${kind}.ineligibilityReasons requires at least one reason when the outcome is not_eligible (got none)`,
    );
  }
  if (outcome === 'randomised' && participantId === undefined && checker.record.participantId == null) {
    checker.inconsistent(
      'participantId',
      `${kind}.participantId requires a value when the outcome is randomised (got nothing)`,
    );
  }
  if (outcome !== undefined && outcome !== 'randomised' && participantId !== undefined) {
    checker.inconsistent(
      'participantId',
      `${kind}.participantId requires outcome randomised (got outcome ${outcome})`,
    );
  }
  return finish(checker);
}

/**
 * Validates a consent record.
 * @throws RecordValidationError listing every problem.
 */
export function validateConsent(input: unknown): ConsentRecord {
  const checker = checkRecord('consent', input);
  checker.text('screeningId');
  checker.date('consentDate');
  checker.text('consentFormVersion');
  checker.text('takenBy');
  checker.boolean('recordsAccess');
  checker.boolean('recordsAfterWithdrawal');
  checker.boolean('futureContact', { optional: true });
  return finish(checker);
}

/**
 * Validates a participant against the configuration: ids, a configured site level (factor `site` when
 * configured) and diagnosis group.
 * @throws RecordValidationError listing every problem.
 */
export function validateParticipant(config: TrialConfig, input: unknown): Participant {
  const checker = checkRecord('participant', input);
  checker.text('participantId');
  checker.text('trialId');
  checker.text('screeningId');
  const sites = config.factors.find((factor) => factor.name === 'site')?.levels;
  if (sites === undefined) checker.text('site');
  else checker.oneOf('site', sites);
  checker.oneOf('diagnosisGroup', DIAGNOSIS_GROUPS);
  return finish(checker);
}

/**
 * Checks instrument responses (`responses` field): an object of configured instrument ids (limited to
 * `allowed`), each an object of item -> whole number in range or null.
 */
function checkResponses(
  checker: FieldChecker,
  kind: string,
  config: TrialConfig,
  allowed: readonly string[],
): void {
  const responses = checker.record.responses;
  if (responses === undefined || responses === null) {
    checker.problems.push({
      path: `${kind}.responses`,
      code: 'record_field_missing',
      message: `${kind}.responses requires an object of instrument responses (got nothing)`,
    });
    return;
  }
  if (typeof responses !== 'object' || Array.isArray(responses)) {
    checker.invalid('responses', `${kind}.responses requires an object (got ${describeValue(responses)})`);
    return;
  }
  for (const [instrumentId, items] of Object.entries(responses)) {
    const instrument = config.instruments.find((candidate) => candidate.id === instrumentId);
    if (instrument === undefined || !allowed.includes(instrumentId)) {
      checker.invalid(
        `responses.${instrumentId}`,
        `${kind}.responses requires instruments of ${allowed.join(', ') || 'none'} (got "${instrumentId}")`,
      );
      continue;
    }
    if (items === null || typeof items !== 'object' || Array.isArray(items)) {
      checker.invalid(
        `responses.${instrumentId}`,
        `${kind}.responses.${instrumentId} requires an object of item responses (got ${describeValue(items)})`,
      );
      continue;
    }
    try {
      scoreInstrument(instrument, items as Record<string, number | null>);
    } catch (error) {
      if (!(error instanceof InstrumentResponseError)) throw error;
      for (const problem of error.problems) {
        checker.problems.push({
          path: `${kind}.responses.${problem.path}`,
          code: 'record_field_invalid',
          message: `${kind}.responses: ${problem.message}`,
        });
      }
    }
  }
}

/**
 * Validates a baseline assessment: demographics in the data dictionary's categories, age >= 18, prior
 * admissions a whole number >= 0, detention, index admission date, and responses to the baseline
 * instruments (each response a whole number in its item's range, or null).
 * @throws RecordValidationError listing every problem.
 */
export function validateBaseline(config: TrialConfig, input: unknown): BaselineRecord {
  const kind = 'baseline';
  const checker = checkRecord(kind, input);
  checker.text('participantId');
  const assessed = checker.date('assessmentDate');
  checker.text('assessedBy');
  checker.number('ageYears', { minimum: 18 });
  checker.oneOf('gender', GENDERS);
  checker.oneOf('ethnicity', ETHNICITIES);
  checker.oneOf('firstLanguage', FIRST_LANGUAGES);
  checker.oneOf('sexualOrientation', SEXUAL_ORIENTATIONS, { optional: true });
  checker.number('admissionsPrior2y', { integer: true, minimum: 1 });
  checker.boolean('detainedAtIndex');
  const admitted = checker.date('indexAdmissionDate');
  notBefore(checker, kind, 'indexAdmissionDate', admitted, 'assessmentDate', assessed);
  checkResponses(checker, kind, config, config.baselineInstruments);
  return finish(checker);
}

/**
 * Validates a randomisation record against the configuration: sequence >= 1, dates, the strata (every
 * factor with a configured level, nothing else), the method and a configured arm.
 * @throws RecordValidationError listing every problem.
 */
export function validateRandomisation(config: TrialConfig, input: unknown): RandomisationRecord {
  const kind = 'randomisation';
  const checker = checkRecord(kind, input);
  checker.text('participantId');
  checker.number('sequence', { integer: true, minimum: 1 });
  checker.date('randomisedDate');
  checker.instant('randomisedAt');
  checker.text('randomisedBy');
  checker.oneOf('method', ['permuted_blocks', 'minimisation'] as const);
  checker.oneOf(
    'arm',
    config.arms.map((arm) => arm.name),
  );
  const strata = checker.record.strata;
  if (strata === null || typeof strata !== 'object' || Array.isArray(strata)) {
    checker.invalid(
      'strata',
      `${kind}.strata requires an object of factor levels (got ${describeValue(strata)})`,
    );
  } else {
    const values = strata as Record<string, unknown>;
    for (const factor of config.factors) {
      const level = values[factor.name];
      if (typeof level !== 'string' || !factor.levels.includes(level)) {
        checker.invalid(
          `strata.${factor.name}`,
          `${kind}.strata.${factor.name} requires one of ${factor.levels.join(', ')} (got ${describeValue(level)})`,
        );
      }
    }
    for (const name of Object.keys(values)) {
      if (!config.factors.some((factor) => factor.name === name)) {
        checker.invalid(`strata.${name}`, `${kind}.strata requires configured factors only (got "${name}")`);
      }
    }
  }
  return finish(checker);
}

/**
 * Validates a discharge record.
 * @throws RecordValidationError listing every problem.
 */
export function validateDischarge(input: unknown): DischargeRecord {
  const checker = checkRecord('discharge', input);
  checker.text('participantId');
  checker.date('dischargeDate');
  checker.text('recordedBy');
  return finish(checker);
}

/**
 * Validates a peer worker assignment: the end date, when given, not before the start.
 * @throws RecordValidationError listing every problem.
 */
export function validatePeerWorkerAssignment(input: unknown): PeerWorkerAssignment {
  const kind = 'assignment';
  const checker = checkRecord(kind, input);
  checker.text('assignmentId');
  checker.text('participantId');
  checker.text('peerWorkerId');
  const start = checker.date('startDate');
  const end = checker.date('endDate', { optional: true });
  notBefore(checker, kind, 'startDate', start, 'endDate', end);
  return finish(checker);
}

/**
 * Validates a peer worker contact: phase, setting, mode, minutes > 0 (at most 24 hours), activities from
 * the list (distinct); a ward contact must be before discharge; with `dischargeDate`, the phase must agree
 * with the date (before discharge: on or before the discharge date; after: after it).
 * @throws RecordValidationError listing every problem.
 */
export function validateContact(input: unknown, dischargeDate?: string): ContactRecord {
  const kind = 'contact';
  const checker = checkRecord(kind, input);
  checker.text('contactId');
  checker.text('participantId');
  checker.text('peerWorkerId');
  const date = checker.date('contactDate');
  const phase = checker.oneOf('phase', CONTACT_PHASES);
  const setting = checker.oneOf('setting', CONTACT_SETTINGS);
  checker.oneOf('mode', CONTACT_MODES);
  checker.number('minutes', { exclusiveMinimum: 0, maximum: 1440 });
  checker.listOf('activities', CONTACT_ACTIVITY_IDS);
  if (setting === 'ward' && phase === 'after_discharge') {
    checker.inconsistent(
      'setting',
      `${kind}.setting ward requires phase before_discharge (got after_discharge)`,
    );
  }
  const discharge = dischargeDate === undefined ? undefined : parseIsoDate(dischargeDate);
  if (date !== undefined && discharge !== undefined && phase !== undefined) {
    if (phase === 'before_discharge' && date > discharge) {
      checker.inconsistent(
        'phase',
        `${kind}.phase before_discharge requires a date on or before discharge ${dischargeDate} (got ${checker.record.contactDate})`,
      );
    }
    if (phase === 'after_discharge' && date <= discharge) {
      checker.inconsistent(
        'phase',
        `${kind}.phase after_discharge requires a date after discharge ${dischargeDate} (got ${checker.record.contactDate})`,
      );
    }
  }
  return finish(checker);
}

/**
 * Validates a follow-up interview: a configured interview visit; completed interviews need a date and take
 * responses to that visit's instruments; not completed ones need a reason and no responses.
 * @throws RecordValidationError listing every problem.
 */
export function validateInterview(config: TrialConfig, input: unknown): FollowUpInterview {
  const kind = 'interview';
  const checker = checkRecord(kind, input);
  checker.text('participantId');
  const interviewVisits = config.visits.filter((visit) => visit.kind === 'interview');
  const visitId = checker.oneOf(
    'visitId',
    interviewVisits.map((visit) => visit.id),
  );
  const status = checker.oneOf('status', ['completed', 'not_completed'] as const);
  checker.text('interviewerId');
  const completed = status === 'completed';
  checker.date('interviewDate', { optional: !completed });
  const reason = checker.oneOf(
    'notCompletedReason',
    ['declined', 'not_contactable', 'withdrawn', 'died', 'other'] as const,
    { optional: status !== 'not_completed' },
  );
  if (completed && reason !== undefined) {
    checker.inconsistent(
      'notCompletedReason',
      `${kind}.notCompletedReason requires status not_completed (got completed)`,
    );
  }
  const visit = interviewVisits.find((candidate) => candidate.id === visitId);
  if (status === 'not_completed') {
    const responses = checker.record.responses;
    const empty =
      responses === undefined ||
      responses === null ||
      (typeof responses === 'object' && Object.keys(responses).length === 0);
    if (!empty) {
      checker.inconsistent('responses', `${kind}.responses requires none when not completed (got responses)`);
    }
  } else if (visit !== undefined) {
    checkResponses(checker, kind, config, visit.instruments);
  }
  return finish(checker);
}

/**
 * Validates a service-use review (the records extraction of a `records` visit).
 * @throws RecordValidationError listing every problem.
 */
export function validateServiceUseReview(config: TrialConfig, input: unknown): ServiceUseReview {
  const checker = checkRecord('service_use_review', input);
  checker.text('participantId');
  checker.oneOf(
    'visitId',
    config.visits.filter((visit) => visit.kind === 'records').map((visit) => visit.id),
  );
  checker.date('reviewDate');
  checker.text('reviewerId');
  checker.boolean('recordsAvailable');
  return finish(checker);
}

/**
 * Validates a service-use event: an admission (dates, discharge not before admission, legal status) or a
 * crisis team / liaison / community team contact (date, whole number of contacts >= 1).
 * @throws RecordValidationError listing every problem.
 */
export function validateServiceUseEvent(input: unknown): ServiceUseEvent {
  const kind = 'service_use';
  const checker = checkRecord(kind, input);
  checker.text('eventId');
  checker.text('participantId');
  const eventKind = checker.oneOf('kind', ['admission', 'crisis_team', 'liaison', 'community_team'] as const);
  if (eventKind === 'admission') {
    const admitted = checker.date('admissionDate');
    const discharged = checker.date('dischargeDate', { optional: true });
    notBefore(checker, kind, 'admissionDate', admitted, 'dischargeDate', discharged);
    checker.oneOf('legalStatus', ['voluntary', 'involuntary'] as const);
  } else if (eventKind !== undefined) {
    checker.date('date');
    checker.number('contacts', { integer: true, minimum: 1 });
  }
  return finish(checker);
}

/**
 * Validates a serious adverse event: category, onset and report dates (report not before onset),
 * reporter, description, at least one seriousness criterion, relatedness, expectedness, outcome; category
 * `death` or outcome `fatal` requires the seriousness criterion `death` (and the reverse).
 * @throws RecordValidationError listing every problem.
 */
export function validateSeriousAdverseEvent(input: unknown): SeriousAdverseEvent {
  const kind = 'sae';
  const checker = checkRecord(kind, input);
  checker.text('saeId');
  checker.text('participantId');
  const category = checker.oneOf('category', SAE_CATEGORY_VALUES);
  const onset = checker.date('onsetDate');
  const reported = checker.date('reportedDate');
  notBefore(checker, kind, 'onsetDate', onset, 'reportedDate', reported);
  checker.text('reportedBy');
  checker.text('description');
  const seriousness = checker.listOf('seriousness', SAE_SERIOUSNESS, { minimum: 1 });
  checker.oneOf('relatedness', SAE_RELATEDNESS);
  checker.oneOf('expectedness', SAE_EXPECTEDNESS);
  const outcome = checker.oneOf('outcome', SAE_OUTCOMES);
  if (seriousness !== undefined) {
    const death = seriousness.includes('death');
    if ((category === 'death' || outcome === 'fatal') && !death) {
      checker.inconsistent(
        'seriousness',
        `${kind}.seriousness requires "death" when the category is death or the outcome fatal (got ${seriousness.join(', ')})`,
      );
    }
    if (death && outcome !== undefined && outcome !== 'fatal') {
      checker.inconsistent(
        'outcome',
        `${kind}.outcome requires fatal when seriousness includes death (got ${outcome})`,
      );
    }
  }
  return finish(checker);
}

/**
 * Validates a study withdrawal (kind `withdrawal`): from the interviews or from everything, and what data
 * may be used. A withdrawal from the intervention only is its own record, {@link validateInterventionWithdrawal}.
 * @throws RecordValidationError listing every problem.
 */
export function validateWithdrawal(input: unknown): WithdrawalRecord {
  const kind = 'withdrawal';
  const checker = checkRecord(kind, input);
  checker.text('participantId');
  checker.date('withdrawalDate');
  checker.oneOf('initiatedBy', ['participant', 'clinician', 'investigator'] as const);
  const scope = checker.oneOf('scope', WITHDRAWAL_SCOPES);
  checker.oneOf('dataUse', WITHDRAWAL_DATA_USE);
  checker.text('reason', { optional: true });
  checker.text('recordedBy');
  if (scope === 'intervention') {
    checker.inconsistent(
      'scope',
      `${kind}.scope requires interviews or all: a withdrawal from the intervention only is an intervention_withdrawal record (got intervention)`,
    );
  }
  return finish(checker);
}

/**
 * Validates a withdrawal from the intervention only (kind `intervention_withdrawal`): scope `intervention`,
 * and all data kept (`collected_and_records`), since the participant stays in follow-up.
 * @throws RecordValidationError listing every problem.
 */
export function validateInterventionWithdrawal(input: unknown): InterventionWithdrawalRecord {
  const kind = 'intervention_withdrawal';
  const checker = checkRecord(kind, input);
  checker.text('participantId');
  checker.date('withdrawalDate');
  checker.oneOf('initiatedBy', ['participant', 'clinician', 'investigator'] as const);
  const scope = checker.oneOf('scope', WITHDRAWAL_SCOPES);
  const dataUse = checker.oneOf('dataUse', WITHDRAWAL_DATA_USE);
  checker.text('reason', { optional: true });
  checker.text('recordedBy');
  if (scope !== undefined && scope !== 'intervention') {
    checker.inconsistent('scope', `${kind}.scope requires intervention (got ${scope})`);
  }
  if (dataUse !== undefined && dataUse !== 'collected_and_records') {
    checker.inconsistent(
      'dataUse',
      `${kind}.dataUse requires collected_and_records when only the intervention is stopped (got ${dataUse})`,
    );
  }
  return finish(checker) as InterventionWithdrawalRecord;
}

/**
 * Validates a death record.
 * @throws RecordValidationError listing every problem.
 */
export function validateDeath(input: unknown): DeathRecord {
  const checker = checkRecord('death', input);
  checker.text('participantId');
  checker.date('dateOfDeath');
  checker.text('recordedBy');
  checker.text('cause', { optional: true });
  return finish(checker);
}

/**
 * Validates an emergency unblinding request: the reason is required.
 * @throws RecordValidationError listing every problem.
 */
export function validateUnblinding(input: unknown): UnblindingRecord {
  const checker = checkRecord('unblinding', input);
  checker.text('participantId');
  checker.text('requestedBy');
  checker.instant('requestedAt');
  checker.text('reason');
  return finish(checker);
}

/** Problems of one record (for collecting across many); empty when valid. */
export function problemsOf(validate: () => unknown): DataProblem[] {
  try {
    validate();
    return [];
  } catch (error) {
    if (error instanceof RecordValidationError) return [...error.problems];
    throw error;
  }
}
