import { type DataProblem, SimulationOptionsError } from '../errors.ts';

/** Mean, SD, range and rounding of one interview scale (baseline and 4 months). */
export interface ScaleSettings {
  readonly mean: number;
  readonly sd: number;
  readonly minimum: number;
  readonly maximum: number;
  /** Decimal places kept (0 for a whole-number total). */
  readonly decimals: number;
  /** True where a higher score is better (every scale but symptoms). */
  readonly higherIsBetter: boolean;
}

/** A negative binomial count: mean and size (`theta`; variance = mean + mean^2 / size). */
export interface CountSettings {
  readonly mean: number;
  readonly size: number;
}

/**
 * Every setting of the trial simulator. Each default follows the ENRICH programme report
 * (shared/seed/enrich-programme-abstract.txt) where it reports the quantity, and is a documented,
 * plausible assumption where it does not; docs/reference/simulator.md gives the source of each.
 */
export interface TrialSimulationOptions {
  /** Participants randomised (590). */
  readonly participants: number;
  /** Number of sites, named site_1 .. site_K (7). */
  readonly sites: number;
  /** Relative recruitment of each site (equal). Length `sites`. */
  readonly siteWeights: readonly number[] | undefined;
  /** Probability of each diagnosis group: psychosis, personality, other. */
  readonly diagnosisProbabilities: Readonly<Record<'psychosis' | 'personality' | 'other', number>>;
  /** Permuted block sizes of the stratified (site x diagnosis group) randomisation. */
  readonly blockSizes: readonly number[];
  /** First possible randomisation date (ISO) and the length of recruitment in days. */
  readonly recruitmentStart: string;
  readonly recruitmentDays: number;
  /** Days from randomisation to discharge (negative binomial). */
  readonly daysToDischarge: CountSettings;
  /** Days in hospital before randomisation (index length of stay = this + days to discharge). */
  readonly daysBeforeRandomisation: CountSettings;

  readonly ageMean: number;
  readonly ageSd: number;
  readonly genderProbabilities: Readonly<Record<'female' | 'male' | 'other', number>>;
  readonly ethnicityProbabilities: Readonly<Record<'Asian' | 'Black' | 'Mixed' | 'White' | 'Other', number>>;
  readonly englishFirstLanguageProbability: number;
  /** heterosexual, lgb, other and missing (sum 1). */
  readonly sexualOrientationProbabilities: Readonly<
    Record<'heterosexual' | 'lgb' | 'other' | 'missing', number>
  >;
  /** Mean admissions in the 2 years before (>= 1: 1 + a negative binomial with mean - 1). */
  readonly priorAdmissions: CountSettings;
  readonly detainedProbability: number;
  readonly scales: Readonly<
    Record<
      'symptoms' | 'quality_of_life' | 'social_inclusion' | 'hope' | 'social_network' | 'eq5d',
      ScaleSettings
    >
  >;

  /** Mean 12-month readmission risk in usual care (0.502: 146/291). */
  readonly controlRisk: number;
  /** Marginal (ITT) risk ratio peer support / usual care (0.97, the adjusted ITT RR). */
  readonly riskRatio: number;
  /** Risk ratio among Black compliers divided by that among other compliers (0.54). */
  readonly blackRiskRatioFactor: number;
  /** Usual-care risk of (potential) compliers relative to non-compliers (0.9). */
  readonly complierControlRiskRatio: number;
  /** Additive risk multiplier per prior admission (capped at 6 admissions), centred to mean 1 (0.06). */
  readonly riskPerPriorAdmission: number;
  /** Relative risk by diagnosis group (normalised to mean 1). */
  readonly diagnosisRisk: Readonly<Record<'psychosis' | 'personality' | 'other', number>>;
  /** Relative risk from the first to the last site spreads linearly over this range (normalised to mean 1). */
  readonly siteRiskSpread: number;

  /** Peer worker contacts before discharge, peer support arm: mean 1.8, SD 2.9. */
  readonly hospitalContactsMean: number;
  readonly hospitalContactsSd: number;
  /** Peer worker contacts after discharge: mean 4.4, SD 4.6. */
  readonly communityContactsMean: number;
  readonly communityContactsSd: number;
  /** Peer support participants whose contact records are not assessable (0.088 = 1 - 268/294). */
  readonly notAssessableProbability: number;
  readonly firstContactMinutesMean: number;
  readonly firstContactMinutesSd: number;
  /** Odds ratio of being a complier per minute of first contact (1.02). */
  readonly engagementOddsRatioPerMinute: number;
  readonly relationshipActivitiesMean: number;
  /** Relationship activities at the first contact of compliers relative to non-compliers (1.5). */
  readonly relationshipActivitiesComplierRatio: number;

