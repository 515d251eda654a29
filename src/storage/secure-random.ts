import { randomFillSync } from 'node:crypto';
import type { RandomSource } from '../trial/index.ts';

const BUFFER_WORDS = 256;

/**
 * The production random source for live allocation: unsigned 32-bit integers from the operating system's
 * cryptographically secure generator (node:crypto `randomFillSync`, i.e. OpenSSL's CSPRNG), read 256 words
 * at a time. It has no state worth storing and its output cannot be predicted from earlier output, so
 * nobody, including whoever can read the database, can compute future allocations from a seed.
 * The randomisation engines in src/trial take it as an argument; the store is given it when opened.
 *
 * @example
 * createSecureRandom().nextUint32(); // a whole number in [0, 2^32)
 */
export function createSecureRandom(): RandomSource {
  const words = new Uint32Array(BUFFER_WORDS);
  let next = BUFFER_WORDS;
  return {
    nextUint32(): number {
      if (next === BUFFER_WORDS) {
        randomFillSync(words);
        next = 0;
      }
      return words[next++] as number;
    },
  };
}
