import { InvalidArgumentError } from '../errors.ts';
import { qnormAs241 } from './r-normal-quantile.ts';

/**
 * A random-number stream that draws exactly what R draws after `set.seed(seed)` with the default kinds
 * (`RNGkind("Mersenne-Twister", "Inversion", "Rejection")`, R >= 3.6.0). Each stream owns its state;
 * there is no global generator.
 */
export interface RRandom {
  /** One uniform on (0, 1), as R's C-level `unif_rand()` (32-bit MT19937 output, `fixup` away from 0 and 1). */
  unifRand(): number;
  /** `count` uniforms on (min, max), as `runif(count, min, max)`; `min === max` draws nothing, as in R. */
  runif(count: number, min?: number, max?: number): Float64Array;
  /**
   * A uniform integer in 0..n-1 by R's rejection sampling (`R_unif_index`): the smallest number of bits
   * covering n, built from 16-bit chunks `floor(65536 u)`, masked, and redrawn while >= n.
   */
  unifIndex(n: number): number;
  /** `count` draws of `unifIndex(n)` at once (0-based; `sample.int(n, count, TRUE) - 1`), the fast path for resampling. */
  unifIndices(n: number, count: number): Int32Array;
  /** As `sample.int(n, size, replace)`: 1-based integers (R's values). */
  sampleInt(n: number, size?: number, replace?: boolean): Int32Array;
  /** As `sample(values, size, replace)` for a vector of length >= 2: `values[sample.int(length, size, replace)]`. */
  sample<T>(values: readonly T[], size?: number, replace?: boolean): T[];
  /** One standard normal by inversion, as R's `norm_rand()`: `qnorm((floor(2^27 u1) + u2) / 2^27)`. */
  normRand(): number;
  /** `count` normals, as `rnorm(count, mean, sd)`; `sd === 0` draws nothing, as in R. */
  rnorm(count: number, mean?: number, sd?: number): Float64Array;
  /** The state as R's `.Random.seed`: 626 integers, kind code 10403, the position `mti`, then the 624 words. */
  randomSeed(): Int32Array;
}

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df | 0; // as a signed 32-bit integer, like every word below
const UPPER_MASK = 0x80000000 | 0;
const LOWER_MASK = 0x7fffffff;
/** 1 / (2^32 - 1): R's `i2_32m1`, used by `fixup`. */
const INVERSE_2_32_MINUS_1 = 2.328306437080797e-10;
/** 2^-32, R's conversion of a 32-bit word to [0, 1). */
const INVERSE_2_32 = 2.3283064365386963e-10;
const TWO_POW_27 = 134217728;
/** R's `.Random.seed[1]` for Mersenne-Twister + Inversion + Rejection. */
const KIND_CODE = 10403;
/** Largest n R's integer `sample.int` handles without switching to doubles (INT_MAX). */
const MAX_INDEX_RANGE = 2147483647;

/**
 * Creates an R-compatible random stream seeded as `set.seed(seed)`: the seed (an integer, taken modulo
 * 2^32 as R's unsigned `Int32`) is scrambled by 50 rounds of the LCG `s = 69069 s + 1`, then 625 further
 * rounds fill the position word and the 624 Mersenne-Twister words; the position is then set to 624 so
 * that the first draw regenerates the whole block (R's `FixupSeeds`).
 *
 * Matches `set.seed(seed); runif(...)`, `sample.int(...)`, `sample(...)` and `rnorm(...)` bit for bit
 * (tested against R 4.2.2 in r-random.test.ts). Each draw is O(1) amortised.
 *
 * @throws InvalidArgumentError when `seed` is not an integer in [-2^31 + 1, 2^31 - 1] (R's integer range).
 * @example
 * const rng = createRRandom(1);
 * rng.runif(3); // Float64Array [0.26550866314209998, 0.37212389963679016, 0.57285336335189641]
 * createRRandom(1).sampleInt(10, 10, true); // Int32Array [9, 4, 7, 1, 2, 7, 2, 3, 1, 5]
 */
