import { InvalidArgumentError, ModelFitError } from '../errors.ts';
import { type QrDecomposition, qrHatValues, qrUnscaledCovariance } from '../linalg/householder-qr.ts';
import type { DesignMatrix } from './design-matrix.ts';
import type { GlmFamilyName } from './glm-family.ts';

/** Heteroskedasticity-consistent covariance types, as `sandwich::vcovHC(type = ...)`. */
export type RobustType = 'HC0' | 'HC1' | 'HC3';

/** What {@link glmSandwichCovariance} needs from a fitted GLM (a `GlmIrlsFit` plus design and family). */
export interface GlmSandwichInput {
  readonly design: DesignMatrix;
  readonly family: GlmFamilyName;
  /** Per design column, whether its coefficient is aliased (NA in R). */
  readonly aliased: readonly boolean[];
  /** Decomposition of the last IRLS pass (`fit$qr`). */
  readonly qr: QrDecomposition;
  /** Design rows in the last pass when some were dropped (R's `good`); undefined means all rows. */
  readonly goodRows?: Int32Array | undefined;
  /** `residuals(fit, "working")`. */
  readonly workingResiduals: Float64Array;
  /** `weights(fit, "working")`. */
  readonly workingWeights: Float64Array;
  /** Number of observations with non-zero prior weight (`rank + df.residual`). */
  readonly dfResidual: number;
  /** 1-based data row of each design row, for the HC3 warning (R prints the model frame's row names). */
  readonly rowNumbers?: Int32Array | undefined;
}

/** Result of {@link glmSandwichCovariance}. */
export interface GlmSandwichCovariance {
  /** Design column index of each row/column of `covariance` (the non-aliased columns, in design order). */
  readonly columns: readonly number[];
  /** k x k, symmetric, for the non-aliased coefficients. */
  readonly covariance: Float64Array;
  /** sandwich's warnings (hat values close to 1 for HC3). */
  readonly warnings: string[];
}

const FIXED_DISPERSION: ReadonlySet<GlmFamilyName> = new Set(['poisson', 'binomial', 'negbin']);

/**
 * Heteroskedasticity-consistent ("sandwich") covariance of a GLM's coefficients, as
 * `sandwich::vcovHC(fit, type)` for a `glm` or `negbin` fit, computed the way sandwich does:
 * `estfun.glm` = working residual x working weight x X / dispersion, `meatHC` recovers each observation's
 * residual as the row mean of estfun / X and weights it (HC0: r^2; HC1: r^2 n / (n - k); HC3: r^2 / (1 - h)^2
 * with h = `hatvalues(fit)`), `bread.glm` = cov.unscaled x n x dispersion, and the result is
 * bread x meat x bread / n. For gaussian and Gamma the dispersion is sandwich's
 * sum(wres^2) / sum(working weights); it cancels between bread and meat as it does in R.
 * O(n k^2).
 * @throws InvalidArgumentError for an unknown type; ModelFitError when HC1 has no residual degrees of
 * freedom or HC3 meets a hat value of 1 (R would return Inf/NaN).
 * @example
 * // Poisson with log link: estfun = (y - mu) x, the Zou (2004) modified-Poisson robust covariance.
 * glmSandwichCovariance({ ...fit, design, family: 'poisson' }, 'HC0').covariance;
 */
