import { type RandomisationConfig, resolveRandomisationConfig } from './config.ts';
import { type MinimisationDecision, minimisationStep } from './minimisation.ts';
import { type BlockDecision, permutedBlockStep } from './permuted-blocks.ts';
import type { RandomSource } from './random-source.ts';
import {
  checkState,
  type ParticipantStrata,
  type PendingBlock,
  type RandomisationState,
  resolveParticipant,
} from './state.ts';

/** One allocation: its sequence number (1, 2, ...), the arm and the participant's stratum label. */
export interface Allocation {
  readonly sequence: number;
  readonly arm: string;
  readonly stratum: string;
}

/** How the step reached its allocation. SECRET: for audit by unblinded staff and for tests only. */
export type AllocationDecision = BlockDecision | MinimisationDecision;

/** The result of one `allocate` step. */
export interface AllocationStep {
  readonly allocation: Allocation;
  /** The state after this allocation; store it in the same transaction as the allocation. */
  readonly nextState: RandomisationState;
  readonly decision: AllocationDecision;
}

/**
 * Allocates one participant: a pure step from (configuration, state, the participant's stratum values,
 * a random source) to (allocation, next state). It reads nothing else and changes nothing (the state
 * passed in is not mutated, the next state shares the unchanged parts), so a database can load the state,
 * run this step and store the allocation and the next state in one transaction: rerunning a rolled-back
 * step simply draws afresh. With the same state and the same random draws the result is the same.
 *
 * Permuted blocks: each stratum (the cross of all factors) keeps its own unfinished block; the next arm is
 * the next in that block, and an exhausted stratum starts a new block of a size drawn uniformly from the
 * configured sizes, filled in the ratio and randomly permuted. Minimisation: Pocock–Simon over the
 * factors' marginal counts (see `minimisationScores`, `minimisationStep`). Both keep `levelCounts`.
 *
 * @throws RandomisationConfigError for an invalid configuration; RandomisationStratumError for a missing,
 *   unknown or extra stratum value; RandomisationStateError for a state that does not fit the configuration.
 * @example
 * const config = { kind: 'permuted_blocks', arms: [{ name: 'a', ratio: 1 }, { name: 'b', ratio: 1 }],
 *   factors: [{ name: 'site', levels: ['s1', 's2'] }] } as const;
 * const { allocation, nextState } = allocate(config, createRandomisationState(config), { site: 's1' },
 *   createSeededRandom(1));
 * allocation.sequence; // 1
 * allocation.stratum; // 's1'
 */
export function allocate(
  config: RandomisationConfig,
  state: RandomisationState,
  participant: ParticipantStrata,
  random: RandomSource,
): AllocationStep {
  const resolved = resolveRandomisationConfig(config);
  checkState(resolved, state);
  const { levels, stratum } = resolveParticipant(resolved, participant);
  let arm: number;
  let decision: AllocationDecision;
  let pendingBlocks = state.pendingBlocks;
  if (resolved.kind === 'permuted_blocks') {
    const pending = Object.hasOwn(state.pendingBlocks, stratum) ? state.pendingBlocks[stratum] : undefined;
    const step = permutedBlockStep(resolved, pending, random);
    arm = step.arm;
    decision = step.decision;
    // Object.fromEntries defines own properties, so a level named like an Object.prototype key is safe.
    const entries: [string, PendingBlock][] = Object.entries(state.pendingBlocks).filter(
      ([label]) => label !== stratum,
    );
    if (step.pending !== undefined) entries.push([stratum, step.pending]);
    pendingBlocks = Object.fromEntries(entries);
  } else {
    const step = minimisationStep(resolved, state.levelCounts, levels, random);
    arm = step.arm;
    decision = step.decision;
  }
  const levelCounts = state.levelCounts.map((factorCounts, factor) =>
    factorCounts.map((armCounts, level) =>
      level === levels[factor]
        ? armCounts.map((count, index) => (index === arm ? count + 1 : count))
        : armCounts,
    ),
  );
  const sequence = state.sequence + 1;
  return {
    allocation: { sequence, arm: resolved.arms[arm] as string, stratum },
    nextState: { version: 1, kind: state.kind, sequence, levelCounts, pendingBlocks },
    decision,
  };
}
