import { type DataProblem, SimulationOptionsError } from '../errors.ts';
import type { TrialSimulationOptions } from './options.ts';
import { negativeBinomialOne, negativeBinomialZero } from './sampling.ts';

/** Prior admissions above this add no further risk. */
export const PRIOR_ADMISSIONS_RISK_CAP = 6;

/**
 * The simulator's derived model: the quantities its options imply, computed exactly (no simulation).
 * `riskRatioComplier` is the true CACE risk ratio; the ITT risk ratio is `options.riskRatio` by construction.
 */
export interface SimulationModel {
  /** Negative binomial sizes matching the contacts' mean and SD: size = mean^2 / (SD^2 - mean). */
  readonly hospitalContactsSize: number;
  readonly communityContactsSize: number;
  /** P(complier) = P(community >= 1) - P(community = 1) P(hospital = 0), contacts independent. */
  readonly complierProportion: number;
  /** Usual-care risk multipliers of compliers and non-compliers (mean 1 over the two). */
  readonly complierRiskMultiplier: number;
  readonly nonComplierRiskMultiplier: number;
  /** Risk ratio of peer support among compliers who are not Black, and among Black compliers. */
  readonly complierRiskRatioOther: number;
  readonly complierRiskRatioBlack: number;
  /** The average risk ratio among compliers (the true CACE risk ratio). */
  readonly complierRiskRatio: number;
  /** Mean usual-care risk and mean peer support risk (= controlRisk x riskRatio). */
  readonly controlRisk: number;
  readonly interventionRisk: number;
  /** Risk multipliers by site (in site order) and by diagnosis group (psychosis, personality, other). */
  readonly siteRiskMultipliers: Float64Array;
  readonly diagnosisRiskMultipliers: Float64Array;
  /** E[min(prior admissions, 6)], the centre of the prior admissions risk term. */
  readonly priorAdmissionsCentre: number;
  /** The largest individual risk any participant can have (must be <= 1). */
  readonly largestRisk: number;
  /** Mean first-contact minutes of non-compliers; compliers' is this plus `minutesDifference`. */
  readonly firstContactMinutesNonComplier: number;
  readonly minutesDifference: number;
}

/**
 * Builds the risk model of a set of options: readmission risk = controlRisk x site x diagnosis x prior
 * admissions x complier multipliers (each of mean 1 and independent, so the mean usual-care risk is exactly
 * `controlRisk`), times, in peer support, a risk ratio for compliers only (none for non-compliers: the
 * exclusion restriction) that is `blackRiskRatioFactor` times lower in Black participants and scaled so that
 * the mean peer support risk is exactly `controlRisk x riskRatio`. O(1).
 *
 * @throws SimulationOptionsError when the marginal risk ratio cannot be reached with the effect confined to
 *   compliers, or when some participant's risk would exceed 1.
 * @example
 * buildSimulationModel(resolveSimulationOptions()).complierProportion; // about 0.80
 */
