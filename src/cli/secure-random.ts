import { createSecureRandom } from '../storage/index.ts';
import type { RandomSource } from '../trial/index.ts';

export { createSecureRandom };

/** A seed for a simulation that was run without `--seed`: a secure random whole number in [0, 2^53). */
export function secureRandomSeed(random: RandomSource = createSecureRandom()): number {
  return (random.nextUint32() >>> 11) * 4294967296 + random.nextUint32();
}
