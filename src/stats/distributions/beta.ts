import betainc from '@stdlib/math-base-special-betainc';
import betaincinv from '@stdlib/math-base-special-betaincinv';
import { checkPositive, checkProbability } from './check.ts';

/**
 * Beta distribution function, as R's `pbeta(q, shape1, shape2, lower.tail = lowerTail)`.
 * @example pbeta(0.3, 2, 5) // 0.579825
 */
export function pbeta(quantile: number, shape1: number, shape2: number, lowerTail = true): number {
  checkPositive('pbeta', 'shape1', shape1);
  checkPositive('pbeta', 'shape2', shape2);
  if (quantile <= 0) return lowerTail ? 0 : 1;
  if (quantile >= 1) return lowerTail ? 1 : 0;
  return betainc(quantile, shape1, shape2, true, !lowerTail);
}

/**
 * Beta quantile function, as R's `qbeta(p, shape1, shape2, lower.tail = lowerTail)`, inverting the
 * incomplete beta function of the requested tail.
 * @example qbeta(0.5, 2, 5) // 0.26444998329566...
 */
export function qbeta(probability: number, shape1: number, shape2: number, lowerTail = true): number {
  checkProbability('qbeta', probability);
  checkPositive('qbeta', 'shape1', shape1);
  checkPositive('qbeta', 'shape2', shape2);
  return betaincinv(probability, shape1, shape2, !lowerTail);
}
