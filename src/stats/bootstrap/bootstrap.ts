import { InvalidArgumentError } from '../errors.ts';
import { addExact, divideRounded, type ExtendedSum, productError } from '../numerics/extended-sum.ts';
import type { RRandom } from '../random/index.ts';

/**
 * A statistic of a resample: receives the 0-based row indices of one resample (length n, in R's column
 * order) and returns one value or several. The index array is reused between calls: read it, don't keep it.
 */
export type BootstrapStatistic = (indices: Int32Array) => number | Float64Array | readonly number[];

/** What `bootstrap` resamples: n rows, the statistic, R replicates, the random stream and optional strata. */
export interface BootstrapOptions {
  /** Number of rows of the data (R's `NROW(data)`). */
  n: number;
  statistic: BootstrapStatistic;
  /** Number of bootstrap replicates (boot's `R`). */
  replicates: number;
  /** The random stream, for example `createRRandom(seed)` (R's `set.seed(seed)` before `boot`). */
  rng: RRandom;
  /**
   * A stratum label per row (boot's `strata`); rows are resampled within their stratum. Strata are taken
   * in ascending order of the label, as boot orders `as.numeric(strata)`: pass factor codes or numbers.
   */
  strata?: ArrayLike<number>;
}

/** The bootstrap distribution, as `boot::boot`'s result and the bias and SE that `print.boot` shows. */
export interface BootstrapResult {
  /** The statistic on the original data (boot's `t0`), one entry per component. */
  t0: Float64Array;
  /** The replicates, one array of length `replicates` per component (boot's `t[, j]`). */
  t: Float64Array[];
  /** `mean(t[, j], na.rm = TRUE) - t0[j]`. */
  bias: Float64Array;
  /** `sd(t[, j])` over the non-missing replicates. */
  se: Float64Array;
  replicates: number;
  n: number;
  /** The stratum number (0-based, in sorted label order) of each row; all 0 without strata. */
  strata: Int32Array;
  /** The statistic, kept so that `jackknife`/`bootCi` can evaluate it again (boot keeps it too). */
  statistic: BootstrapStatistic;
}

/** Largest total number of draws n * R held in memory at once. */
const MAX_DRAWS = 2 ** 31 - 1;

/** Stratum number per row: the rank of each row's label among the distinct labels, as `tapply(seq_len(n), as.numeric(strata))`. */
export function strataIndex(n: number, strata: ArrayLike<number> | undefined, what: string): Int32Array {
  const out = new Int32Array(n);
  if (strata === undefined) return out;
  if (strata.length !== n) {
    throw new InvalidArgumentError(
      `${what} requires one stratum label per row (got ${strata.length} labels for ${n} rows)`,
    );
  }
  const labels = new Set<number>();
  for (let row = 0; row < n; row++) {
    const label = strata[row] as number;
    if (!Number.isFinite(label)) {
      throw new InvalidArgumentError(
        `${what} requires finite stratum labels (got ${label} in row ${row + 1})`,
      );
    }
    labels.add(label);
  }
  const rank = new Map([...labels].sort((a, b) => a - b).map((label, index) => [label, index]));
  for (let row = 0; row < n; row++) out[row] = rank.get(strata[row] as number) as number;
  return out;
}

function toArray(value: number | Float64Array | readonly number[]): Float64Array {
  return typeof value === 'number' ? Float64Array.of(value) : Float64Array.from(value);
}

/**
 * Draws the resample indices of `boot(data, statistic, R, strata = strata)` with `sim = "ordinary"`,
 * `stype = "i"`: row-major `replicates x n`, 0-based. Without strata this is `sample.int(n, n * R, TRUE)`
 * laid out column-major in an R x n matrix (resample r takes draws r, R + r, 2R + r, ...). With strata,
 * each stratum in ascending order draws `R * size` values from its own rows into its own columns; a
 * stratum of one row draws nothing and keeps that row in every resample (boot's `ordinary.array`).
 */
export function bootstrapIndices(
  n: number,
  replicates: number,
  rng: RRandom,
  strata: Int32Array = new Int32Array(n),
): Int32Array {
  const out = new Int32Array(n * replicates);
  let strataCount = 0;
  for (let row = 0; row < n; row++) strataCount = Math.max(strataCount, (strata[row] as number) + 1);
  const members: number[][] = Array.from({ length: strataCount }, () => []);
  for (let row = 0; row < n; row++) (members[strata[row] as number] as number[]).push(row);
  for (const rows of members) {
    const size = rows.length;
    if (size === 1 && strataCount > 1) {
      // A one-row stratum among several keeps its row (boot's rep(gp, R)) and draws nothing.
      for (let replicate = 0; replicate < replicates; replicate++)
        out[replicate * n + (rows[0] as number)] = rows[0] as number;
      continue;
    }
    // bsample(gp, R * size) filled column-major into the stratum's columns: draw d is resample d mod R, column floor(d / R).
    const draws = rng.unifIndices(size, replicates * size);
    let draw = 0;
    for (const row of rows) {
      for (let replicate = 0; replicate < replicates; replicate++) {
        out[replicate * n + row] = rows[draws[draw++] as number] as number;
      }
    }
  }
  return out;
}

