import { ModelFitError } from '../errors.ts';
import {
  createQrWorkspace,
  householderQrInPlace,
  type QrDecomposition,
  qrBackSolve,
  qrQty,
  qrUnscaledCovariance,
} from '../linalg/householder-qr.ts';
import {
  createNormalEquationsWorkspace,
  equilibratedCholeskyInverse,
  solveEquilibratedCholesky,
  weightedGram,
} from '../linalg/normal-equations.ts';
import type { DesignMatrix } from './design-matrix.ts';
import { compensatedSum, type GlmFamily } from './glm-family.ts';

/** Options of {@link fitGlmIrls}; the defaults are `glm.control()`'s. */
export interface GlmIrlsOptions {
  /** Starting linear predictor (`etastart`); otherwise `linkfun(mustart)` from the family's initialize. */
  etaStart?: Float64Array;
  /** `glm.control(maxit)`, default 25. */
  maxIterations?: number;
  /** `glm.control(epsilon)`, default 1e-8. */
  epsilon?: number;
  /**
   * `'auto'` (default): normal equations in each pass (with a final QR unless the last pass is
   * well-conditioned), falling back to `'qr'` for anything unusual; `'qr'`: a Householder QR in every pass, as `glm.fit`. Both give R's iterations and results;
   * they differ only by rounding (see {@link fitGlmIrls}).
   */
  method?: 'auto' | 'qr';
}

/**
 * Largest variance inflation factor (largest diagonal element of the inverse of the equilibrated X'WX) for
 * which a pass is solved through the normal equations. Their rounding error grows with the condition number
 * kappa: the fitted linear predictor, which is what the next pass's weights depend on, is perturbed by about
 * p * eps * sqrt(kappa) relative, so at 1e6 (kappa at most p^2 * 1e6) about 1e-11 at p = 11, and the final pass
 * is re-solved by QR anyway. A covariate like a calendar year (mean 2000, sd 3) next to the intercept has a
 * VIF of about 4e5. Beyond the limit the fit uses a QR in every pass.
 */
export const NORMAL_EQUATIONS_VIF_LIMIT = 1e6;

/**
 * Largest VIF (as {@link NORMAL_EQUATIONS_VIF_LIMIT}) of the last pass for which its Cholesky factor gives
 * the result, instead of re-solving that pass by Householder QR as glm.fit does (which costs more than all
 * the passes' X'WX together at n = 590, p = 11). The solution is refined once against the data
 * ({@link refineSolution}), which brings it to the QR's accuracy; the inverse's diagonal (the variances) has
 * a relative error of about p x VIF x eps (1e-12 at p = 11). Measured over the R fixtures: results agree
 * with R to at most 5.3e-12 relative outside complete separation (4.9e-12 with the final QR; the largest is
 * a p-value of 3e-69, whose relative error is the SE's 1.7e-14 times z^2 = 310). Covariates
 * on a scale far from zero (age in years: VIF ~ 20, the intercept next to it up to ~100) stay below it; a
 * calendar year does not.
 */
export const FINAL_CHOLESKY_VIF_LIMIT = 1e3;

/** Margin around epsilon within which a deviance change sends the fit to the pure-QR path. */
const STOPPING_MARGIN = 1e-3;

/**
 * The raw result of R's `glm.fit`. `qr`, `workingWeights` come from the last IRLS pass (weights at the mu
 * before the final update); `workingResiduals`, `eta` and `mu` are at the final coefficients.
 */
