import { InvalidArgumentError } from '../errors.ts';

/** Rows per block in {@link weightedCrossProduct}: (columns + 1) x 256 doubles stay in the L1/L2 cache. */
const BLOCK_ROWS = 256;

/** Scratch space for {@link weightedCrossProduct} and {@link solveEquilibratedCholesky} with `columnCount` columns. */
export interface NormalEquationsWorkspace {
  readonly columnCount: number;
  /**
   * Column-major (columnCount + 1) x BLOCK_ROWS block of weighted rows for {@link weightedCrossProduct};
   * allocated on its first use (empty until then).
   */
  block: Float64Array;
  /** Column-major (columnCount + 1) x (columnCount + 1) running sums. */
  readonly total: Float64Array;
  /** The eight sums of one tile in {@link weightedGram}. */
  readonly tile: Float64Array;
  /** Column-major columnCount x columnCount: the equilibrated Cholesky factor, then its inverse. */
  readonly factor: Float64Array;
  readonly scale: Float64Array;
  readonly work: Float64Array;
}

/** Allocates scratch space for normal equations with `columnCount` unknowns. */
export function createNormalEquationsWorkspace(columnCount: number): NormalEquationsWorkspace {
  return {
    columnCount,
    block: new Float64Array(0),
    total: new Float64Array((columnCount + 1) * (columnCount + 1)),
    tile: new Float64Array(8),
    factor: new Float64Array(columnCount * columnCount),
    scale: new Float64Array(columnCount),
    work: new Float64Array(columnCount),
  };
}

/**
 * The weighted cross products of a column-major `rowCount` x `columnCount` matrix X: `gram = (WX)'(WX)` and
 * `rhs = (WX)'v` with W = diag(`weights`), as R's `crossprod(w * X)` and `crossprod(w * X, v)` (v is taken
 * as given, not weighted). Rows are processed in cache-sized blocks and four columns at a time; `gram` is
 * written in full (column-major, symmetric). O(rowCount columnCount^2).
 * @throws InvalidArgumentError when an array is shorter than the dimensions require.
 * @example
 * const gram = new Float64Array(1);
 * const rhs = new Float64Array(1);
 * weightedCrossProduct(Float64Array.of(1, 2), 2, 1, Float64Array.of(1, 2), Float64Array.of(3, 4), gram, rhs);
 * gram[0]; // 17 = 1^2 + 4^2
 * rhs[0]; // 19 = 1 * 3 + 4 * 4
 */
export function weightedCrossProduct(
  matrix: Float64Array,
  rowCount: number,
  columnCount: number,
  weights: Float64Array,
  vector: Float64Array,
  gram: Float64Array,
  rhs: Float64Array,
  workspace: NormalEquationsWorkspace = createNormalEquationsWorkspace(columnCount),
): void {
  const n = rowCount;
  const p = columnCount;
  if (
    matrix.length < n * p ||
    weights.length < n ||
    vector.length < n ||
    gram.length < p * p ||
    rhs.length < p ||
    workspace.columnCount !== p
  ) {
    throw new InvalidArgumentError(
      `weightedCrossProduct requires arrays sized for ${n} x ${p} (got matrix ${matrix.length}, weights ${weights.length}, vector ${vector.length}, gram ${gram.length}, rhs ${rhs.length}, workspace for ${workspace.columnCount} columns)`,
    );
  }
  if (workspace.block.length === 0) workspace.block = new Float64Array((p + 1) * BLOCK_ROWS);
  const { block, total } = workspace;
  const q = p + 1; // the block's last column holds `vector`, so the rhs is column p of the extended product
  // Upper triangle of the extended q x q product (column-major), accumulated block by block.
  total.fill(0);
  for (let first = 0; first < n; first += BLOCK_ROWS) {
    const m = Math.min(BLOCK_ROWS, n - first);
    for (let j = 0; j < p; j++) {
      const source = j * n + first;
      const target = j * BLOCK_ROWS;
      for (let r = 0; r < m; r++)
        block[target + r] = (matrix[source + r] as number) * (weights[first + r] as number);
    }
    const last = p * BLOCK_ROWS;
    for (let r = 0; r < m; r++) block[last + r] = vector[first + r] as number;
    accumulateBlock(block, m, q, total);
  }
  for (let k = 0; k < p; k++) {
    for (let j = 0; j <= k; j++) {
      const value = total[k * q + j] as number;
      gram[k * p + j] = value;
      gram[j * p + k] = value;
    }
    rhs[k] = total[p * q + k] as number;
  }
}

/**
 * Adds the upper triangle of B'B to `total` (column-major q x q) for the column-major block B of `m` rows
 * (column stride BLOCK_ROWS), two columns against four at a time so that each loaded value feeds several of
 * the eight independent sums. Each entry is still one sequential sum over the block's rows.
 */