export function createRRandom(seed: number): RRandom {
  if (!Number.isInteger(seed) || Math.abs(seed) > MAX_INDEX_RANGE) {
    throw new InvalidArgumentError(
      `createRRandom requires an integer seed between -2147483647 and 2147483647, as set.seed (got ${seed})`,
    );
  }
  // Signed 32-bit words: V8 keeps them as small integers (a Uint32Array above 2^31 would box doubles).
  const words = new Int32Array(STATE_SIZE);
  let scrambled = seed >>> 0;
  for (let round = 0; round < 50; round++) scrambled = (Math.imul(69069, scrambled) + 1) >>> 0;
  // The first of the 625 words is the position slot (overwritten below); the rest are mt[0..623].
  scrambled = (Math.imul(69069, scrambled) + 1) >>> 0;
  for (let index = 0; index < STATE_SIZE; index++) {
    scrambled = (Math.imul(69069, scrambled) + 1) >>> 0;
    words[index] = scrambled | 0;
  }
  let position = STATE_SIZE;

  function regenerate(): void {
    let y: number;
    let k = 0;
    for (; k < STATE_SIZE - SHIFT_SIZE; k++) {
      y = ((words[k] as number) & UPPER_MASK) | ((words[k + 1] as number) & LOWER_MASK);
      words[k] = (words[k + SHIFT_SIZE] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < STATE_SIZE - 1; k++) {
      y = ((words[k] as number) & UPPER_MASK) | ((words[k + 1] as number) & LOWER_MASK);
      words[k] = (words[k + SHIFT_SIZE - STATE_SIZE] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = ((words[STATE_SIZE - 1] as number) & UPPER_MASK) | ((words[0] as number) & LOWER_MASK);
    words[STATE_SIZE - 1] = (words[SHIFT_SIZE - 1] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    position = 0;
  }

  /** The next tempered 32-bit MT19937 output, as an unsigned integer. */
  function nextWord(): number {
    if (position >= STATE_SIZE) regenerate();
    let y = words[position++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  function unifRand(): number {
    const value = nextWord() * INVERSE_2_32;
    // R's fixup: keep the value strictly inside (0, 1).
    if (value <= 0) return 0.5 * INVERSE_2_32_MINUS_1;
    if (1 - value <= 0) return 1 - 0.5 * INVERSE_2_32_MINUS_1;
    return value;
  }

  /**
   * R's rbits/R_unif_index. A 16-bit chunk `floor(65536 * unif_rand())` is exactly the top 16 bits of the
   * 32-bit word (fixup only moves a zero word to a uniform whose chunk is still 0), so the draw is done
   * on integers. `n <= bits` in R's loop means one chunk up to 15 bits, two chunks for 16 to 31 bits.
   */
  function fillIndices(n: number, out: Int32Array): void {
    let bits = 0;
    while (2 ** bits < n) bits++;
    const twoChunks = bits >= 16;
    const mask = twoChunks ? 0 : 2 ** bits - 1;
    const modulus = 2 ** bits;
    // The generator is inlined with a local position: this loop is the cost of drawing resamples.
    let at = position;
    for (let index = 0; index < out.length; index++) {
      let value: number;
      do {
        if (at >= STATE_SIZE) {
          regenerate();
          at = 0;
        }
        let y = words[at++] as number;
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        if (twoChunks) {
          if (at >= STATE_SIZE) {
            regenerate();
            at = 0;
          }
          let second = words[at++] as number;
          second ^= second >>> 11;
          second ^= (second << 7) & 0x9d2c5680;
          second ^= (second << 15) & 0xefc60000;
          second ^= second >>> 18;
          value = ((y >>> 16) * 65536 + (second >>> 16)) % modulus;
        } else {
          value = (y >>> 16) & mask;
        }
      } while (value >= n);
      out[index] = value;
    }
    position = at;
  }

  const single = new Int32Array(1);
  function unifIndex(n: number): number {
    if (n <= 0) return 0;
    fillIndices(n, single);
    return single[0] as number;
  }

  function checkCount(what: string, count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidArgumentError(`${what} requires a whole number of draws >= 0 (got ${count})`);
    }
  }

  function sampleInt(n: number, size = n, replace = false): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > MAX_INDEX_RANGE || (size > 0 && n === 0)) {
      throw new InvalidArgumentError(
        `sampleInt requires a whole number n between 1 and 2147483647 (got ${n})`,
      );
    }
    checkCount('sampleInt', size);
    if (!replace && size > n) {
      throw new InvalidArgumentError(
        `sampleInt requires size <= n when replace = false (got size ${size} > n ${n})`,
      );
    }
    const out = new Int32Array(size);
    if (replace || size < 2) {
      fillIndices(n, out);
      for (let index = 0; index < size; index++) out[index] = (out[index] as number) + 1;
      return out;
    }
    // R's partial Fisher-Yates: draw a slot, take it, move the last remaining value into it.
    const pool = new Int32Array(n);
    for (let index = 0; index < n; index++) pool[index] = index;
    let remaining = n;
    for (let index = 0; index < size; index++) {
      const slot = unifIndex(remaining);
      out[index] = (pool[slot] as number) + 1;
      pool[slot] = pool[--remaining] as number;
    }
    return out;
  }

  function normRand(): number {
    const first = unifRand();
    const fine = Math.trunc(TWO_POW_27 * first) + unifRand();
    return qnormAs241(fine / TWO_POW_27);
  }

  return {
    unifRand,
    unifIndex(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > MAX_INDEX_RANGE) {
        throw new InvalidArgumentError(
          `unifIndex requires a whole number n between 1 and 2147483647 (got ${n})`,
        );
      }
      return unifIndex(n);
    },
    unifIndices(n: number, count: number): Int32Array {
      if (!Number.isInteger(n) || n < 1 || n > MAX_INDEX_RANGE) {
        throw new InvalidArgumentError(
          `unifIndices requires a whole number n between 1 and 2147483647 (got ${n})`,
        );
      }
      checkCount('unifIndices', count);
      const out = new Int32Array(count);
      fillIndices(n, out);
      return out;
    },
    runif(count: number, min = 0, max = 1): Float64Array {
      checkCount('runif', count);
      if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) {
        throw new InvalidArgumentError(`runif requires finite min <= max (got min ${min}, max ${max})`);
      }
      const out = new Float64Array(count);
      for (let index = 0; index < count; index++)
        out[index] = min === max ? min : min + (max - min) * unifRand();
      return out;
    },
    sampleInt,
    sample<T>(values: readonly T[], size = values.length, replace = false): T[] {
      return Array.from(sampleInt(values.length, size, replace), (drawn) => values[drawn - 1] as T);
    },
    normRand,
    rnorm(count: number, mean = 0, sd = 1): Float64Array {
      checkCount('rnorm', count);
      if (!Number.isFinite(mean) || !Number.isFinite(sd) || sd < 0) {
        throw new InvalidArgumentError(
          `rnorm requires a finite mean and a finite sd >= 0 (got mean ${mean}, sd ${sd})`,
        );
      }
      const out = new Float64Array(count);
      for (let index = 0; index < count; index++) out[index] = sd === 0 ? mean : mean + sd * normRand();
      return out;
    },
    randomSeed(): Int32Array {
      const out = new Int32Array(STATE_SIZE + 2);
      out[0] = KIND_CODE;
      out[1] = position;
      out.set(words, 2);
      return out;
    },
  };
}
