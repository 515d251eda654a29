// A natural logarithm rounded as the C library rounds it. V8's Math.log (an fdlibm port) is faithful but
// not always correctly rounded, and R's rnorm by inversion passes log(p) through AS 241, so a single
// one-ulp difference would change a normal deviate. This evaluates log in double-double arithmetic
// (about 100 bits) and rounds once, which agrees with glibc's log except where glibc itself misrounds.
// Internal to the random folder.

import { productError } from '../numerics/extended-sum.ts';

const LN2_HIGH = Math.LN2; // 0.6931471805599453, the double nearest ln 2
const LN2_LOW = 2.3190468138462996e-17;

type DoubleDouble = [number, number];

function normalize(high: number, low: number): DoubleDouble {
  const sum = high + low;
  return [sum, low - (sum - high)];
}

function multiply([aHigh, aLow]: DoubleDouble, [bHigh, bLow]: DoubleDouble): DoubleDouble {
  const product = aHigh * bHigh;
  return normalize(product, productError(aHigh, bHigh, product) + (aHigh * bLow + aLow * bHigh));
}

function add([aHigh, aLow]: DoubleDouble, [bHigh, bLow]: DoubleDouble): DoubleDouble {
  const sum = aHigh + bHigh;
  const back = sum - aHigh;
  return normalize(sum, aHigh - (sum - back) + (bHigh - back) + aLow + bLow);
}

function divide(numerator: DoubleDouble, denominator: DoubleDouble): DoubleDouble {
  const quotient = numerator[0] / denominator[0];
  const [productHigh, productLow] = multiply([quotient, 0], denominator);
  const remainder = numerator[0] - productHigh - productLow + numerator[1];
  return normalize(quotient, remainder / denominator[0]);
}

/**
 * log(x) for a positive normal double, correctly rounded up to double-double accuracy:
 * x = m 2^k with m in [1/sqrt 2, sqrt 2], log m = 2 atanh((m - 1)/(m + 1)) by its series.
 */
export function accurateLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x) || x < 2 ** -1000) return Math.log(x);
  let exponent = Math.floor(Math.log2(x));
  let mantissa = x * 2 ** -exponent;
  if (mantissa > Math.SQRT2) {
    mantissa /= 2;
    exponent += 1;
  } else if (mantissa < Math.SQRT1_2) {
    mantissa *= 2;
    exponent -= 1;
  }
  if (mantissa === 1) return exponent * LN2_HIGH + exponent * LN2_LOW;
  const denominatorHigh = mantissa + 1;
  const back = denominatorHigh - mantissa;
  const denominator: DoubleDouble = [denominatorHigh, mantissa - (denominatorHigh - back) + (1 - back)];
  const s = divide([mantissa - 1, 0], denominator);
  const square = multiply(s, s);
  // s + s^3/3 + s^5/5 in double-double; the rest (below 1e-5 of s) in plain doubles is accurate enough.
  const cube = multiply(s, square);
  const fifth = multiply(cube, square);
  let tail = 0;
  let power = fifth[0];
  for (let odd = 7; odd < 60; odd += 2) {
    power *= square[0];
    tail += power / odd;
    if (Math.abs(power) < Math.abs(s[0]) * 1e-36) break;
  }
  const series = add(add(s, divide(cube, [3, 0])), add(divide(fifth, [5, 0]), [tail, 0]));
  const scaledHigh = exponent * LN2_HIGH;
  const scaled = add(normalize(scaledHigh, productError(exponent, LN2_HIGH, scaledHigh)), [
    exponent * LN2_LOW,
    0,
  ]);
  const result = add([2 * series[0], 2 * series[1]], scaled);
  return result[0] + result[1];
}