function accumulateBlock(block: Float64Array, m: number, q: number, total: Float64Array): void {
  let j = 0;
  for (; j + 1 < q; j += 2) {
    const a0 = j * BLOCK_ROWS;
    const a1 = a0 + BLOCK_ROWS;
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let r = 0; r < m; r++) {
      const u = block[a0 + r] as number;
      const v = block[a1 + r] as number;
      s00 += u * u;
      s01 += u * v;
      s11 += v * v;
    }
    total[j * q + j] = (total[j * q + j] as number) + s00;
    total[(j + 1) * q + j] = (total[(j + 1) * q + j] as number) + s01;
    total[(j + 1) * q + j + 1] = (total[(j + 1) * q + j + 1] as number) + s11;
    let k = j + 2;
    for (; k + 3 < q; k += 4) {
      const b0 = k * BLOCK_ROWS;
      const b1 = b0 + BLOCK_ROWS;
      const b2 = b1 + BLOCK_ROWS;
      const b3 = b2 + BLOCK_ROWS;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let r = 0; r < m; r++) {
        const u = block[a0 + r] as number;
        const v = block[a1 + r] as number;
        const c0 = block[b0 + r] as number;
        const c1 = block[b1 + r] as number;
        const c2 = block[b2 + r] as number;
        const c3 = block[b3 + r] as number;
        s0 += u * c0;
        s1 += u * c1;
        s2 += u * c2;
        s3 += u * c3;
        t0 += v * c0;
        t1 += v * c1;
        t2 += v * c2;
        t3 += v * c3;
      }
      total[k * q + j] = (total[k * q + j] as number) + s0;
      total[(k + 1) * q + j] = (total[(k + 1) * q + j] as number) + s1;
      total[(k + 2) * q + j] = (total[(k + 2) * q + j] as number) + s2;
      total[(k + 3) * q + j] = (total[(k + 3) * q + j] as number) + s3;
      total[k * q + j + 1] = (total[k * q + j + 1] as number) + t0;
      total[(k + 1) * q + j + 1] = (total[(k + 1) * q + j + 1] as number) + t1;
      total[(k + 2) * q + j + 1] = (total[(k + 2) * q + j + 1] as number) + t2;
      total[(k + 3) * q + j + 1] = (total[(k + 3) * q + j + 1] as number) + t3;
    }
    for (; k < q; k++) {
      const b = k * BLOCK_ROWS;
      let s = 0;
      let t = 0;
      for (let r = 0; r < m; r++) {
        const c = block[b + r] as number;
        s += (block[a0 + r] as number) * c;
        t += (block[a1 + r] as number) * c;
      }
      total[k * q + j] = (total[k * q + j] as number) + s;
      total[k * q + j + 1] = (total[k * q + j + 1] as number) + t;
    }
  }
  if (j < q) {
    // The last column alone (q odd): only its diagonal entry remains.
    const a = j * BLOCK_ROWS;
    let s = 0;
    for (let r = 0; r < m; r++) s += (block[a + r] as number) * (block[a + r] as number);
    total[j * q + j] = (total[j * q + j] as number) + s;
  }
}

/**
 * Solves the symmetric positive definite system `gram b = rhs` by Cholesky factorisation after scaling rows
 * and columns to a unit diagonal (equilibration), and returns the largest diagonal element of the inverse of
 * the equilibrated matrix: for a cross-product matrix this is the largest (uncentred) variance inflation
 * factor 1 / (1 - R_j^2), a condition estimate within a factor `columnCount`^2 of the 2-norm condition
 * number. The caller decides whether the solution is accurate enough; `Infinity` (with `solution` left
 * unspecified) means the matrix is not numerically positive definite (a zero or non-finite diagonal, or a
 * non-positive pivot). O(columnCount^3).
 * @param gram Column-major `columnCount` x `columnCount`; only the upper triangle is read.
 * @throws InvalidArgumentError when an array is shorter than `columnCount` requires.
 * @example
 * const solution = new Float64Array(2);
 * solveEquilibratedCholesky(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2, solution); // 1.5 (VIF)
 * solution; // [0.5, 0]
 */
