import { qnorm } from '../distributions/index.ts';
import { InvalidArgumentError } from '../errors.ts';
import { ReliabilityDataError } from './errors.ts';

/** A rating: a number or a category label; `null` or NaN where missing. */
export type Rating = number | string | null;

/** Agreement weights: none (Cohen's kappa), linear `1 - |i-j|/(K-1)`, quadratic `1 - (i-j)^2/(K-1)^2`. */
export type KappaWeights = 'none' | 'linear' | 'quadratic';

/** Options of {@link cohenKappa}. */
export interface CohenKappaOptions {
  /** Default 'none'. */
  readonly weights?: KappaWeights;
  /** Level of the normal-theory CI; psych's `1 - alpha`. Default 0.95. */
  readonly confidenceLevel?: number;
}

/** One kappa with its Fleiss-Cohen-Everitt SE and the CI psych reports (clipped to [-1, 1]). */
export interface KappaEstimate {
  readonly kappa: number;
  readonly se: number;
  readonly variance: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  /** Weighted observed (po) and chance (pc) agreement proportions. */
  readonly observedAgreement: number;
  readonly expectedAgreement: number;
}

/** Result of {@link cohenKappa}: the kappa for the chosen weights and, always, the unweighted one. */
export interface CohenKappaResult extends KappaEstimate {
  /** Rows rated by both raters. */
  readonly n: number;
  /** Rows where one or both ratings are missing. */
  readonly nDropped: number;
  /** Category labels, sorted (numerically when every rating is a number), from both raters' ratings. */
  readonly categories: readonly string[];
  readonly weights: KappaWeights;
  readonly confidenceLevel: number;
  readonly unweighted: KappaEstimate;
  /** Agreement weights, rows = rater 1's category. The identity for 'none'. */
  readonly weightMatrix: readonly (readonly number[])[];
  /** Counts of complete pairs: rows = rater 1's category, columns = rater 2's. */
  readonly agreementTable: readonly (readonly number[])[];
  readonly warnings: readonly string[];
}

/**
 * Cohen's kappa for two raters, unweighted or weighted, as `psych::cohen.kappa` 2.2.9 on two columns:
 * categories are the sorted union of every rating either rater gave (including in rows the other rater
 * left missing), pairs with a missing rating are dropped, the variance is Fleiss, Cohen & Everitt's (1969)
 * large-sample one with psych 2.2.9's weighted form (its row marginal weights are `rowSums(w * rs)`; a
 * negative variance is set to 0 as psych does, with a warning), and the CI `kappa ± z sd` is clipped to
 * [-1, 1]. 'quadratic' is psych's default weighted kappa; 'linear' is `cohen.kappa(x, w = 1 - |i-j|/(K-1))`.
 * Weights follow the sorted category order, so ordinal scales should be coded as numbers.
 * @throws ReliabilityDataError for raters of unequal length, no complete pair, a single category overall, or
 * chance agreement of 1. InvalidArgumentError for a confidence level outside (0, 1).
 * @example cohenKappa([1, 2, 2, 1], [1, 2, 1, 1]).kappa // 0.5
 */
export function cohenKappa(
  rater1: ArrayLike<Rating>,
  rater2: ArrayLike<Rating>,
  options: CohenKappaOptions = {},
): CohenKappaResult {
  const weights = options.weights ?? 'none';
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new InvalidArgumentError(`kappa requires a confidence level in (0, 1) (got ${confidenceLevel})`);
  }
  if (!['none', 'linear', 'quadratic'].includes(weights)) {
    throw new InvalidArgumentError(
      `kappa requires weights none, linear or quadratic (got ${String(weights)})`,
    );
  }
  if (rater1.length !== rater2.length) {
    throw new ReliabilityDataError(
      `kappa requires two raters of equal length (got ${rater1.length} and ${rater2.length} ratings)`,
    );
  }
  const first = Array.from(rater1, normaliseRating);
  const second = Array.from(rater2, normaliseRating);
  const present = [...first, ...second].filter((value): value is number | string => value !== null);
  const allNumeric = present.every((value) => typeof value === 'number');
  const labelOf = (value: number | string): string => (typeof value === 'number' ? String(value) : value);
  const uniqueValues = allNumeric
    ? [...new Set(present as number[])].sort((a, b) => a - b)
    : [...new Set(present.map(labelOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const categories = uniqueValues.map(labelOf);
  const index = new Map(categories.map((label, position) => [label, position]));
  const size = categories.length;

  const counts = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  let n = 0;
  for (let row = 0; row < first.length; row++) {
    const a = first[row];
    const b = second[row];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const countRow = counts[index.get(labelOf(a)) as number] as number[];
    const column = index.get(labelOf(b)) as number;
    countRow[column] = (countRow[column] as number) + 1;
    n++;
  }
  if (n === 0) {
    throw new ReliabilityDataError(
      `kappa requires at least 1 row rated by both raters (got 0 of ${first.length})`,
    );
  }
  if (size < 2) {
    throw new ReliabilityDataError(
      `kappa requires at least 2 categories across both raters (got only ${JSON.stringify(categories[0])})`,
    );
  }

  const proportions = counts.map((row) => row.map((count) => count / n));
  const rowMargins = proportions.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columnMargins = (proportions[0] as number[]).map((_, j) =>
    proportions.reduce((sum, row) => sum + (row[j] as number), 0),
  );
  const z = qnorm((1 - confidenceLevel) / 2);
  const warnings: string[] = [];

  const identity = Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j): number => (i === j ? 1 : 0)),
  );
  const unweighted = unweightedKappa(proportions, rowMargins, columnMargins, n, z, warnings);
  let chosen = unweighted;
  let weightMatrix = identity;
  if (weights !== 'none') {
    weightMatrix = identity.map((row, i) =>
      row.map((_, j) => {
        const distance = Math.abs(j - i);
        return weights === 'linear' ? 1 - distance / (size - 1) : 1 - distance ** 2 / (size - 1) ** 2;
      }),
    );
    chosen = weightedKappa(proportions, rowMargins, columnMargins, weightMatrix, n, z, warnings);
  }
  return {
    ...chosen,
    n,
    nDropped: first.length - n,
    categories,
    weights,
    confidenceLevel,
    unweighted,
    weightMatrix,
    agreementTable: counts,
    warnings,
  };
}

