import { RandomisationConfigError } from '../errors.ts';

/** A trial arm and its share in the allocation ratio (`ratio: 2` and `ratio: 1` make 2:1). */
export interface TrialArm {
  readonly name: string;
  /** A whole number >= 1. */
  readonly ratio: number;
}

/**
 * A stratification (or minimisation) factor and its levels, e.g. `{ name: 'site', levels: ['site_1', ...] }`.
 * `weight` is the factor's weight in the minimisation score (default 1); permuted blocks ignore it.
 */
export interface StratificationFactor {
  readonly name: string;
  readonly levels: readonly string[];
  readonly weight?: number;
}

/** Stratified permuted blocks: one independent block sequence per stratum (the cross of all factors). */
export interface PermutedBlockConfig {
  readonly kind: 'permuted_blocks';
  readonly arms: readonly TrialArm[];
  readonly factors: readonly StratificationFactor[];
  /**
   * The block sizes (total participants per block) to draw from, uniformly at random, each time a
   * stratum starts a new block. Each must be a multiple of the ratio sum. Default: 1, 2 and 3 times the
   * ratio sum (2, 4, 6 for 1:1; 3, 6, 9 for 2:1).
   */
  readonly blockSizes?: readonly number[];
}

/** How the minimisation score measures the imbalance of one factor level across arms. */
export type ImbalanceMeasure = 'range' | 'variance';

/** Pocock–Simon minimisation over the marginal counts of each factor's levels. */
export interface MinimisationConfig {
  readonly kind: 'minimisation';
  readonly arms: readonly TrialArm[];
  readonly factors: readonly StratificationFactor[];
  /** Default 'range' (max minus min of the ratio-scaled counts); 'variance' is their sample variance. */
  readonly imbalance?: ImbalanceMeasure;
  /** Probability of assigning the arm with the smallest imbalance score; default 0.8. */
  readonly preferredArmProbability?: number;
}

/** A randomisation method and its settings. */
export type RandomisationConfig = PermutedBlockConfig | MinimisationConfig;

/** The method of a configuration or state. */
export type RandomisationKind = RandomisationConfig['kind'];

/** One factor after validation, with its defaults filled in. */
export interface ResolvedFactor {
  readonly name: string;
  readonly levels: readonly string[];
  readonly weight: number;
  readonly levelIndex: ReadonlyMap<string, number>;
}

/** A validated configuration with every default filled in; what the engines run on. */
export interface ResolvedRandomisationConfig {
  readonly kind: RandomisationKind;
  readonly arms: readonly string[];
  readonly ratios: readonly number[];
  readonly ratioSum: number;
  readonly factors: readonly ResolvedFactor[];
  /** Empty for minimisation. */
  readonly blockSizes: readonly number[];
  readonly imbalance: ImbalanceMeasure;
  readonly preferredArmProbability: number;
  /** Number of strata: the product of the factors' level counts (1 without factors). */
  readonly strataCount: number;
}

/** The default minimisation probability of assigning the preferred (least-imbalancing) arm. */
export const DEFAULT_PREFERRED_ARM_PROBABILITY = 0.8;

/** The largest block size accepted (a block is held in the state, so its size is bounded). */
export const MAX_BLOCK_SIZE = 1000;

/** The label of the single stratum of a configuration without factors. */
export const UNSTRATIFIED_LABEL = 'all';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

const resolved = new WeakMap<RandomisationConfig, ResolvedRandomisationConfig>();

/**
 * The default block sizes for a set of arms: 1, 2 and 3 times the ratio sum (2, 4, 6 for 1:1).
 *
 * @example
 * defaultBlockSizes([{ name: 'a', ratio: 2 }, { name: 'b', ratio: 1 }]); // [3, 6, 9]
 */
export function defaultBlockSizes(arms: readonly TrialArm[]): number[] {
  const ratioSum = arms.reduce((sum, arm) => sum + arm.ratio, 0);
  return [ratioSum, 2 * ratioSum, 3 * ratioSum];
}