export function solveEquilibratedCholesky(
  gram: Float64Array,
  rhs: Float64Array,
  columnCount: number,
  solution: Float64Array,
  workspace: NormalEquationsWorkspace = createNormalEquationsWorkspace(columnCount),
): number {
  const p = columnCount;
  if (gram.length < p * p || rhs.length < p || solution.length < p || workspace.columnCount !== p) {
    throw new InvalidArgumentError(
      `solveEquilibratedCholesky requires arrays sized for ${p} unknowns (got gram ${gram.length}, rhs ${rhs.length}, solution ${solution.length}, workspace for ${workspace.columnCount})`,
    );
  }
  const { factor: u, scale, work: y } = workspace;
  for (let j = 0; j < p; j++) {
    const diagonal = gram[j * p + j] as number;
    if (!(diagonal > 0 && diagonal < Number.POSITIVE_INFINITY)) return Number.POSITIVE_INFINITY;
    scale[j] = 1 / Math.sqrt(diagonal);
  }
  // U'U = D gram D with U upper triangular (column-major), column by column.
  for (let k = 0; k < p; k++) {
    const column = k * p;
    const scaleK = scale[k] as number;
    for (let j = 0; j <= k; j++) {
      let value = (gram[column + j] as number) * (scale[j] as number) * scaleK;
      const other = j * p;
      for (let m = 0; m < j; m++) value -= (u[other + m] as number) * (u[column + m] as number);
      if (j < k) {
        u[column + j] = value / (u[other + j] as number);
      } else {
        if (!(value > 0)) return Number.POSITIVE_INFINITY;
        u[column + k] = Math.sqrt(value);
      }
    }
  }
  // U'y = D rhs, then U s = y; the solution is D s.
  for (let j = 0; j < p; j++) {
    let value = (rhs[j] as number) * (scale[j] as number);
    const column = j * p;
    for (let m = 0; m < j; m++) value -= (u[column + m] as number) * (y[m] as number);
    y[j] = value / (u[column + j] as number);
  }
  for (let j = p - 1; j >= 0; j--) {
    let value = y[j] as number;
    for (let k = j + 1; k < p; k++) value -= (u[k * p + j] as number) * (solution[k] as number);
    solution[j] = value / (u[j * p + j] as number);
  }
  for (let j = 0; j < p; j++) solution[j] = (solution[j] as number) * (scale[j] as number);
  // U^-1 in place (upper triangular), then diag((U'U)^-1)_j = sum over k >= j of (U^-1)_jk^2.
  for (let k = 0; k < p; k++) {
    const column = k * p;
    const inverseDiagonal = 1 / (u[column + k] as number);
    for (let j = 0; j < k; j++) {
      let value = 0;
      for (let m = j; m < k; m++) value += (u[m * p + j] as number) * (u[column + m] as number);
      y[j] = -value * inverseDiagonal;
    }
    for (let j = 0; j < k; j++) u[column + j] = y[j] as number;
    u[column + k] = inverseDiagonal;
  }
  let largest = 0;
  for (let j = 0; j < p; j++) {
    let value = 0;
    for (let k = j; k < p; k++) value += (u[k * p + j] as number) * (u[k * p + j] as number);
    if (value > largest) largest = value;
  }
  return largest;
}

/**
 * The inverse of the matrix last passed to {@link solveEquilibratedCholesky} with this workspace, from the
 * inverse factor it leaves behind: gram^-1 = D U^-1 U^-T D. Only valid after a call that returned a finite
 * value. For a weighted cross product this is the unscaled covariance `(X'WX)^-1`; its diagonal has a
 * relative error of about `columnCount` x (largest VIF) x machine epsilon. O(columnCount^3).
 * @param out Receives the `columnCount` x `columnCount` symmetric inverse (row- and column-major agree).
 * @throws InvalidArgumentError when `out` is shorter than `columnCount`^2.
 * @example
 * const workspace = createNormalEquationsWorkspace(2);
 * solveEquilibratedCholesky(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2, new Float64Array(2), workspace);
 * equilibratedCholeskyInverse(workspace, new Float64Array(4)); // [0.375, -0.25, -0.25, 0.5] to rounding
 */
export function equilibratedCholeskyInverse(
  workspace: NormalEquationsWorkspace,
  out: Float64Array,
): Float64Array {
  const p = workspace.columnCount;
  if (out.length < p * p) {
    throw new InvalidArgumentError(
      `equilibratedCholeskyInverse requires an output of ${p * p} values (got ${out.length})`,
    );
  }
  const { factor: inverse, scale } = workspace;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      // Row i of U^-1 dotted with row j, over the columns k >= j where both are non-zero.
      let value = 0;
      for (let k = j; k < p; k++) value += (inverse[k * p + i] as number) * (inverse[k * p + j] as number);
      value *= (scale[i] as number) * (scale[j] as number);
      out[i * p + j] = value;
      out[j * p + i] = value;
    }
  }
  return out;
}

/** Rows per block in {@link weightedGram}: the tile's seven column streams of this many doubles stay in L2. */
const GRAM_BLOCK_ROWS = 1024;