function normaliseRating(value: Rating | undefined): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    if (!Number.isFinite(value))
      throw new ReliabilityDataError(`kappa requires finite ratings (got ${value})`);
  }
  return value;
}

/** psych's `kappa` and `var.kappa`. */
function unweightedKappa(
  x: number[][],
  rs: number[],
  cs: number[],
  n: number,
  z: number,
  warnings: string[],
): KappaEstimate {
  const size = rs.length;
  let po = 0;
  let pc = 0;
  for (let i = 0; i < size; i++) {
    po += at(x, i, i);
    pc += (rs[i] as number) * (cs[i] as number);
  }
  if (pc >= 1) throw chanceAgreementError();
  const kappa = (po - pc) / (1 - pc);
  let diagonalTerm = 0;
  let offDiagonalAll = 0;
  let offDiagonalTrace = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const p = at(x, i, j);
      const cross = p * ((cs[i] as number) + (rs[j] as number)) ** 2;
      offDiagonalAll += cross;
      if (i === j) {
        offDiagonalTrace += cross;
        diagonalTerm += p * (1 - pc - ((rs[i] as number) + (cs[j] as number)) * (1 - po)) ** 2;
      }
    }
  }
  const variance =
    (1 / (n * (1 - pc) ** 4)) *
    (diagonalTerm + (1 - po) ** 2 * (offDiagonalAll - offDiagonalTrace) - (po * pc - 2 * pc + po) ** 2);
  return estimate(kappa, variance, po, pc, z, 'unweighted', warnings);
}

/** psych 2.2.9's `weighted.kappa` and `var.weighted` (with its `roww <- rowSums(w * rs)`). */
function weightedKappa(
  x: number[][],
  rs: number[],
  cs: number[],
  w: number[][],
  n: number,
  z: number,
  warnings: string[],
): KappaEstimate {
  const size = rs.length;
  let wpo = 0;
  let wpc = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      wpo += at(w, i, j) * at(x, i, j);
      wpc += at(w, i, j) * (rs[i] as number) * (cs[j] as number);
    }
  }
  if (wpc >= 1) throw chanceAgreementError();
  // colw[j] = sum_i w[i,j] cs[i]; roww[i] = rs[i] sum_j w[i,j] (psych 2.2.9; 2.5.3 sums w[i,j] rs[i] over i).
  const colw = Array.from({ length: size }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < size; i++) sum += at(w, i, j) * (cs[i] as number);
    return sum;
  });
  const roww = Array.from({ length: size }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += at(w, i, j) * (rs[i] as number);
    return sum;
  });
  let squares = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      squares +=
        at(x, i, j) *
        (at(w, i, j) * (1 - wpc) - ((colw[i] as number) + (roww[j] as number)) * (1 - wpo)) ** 2;
    }
  }
  const variance = (1 / (n * (1 - wpc) ** 4)) * (squares - (wpo * wpc - 2 * wpc + wpo) ** 2);
  return estimate((wpo - wpc) / (1 - wpc), variance, wpo, wpc, z, 'weighted', warnings);
}

function estimate(
  kappa: number,
  rawVariance: number,
  observed: number,
  expected: number,
  z: number,
  label: string,
  warnings: string[],
): KappaEstimate {
  let variance = rawVariance;
  if (Number.isNaN(variance) || variance < 0) {
    // At perfect agreement the exact variance is 0 and rounding may leave it a hair below.
    if (observed < 1) {
      warnings.push(
        `the ${label} kappa variance formula of psych 2.2.9 gave a negative value (${rawVariance.toPrecision(3)}); its SE is reported as 0, as psych does`,
      );
    }
    variance = 0;
  }
  const sd = Math.sqrt(variance);
  let ciLower = kappa + z * sd;
  let ciUpper = kappa - z * sd;
  if (ciLower < -1 || ciUpper > 1) {
    warnings.push(`the ${label} kappa confidence interval exceeded [-1, 1] and was clipped, as psych does`);
    ciLower = Math.max(ciLower, -1);
    ciUpper = Math.min(ciUpper, 1);
  }
  return {
    kappa,
    se: sd,
    variance,
    ciLower,
    ciUpper,
    observedAgreement: observed,
    expectedAgreement: expected,
  };
}

function chanceAgreementError(): ReliabilityDataError {
  return new ReliabilityDataError(
    'kappa requires chance agreement below 1 (got both raters using a single category in every complete row)',
  );
}

/** Entry (i, j) of a square matrix stored as rows. */
function at(matrix: readonly (readonly number[])[], i: number, j: number): number {
  return (matrix[i] as readonly number[])[j] as number;
}
