/**
 * The random source every randomisation engine takes as an argument. The engines never reach for a global
 * generator: production passes a cryptographically secure source (`createSecureRandom` in
 * src/cli/secure-random.ts, built on node:crypto), simulations and tests pass the seeded
 * `createSeededRandom`. Both produce independent, uniformly distributed unsigned 32-bit integers.
 */
export interface RandomSource {
  /** The next uniformly distributed whole number in [0, 2^32). */
  nextUint32(): number;
}

const TWO_POW_32 = 4294967296;

/**
 * A uniformly distributed whole number in [0, n), without modulo bias: draws are rejected above the
 * largest multiple of n below 2^32 (so on average fewer than two draws, whatever n).
 *
 * @throws RangeError when n is not a whole number in [1, 2^32].
 * @example
 * randomBelow(createSeededRandom(1), 6); // one of 0..5
 */
export function randomBelow(random: RandomSource, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
    throw new RangeError(`randomBelow requires a whole number in [1, 2^32] (got ${n})`);
  }
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  for (;;) {
    const draw = random.nextUint32();
    if (draw < limit) return draw % n;
  }
}

/**
 * A uniformly distributed number in [0, 1) with 53 random bits, from two 32-bit draws (the upper 27 and
 * 26 bits, as the reference xoshiro/Mersenne Twister code builds a double).
 *
 * @example
 * randomUnit(createSeededRandom(1)) < 1; // true
 */
export function randomUnit(random: RandomSource): number {
  const high = random.nextUint32() >>> 5;
  const low = random.nextUint32() >>> 6;
  return (high * 67108864 + low) / 9007199254740992;
}

/**
 * An index in [0, weights.length) drawn with probability proportional to whole-number `weights`, exactly
 * (one `randomBelow` over the total, so no floating-point rounding).
 *
 * @throws RangeError when a weight is not a whole number >= 0 or all are zero.
 * @example
 * randomWeightedIndex(createSeededRandom(1), [2, 1]); // 0 with probability 2/3
 */
export function randomWeightedIndex(random: RandomSource, weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) {
    if (!Number.isInteger(weight) || weight < 0) {
      throw new RangeError(`randomWeightedIndex requires whole-number weights >= 0 (got ${weight})`);
    }
    total += weight;
  }
  if (total === 0) throw new RangeError('randomWeightedIndex requires a positive total weight (got 0)');
  let draw = randomBelow(random, total);
  for (let index = 0; index < weights.length; index++) {
    draw -= weights[index] as number;
    if (draw < 0) return index;
  }
  /* c8 ignore next */
  throw new RangeError('randomWeightedIndex: unreachable');
}

/**
 * A uniformly random permutation of `items` (Fisher–Yates, drawing from the end), as a new array.
 *
 * @example
 * shuffle(createSeededRandom(1), [0, 0, 1, 1]); // e.g. [1, 0, 0, 1]
 */
export function shuffle<T>(random: RandomSource, items: readonly T[]): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index--) {
    const other = randomBelow(random, index + 1);
    const item = out[index] as T;
    out[index] = out[other] as T;
    out[other] = item;
  }
  return out;
}
