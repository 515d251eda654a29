/**
 * Small dense symmetric-matrix helpers for the reliability statistics: pairwise covariances and
 * correlations (R's `cov(x, use = "pairwise")`, `cov2cor`), an eigen decomposition (cyclic Jacobi), the
 * Moore-Penrose inverse as `psych::Pinv` and squared multiple correlations as `psych::smc`.
 * Matrices are row-major `Float64Array`s of size `order * order`. Internal to the reliability folder.
 */

/** `cov(x, use = "pairwise")`: each entry from the rows where both columns are present (NaN if < 2). */
export function pairwiseCovariance(columns: readonly Float64Array[]): Float64Array {
  const order = columns.length;
  const covariance = new Float64Array(order * order);
  for (let i = 0; i < order; i++) {
    for (let j = 0; j <= i; j++) {
      const value = pairwiseMoments(columns[i] as Float64Array, columns[j] as Float64Array).covariance;
      covariance[i * order + j] = value;
      covariance[j * order + i] = value;
    }
  }
  return covariance;
}

/** `cor(x, use = "pairwise")`: each entry from the rows where both columns are present. */
export function pairwiseCorrelation(columns: readonly Float64Array[]): Float64Array {
  const order = columns.length;
  const correlation = new Float64Array(order * order);
  for (let i = 0; i < order; i++) {
    correlation[i * order + i] = 1;
    for (let j = 0; j < i; j++) {
      const value = pairwiseMoments(columns[i] as Float64Array, columns[j] as Float64Array).correlation;
      correlation[i * order + j] = value;
      correlation[j * order + i] = value;
    }
  }
  return correlation;
}

/**
 * Covariance and correlation of two columns over the rows where both are present. Means are computed as
 * R's cov.c does (a mean, then a second pass adding the mean residual), divisor `count - 1`.
 */
export function pairwiseMoments(
  first: Float64Array,
  second: Float64Array,
): { count: number; covariance: number; correlation: number } {
  let count = 0;
  let sumFirst = 0;
  let sumSecond = 0;
  for (let row = 0; row < first.length; row++) {
    const a = first[row] as number;
    const b = second[row] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    count++;
    sumFirst += a;
    sumSecond += b;
  }
  if (count < 2) return { count, covariance: Number.NaN, correlation: Number.NaN };
  let meanFirst = sumFirst / count;
  let meanSecond = sumSecond / count;
  let correctionFirst = 0;
  let correctionSecond = 0;
  for (let row = 0; row < first.length; row++) {
    const a = first[row] as number;
    const b = second[row] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    correctionFirst += a - meanFirst;
    correctionSecond += b - meanSecond;
  }
  meanFirst += correctionFirst / count;
  meanSecond += correctionSecond / count;
  let crossProducts = 0;
  let squaresFirst = 0;
  let squaresSecond = 0;
  for (let row = 0; row < first.length; row++) {
    const a = first[row] as number;
    const b = second[row] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    crossProducts += (a - meanFirst) * (b - meanSecond);
    squaresFirst += (a - meanFirst) ** 2;
    squaresSecond += (b - meanSecond) ** 2;
  }
  return {
    count,
    covariance: crossProducts / (count - 1),
    correlation: crossProducts / Math.sqrt(squaresFirst) / Math.sqrt(squaresSecond),
  };
}

/** `cov2cor(C)`: correlations from a covariance matrix, with an exact unit diagonal. */
export function covarianceToCorrelation(covariance: Float64Array, order: number): Float64Array {
  const scale = new Float64Array(order);
  for (let i = 0; i < order; i++) scale[i] = 1 / Math.sqrt(covariance[i * order + i] as number);
  const correlation = new Float64Array(order * order);
  for (let i = 0; i < order; i++) {
    for (let j = 0; j < order; j++) {
      correlation[i * order + j] =
        i === j ? 1 : (scale[i] as number) * (covariance[i * order + j] as number) * (scale[j] as number);
    }
  }
  return correlation;
}

