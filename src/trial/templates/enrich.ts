import type {
  MinimisationConfig,
  PermutedBlockConfig,
  StratificationFactor,
  TrialArm,
} from '../randomisation/index.ts';

/** The ENRICH trial's arms: peer support or usual care, 1:1. */
export const ENRICH_ARMS: readonly TrialArm[] = [
  { name: 'peer_support', ratio: 1 },
  { name: 'usual_care', ratio: 1 },
];

/** The ENRICH stratification factors: site (7 sites) x diagnosis group (psychosis / personality / other). */
export const ENRICH_FACTORS: readonly StratificationFactor[] = [
  { name: 'site', levels: ['site_1', 'site_2', 'site_3', 'site_4', 'site_5', 'site_6', 'site_7'] },
  { name: 'diagnosis_group', levels: ['psychosis', 'personality', 'other'] },
];

/** ENRICH's randomisation: stratified (site x diagnosis group) permuted blocks of random size 2, 4 or 6. */
export const ENRICH_BLOCK_RANDOMISATION: PermutedBlockConfig = {
  kind: 'permuted_blocks',
  arms: ENRICH_ARMS,
  factors: ENRICH_FACTORS,
  blockSizes: [2, 4, 6],
};

/** The alternative: Pocock–Simon minimisation on site and diagnosis group (equal weights, range, p = 0.8). */
export const ENRICH_MINIMISATION: MinimisationConfig = {
  kind: 'minimisation',
  arms: ENRICH_ARMS,
  factors: ENRICH_FACTORS,
  imbalance: 'range',
  preferredArmProbability: 0.8,
};

/** A trial design shipped with enrich (so far: its randomisation; later layers add the rest). */
export interface TrialTemplate {
  readonly name: string;
  readonly title: string;
  readonly arms: readonly TrialArm[];
  readonly factors: readonly StratificationFactor[];
  readonly randomisation: {
    readonly permutedBlocks: PermutedBlockConfig;
    readonly minimisation: MinimisationConfig;
  };
}

/**
 * The ENRICH template: peer support for discharge from psychiatric hospital vs usual care, 1:1, stratified
 * by site (site_1 .. site_7) and diagnosis group, permuted blocks of 2, 4 or 6 (minimisation as the
 * configured alternative).
 *
 * @example
 * ENRICH_TEMPLATE.randomisation.permutedBlocks.blockSizes; // [2, 4, 6]
 */
export const ENRICH_TEMPLATE: TrialTemplate = {
  name: 'enrich',
  title: 'ENRICH: peer support for discharge from psychiatric hospital',
  arms: ENRICH_ARMS,
  factors: ENRICH_FACTORS,
  randomisation: { permutedBlocks: ENRICH_BLOCK_RANDOMISATION, minimisation: ENRICH_MINIMISATION },
};
