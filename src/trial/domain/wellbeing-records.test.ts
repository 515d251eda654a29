import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordValidationError } from '../errors.ts';
import {
  validateWellbeingCollection,
  validateWellbeingNorms,
  validateWellbeingPseudonymKey,
} from './wellbeing-records.ts';

describe('wellbeing trial records', () => {
  it('accepts norms and a key of the documented shape', () => {
    const norms = {
      normsId: 'trial',
      norms: [
        { measure: 'wellbeing', subscale: null, mean: 51, sd: 7, source: 'Survey' },
        { measure: 'burnout', subscale: 'exhaustion', mean: 2.5, sd: 1.2, source: 'Survey' },
      ],
    };
    assert.deepEqual(validateWellbeingNorms(norms), norms);
    const key = { keyId: 'trial', key: 'A'.repeat(43) };
    assert.deepEqual(validateWellbeingPseudonymKey(key), key);
  });

  it('reports every problem of a norms record at once', () => {
    assert.throws(
      () =>
        validateWellbeingNorms({
          normsId: 'other',
          norms: [
            { measure: 'wellbeing', subscale: '', mean: 'x', sd: 0, source: 'S' },
            { measure: 'wellbeing', subscale: null, mean: 1, sd: 1 },
            { measure: 'wellbeing', subscale: null, mean: 1, sd: 1, source: 'S' },
          ],
        }),
      (error: unknown) =>
        error instanceof RecordValidationError &&
        error.problems.map((problem) => problem.path).join(' ') ===
          'wellbeing_norms.normsId wellbeing_norms.norms[0].subscale wellbeing_norms.norms[0].mean wellbeing_norms.norms[0].sd wellbeing_norms.norms[1].source wellbeing_norms.norms[1].measure wellbeing_norms.norms[2].measure',
    );
    assert.throws(
      () => validateWellbeingNorms({ normsId: 'trial', norms: 'none' }),
      /wellbeing_norms.norms requires a list of norms \(got string\)/,
    );
  });

  it('refuses a short key without echoing it', () => {
    assert.throws(
      () => validateWellbeingPseudonymKey({ keyId: 'trial', key: 'short-secret' }),
      (error: unknown) =>
        error instanceof RecordValidationError &&
        error.message ===
          'wellbeing_pseudonym_key.key: wellbeing_pseudonym_key.key requires at least 32 bytes in base64url (got other text)',
    );
  });

  it('accepts closed collections of the documented shape; refuses a timepoint twice or out of range', () => {
    const collection = {
      collectionId: 'trial',
      closed: [
        { timepoint: 1, closedAt: '2026-01-05T10:00:00.000Z' },
        { timepoint: 2, closedAt: '2026-05-05T10:00:00.000Z' },
      ],
    };
    assert.deepEqual(validateWellbeingCollection(collection), collection);
    assert.throws(
      () =>
        validateWellbeingCollection({
          collectionId: 'other',
          closed: [
            { timepoint: 1, closedAt: '2026-01-05T10:00:00.000Z' },
            { timepoint: 1, closedAt: '2026-01-06T10:00:00.000Z' },
            { timepoint: 4, closedAt: '2026-01-06T10:00:00.000Z' },
            { timepoint: 3 },
          ],
        }),
      (error: unknown) =>
        error instanceof RecordValidationError &&
        error.problems.map((problem) => problem.path).join(' ') ===
          'wellbeing_collection.collectionId wellbeing_collection.closed[1].timepoint wellbeing_collection.closed[2].timepoint wellbeing_collection.closed[3].closedAt',
    );
  });
});
