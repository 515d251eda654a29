import { InvalidArgumentError } from '../errors.ts';

/**
 * A QR decomposition in LINPACK's compact form, as R's `qr()` returns it: the upper triangle of `qr` holds R,
 * the part below the diagonal together with `qraux` holds the Householder vectors, and `pivot` records the
 * limited column pivoting (aliased columns moved to the end).
 */
export interface QrDecomposition {
  readonly rowCount: number;
  readonly columnCount: number;
  /** Column-major `rowCount` x `columnCount`: R's `qr()$qr`. */
  readonly qr: Float64Array;
  /** R's `qr()$qraux`. */
  readonly qraux: Float64Array;
  /** 0-based: column `j` of the decomposition is column `pivot[j]` of the input (R's `pivot - 1`). */
  readonly pivot: Int32Array;
  /** Number of linearly independent columns; columns `pivot[rank..]` are aliased. */
  readonly rank: number;
  readonly tolerance: number;
}

/** Result of {@link qrLeastSquares}. */
export interface QrLeastSquares {
  /** In the input's column order; aliased columns get 0, as in R's `Cdqrls` (`lm.fit` reports them as NA). */
  readonly coefficients: Float64Array;
  /** `Q'y` (R's `effects`). */
  readonly effects: Float64Array;
  readonly residuals: Float64Array;
}

const SMALL_NORM = 1.4916681462400413e-154; // 2^-511: below this, squares can underflow
const LARGE_NORM = 1.997919072202235e146; // 2^486: above this, squares can overflow

/**
 * Euclidean norm of `values[start .. start+length)`. In the mid range this is `sqrt` of the sequential sum of
 * squares, which is what reference BLAS 3.10+ `dnrm2` computes; extreme magnitudes are rescaled first.
 */
function norm2(values: Float64Array, start: number, length: number): number {
  let sum = 0;
  let largest = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const value = values[i] as number;
    sum += value * value;
    const magnitude = Math.abs(value);
    if (magnitude > largest) largest = magnitude;
  }
  if (largest === 0) return 0;
  if (largest > SMALL_NORM && largest < LARGE_NORM && Number.isFinite(sum)) return Math.sqrt(sum);
  let scaled = 0;
  for (let i = start; i < end; i++) {
    const value = (values[i] as number) / largest;
    scaled += value * value;
  }
  return largest * Math.sqrt(scaled);
}

/** Reusable scratch space for {@link householderQrInPlace}; sized for `rowCount` x `columnCount`. */
export interface QrWorkspace {
  readonly originalNorms: Float64Array;
  readonly currentNorms: Float64Array;
  readonly column: Float64Array;
}

/** Allocates scratch space for repeated decompositions of matrices up to the given size. */
export function createQrWorkspace(rowCount: number, columnCount: number): QrWorkspace {
  return {
    originalNorms: new Float64Array(columnCount),
    currentNorms: new Float64Array(columnCount),
    column: new Float64Array(rowCount),
  };
}

function checkShape(name: string, values: Float64Array, rowCount: number, columnCount: number): void {
  if (!Number.isInteger(rowCount) || rowCount < 0 || !Number.isInteger(columnCount) || columnCount < 0) {
    throw new InvalidArgumentError(
      `${name} requires non-negative integer dimensions (got ${rowCount} x ${columnCount})`,
    );
  }
  if (values.length < rowCount * columnCount) {
    throw new InvalidArgumentError(
      `${name} requires ${rowCount * columnCount} matrix values for ${rowCount} x ${columnCount} (got ${values.length})`,
    );
  }
}

/**
 * dqrdc2's update of the remaining norm of column j after reflection l; re-computed from scratch after a
 * large reduction (tolerance 1e-6 on the squared norm).
 */
function downdateNorm(
  x: Float64Array,
  n: number,
  l: number,
  j: number,
  qraux: Float64Array,
  currentNorms: Float64Array,
): void {
  const remaining = qraux[j] as number;
  if (remaining === 0) return;
  const start = j * n + l;
  const ratio = Math.abs(x[start] as number) / remaining;
  const shrink = Math.max(1 - ratio * ratio, 0);
  if (Math.abs(shrink) >= 1e-6) {
    qraux[j] = remaining * Math.sqrt(shrink);
  } else {
    const recomputed = norm2(x, start + 1, n - l - 1);
    qraux[j] = recomputed;
    currentNorms[j] = recomputed;
  }
}

