import gammainc from '@stdlib/math-base-special-gammainc';
import gammaincinv from '@stdlib/math-base-special-gammaincinv';
import { checkPositive, checkProbability } from './check.ts';

/**
 * Gamma distribution function with shape and rate, as R's `pgamma(q, shape, rate, lower.tail = lowerTail)`.
 * @example pgamma(2, 3, 1) // 0.3233235838169366
 */
export function pgamma(quantile: number, shape: number, rate = 1, lowerTail = true): number {
  checkPositive('pgamma', 'shape', shape);
  checkPositive('pgamma', 'rate', rate);
  if (quantile <= 0) return lowerTail ? 0 : 1;
  if (quantile === Number.POSITIVE_INFINITY) return lowerTail ? 1 : 0;
  return gammainc(quantile * rate, shape, true, !lowerTail);
}

/**
 * Gamma quantile function with shape and rate, as R's `qgamma(p, shape, rate, lower.tail = lowerTail)`,
 * inverting the incomplete gamma function of the requested tail.
 * @example qgamma(0.5, 3, 1) // 2.674060313723561
 */
export function qgamma(probability: number, shape: number, rate = 1, lowerTail = true): number {
  checkProbability('qgamma', probability);
  checkPositive('qgamma', 'shape', shape);
  checkPositive('qgamma', 'rate', rate);
  return gammaincinv(probability, shape, !lowerTail) / rate;
}
