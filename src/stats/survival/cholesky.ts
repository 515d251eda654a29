/**
 * The generalised Cholesky routines the survival package uses for Cox models (`cholesky2`, `chsolve2`,
 * `chinv2` in survival's C sources), re-implemented on a dense row-major `size × size` Float64Array.
 *
 * The decomposition is LDL' with the unit lower triangle stored below the diagonal and D on the diagonal.
 * A pivot below `tolerance × (largest diagonal)` marks its column as redundant: the pivot is set to 0 and
 * the column is skipped, so the solve and the inverse treat it as aliased (its coefficient and variance
 * become 0, which coxph reports as NA). Element (row r, column c) is `matrix[r * size + c]`; the routines
 * read and write the same triangles as the C code, so results agree bit for bit in exact order of operations.
 */

/**
 * Factorises a symmetric matrix in place as L·D·L' (as survival's `cholesky2`). Only the upper triangle
 * `matrix[i][j]`, `i < j`, and the diagonal are read; the lower triangle receives L.
 * @returns the rank, negated when the matrix is clearly not non-negative definite (a pivot below −8·tolerance).
 * Complexity O(size³).
 * @example choleskyDecompose(Float64Array.of(4, 2, 2, 3), 2, 1e-12) // 2
 */
export function choleskyDecompose(matrix: Float64Array, size: number, tolerance: number): number {
  let largestDiagonal = 0;
  for (let i = 0; i < size; i++) {
    const diagonal = matrix[i * size + i] as number;
    if (diagonal > largestDiagonal) largestDiagonal = diagonal;
    for (let j = i + 1; j < size; j++) matrix[j * size + i] = matrix[i * size + j] as number;
  }
  const threshold = largestDiagonal === 0 ? tolerance : largestDiagonal * tolerance;
  let rank = 0;
  let nonNegative = 1;
  for (let i = 0; i < size; i++) {
    const pivot = matrix[i * size + i] as number;
    if (!Number.isFinite(pivot) || pivot < threshold) {
      matrix[i * size + i] = 0;
      if (pivot < -8 * threshold) nonNegative = -1;
    } else {
      rank++;
      for (let j = i + 1; j < size; j++) {
        const ratio = (matrix[j * size + i] as number) / pivot;
        matrix[j * size + i] = ratio;
        matrix[j * size + j] = (matrix[j * size + j] as number) - ratio * ratio * pivot;
        for (let k = j + 1; k < size; k++) {
          matrix[k * size + j] = (matrix[k * size + j] as number) - ratio * (matrix[k * size + i] as number);
        }
      }
    }
  }
  return rank * nonNegative;
}

/**
 * Solves A·x = y in place (y becomes x) from a factor made by {@link choleskyDecompose}
 * (as survival's `chsolve2`); components of redundant columns are set to 0. Complexity O(size²).
 * @example
 * const factor = Float64Array.of(4, 2, 2, 3);
 * choleskyDecompose(factor, 2, 1e-12);
 * const y = Float64Array.of(6, 5);
 * choleskySolve(factor, 2, y); // y is now [1, 1]
 */
export function choleskySolve(factor: Float64Array, size: number, y: Float64Array): void {
  for (let i = 0; i < size; i++) {
    let value = y[i] as number;
    for (let j = 0; j < i; j++) value -= (y[j] as number) * (factor[i * size + j] as number);
    y[i] = value;
  }
  for (let i = size - 1; i >= 0; i--) {
    const diagonal = factor[i * size + i] as number;
    if (diagonal === 0) {
      y[i] = 0;
    } else {
      let value = (y[i] as number) / diagonal;
      for (let j = i + 1; j < size; j++) value -= (y[j] as number) * (factor[j * size + i] as number);
      y[i] = value;
    }
  }
}

/**
 * Turns a factor made by {@link choleskyDecompose} into the (generalised) inverse of the original matrix,
 * in place (as survival's `chinv2`). The inverse is left in the upper triangle and diagonal
 * (`matrix[i][j]`, `i <= j`); rows and columns of redundant columns are zero. Complexity O(size³).
 * @example
 * const matrix = Float64Array.of(4, 2, 2, 3);
 * choleskyDecompose(matrix, 2, 1e-12);
 * choleskyInverse(matrix, 2); // matrix[0], matrix[1], matrix[3] are 0.375, -0.25, 0.5
 */
export function choleskyInverse(matrix: Float64Array, size: number): void {
  for (let i = 0; i < size; i++) {
    const diagonal = matrix[i * size + i] as number;
    if (diagonal > 0) {
      matrix[i * size + i] = 1 / diagonal;
      for (let j = i + 1; j < size; j++) {
        const value = -(matrix[j * size + i] as number);
        matrix[j * size + i] = value;
        for (let k = 0; k < i; k++) {
          matrix[j * size + k] = (matrix[j * size + k] as number) + value * (matrix[i * size + k] as number);
        }
      }
    }
  }
  for (let i = 0; i < size; i++) {
    if (matrix[i * size + i] === 0) {
      for (let j = 0; j < i; j++) matrix[j * size + i] = 0;
      for (let j = i; j < size; j++) matrix[i * size + j] = 0;
    } else {
      for (let j = i + 1; j < size; j++) {
        const value = (matrix[j * size + i] as number) * (matrix[j * size + j] as number);
        matrix[i * size + j] = value;
        for (let k = i; k < j; k++) {
          matrix[i * size + k] = (matrix[i * size + k] as number) + value * (matrix[j * size + k] as number);
        }
      }
    }
  }
}