  /** Median days to readmission of an (untruncated) exponential, truncated at 365 (120). */
  readonly readmissionMedianDays: number;
  /** Probability of death within 12 months (12/590). */
  readonly deathProbability: number;
  readonly withdrawalProbability: number;
  /** Admissions beyond the first among readmitted participants. */
  readonly extraAdmissions: CountSettings;
  readonly involuntaryAdmissionProbability: number;
  /** Bed days per admission. */
  readonly bedDaysPerAdmission: CountSettings;
  readonly crisisContacts: CountSettings;
  readonly liaisonContacts: CountSettings;
  readonly communityTeamContacts: CountSettings;
  /** Rate ratio peer support / usual care for extra admissions, bed days, crisis and liaison contacts (1). */
  readonly countRateRatio: number;

  /** Probability that the 4-month interview takes place (alive and not withdrawn by day 120) (0.55). */
  readonly followUpProbability: number;
  /** Correlation of each 4-month scale with its baseline (0.5). */
  readonly scaleCorrelation: number;
  /** Standardised improvement of every 4-month scale in peer support (0). */
  readonly scaleEffect: number;

  /** Probability of a non-fatal serious adverse event in a participant who does not die (39/578). */
  readonly saeProbability: number;
  /** Mean events beyond the first in such a participant (16/39). */
  readonly saeExtraEventsMean: number;
  /** Probability that a non-fatal event in the peer support arm is judged related (1/22). */
  readonly saeRelatedProbability: number;
  readonly saeCategoryProbabilities: Readonly<
    Record<'hospitalisation' | 'self_harm' | 'suicide_attempt' | 'violence' | 'other', number>
  >;
}

/** The defaults: the ENRICH trial as its programme report describes it (docs/reference/simulator.md). */
export const DEFAULT_TRIAL_SIMULATION_OPTIONS: TrialSimulationOptions = {
  participants: 590,
  sites: 7,
  siteWeights: undefined,
  diagnosisProbabilities: { psychosis: 0.5, personality: 0.3, other: 0.2 },
  blockSizes: [2, 4, 6],
  recruitmentStart: '2017-03-01',
  recruitmentDays: 760,
  daysToDischarge: { mean: 14, size: 1.5 },
  daysBeforeRandomisation: { mean: 20, size: 1.5 },
  ageMean: 40,
  ageSd: 12,
  genderProbabilities: { female: 0.45, male: 0.53, other: 0.02 },
  ethnicityProbabilities: { Asian: 0.1, Black: 0.16, Mixed: 0.06, White: 0.63, Other: 0.05 },
  englishFirstLanguageProbability: 0.85,
  sexualOrientationProbabilities: { heterosexual: 0.84, lgb: 0.1, other: 0.03, missing: 0.03 },
  priorAdmissions: { mean: 2.5, size: 2 },
  detainedProbability: 0.4,
  scales: {
    symptoms: { mean: 50, sd: 12, minimum: 24, maximum: 168, decimals: 0, higherIsBetter: false },
    quality_of_life: { mean: 4.2, sd: 1, minimum: 1, maximum: 7, decimals: 2, higherIsBetter: true },
    social_inclusion: { mean: 2.8, sd: 1.4, minimum: 0, maximum: 6, decimals: 0, higherIsBetter: true },
    hope: { mean: 33, sd: 6, minimum: 12, maximum: 48, decimals: 0, higherIsBetter: true },
    social_network: { mean: 12, sd: 6, minimum: 0, maximum: 30, decimals: 0, higherIsBetter: true },
    eq5d: { mean: 0.62, sd: 0.28, minimum: -0.594, maximum: 1, decimals: 3, higherIsBetter: true },
  },
  controlRisk: 0.502,
  riskRatio: 0.97,
  blackRiskRatioFactor: 0.54,
  complierControlRiskRatio: 0.9,
  riskPerPriorAdmission: 0.06,
  diagnosisRisk: { psychosis: 1, personality: 1.15, other: 0.85 },
  siteRiskSpread: 0.2,
  hospitalContactsMean: 1.8,
  hospitalContactsSd: 2.9,
  communityContactsMean: 4.4,
  communityContactsSd: 4.6,
  notAssessableProbability: 0.088,
  firstContactMinutesMean: 45,
  firstContactMinutesSd: 20,
  engagementOddsRatioPerMinute: 1.02,
  relationshipActivitiesMean: 2,
  relationshipActivitiesComplierRatio: 1.5,
  readmissionMedianDays: 120,
  deathProbability: 12 / 590,
  withdrawalProbability: 0.02,
  extraAdmissions: { mean: 0.6, size: 1 },
  involuntaryAdmissionProbability: 0.4,
  bedDaysPerAdmission: { mean: 30, size: 1.2 },
  crisisContacts: { mean: 4, size: 0.5 },
  liaisonContacts: { mean: 1, size: 0.5 },
  communityTeamContacts: { mean: 25, size: 1.5 },
  countRateRatio: 1,
  followUpProbability: 0.55,
  scaleCorrelation: 0.5,
  scaleEffect: 0,
  saeProbability: 39 / 578,
  saeExtraEventsMean: 16 / 39,
  saeRelatedProbability: 1 / 22,
  saeCategoryProbabilities: {
    hospitalisation: 0.45,
    self_harm: 0.2,
    suicide_attempt: 0.15,
    violence: 0.1,
    other: 0.1,
  },
};

