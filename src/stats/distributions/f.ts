import betainc from '@stdlib/math-base-special-betainc';
import fQuantile from '@stdlib/stats-base-dists-f-quantile';
import { checkPositive, checkProbability } from './check.ts';

/**
 * F distribution function, as R's `pf(q, df1, df2, lower.tail = lowerTail)`, through the regularised
 * incomplete beta function with each tail computed directly.
 * @example pf(4.964602743730711, 1, 10, false) // 0.05
 */
export function pf(quantile: number, df1: number, df2: number, lowerTail = true): number {
  checkPositive('pf', 'df1', df1);
  checkPositive('pf', 'df2', df2);
  if (quantile <= 0) return lowerTail ? 0 : 1;
  if (quantile === Number.POSITIVE_INFINITY) return lowerTail ? 1 : 0;
  // P(F <= q) = I_{x}(df1/2, df2/2) with x = df1 q / (df1 q + df2); the upper tail is its complement,
  // computed as I_{1-x}(df2/2, df1/2) to keep precision when it is small.
  const complement = df2 / (df2 + df1 * quantile);
  return lowerTail ? betainc(complement, df2 / 2, df1 / 2, true, true) : betainc(complement, df2 / 2, df1 / 2);
}

/**
 * F quantile function, as R's `qf(p, df1, df2)`.
 * @example qf(0.95, 1, 10) // 4.964602743730711
 */
export function qf(probability: number, df1: number, df2: number, lowerTail = true): number {
  checkProbability('qf', probability);
  checkPositive('qf', 'df1', df1);
  checkPositive('qf', 'df2', df2);
  return fQuantile(lowerTail ? probability : 1 - probability, df1, df2);
}
