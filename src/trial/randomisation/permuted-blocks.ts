import type { ResolvedRandomisationConfig } from './config.ts';
import { type RandomSource, randomBelow, shuffle } from './random-source.ts';
import type { PendingBlock } from './state.ts';

/** What a permuted-block step did (secret: it reveals the block size and the position in it). */
export interface BlockDecision {
  readonly kind: 'permuted_blocks';
  /** Whether this allocation started a new block in its stratum. */
  readonly newBlock: boolean;
  readonly blockSize: number;
  /** 1-based position of this allocation in its block. */
  readonly positionInBlock: number;
}

/**
 * A new block: its size drawn uniformly from the configured sizes, then `size / ratioSum * ratio` copies
 * of each arm in a uniformly random order (Fisher–Yates). Random draws: one for the size (none when a
 * single size is configured), then size - 1 for the permutation.
 */
export function drawBlock(config: ResolvedRandomisationConfig, random: RandomSource): PendingBlock {
  const size =
    config.blockSizes.length === 1
      ? (config.blockSizes[0] as number)
      : (config.blockSizes[randomBelow(random, config.blockSizes.length)] as number);
  const multiple = size / config.ratioSum;
  const arms: number[] = [];
  config.ratios.forEach((ratio, arm) => {
    for (let copy = 0; copy < multiple * ratio; copy++) arms.push(arm);
  });
  return { size, remaining: shuffle(random, arms) };
}

/**
 * One permuted-block step in a stratum: continue its unfinished block, or start a new one. Returns the arm,
 * the stratum's block afterwards (undefined when the block is finished) and the decision.
 */
export function permutedBlockStep(
  config: ResolvedRandomisationConfig,
  pending: PendingBlock | undefined,
  random: RandomSource,
): { arm: number; pending: PendingBlock | undefined; decision: BlockDecision } {
  const newBlock = pending === undefined;
  const block = pending ?? drawBlock(config, random);
  const [arm, ...rest] = block.remaining as [number, ...number[]];
  return {
    arm,
    pending: rest.length === 0 ? undefined : { size: block.size, remaining: rest },
    decision: {
      kind: 'permuted_blocks',
      newBlock,
      blockSize: block.size,
      positionInBlock: block.size - block.remaining.length + 1,
    },
  };
}
