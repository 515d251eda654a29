import { RandomisationStateError, RandomisationStratumError } from '../errors.ts';
import {
  type RandomisationConfig,
  type RandomisationKind,
  type ResolvedRandomisationConfig,
  resolveRandomisationConfig,
  stratumLabel,
} from './config.ts';

/**
 * The unfinished block of one stratum. SECRET: its contents are the stratum's next allocations, and
 * `size` with `remaining.length` gives the position in the block.
 */
export interface PendingBlock {
  /** The size of the block in use (one of the configured sizes). */
  readonly size: number;
  /** The arms (indices into `config.arms`) still to be allocated, in the order they will be. */
  readonly remaining: readonly number[];
}

/**
 * Everything a randomisation engine needs to continue: plain JSON-serialisable data, so a database can
 * store it and run `allocate` on it inside a transaction. `allocate` never mutates it.
 *
 * What is secret (never shown to blinded users or to anyone who enrols participants): `pendingBlocks`
 * (block contents, the sizes in use, the position in each block: knowing them predicts allocations) and
 * `levelCounts` (the arm counts per factor level: under minimisation they predict the preferred arm; under
 * either method they reveal allocations). Only `sequence`, the number of allocations so far, may be shown.
 * The random source's own state (the seeded generator's words) is secret too; the secure source has
 * none to store.
 */
export interface RandomisationState {
  readonly version: 1;
  readonly kind: RandomisationKind;
  /** The number of allocations made so far; the next one gets `sequence + 1`. */
  readonly sequence: number;
  /** `levelCounts[factor][level][arm]`: participants allocated to each arm at each factor level. */
  readonly levelCounts: readonly (readonly (readonly number[])[])[];
  /** Permuted blocks only (empty for minimisation): each stratum's unfinished block, keyed by stratum label. */
  readonly pendingBlocks: Readonly<Record<string, PendingBlock>>;
}

/** A participant's stratum values: factor name -> level, e.g. `{ site: 'site_1', diagnosis_group: 'other' }`. */
export type ParticipantStrata = Readonly<Record<string, string>>;

/**
 * The empty state of a trial before its first allocation.
 *
 * @throws RandomisationConfigError when the configuration is invalid.
 * @example
 * createRandomisationState(config).sequence; // 0
 */
export function createRandomisationState(config: RandomisationConfig): RandomisationState {
  const resolved = resolveRandomisationConfig(config);
  return {
    version: 1,
    kind: resolved.kind,
    sequence: 0,
    levelCounts: resolved.factors.map((factor) => factor.levels.map(() => resolved.arms.map(() => 0))),
    pendingBlocks: {},
  };
}

/** The level index of each factor for a participant, and the stratum label. */
export interface ResolvedParticipant {
  readonly levels: readonly number[];
  readonly stratum: string;
}

/**
 * Checks a participant's stratum values against the factors: every factor given exactly once with one of
 * its levels, and nothing else. Reports every problem at once.
 *
 * @throws RandomisationStratumError naming each missing, unknown or extra value.
 */
export function resolveParticipant(
  config: ResolvedRandomisationConfig,
  participant: ParticipantStrata,
): ResolvedParticipant {
  if (participant === null || typeof participant !== 'object' || Array.isArray(participant)) {
    throw new RandomisationStratumError(
      `participant strata require an object of factor name -> level (got ${participant === null ? 'null' : typeof participant})`,
    );
  }
  const problems: string[] = [];
  const levels: number[] = [];
  const names: string[] = [];
  for (const factor of config.factors) {
    const value = Object.hasOwn(participant, factor.name) ? participant[factor.name] : undefined;
    const index = typeof value === 'string' ? factor.levelIndex.get(value) : undefined;
    if (index === undefined) {
      problems.push(
        `participant stratum "${factor.name}" requires one of ${factor.levels.join(', ')} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`,
      );
    } else {
      levels.push(index);
      names.push(factor.levels[index] as string);
    }
  }
  for (const key of Object.keys(participant)) {
    if (!config.factors.some((factor) => factor.name === key)) {
      problems.push(
        `participant strata require only the factors ${config.factors.map((factor) => factor.name).join(', ') || '(none)'} (got "${key}")`,
      );
    }
  }
  if (problems.length > 0) throw new RandomisationStratumError(problems.join('\n'));
  return { levels, stratum: stratumLabel(names) };
}

