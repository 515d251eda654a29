import type { RandomSource } from './random-source.ts';

/** The four 32-bit words of a xoshiro128** generator: enough to resume it exactly. Secret in a live trial. */
export type SeededRandomState = readonly [number, number, number, number];

/** A deterministic random source whose state can be saved and restored (simulation and tests only). */
export interface SeededRandom extends RandomSource {
  /** A copy of the current generator state; `restoreSeededRandom(state)` continues from here. */
  snapshot(): SeededRandomState;
}

const MASK_64 = (1n << 64n) - 1n;

function splitmix64(state: bigint): { state: bigint; output: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK_64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return { state: next, output: z ^ (z >> 31n) };
}

function createXoshiro128StarStar(initial: SeededRandomState): SeededRandom {
  let [s0, s1, s2, s3] = initial;
  return {
    nextUint32(): number {
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      return result;
    },
    snapshot: () => [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0],
  };
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * A seeded, deterministic random source for simulations and tests: xoshiro128** 1.1 (Blackman & Vigna
 * 2018) seeded by splitmix64. Seed scheme: splitmix64 starts at `seed`; stream k discards 2k outputs and
 * takes the next two, o1 and o2, as the state { low32(o1), high32(o1), low32(o2), high32(o2) }. Streams give
 * independent sequences from one seed (the simulator draws participants from stream 0 and allocations from
 * stream 1). Agrees exactly with the C reference (reference/seeded-random.c). Not for live allocation: its
 * output is predictable from the seed; a live trial uses a cryptographically secure source.
 *
 * @throws RangeError when seed is not a whole number in [0, 2^53) or stream is not a whole number >= 0.
 * @example
 * const random = createSeededRandom(0);
 * random.nextUint32(); // 3737715805
 */
export function createSeededRandom(seed: number, stream = 0): SeededRandom {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`createSeededRandom requires a whole-number seed in [0, 2^53) (got ${seed})`);
  }
  if (!Number.isSafeInteger(stream) || stream < 0) {
    throw new RangeError(`createSeededRandom requires a whole-number stream >= 0 (got ${stream})`);
  }
  let state = BigInt(seed);
  for (let skip = 0; skip < 2 * stream; skip++) state = splitmix64(state).state;
  const first = splitmix64(state);
  const second = splitmix64(first.state);
  const words: SeededRandomState = [
    Number(first.output & 0xffffffffn),
    Number(first.output >> 32n),
    Number(second.output & 0xffffffffn),
    Number(second.output >> 32n),
  ];
  return restoreSeededRandom(words);
}

/**
 * Continues a seeded random source from a `snapshot()`.
 *
 * @throws RangeError when the state is not four 32-bit whole numbers, not all zero.
 * @example
 * const copy = restoreSeededRandom(createSeededRandom(7).snapshot());
 */
export function restoreSeededRandom(state: SeededRandomState): SeededRandom {
  if (
    state.length !== 4 ||
    !state.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff) ||
    state.every((word) => word === 0)
  ) {
    throw new RangeError(
      `restoreSeededRandom requires four 32-bit whole numbers, not all zero (got [${state.join(', ')}])`,
    );
  }
  return createXoshiro128StarStar([state[0] | 0, state[1] | 0, state[2] | 0, state[3] | 0]);
}

/** @internal The splitmix64 outputs from `seed` (as decimal strings), for the reference test. */
export function splitmix64Outputs(seed: number, count: number): string[] {
  const outputs: string[] = [];
  let state = BigInt(seed);
  for (let index = 0; index < count; index++) {
    const step = splitmix64(state);
    state = step.state;
    outputs.push(step.output.toString());
  }
  return outputs;
}
