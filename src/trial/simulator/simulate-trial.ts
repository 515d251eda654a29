import type { CategoricalColumn, DataColumn, NumericColumn } from '../../stats/models/data-column.ts';
import { createRRandom, type RRandom } from '../../stats/random/index.ts';
import { type AnalysisDataset, createDataset, type SaeDataset } from '../analysis-dataset.ts';
import { ANALYSIS_DATASET_COLUMNS, SAE_CATEGORIES, SAE_COLUMNS } from '../analysis-dataset-schema.ts';
import { SimulationOptionsError } from '../errors.ts';
import { type PermutedBlockConfig, resolveRandomisationConfig } from '../randomisation/config.ts';
import { permutedBlockStep } from '../randomisation/permuted-blocks.ts';
import type { RandomSource } from '../randomisation/random-source.ts';
import { createSeededRandom } from '../randomisation/seeded-random.ts';
import type { PendingBlock } from '../randomisation/state.ts';
import { parseIsoDate } from '../typed-columns.ts';
import {
  type CountSettings,
  resolveSimulationOptions,
  type ScaleSettings,
  type TrialSimulationOptions,
  type TrialSimulationOptionsInput,
} from './options.ts';
import { buildSimulationModel, PRIOR_ADMISSIONS_RISK_CAP, type SimulationModel } from './risk-model.ts';
import {
  binomialInverse,
  categoricalInverse,
  cumulativeProbabilities,
  negativeBinomialInverse,
  negativeBinomialSampler,
  poissonInverse,
  roundClamp,
} from './sampling.ts';

/** The two random streams of one simulated trial. */
export interface SimulationStreams {
  /** Every participant-level draw (baseline, intervention, outcomes, SAEs), in a fixed order. */
  readonly participants: RRandom;
  /** The randomisation engine's draws (block sizes and permutations). */
  readonly allocation: RandomSource;
}

/** A simulated trial: the analysis dataset, its SAE file, and the model (true values) behind them. */
export interface SimulatedTrial {
  readonly dataset: AnalysisDataset;
  readonly sae: SaeDataset;
  readonly options: TrialSimulationOptions;
  readonly model: SimulationModel;
  readonly seed: number;
}

/** Largest seed magnitude: R's integer range, as `set.seed`. */
export const MAX_SIMULATION_SEED = 2147483647;

/**
 * The seed scheme of `enrich simulate`: participant draws come from `createRRandom(seed)` (R's
 * Mersenne-Twister as after `set.seed(seed)`), allocations from `createSeededRandom(seed mod 2^32, 1)`
 * (xoshiro128** stream 1, the randomisation engine's simulation source). Same seed, same trial, bit for bit.
 *
 * @throws SimulationOptionsError when seed is not a whole number in [-2147483647, 2147483647].
 * @example
 * const streams = simulationStreams(1);
 */
export function simulationStreams(seed: number): SimulationStreams {
  if (!Number.isInteger(seed) || Math.abs(seed) > MAX_SIMULATION_SEED) {
    throw new SimulationOptionsError([
      {
        path: 'seed',
        code: 'simulation_options_invalid',
        message: `seed requires a whole number between -2147483647 and 2147483647 (got ${seed})`,
      },
    ]);
  }
  return { participants: createRRandom(seed), allocation: createSeededRandom(seed >>> 0, 1) };
}

const blockConfigs = new Map<string, PermutedBlockConfig>();

/** The permuted-block configuration for K sites (one object per setting, so its validation is cached). */
function blockConfig(siteNames: readonly string[], blockSizes: readonly number[]): PermutedBlockConfig {
  const key = `${siteNames.length}|${blockSizes.join(',')}`;
  let config = blockConfigs.get(key);
  if (config === undefined) {
    config = {
      kind: 'permuted_blocks',
      arms: [
        { name: 'peer_support', ratio: 1 },
        { name: 'usual_care', ratio: 1 },
      ],
      factors: [
        { name: 'site', levels: siteNames },
        { name: 'diagnosis_group', levels: ['psychosis', 'personality', 'other'] },
      ],
      blockSizes,
    };
    blockConfigs.set(key, config);
  }
  return config;
}

/**
 * Allocates participants in order with the randomisation engine's permuted-block step (`permutedBlockStep`,
 * the step `allocate` runs), keeping each stratum's unfinished block in a map instead of the JSON state that
 * `allocate` validates and copies on every call: the same draws and the same arms as a loop over `allocate`
 * (tested), about 20 times faster. Returns 1 for peer support, 0 for usual care.
 */