/**
 * Householder QR with R's limited column pivoting, overwriting `matrix` (column-major) with the compact
 * factorisation. This is LINPACK `dqrdc2` as R uses it in `qr()`, `lm.fit` (tolerance 1e-7) and `glm.fit`
 * (tolerance 1e-11): a column whose remaining norm falls below `tolerance` times its original norm is moved
 * to the right-hand end and the rank reduced, so aliased columns keep their relative order. Floating-point
 * operations follow dqrdc2 step by step (reciprocal scaling, norm downdating with re-computation), so the
 * result agrees with R's to the last bits. Complexity O(n p^2).
 * @param pivot Receives the 0-based column permutation; allocated when omitted.
 * @throws InvalidArgumentError when the dimensions do not match `matrix` or `tolerance` is negative.
 * @example
 * const qr = householderQrInPlace(Float64Array.of(1, 1, 1, 2, 2, 2), 3, 2, 1e-7);
 * qr.rank; // 1 (the second column is twice the first)
 */
export function householderQrInPlace(
  matrix: Float64Array,
  rowCount: number,
  columnCount: number,
  tolerance = 1e-7,
  workspace: QrWorkspace = createQrWorkspace(rowCount, columnCount),
  qraux: Float64Array = new Float64Array(columnCount),
  pivot: Int32Array = new Int32Array(columnCount),
): QrDecomposition {
  checkShape('householderQr', matrix, rowCount, columnCount);
  if (!(tolerance >= 0)) {
    throw new InvalidArgumentError(`householderQr requires a non-negative tolerance (got ${tolerance})`);
  }
  const n = rowCount;
  const p = columnCount;
  const x = matrix;
  const { originalNorms, currentNorms, column } = workspace;
  for (let j = 0; j < p; j++) pivot[j] = j;
  if (n > 0) {
    for (let j = 0; j < p; j++) {
      const norm = norm2(x, j * n, n);
      qraux[j] = norm;
      currentNorms[j] = norm;
      originalNorms[j] = norm === 0 ? 1 : norm;
    }
  }
  const steps = Math.min(n, p);
  // `limit` is dqrdc2's k: columns at positions >= limit have been moved to the end as negligible.
  let limit = p;
  for (let l = 0; l < steps; l++) {
    // Cycle negligible columns to the end until column l has a non-negligible remaining norm.
    while (l < limit && (qraux[l] as number) < (originalNorms[l] as number) * tolerance) {
      column.set(x.subarray(l * n, (l + 1) * n));
      x.copyWithin(l * n, (l + 1) * n, p * n);
      x.set(column, (p - 1) * n);
      const movedPivot = pivot[l] as number;
      const movedRemaining = qraux[l] as number;
      const movedCurrent = currentNorms[l] as number;
      const movedOriginal = originalNorms[l] as number;
      for (let j = l + 1; j < p; j++) {
        pivot[j - 1] = pivot[j] as number;
        qraux[j - 1] = qraux[j] as number;
        currentNorms[j - 1] = currentNorms[j] as number;
        originalNorms[j - 1] = originalNorms[j] as number;
      }
      pivot[p - 1] = movedPivot;
      qraux[p - 1] = movedRemaining;
      currentNorms[p - 1] = movedCurrent;
      originalNorms[p - 1] = movedOriginal;
      limit--;
    }
    if (l === n - 1) continue;
    const diagonal = l * n + l;
    const length = n - l;
    let columnNorm = norm2(x, diagonal, length);
    if (columnNorm === 0) continue;
    if ((x[diagonal] as number) !== 0) columnNorm = Math.sign(x[diagonal] as number) * Math.abs(columnNorm);
    const reciprocal = 1 / columnNorm;
    for (let i = diagonal, end = diagonal + length; i < end; i++) x[i] = (x[i] as number) * reciprocal;
    x[diagonal] = 1 + (x[diagonal] as number);
    const pivotValue = x[diagonal] as number;
    // Apply the reflection to the remaining columns, four at a time: each column's dot product is still
    // summed sequentially (as BLAS ddot), so the result is bit-identical, but the four independent sums and
    // the shared reads of the Householder vector run several times faster.
    const householder = x.subarray(diagonal, diagonal + length);
    let j = l + 1;
    for (; j + 3 < p; j += 4) {
      const column0 = x.subarray(j * n + l, j * n + n);
      const column1 = x.subarray((j + 1) * n + l, (j + 1) * n + n);
      const column2 = x.subarray((j + 2) * n + l, (j + 2) * n + n);
      const column3 = x.subarray((j + 3) * n + l, (j + 3) * n + n);
      let dot0 = 0;
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      for (let i = 0; i < length; i++) {
        const v = householder[i] as number;
        dot0 += v * (column0[i] as number);
        dot1 += v * (column1[i] as number);
        dot2 += v * (column2[i] as number);
        dot3 += v * (column3[i] as number);
      }
      const step0 = -dot0 / pivotValue;
      const step1 = -dot1 / pivotValue;
      const step2 = -dot2 / pivotValue;
      const step3 = -dot3 / pivotValue;
      for (let i = 0; i < length; i++) {
        const v = householder[i] as number;
        column0[i] = (column0[i] as number) + step0 * v;
        column1[i] = (column1[i] as number) + step1 * v;
        column2[i] = (column2[i] as number) + step2 * v;
        column3[i] = (column3[i] as number) + step3 * v;
      }
      for (let column = j; column < j + 4; column++) downdateNorm(x, n, l, column, qraux, currentNorms);
    }
    for (; j < p; j++) {
      const start = j * n + l;
      let dot = 0;
      for (let i = 0; i < length; i++) dot += (x[diagonal + i] as number) * (x[start + i] as number);
      const step = -dot / pivotValue;
      for (let i = 0; i < length; i++)
        x[start + i] = (x[start + i] as number) + step * (x[diagonal + i] as number);
      downdateNorm(x, n, l, j, qraux, currentNorms);
    }
    qraux[l] = pivotValue;
    x[diagonal] = -columnNorm;
  }
  const rank = Math.min(limit, n);
  return { rowCount: n, columnCount: p, qr: x, qraux, pivot, rank, tolerance };
}