export interface GlmIrlsFit {
  /** In design column order; aliased columns hold 0 (see `aliased`). */
  readonly coefficients: Float64Array;
  readonly aliased: readonly boolean[];
  readonly rank: number;
  /**
   * Decomposition of the last pass's weighted design (rows with zero working weight removed). A fit that
   * did not need it (see `unscaledCovariance`) computes it when first read.
   */
  readonly qr: QrDecomposition;
  /**
   * `summary.glm`'s `cov.unscaled`, (X'WX)^-1 of the last pass, for the `rank` estimable columns in design
   * order (`rank` x `rank`, symmetric): from the QR as `chol2inv(qr$qr)`, or from the last pass's Cholesky
   * factor when that was well-conditioned (see {@link FINAL_CHOLESKY_VIF_LIMIT}).
   */
  readonly unscaledCovariance: Float64Array;
  /** Design rows used in the last pass (R's `good`), in order; all rows unless some mu.eta was 0. */
  readonly goodRows: Int32Array | undefined;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  /** `weights(fit, "working")`: w^2 from the last pass, 0 outside `good`. */
  readonly workingWeights: Float64Array;
  /** `residuals(fit, "working")`: (y - mu) / mu.eta(eta) at the final eta. */
  readonly workingResiduals: Float64Array;
  readonly deviance: number;
  readonly nullDeviance: number;
  /** `family$aic(...) + 2 * rank`, as `fit$aic`. */
  readonly aic: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly boundary: boolean;
  /** R's warnings, in order of first occurrence, without duplicates. */
  readonly warnings: string[];
}

/** QR tolerance of glm.fit's Cdqrls call: min(1e-7, epsilon / 1000). */
function qrTolerance(epsilon: number): number {
  return Math.min(1e-7, epsilon / 1000);
}

function addWarning(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}

/**
 * Iteratively reweighted least squares exactly as R's `glm.fit` (unit prior weights, no offset): start values
 * from the family's `initialize` (or `etaStart`), weighted least squares with R's stopping rule
 * |dev - devold| / (|dev| + 0.1) < epsilon or `maxIterations`, halving the step only for a non-finite deviance
 * or invalid eta/mu, and `qr` the Householder QR (dqrdc2, tolerance min(1e-7, epsilon/1000), limited pivoting)
 * of the last pass's weighted design.
 *
 * With `method: 'auto'` (the default) each pass's weighted least-squares problem is first solved through the
 * normal equations (equilibrated Cholesky of X'WX, several times cheaper than a QR), which gives the same
 * iterates up to rounding. When the last pass is well-conditioned (VIF at most
 * {@link FINAL_CHOLESKY_VIF_LIMIT}) its solution is refined once against the data and the unscaled covariance
 * taken from its Cholesky factor, agreeing with R's QR to rounding; `qr` is then computed only if read.
 * Otherwise the last pass is decomposed by Householder QR and its solution, eta, mu and deviance taken from
 * that QR exactly as R computes them. Any pass that is not routine sends the whole fit
 * back to the pure-QR path (`method: 'qr'`, one QR per pass as `glm.fit`): a largest variance inflation
 * factor of the equilibrated X'WX above {@link NORMAL_EQUATIONS_VIF_LIMIT} or a Cholesky breakdown, rank
 * deficiency (aliased columns), rows with zero working weight, step halving, non-convergence, invalid
 * values, or a deviance change within 0.1% of the stopping threshold (where rounding could change R's
 * iteration count). Buffers are allocated once per call; each pass is O(n p^2).
 * @throws ModelFitError when no valid start or step can be found, or the coefficients become non-finite.
 * @example
 * const design = createDesignMatrix([{ name: '(Intercept)', values: [1, 1, 1, 1] }]);
 * fitGlmIrls(design, Float64Array.of(0, 1, 1, 1), getGlmFamily('binomial')).coefficients[0]; // log(3)
 */
export function fitGlmIrls(
  design: DesignMatrix,
  y: Float64Array,
  family: GlmFamily,
  options: GlmIrlsOptions = {},
): GlmIrlsFit {
  const maxIterations = options.maxIterations ?? 25;
  const epsilon = options.epsilon ?? 1e-8;
  if ((options.method ?? 'auto') === 'auto') {
    const fit = fitByNormalEquations(design, y, family, maxIterations, epsilon, options.etaStart);
    if (fit !== undefined) return fit;
  }
  return fitByQr(design, y, family, maxIterations, epsilon, options.etaStart);
}

