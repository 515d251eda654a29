import { pchisq, pnorm, pt, qnorm, qt } from '../distributions/index.ts';
import { ModelDataError, ModelFitError } from '../errors.ts';
import type { MetaMethod, MetaTest } from './types.ts';
import { uniroot } from './uniroot.ts';
import {
  inverseCrossProduct,
  logDeterminantCrossProduct,
  multiply,
  quadraticForm,
  residualProjection,
  sumOfSquares,
  trace,
  weightedCoefficients,
} from './weighted-projection.ts';

/** One moderator column of a meta-regression (the intercept is always included). */
export interface RmaModerator {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

/** Input of `rma`: effect sizes, sampling variances, the tau² method and the test. */
export interface RmaInput {
  readonly yi: ArrayLike<number>;
  readonly vi: ArrayLike<number>;
  readonly method: MetaMethod;
  /** `z` (default, as metafor) or `knha`. */
  readonly test?: MetaTest;
  /** Moderators for a meta-regression (`mods = ~ ...`); none for the usual pooled estimate. */
  readonly moderators?: readonly RmaModerator[];
  /** Confidence level, 0.95 by default. */
  readonly level?: number;
}

/** One model coefficient with its test and CI (`intrcpt` is the pooled effect). */
export interface RmaCoefficient {
  readonly term: string;
  readonly estimate: number;
  readonly se: number;
  /** z, or t under Knapp-Hartung. */
  readonly statistic: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

/** A fitted meta-analytic model, field for field as the rma.uni object. */
export interface RmaResult {
  readonly k: number;
  readonly p: number;
  readonly method: MetaMethod;
  /** The test actually used (metafor switches to `z` when k = 1). */
  readonly test: MetaTest;
  readonly level: number;
  readonly coefficients: readonly RmaCoefficient[];
  /** Covariance of the coefficients (p × p, row-major), scaled by s2w under Knapp-Hartung. */
  readonly covariance: Float64Array;
  /** Between-study variance (0 for FE and whenever the estimator truncates at 0). */
  readonly tau2: number;
  /** SE of tau² as metafor reports it; undefined for FE and for k = 1. */
  readonly tau2Se: number | undefined;
  readonly I2: number;
  readonly H2: number;
  /** Cochran's Q (QE) with weights 1/vi, its df k - p and p-value. */
  readonly Q: number;
  readonly QDf: number;
  readonly QPValue: number;
  /** Typical within-study variance (k - p)/tr(P) used for I². */
  readonly typicalVariance: number;
  /** Knapp-Hartung scale factor (1 under the z test). */
  readonly s2w: number;
  /** t degrees of freedom (k - p) under Knapp-Hartung; undefined for z. */
  readonly degreesOfFreedom: number | undefined;
  /** Critical value used for CIs and prediction intervals. */
  readonly critical: number;
  /** Fisher scoring iterations (ML, REML); 0 for closed-form estimators. */
  readonly iterations: number;
  /** Inverse-variance model weights 1/(vi + tau²). */
  readonly weights: Float64Array;
  readonly yi: Float64Array;
  readonly vi: Float64Array;
}

/** metafor's rma.uni controls that fix its iterations (`control = list()` defaults). */
const THRESHOLD = 1e-5;
const MAX_ITERATIONS = 100;
const TOLERANCE = 2.220446049250313e-16 ** 0.25;
const LOG_TWO_PI = Math.log(2 * Math.PI);

/**
 * Fits an equal-effect (`FE`) or random-effects meta-analysis, optionally with moderators, as
 * `metafor::rma.uni(yi, vi, mods, method, test)` (metafor 3.8-1) with default controls:
 * - DL: (Q - (k - p))/tr(P) with P at w = 1/v; HE: (RSS_OLS - tr(P_OLS V))/(k - p);
 *   SJ: one step from tau²₀ = var(y)(k-1)/k; PM: root of Q(tau²) = k - p by R's uniroot
 *   (tol = eps^0.25, maxiter 100) on [0, max(100, 10 mad(y)²)];
 * - ML, REML: Fisher scoring from max(0, HE) with metafor's step, step halving at 0, threshold 1e-5 and
 *   its check that the likelihood at tau² = 0 is not higher; all estimates truncated at 0;
 * - tau² SE as metafor gives it for each estimator (none for FE or k = 1);
 * - Q with w = 1/v; I² = 100 tau²/(vt + tau²), H² = tau²/vt + 1 with vt = (k - p)/tr(P) for random
 *   effects, and I² = max(0, (Q - df)/Q), H² = Q/df for FE;
 * - `knha`: coefficient covariance times s2w = Σw(y - Xb)²/(k - p) (not truncated at 1), t on k - p df.
 * k = 1 is fitted as metafor does (tau² = 0, z test). Cost O(k²p) per iteration.
 *
 * @throws ModelDataError when there are no studies, or fewer studies than parameters (+1 for tau²).
 * @throws ModelFitError when the moderators are collinear, Fisher scoring does not converge in 100
 *   iterations, or the Paule-Mandel root lies above the search interval.
 * @example
 * const fit = rma({ yi: [-0.89, -1.59, -1.35], vi: [0.33, 0.19, 0.42], method: 'DL' });
 * fit.coefficients[0].estimate; // pooled log risk ratio
 */
export function rma(input: RmaInput): RmaResult {
  const yi = Float64Array.from(input.yi);
  const vi = Float64Array.from(input.vi);
  const k = yi.length;
  const level = input.level ?? 0.95;
  const method = input.method;
  const moderators = input.moderators ?? [];
  if (vi.length !== k) {
    throw new ModelDataError(`rma requires yi and vi of equal length (got ${k} and ${vi.length})`);
  }
  if (k < 1) throw new ModelDataError('rma requires at least 1 study (got 0)');
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(yi[i] as number) || !((vi[i] as number) > 0) || !Number.isFinite(vi[i] as number)) {
      throw new ModelDataError(
        `rma requires a finite yi and a positive finite vi for every study (got yi = ${yi[i]}, vi = ${vi[i]} for study ${i + 1})`,
      );
    }
  }
  const design: Float64Array[] = [new Float64Array(k).fill(1)];
  const terms = ['intrcpt'];
  for (const moderator of moderators) {
    design.push(Float64Array.from(moderator.values));
    terms.push(moderator.name);
  }
  const p = design.length;
  if (!(p === 1 && k === 1)) {
    const needed = method === 'FE' ? p : p + 1;
    if (needed > k) {
      throw new ModelDataError(
        `${method === 'FE' ? 'an equal-effect' : 'a random-effects'} meta-analysis (${method}) with ${p} coefficient${p > 1 ? 's' : ''} requires at least ${needed} studies (got ${k})`,
      );
    }
  }
  const ones = new Float64Array(k).fill(1);
  if (inverseCrossProduct(design, ones) === undefined) {
    throw new ModelFitError(
      'rma requires moderators that are not collinear with each other or the intercept',
    );
  }
  const test: MetaTest = k === 1 ? 'z' : (input.test ?? 'z');
  let mean = 0;
  for (const value of yi) mean += value;
  mean /= k;
  const centred = yi.map((value) => value - mean);

