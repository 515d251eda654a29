import { InvalidArgumentError } from '../errors.ts';
import { type BootstrapStatistic, strataIndex } from './bootstrap.ts';

/** The data a jackknife needs: n rows, the statistic, optional strata (as in `bootstrap`). */
export interface JackknifeOptions {
  n: number;
  statistic: BootstrapStatistic;
  /** Stratum label per row; the influence of a row is scaled by its stratum size. */
  strata?: ArrayLike<number>;
}

/** Leave-one-out values and the jackknife influence values, one array of length n per component. */
export interface JackknifeResult {
  /** The statistic on all rows (`tobs`). */
  t0: Float64Array;
  /** `leaveOneOut[j][i]`: component j of the statistic without row i (indices 0..n-1 except i, in order). */
  leaveOneOut: Float64Array[];
  /** `influence[j][i] = (n_s - 1) (t0[j] - leaveOneOut[j][i])`, n_s the size of row i's stratum. */
  influence: Float64Array[];
}

/**
 * The jackknife with the bootstrap's own statistic, as `boot::empinf(b, type = "jack", index = j)`
 * (boot's `usual.jack` for `stype = "i"`): the statistic is called with the row indices 0..n-1 and then
 * n times with one row left out, and the influence values are `l_i = (n_s - 1)(t_obs - t_{-i})`. These
 * are the `L` that give BCa its acceleration. Time: n + 1 calls of the statistic.
 * @throws InvalidArgumentError when n < 2, the strata do not match n, or the statistic changes its length.
 * @example
 * jackknife({ n: 3, statistic: meanStatistic(new Float64Array([1, 2, 6])) }).influence[0]; // [-2, -1, 3]
 */
export function jackknife(options: JackknifeOptions): JackknifeResult {
  const { n, statistic } = options;
  if (!Number.isInteger(n) || n < 2) {
    throw new InvalidArgumentError(`jackknife requires a whole number of rows n >= 2 (got ${n})`);
  }
  const strata = strataIndex(n, options.strata, 'jackknife');
  const stratumSize = new Map<number, number>();
  for (const stratum of strata) stratumSize.set(stratum, (stratumSize.get(stratum) ?? 0) + 1);
  const all = new Int32Array(n);
  for (let row = 0; row < n; row++) all[row] = row;
  const first = statistic(all);
  const t0 = typeof first === 'number' ? Float64Array.of(first) : Float64Array.from(first);
  const components = t0.length;
  const leaveOneOut = Array.from({ length: components }, () => new Float64Array(n));
  const influence = Array.from({ length: components }, () => new Float64Array(n));
  const without = new Int32Array(n - 1);
  for (let row = 0; row < n; row++) {
    let position = 0;
    for (let other = 0; other < n; other++) if (other !== row) without[position++] = other;
    const value = statistic(without);
    const values = typeof value === 'number' ? [value] : value;
    if (values.length !== components) {
      throw new InvalidArgumentError(
        `jackknife requires the statistic to return ${components} value(s) every time (got ${values.length} without row ${row + 1})`,
      );
    }
    const scale = (stratumSize.get(strata[row] as number) as number) - 1;
    for (let component = 0; component < components; component++) {
      const left = values[component] as number;
      (leaveOneOut[component] as Float64Array)[row] = left;
      (influence[component] as Float64Array)[row] = scale * ((t0[component] as number) - left);
    }
  }
  return { t0, leaveOneOut, influence };
}
