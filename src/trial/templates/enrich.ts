import { PLACEHOLDER_INSTRUMENTS } from '../domain/placeholder-instruments.ts';
import type { EligibilityRule, TrialConfig, VisitDefinition } from '../domain/types.ts';
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

/**
 * ENRICH eligibility: adults (18 or over) with at least one psychiatric admission in the 2 years before the
 * index admission, no organic mental disorder, a primary diagnosis other than learning disability, eating
 * disorder or drug/alcohol dependency, and written consent recorded.
 */
export const ENRICH_ELIGIBILITY: readonly EligibilityRule[] = [
  { id: 'age_18_or_over', description: 'Aged 18 or over', kind: 'at_least', field: 'ageYears', minimum: 18 },
  {
    id: 'admission_in_previous_2_years',
    description: 'At least one psychiatric admission in the previous 2 years',
    kind: 'at_least',
    field: 'admissionsPrior2y',
    minimum: 1,
  },
  {
    id: 'no_organic_mental_disorder',
    description: 'No organic mental disorder',
    kind: 'is_false',
    field: 'organicMentalDisorder',
  },
  {
    id: 'primary_diagnosis_not_excluded',
    description: 'Primary diagnosis is not learning disability, eating disorder or drug/alcohol dependency',
    kind: 'not_one_of',
    field: 'primaryDiagnosis',
    values: ['learning_disability', 'eating_disorder', 'substance_dependency'],
  },
  { id: 'consent_recorded', description: 'Written informed consent recorded', kind: 'consent_recorded' },
];

/**
 * ENRICH visits, in days after discharge from the index admission: the 4-month interview (target day 122,
 * window 14 days before to 56 after) and the 12-month extraction from patient records (from day 365, up to
 * 183 days later). Windows are configuration, not code: change them in the trial's config.
 */
export const ENRICH_VISITS: readonly VisitDefinition[] = [
  {
    id: 'month_4',
    label: '4-month interview',
    kind: 'interview',
    targetDaysAfterDischarge: 122,
    windowBeforeDays: 14,
    windowAfterDays: 56,
    instruments: PLACEHOLDER_INSTRUMENTS.map((instrument) => instrument.id),
  },
  {
    id: 'month_12',
    label: '12-month service use from patient records',
    kind: 'records',
    targetDaysAfterDischarge: 365,
    windowBeforeDays: 0,
    windowAfterDays: 183,
    instruments: [],
  },
];

/**
 * The ENRICH trial configuration: arms, strata, permuted blocks (2, 4, 6), eligibility, visits and the
 * placeholder instruments (replace them with the licensed ones before use; see docs/reference/data-model.md).
 */
export const ENRICH_TRIAL_CONFIG: TrialConfig = {
  name: 'enrich',
  title: 'ENRICH: peer support for discharge from psychiatric hospital',
  arms: ENRICH_ARMS,
  factors: ENRICH_FACTORS,
  randomisation: { kind: 'permuted_blocks', blockSizes: [2, 4, 6] },
  eligibility: ENRICH_ELIGIBILITY,
  visits: ENRICH_VISITS,
  instruments: PLACEHOLDER_INSTRUMENTS,
  baselineInstruments: PLACEHOLDER_INSTRUMENTS.map((instrument) => instrument.id),
  followUpDays: 365,
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
  /** The whole trial configuration (`enrich init --template <name>` loads it). */
  readonly config: TrialConfig;
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
  config: ENRICH_TRIAL_CONFIG,
};