  let tau2 = 0;
  let tau2Se: number | undefined;
  let iterations = 0;
  const residualDf = k - p;
  if (method !== 'FE' && k > 1) {
    const estimate = estimateTauSquared(method, centred, yi, vi, design, residualDf);
    tau2 = Math.max(0, estimate.tau2);
    tau2Se = estimate.se;
    iterations = estimate.iterations;
  }

  // the model at the estimated tau²
  const weights = vi.map((variance) => 1 / (variance + tau2));
  const inverse = inverseCrossProduct(design, weights) as Float64Array;
  const beta = weightedCoefficients(design, weights, yi, inverse);
  let s2w = 1;
  if (test === 'knha') {
    let residualSum = 0;
    for (let i = 0; i < k; i++) {
      let fitted = 0;
      for (let r = 0; r < p; r++) fitted += ((design[r] as Float64Array)[i] as number) * (beta[r] as number);
      residualSum += (weights[i] as number) * ((yi[i] as number) - fitted) ** 2;
    }
    s2w = residualSum <= 2.220446049250313e-16 ? 0 : residualSum / residualDf;
  }
  const covariance = inverse.map((value) => value * s2w);
  const degreesOfFreedom = test === 'knha' ? residualDf : undefined;
  const critical =
    degreesOfFreedom === undefined
      ? qnorm((1 - level) / 2, false)
      : degreesOfFreedom > 0
        ? qt((1 - level) / 2, degreesOfFreedom, false)
        : Number.NaN;
  const coefficients = terms.map((term, r): RmaCoefficient => {
    const estimate = beta[r] as number;
    const se = Math.sqrt(covariance[r * p + r] as number);
    const statistic = estimate / se;
    const pValue =
      degreesOfFreedom === undefined
        ? 2 * pnorm(Math.abs(statistic), false)
        : degreesOfFreedom > 0
          ? 2 * pt(Math.abs(statistic), degreesOfFreedom, false)
          : Number.NaN;
    return {
      term,
      estimate,
      se,
      statistic,
      pValue,
      ciLower: estimate - critical * se,
      ciUpper: estimate + critical * se,
    };
  });

