/**
 * Records captured in the app beside the trial: fidelity ratings of interviews (issue 9) and peer worker
 * wellbeing questionnaires. The store checks their shape here; the server checks item ids and ranges against
 * the fidelity index and the cohort measures (which live above this layer).
 */

import { RecordValidationError } from '../errors.ts';
import { checkRecord, type FieldChecker } from './field-checks.ts';

/** Informants whose interviews are rated (as in src/trial/fidelity). */
export const CAPTURE_FIDELITY_INFORMANTS = ['peer_worker', 'supervisor', 'person_supported'] as const;

/**
 * One rater's scores of one interview, or the interview's consensus scores. Key `ratingId` =
 * `<interviewId>/<raterId>` (independent) or `<interviewId>/consensus`.
 */
export interface FidelityRatingRecord {
  readonly ratingId: string;
  readonly interviewId: string;
  readonly site: string;
  readonly employerType: 'nhs' | 'voluntary';
  readonly timepoint: 1 | 2 | 3;
  readonly informant: (typeof CAPTURE_FIDELITY_INFORMANTS)[number];
  /** The user who entered the scores. */
  readonly raterId: string;
  readonly consensus: boolean;
  /** Item id -> whole-number score. */
  readonly scores: Readonly<Record<string, number>>;
  /** A draft can still change; once submitted, the rater may see the other rater's scores. */
  readonly submitted: boolean;
}

/**
 * One peer worker's answers at one timepoint. Key `responseId` = `<workerId>/<timepoint>`. Confidential:
 * never returned to anyone but the worker, and its values are blanked in the audit trail for every viewer.
 */
export interface WellbeingResponseRecord {
  readonly responseId: string;
  readonly workerId: string;
  readonly timepoint: 1 | 2 | 3;
  /** Item id -> whole-number answer, or null for unanswered. */
  readonly answers: Readonly<Record<string, number | null>>;
  readonly submitted: boolean;
}

function integerMap(checker: FieldChecker, kind: string, field: string, allowNull: boolean): void {
  const value = (checker.record as Record<string, unknown>)[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    checker.invalid(
      field,
      `${kind}.${field} requires an object of item id -> whole number (got ${typeof value})`,
    );
    return;
  }
  for (const [item, score] of Object.entries(value)) {
    if (allowNull && score === null) continue;
    if (typeof score !== 'number' || !Number.isInteger(score)) {
      checker.invalid(
        field,
        `${kind}.${field}.${item} requires a whole number (got ${JSON.stringify(score)})`,
      );
    }
  }
}

function finish<T>(checker: FieldChecker): T {
  if (checker.problems.length > 0) throw new RecordValidationError(checker.problems);
  return checker.record as unknown as T;
}

/**
 * Validates a fidelity rating's shape (ids, timepoint 1–3, informant, employer type, integer scores, key).
 * @throws RecordValidationError listing every problem.
 * @example
 * validateFidelityRating({ ratingId: 'i1/u1', interviewId: 'i1', site: 's', employerType: 'nhs', timepoint: 1,
 *   informant: 'peer_worker', raterId: 'u1', consensus: false, scores: { d1: 4 }, submitted: false });
 */
export function validateFidelityRating(input: unknown): FidelityRatingRecord {
  const checker = checkRecord('fidelity_rating', input);
  const ratingId = checker.text('ratingId');
  const interviewId = checker.text('interviewId');
  checker.text('site');
  checker.oneOf('employerType', ['nhs', 'voluntary']);
  checker.number('timepoint', { integer: true, minimum: 1, maximum: 3 });
  checker.oneOf('informant', CAPTURE_FIDELITY_INFORMANTS);
  const raterId = checker.text('raterId');
  const consensus = checker.boolean('consensus');
  checker.boolean('submitted');
  integerMap(checker, 'fidelity_rating', 'scores', false);
  if (
    ratingId !== undefined &&
    interviewId !== undefined &&
    raterId !== undefined &&
    consensus !== undefined
  ) {
    const expected = `${interviewId}/${consensus ? 'consensus' : raterId}`;
    if (ratingId !== expected) {
      checker.inconsistent('ratingId', `fidelity_rating.ratingId requires "${expected}" (got "${ratingId}")`);
    }
  }
  return finish(checker);
}

/**
 * Validates a wellbeing response's shape (worker, timepoint 1–3, integer-or-null answers, key).
 * @throws RecordValidationError listing every problem.
 * @example
 * validateWellbeingResponse({ responseId: 'u1/1', workerId: 'u1', timepoint: 1, answers: { wb1: 4 }, submitted: true });
 */
export function validateWellbeingResponse(input: unknown): WellbeingResponseRecord {
  const checker = checkRecord('wellbeing', input);
  const responseId = checker.text('responseId');
  const workerId = checker.text('workerId');
  const timepoint = checker.number('timepoint', { integer: true, minimum: 1, maximum: 3 });
  checker.boolean('submitted');
  integerMap(checker, 'wellbeing', 'answers', true);
  if (responseId !== undefined && workerId !== undefined && timepoint !== undefined) {
    const expected = `${workerId}/${timepoint}`;
    if (responseId !== expected) {
      checker.inconsistent('responseId', `wellbeing.responseId requires "${expected}" (got "${responseId}")`);
    }
  }
  return finish(checker);
}