/**
 * Checks that a stored state fits the configuration (method, shape, counts, pending blocks) before a step
 * runs on it. Messages do not reveal pending block contents.
 *
 * @throws RandomisationStateError on the first mismatch.
 */
export function checkState(config: ResolvedRandomisationConfig, state: RandomisationState): void {
  const fail = (message: string): never => {
    throw new RandomisationStateError(message);
  };
  if (state === null || typeof state !== 'object') fail('randomisation state requires an object');
  if (state.version !== 1) fail(`randomisation state requires version 1 (got ${String(state.version)})`);
  if (state.kind !== config.kind) {
    fail(`randomisation state requires kind "${config.kind}" as configured (got "${String(state.kind)}")`);
  }
  if (!Number.isSafeInteger(state.sequence) || state.sequence < 0) {
    fail(`randomisation state sequence requires a whole number >= 0 (got ${String(state.sequence)})`);
  }
  const counts = state.levelCounts;
  if (!Array.isArray(counts) || counts.length !== config.factors.length) {
    fail(`randomisation state counts require one entry per factor (${config.factors.length})`);
  }
  config.factors.forEach((factor, factorIndex) => {
    const levels = counts[factorIndex];
    if (!Array.isArray(levels) || levels.length !== factor.levels.length) {
      fail(`randomisation state counts for "${factor.name}" require ${factor.levels.length} levels`);
    }
    let total = 0;
    for (const arms of levels as readonly (readonly number[])[]) {
      if (
        !Array.isArray(arms) ||
        arms.length !== config.arms.length ||
        !arms.every((count) => Number.isSafeInteger(count) && count >= 0)
      ) {
        fail(
          `randomisation state counts for "${factor.name}" require ${config.arms.length} whole numbers >= 0 per level`,
        );
      }
      for (const count of arms) total += count;
    }
    if (total !== state.sequence) {
      fail(`randomisation state counts for "${factor.name}" require a total equal to the sequence`);
    }
  });
  const blocks = state.pendingBlocks;
  if (blocks === null || typeof blocks !== 'object' || Array.isArray(blocks)) {
    fail('randomisation state pending blocks require an object');
  }
  const entries = Object.entries(blocks);
  if (config.kind === 'minimisation' && entries.length > 0) {
    fail('randomisation state pending blocks require none under minimisation');
  }
  for (const [label, block] of entries) {
    const parts = config.factors.length === 0 ? [] : label.split('/');
    const knownStratum =
      config.factors.length === 0
        ? label === stratumLabel([])
        : parts.length === config.factors.length &&
          config.factors.every((factor, index) => factor.levelIndex.has(parts[index] as string));
    if (!knownStratum)
      fail(`randomisation state pending block requires a configured stratum (got "${label}")`);
    const valid =
      block !== null &&
      typeof block === 'object' &&
      config.blockSizes.includes(block.size) &&
      Array.isArray(block.remaining) &&
      block.remaining.length > 0 &&
      block.remaining.length < block.size &&
      block.remaining.every((arm) => Number.isInteger(arm) && arm >= 0 && arm < config.arms.length) &&
      config.arms.every(
        (_, arm) =>
          block.remaining.filter((item) => item === arm).length <=
          (block.size / config.ratioSum) * (config.ratios[arm] as number),
      );
    if (!valid)
      fail(`randomisation state pending block of stratum "${label}" requires a valid unfinished block`);
  }
}