/** The sub-matrix without row and column `omitted`. */
export function withoutIndex(matrix: Float64Array, order: number, omitted: number): Float64Array {
  const reduced = new Float64Array((order - 1) * (order - 1));
  let position = 0;
  for (let i = 0; i < order; i++) {
    if (i === omitted) continue;
    for (let j = 0; j < order; j++) {
      if (j === omitted) continue;
      reduced[position++] = matrix[i * order + j] as number;
    }
  }
  return reduced;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations (accurate to a few ulps for
 * the small matrices of item statistics; O(order^3) per sweep). Eigenvalues in decreasing order; vector `k`
 * is column `k` of the row-major `vectors`.
 */
export function symmetricEigen(
  matrix: Float64Array,
  order: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(order * order);
  for (let i = 0; i < order; i++) v[i * order + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < order; p++)
      for (let q = p + 1; q < order; q++) offDiagonal += (a[p * order + q] as number) ** 2;
    if (offDiagonal === 0 || !Number.isFinite(offDiagonal)) break;
    for (let p = 0; p < order; p++) {
      for (let q = p + 1; q < order; q++) {
        const apq = a[p * order + q] as number;
        if (apq === 0) continue;
        const app = a[p * order + p] as number;
        const aqq = a[q * order + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < order; k++) {
          const akp = a[k * order + p] as number;
          const akq = a[k * order + q] as number;
          a[k * order + p] = c * akp - s * akq;
          a[k * order + q] = s * akp + c * akq;
        }
        for (let k = 0; k < order; k++) {
          const apk = a[p * order + k] as number;
          const aqk = a[q * order + k] as number;
          a[p * order + k] = c * apk - s * aqk;
          a[q * order + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < order; k++) {
          const vkp = v[k * order + p] as number;
          const vkq = v[k * order + q] as number;
          v[k * order + p] = c * vkp - s * vkq;
          v[k * order + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const ordering = Array.from({ length: order }, (_, k) => k).sort(
    (left, right) => (a[right * order + right] as number) - (a[left * order + left] as number),
  );
  const values = new Float64Array(order);
  const vectors = new Float64Array(order * order);
  ordering.forEach((source, target) => {
    values[target] = a[source * order + source] as number;
    for (let k = 0; k < order; k++) vectors[k * order + target] = v[k * order + source] as number;
  });
  return { values, vectors };
}

/**
 * `psych::Pinv`: the Moore-Penrose inverse of a symmetric matrix, dropping singular values at or below
 * `sqrt(.Machine$double.eps)` times the largest (its singular values are the absolute eigenvalues).
 */
export function symmetricPseudoInverse(matrix: Float64Array, order: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, order);
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  const tolerance = Math.max(Math.sqrt(2.220446049250313e-16) * largest, 0);
  const inverse = new Float64Array(order * order);
  for (let k = 0; k < order; k++) {
    const value = values[k] as number;
    if (!(Math.abs(value) > tolerance)) continue;
    for (let i = 0; i < order; i++) {
      const vik = (vectors[i * order + k] as number) / value;
      for (let j = 0; j < order; j++) {
        inverse[i * order + j] =
          (inverse[i * order + j] as number) + vik * (vectors[j * order + k] as number);
      }
    }
  }
  return inverse;
}

/**
 * `psych::smc(R)` for a correlation matrix without missing entries: `1 - 1/diag(Pinv(R))`, clipped to
 * [0, 1] as psych clips it.
 */
export function squaredMultipleCorrelations(correlation: Float64Array, order: number): Float64Array {
  const inverse = symmetricPseudoInverse(correlation, order);
  const smc = new Float64Array(order);
  for (let i = 0; i < order; i++) smc[i] = 1 - 1 / (inverse[i * order + i] as number);
  let largest = Number.NEGATIVE_INFINITY;
  let smallest = Number.POSITIVE_INFINITY;
  for (const value of smc) {
    if (Number.isNaN(value)) continue;
    largest = Math.max(largest, value);
    smallest = Math.min(smallest, value);
  }
  if (largest > 1) for (let i = 0; i < order; i++) if ((smc[i] as number) > 1) smc[i] = 1;
  if (smallest < 0) for (let i = 0; i < order; i++) if ((smc[i] as number) < 0) smc[i] = 0;
  return smc;
}
