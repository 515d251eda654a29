import { rma } from './rma.ts';
import type { MetaMethod, MetaTest } from './types.ts';

/** The pooled result with one study left out, as a row of metafor::leave1out. */
export interface LeaveOneOutRow {
  readonly study: string;
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly Q: number;
  readonly QPValue: number;
  readonly tau2: number;
  readonly I2: number;
  readonly H2: number;
}

/**
 * Refits the model k times, each time without one study, as `leave1out(fit)` (metafor 3.8-1) on an
 * intercept-only model with the same method and test. With k = 2 each refit has one study (tau² = 0,
 * z test), as metafor does. O(k) fits.
 *
 * @throws ModelDataError when k < 2.
 * @example
 * leaveOneOut(['A', 'B', 'C'], [0.1, 0.4, 0.2], [0.01, 0.05, 0.02], 'DL')[0].estimate;
 */
export function leaveOneOut(
  study: readonly string[],
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  method: MetaMethod,
  test: MetaTest = 'z',
): LeaveOneOutRow[] {
  const k = yi.length;
  const rows: LeaveOneOutRow[] = [];
  for (let left = 0; left < k; left++) {
    const keep = (_: number, index: number) => index !== left;
    const fit = rma({
      yi: Array.from(yi).filter(keep),
      vi: Array.from(vi).filter(keep),
      method,
      test,
    });
    const coefficient = fit.coefficients[0] as (typeof fit.coefficients)[number];
    rows.push({
      study: study[left] ?? '',
      estimate: coefficient.estimate,
      se: coefficient.se,
      statistic: coefficient.statistic,
      pValue: coefficient.pValue,
      ciLower: coefficient.ciLower,
      ciUpper: coefficient.ciUpper,
      Q: fit.Q,
      QPValue: fit.QPValue,
      tau2: fit.tau2,
      I2: fit.I2,
      H2: fit.H2,
    });
  }
  return rows;
}
