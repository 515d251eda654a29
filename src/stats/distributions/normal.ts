import erfcinv from '@stdlib/math-base-special-erfcinv';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { checkProbability } from './check.ts';

/**
 * Standard normal distribution function, as R's `pnorm(q, lower.tail = lowerTail)`.
 * The upper tail is computed by symmetry, so it keeps full relative precision far into the tail.
 * @example pnorm(1.959963984540054) // 0.975
 */
export function pnorm(quantile: number, lowerTail = true): number {
  return lowerTail ? normalCdf(quantile, 0, 1) : normalCdf(-quantile, 0, 1);
}

/**
 * Standard normal quantile function, as R's `qnorm(p, lower.tail = lowerTail)`. Computed through the
 * inverse complementary error function, -sqrt(2)·erfcinv(2p), which keeps full relative precision for p
 * down to 1e-300 (the `erfinv(2p - 1)` form loses it below p = 1e-8).
 * @throws InvalidArgumentError when `probability` is outside [0, 1].
 * @example qnorm(0.975) // 1.959963984540054
 */
export function qnorm(probability: number, lowerTail = true): number {
  checkProbability('qnorm', probability);
  const quantile = -Math.SQRT2 * erfcinv(2 * probability);
  return lowerTail ? quantile : -quantile;
}