/** glm.fit with a Householder QR in every pass (R's own path); see {@link fitGlmIrls}. */
function fitByQr(
  design: DesignMatrix,
  y: Float64Array,
  family: GlmFamily,
  maxIterations: number,
  epsilon: number,
  etaStart: Float64Array | undefined,
): GlmIrlsFit {
  const n = design.rowCount;
  const p = design.columnCount;
  const x = design.values;
  const warnings: string[] = [];

  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const muEta = new Float64Array(n);
  const varianceValues = new Float64Array(n);
  const weight = new Float64Array(n); // w = sqrt(mu.eta^2 / V(mu)) of the current pass
  const response = new Float64Array(n); // z * w, then Q'(z * w)
  const weighted = new Float64Array(n * p);
  const workspace = createQrWorkspace(n, p);
  const qraux = new Float64Array(p);
  const pivot = new Int32Array(p);
  const start = new Float64Array(p);
  const coefficientsOld = new Float64Array(p);
  let haveOld = false;

  if (etaStart === undefined) {
    family.initialize(y, mu, n);
    for (let i = 0; i < n; i++) eta[i] = family.linkfun(mu[i] as number);
  } else {
    eta.set(etaStart);
  }
  family.linkinvInto(eta, mu, n);
  if (!(family.validMu(mu, n) && family.validEta(eta, n))) {
    throw new ModelFitError(
      `glm requires valid starting values for family ${family.name} with link ${family.link} (got invalid fitted means or linear predictors)`,
    );
  }
  let devianceOld = family.deviance(y, mu, n);
  let deviance = devianceOld;
  let converged = false;
  let boundary = false;
  let iterations = 0;
  let qr: QrDecomposition | undefined;
  let goodRows: Int32Array | undefined;
  let goodCount = n;

  const updateLinearPredictor = (): void => {
    linearPredictor(x, n, p, start, eta);
    family.linkinvInto(eta, mu, n);
  };

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    iterations = iteration;
    family.varianceInto(mu, varianceValues, n);
    family.muEtaInto(eta, muEta, n);
    goodCount = 0;
    for (let i = 0; i < n; i++) {
      const varianceValue = varianceValues[i] as number;
      if (Number.isNaN(varianceValue))
        throw new ModelFitError('glm requires a defined variance (got NA in V(mu))');
      if (varianceValue === 0) throw new ModelFitError('glm requires a non-zero variance (got 0 in V(mu))');
      const derivative = muEta[i] as number;
      if (Number.isNaN(derivative)) throw new ModelFitError('glm requires a defined d(mu)/d(eta) (got NA)');
      if (derivative !== 0) goodCount++;
    }
    if (goodCount === 0) {
      converged = false;
      addWarning(warnings, `no observations informative at iteration ${iteration}`);
      throw new ModelFitError(
        `glm could not be fitted: no observations informative at iteration ${iteration}`,
      );
    }
    if (goodCount < n) {
      goodRows = new Int32Array(goodCount);
      for (let i = 0, g = 0; i < n; i++) if ((muEta[i] as number) !== 0) goodRows[g++] = i;
    } else {
      goodRows = undefined;
    }
    // Working response z = eta + (y - mu) / mu.eta and weight w = sqrt(mu.eta^2 / V(mu)), good rows only.
    for (let g = 0; g < goodCount; g++) {
      const i = goodRows === undefined ? g : (goodRows[g] as number);
      const derivative = muEta[i] as number;
      const w = Math.sqrt((derivative * derivative) / (varianceValues[i] as number));
      weight[i] = w;
      response[g] = ((eta[i] as number) + ((y[i] as number) - (mu[i] as number)) / derivative) * w;
    }
    for (let j = 0; j < p; j++) {
      const source = j * n;
      const target = j * goodCount;
      if (goodRows === undefined) {
        for (let i = 0; i < n; i++) weighted[target + i] = (x[source + i] as number) * (weight[i] as number);
      } else {
        for (let g = 0; g < goodCount; g++) {
          const i = goodRows[g] as number;
          weighted[target + g] = (x[source + i] as number) * (weight[i] as number);
        }
      }
    }
    const matrix = goodCount === n ? weighted : weighted.subarray(0, goodCount * p);
    qr = householderQrInPlace(matrix, goodCount, p, qrTolerance(epsilon), workspace, qraux, pivot);
    const effects = response.subarray(0, goodCount);
    qrQty(qr, effects, effects);
    qrBackSolve(qr, effects, start);
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(start[j] as number)) {
        throw new ModelFitError(`glm could not be fitted: non-finite coefficients at iteration ${iteration}`);
      }
    }
    updateLinearPredictor();
    deviance = family.deviance(y, mu, n);
    boundary = false;
    if (!Number.isFinite(deviance)) {
      if (!haveOld) {
        throw new ModelFitError(
          'glm could not be fitted: no valid set of coefficients has been found (the deviance is not finite at the first step)',
        );
      }
      addWarning(warnings, 'step size truncated due to divergence');
      for (let halving = 1; !Number.isFinite(deviance); halving++) {
        if (halving > maxIterations) {
          throw new ModelFitError('glm could not be fitted: inner loop 1; cannot correct step size');
        }
        for (let j = 0; j < p; j++) start[j] = ((start[j] as number) + (coefficientsOld[j] as number)) / 2;
        updateLinearPredictor();
        deviance = family.deviance(y, mu, n);
      }
      boundary = true;
    }
    if (!(family.validEta(eta, n) && family.validMu(mu, n))) {
      if (!haveOld) {
        throw new ModelFitError(
          'glm could not be fitted: no valid set of coefficients has been found (fitted means out of range at the first step)',
        );
      }
      addWarning(warnings, 'step size truncated: out of bounds');
      for (let halving = 1; !(family.validEta(eta, n) && family.validMu(mu, n)); halving++) {
        if (halving > maxIterations) {
          throw new ModelFitError('glm could not be fitted: inner loop 2; cannot correct step size');
        }
        for (let j = 0; j < p; j++) start[j] = ((start[j] as number) + (coefficientsOld[j] as number)) / 2;
        updateLinearPredictor();
      }
      boundary = true;
      deviance = family.deviance(y, mu, n);
    }
    if (Math.abs(deviance - devianceOld) / (0.1 + Math.abs(deviance)) < epsilon) {
      converged = true;
      break;
    }
    devianceOld = deviance;
    coefficientsOld.set(start);
    haveOld = true;
  }
  if (qr === undefined) throw new ModelFitError('glm requires at least one iteration (got maxit = 0)');
  const lastQr = qr;
  return finishFit(design, y, family, {
    coefficients: start,
    rank: lastQr.rank,
    pivot: lastQr.pivot,
    lastPassQr: () => lastQr,
    unscaledCovariance: qrUnscaledCovariance(lastQr),
    goodRows,
    goodCount,
    weight,
    muEta,
    eta,
    mu,
    deviance,
    iterations,
    converged,
    boundary,
    warnings,
  });
}