/**
 * Settings given by a caller: any subset. Nested records replace the default record as a whole, except
 * `scales`, where each scale given replaces that scale's settings.
 */
export type TrialSimulationOptionsInput = Partial<TrialSimulationOptions>;

/** Largest mean accepted for a count (keeps the inversion sampler exact and fast). */
const MAX_COUNT_MEAN = 500;
const MAX_PARTICIPANTS = 1_000_000;

/**
 * Fills in the defaults and checks every setting, reporting every problem at once: whole numbers where
 * counts are meant, probabilities in [0, 1], probability sets summing to 1, positive means, SDs and sizes,
 * count SDs above sqrt(mean) (a negative binomial cannot be less dispersed than a Poisson), a correlation
 * in [-1, 1]. The risk-model checks (individual risks <= 1) are made when the model is built.
 *
 * @throws SimulationOptionsError naming each bad option.
 * @example
 * resolveSimulationOptions({ participants: 200 }).controlRisk; // 0.502
 */
export function resolveSimulationOptions(input: TrialSimulationOptionsInput = {}): TrialSimulationOptions {
  const problems: DataProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(DEFAULT_TRIAL_SIMULATION_OPTIONS, key)) {
      problems.push(
        problem(
          key,
          `simulation options require known names (got "${key}"; see docs/reference/simulator.md)`,
        ),
      );
    }
  }
  const given = stripUndefined(input);
  const options = {
    ...DEFAULT_TRIAL_SIMULATION_OPTIONS,
    ...given,
    // scales merge by name: a scale given replaces that scale's settings, the others keep their defaults
    ...(given.scales !== null && typeof given.scales === 'object'
      ? { scales: { ...DEFAULT_TRIAL_SIMULATION_OPTIONS.scales, ...given.scales } }
      : {}),
  } as TrialSimulationOptions;
  const check = (path: string, ok: boolean, expectation: string, got: unknown) => {
    if (!ok) problems.push(problem(path, `${path} requires ${expectation} (got ${describe(got)})`));
  };
  const probability = (path: string, value: unknown) =>
    check(path, typeof value === 'number' && value >= 0 && value <= 1, 'a probability in [0, 1]', value);
  const positive = (path: string, value: unknown) =>
    check(path, typeof value === 'number' && Number.isFinite(value) && value > 0, 'a number > 0', value);
  const nonNegative = (path: string, value: unknown) =>
    check(path, typeof value === 'number' && Number.isFinite(value) && value >= 0, 'a number >= 0', value);
  const wholeNumber = (path: string, value: unknown, minimum: number, maximum: number) =>
    check(
      path,
      typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= maximum,
      `a whole number in [${minimum}, ${maximum}]`,
      value,
    );
  const distribution = (path: string, value: unknown, keys: readonly string[]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      check(path, false, `an object with probabilities for ${keys.join(', ')}`, value);
      return;
    }
    const record = value as Record<string, unknown>;
    const extra = Object.keys(record).filter((key) => !keys.includes(key));
    check(path, extra.length === 0, `only the keys ${keys.join(', ')}`, extra.join(', '));
    let sum = 0;
    for (const key of keys) {
      probability(`${path}.${key}`, record[key]);
      sum += typeof record[key] === 'number' ? record[key] : 0;
    }
    check(path, Math.abs(sum - 1) < 1e-9, 'probabilities summing to 1', sum);
  };
  const count = (path: string, value: unknown) => {
    const record = (value ?? {}) as Partial<CountSettings>;
    check(
      `${path}.mean`,
      typeof record.mean === 'number' && record.mean >= 0 && record.mean <= MAX_COUNT_MEAN,
      `a mean in [0, ${MAX_COUNT_MEAN}]`,
      record.mean,
    );
    positive(`${path}.size`, record.size);
  };

  wholeNumber('participants', options.participants, 2, MAX_PARTICIPANTS);
  wholeNumber('sites', options.sites, 1, 1000);
  if (options.siteWeights !== undefined) {
    const weights = options.siteWeights;
    check(
      'siteWeights',
      Array.isArray(weights) && weights.length === options.sites,
      `one weight per site (${options.sites})`,
      Array.isArray(weights) ? `${weights.length} weights` : weights,
    );
    if (Array.isArray(weights)) {
      weights.forEach((weight, index) => {
        nonNegative(`siteWeights[${index}]`, weight);
      });
      check(
        'siteWeights',
        weights.some((weight) => weight > 0),
        'at least one weight > 0',
        weights.join(', '),
      );
    }
  }
  distribution('diagnosisProbabilities', options.diagnosisProbabilities, [
    'psychosis',
    'personality',
    'other',
  ]);
  check(
    'blockSizes',
    Array.isArray(options.blockSizes) &&
      options.blockSizes.length > 0 &&
      options.blockSizes.every((size) => Number.isInteger(size) && size >= 2 && size % 2 === 0),
    'even whole numbers >= 2 (1:1 allocation)',
    options.blockSizes,
  );
  check(
    'recruitmentStart',
    typeof options.recruitmentStart === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(options.recruitmentStart) &&
      Number.isFinite(Date.parse(`${options.recruitmentStart}T00:00:00Z`)),
    'an ISO date YYYY-MM-DD',
    options.recruitmentStart,
  );
  wholeNumber('recruitmentDays', options.recruitmentDays, 1, 36500);
  count('daysToDischarge', options.daysToDischarge);
  count('daysBeforeRandomisation', options.daysBeforeRandomisation);
  check(
    'ageMean',
    typeof options.ageMean === 'number' && options.ageMean >= 18,
    'a number >= 18',
    options.ageMean,
  );
  positive('ageSd', options.ageSd);
  distribution('genderProbabilities', options.genderProbabilities, ['female', 'male', 'other']);
  distribution('ethnicityProbabilities', options.ethnicityProbabilities, [
    'Asian',
    'Black',
    'Mixed',
    'White',
    'Other',
  ]);
  probability('englishFirstLanguageProbability', options.englishFirstLanguageProbability);
  distribution('sexualOrientationProbabilities', options.sexualOrientationProbabilities, [
    'heterosexual',
    'lgb',
    'other',
    'missing',
  ]);
  const prior = options.priorAdmissions as Partial<CountSettings> | undefined;
  check(
    'priorAdmissions.mean',
    typeof prior?.mean === 'number' && prior.mean >= 1 && prior.mean <= MAX_COUNT_MEAN,
    `a mean in [1, ${MAX_COUNT_MEAN}] (eligibility requires one admission)`,
    prior?.mean,
  );
  positive('priorAdmissions.size', prior?.size);
  probability('detainedProbability', options.detainedProbability);
  const scaleNames = ['symptoms', 'quality_of_life', 'social_inclusion', 'hope', 'social_network', 'eq5d'];
  for (const name of scaleNames) {
    const scale = (options.scales as Record<string, Partial<ScaleSettings> | undefined>)?.[name];
    const path = `scales.${name}`;
    if (scale === undefined || scale === null || typeof scale !== 'object') {
      check(path, false, 'mean, sd, minimum, maximum, decimals, higherIsBetter', scale);
      continue;
    }
    check(`${path}.mean`, Number.isFinite(scale.mean), 'a finite number', scale.mean);
    positive(`${path}.sd`, scale.sd);
    check(
      `${path}.maximum`,
      typeof scale.minimum === 'number' && typeof scale.maximum === 'number' && scale.minimum < scale.maximum,
      'a maximum above the minimum',
      `${scale.minimum} to ${scale.maximum}`,
    );
    if (name === 'eq5d')
      check(`${path}.maximum`, (scale.maximum as number) <= 1, 'a value <= 1', scale.maximum);
    wholeNumber(`${path}.decimals`, scale.decimals, 0, 6);
    check(
      `${path}.higherIsBetter`,
      typeof scale.higherIsBetter === 'boolean',
      'true or false',
      scale.higherIsBetter,
    );
  }
  check(
    'controlRisk',
    typeof options.controlRisk === 'number' && options.controlRisk > 0 && options.controlRisk < 1,
    'a probability in (0, 1)',
    options.controlRisk,
  );
  positive('riskRatio', options.riskRatio);
  positive('blackRiskRatioFactor', options.blackRiskRatioFactor);
  positive('complierControlRiskRatio', options.complierControlRiskRatio);
  nonNegative('riskPerPriorAdmission', options.riskPerPriorAdmission);
  for (const key of ['psychosis', 'personality', 'other'] as const) {
    positive(`diagnosisRisk.${key}`, options.diagnosisRisk?.[key]);
  }
  check(
    'siteRiskSpread',
    typeof options.siteRiskSpread === 'number' && options.siteRiskSpread >= 0 && options.siteRiskSpread < 2,
    'a number in [0, 2)',
    options.siteRiskSpread,
  );
  for (const [meanName, sdName] of [
    ['hospitalContactsMean', 'hospitalContactsSd'],
    ['communityContactsMean', 'communityContactsSd'],
  ] as const) {
    const mean = options[meanName];
    const sd = options[sdName];
    check(
      meanName,
      typeof mean === 'number' && mean > 0 && mean <= MAX_COUNT_MEAN,
      `a mean in (0, ${MAX_COUNT_MEAN}]`,
      mean,
    );
    check(
      sdName,
      typeof sd === 'number' && typeof mean === 'number' && sd * sd > mean,
      `an SD above sqrt(mean) = ${typeof mean === 'number' ? Math.sqrt(Math.max(mean, 0)).toFixed(3) : 'NA'} (negative binomial)`,
      sd,
    );
  }
  probability('notAssessableProbability', options.notAssessableProbability);
  check(
    'firstContactMinutesMean',
    typeof options.firstContactMinutesMean === 'number' && options.firstContactMinutesMean >= 1,
    'a number >= 1',
    options.firstContactMinutesMean,
  );
  positive('firstContactMinutesSd', options.firstContactMinutesSd);
  positive('engagementOddsRatioPerMinute', options.engagementOddsRatioPerMinute);
  nonNegative('relationshipActivitiesMean', options.relationshipActivitiesMean);
  positive('relationshipActivitiesComplierRatio', options.relationshipActivitiesComplierRatio);
  check(
    'readmissionMedianDays',
    typeof options.readmissionMedianDays === 'number' && options.readmissionMedianDays > 0,
    'a number > 0',
    options.readmissionMedianDays,
  );
  probability('deathProbability', options.deathProbability);
  probability('withdrawalProbability', options.withdrawalProbability);
  count('extraAdmissions', options.extraAdmissions);
  probability('involuntaryAdmissionProbability', options.involuntaryAdmissionProbability);
  const perAdmission = options.bedDaysPerAdmission as Partial<CountSettings> | undefined;
  check(
    'bedDaysPerAdmission.mean',
    typeof perAdmission?.mean === 'number' && perAdmission.mean >= 1 && perAdmission.mean <= 365,
    'a mean in [1, 365]',
    perAdmission?.mean,
  );
  positive('bedDaysPerAdmission.size', perAdmission?.size);
  count('crisisContacts', options.crisisContacts);
  count('liaisonContacts', options.liaisonContacts);
  count('communityTeamContacts', options.communityTeamContacts);
  positive('countRateRatio', options.countRateRatio);
  probability('followUpProbability', options.followUpProbability);
  check(
    'scaleCorrelation',
    typeof options.scaleCorrelation === 'number' && Math.abs(options.scaleCorrelation) <= 1,
    'a correlation in [-1, 1]',
    options.scaleCorrelation,
  );
  check(
    'scaleEffect',
    typeof options.scaleEffect === 'number' && Number.isFinite(options.scaleEffect),
    'a finite number',
    options.scaleEffect,
  );
  probability('saeProbability', options.saeProbability);
  nonNegative('saeExtraEventsMean', options.saeExtraEventsMean);
  probability('saeRelatedProbability', options.saeRelatedProbability);
  distribution('saeCategoryProbabilities', options.saeCategoryProbabilities, [
    'hospitalisation',
    'self_harm',
    'suicide_attempt',
    'violence',
    'other',
  ]);
  if (problems.length > 0) throw new SimulationOptionsError(problems);
  return options;
}

function stripUndefined(input: TrialSimulationOptionsInput): TrialSimulationOptionsInput {
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => value !== undefined || key === 'siteWeights'),
  );
}

function problem(path: string, message: string): DataProblem {
  return { path, code: 'simulation_options_invalid', message };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'number') return String(value);
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
