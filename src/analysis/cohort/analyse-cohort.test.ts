import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { parseCsv } from '../../table/index.ts';
import { snakeCaseKeys } from '../trial-analysis-fixture.test-support.ts';
import { analyseCohort } from './analyse-cohort.ts';
import { PLACEHOLDER_COHORT_MEASURES } from './cohort-measures.ts';
import { CohortDataError } from './errors.ts';
import {
  formatCohortNormsCsv,
  readCohortNorms,
  readCohortResponses,
  validateCohortNorms,
} from './read-cohort.ts';

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

describe('norms as data: validateCohortNorms and formatCohortNormsCsv', () => {
  const measures = PLACEHOLDER_COHORT_MEASURES;
  it('the CSV written from norms reads back to the same norms', () => {
    const norms = readCohortNorms(read(testCase.norms), measures);
    const odd = [
      ...norms,
      { measure: 'team_working', subscale: null, mean: 0.1 + 0.2, sd: 1 / 3, source: 'A, "quoted" source' },
    ];
    const csv = formatCohortNormsCsv(odd);
    assert.deepEqual(readCohortNorms(parseCsv(new TextEncoder().encode(csv), 'norms.csv'), measures), odd);
    assert.deepEqual(validateCohortNorms(odd, measures), odd);
  });
  it('reports every problem of norms given as data, by index and field', () => {
    assert.throws(
      () =>
        validateCohortNorms(
          [
            { measure: 'happiness', subscale: null, mean: 1, sd: 1, source: 'x' },
            { measure: 'burnout', subscale: 'sleep', mean: 1, sd: 0, source: ' ' },
          ],
          measures,
        ),
      (error: unknown) =>
        error instanceof CohortDataError &&
        error.code === 'cohort_norms_invalid' &&
        error.message ===
          [
            'norms: norms[0].measure: a norm requires a measure of the cohort (wellbeing, burnout, job_satisfaction, team_working) (got "happiness")',
            'norms: norms[1].subscale: a norm requires a subscale of burnout or an empty cell (got "sleep")',
            'norms: norms[1].sd: a norm requires an SD above 0 (got "0")',
            'norms: norms[1].source: a norm requires its source (got a missing cell)',
          ].join('\n'),
    );
  });
});
