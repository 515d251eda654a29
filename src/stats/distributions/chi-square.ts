import gammainc from '@stdlib/math-base-special-gammainc';
import gammaincinv from '@stdlib/math-base-special-gammaincinv';
import { checkPositive, checkProbability } from './check.ts';

/**
 * Chi-square distribution function, as R's `pchisq(q, df, lower.tail = lowerTail)`, through the
 * regularised incomplete gamma function (each tail computed directly, so small p-values are exact).
 * @throws InvalidArgumentError when `degreesOfFreedom` is not positive.
 * @example pchisq(3.841458820694124, 1, false) // 0.05
 */
export function pchisq(quantile: number, degreesOfFreedom: number, lowerTail = true): number {
  checkPositive('pchisq', 'degrees of freedom', degreesOfFreedom);
  if (quantile <= 0) return lowerTail ? 0 : 1;
  if (quantile === Number.POSITIVE_INFINITY) return lowerTail ? 1 : 0;
  return gammainc(quantile / 2, degreesOfFreedom / 2, true, !lowerTail);
}

/**
 * Chi-square quantile function, as R's `qchisq(p, df, lower.tail = lowerTail)`, by inverting the
 * regularised incomplete gamma function of the requested tail (so an upper-tail p of 1e-10 is exact).
 * @example qchisq(0.95, 1) // 3.841458820694124
 */
export function qchisq(probability: number, degreesOfFreedom: number, lowerTail = true): number {
  checkProbability('qchisq', probability);
  checkPositive('qchisq', 'degrees of freedom', degreesOfFreedom);
  return 2 * gammaincinv(probability, degreesOfFreedom / 2, !lowerTail);
}
