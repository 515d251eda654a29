import { pt, qt } from '../distributions/index.ts';
import { InvalidArgumentError, ModelDataError } from '../errors.ts';

/** Result of a t-test, named as `stats::t.test` returns it (`htest`). */
export interface TTestResult {
  /** One-sample and paired: the mean (of the differences); Welch: the difference of the two means, x − y. */
  readonly estimate: number;
  /** Welch only: the two group means (x, y); otherwise one mean. */
  readonly means: readonly number[];
  /** Observations used (per group for Welch, pairs for paired), after dropping missing values. */
  readonly n: readonly number[];
  readonly se: number;
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly nullValue: number;
  readonly confidenceLevel: number;
}

/** Options of the t-tests. */
export interface TTestOptions {
  /** The hypothesised mean (difference); R's `mu`. Default 0. */
  readonly mu?: number;
  /** R's `conf.level`. Default 0.95. */
  readonly confidenceLevel?: number;
}

function finiteValues(values: ArrayLike<number>): number[] {
  return Array.from(values).filter((value) => Number.isFinite(value));
}

function meanVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

function checkOptions(options: TTestOptions): { mu: number; confidenceLevel: number } {
  const mu = options.mu ?? 0;
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!Number.isFinite(mu)) throw new InvalidArgumentError(`t.test requires a finite mu (got ${mu})`);
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new InvalidArgumentError(`t.test requires a confidence level in (0, 1) (got ${confidenceLevel})`);
  }
  return { mu, confidenceLevel };
}

function twoSided(
  estimate: number,
  se: number,
  degreesOfFreedom: number,
  mu: number,
  confidenceLevel: number,
): Pick<TTestResult, 'statistic' | 'pValue' | 'ciLower' | 'ciUpper'> {
  const statistic = (estimate - mu) / se;
  const pValue = 2 * pt(-Math.abs(statistic), degreesOfFreedom);
  const half = qt(1 - (1 - confidenceLevel) / 2, degreesOfFreedom) * se;
  return { statistic, pValue, ciLower: estimate - half, ciUpper: estimate + half };
}

/**
 * One-sample two-sided t-test of the mean against `mu`, as `stats::t.test(x, mu = mu)`; missing (NaN) values
 * are dropped as R's default `na.action` does. O(n).
 * @throws ModelDataError with fewer than 2 observations or constant data (R: "not enough 'x' observations",
 * "data are essentially constant"); InvalidArgumentError for a non-finite mu or a level outside (0, 1).
 * @example oneSampleTTest([1, 2, 3, 4], { mu: 1 }).statistic // 2.3237900077244502
 */
export function oneSampleTTest(x: ArrayLike<number>, options: TTestOptions = {}): TTestResult {
  const { mu, confidenceLevel } = checkOptions(options);
  const values = finiteValues(x);
  if (values.length < 2) {
    throw new ModelDataError(`t.test requires at least 2 observations (got ${values.length})`);
  }
  const { mean, variance } = meanVariance(values);
  const se = Math.sqrt(variance / values.length);
  // R's test: stderr < 10 * .Machine$double.eps * abs(mx).
  if (se < 10 * Number.EPSILON * Math.abs(mean) || se === 0) {
    throw new ModelDataError(`t.test requires data that are not constant (got every value ${mean})`);
  }
  return {
    estimate: mean,
    means: [mean],
    n: [values.length],
    se,
    degreesOfFreedom: values.length - 1,
    ...twoSided(mean, se, values.length - 1, mu, confidenceLevel),
    nullValue: mu,
    confidenceLevel,
  };
}

/**
 * Paired two-sided t-test, as `stats::t.test(x, y, paired = TRUE)`: a one-sample test of `x − y` over the
 * pairs where both are present. O(n).
 * @throws ModelDataError for vectors of unequal length, fewer than 2 complete pairs or constant differences;
 * InvalidArgumentError as {@link oneSampleTTest}.
 * @example pairedTTest([2, 4, 5, 7], [1, 2, 4, 4]).estimate // 1.75
 */
export function pairedTTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestOptions = {},
): TTestResult {
  if (x.length !== y.length) {
    throw new ModelDataError(
      `paired t.test requires x and y of equal length (got ${x.length} and ${y.length})`,
    );
  }
  const differences: number[] = [];
  for (let index = 0; index < x.length; index++) {
    const difference = (x[index] as number) - (y[index] as number);
    if (Number.isFinite(difference)) differences.push(difference);
  }
  if (differences.length < 2) {
    throw new ModelDataError(`paired t.test requires at least 2 complete pairs (got ${differences.length})`);
  }
  return oneSampleTTest(differences, options);
}

/**
 * Welch's two-sample two-sided t-test (unequal variances), as `stats::t.test(x, y)` (`var.equal = FALSE`):
 * estimate mean(x) − mean(y), SE sqrt(vx/nx + vy/ny), Welch–Satterthwaite degrees of freedom. O(n).
 * @throws ModelDataError with fewer than 2 observations in a group or both groups constant; InvalidArgumentError
 * as {@link oneSampleTTest}.
 * @example welchTTest([1, 2, 3, 4], [2, 4, 6, 9]).degreesOfFreedom // 4.0836357498523084
 */
export function welchTTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestOptions = {},
): TTestResult {
  const { mu, confidenceLevel } = checkOptions(options);
  const first = finiteValues(x);
  const second = finiteValues(y);
  if (first.length < 2 || second.length < 2) {
    throw new ModelDataError(
      `Welch t.test requires at least 2 observations per group (got ${first.length} and ${second.length})`,
    );
  }
  const a = meanVariance(first);
  const b = meanVariance(second);
  const varianceA = a.variance / first.length;
  const varianceB = b.variance / second.length;
  const se = Math.sqrt(varianceA + varianceB);
  const estimate = a.mean - b.mean;
  if (se < 10 * Number.EPSILON * Math.max(Math.abs(a.mean), Math.abs(b.mean)) || se === 0) {
    throw new ModelDataError(`Welch t.test requires data that are not constant (got every value constant)`);
  }
  const degreesOfFreedom =
    (varianceA + varianceB) ** 2 /
    (varianceA ** 2 / (first.length - 1) + varianceB ** 2 / (second.length - 1));
  return {
    estimate,
    means: [a.mean, b.mean],
    n: [first.length, second.length],
    se,
    degreesOfFreedom,
    ...twoSided(estimate, se, degreesOfFreedom, mu, confidenceLevel),
    nullValue: mu,
    confidenceLevel,
  };
}
