import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { parseCsv } from '../../table/index.ts';
import { snakeCaseKeys } from '../trial-analysis-fixture.test-support.ts';
import { analyseCohort } from './analyse-cohort.ts';
import { PLACEHOLDER_COHORT_MEASURES } from './cohort-measures.ts';
import { readCohortNorms, readCohortResponses } from './read-cohort.ts';

interface CohortCase {
  name: string;
  data: string;
  norms: string;
  participants: number[];
  scores: Record<string, unknown>[];
}

const testCase = (readFixture('cohort.json') as { cases: CohortCase[] }).cases[0] as CohortCase;

function read(path: string) {
  return parseCsv(readFileSync(fixturePath(path)), path);
}

function stripForR(value: unknown): unknown {
  // enrich's result also carries the label and `suppressed` (null here: no group under 5); R writes neither.
  if (Array.isArray(value)) return value.map(stripForR);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'label' && key !== 'suppressed')
        .map(([key, item]) => [key, stripForR(item)]),
    );
  }
  return value;
}

describe('analyseCohort against reference/cohort.R', () => {
  const measures = PLACEHOLDER_COHORT_MEASURES;
  const result = analyseCohort(
    readCohortResponses(read(testCase.data), measures),
    readCohortNorms(read(testCase.norms), measures),
    measures,
  );
  it('per-timepoint descriptives, paired change with d_z, one-sample test against norms', () => {
    // 1e-10: sums, means and t distribution functions (pt/qt agree with R to 1e-12); only summation order differs.
    assertDeepClose(stripForR(snakeCaseKeys(result.scores)), testCase.scores, {
      relative: 1e-10,
      absolute: 1e-13,
    });
    assert.deepEqual(
      result.participants.map((entry) => entry.n),
      testCase.participants,
    );
    assert.ok(result.scores.every((score) => score.timepoints.every((entry) => entry.suppressed === null)));
  });
  it('refuses a minimum group size below 5', () => {
    assert.throws(
      () => analyseCohort({ source: 'x', rows: [] }, [], measures, { minimumGroupSize: 4 }),
      (error: unknown) =>
        error instanceof RangeError &&
        error.message === 'analyseCohort requires a minimum group size of at least 5 (got 4)',
    );
  });
});
