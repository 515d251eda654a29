import type { RmaResult } from './rma.ts';

/** The pooled estimate with its CI and prediction interval, as metafor's predict.rma for an intercept-only model. */
export interface RmaPrediction {
  readonly estimate: number;
  readonly se: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly piLower: number;
  readonly piUpper: number;
}

/**
 * The prediction interval for the true effect in a new study, as `predict.rma(fit)` (metafor 3.8-1):
 * estimate ± crit·sqrt(SE² + tau²), with crit the model's critical value (normal, or t on k - p df under
 * Knapp-Hartung). For FE models, or when tau² = 0, it equals the CI. O(1).
 *
 * @example
 * const prediction = predictRma(rma({ yi: [0.1, 0.5, 0.9], vi: [0.04, 0.05, 0.06], method: 'REML' }));
 */
export function predictRma(fit: RmaResult): RmaPrediction {
  const coefficient = fit.coefficients[0] as RmaResult['coefficients'][number];
  const { estimate, se, ciLower, ciUpper } = coefficient;
  if (fit.method === 'FE') return { estimate, se, ciLower, ciUpper, piLower: ciLower, piUpper: ciUpper };
  const half = fit.critical * Math.sqrt(se ** 2 + fit.tau2);
  return { estimate, se, ciLower, ciUpper, piLower: estimate - half, piUpper: estimate + half };
}
