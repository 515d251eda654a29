import { RandomisationConfigError } from '../errors.ts';
import { type Allocation, allocate } from './allocate.ts';
import { type RandomisationConfig, resolveRandomisationConfig, stratumLabels } from './config.ts';
import { type RandomSource, randomUnit } from './random-source.ts';
import { createRandomisationState, type ParticipantStrata, type RandomisationState } from './state.ts';

/** Relative weights of a factor's levels when simulated participants are drawn, by factor name. */
export type LevelWeights = Readonly<Record<string, readonly number[]>>;

/** Arm -> number of participants, in the configuration's arm order. */
export type ArmCounts = Readonly<Record<string, number>>;

/** Balance within one stratum after a run of allocations. */
export interface StratumBalance {
  readonly stratum: string;
  readonly n: number;
  readonly counts: ArmCounts;
  /** The largest `allocationImbalance` of the stratum's counts after any of its allocations (0 if none). */
  readonly maxRunningImbalance: number;
}

/** Balance at one level of one factor (the margins minimisation balances). */
export interface LevelBalance {
  readonly factor: string;
  readonly level: string;
  readonly n: number;
  readonly counts: ArmCounts;
  /** `allocationImbalance` of the final counts. */
  readonly imbalance: number;
}

/** Balance of a sequence of allocations: per stratum (every configured stratum), per factor level, overall. */
export interface BalanceSummary {
  readonly strata: readonly StratumBalance[];
  readonly margins: readonly LevelBalance[];
  readonly overall: { readonly counts: ArmCounts };
}

/** The result of `simulateRandomisation`. */
export interface SimulationResult extends BalanceSummary {
  readonly allocations: readonly Allocation[];
  readonly finalState: RandomisationState;
}

/** Settings of `simulateRandomisation`. */
export interface SimulationOptions {
  /** Number of participants, a whole number >= 1. */
  readonly participants: number;
  /** Draws each participant's stratum values. */
  readonly participantRandom: RandomSource;
  /** Drives the allocations (a separate stream, so two methods can be compared on the same participants). */
  readonly allocationRandom: RandomSource;
  /** Relative weights of each factor's levels (default: equal). */
  readonly levelWeights?: LevelWeights;
}

/**
 * The imbalance of a set of arm counts: the range (max - min) of count / ratio over arms. For 1:1 this is
 * the absolute difference between the arms; it is 0 exactly when the counts are in the allocation ratio.
 *
 * @example
 * allocationImbalance([5, 3], [1, 1]); // 2
 * allocationImbalance([4, 2], [2, 1]); // 0
 */
export function allocationImbalance(counts: readonly number[], ratios: readonly number[]): number {
  const scaled = counts.map((count, arm) => count / (ratios[arm] as number));
  return Math.max(...scaled) - Math.min(...scaled);
}

function checkLevelWeights(config: RandomisationConfig, levelWeights: LevelWeights): void {
  const factors = resolveRandomisationConfig(config).factors;
  const problems: string[] = [];
  for (const [name, weights] of Object.entries(levelWeights)) {
    const factor = factors.find((candidate) => candidate.name === name);
    if (factor === undefined) {
      problems.push(
        `level weights require a configured factor (${factors.map((item) => item.name).join(', ')}) (got "${name}")`,
      );
      continue;
    }
    if (
      weights.length !== factor.levels.length ||
      !weights.every((weight) => Number.isFinite(weight) && weight >= 0) ||
      !weights.some((weight) => weight > 0)
    ) {
      problems.push(
        `level weights for "${name}" require ${factor.levels.length} finite numbers >= 0, not all 0 (got ${weights.join(', ')})`,
      );
    }
  }
  if (problems.length > 0) throw new RandomisationConfigError(problems.join('\n'));
}

/**
 * One simulated participant's stratum values: each factor's level drawn independently, with probability
 * proportional to its weight (uniform by default). One 53-bit uniform draw per factor.
 *
 * @throws RandomisationConfigError for an invalid configuration or weights.
 * @example
 * drawParticipantStrata(config, createSeededRandom(1)); // { site: 'site_4', diagnosis_group: 'other' }
 */
export function drawParticipantStrata(
  config: RandomisationConfig,
  random: RandomSource,
  levelWeights: LevelWeights = {},
): ParticipantStrata {
  checkLevelWeights(config, levelWeights);
  return drawChecked(config, random, levelWeights);
}

function drawChecked(
  config: RandomisationConfig,
  random: RandomSource,
  levelWeights: LevelWeights,
): ParticipantStrata {
  const entries = resolveRandomisationConfig(config).factors.map((factor): [string, string] => {
    const weights = Object.hasOwn(levelWeights, factor.name)
      ? (levelWeights[factor.name] as readonly number[])
      : factor.levels.map(() => 1);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let draw = randomUnit(random) * total;
    let chosen = weights.findLastIndex((weight) => weight > 0);
    for (let level = 0; level < weights.length; level++) {
      draw -= weights[level] as number;
      if (draw < 0 && (weights[level] as number) > 0) {
        chosen = level;
        break;
      }
    }
    return [factor.name, factor.levels[chosen] as string];
  });
  return Object.fromEntries(entries);
}

