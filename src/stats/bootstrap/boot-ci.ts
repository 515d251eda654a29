import { pnorm, qnorm } from '../distributions/index.ts';
import { BootstrapIntervalError, InvalidArgumentError } from '../errors.ts';
import { addExact, divideRounded, type ExtendedSum, productError } from '../numerics/extended-sum.ts';
import type { BootstrapResult } from './bootstrap.ts';
import { jackknife } from './jackknife.ts';

/** The interval types of `boot.ci` this library computes (R's `type = "norm"`, `"basic"`, `"perc"`, `"bca"`). */
export type BootCiType = 'normal' | 'basic' | 'percent' | 'bca';

export interface BootCiOptions {
  /** Confidence level, 0 < conf < 1 (default 0.95). */
  conf?: number;
  /** Which intervals (default all four). */
  types?: readonly BootCiType[];
  /** 0-based component of a multi-valued statistic (R's `index = index + 1`); default 0. */
  index?: number;
  /**
   * Influence values for BCa (R's `L`), one per row. Default: the jackknife of the bootstrap's statistic,
   * as `L = empinf(b, index = index + 1, type = "jack")`.
   */
  influence?: ArrayLike<number>;
}

/** Intervals as `[lower, upper]`, with boot's warnings. */
export interface BootCiResult {
  conf: number;
  index: number;
  t0: number;
  /** Number of finite replicates the intervals use (boot.ci's `R`). */
  replicates: number;
  normal?: [number, number];
  basic?: [number, number];
  percent?: [number, number];
  bca?: [number, number];
  /** The BCa bias correction w and acceleration a, when BCa was computed. */
  bcaConstants?: { w: number; a: number };
  /** boot's warnings, for example `percent: extreme order statistics used as endpoints`. */
  warnings: string[];
}

const ALL_TYPES: readonly BootCiType[] = ['normal', 'basic', 'percent', 'bca'];

function extendedMean(values: ArrayLike<number>): number {
  const sum: ExtendedSum = { high: 0, low: 0 };
  for (let index = 0; index < values.length; index++) addExact(sum, values[index] as number);
  return divideRounded(sum.high, sum.low, values.length);
}

function extendedVariance(values: ArrayLike<number>, mean: number): number {
  const sum: ExtendedSum = { high: 0, low: 0 };
  for (let index = 0; index < values.length; index++) {
    const deviation = (values[index] as number) - mean;
    const square = deviation * deviation;
    addExact(sum, square);
    sum.low += productError(deviation, deviation, square);
  }
  return divideRounded(sum.high, sum.low, values.length - 1);
}

/**
 * boot's `norm.inter`: the order statistic at (R + 1) alpha, interpolated on the normal quantile scale
 * between the neighbouring order statistics when (R + 1) alpha is not whole, and clamped to the smallest
 * or largest replicate at the extremes. `sorted` holds the finite replicates in ascending order.
 */
function normalInterpolation(
  sorted: Float64Array,
  alphas: readonly number[],
): { values: number[]; extreme: boolean } {
  const count = sorted.length;
  let extreme = false;
  const values = alphas.map((alpha) => {
    const rank = (count + 1) * alpha;
    if (!(rank > 1 && rank < count)) extreme = true;
    const whole = Math.trunc(rank);
    if (whole === 0) return sorted[0] as number;
    if (whole >= count) return sorted[count - 1] as number;
    if (whole === rank) return sorted[whole - 1] as number;
    const target = qnorm(alpha);
    const below = qnorm(whole / (count + 1));
    const above = qnorm((whole + 1) / (count + 1));
    const lowerValue = sorted[whole - 1] as number;
    const upperValue = sorted[whole] as number;
    return lowerValue + ((target - below) / (above - below)) * (upperValue - lowerValue);
  });
  return { values, extreme };
}

/**
 * Bootstrap confidence intervals as `boot::boot.ci(b, conf, type = c("norm", "basic", "perc", "bca"),
 * index, L = empinf(b, index = index, type = "jack"))`:
 * - normal: `t0 - bias -/+ qnorm((1 + conf)/2) sd(t)` with `bias = mean(t) - t0`;
 * - basic: `2 t0 - q(1 - alpha)`, `2 t0 - q(alpha)`; percent: `q(alpha)`, `q(1 - alpha)`;
 * - bca: `q(pnorm(w + (w + z)/(1 - a (w + z))))` at z = qnorm(alpha), qnorm(1 - alpha), with
 *   `w = qnorm(mean(t < t0))` (strict, no tie correction) and `a = sum(L^3) / (6 sum(L^2)^1.5)`;
 * where q is boot's `norm.inter` interpolation (not R's `quantile`) and alpha = (1 - conf)/2.
 * Non-finite replicates are dropped first, as boot.ci does. An end point at the smallest or largest
 * replicate adds boot's warning "extreme order statistics used as endpoints". Time O(R log R) plus, for
 * BCa without `influence`, n + 1 calls of the statistic.
 * @throws InvalidArgumentError for conf outside (0, 1), an index outside the statistic, or influence
 *   values of the wrong length.
 * @throws BootstrapIntervalError when every replicate is equal (boot.ci returns NULL), or for BCa when no
 *   replicate or every replicate lies below t0 (w infinite) or the acceleration is not finite.
 * @example
 * const b = bootstrap({ n: x.length, statistic: meanStatistic(x), replicates: 2000, rng: createRRandom(1) });
 * bootCi(b, { conf: 0.95 }).bca; // [lower, upper], as boot.ci(b, type = "bca", L = empinf(b, type = "jack"))
 */
