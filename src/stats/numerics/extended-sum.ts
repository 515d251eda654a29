/**
 * Error-free transformations that let a plain double computation land where R's long-double (80-bit)
 * accumulations land. R's `mean()` and `var()` sum in long double and correct the mean in a second pass,
 * so their result is, in all but a small fraction of cases, the exactly rounded value; a naive double
 * sum is off by a few units in the last place almost every time. Summing with TwoSum/TwoProduct into a
 * double-double and rounding once reproduces R's bits for all but about one value in a thousand (those
 * whose exact value lies within R's long-double error of a rounding boundary). Internal to bootstrap/.
 */

const SPLITTER = 134217729; // 2^27 + 1, Dekker's split constant

/** A running double-double sum: value = high + low. */
export interface ExtendedSum {
  high: number;
  low: number;
}

/** Adds `value` to `sum` without rounding error (Knuth's TwoSum; the error goes into `low`). */
export function addExact(sum: ExtendedSum, value: number): void {
  const total = sum.high + value;
  const back = total - sum.high;
  sum.low += sum.high - (total - back) + (value - back);
  sum.high = total;
}

/** The rounding error of `a * b` (Dekker's TwoProduct), so that a * b = fl(a * b) + error exactly. */
export function productError(a: number, b: number, product: number): number {
  const aSplit = SPLITTER * a;
  const aHigh = aSplit - (aSplit - a);
  const aLow = a - aHigh;
  const bSplit = SPLITTER * b;
  const bHigh = bSplit - (bSplit - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/** (high + low) / divisor, rounded once to the nearest double (up to double-double accuracy). */
export function divideRounded(high: number, low: number, divisor: number): number {
  if (!Number.isFinite(high)) return high / divisor;
  const sum = high + low;
  const sumError = low - (sum - high);
  const quotient = sum / divisor;
  if (!Number.isFinite(quotient)) return quotient;
  const product = quotient * divisor;
  const remainder = sum - product - productError(quotient, divisor, product) + sumError;
  return quotient + remainder / divisor;
}