/**
 * Balance of a sequence of allocations: for every configured stratum (in `stratumLabels` order, including
 * empty ones) its size, arm counts and largest running imbalance; for every factor level its final counts
 * and imbalance; and the overall counts. O(n x factors).
 *
 * @throws RandomisationConfigError for an invalid configuration; RangeError for an allocation whose arm
 *   or stratum is not in the configuration.
 * @example
 * summariseAllocations(config, result.allocations).overall.counts; // { peer_support: 295, usual_care: 295 }
 */
export function summariseAllocations(
  config: RandomisationConfig,
  allocations: readonly Pick<Allocation, 'arm' | 'stratum'>[],
): BalanceSummary {
  const resolved = resolveRandomisationConfig(config);
  const labels = stratumLabels(config);
  const strata = new Map(
    labels.map((label) => [label, { counts: resolved.arms.map(() => 0), maxRunningImbalance: 0 }]),
  );
  const margins = resolved.factors.map((factor) => factor.levels.map(() => resolved.arms.map(() => 0)));
  const overall = resolved.arms.map(() => 0);
  for (const allocation of allocations) {
    const arm = resolved.arms.indexOf(allocation.arm);
    const stratum = strata.get(allocation.stratum);
    if (arm < 0 || stratum === undefined) {
      throw new RangeError(
        `summariseAllocations requires configured arms and strata (got ${allocation.arm} in ${allocation.stratum})`,
      );
    }
    stratum.counts[arm] = (stratum.counts[arm] as number) + 1;
    stratum.maxRunningImbalance = Math.max(
      stratum.maxRunningImbalance,
      allocationImbalance(stratum.counts, resolved.ratios),
    );
    overall[arm] = (overall[arm] as number) + 1;
    const levels = resolved.factors.length === 0 ? [] : allocation.stratum.split('/');
    resolved.factors.forEach((factor, index) => {
      const counts = margins[index]?.[factor.levelIndex.get(levels[index] as string) as number] as number[];
      counts[arm] = (counts[arm] as number) + 1;
    });
  }
  const named = (counts: readonly number[]): ArmCounts =>
    Object.fromEntries(resolved.arms.map((name, arm) => [name, counts[arm] as number]));
  const total = (counts: readonly number[]) => counts.reduce((sum, count) => sum + count, 0);
  return {
    strata: labels.map((label) => {
      const stratum = strata.get(label) as { counts: number[]; maxRunningImbalance: number };
      return {
        stratum: label,
        n: total(stratum.counts),
        counts: named(stratum.counts),
        maxRunningImbalance: stratum.maxRunningImbalance,
      };
    }),
    margins: resolved.factors.flatMap((factor, index) =>
      factor.levels.map((level, levelIndex) => {
        const counts = margins[index]?.[levelIndex] as number[];
        return {
          factor: factor.name,
          level,
          n: total(counts),
          counts: named(counts),
          imbalance: allocationImbalance(counts, resolved.ratios),
        };
      }),
    ),
    overall: { counts: named(overall) },
  };
}

/**
 * Simulates a trial's randomisation before go-live: draws `participants` participants' stratum values
 * (`drawParticipantStrata`) and allocates each in turn with `allocate`, then summarises the balance
 * (`summariseAllocations`). Deterministic for deterministic random sources. O(n x (factors + state size)).
 *
 * @throws RandomisationConfigError for an invalid configuration, weights or participant count.
 * @example
 * const result = simulateRandomisation(config, { participants: 590,
 *   participantRandom: createSeededRandom(7, 0), allocationRandom: createSeededRandom(7, 1) });
 * result.allocations.length; // 590
 */
export function simulateRandomisation(
  config: RandomisationConfig,
  options: SimulationOptions,
): SimulationResult {
  resolveRandomisationConfig(config);
  if (!Number.isSafeInteger(options.participants) || options.participants < 1) {
    throw new RandomisationConfigError(
      `simulation requires a whole number of participants >= 1 (got ${options.participants})`,
    );
  }
  const levelWeights = options.levelWeights ?? {};
  checkLevelWeights(config, levelWeights);
  let state = createRandomisationState(config);
  const allocations: Allocation[] = [];
  for (let index = 0; index < options.participants; index++) {
    const participant = drawChecked(config, options.participantRandom, levelWeights);
    const step = allocate(config, state, participant, options.allocationRandom);
    allocations.push(step.allocation);
    state = step.nextState;
  }
  return { allocations, ...summariseAllocations(config, allocations), finalState: state };
}