/**
 * Validates a randomisation configuration and fills in its defaults. Checks, reporting every problem at
 * once: at least two arms with distinct identifier names (letters, digits, `_`) and whole-number ratios
 * >= 1; factors with distinct identifier names and at least one level each, levels distinct, non-empty
 * and without `/` (it separates levels in stratum labels); block sizes whole numbers that are multiples
 * of the ratio sum, distinct, at most 1000; minimisation with at least one factor, positive finite factor
 * weights and a preferred-arm probability in (1/K, 1] for K arms. The result is cached per config object.
 *
 * @throws RandomisationConfigError naming every problem found.
 * @example
 * resolveRandomisationConfig({
 *   kind: 'permuted_blocks',
 *   arms: [{ name: 'peer_support', ratio: 1 }, { name: 'usual_care', ratio: 1 }],
 *   factors: [{ name: 'site', levels: ['site_1', 'site_2'] }],
 * }).blockSizes; // [2, 4, 6]
 */
export function resolveRandomisationConfig(config: RandomisationConfig): ResolvedRandomisationConfig {
  const cached = resolved.get(config);
  if (cached !== undefined) return cached;
  const problems: string[] = [];
  const kind = config.kind;
  if (kind !== 'permuted_blocks' && kind !== 'minimisation') {
    throw new RandomisationConfigError(
      `randomisation kind requires "permuted_blocks" or "minimisation" (got ${JSON.stringify(kind)})`,
    );
  }
  const arms = Array.isArray(config.arms) ? config.arms : [];
  if (arms.length < 2) problems.push(`randomisation requires at least two arms (got ${arms.length})`);
  const armNames = new Set<string>();
  for (const arm of arms) {
    if (typeof arm.name !== 'string' || !IDENTIFIER.test(arm.name)) {
      problems.push(
        `arm name requires letters, digits and _ starting with a letter (got ${JSON.stringify(arm.name)})`,
      );
    } else if (armNames.has(arm.name)) {
      problems.push(`arm names require distinct names (got "${arm.name}" twice)`);
    }
    armNames.add(arm.name);
    if (!Number.isInteger(arm.ratio) || arm.ratio < 1) {
      problems.push(`arm "${arm.name}" ratio requires a whole number >= 1 (got ${arm.ratio})`);
    }
  }
  const ratios = arms.map((arm) => arm.ratio);
  const ratioSum = ratios.reduce((sum, ratio) => sum + ratio, 0);

  const factors = Array.isArray(config.factors) ? config.factors : [];
  if (kind === 'minimisation' && factors.length === 0) {
    problems.push('minimisation requires at least one factor (got none)');
  }
  const factorNames = new Set<string>();
  const resolvedFactors: ResolvedFactor[] = [];
  for (const factor of factors) {
    if (typeof factor.name !== 'string' || !IDENTIFIER.test(factor.name)) {
      problems.push(
        `factor name requires letters, digits and _ starting with a letter (got ${JSON.stringify(factor.name)})`,
      );
    } else if (factorNames.has(factor.name)) {
      problems.push(`factor names require distinct names (got "${factor.name}" twice)`);
    }
    factorNames.add(factor.name);
    const levels = Array.isArray(factor.levels) ? factor.levels : [];
    if (levels.length === 0) problems.push(`factor "${factor.name}" requires at least one level (got none)`);
    const levelIndex = new Map<string, number>();
    for (const level of levels) {
      if (typeof level !== 'string' || level === '' || level.includes('/')) {
        problems.push(
          `factor "${factor.name}" levels require non-empty text without "/" (got ${JSON.stringify(level)})`,
        );
      } else if (levelIndex.has(level)) {
        problems.push(`factor "${factor.name}" levels require distinct values (got "${level}" twice)`);
      } else {
        levelIndex.set(level, levelIndex.size);
      }
    }
    const weight = factor.weight ?? 1;
    if (!Number.isFinite(weight) || weight <= 0) {
      problems.push(`factor "${factor.name}" weight requires a finite number > 0 (got ${weight})`);
    }
    resolvedFactors.push({ name: factor.name, levels: [...levels], weight, levelIndex });
  }

  let blockSizes: number[] = [];
  if (kind === 'permuted_blocks') {
    blockSizes = config.blockSizes === undefined ? defaultBlockSizes(arms) : [...config.blockSizes];
    if (blockSizes.length === 0) problems.push('block sizes require at least one size (got none)');
    const seen = new Set<number>();
    for (const size of blockSizes) {
      if (!Number.isInteger(size) || size < 1 || size > MAX_BLOCK_SIZE) {
        problems.push(`block size requires a whole number in [1, ${MAX_BLOCK_SIZE}] (got ${size})`);
      } else if (ratioSum > 0 && size % ratioSum !== 0) {
        problems.push(
          `block size requires a multiple of the ratio sum ${ratioSum} (${ratios.join(':')}) (got ${size})`,
        );
      } else if (seen.has(size)) {
        problems.push(`block sizes require distinct values (got ${size} twice)`);
      }
      seen.add(size);
    }
  }

  let imbalance: ImbalanceMeasure = 'range';
  let preferredArmProbability = DEFAULT_PREFERRED_ARM_PROBABILITY;
  if (kind === 'minimisation') {
    imbalance = config.imbalance ?? 'range';
    if (imbalance !== 'range' && imbalance !== 'variance') {
      problems.push(
        `minimisation imbalance requires "range" or "variance" (got ${JSON.stringify(imbalance)})`,
      );
    }
    preferredArmProbability = config.preferredArmProbability ?? DEFAULT_PREFERRED_ARM_PROBABILITY;
    const floor = arms.length > 0 ? 1 / arms.length : 0;
    if (
      !Number.isFinite(preferredArmProbability) ||
      preferredArmProbability <= floor ||
      preferredArmProbability > 1
    ) {
      problems.push(
        `minimisation preferred-arm probability requires a number in (1/${arms.length}, 1] (got ${preferredArmProbability})`,
      );
    }
  }

  if (problems.length > 0) throw new RandomisationConfigError(problems.join('\n'));
  const result: ResolvedRandomisationConfig = {
    kind,
    arms: arms.map((arm) => arm.name),
    ratios,
    ratioSum,
    factors: resolvedFactors,
    blockSizes,
    imbalance,
    preferredArmProbability,
    strataCount: resolvedFactors.reduce((product, factor) => product * factor.levels.length, 1),
  };
  resolved.set(config, result);
  return result;
}

/**
 * The label of a stratum: its levels in factor order joined by `/` (`site_1/psychosis`), or `all` when
 * there are no factors.
 *
 * @example
 * stratumLabel(['site_1', 'psychosis']); // 'site_1/psychosis'
 */
export function stratumLabel(levels: readonly string[]): string {
  return levels.length === 0 ? UNSTRATIFIED_LABEL : levels.join('/');
}

/**
 * Every stratum label of a configuration, in factor order with the first factor varying slowest
 * (`site_1/psychosis`, `site_1/personality`, `site_1/other`, `site_2/psychosis`, ...).
 *
 * @throws RandomisationConfigError when the configuration is invalid.
 * @example
 * stratumLabels(config); // ['site_1/psychosis', ...] (21 for 7 sites x 3 diagnosis groups)
 */
export function stratumLabels(config: RandomisationConfig): string[] {
  let labels: string[][] = [[]];
  for (const factor of resolveRandomisationConfig(config).factors) {
    labels = labels.flatMap((prefix) => factor.levels.map((level) => [...prefix, level]));
  }
  return labels.map(stratumLabel);
}
