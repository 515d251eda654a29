import type { ResolvedRandomisationConfig } from './config.ts';
import { type RandomSource, randomBelow, randomUnit, randomWeightedIndex } from './random-source.ts';

/** What a minimisation step did (secret: it reveals the imbalance and the counts behind it). */
export interface MinimisationDecision {
  readonly kind: 'minimisation';
  /** The total weighted imbalance G_t if the participant went to arm t, in `config.arms` order. */
  readonly scores: readonly number[];
  /** The arm(s) with the smallest score (all arms when every score ties). */
  readonly minimisingArms: readonly string[];
  /** The preferred arm after ties among minimising arms were broken at random; undefined when all tie. */
  readonly preferredArm: string | undefined;
  /** 'all_tied': allocated in the ratio; 'preferred': the preferred arm won its draw; 'other': it did not. */
  readonly rule: 'all_tied' | 'preferred' | 'other';
  /** The probability each arm had of being allocated this participant, averaged over the tie break. */
  readonly probabilities: readonly number[];
}

/** Scores closer than this (relative to the smallest) count as tied; factor weights may be fractions. */
const TIE_TOLERANCE = 1e-9;

/**
 * The Pocock–Simon score of each arm for a new participant: for candidate arm t and each factor i, take the
 * counts n_ik of earlier participants at the participant's level of factor i on each arm k, add the
 * participant to arm t, divide each arm's count by its ratio weight w_k, and measure the imbalance of those
 * K numbers by their range (max - min) or sample variance (denominator K - 1); G_t is the sum over factors
 * of factor weight x imbalance. Pocock & Simon (1975), Biometrics 31:103-115, with the ratio-adjusted
 * counts n/w of Han, Enas & McEntegart (2009), Stat Med 28:3329-3346 (a ratio-balanced margin then scores 0).
 * O(K^2 x factors).
 *
 * @example
 * // 1:1, one factor, 3 earlier participants at this level: 2 on arm A, 1 on arm B
 * minimisationScores(config, [[[2, 1]]], [0]); // [2, 0]: A would make it 3:1 (range 2), B 2:2 (range 0)
 */
export function minimisationScores(
  config: ResolvedRandomisationConfig,
  levelCounts: readonly (readonly (readonly number[])[])[],
  participantLevels: readonly number[],
): number[] {
  const armCount = config.arms.length;
  const scores = new Array<number>(armCount).fill(0);
  const scaled = new Array<number>(armCount);
  config.factors.forEach((factor, factorIndex) => {
    const counts = levelCounts[factorIndex]?.[participantLevels[factorIndex] as number] as readonly number[];
    for (let candidate = 0; candidate < armCount; candidate++) {
      for (let arm = 0; arm < armCount; arm++) {
        scaled[arm] =
          ((counts[arm] as number) + (arm === candidate ? 1 : 0)) / (config.ratios[arm] as number);
      }
      scores[candidate] = (scores[candidate] as number) + factor.weight * imbalance(scaled, config.imbalance);
    }
  });
  return scores;
}

function imbalance(values: readonly number[], measure: 'range' | 'variance'): number {
  if (measure === 'range') return Math.max(...values) - Math.min(...values);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
}

/**
 * One minimisation step. The arms with the smallest score are the minimising arms. When every arm ties,
 * the participant is allocated at random in the allocation ratio (one draw). Otherwise one minimising arm
 * is chosen uniformly at random as the preferred arm (one draw, only when several tie), then assigned with
 * probability p (one uniform draw: 53 bits); with probability 1 - p one of the other arms is assigned, each
 * in proportion to its ratio (one draw).
 */
export function minimisationStep(
  config: ResolvedRandomisationConfig,
  levelCounts: readonly (readonly (readonly number[])[])[],
  participantLevels: readonly number[],
  random: RandomSource,
): { arm: number; decision: MinimisationDecision } {
  const scores = minimisationScores(config, levelCounts, participantLevels);
  const smallest = Math.min(...scores);
  const tolerance = TIE_TOLERANCE * Math.max(1, Math.abs(smallest));
  const minimising = scores.flatMap((score, arm) => (score - smallest <= tolerance ? [arm] : []));
  const armNames = (arms: readonly number[]) => arms.map((arm) => config.arms[arm] as string);
  if (minimising.length === config.arms.length) {
    return {
      arm: randomWeightedIndex(random, config.ratios),
      decision: {
        kind: 'minimisation',
        scores,
        minimisingArms: armNames(minimising),
        preferredArm: undefined,
        rule: 'all_tied',
        probabilities: config.ratios.map((ratio) => ratio / config.ratioSum),
      },
    };
  }
  const preferred =
    minimising.length === 1
      ? (minimising[0] as number)
      : (minimising[randomBelow(random, minimising.length)] as number);
  const p = config.preferredArmProbability;
  const otherWeights = (excluded: number) =>
    config.ratios.map((ratio, arm) => (arm === excluded ? 0 : ratio));
  let arm = preferred;
  let rule: MinimisationDecision['rule'] = 'preferred';
  if (randomUnit(random) >= p) {
    arm = randomWeightedIndex(random, otherWeights(preferred));
    rule = 'other';
  }
  const probabilities = config.arms.map((_, target) =>
    minimising.reduce((sum, candidate) => {
      const share =
        target === candidate
          ? p
          : ((1 - p) * (config.ratios[target] as number)) /
            (config.ratioSum - (config.ratios[candidate] as number));
      return sum + share / minimising.length;
    }, 0),
  );
  return {
    arm,
    decision: {
      kind: 'minimisation',
      scores,
      minimisingArms: armNames(minimising),
      preferredArm: config.arms[preferred] as string,
      rule,
      probabilities,
    },
  };
}