export function buildSimulationModel(options: TrialSimulationOptions): SimulationModel {
  const problems: DataProblem[] = [];
  const sizeOf = (mean: number, sd: number) => (mean * mean) / (sd * sd - mean);
  const hospitalContactsSize = sizeOf(options.hospitalContactsMean, options.hospitalContactsSd);
  const communityContactsSize = sizeOf(options.communityContactsMean, options.communityContactsSd);
  const complierProportion =
    1 -
    negativeBinomialZero(options.communityContactsMean, communityContactsSize) -
    negativeBinomialOne(options.communityContactsMean, communityContactsSize) *
      negativeBinomialZero(options.hospitalContactsMean, hospitalContactsSize);
  const c = complierProportion;
  const s = options.complierControlRiskRatio;
  const nonComplierRiskMultiplier = 1 / (c * s + 1 - c);
  const complierRiskMultiplier = s * nonComplierRiskMultiplier;
  const black = options.ethnicityProbabilities.Black;
  const k = options.blackRiskRatioFactor;
  const floor = (1 - c) * nonComplierRiskMultiplier;
  const complierRiskRatioOther =
    (options.riskRatio - floor) / (c * complierRiskMultiplier * (black * k + 1 - black));
  if (!(options.riskRatio > floor)) {
    problems.push({
      path: 'riskRatio',
      code: 'simulation_options_invalid',
      message: `riskRatio requires a value above ${floor.toFixed(4)}: peer support acts only in compliers (${(100 * c).toFixed(1)}% of participants), so non-compliers keep their risk (got ${options.riskRatio})`,
    });
  }
  const complierRiskRatioBlack = k * complierRiskRatioOther;

  const sites = options.sites;
  const siteWeights = options.siteWeights ?? Array.from({ length: sites }, () => 1);
  const spread = options.siteRiskSpread;
  const siteRaw = Array.from({ length: sites }, (_, index) =>
    sites === 1 ? 1 : 1 - spread / 2 + (spread * index) / (sites - 1),
  );
  const siteMean =
    siteRaw.reduce((sum, value, index) => sum + value * (siteWeights[index] as number), 0) /
    siteWeights.reduce((sum, weight) => sum + weight, 0);
  const siteRiskMultipliers = Float64Array.from(siteRaw, (value) => value / siteMean);
  const diagnosisKeys = ['psychosis', 'personality', 'other'] as const;
  const diagnosisMean = diagnosisKeys.reduce(
    (sum, key) => sum + options.diagnosisProbabilities[key] * options.diagnosisRisk[key],
    0,
  );
  const diagnosisRiskMultipliers = Float64Array.from(
    diagnosisKeys,
    (key) => options.diagnosisRisk[key] / diagnosisMean,
  );
  // E[min(A, 6)] with A = 1 + X, X negative binomial: 1 + sum_{j < 5} P(X > j)
  const extraMean = options.priorAdmissions.mean - 1;
  const size = options.priorAdmissions.size;
  let priorAdmissionsCentre = 1;
  let below = 0;
  for (let j = 0; j < PRIOR_ADMISSIONS_RISK_CAP - 1; j++) {
    below += extraMean <= 0 ? (j === 0 ? 1 : 0) : pmf(j, extraMean, size);
    priorAdmissionsCentre += 1 - below;
  }
  const gamma = options.riskPerPriorAdmission;
  const smallestAdmissionMultiplier = 1 + gamma * (1 - priorAdmissionsCentre);
  if (!(smallestAdmissionMultiplier > 0)) {
    problems.push({
      path: 'riskPerPriorAdmission',
      code: 'simulation_options_invalid',
      message: `riskPerPriorAdmission requires a value below ${(1 / (priorAdmissionsCentre - 1)).toFixed(4)} so that every risk stays positive (got ${gamma})`,
    });
  }
  const largestRisk =
    options.controlRisk *
    Math.max(...siteRiskMultipliers) *
    Math.max(...diagnosisRiskMultipliers) *
    (1 + gamma * (PRIOR_ADMISSIONS_RISK_CAP - priorAdmissionsCentre)) *
    Math.max(complierRiskMultiplier, nonComplierRiskMultiplier) *
    Math.max(1, complierRiskRatioOther, complierRiskRatioBlack);
  if (problems.length === 0 && !(largestRisk <= 1)) {
    problems.push({
      path: 'controlRisk',
      code: 'simulation_options_invalid',
      message: `controlRisk and riskRatio require every participant's risk to stay <= 1 (got a largest risk of ${largestRisk.toFixed(4)}; lower controlRisk, riskRatio or the risk multipliers)`,
    });
  }
  if (problems.length > 0) throw new SimulationOptionsError(problems);
  const minutesDifference =
    Math.log(options.engagementOddsRatioPerMinute) * options.firstContactMinutesSd ** 2;
  return {
    hospitalContactsSize,
    communityContactsSize,
    complierProportion,
    complierRiskMultiplier,
    nonComplierRiskMultiplier,
    complierRiskRatioOther,
    complierRiskRatioBlack,
    complierRiskRatio: complierRiskRatioOther * (black * k + 1 - black),
    controlRisk: options.controlRisk,
    interventionRisk: options.controlRisk * options.riskRatio,
    siteRiskMultipliers,
    diagnosisRiskMultipliers,
    priorAdmissionsCentre,
    largestRisk,
    firstContactMinutesNonComplier: options.firstContactMinutesMean - c * minutesDifference,
    minutesDifference,
  };
}

function pmf(k: number, mean: number, size: number): number {
  let value = negativeBinomialZero(mean, size);
  const q = mean / (size + mean);
  for (let j = 0; j < k; j++) value *= ((j + size) / (j + 1)) * q;
  return value;
}