/**
 * The weighted normal equations `gram = X'WX` and `rhs = X'Wz` (W = diag(w), the weights themselves, e.g.
 * glm's working weights, not their square roots) from one column-major `rowCount` x (`columnCount` + 2)
 * array holding [X z w]: X's columns, then z, then w. Rows are taken in blocks of {@link GRAM_BLOCK_ROWS}
 * and the upper triangle of [X z]'W[X z] two columns against four at a time, multiplying by the weight
 * inside the loop, so each loaded value feeds several of eight independent sums and no weighted copy of X
 * is written. Everything the loop reads is in one typed array because V8 checks and re-reads every typed
 * array an optimised loop touches on each iteration: one array instead of seven halves the instructions.
 * `gram` is written in full (column-major, symmetric). O(rowCount columnCount^2).
 * @throws InvalidArgumentError when an array is shorter than the dimensions require.
 * @example
 * const gram = new Float64Array(1);
 * const rhs = new Float64Array(1);
 * // X = [1, 2], z = [3, 2], w = [1, 4]
 * weightedGram(Float64Array.of(1, 2, 3, 2, 1, 4), 2, 1, gram, rhs);
 * gram[0]; // 17 = 1 * 1 + 4 * 2^2
 * rhs[0]; // 19 = 1 * 1 * 3 + 4 * 2 * 2
 */
export function weightedGram(
  augmented: Float64Array,
  rowCount: number,
  columnCount: number,
  gram: Float64Array,
  rhs: Float64Array,
  workspace: NormalEquationsWorkspace = createNormalEquationsWorkspace(columnCount),
): void {
  const n = rowCount;
  const p = columnCount;
  if (
    augmented.length < n * (p + 2) ||
    gram.length < p * p ||
    rhs.length < p ||
    workspace.columnCount !== p
  ) {
    throw new InvalidArgumentError(
      `weightedGram requires arrays sized for ${n} x ${p} (got augmented ${augmented.length}, gram ${gram.length}, rhs ${rhs.length}, workspace for ${workspace.columnCount} columns)`,
    );
  }
  const q = p + 1; // [X z]: the rhs is the last column of its cross product
  const last = q - 1;
  const weightOffset = q * n;
  const { total, tile: sums } = workspace; // total: upper triangle of the q x q product, column-major
  total.fill(0);
  for (let first = 0; first < n; first += GRAM_BLOCK_ROWS) {
    const end = Math.min(n, first + GRAM_BLOCK_ROWS);
    for (let j = 0; j < q; j += 2) {
      // Past the last column a tile repeats it; the repeated sums are not stored.
      const a0 = j * n;
      const a1 = Math.min(j + 1, last) * n;
      for (let k = j; k < q; k += 4) {
        const width = Math.min(4, q - k);
        accumulateTile(
          augmented,
          a0,
          a1,
          k * n,
          Math.min(k + 1, last) * n,
          Math.min(k + 2, last) * n,
          Math.min(k + 3, last) * n,
          weightOffset,
          first,
          end,
          sums,
        );
        for (let offset = 0; offset < width; offset++) {
          const column = (k + offset) * q;
          total[column + j] = (total[column + j] as number) + (sums[offset] as number);
          if (j + 1 <= k + offset && j + 1 < q) {
            total[column + j + 1] = (total[column + j + 1] as number) + (sums[4 + offset] as number);
          }
        }
      }
    }
  }
  for (let k = 0; k < p; k++) {
    for (let j = 0; j <= k; j++) {
      const value = total[k * q + j] as number;
      gram[k * p + j] = value;
      gram[j * p + k] = value;
    }
    rhs[k] = total[p * q + k] as number;
  }
}

/**
 * sums[m] = sum over rows [first, end) of w a0 b_m, and sums[4 + m] the same for a1 (m = 0..3): the
 * eight entries of a 2 x 4 tile of C'WC, each column given by its offset in `data`.
 */
function accumulateTile(
  data: Float64Array,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  weights: number,
  first: number,
  end: number,
  sums: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let r = first; r < end; r++) {
    const weight = data[weights + r] as number;
    const u = (data[a0 + r] as number) * weight;
    const v = (data[a1 + r] as number) * weight;
    let c = data[b0 + r] as number;
    s0 += u * c;
    t0 += v * c;
    c = data[b1 + r] as number;
    s1 += u * c;
    t1 += v * c;
    c = data[b2 + r] as number;
    s2 += u * c;
    t2 += v * c;
    c = data[b3 + r] as number;
    s3 += u * c;
    t3 += v * c;
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
  sums[4] = t0;
  sums[5] = t1;
  sums[6] = t2;
  sums[7] = t3;
}
