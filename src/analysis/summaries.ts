import { pnorm, qnorm } from '../stats/index.ts';
import type { CountPercent, EffectEstimate, MeanSd, PerArm } from './trial-analysis-types.ts';

/**
 * Mean and SD of `values` at the rows where `include` is true and the value is not missing (NaN), as
 * `mean(x, na.rm = TRUE)` and `sd(x, na.rm = TRUE)` (two passes, as R). O(n).
 * @example meanSd(Float64Array.of(1, 2, NaN, 6), () => true) // { n: 3, mean: 3, sd: 2.6457513110645907 }
 */
export function meanSd(values: Float64Array, include: (row: number) => boolean): MeanSd {
  let count = 0;
  let sum = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row] as number;
    if (include(row) && !Number.isNaN(value)) {
      count++;
      sum += value;
    }
  }
  if (count === 0) return { n: 0, mean: null, sd: null };
  let mean = sum / count;
  // R's mean adds the mean residual back (a second pass) for accuracy.
  let residual = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row] as number;
    if (include(row) && !Number.isNaN(value)) residual += value - mean;
  }
  mean += residual / count;
  if (count < 2) return { n: count, mean, sd: null };
  let squares = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row] as number;
    if (include(row) && !Number.isNaN(value)) squares += (value - mean) ** 2;
  }
  return { n: count, mean, sd: Math.sqrt(squares / (count - 1)) };
}

/** `count` of `denominator` with its percentage (null for a zero denominator). */
export function countPercent(count: number, denominator: number): CountPercent {
  return { count, denominator, percent: denominator > 0 ? (100 * count) / denominator : null };
}

/** A record with one entry per arm level, in level order. */
export function perArm<T>(levels: readonly string[], value: (arm: number) => T): PerArm<T> {
  const out: PerArm<T> = {};
  levels.forEach((level, arm) => {
    out[level] = value(arm);
  });
  return out;
}

/**
 * A Wald effect from an estimate and SE on the link scale: CI estimate ∓ z·se with z = qnorm((1 + level)/2),
 * p = 2·pnorm(-|estimate/se|), all passed through `transform` (exp for ratios, identity for differences),
 * as `exp(confint.default(fit))` and `summary(fit)`'s z test.
 * @example waldEffect(Math.log(2), 0.1, 0.95, Math.exp).estimate // 2
 */
export function waldEffect(
  estimate: number,
  se: number,
  confidenceLevel: number,
  transform: (value: number) => number,
): EffectEstimate {
  const z = qnorm((1 + confidenceLevel) / 2);
  return {
    estimate: transform(estimate),
    ciLower: transform(estimate - z * se),
    ciUpper: transform(estimate + z * se),
    pValue: 2 * pnorm(-Math.abs(estimate / se)),
  };
}

/** The right-hand side `arm + covariates` (or `arm` alone) of the adjusted models. */
export function adjustedTerms(covariates: readonly string[], exclude: readonly string[] = []): string {
  return ['arm', ...covariates.filter((name) => !exclude.includes(name))].join(' + ');
}