export function glmSandwichCovariance(input: GlmSandwichInput, type: RobustType): GlmSandwichCovariance {
  if (type !== 'HC0' && type !== 'HC1' && type !== 'HC3') {
    throw new InvalidArgumentError(`robust covariance requires type HC0, HC1 or HC3 (got ${String(type)})`);
  }
  const { design, workingResiduals, workingWeights } = input;
  const n = design.rowCount;
  const columns: number[] = [];
  for (let j = 0; j < design.columnCount; j++) if (!input.aliased[j]) columns.push(j);
  const k = columns.length;
  const warnings: string[] = [];

  const weightedResiduals = new Float64Array(n);
  let sumSquares = 0;
  let sumWeights = 0;
  for (let i = 0; i < n; i++) {
    const value = (workingResiduals[i] as number) * (workingWeights[i] as number);
    weightedResiduals[i] = value;
    sumSquares += value * value;
    sumWeights += workingWeights[i] as number;
  }
  const dispersion = FIXED_DISPERSION.has(input.family) ? 1 : sumSquares / sumWeights;

  // meatHC: res = rowMeans(estfun / X, na.rm = TRUE), 0 where every estfun entry is below machine epsilon.
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const weighted = weightedResiduals[i] as number;
    let sum = 0;
    let count = 0;
    let allZero = true;
    for (const j of columns) {
      const xValue = design.values[j * n + i] as number;
      const score = (weighted * xValue) / dispersion;
      if (Math.abs(score) >= Number.EPSILON) allZero = false;
      const ratio = score / xValue;
      if (!Number.isNaN(ratio)) {
        sum += ratio;
        count++;
      }
    }
    residuals[i] = allZero ? 0 : sum / count;
  }

  const omega = new Float64Array(n);
  if (type === 'HC0') {
    for (let i = 0; i < n; i++) omega[i] = (residuals[i] as number) * (residuals[i] as number);
  } else if (type === 'HC1') {
    const df = n - k;
    if (df <= 0) {
      throw new ModelFitError(
        `robust HC1 covariance requires more observations than coefficients (got ${n} observations, ${k} coefficients)`,
      );
    }
    for (let i = 0; i < n; i++) omega[i] = ((residuals[i] as number) * (residuals[i] as number) * n) / df;
  } else {
    const hatGood = qrHatValues(input.qr);
    const hat = new Float64Array(n);
    if (input.goodRows === undefined) hat.set(hatGood);
    else
      for (let g = 0; g < input.goodRows.length; g++) hat[input.goodRows[g] as number] = hatGood[g] as number;
    const unstable: string[] = [];
    const threshold = 1 - Math.sqrt(Number.EPSILON);
    for (let i = 0; i < n; i++) {
      const h = hat[i] as number;
      if (h > threshold) unstable.push(String(input.rowNumbers?.[i] ?? i + 1));
      if (h === 1) {
        throw new ModelFitError(
          `robust HC3 covariance requires hat values below 1 (got 1 in row ${input.rowNumbers?.[i] ?? i + 1})`,
        );
      }
      const denominator = 1 - h;
      omega[i] = ((residuals[i] as number) * (residuals[i] as number)) / (denominator * denominator);
    }
    if (unstable.length > 0) {
      const listed = unstable.length > 10 ? [...unstable.slice(0, 10), '...'] : unstable;
      warnings.push(
        `HC3 covariances become numerically unstable if hat values are close to 1 as for observations ${listed.join(', ')}`,
      );
    }
  }

  // meat = crossprod(sqrt(omega) * X) / n
  const scaled = new Float64Array(n * k);
  for (let a = 0; a < k; a++) {
    const source = (columns[a] as number) * n;
    for (let i = 0; i < n; i++)
      scaled[a * n + i] = Math.sqrt(omega[i] as number) * (design.values[source + i] as number);
  }
  const meat = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (scaled[a * n + i] as number) * (scaled[b * n + i] as number);
      meat[a * k + b] = sum / n;
      meat[b * k + a] = sum / n;
    }
  }

  // bread = cov.unscaled * (rank + df.residual) * dispersion. The non-aliased columns keep their relative
  // order under R's limited pivoting, so the pivoted covariance is already in design order.
  const unscaled = qrUnscaledCovariance(input.qr);
  const observations = input.qr.rank + input.dfResidual;
  const bread = new Float64Array(k * k);
  for (let index = 0; index < k * k; index++)
    bread[index] = (unscaled[index] as number) * observations * dispersion;

  const breadMeat = multiply(bread, meat, k);
  const sandwich = multiply(breadMeat, bread, k);
  const covariance = new Float64Array(k * k);
  for (let index = 0; index < k * k; index++) covariance[index] = (1 / n) * (sandwich[index] as number);
  return { columns, covariance, warnings };
}

/** k x k column-major product in the reference BLAS dgemm summation order. */
function multiply(left: Float64Array, right: Float64Array, k: number): Float64Array {
  const product = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < k; l++) {
      const factor = right[j * k + l] as number;
      for (let i = 0; i < k; i++)
        product[j * k + i] = (product[j * k + i] as number) + factor * (left[l * k + i] as number);
    }
  }
  return product;
}