/** The state of glm.fit after its loop, from which {@link finishFit} builds the result. */
interface IrlsState {
  coefficients: Float64Array;
  /** Rank and column order of the last pass (the QR's, or all columns in order for a full-rank Cholesky). */
  rank: number;
  pivot: Int32Array;
  /** The last pass's QR, or how to compute it when it is first asked for. */
  lastPassQr: () => QrDecomposition;
  /** `summary.glm`'s cov.unscaled of the `rank` estimable columns, in design order. */
  unscaledCovariance: Float64Array;
  goodRows: Int32Array | undefined;
  goodCount: number;
  /** w of the last pass (indexed by design row). */
  weight: Float64Array;
  /** Scratch of length n (overwritten with mu.eta at the final eta). */
  muEta: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  warnings: string[];
}

/** glm.fit after its loop: warnings, aliasing, working residuals and weights, null deviance and aic. */
function finishFit(design: DesignMatrix, y: Float64Array, family: GlmFamily, state: IrlsState): GlmIrlsFit {
  const {
    rank,
    pivot,
    lastPassQr,
    goodRows,
    goodCount,
    weight,
    muEta,
    eta,
    mu,
    deviance,
    iterations,
    converged,
    boundary,
    warnings,
  } = state;
  const n = design.rowCount;
  const p = design.columnCount;
  if (!converged) addWarning(warnings, 'glm.fit: algorithm did not converge');
  if (boundary) addWarning(warnings, 'glm.fit: algorithm stopped at boundary value');
  const tiny = 10 * Number.EPSILON;
  if (family.name === 'binomial') {
    for (let i = 0; i < n; i++) {
      const value = mu[i] as number;
      if (value > 1 - tiny || value < tiny) {
        addWarning(warnings, 'glm.fit: fitted probabilities numerically 0 or 1 occurred');
        break;
      }
    }
  }
  if (family.name === 'poisson') {
    for (let i = 0; i < n; i++) {
      if ((mu[i] as number) < tiny) {
        addWarning(warnings, 'glm.fit: fitted rates numerically 0 occurred');
        break;
      }
    }
  }
  const aliased = new Array<boolean>(p).fill(false);
  for (let j = rank; j < p; j++) aliased[pivot[j] as number] = true;

  family.muEtaInto(eta, muEta, n);
  const workingResiduals = new Float64Array(n);
  for (let i = 0; i < n; i++)
    workingResiduals[i] = ((y[i] as number) - (mu[i] as number)) / (muEta[i] as number);
  const workingWeights = new Float64Array(n);
  for (let g = 0; g < goodCount; g++) {
    const i = goodRows === undefined ? g : (goodRows[g] as number);
    const w = weight[i] as number;
    workingWeights[i] = w * w;
  }
  const intercept = design.hasIntercept;
  const nullMean = intercept ? compensatedSum(y, n) / n : family.linkinv(0);
  const nullDeviance = family.devianceAt(y, nullMean, n);
  const aic = family.aic(y, mu, n, deviance) + 2 * rank;
  if (family.name === 'poisson') addNonIntegerWarnings(warnings, y);
  let qr: QrDecomposition | undefined;
  return {
    coefficients: state.coefficients,
    aliased,
    rank,
    get qr(): QrDecomposition {
      qr ??= lastPassQr();
      return qr;
    },
    unscaledCovariance: state.unscaledCovariance,
    goodRows,
    eta,
    mu,
    workingWeights,
    workingResiduals,
    deviance,
    nullDeviance,
    aic,
    dfResidual: n - rank,
    dfNull: n - (intercept ? 1 : 0),
    iterations,
    converged,
    boundary,
    warnings,
  };
}

