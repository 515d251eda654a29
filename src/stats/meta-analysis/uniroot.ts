import { InvalidArgumentError } from '../errors.ts';

/** A root found by `uniroot`, with the iterations used and the final bracket width (R's `estim.prec`). */
export interface UnirootResult {
  readonly root: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly estimatedPrecision: number;
}

const EPSILON = 2.220446049250313e-16;

/**
 * A zero of `f` in [lower, upper], as R's `uniroot(f, c(lower, upper), tol, maxiter)` with
 * `extendInt = "no"`: Brent's method (bisection combined with linear or inverse quadratic interpolation),
 * step for step as R's C routine `R_zeroin2`, so the root agrees with R's to the last digit. R's default
 * tolerance is `.Machine$double.eps^0.25`; metafor uses that and `maxiter = 100` for the Paule-Mandel tau².
 * `fLower`/`fUpper` default to f(lower), f(upper).
 *
 * @throws InvalidArgumentError when f has the same sign at both ends.
 * @example
 * uniroot((x) => x * x - 2, 0, 2, { tolerance: 1e-12 }).root; // 1.414213562373095
 */
export function uniroot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: { tolerance?: number; maxIterations?: number; fLower?: number; fUpper?: number } = {},
): UnirootResult {
  const tolerance = options.tolerance ?? EPSILON ** 0.25;
  const maxIterations = options.maxIterations ?? 1000;
  const truncate = (value: number) => Math.max(Math.min(value, Number.MAX_VALUE), -Number.MAX_VALUE);
  let fa = truncate(options.fLower ?? f(lower));
  let fb = truncate(options.fUpper ?? f(upper));
  if (Number.isNaN(fa) || Number.isNaN(fb)) {
    throw new InvalidArgumentError('uniroot requires finite function values at both ends (got NaN)');
  }
  if (fa * fb > 0) {
    throw new InvalidArgumentError(
      `uniroot requires f(lower) and f(upper) of opposite sign (got ${fa} and ${fb})`,
    );
  }
  let a = lower;
  let b = upper;
  if (fa === 0) return { root: a, iterations: 0, converged: true, estimatedPrecision: 0 };
  if (fb === 0) return { root: b, iterations: 0, converged: true, estimatedPrecision: 0 };
  let c = a;
  let fc = fa;
  let remaining = maxIterations + 1;
  while (remaining-- > 0) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // keep b the best approximation so far
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const actualTolerance = 2 * EPSILON * Math.abs(b) + tolerance / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= actualTolerance || fb === 0) {
      return {
        root: b,
        iterations: maxIterations + 1 - (remaining + 1),
        converged: true,
        estimatedPrecision: Math.abs(c - b),
      };
    }
    if (Math.abs(previousStep) >= actualTolerance && Math.abs(fa) > Math.abs(fb)) {
      // interpolation may be tried: linear with two distinct points, inverse quadratic with three
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(actualTolerance * q) / 2 && p < Math.abs((previousStep * q) / 2)) {
        newStep = p / q;
      }
    }
    if (Math.abs(newStep) < actualTolerance) newStep = newStep > 0 ? actualTolerance : -actualTolerance;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return { root: b, iterations: -1, converged: false, estimatedPrecision: Math.abs(c - b) };
}
