import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { checkPositive, checkProbability } from './check.ts';
import { pnorm, qnorm } from './normal.ts';

/**
 * Student t distribution function, as R's `pt(q, df, lower.tail = lowerTail)`. Infinite `df` gives the
 * normal. The upper tail uses symmetry, so small p-values keep their relative precision.
 * @throws InvalidArgumentError when `degreesOfFreedom` is not positive.
 * @example pt(2.0, 10) // 0.9633062...
 */
export function pt(quantile: number, degreesOfFreedom: number, lowerTail = true): number {
  checkPositive('pt', 'degrees of freedom', degreesOfFreedom);
  if (degreesOfFreedom === Number.POSITIVE_INFINITY) return pnorm(quantile, lowerTail);
  return lowerTail ? tCdf(quantile, degreesOfFreedom) : tCdf(-quantile, degreesOfFreedom);
}

/**
 * Student t quantile function, as R's `qt(p, df)`.
 * @throws InvalidArgumentError for a probability outside [0, 1] or non-positive `degreesOfFreedom`.
 * @example qt(0.975, 10) // 2.228138851986274
 */
export function qt(probability: number, degreesOfFreedom: number, lowerTail = true): number {
  checkProbability('qt', probability);
  checkPositive('qt', 'degrees of freedom', degreesOfFreedom);
  if (degreesOfFreedom === Number.POSITIVE_INFINITY) return qnorm(probability, lowerTail);
  const lower = tQuantile(probability, degreesOfFreedom);
  return lowerTail ? lower : -lower;
}