/**
 * glm.fit with each pass solved through the normal equations (see {@link fitGlmIrls}); undefined when
 * anything is unusual, so that {@link fitByQr} decides. Every buffer is allocated once, before the loop, and
 * each pass makes three sweeps over the rows (weights, X'WX, eta and mu with the deviance).
 */
function fitByNormalEquations(
  design: DesignMatrix,
  y: Float64Array,
  family: GlmFamily,
  maxIterations: number,
  epsilon: number,
  etaStart: Float64Array | undefined,
): GlmIrlsFit | undefined {
  const n = design.rowCount;
  const p = design.columnCount;
  const x = design.values;
  if (n <= p || p === 0 || maxIterations < 1) return undefined;

  // [X z w^2] in one array for weightedGram: a copy of X, then each pass's working response z and working
  // weights w^2 = mu.eta^2 / V(mu), which the family writes there directly.
  const augmented = new Float64Array(n * (p + 2));
  augmented.set(x.subarray(0, n * p));
  const response = augmented.subarray(p * n, (p + 1) * n);
  const workingWeights = augmented.subarray((p + 1) * n, (p + 2) * n);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const workspace = createNormalEquationsWorkspace(p);
  const start = new Float64Array(p);

  if (etaStart === undefined) {
    family.initialize(y, mu, n);
    for (let i = 0; i < n; i++) eta[i] = family.linkfun(mu[i] as number);
  } else {
    eta.set(etaStart);
  }
  family.linkinvInto(eta, mu, n);
  if (!(family.validMu(mu, n) && family.validEta(eta, n))) return undefined;
  let devianceOld = family.deviance(y, mu, n);
  let deviance = devianceOld;
  let iterations = 0;
  let converged = false;
  let inflation = Number.POSITIVE_INFINITY;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    iterations = iteration;
    if (!family.workingWeightsInto(y, eta, mu, workingWeights, response, n)) return undefined;
    weightedGram(augmented, n, p, gram, rhs, workspace);
    inflation = solveEquilibratedCholesky(gram, rhs, p, start, workspace);
    if (!(inflation <= NORMAL_EQUATIONS_VIF_LIMIT)) return undefined;
    deviance = updateFitAndDeviance(x, n, p, start, eta, mu, y, family);
    if (!Number.isFinite(deviance)) return undefined;
    const change = Math.abs(deviance - devianceOld) / (0.1 + Math.abs(deviance));
    if (Math.abs(change - epsilon) <= STOPPING_MARGIN * epsilon) return undefined;
    if (change < epsilon) {
      converged = true;
      break;
    }
    devianceOld = deviance;
  }
  if (!converged) return undefined;

  // glm.fit's w = sqrt(w^2) of the last pass, in its own array: the result keeps it, but not `augmented`.
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) weight[i] = Math.sqrt(workingWeights[i] as number);
  if (inflation <= FINAL_CHOLESKY_VIF_LIMIT) {
    // Well-conditioned: the last pass's Cholesky factor gives the result (see the limit).
    const unscaledCovariance = equilibratedCholeskyInverse(workspace, new Float64Array(p * p));
    // eta serves as the refinement's scratch: it is recomputed from the refined b right after.
    refineSolution(x, n, p, workingWeights, response, unscaledCovariance, start, eta, rhs);
    // The refinement moves b by rounding only, but eta, mu and the deviance must be those of the final b,
    // and the stopping rule is checked again on them.
    deviance = updateFitAndDeviance(x, n, p, start, eta, mu, y, family);
    if (!clearlyConverged(deviance, devianceOld, epsilon)) return undefined;
    return finishFit(design, y, family, {
      coefficients: start,
      rank: p,
      pivot: Int32Array.from({ length: p }, (_, j) => j),
      lastPassQr: () => weightedDesignQr(x, n, p, weight, epsilon),
      unscaledCovariance,
      goodRows: undefined,
      goodCount: n,
      weight,
      muEta: response, // free now: finishFit's scratch (it keeps no reference)
      eta,
      mu,
      deviance,
      iterations,
      converged: true,
      boundary: false,
      warnings: [],
    });
  }

  // The last pass as R computes it: QR of the weighted design, Q'(z w), back substitution, new eta and mu.
  for (let i = 0; i < n; i++) response[i] = (response[i] as number) * (weight[i] as number);
  const qr = weightedDesignQr(x, n, p, weight, epsilon);
  if (qr.rank < p) return undefined;
  qrQty(qr, response, response);
  qrBackSolve(qr, response, start);
  deviance = updateFitAndDeviance(x, n, p, start, eta, mu, y, family);
  if (!clearlyConverged(deviance, devianceOld, epsilon)) return undefined;
  return finishFit(design, y, family, {
    coefficients: start,
    rank: qr.rank,
    pivot: qr.pivot,
    lastPassQr: () => qr,
    unscaledCovariance: qrUnscaledCovariance(qr),
    goodRows: undefined,
    goodCount: n,
    weight,
    muEta: response,
    eta,
    mu,
    deviance,
    iterations,
    converged: true,
    boundary: false,
    warnings: [],
  });
}