function allocateInOrder(
  config: PermutedBlockConfig,
  site: Int32Array,
  diagnosis: Int32Array,
  random: RandomSource,
): Uint8Array {
  const resolved = resolveRandomisationConfig(config);
  const peerIndex = resolved.arms.indexOf('peer_support');
  const pending = new Map<number, PendingBlock | undefined>();
  const peer = new Uint8Array(site.length);
  for (let i = 0; i < site.length; i++) {
    const stratum = (site[i] as number) * 3 + (diagnosis[i] as number);
    const step = permutedBlockStep(resolved, pending.get(stratum), random);
    pending.set(stratum, step.pending);
    peer[i] = step.arm === peerIndex ? 1 : 0;
  }
  return peer;
}

const DIAGNOSES = ['psychosis', 'personality', 'other'] as const;
const GENDERS = ['female', 'male', 'other'] as const;
const ETHNICITIES = ['Asian', 'Black', 'Mixed', 'White', 'Other'] as const;
const ORIENTATIONS = ['heterosexual', 'lgb', 'other', 'missing'] as const;
const SCALES = ['symptoms', 'quality_of_life', 'social_inclusion', 'hope', 'social_network', 'eq5d'] as const;
const SAE_EVENT_CATEGORIES = [
  'hospitalisation',
  'self_harm',
  'suicide_attempt',
  'violence',
  'other',
] as const;
const BLACK = ETHNICITIES.indexOf('Black');
const FOLLOW_UP_DAY = 120;
const YEAR = 365;

/**
 * Simulates one trial from a seed: {@link simulateTrial} on {@link simulationStreams}(seed).
 *
 * @throws SimulationOptionsError for a bad seed or options.
 * @example
 * const trial = simulateTrialFromSeed({ participants: 590 }, 1);
 * trial.dataset.rowCount; // 590
 */
export function simulateTrialFromSeed(options: TrialSimulationOptionsInput, seed: number): SimulatedTrial {
  const resolved = resolveSimulationOptions(options);
  return simulateTrial(resolved, simulationStreams(seed), seed);
}

/**
 * Simulates one ENRICH-like trial: an analysis dataset with every column of the data dictionary (valid
 * under `readAnalysisDataset`) and a serious adverse events file (valid under `readSaeDataset`), following
 * docs/reference/simulator.md. Participants are drawn independently (site, diagnosis group, baseline), then
 * allocated in recruitment order by stratified (site x diagnosis group) permuted blocks through the
 * randomisation engine's `allocate`; contacts, compliance, outcomes and adverse events follow the risk model
 * of {@link buildSimulationModel}. Every participant-level value is drawn by inversion from a fixed number of
 * uniforms, column group by column group, so changing an effect option changes only the values it governs.
 * O(n) (times the mean of the largest count).
 *
 * @throws SimulationOptionsError when the options give risks above 1 or an unreachable risk ratio.
 * @example
 * const trial = simulateTrial(resolveSimulationOptions(), simulationStreams(1), 1);
 * trial.dataset.categorical('arm').levels; // ['usual_care', 'peer_support']
 */