/**
 * Householder QR with R's limited column pivoting, as `qr(x, tol = tolerance)` (LINPACK, the default), on a
 * copy of the column-major `matrix`. See {@link householderQrInPlace}.
 * @throws InvalidArgumentError when the dimensions do not match `matrix` or `tolerance` is negative.
 * @example
 * const qr = householderQr(Float64Array.of(1, 1, 1, 1, 2, 3), 3, 2);
 * qr.rank; // 2
 * qr.qr[0]; // -1.7320508075688772, as qr(cbind(1, 1:3))$qr[1, 1]
 */
export function householderQr(
  matrix: Float64Array,
  rowCount: number,
  columnCount: number,
  tolerance = 1e-7,
): QrDecomposition {
  checkShape('householderQr', matrix, rowCount, columnCount);
  return householderQrInPlace(matrix.slice(0, rowCount * columnCount), rowCount, columnCount, tolerance);
}

/** Number of Householder transformations stored: LINPACK dqrsl's `min(k, n - 1)`. */
function transformationCount(decomposition: QrDecomposition): number {
  return Math.min(decomposition.rank, decomposition.rowCount - 1);
}

/** Applies Householder transformation `j` to `vector` in place (one step of dqrsl). */
function applyTransformation(decomposition: QrDecomposition, j: number, vector: Float64Array): void {
  const { qr, qraux, rowCount: n } = decomposition;
  const head = qraux[j] as number;
  if (head === 0) return;
  const base = j * n;
  let dot = head * (vector[j] as number);
  for (let i = j + 1; i < n; i++) dot += (qr[base + i] as number) * (vector[i] as number);
  const step = -dot / head;
  vector[j] = (vector[j] as number) + step * head;
  for (let i = j + 1; i < n; i++) vector[i] = (vector[i] as number) + step * (qr[base + i] as number);
}

function checkVector(name: string, decomposition: QrDecomposition, vector: Float64Array): void {
  if (vector.length !== decomposition.rowCount) {
    throw new InvalidArgumentError(
      `${name} requires a vector of length ${decomposition.rowCount} (got ${vector.length})`,
    );
  }
}