/**
 * One step of iterative refinement of the last pass's normal-equations solution b, with the residual taken
 * from the data rather than from X'WX ("corrected semi-normal equations", Bjorck): r = W (z - X b),
 * b += (X'WX)^-1 X'r. This removes the error of forming and factorising X'WX, so b agrees with the
 * Householder QR solution to about p x sqrt(VIF) x eps. Two sweeps over X; `residual` (length n) and
 * `gradient` (length p) are scratch.
 */
function refineSolution(
  x: Float64Array,
  n: number,
  p: number,
  workingWeights: Float64Array,
  workingResponse: Float64Array,
  inverse: Float64Array,
  coefficients: Float64Array,
  residual: Float64Array,
  gradient: Float64Array,
): void {
  linearPredictor(x, n, p, coefficients, residual);
  for (let i = 0; i < n; i++) {
    residual[i] = ((workingResponse[i] as number) - (residual[i] as number)) * (workingWeights[i] as number);
  }
  for (let j = 0; j < p; j++) {
    const base = j * n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (x[base + i] as number) * (residual[i] as number);
    gradient[j] = sum;
  }
  for (let i = 0; i < p; i++) {
    let correction = 0;
    for (let j = 0; j < p; j++) correction += (inverse[i * p + j] as number) * (gradient[j] as number);
    coefficients[i] = (coefficients[i] as number) + correction;
  }
}

/**
 * Whether glm.fit's stopping rule still holds after the last pass was re-solved, with the deviance change
 * outside the margin where the re-solve's rounding could have changed R's decision.
 */