export function simulateTrial(
  options: TrialSimulationOptions,
  streams: SimulationStreams,
  seed = Number.NaN,
): SimulatedTrial {
  const model = buildSimulationModel(options);
  const random = streams.participants;
  const uniform = () => random.unifRand();
  const normal = () => random.normRand();
  const n = options.participants;
  const siteNames = Array.from({ length: options.sites }, (_, index) => `site_${index + 1}`);

  const sampler = (settings: CountSettings, rate = 1) =>
    negativeBinomialSampler(settings.mean * rate, settings.size);
  const drawPriorAdmissions = negativeBinomialSampler(
    options.priorAdmissions.mean - 1,
    options.priorAdmissions.size,
  );
  const drawDaysBefore = sampler(options.daysBeforeRandomisation);
  const drawDaysToDischarge = sampler(options.daysToDischarge);
  const drawHospitalContacts = negativeBinomialSampler(
    options.hospitalContactsMean,
    model.hospitalContactsSize,
  );
  const drawCommunityContacts = negativeBinomialSampler(
    options.communityContactsMean,
    model.communityContactsSize,
  );
  const drawExtraControl = sampler(options.extraAdmissions);
  const drawExtraPeer = sampler(options.extraAdmissions, options.countRateRatio);
  const drawCrisisControl = sampler(options.crisisContacts);
  const drawCrisisPeer = sampler(options.crisisContacts, options.countRateRatio);
  const drawLiaisonControl = sampler(options.liaisonContacts);
  const drawLiaisonPeer = sampler(options.liaisonContacts, options.countRateRatio);
  const drawTeamContacts = sampler(options.communityTeamContacts);

  // --- design: site, diagnosis group, recruitment day; then allocation in recruitment order ----------------
  const siteCumulative = cumulativeProbabilities(options.siteWeights ?? siteNames.map(() => 1));
  const diagnosisCumulative = cumulativeProbabilities(
    DIAGNOSES.map((key) => options.diagnosisProbabilities[key]),
  );
  const site = new Int32Array(n);
  const diagnosis = new Int32Array(n);
  const recruitmentDay = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    site[i] = categoricalInverse(uniform(), siteCumulative);
    diagnosis[i] = categoricalInverse(uniform(), diagnosisCumulative);
    recruitmentDay[i] = Math.floor(uniform() * options.recruitmentDays);
  }
  recruitmentDay.sort();
  const peer = allocateInOrder(
    blockConfig(siteNames, options.blockSizes),
    site,
    diagnosis,
    streams.allocation,
  );

  // --- baseline ---------------------------------------------------------------------------------------------
  const genderCumulative = cumulativeProbabilities(GENDERS.map((key) => options.genderProbabilities[key]));
  const ethnicityCumulative = cumulativeProbabilities(
    ETHNICITIES.map((key) => options.ethnicityProbabilities[key]),
  );
  const orientationCumulative = cumulativeProbabilities(
    ORIENTATIONS.map((key) => options.sexualOrientationProbabilities[key]),
  );
  const start = parseIsoDate(options.recruitmentStart) as number;
  const randomisedDate = new Float64Array(n);
  const dischargeDate = new Float64Array(n);
  const age = new Float64Array(n);
  const gender = new Int32Array(n);
  const ethnicity = new Int32Array(n);
  const firstLanguage = new Int32Array(n);
  const orientation = new Int32Array(n);
  const priorAdmissions = new Float64Array(n);
  const detained = new Float64Array(n);
  const lengthOfStay = new Float64Array(n);
  const scaleSettings = SCALES.map((name) => options.scales[name]);
  const baselineZ = SCALES.map(() => new Float64Array(n));
  const baseline = SCALES.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    age[i] = Math.max(18, Math.round(options.ageMean + options.ageSd * normal()));
    gender[i] = categoricalInverse(uniform(), genderCumulative);
    ethnicity[i] = categoricalInverse(uniform(), ethnicityCumulative);
    firstLanguage[i] = uniform() < options.englishFirstLanguageProbability ? 0 : 1;
    const orientationIndex = categoricalInverse(uniform(), orientationCumulative);
    orientation[i] = orientationIndex === 3 ? -1 : orientationIndex;
    priorAdmissions[i] = 1 + drawPriorAdmissions(uniform());
    detained[i] = uniform() < options.detainedProbability ? 1 : 0;
    const before = drawDaysBefore(uniform());
    const toDischarge = drawDaysToDischarge(uniform());
    randomisedDate[i] = start + (recruitmentDay[i] as number);
    dischargeDate[i] = (randomisedDate[i] as number) + toDischarge;
    lengthOfStay[i] = before + toDischarge;
    for (let scale = 0; scale < scaleSettings.length; scale++) {
      const settings = scaleSettings[scale] as ScaleSettings;
      const z = normal();
      (baselineZ[scale] as Float64Array)[i] = z;
      (baseline[scale] as Float64Array)[i] = roundClamp(
        settings.mean + settings.sd * z,
        settings.decimals,
        settings.minimum,
        settings.maximum,
      );
    }
  }

  // --- intervention: latent contacts and compliance in both arms (recorded in peer support only) ----------
  const contactsHospital = new Float64Array(n);
  const contactsCommunity = new Float64Array(n);
  const firstMinutes = new Float64Array(n);
  const activities = new Float64Array(n);
  const complier = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const hospital = drawHospitalContacts(uniform());
    const community = drawCommunityContacts(uniform());
    const assessable = !(uniform() < options.notAssessableProbability);
    const minutesZ = normal();
    const activitiesU = uniform();
    const isComplier = hospital + community >= 2 && community >= 1 ? 1 : 0;
    complier[i] = isComplier;
    if (peer[i] === 0) {
      contactsHospital[i] = 0;
      contactsCommunity[i] = 0;
      firstMinutes[i] = Number.NaN;
      activities[i] = Number.NaN;
    } else if (!assessable) {
      contactsHospital[i] = Number.NaN;
      contactsCommunity[i] = Number.NaN;
      firstMinutes[i] = Number.NaN;
      activities[i] = Number.NaN;
    } else {
      contactsHospital[i] = hospital;
      contactsCommunity[i] = community;
      if (hospital + community >= 1) {
        const mean = model.firstContactMinutesNonComplier + model.minutesDifference * isComplier;
        firstMinutes[i] = Math.max(1, Math.round(mean + options.firstContactMinutesSd * minutesZ));
        const activityMean =
          options.relationshipActivitiesMean * (isComplier ? options.relationshipActivitiesComplierRatio : 1);
        activities[i] = poissonInverse(activitiesU, activityMean);
      } else {
        firstMinutes[i] = Number.NaN;
        activities[i] = Number.NaN;
      }
    }
  }

  // --- 12-month outcomes ---------------------------------------------------------------------------------
  const readmitted = new Float64Array(n);
  const daysToReadmission = new Float64Array(n);
  const readmissionEvent = new Float64Array(n);
  const admissionsVoluntary = new Float64Array(n);
  const admissionsInvoluntary = new Float64Array(n);
  const admissionsTotal = new Float64Array(n);
  const bedDays = new Float64Array(n);
  const crisis = new Float64Array(n);
  const liaison = new Float64Array(n);
  const communityTeam = new Float64Array(n);
  const withdrawn = new Float64Array(n);
  const died = new Float64Array(n);
  const deathDay = new Float64Array(n);
  const endDay = new Float64Array(n);
  const followUp = new Float64Array(n);
  const fourMonth = SCALES.map(() => new Float64Array(n));
  const rate = Math.log(2) / options.readmissionMedianDays;
  const truncation = 1 - Math.exp(-rate * YEAR);
  const correlation = options.scaleCorrelation;
  const residualSd = Math.sqrt(1 - correlation * correlation);
  for (let i = 0; i < n; i++) {
    const isPeer = peer[i] === 1;
    const isComplier = complier[i] === 1;
    const admissionsTerm =
      1 +
      options.riskPerPriorAdmission *
        (Math.min(priorAdmissions[i] as number, PRIOR_ADMISSIONS_RISK_CAP) - model.priorAdmissionsCentre);
    let risk =
      options.controlRisk *
      (model.siteRiskMultipliers[site[i] as number] as number) *
      (model.diagnosisRiskMultipliers[diagnosis[i] as number] as number) *
      admissionsTerm *
      (isComplier ? model.complierRiskMultiplier : model.nonComplierRiskMultiplier);
    if (isPeer && isComplier) {
      risk *= ethnicity[i] === BLACK ? model.complierRiskRatioBlack : model.complierRiskRatioOther;
    }
    const isReadmitted = uniform() < risk;
    const timeU = uniform();
    const readmissionDay = isReadmitted
      ? Math.min(YEAR, Math.max(1, Math.ceil(-Math.log(1 - timeU * truncation) / rate)))
      : 0;
    const isDead = uniform() < options.deathProbability;
    const deathU = uniform();
    const isWithdrawn = !isDead && uniform() < options.withdrawalProbability;
    const withdrawalDay = 1 + Math.floor(uniform() * YEAR);
    if (isDead) {
      deathDay[i] = isReadmitted
        ? Math.min(YEAR, readmissionDay + 1 + Math.floor(deathU * (YEAR - readmissionDay)))
        : 1 + Math.floor(deathU * YEAR);
    } else {
      deathDay[i] = Number.NaN;
    }
    died[i] = isDead ? 1 : 0;
    withdrawn[i] = isWithdrawn ? 1 : 0;
    endDay[i] = isWithdrawn ? withdrawalDay : isDead ? (deathDay[i] as number) : YEAR;
    if (isWithdrawn) {
      const known = isReadmitted && readmissionDay <= withdrawalDay;
      readmitted[i] = known ? 1 : Number.NaN;
      daysToReadmission[i] = known ? readmissionDay : withdrawalDay;
      readmissionEvent[i] = known ? 1 : 0;
    } else {
      readmitted[i] = isReadmitted ? 1 : 0;
      daysToReadmission[i] = isReadmitted ? readmissionDay : isDead ? (deathDay[i] as number) : YEAR;
      readmissionEvent[i] = isReadmitted ? 1 : 0;
    }

    const countRate = isPeer ? options.countRateRatio : 1;
    const extraU = uniform();
    const involuntaryU = uniform();
    const bedU = uniform();
    const crisisU = uniform();
    const liaisonU = uniform();
    const teamU = uniform();
    if (isWithdrawn) {
      admissionsTotal[i] = Number.NaN;
      admissionsVoluntary[i] = Number.NaN;
      admissionsInvoluntary[i] = Number.NaN;
      bedDays[i] = Number.NaN;
      crisis[i] = Number.NaN;
      liaison[i] = Number.NaN;
      communityTeam[i] = Number.NaN;
    } else {
      const total = isReadmitted ? 1 + (isPeer ? drawExtraPeer : drawExtraControl)(extraU) : 0;
      const involuntary = binomialInverse(involuntaryU, total, options.involuntaryAdmissionProbability);
      admissionsTotal[i] = total;
      admissionsInvoluntary[i] = involuntary;
      admissionsVoluntary[i] = total - involuntary;
      const perAdmission = options.bedDaysPerAdmission;
      bedDays[i] =
        total === 0
          ? 0
          : Math.min(
              YEAR - readmissionDay + 1,
              total +
                negativeBinomialInverse(
                  bedU,
                  total * (perAdmission.mean - 1) * countRate,
                  total * perAdmission.size,
                ),
            );
      crisis[i] = (isPeer ? drawCrisisPeer : drawCrisisControl)(crisisU);
      liaison[i] = (isPeer ? drawLiaisonPeer : drawLiaisonControl)(liaisonU);
      communityTeam[i] = drawTeamContacts(teamU);
    }

    // --- 4-month interview ---------------------------------------------------------------------------------
    const interviewed =
      uniform() < options.followUpProbability &&
      !(isDead && (deathDay[i] as number) <= FOLLOW_UP_DAY) &&
      !(isWithdrawn && withdrawalDay <= FOLLOW_UP_DAY);
    followUp[i] = interviewed ? 1 : 0;
    for (let scale = 0; scale < scaleSettings.length; scale++) {
      const settings = scaleSettings[scale] as ScaleSettings;
      const z = correlation * ((baselineZ[scale] as Float64Array)[i] as number) + residualSd * normal();
      const effect = isPeer ? options.scaleEffect * (settings.higherIsBetter ? 1 : -1) : 0;
      (fourMonth[scale] as Float64Array)[i] = interviewed
        ? roundClamp(
            settings.mean + settings.sd * (z + effect),
            settings.decimals,
            settings.minimum,
            settings.maximum,
          )
        : Number.NaN;
    }
  }

  // --- serious adverse events ------------------------------------------------------------------------------
  const idWidth = Math.max(4, String(n).length);
  const ids = Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(idWidth, '0')}`);
  const categoryCumulative = cumulativeProbabilities(
    SAE_EVENT_CATEGORIES.map((key) => options.saeCategoryProbabilities[key]),
  );
  const saeRows: { participant: number; day: number; category: string; related: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (died[i] === 1) {
      saeRows.push({ participant: i, day: deathDay[i] as number, category: 'death', related: 0 });
      continue;
    }
    if (!(uniform() < options.saeProbability)) continue;
    const events = 1 + poissonInverse(uniform(), options.saeExtraEventsMean);
    const rows: (typeof saeRows)[number][] = [];
    for (let event = 0; event < events; event++) {
      const day = 1 + Math.floor(uniform() * (endDay[i] as number));
      const category = SAE_EVENT_CATEGORIES[categoricalInverse(uniform(), categoryCumulative)] as string;
      const related = peer[i] === 1 && uniform() < options.saeRelatedProbability ? 1 : 0;
      rows.push({ participant: i, day, category, related });
    }
    rows.sort((left, right) => left.day - right.day);
    saeRows.push(...rows);
  }

  // --- the dataset, in the data dictionary's column order ---------------------------------------------------
  const numeric = (name: string, values: Float64Array): NumericColumn => ({ kind: 'numeric', name, values });
  const categorical = (name: string, levels: readonly string[], codes: Int32Array): CategoricalColumn => ({
    kind: 'categorical',
    name,
    levels,
    codes,
  });
  const usedSites = [...new Set(Array.from(site))].sort((left, right) => left - right);
  // readAnalysisDataset gives labels their sorted distinct values: "site_10" sorts before "site_2"
  const siteLevels = usedSites.map((index) => siteNames[index] as string).sort(compareText);
  const siteCode = new Map(siteLevels.map((name, code) => [name, code]));
  const byName: Record<string, DataColumn> = {
    participant_id: categorical(
      'participant_id',
      ids,
      Int32Array.from(ids, (_, i) => i),
    ),
    site: categorical(
      'site',
      siteLevels,
      Int32Array.from(site, (index) => siteCode.get(siteNames[index] as string) as number),
    ),
    arm: categorical('arm', ['usual_care', 'peer_support'], Int32Array.from(peer)),
    diagnosis_group: categorical('diagnosis_group', DIAGNOSES, diagnosis),
    randomised_date: numeric('randomised_date', randomisedDate),
    discharge_date: numeric('discharge_date', dischargeDate),
    age: numeric('age', age),
    gender: categorical('gender', GENDERS, gender),
    ethnicity: categorical('ethnicity', ETHNICITIES, ethnicity),
    first_language: categorical('first_language', ['English', 'Other'], firstLanguage),
    sexual_orientation: categorical('sexual_orientation', ['heterosexual', 'lgb', 'other'], orientation),
    admissions_prior_2y: numeric('admissions_prior_2y', priorAdmissions),
    detained_at_index: numeric('detained_at_index', detained),
    index_los_days: numeric('index_los_days', lengthOfStay),
    pw_contacts_hospital: numeric('pw_contacts_hospital', contactsHospital),
    pw_contacts_community: numeric('pw_contacts_community', contactsCommunity),
    first_contact_minutes: numeric('first_contact_minutes', firstMinutes),
    first_contact_relationship_activities: numeric('first_contact_relationship_activities', activities),
    readmitted_12m: numeric('readmitted_12m', readmitted),
    days_to_readmission: numeric('days_to_readmission', daysToReadmission),
    readmission_event: numeric('readmission_event', readmissionEvent),
    admissions_voluntary_12m: numeric('admissions_voluntary_12m', admissionsVoluntary),
    admissions_involuntary_12m: numeric('admissions_involuntary_12m', admissionsInvoluntary),
    admissions_total_12m: numeric('admissions_total_12m', admissionsTotal),
    bed_days_12m: numeric('bed_days_12m', bedDays),
    crisis_contacts_12m: numeric('crisis_contacts_12m', crisis),
    liaison_contacts_12m: numeric('liaison_contacts_12m', liaison),
    community_contacts_12m: numeric('community_contacts_12m', communityTeam),
    followup_4m: numeric('followup_4m', followUp),
    withdrawn: numeric('withdrawn', withdrawn),
    died_12m: numeric('died_12m', died),
  };
  SCALES.forEach((name, scale) => {
    byName[`${name}_baseline`] = numeric(`${name}_baseline`, baseline[scale] as Float64Array);
    byName[`${name}_4m`] = numeric(`${name}_4m`, fourMonth[scale] as Float64Array);
  });
  const columns = ANALYSIS_DATASET_COLUMNS.map((spec) => {
    const column = byName[spec.name];
    if (column === undefined) throw new Error(`simulator has no column ${spec.name}`);
    return column;
  });
  const source = `simulated trial (seed ${seed})`;
  const dataset = createDataset(source, n, columns);

  const saeIdLevels = [...new Set(saeRows.map((row) => ids[row.participant] as string))].sort(compareText);
  const saeIdCode = new Map(saeIdLevels.map((id, code) => [id, code]));
  const saeColumns: DataColumn[] = [
    categorical(
      'participant_id',
      saeIdLevels,
      Int32Array.from(saeRows, (row) => saeIdCode.get(ids[row.participant] as string) as number),
    ),
    numeric(
      'onset_date',
      Float64Array.from(saeRows, (row) => (dischargeDate[row.participant] as number) + row.day),
    ),
    categorical(
      'category',
      SAE_CATEGORIES,
      Int32Array.from(saeRows, (row) =>
        SAE_CATEGORIES.indexOf(row.category as (typeof SAE_CATEGORIES)[number]),
      ),
    ),
    numeric(
      'related',
      Float64Array.from(saeRows, (row) => row.related),
    ),
  ];
  if (saeColumns.some((column, index) => column.name !== SAE_COLUMNS[index]?.name)) {
    throw new Error('simulator SAE columns do not follow SAE_COLUMNS');
  }
  const sae = createDataset(`simulated serious adverse events (seed ${seed})`, saeRows.length, saeColumns);
  return { dataset, sae, options, model, seed };
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
