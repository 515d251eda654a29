import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError, ModelDataError } from '../errors.ts';
import { oneSampleTTest, pairedTTest, type TTestResult, welchTTest } from './t-test.ts';

interface Case {
  x: (number | null)[];
  y?: (number | null)[];
  mu?: number;
  conf_level?: number;
  statistic: number;
  degrees_of_freedom: number;
  p_value: number;
  ci_lower: number;
  ci_upper: number;
}
const cases = readFixture<{ cases: Record<string, Case> }>('t-tests.json').cases;
const numbers = (values: (number | null)[] | undefined) => (values ?? []).map((value) => value ?? Number.NaN);

function check(result: TTestResult, expected: Case): void {
  // 1e-10: closed forms; pt/qt agree with R to 1e-12.
  for (const [actual, reference, name] of [
    [result.statistic, expected.statistic, 'statistic'],
    [result.degreesOfFreedom, expected.degrees_of_freedom, 'df'],
    [result.pValue, expected.p_value, 'p'],
    [result.ciLower, expected.ci_lower, 'ci_lower'],
    [result.ciUpper, expected.ci_upper, 'ci_upper'],
  ] as const) {
    assertClose(actual, reference, { relative: 1e-10 }, name);
  }
}

describe('t-tests against reference/cohort.R (stats::t.test)', () => {
  it('one-sample, with mu and a 90% level; NA dropped', () => {
    const one = cases.one_sample as Case;
    check(oneSampleTTest(numbers(one.x), { mu: one.mu as number }), one);
    const ninety = cases.one_sample_90 as Case;
    check(oneSampleTTest(numbers(ninety.x), { confidenceLevel: 0.9 }), ninety);
  });
  it('paired (complete pairs) and Welch', () => {
    const paired = cases.paired as Case;
    check(pairedTTest(numbers(paired.x), numbers(paired.y)), paired);
    const welch = cases.welch as Case;
    check(welchTTest(numbers(welch.x), numbers(welch.y)), welch);
  });
  it('refuses too few observations, constant data, unequal lengths and bad options', () => {
    const fails = (run: () => unknown, type: new (...args: never[]) => Error, message: string) =>
      assert.throws(run, (error: unknown) => error instanceof type && error.message === message);
    fails(() => oneSampleTTest([1]), ModelDataError, 't.test requires at least 2 observations (got 1)');
    fails(
      () => oneSampleTTest([2, 2, 2]),
      ModelDataError,
      't.test requires data that are not constant (got every value 2)',
    );
    fails(
      () => pairedTTest([1, 2], [1]),
      ModelDataError,
      'paired t.test requires x and y of equal length (got 2 and 1)',
    );
    fails(
      () => pairedTTest([1, Number.NaN], [1, 2]),
      ModelDataError,
      'paired t.test requires at least 2 complete pairs (got 1)',
    );
    fails(
      () => welchTTest([1, 2], [3]),
      ModelDataError,
      'Welch t.test requires at least 2 observations per group (got 2 and 1)',
    );
    fails(
      () => welchTTest([1, 1], [3, 3]),
      ModelDataError,
      'Welch t.test requires data that are not constant (got every value constant)',
    );
    fails(
      () => oneSampleTTest([1, 2], { mu: Number.NaN }),
      InvalidArgumentError,
      't.test requires a finite mu (got NaN)',
    );
    fails(
      () => oneSampleTTest([1, 2], { confidenceLevel: 1 }),
      InvalidArgumentError,
      't.test requires a confidence level in (0, 1) (got 1)',
    );
  });
});