function clearlyConverged(deviance: number, devianceOld: number, epsilon: number): boolean {
  if (!Number.isFinite(deviance)) return false;
  const change = Math.abs(deviance - devianceOld) / (0.1 + Math.abs(deviance));
  return change < epsilon && Math.abs(change - epsilon) > STOPPING_MARGIN * epsilon;
}

/** Householder QR (glm.fit's tolerance) of the weighted design diag(w) X, all rows. */
function weightedDesignQr(
  x: Float64Array,
  n: number,
  p: number,
  weight: Float64Array,
  epsilon: number,
): QrDecomposition {
  const weighted = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const base = j * n;
    for (let i = 0; i < n; i++) weighted[base + i] = (x[base + i] as number) * (weight[i] as number);
  }
  return householderQrInPlace(weighted, n, p, qrTolerance(epsilon));
}

/**
 * eta = X b, then mu = linkinv(eta) and the deviance in one sweep; NaN when b is not finite or eta or mu
 * is invalid for the family (which the QR path then handles).
 */
function updateFitAndDeviance(
  x: Float64Array,
  n: number,
  p: number,
  coefficients: Float64Array,
  eta: Float64Array,
  mu: Float64Array,
  y: Float64Array,
  family: GlmFamily,
): number {
  for (let j = 0; j < p; j++) if (!Number.isFinite(coefficients[j] as number)) return Number.NaN;
  linearPredictor(x, n, p, coefficients, eta);
  const deviance = family.linkinvAndDeviance(y, eta, mu, n);
  return family.validEta(eta, n) && family.validMu(mu, n) ? deviance : Number.NaN;
}

/**
 * eta = X b summed column by column as glm.fit's `x %*% start` (BLAS dgemv: eta_i = ((x_i1 b_1 + x_i2 b_2) +
 * ...)), four columns per pass so eta is read and written a quarter as often; the additions happen in the
 * same order, so the result is bit-identical.
 */
function linearPredictor(
  x: Float64Array,
  n: number,
  p: number,
  coefficients: Float64Array,
  eta: Float64Array,
): void {
  eta.fill(0);
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const b0 = coefficients[j] as number;
    const b1 = coefficients[j + 1] as number;
    const b2 = coefficients[j + 2] as number;
    const b3 = coefficients[j + 3] as number;
    const c0 = j * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    for (let i = 0; i < n; i++) {
      eta[i] =
        (eta[i] as number) +
        (x[c0 + i] as number) * b0 +
        (x[c1 + i] as number) * b1 +
        (x[c2 + i] as number) * b2 +
        (x[c3 + i] as number) * b3;
    }
  }
  // The last one to three columns in one more pass (same order of additions).
  const remaining = p - j;
  if (remaining === 0) return;
  const b0 = coefficients[j] as number;
  const b1 = remaining > 1 ? (coefficients[j + 1] as number) : 0;
  const b2 = remaining > 2 ? (coefficients[j + 2] as number) : 0;
  const c0 = j * n;
  if (remaining === 1) {
    for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + (x[c0 + i] as number) * b0;
  } else if (remaining === 2) {
    for (let i = 0; i < n; i++) {
      eta[i] = (eta[i] as number) + (x[c0 + i] as number) * b0 + (x[c0 + n + i] as number) * b1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      eta[i] =
        (eta[i] as number) +
        (x[c0 + i] as number) * b0 +
        (x[c0 + n + i] as number) * b1 +
        (x[c0 + 2 * n + i] as number) * b2;
    }
  }
}

/** Most distinct "non-integer x" messages reported (R keeps 50 warnings). */
const MAX_NON_INTEGER_WARNINGS = 50;

/** dpois's warning for each distinct non-integer count, as R's Poisson aic emits it ("non-integer x = 1.500000"). */
function addNonIntegerWarnings(warnings: string[], y: Float64Array): void {
  let added = 0;
  for (let i = 0; i < y.length && added < MAX_NON_INTEGER_WARNINGS; i++) {
    const value = y[i] as number;
    if (Number.isInteger(value)) continue;
    const message = `non-integer x = ${value.toFixed(6)}`;
    if (!warnings.includes(message)) {
      warnings.push(message);
      added++;
    }
  }
}