/** R's `mean(values, na.rm = TRUE)` and `sd(values[!is.na(values)])`, summed as R sums (extended-sum.ts). */
function meanAndSd(values: Float64Array): { mean: number; sd: number } {
  const sum: ExtendedSum = { high: 0, low: 0 };
  let count = 0;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    addExact(sum, value);
    count++;
  }
  const mean = divideRounded(sum.high, sum.low, count);
  const squares: ExtendedSum = { high: 0, low: 0 };
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    const deviation = value - mean;
    const square = deviation * deviation;
    addExact(squares, square);
    if (Number.isFinite(square)) squares.low += productError(deviation, deviation, square);
  }
  return {
    mean,
    sd: count > 1 ? Math.sqrt(divideRounded(squares.high, squares.low, count - 1)) : Number.NaN,
  };
}

/**
 * The nonparametric bootstrap, as `set.seed(seed); boot(data, statistic, R, strata = strata)` with
 * `sim = "ordinary"` and `stype = "i"`: the same resamples in the same order (so the same replicates, up
 * to the statistic's own floating-point summation), `t0`, and the bias and standard error `print.boot` shows.
 * Memory O(nR) for the indices (as boot's index matrix); time R calls of the statistic.
 *
 * The statistic may return several values (boot's `t0` of length k): every call must return the same
 * number. A non-finite replicate is kept (bias and SE skip NaN as R's `na.rm`; `bootCi` drops non-finite
 * replicates as boot.ci does).
 *
 * @throws InvalidArgumentError when n < 1, `replicates` < 1, n * R > 2^31 - 1, the strata do not match n,
 *   or the statistic returns a different number of values for some resample.
 * @example
 * const x = new Float64Array([2, 4, 9, 1, 7]);
 * const result = bootstrap({ n: 5, statistic: meanStatistic(x), replicates: 999, rng: createRRandom(1) });
 * result.t0[0]; // 4.6, and result.se[0] is R's sd(boot(x, function(d, i) mean(d[i]), 999)$t)
 */
export function bootstrap(options: BootstrapOptions): BootstrapResult {
  const { n, statistic, replicates, rng } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`bootstrap requires a whole number of rows n >= 1 (got ${n})`);
  }
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new InvalidArgumentError(
      `bootstrap requires a whole number of replicates >= 1 (got ${replicates})`,
    );
  }
  if (n * replicates > MAX_DRAWS) {
    throw new InvalidArgumentError(
      `bootstrap requires n * replicates <= 2147483647 index draws (got ${n} * ${replicates})`,
    );
  }
  const strata = strataIndex(n, options.strata, 'bootstrap');
  const indices = bootstrapIndices(n, replicates, rng, strata);
  const original = new Int32Array(n);
  for (let row = 0; row < n; row++) original[row] = row;
  const t0 = toArray(statistic(original));
  const components = t0.length;
  if (components === 0)
    throw new InvalidArgumentError('bootstrap requires a statistic with at least one value (got none)');
  const t = Array.from({ length: components }, () => new Float64Array(replicates));
  for (let replicate = 0; replicate < replicates; replicate++) {
    const value = statistic(indices.subarray(replicate * n, (replicate + 1) * n));
    if (typeof value === 'number' && components === 1) {
      (t[0] as Float64Array)[replicate] = value;
      continue;
    }
    const values = typeof value === 'number' ? [value] : value;
    if (values.length !== components) {
      throw new InvalidArgumentError(
        `bootstrap requires the statistic to return ${components} value(s) for every resample (got ${values.length} in replicate ${replicate + 1})`,
      );
    }
    for (let component = 0; component < components; component++) {
      (t[component] as Float64Array)[replicate] = values[component] as number;
    }
  }
  const bias = new Float64Array(components);
  const se = new Float64Array(components);
  for (let component = 0; component < components; component++) {
    const summary = meanAndSd(t[component] as Float64Array);
    bias[component] = summary.mean - (t0[component] as number);
    se[component] = summary.sd;
  }
  return { t0, t, bias, se, replicates, n, strata, statistic };
}
