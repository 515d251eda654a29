/**
 * Trial-level records of the peer worker wellbeing cohort (issue 9): the population norms the cohort is
 * compared with, the closed questionnaire collections, and the secret key that turns worker ids into pseudonyms in the wellbeing export. The store
 * checks their shape here; the server checks measure and subscale ids against the cohort measures.
 */

import { RecordValidationError } from '../errors.ts';
import { checkRecord } from './field-checks.ts';

/** The one key of a trial-level wellbeing record (one norms record and one pseudonym key per trial). */
export const WELLBEING_TRIAL_RECORD_ID = 'trial';

/** A population norm of one score: a measure's total (`subscale` null) or one subscale. */
export interface WellbeingNorm {
  readonly measure: string;
  readonly subscale: string | null;
  readonly mean: number;
  /** Above 0. */
  readonly sd: number;
  /** Where the norm comes from (publication, population). */
  readonly source: string;
}

/** The trial's norms (key `normsId` = `trial`): what `enrich cohort --norms` reads, as data of the trial. */
export interface WellbeingNormsRecord {
  readonly normsId: typeof WELLBEING_TRIAL_RECORD_ID;
  readonly norms: readonly WellbeingNorm[];
}

/**
 * The trial's pseudonym key (key `keyId` = `trial`): 32 random bytes, base64url, the HMAC-SHA256 key of the
 * wellbeing export's worker pseudonyms. Secret: its values are blanked in the audit trail for every viewer.
 */
export interface WellbeingPseudonymKeyRecord {
  readonly keyId: typeof WELLBEING_TRIAL_RECORD_ID;
  readonly key: string;
}

/** A timepoint whose questionnaire collection the trial manager closed, and when. */
export interface WellbeingClosedTimepoint {
  readonly timepoint: 1 | 2 | 3;
  readonly closedAt: string;
}

/**
 * The trial's closed questionnaire collections (key `collectionId` = `trial`). Closing is final: a closed
 * timepoint takes no new questionnaire and no change, and only then are its aggregates published (publishing
 * while answers arrive would let a reader difference the summary before and after one person's answers).
 */
export interface WellbeingCollectionRecord {
  readonly collectionId: typeof WELLBEING_TRIAL_RECORD_ID;
  readonly closed: readonly WellbeingClosedTimepoint[];
}

/**
 * Validates the closed collections: key `trial`, each entry a timepoint 1–3 (at most once) with the time it
 * was closed.
 * @throws RecordValidationError listing every problem.
 * @example validateWellbeingCollection({ collectionId: 'trial', closed: [{ timepoint: 1, closedAt: '2026-01-05T10:00:00.000Z' }] });
 */
export function validateWellbeingCollection(input: unknown): WellbeingCollectionRecord {
  const checker = checkRecord('wellbeing_collection', input);
  const collectionId = checker.text('collectionId');
  if (collectionId !== undefined && collectionId !== WELLBEING_TRIAL_RECORD_ID) {
    checker.inconsistent(
      'collectionId',
      `wellbeing_collection.collectionId requires "${WELLBEING_TRIAL_RECORD_ID}" (got ${JSON.stringify(collectionId)})`,
    );
  }
  const closed = checker.record.closed;
  if (!Array.isArray(closed)) {
    checker.invalid('closed', `wellbeing_collection.closed requires a list (got ${typeof closed})`);
  } else {
    const seen = new Set<unknown>();
    closed.forEach((entry: unknown, index) => {
      const item = checkRecord(`wellbeing_collection.closed[${index}]`, entry, checker.problems);
      const timepoint = item.record.timepoint;
      if (timepoint !== 1 && timepoint !== 2 && timepoint !== 3) {
        item.invalid(
          'timepoint',
          `wellbeing_collection.closed[${index}].timepoint requires 1, 2 or 3 (got ${JSON.stringify(timepoint)})`,
        );
      } else if (seen.has(timepoint)) {
        item.inconsistent(
          'timepoint',
          `wellbeing_collection.closed requires each timepoint at most once (got T${timepoint} twice)`,
        );
      }
      seen.add(timepoint);
      item.text('closedAt');
    });
  }
  if (checker.problems.length > 0) throw new RecordValidationError(checker.problems);
  return checker.record as unknown as WellbeingCollectionRecord;
}