  // heterogeneity: always with w = 1/v
  let Q = 0;
  let QPValue = 1;
  let I2 = 0;
  let H2 = 1;
  let typicalVariance = 0;
  if (k > p) {
    const fixedWeights = vi.map((variance) => 1 / variance);
    const projection = residualProjection(design, fixedWeights) as Float64Array;
    Q = Math.max(0, quadraticForm(projection, centred));
    QPValue = pchisq(Q, residualDf, false);
    typicalVariance = residualDf / trace(projection, k);
    if (method === 'FE') {
      I2 = Math.max(0, (100 * (Q - residualDf)) / Q);
      H2 = Q / residualDf;
    } else {
      I2 = (100 * tau2) / (typicalVariance + tau2);
      H2 = tau2 / typicalVariance + 1;
    }
  }
  return {
    k,
    p,
    method,
    test,
    level,
    coefficients,
    covariance,
    tau2,
    tau2Se,
    I2,
    H2,
    Q,
    QDf: residualDf,
    QPValue,
    typicalVariance,
    s2w,
    degreesOfFreedom,
    critical,
    iterations,
    weights,
    yi,
    vi,
  };
}

interface TauSquaredEstimate {
  tau2: number;
  se: number | undefined;
  iterations: number;
}

function estimateTauSquared(
  method: Exclude<MetaMethod, 'FE'>,
  centred: Float64Array,
  yi: Float64Array,
  vi: Float64Array,
  design: readonly Float64Array[],
  residualDf: number,
): TauSquaredEstimate {
  const k = vi.length;
  const projectionAt = (tau2: number) =>
    residualProjection(
      design,
      vi.map((variance) => 1 / (variance + tau2)),
    ) as Float64Array;
  switch (method) {
    case 'DL': {
      const projection = projectionAt(0);
      const trP = trace(projection, k);
      const tau2 = (quadraticForm(projection, centred) - residualDf) / trP;
      const positive = Math.max(tau2, 0);
      const se = Math.sqrt(
        (1 / trP ** 2) * (2 * residualDf + 4 * positive * trP + 2 * positive ** 2 * sumOfSquares(projection)),
      );
      return { tau2, se, iterations: 0 };
    }
    case 'HE': {
      const { tau2, projection, trPV } = hedgesEstimate(centred, vi, design, residualDf);
      const positive = Math.max(tau2, 0);
      const se = Math.sqrt(
        (1 / residualDf ** 2) *
          (2 * weightedSumOfSquares(projection, vi, true) +
            4 * positive * trPV +
            2 * positive ** 2 * residualDf),
      );
      return { tau2, se, iterations: 0 };
    }
    case 'SJ': {
      let centredMean = 0;
      for (const value of centred) centredMean += value;
      centredMean /= k;
      let variance = 0;
      for (const value of centred) variance += (value - centredMean) ** 2;
      const start = ((variance / (k - 1)) * (k - 1)) / k;
      const projection = projectionAt(start);
      const tau2 = (start * quadraticForm(projection, centred)) / residualDf;
      const positive = Math.max(tau2, 0);
      const se = Math.sqrt(
        (start ** 2 / residualDf ** 2) *
          (2 * weightedSumOfSquares(projection, vi, true) +
            4 * positive * weightedSumOfSquares(projection, vi, false) +
            2 * positive ** 2 * sumOfSquares(projection)),
      );
      return { tau2, se, iterations: 0 };
    }
    case 'PM': {
      const residualSumAt = (tau2: number) => quadraticForm(projectionAt(tau2), centred);
      const upper = Math.max(100, 10 * medianAbsoluteDeviation(yi) ** 2);
      let tau2: number;
      if (residualSumAt(0) < residualDf) {
        tau2 = 0;
      } else if (residualSumAt(upper) > residualDf) {
        throw new ModelFitError(
          `the Paule-Mandel estimator requires tau² <= ${upper} (the upper end of metafor's search interval; got Q(${upper}) above k - p)`,
        );
      } else {
        const objective = (value: number) => residualSumAt(value) - residualDf;
        tau2 = uniroot(objective, 0, upper, { tolerance: TOLERANCE, maxIterations: MAX_ITERATIONS }).root;
      }
      let sumWeights = 0;
      for (const variance of vi) sumWeights += 1 / (variance + tau2);
      return { tau2, se: Math.sqrt((2 * k ** 2) / residualDf / sumWeights ** 2), iterations: 0 };
    }
    case 'ML':
    case 'REML':
      return fisherScoring(method, centred, vi, design, residualDf);
  }
}

