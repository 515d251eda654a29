import betainc from '@stdlib/math-base-special-betainc';
import { qbeta } from './beta.ts';
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
  // P(F <= q) = I_x(df1/2, df2/2) with x = df1·q / (df1·q + df2). As R's pf, use whichever of x and
  // 1 - x can be formed without cancellation: 1 - x = df2 / (df2 + df1·q) when df1·q > df2.
  if (df1 * quantile > df2) {
    return betainc(df2 / (df2 + df1 * quantile), df2 / 2, df1 / 2, true, lowerTail);
  }
  return betainc((df1 * quantile) / (df2 + df1 * quantile), df1 / 2, df2 / 2, true, !lowerTail);
}

/**
 * F quantile function, as R's `qf(p, df1, df2, lower.tail = lowerTail)`. R computes
 * `(1 / qbeta(p, df2/2, df1/2, !lower.tail) - 1) · df2/df1`, which cancels when that beta quantile is
 * close to 1 (tiny lower-tail p). The same identity is used here, so results agree with R, except where
 * that quantile is within 1e-9 of 1 and R's result keeps fewer than about 7 correct digits: there the
 * equivalent `x / (1 - x) · df2/df1` with `x = qbeta(p, df1/2, df2/2, lower.tail)` is used, which keeps
 * full precision.
 * @example qf(0.95, 1, 10) // 4.964602743730711
 */
export function qf(probability: number, df1: number, df2: number, lowerTail = true): number {
  checkProbability('qf', probability);
  checkPositive('qf', 'df1', df1);
  checkPositive('qf', 'df2', df2);
  const complement = qbeta(probability, df2 / 2, df1 / 2, !lowerTail);
  if (complement > 1 - 1e-9) {
    const x = qbeta(probability, df1 / 2, df2 / 2, lowerTail);
    return (x / (1 - x)) * (df2 / df1);
  }
  return (1 / complement - 1) * (df2 / df1);
}
