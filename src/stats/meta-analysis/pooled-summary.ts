import { predictRma } from './predict-rma.ts';
import type { RmaResult } from './rma.ts';
import { type EffectMeasure, isRatioMeasure } from './types.ts';

/** Back-transformed (exp) estimate and intervals of a ratio measure. */
export interface RatioScale {
  readonly estimate: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly piLower: number;
  readonly piUpper: number;
}

/** A pooled estimate with heterogeneity and prediction interval, in the CLI's field order. */
export interface PooledSummary {
  readonly k: number;
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly tau2: number;
  readonly tau2Se: number | null;
  readonly tau: number;
  readonly I2: number;
  readonly H2: number;
  readonly Q: number;
  readonly QDf: number;
  readonly QPValue: number;
  readonly piLower: number;
  readonly piUpper: number;
  /** Present for RR and OR: the estimate and intervals on the ratio scale. */
  readonly exp?: RatioScale;
}

/**
 * The summary of an intercept-only rma fit that `enrich meta` reports: coefficient, tau² (with its SE
 * and tau), I², H², Q, prediction interval (predict.rma) and, for ratio measures, the exp() scale.
 *
 * @example
 * pooledSummary(rma({ yi: [0.1, 0.3], vi: [0.02, 0.03], method: 'FE' }), 'GEN').estimate;
 */
export function pooledSummary(fit: RmaResult, measure: EffectMeasure): PooledSummary {
  const prediction = predictRma(fit);
  const coefficient = fit.coefficients[0] as RmaResult['coefficients'][number];
  const summary: PooledSummary = {
    k: fit.k,
    estimate: coefficient.estimate,
    se: coefficient.se,
    statistic: coefficient.statistic,
    pValue: coefficient.pValue,
    ciLower: coefficient.ciLower,
    ciUpper: coefficient.ciUpper,
    tau2: fit.tau2,
    tau2Se: fit.tau2Se ?? null,
    tau: Math.sqrt(fit.tau2),
    I2: fit.I2,
    H2: fit.H2,
    Q: fit.Q,
    QDf: fit.QDf,
    QPValue: fit.QPValue,
    piLower: prediction.piLower,
    piUpper: prediction.piUpper,
  };
  if (!isRatioMeasure(measure)) return summary;
  return {
    ...summary,
    exp: {
      estimate: Math.exp(coefficient.estimate),
      ciLower: Math.exp(coefficient.ciLower),
      ciUpper: Math.exp(coefficient.ciUpper),
      piLower: Math.exp(prediction.piLower),
      piUpper: Math.exp(prediction.piUpper),
    },
  };
}