function hedgesEstimate(
  centred: Float64Array,
  vi: Float64Array,
  design: readonly Float64Array[],
  residualDf: number,
): { tau2: number; projection: Float64Array; trPV: number } {
  const k = vi.length;
  const projection = residualProjection(design, new Float64Array(k).fill(1)) as Float64Array;
  let trPV = 0;
  for (let i = 0; i < k; i++) trPV += (projection[i * k + i] as number) * (vi[i] as number);
  return { tau2: (quadraticForm(projection, centred) - trPV) / residualDf, projection, trPV };
}

/** Σ_ij P_ij² v_i v_j (= sum(PV * t(PV))) when `both`, else Σ_ij P_ij² v_j (= sum(PV * P)). */
function weightedSumOfSquares(projection: Float64Array, vi: Float64Array, both: boolean): number {
  const k = vi.length;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const value = projection[i * k + j] as number;
      sum += value * value * (vi[j] as number) * (both ? (vi[i] as number) : 1);
    }
  }
  return sum;
}

/** R's mad(x): 1.4826 · median(|x - median(x)|). */
function medianAbsoluteDeviation(values: Float64Array): number {
  const center = median(values);
  return 1.4826 * median(values.map((value) => Math.abs(value - center)));
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[half] as number)
    : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

function fisherScoring(
  method: 'ML' | 'REML',
  centred: Float64Array,
  vi: Float64Array,
  design: readonly Float64Array[],
  residualDf: number,
): TauSquaredEstimate {
  const k = vi.length;
  const p = design.length;
  let tau2 = Math.max(0, hedgesEstimate(centred, vi, design, residualDf).tau2);
  let change = THRESHOLD + 1;
  let iterations = 0;
  while (change > THRESHOLD) {
    iterations++;
    const previous = tau2;
    const weights = vi.map((variance) => 1 / (variance + tau2));
    const projection = residualProjection(design, weights) as Float64Array;
    const projected = multiply(projection, centred);
    let score = 0;
    for (const value of projected) score += value * value;
    let adjustment: number;
    if (method === 'ML') {
      let sumWeights = 0;
      let sumSquaredWeights = 0;
      for (const weight of weights) {
        sumWeights += weight;
        sumSquaredWeights += weight * weight;
      }
      adjustment = (score - sumWeights) / sumSquaredWeights;
    } else {
      adjustment = (score - trace(projection, k)) / sumOfSquares(projection);
    }
    if (Number.isNaN(adjustment)) adjustment = 0;
    while (tau2 + adjustment < 0) adjustment /= 2;
    tau2 += adjustment;
    change = Math.abs(previous - tau2);
    if (iterations > MAX_ITERATIONS) {
      throw new ModelFitError(
        `Fisher scoring for the ${method} tau² requires convergence within ${MAX_ITERATIONS} iterations (got a change of ${change} at the last)`,
      );
    }
  }
  // metafor's ll0check: is the likelihood at tau² = 0 higher than at the estimate?
  const logLikelihood = (value: number) => {
    const weights = vi.map((variance) => 1 / (variance + value));
    const inverse = inverseCrossProduct(design, weights) as Float64Array;
    const beta = weightedCoefficients(design, weights, centred, inverse);
    let residualSum = 0;
    let logVariance = 0;
    for (let i = 0; i < k; i++) {
      let fitted = 0;
      for (let r = 0; r < p; r++) fitted += ((design[r] as Float64Array)[i] as number) * (beta[r] as number);
      residualSum += (weights[i] as number) * ((centred[i] as number) - fitted) ** 2;
      logVariance += Math.log((vi[i] as number) + value);
    }
    return method === 'ML'
      ? -0.5 * k * LOG_TWO_PI - 0.5 * logVariance - 0.5 * residualSum
      : -0.5 * (k - p) * LOG_TWO_PI -
          0.5 * logVariance -
          0.5 * logDeterminantCrossProduct(design, weights) -
          0.5 * residualSum;
  };
  if (logLikelihood(0) - logLikelihood(tau2) > TOLERANCE && tau2 > THRESHOLD) tau2 = 0;
  const weights = vi.map((variance) => 1 / (variance + tau2));
  let se: number;
  if (method === 'ML') {
    let sumSquaredWeights = 0;
    for (const weight of weights) sumSquaredWeights += weight * weight;
    se = Math.sqrt(2 / sumSquaredWeights);
  } else {
    se = Math.sqrt(2 / sumOfSquares(residualProjection(design, weights) as Float64Array));
  }
  return { tau2, se, iterations };
}