/**
 * `Q'y`, as R's `qr.qty(qr, y)`.
 * @param out Receives the result (may be `y` itself); allocated when omitted.
 * @throws InvalidArgumentError when `y` does not have one value per row.
 * @example
 * qrQty(householderQr(Float64Array.of(3, 4), 2, 1), Float64Array.of(3, 4)); // [-5, 0]
 */
export function qrQty(decomposition: QrDecomposition, y: Float64Array, out?: Float64Array): Float64Array {
  checkVector('qrQty', decomposition, y);
  const result = out ?? new Float64Array(y.length);
  if (result !== y) result.set(y);
  const count = transformationCount(decomposition);
  for (let j = 0; j < count; j++) applyTransformation(decomposition, j, result);
  return result;
}

/**
 * `Qy`, as R's `qr.qy(qr, y)`.
 * @param out Receives the result (may be `y` itself); allocated when omitted.
 * @throws InvalidArgumentError when `y` does not have one value per row.
 * @example
 * qrQy(householderQr(Float64Array.of(3, 4), 2, 1), Float64Array.of(-5, 0)); // [3, 4]
 */
export function qrQy(decomposition: QrDecomposition, y: Float64Array, out?: Float64Array): Float64Array {
  checkVector('qrQy', decomposition, y);
  const result = out ?? new Float64Array(y.length);
  if (result !== y) result.set(y);
  for (let j = transformationCount(decomposition) - 1; j >= 0; j--)
    applyTransformation(decomposition, j, result);
  return result;
}

/**
 * Solves `R b = effects[0..rank)` by back substitution in dqrsl's column order and scatters `b` to the
 * input's column order; aliased columns get 0 (as `Cdqrls`).
 * @param out Receives the `columnCount` coefficients; allocated when omitted.
 * @throws InvalidArgumentError when `effects` is shorter than the rank.
 * @example
 * const qr = householderQr(Float64Array.of(1, 1, 1, 1, 2, 3), 3, 2);
 * qrBackSolve(qr, qrQty(qr, Float64Array.of(2, 4, 6))); // [0, 2]
 */
export function qrBackSolve(
  decomposition: QrDecomposition,
  effects: Float64Array,
  out?: Float64Array,
): Float64Array {
  const { qr, rowCount: n, columnCount: p, rank, pivot } = decomposition;
  if (effects.length < rank) {
    throw new InvalidArgumentError(`qrBackSolve requires at least ${rank} effects (got ${effects.length})`);
  }
  const solution = new Float64Array(rank);
  for (let j = 0; j < rank; j++) solution[j] = effects[j] as number;
  for (let j = rank - 1; j >= 0; j--) {
    solution[j] = (solution[j] as number) / (qr[j * n + j] as number);
    const step = -(solution[j] as number);
    const base = j * n;
    for (let i = 0; i < j; i++) solution[i] = (solution[i] as number) + step * (qr[base + i] as number);
  }
  const result = out ?? new Float64Array(p);
  result.fill(0);
  for (let j = 0; j < rank; j++) result[pivot[j] as number] = solution[j] as number;
  return result;
}

/**
 * Least-squares solution of `X b = y` from the decomposition of X, as R's `Cdqrls` (the engine of `lm.fit`
 * and `glm.fit`): coefficients (aliased ones 0), effects `Q'y` and residuals.
 * @throws InvalidArgumentError when `y` does not have one value per row.
 * @example
 * const qr = householderQr(Float64Array.of(1, 1, 1, 1, 2, 3), 3, 2);
 * qrLeastSquares(qr, Float64Array.of(1, 3, 2)).coefficients; // [1, 0.5]
 */
export function qrLeastSquares(decomposition: QrDecomposition, y: Float64Array): QrLeastSquares {
  const effects = qrQty(decomposition, y);
  const coefficients = qrBackSolve(decomposition, effects);
  const residuals = effects.slice();
  residuals.fill(0, 0, decomposition.rank);
  qrQy(decomposition, residuals, residuals);
  return { coefficients, effects, residuals };
}

/**
 * Whether each input column is aliased (linearly dependent on earlier ones within the tolerance), in the
 * input's column order: R's `is.na(coef(fit))`.
 * @example
 * qrAliased(householderQr(Float64Array.of(1, 1, 2, 2), 2, 2)); // [false, true]
 */
