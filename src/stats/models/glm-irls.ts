import { ModelFitError } from '../errors.ts';
import {
  createQrWorkspace,
  householderQrInPlace,
  type QrDecomposition,
  qrBackSolve,
  qrQty,
} from '../linalg/householder-qr.ts';
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
}

/**
 * The raw result of R's `glm.fit`. `qr`, `workingWeights` come from the last IRLS pass (weights at the mu
 * before the final update); `workingResiduals`, `eta` and `mu` are at the final coefficients.
 */
export interface GlmIrlsFit {
  /** In design column order; aliased columns hold 0 (see `aliased`). */
  readonly coefficients: Float64Array;
  readonly aliased: readonly boolean[];
  readonly rank: number;
  /** Decomposition of the last pass's weighted design (rows with zero working weight removed). */
  readonly qr: QrDecomposition;
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
 * from the family's `initialize` (or `etaStart`), weighted least squares by Householder QR with tolerance
 * min(1e-7, epsilon/1000) and limited pivoting, stopping when |dev - devold| / (|dev| + 0.1) < epsilon or after
 * `maxIterations`, halving the step only for a non-finite deviance or invalid eta/mu. Buffers are allocated
 * once per call; each iteration is O(n p^2) with no per-element allocation.
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

  if (options.etaStart === undefined) {
    family.initialize(y, mu, n);
    for (let i = 0; i < n; i++) eta[i] = family.linkfun(mu[i] as number);
  } else {
    eta.set(options.etaStart);
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
    eta.fill(0);
    for (let j = 0; j < p; j++) {
      const coefficient = start[j] as number;
      const base = j * n;
      for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + (x[base + i] as number) * coefficient;
    }
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
  const rank = qr.rank;
  const aliased = new Array<boolean>(p).fill(false);
  for (let j = rank; j < p; j++) aliased[qr.pivot[j] as number] = true;

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
  return {
    coefficients: start,
    aliased,
    rank,
    qr,
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
