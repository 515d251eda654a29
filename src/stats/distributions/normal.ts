import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
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
 * Standard normal quantile function, as R's `qnorm(p)`.
 * @throws InvalidArgumentError when `probability` is outside [0, 1].
 * @example qnorm(0.975) // 1.959963984540054
 */
export function qnorm(probability: number, lowerTail = true): number {
  checkProbability('qnorm', probability);
  return lowerTail ? normalQuantile(probability, 0, 1) : -normalQuantile(probability, 0, 1);
}