export function qrAliased(decomposition: QrDecomposition): boolean[] {
  const aliased = new Array<boolean>(decomposition.columnCount).fill(false);
  for (let j = decomposition.rank; j < decomposition.columnCount; j++)
    aliased[decomposition.pivot[j] as number] = true;
  return aliased;
}

/**
 * The unscaled covariance `(R'R)^-1` of the `rank` non-aliased columns, in pivoted order (row-major and
 * column-major agree: it is symmetric), as R's `chol2inv(qr$qr[1:rank, 1:rank])` in `summary.glm` and
 * `summary.lm`. Element (a, b) concerns input columns `pivot[a]` and `pivot[b]`. O(rank^3).
 * @example
 * qrUnscaledCovariance(householderQr(Float64Array.of(1, 1, 1, 1), 4, 1)); // [0.25]
 */
export function qrUnscaledCovariance(decomposition: QrDecomposition): Float64Array {
  const { qr, rowCount: n, rank: k } = decomposition;
  // U = R^-1 (upper triangular, column-major k x k), column by column in LAPACK dtrti2's order.
  const u = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const inverseDiagonal = 1 / (qr[j * n + j] as number);
    u[j * k + j] = inverseDiagonal;
    const column = j * k;
    for (let i = 0; i < j; i++) u[column + i] = qr[j * n + i] as number;
    // x := U[0:j, 0:j] x (dtrmv, upper, no transpose)
    for (let m = 0; m < j; m++) {
      const value = u[column + m] as number;
      if (value === 0) continue;
      for (let i = 0; i < m; i++)
        u[column + i] = (u[column + i] as number) + value * (u[m * k + i] as number);
      u[column + m] = value * (u[m * k + m] as number);
    }
    for (let i = 0; i < j; i++) u[column + i] = (u[column + i] as number) * -inverseDiagonal;
  }
  // U U' in LAPACK dlauu2's order (upper triangle), then mirrored.
  for (let i = 0; i < k; i++) {
    const diagonal = u[i * k + i] as number;
    if (i < k - 1) {
      let dot = 0;
      for (let m = i; m < k; m++) dot += (u[m * k + i] as number) * (u[m * k + i] as number);
      u[i * k + i] = dot;
      for (let r = 0; r < i; r++) u[i * k + r] = diagonal * (u[i * k + r] as number);
      for (let m = i + 1; m < k; m++) {
        const factor = u[m * k + i] as number;
        for (let r = 0; r < i; r++)
          u[i * k + r] = (u[i * k + r] as number) + factor * (u[m * k + r] as number);
      }
    } else {
      for (let r = 0; r <= i; r++) u[i * k + r] = diagonal * (u[i * k + r] as number);
    }
  }
  for (let j = 0; j < k; j++) for (let i = j + 1; i < k; i++) u[j * k + i] = u[i * k + j] as number;
  return u;
}

/**
 * Diagonal of the hat matrix `Q1 Q1'` (Q1 = first `rank` columns of Q), as R's `lm.influence(fit)$hat`
 * (values within 10 machine epsilons of 1 become 1). For a glm's last-pass decomposition these are
 * `hatvalues(glm)`. O(n rank^2).
 * @example
 * qrHatValues(householderQr(Float64Array.of(1, 1, 1, 1), 4, 1)); // [0.25, 0.25, 0.25, 0.25]
 */
export function qrHatValues(decomposition: QrDecomposition): Float64Array {
  const n = decomposition.rowCount;
  const hat = new Float64Array(n);
  const column = new Float64Array(n);
  for (let c = 0; c < decomposition.rank; c++) {
    column.fill(0);
    column[c] = 1;
    for (let j = transformationCount(decomposition) - 1; j >= 0; j--)
      applyTransformation(decomposition, j, column);
    for (let i = 0; i < n; i++) hat[i] = (hat[i] as number) + (column[i] as number) * (column[i] as number);
  }
  const nearOne = 1 - 10 * Number.EPSILON;
  for (let i = 0; i < n; i++) if ((hat[i] as number) > nearOne) hat[i] = 1;
  return hat;
}
