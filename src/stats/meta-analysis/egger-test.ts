import { rma } from './rma.ts';
import type { MetaMethod, MetaTest } from './types.ts';

/** Egger's regression test for funnel-plot asymmetry, as metafor::regtest. */
export interface EggerTest {
  /** z (or t under Knapp-Hartung) for the standard-error coefficient. */
  readonly statistic: number;
  /** t df under Knapp-Hartung; null for the z test. */
  readonly df: number | null;
  readonly pValue: number;
  /** The intercept: the estimated effect of a study with SE 0 ("limit estimate"), with its CI. */
  readonly limitEstimate: number;
  readonly limitCiLower: number;
  readonly limitCiUpper: number;
}

/**
 * Egger's regression test as `regtest(fit)` with its defaults (`model = "rma"`, `predictor = "sei"`):
 * the meta-regression `rma(yi, vi, mods = ~ sqrt(vi), method, test)` with the same tau² method and
 * test as the main model; the test is on the sqrt(vi) coefficient and the intercept is the limit
 * estimate. O(k²) per iteration.
 *
 * @throws ModelDataError when there are too few studies for the model (fewer than 3 for random effects).
 * @example
 * eggerTest([0.1, 0.4, 0.2, 0.8], [0.01, 0.05, 0.02, 0.09], 'REML').pValue;
 */
export function eggerTest(
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  method: MetaMethod,
  test: MetaTest = 'z',
): EggerTest {
  const standardErrors = Float64Array.from(vi, (variance) => Math.sqrt(variance));
  const fit = rma({ yi, vi, method, test, moderators: [{ name: 'sei', values: standardErrors }] });
  const intercept = fit.coefficients[0] as (typeof fit.coefficients)[number];
  const slope = fit.coefficients[1] as (typeof fit.coefficients)[number];
  return {
    statistic: slope.statistic,
    df: fit.degreesOfFreedom ?? null,
    pValue: slope.pValue,
    limitEstimate: intercept.estimate,
    limitCiLower: intercept.ciLower,
    limitCiUpper: intercept.ciUpper,
  };
}