export function bootCi(result: BootstrapResult, options: BootCiOptions = {}): BootCiResult {
  const conf = options.conf ?? 0.95;
  const types = options.types ?? ALL_TYPES;
  const index = options.index ?? 0;
  if (!(conf > 0 && conf < 1)) throw new InvalidArgumentError(`bootCi requires 0 < conf < 1 (got ${conf})`);
  if (!Number.isInteger(index) || index < 0 || index >= result.t0.length) {
    throw new InvalidArgumentError(
      `bootCi requires an index between 0 and ${result.t0.length - 1} (got ${index})`,
    );
  }
  const all = result.t[index] as Float64Array;
  const t0 = result.t0[index] as number;
  // boot.ci's const() check: every replicate within min(1e-8, mean/1e6) of the mean gives no interval.
  const present = all.filter((value) => !Number.isNaN(value));
  const center = extendedMean(present);
  const tolerance = Math.min(1e-8, center / 1e6);
  if (present.every((value) => Math.abs(value - center) < tolerance)) {
    throw new BootstrapIntervalError(
      `bootCi requires replicates that are not all equal (got all ${present.length} equal to ${center})`,
    );
  }
  const finite = all.filter((value) => Number.isFinite(value));
  const count = finite.length;
  const sorted = Float64Array.from(finite).sort();
  const out: BootCiResult = { conf, index, t0, replicates: count, warnings: [] };
  const lowerAlpha = (1 + -conf) / 2;
  const upperAlpha = (1 + conf) / 2;
  const interpolate = (type: BootCiType, alphas: readonly number[]): number[] => {
    const { values, extreme } = normalInterpolation(sorted, alphas);
    if (extreme) out.warnings.push(`${type}: extreme order statistics used as endpoints`);
    return values;
  };
  for (const type of ALL_TYPES) {
    if (!types.includes(type)) continue;
    if (type === 'normal') {
      const mean = extendedMean(finite);
      const margin = Math.sqrt(extendedVariance(finite, mean)) * qnorm(upperAlpha);
      const bias = mean - t0;
      out.normal = [t0 - bias - margin, t0 - bias + margin];
    } else if (type === 'basic') {
      const [upper, lower] = interpolate(type, [upperAlpha, lowerAlpha]) as [number, number];
      out.basic = [2 * t0 - upper, 2 * t0 - lower];
    } else if (type === 'percent') {
      out.percent = interpolate(type, [lowerAlpha, upperAlpha]) as [number, number];
    } else {
      let below = 0;
      for (const value of finite) if (value < t0) below++;
      const w = qnorm(below / count);
      if (!Number.isFinite(w)) {
        throw new BootstrapIntervalError(
          `bootCi requires some replicates below t0 and some not for the BCa bias correction (got ${below} of ${count} below t0 = ${t0})`,
        );
      }
      const influence =
        options.influence ??
        (jackknife({ n: result.n, statistic: result.statistic, strata: result.strata }).influence[
          index
        ] as Float64Array);
      if (influence.length !== result.n) {
        throw new InvalidArgumentError(
          `bootCi requires one influence value per row (got ${influence.length} for ${result.n} rows)`,
        );
      }
      const squares: ExtendedSum = { high: 0, low: 0 };
      const cubes: ExtendedSum = { high: 0, low: 0 };
      for (let row = 0; row < influence.length; row++) {
        const value = influence[row] as number;
        addExact(squares, value * value);
        addExact(cubes, value ** 3);
      }
      const a = (cubes.high + cubes.low) / (6 * (squares.high + squares.low) ** 1.5);
      if (!Number.isFinite(a)) {
        throw new BootstrapIntervalError(
          `bootCi requires finite influence values with some spread for the BCa acceleration (got a = ${a})`,
        );
      }
      const adjusted = [lowerAlpha, upperAlpha].map((alpha) => {
        const z = w + qnorm(alpha);
        return pnorm(w + z / (1 - a * z));
      });
      out.bca = interpolate(type, adjusted) as [number, number];
      out.bcaConstants = { w, a };
    }
  }
  return out;
}
