/**
 * Small dense linear algebra for meta-analytic models (k studies, p coefficients, p small): the
 * inverse of X'WX and metafor's residual projection P = W - WX(X'WX)⁻¹X'W. Internal to meta-analysis.
 * Matrices are row-major Float64Arrays; the design is given as p columns of length k.
 */

/** (X'WX)⁻¹ (p × p) by Gauss-Jordan elimination with partial pivoting; undefined when singular. */
export function inverseCrossProduct(
  design: readonly Float64Array[],
  weights: ArrayLike<number>,
): Float64Array | undefined {
  const p = design.length;
  const k = weights.length;
  const matrix = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    const column = design[r] as Float64Array;
    for (let s = r; s < p; s++) {
      const other = design[s] as Float64Array;
      let sum = 0;
      for (let i = 0; i < k; i++)
        sum += (weights[i] as number) * (column[i] as number) * (other[i] as number);
      matrix[r * p + s] = sum;
      matrix[s * p + r] = sum;
    }
  }
  return invert(matrix, p);
}

/** Weighted least-squares coefficients (X'WX)⁻¹X'Wy, given `inverse` = (X'WX)⁻¹ from inverseCrossProduct. */
export function weightedCoefficients(
  design: readonly Float64Array[],
  weights: ArrayLike<number>,
  response: ArrayLike<number>,
  inverse: Float64Array,
): Float64Array {
  const p = design.length;
  const k = weights.length;
  const coefficients = new Float64Array(p);
  for (let r = 0; r < p; r++) {
    let sum = 0;
    for (let s = 0; s < p; s++) {
      const column = design[s] as Float64Array;
      let crossProduct = 0;
      for (let i = 0; i < k; i++)
        crossProduct += (column[i] as number) * (weights[i] as number) * (response[i] as number);
      sum += (inverse[r * p + s] as number) * crossProduct;
    }
    coefficients[r] = sum;
  }
  return coefficients;
}

/** Inverse of a p × p matrix (row-major); undefined when numerically singular. */
export function invert(matrix: Float64Array, p: number): Float64Array | undefined {
  const work = Float64Array.from(matrix);
  const inverse = new Float64Array(p * p);
  for (let i = 0; i < p; i++) inverse[i * p + i] = 1;
  let scale = 0;
  for (const value of matrix) scale = Math.max(scale, Math.abs(value));
  for (let column = 0; column < p; column++) {
    let pivot = column;
    for (let row = column + 1; row < p; row++) {
      if (Math.abs(work[row * p + column] as number) > Math.abs(work[pivot * p + column] as number))
        pivot = row;
    }
    const pivotValue = work[pivot * p + column] as number;
    if (!(Math.abs(pivotValue) > scale * 1e-13)) return undefined;
    if (pivot !== column) {
      for (let j = 0; j < p; j++) {
        swap(work, pivot * p + j, column * p + j);
        swap(inverse, pivot * p + j, column * p + j);
      }
    }
    for (let j = 0; j < p; j++) {
      work[column * p + j] = (work[column * p + j] as number) / pivotValue;
      inverse[column * p + j] = (inverse[column * p + j] as number) / pivotValue;
    }
    for (let row = 0; row < p; row++) {
      if (row === column) continue;
      const factor = work[row * p + column] as number;
      if (factor === 0) continue;
      for (let j = 0; j < p; j++) {
        work[row * p + j] = (work[row * p + j] as number) - factor * (work[column * p + j] as number);
        inverse[row * p + j] =
          (inverse[row * p + j] as number) - factor * (inverse[column * p + j] as number);
      }
    }
  }
  return inverse;
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = values[i] as number;
  values[i] = values[j] as number;
  values[j] = held;
}

/** log det of a symmetric positive-definite p × p matrix given its inverse's source (X'WX). */
export function logDeterminantCrossProduct(
  design: readonly Float64Array[],
  weights: ArrayLike<number>,
): number {
  const p = design.length;
  const k = weights.length;
  const matrix = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    for (let s = 0; s < p; s++) {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        sum +=
          (weights[i] as number) *
          ((design[r] as Float64Array)[i] as number) *
          ((design[s] as Float64Array)[i] as number);
      }
      matrix[r * p + s] = sum;
    }
  }
  // Cholesky: log det = 2 Σ log L_jj
  let logDeterminant = 0;
  const lower = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diagonal = matrix[j * p + j] as number;
    for (let m = 0; m < j; m++) diagonal -= (lower[j * p + m] as number) ** 2;
    const root = Math.sqrt(diagonal);
    lower[j * p + j] = root;
    logDeterminant += 2 * Math.log(root);
    for (let i = j + 1; i < p; i++) {
      let sum = matrix[i * p + j] as number;
      for (let m = 0; m < j; m++) sum -= (lower[i * p + m] as number) * (lower[j * p + m] as number);
      lower[i * p + j] = sum / root;
    }
  }
  return logDeterminant;
}

/**
 * P = W - WX(X'WX)⁻¹X'W (k × k, row-major), the matrix whose quadratic form y'Py is the weighted residual
 * sum of squares. undefined when X'WX is singular.
 */
export function residualProjection(
  design: readonly Float64Array[],
  weights: ArrayLike<number>,
): Float64Array | undefined {
  const p = design.length;
  const k = weights.length;
  const inverse = inverseCrossProduct(design, weights);
  if (inverse === undefined) return undefined;
  // rows of WX S, then P_ij = w_i δ_ij - (WXS)_i · (WX)_j
  const weightedDesign = new Float64Array(k * p);
  const left = new Float64Array(k * p);
  for (let i = 0; i < k; i++) {
    const w = weights[i] as number;
    for (let r = 0; r < p; r++) weightedDesign[i * p + r] = w * ((design[r] as Float64Array)[i] as number);
    for (let s = 0; s < p; s++) {
      let sum = 0;
      for (let r = 0; r < p; r++)
        sum += (weightedDesign[i * p + r] as number) * (inverse[r * p + s] as number);
      left[i * p + s] = sum;
    }
  }
  const projection = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let sum = 0;
      for (let r = 0; r < p; r++) sum += (left[i * p + r] as number) * (weightedDesign[j * p + r] as number);
      const value = (i === j ? (weights[i] as number) : 0) - sum;
      projection[i * k + j] = value;
      projection[j * k + i] = value;
    }
  }
  return projection;
}

/** y'My for a k × k matrix M. */
export function quadraticForm(matrix: Float64Array, vector: ArrayLike<number>): number {
  const k = vector.length;
  let total = 0;
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += (matrix[i * k + j] as number) * (vector[j] as number);
    total += (vector[i] as number) * row;
  }
  return total;
}

/** M y. */
export function multiply(matrix: Float64Array, vector: ArrayLike<number>): Float64Array {
  const k = vector.length;
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += (matrix[i * k + j] as number) * (vector[j] as number);
    out[i] = row;
  }
  return out;
}

/** Σ diag(M). */
export function trace(matrix: Float64Array, k: number): number {
  let sum = 0;
  for (let i = 0; i < k; i++) sum += matrix[i * k + i] as number;
  return sum;
}

/** Σ_ij M_ij² (= tr(MM) for symmetric M). */
export function sumOfSquares(matrix: Float64Array): number {
  let sum = 0;
  for (const value of matrix) sum += value * value;
  return sum;
}