/**
 * Validates the trial's wellbeing norms: key `trial`, and for each norm a measure, a subscale (text or null),
 * a finite mean, an SD above 0, a source, at most one norm per score.
 * @throws RecordValidationError listing every problem.
 * @example
 * validateWellbeingNorms({ normsId: 'trial', norms: [{ measure: 'wellbeing', subscale: null, mean: 51, sd: 7, source: 'Survey' }] });
 */
export function validateWellbeingNorms(input: unknown): WellbeingNormsRecord {
  const checker = checkRecord('wellbeing_norms', input);
  const normsId = checker.text('normsId');
  if (normsId !== undefined && normsId !== WELLBEING_TRIAL_RECORD_ID) {
    checker.inconsistent(
      'normsId',
      `wellbeing_norms.normsId requires "${WELLBEING_TRIAL_RECORD_ID}" (got ${JSON.stringify(normsId)})`,
    );
  }
  const norms = checker.record.norms;
  if (!Array.isArray(norms)) {
    checker.invalid('norms', `wellbeing_norms.norms requires a list of norms (got ${typeof norms})`);
  } else {
    const seen = new Set<string>();
    norms.forEach((norm: unknown, index) => {
      const item = checkRecord(`wellbeing_norms.norms[${index}]`, norm, checker.problems);
      const measure = item.text('measure');
      const subscale = item.record.subscale;
      if (subscale !== null && (typeof subscale !== 'string' || subscale.trim() === '')) {
        item.invalid(
          'subscale',
          `wellbeing_norms.norms[${index}].subscale requires non-empty text or null (got ${JSON.stringify(subscale)})`,
        );
      }
      item.number('mean');
      item.number('sd', { exclusiveMinimum: 0 });
      item.text('source');
      const key = `${measure}.${typeof subscale === 'string' ? subscale : ''}`;
      if (measure !== undefined && seen.has(key)) {
        item.inconsistent(
          'measure',
          `wellbeing_norms.norms requires at most one norm per score (got a second for ${typeof subscale === 'string' ? `${measure}.${subscale}` : measure})`,
        );
      }
      seen.add(key);
    });
  }
  if (checker.problems.length > 0) throw new RecordValidationError(checker.problems);
  return checker.record as unknown as WellbeingNormsRecord;
}

/**
 * Validates the pseudonym key record: key `trial` and a base64url key of at least 32 bytes.
 * @throws RecordValidationError listing every problem.
 * @example validateWellbeingPseudonymKey({ keyId: 'trial', key: 'A'.repeat(43) });
 */
export function validateWellbeingPseudonymKey(input: unknown): WellbeingPseudonymKeyRecord {
  const checker = checkRecord('wellbeing_pseudonym_key', input);
  const keyId = checker.text('keyId');
  if (keyId !== undefined && keyId !== WELLBEING_TRIAL_RECORD_ID) {
    checker.inconsistent(
      'keyId',
      `wellbeing_pseudonym_key.keyId requires "${WELLBEING_TRIAL_RECORD_ID}" (got ${JSON.stringify(keyId)})`,
    );
  }
  const key = checker.text('key');
  if (key !== undefined && !/^[A-Za-z0-9_-]{43,}$/.test(key)) {
    // The key itself is never echoed.
    checker.invalid(
      'key',
      'wellbeing_pseudonym_key.key requires at least 32 bytes in base64url (got other text)',
    );
  }
  if (checker.problems.length > 0) throw new RecordValidationError(checker.problems);
  return checker.record as unknown as WellbeingPseudonymKeyRecord;
}
