import {
  buildModelFrame,
  type DataColumn,
  fitNegativeBinomial,
  glmFromFormula,
  parseFormula,
  qrUnscaledCovariance,
  StatsError,
} from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { subsetModelData } from './model-data-view.ts';
import { waldEffect } from './summaries.ts';
import type { EffectEstimate } from './trial-analysis-types.ts';

/** The predictors of engagement, in formula order (issue 9: first contact, timing, participant characteristics). */
export const ENGAGEMENT_PREDICTORS = [
  'first_contact_minutes',
  'first_contact_relationship_activities',
  'days_randomised_to_discharge',
  'age',
  'gender',
  'ethnicity',
  'first_language',
  'sexual_orientation',
  'diagnosis_group',
] as const;

/** One term of the engagement model: exp(coefficient) with its Wald CI and z-test p. */
export interface EngagementPredictor {
  term: string;
  oddsRatio: EffectEstimate;
}

/** One term of the contacts model: the rate ratio exp(coefficient) with its Wald CI and z-test p. */
export interface ContactsPredictor {
  term: string;
  rateRatio: EffectEstimate;
}

/** Result of {@link engagementPredictors}. */
export interface EngagementPredictorModels {
  /** Terms of the logistic model (no intercept); empty when it could not be fitted (see the warnings). */
  predictors: EngagementPredictor[];
  predictorModel: {
    formula: string;
    /** Peer support participants with assessable contacts. */
    eligible: number;
    /** Complete cases analysed (na.omit). */
    n: number;
    engaged: number;
    warnings: string[];
  };
  contactsModel: {
    formula: string;
    n: number;
    theta: number | null;
    rateRatios: ContactsPredictor[];
    warnings: string[];
  };
}

/**
 * What predicts engagement in the peer support arm (the process evaluation, issue 9), over participants with
 * assessable contact records (both contact counts present):
 *
 * - `glm(engaged ~ first_contact_minutes + first_contact_relationship_activities + days_randomised_to_discharge
 *   + age + gender + ethnicity + first_language + sexual_orientation + diagnosis_group, family = binomial)`,
 *   where `engaged` is the complier definition (at least two contacts, one after discharge) and
 *   `days_randomised_to_discharge = discharge_date − randomised_date`; odds ratios with Wald CIs.
 * - `MASS::glm.nb(contacts ~ same terms)` with `contacts = pw_contacts_hospital + pw_contacts_community`;
 *   rate ratios with Wald CIs (summary.negbin, dispersion 1).
 *
 * Missing values: complete cases, as R's default `na.action = na.omit` (rows with any missing predictor are
 * dropped and counted). Factors use the data dictionary's first level as reference. A model that cannot be
 * fitted returns no terms and says why in `warnings` rather than stopping the trial analysis.
 * @example engagementPredictors(dataset, arms, 0.95).predictors[0]?.term // 'first_contact_minutes'
 */
export function engagementPredictors(
  dataset: AnalysisDataset,
  arms: ArmGroups,
  confidenceLevel: number,
): EngagementPredictorModels {
  const hospital = dataset.numeric('pw_contacts_hospital');
  const community = dataset.numeric('pw_contacts_community');
  const randomised = dataset.numeric('randomised_date');
  const discharged = dataset.numeric('discharge_date');
  const peerSupport = arms.levels.indexOf('peer_support');
  const rows: number[] = [];
  for (let row = 0; row < dataset.rowCount; row++) {
    if (
      arms.codes[row] === peerSupport &&
      !Number.isNaN(hospital[row] as number) &&
      !Number.isNaN(community[row] as number)
    )
      rows.push(row);
  }
  const column = (name: string, value: (row: number) => number): DataColumn => ({
    kind: 'numeric',
    name,
    values: Float64Array.from(rows, value),
  });
  const view = subsetModelData(dataset, Int32Array.from(rows), [
    column('engaged', (row) =>
      (hospital[row] as number) + (community[row] as number) >= 2 && (community[row] as number) >= 1 ? 1 : 0,
    ),
    column('contacts', (row) => (hospital[row] as number) + (community[row] as number)),
    column(
      'days_randomised_to_discharge',
      (row) => (discharged[row] as number) - (randomised[row] as number),
    ),
  ]);
  const terms = ENGAGEMENT_PREDICTORS.join(' + ');
  const logisticFormula = `engaged ~ ${terms}`;
  const countFormula = `contacts ~ ${terms}`;
  const withoutIntercept = <T>(entries: { term: string; value: T | null }[]) =>
    entries.filter((entry) => entry.term !== '(Intercept)' && entry.value !== null);

  const predictorModel: EngagementPredictorModels['predictorModel'] = {
    formula: `glm(${logisticFormula}, family = binomial)`,
    eligible: rows.length,
    n: 0,
    engaged: 0,
    warnings: [],
  };
  let predictors: EngagementPredictor[] = [];
  try {
    const fit = glmFromFormula(view, logisticFormula, { family: 'binomial' });
    predictorModel.n = fit.n;
    predictorModel.warnings.push(...fit.warnings);
    const frame = buildModelFrame(view, parseFormula(logisticFormula, view.columnNames));
    const response = frame.response?.kind === 'numeric' ? frame.response.values : new Float64Array();
    predictorModel.engaged = response.reduce((sum, value) => sum + value, 0);
    predictors = withoutIntercept(
      fit.coefficients.map((coefficient) => ({
        term: coefficient.term,
        value:
          coefficient.estimate === null || coefficient.se === null
            ? null
            : waldEffect(coefficient.estimate, coefficient.se, confidenceLevel, Math.exp),
      })),
    ).map((entry) => ({ term: entry.term, oddsRatio: entry.value as EffectEstimate }));
  } catch (error) {
    if (!(error instanceof StatsError)) throw error;
    predictorModel.warnings.push(error.message);
  }

  const contactsModel: EngagementPredictorModels['contactsModel'] = {
    formula: `MASS::glm.nb(${countFormula})`,
    n: 0,
    theta: null,
    rateRatios: [],
    warnings: [],
  };
  try {
    // Fitted directly, as the secondary counts are, so that a runaway theta keeps R's coefficients.
    const frame = buildModelFrame(view, parseFormula(countFormula, view.columnNames));
    const response = frame.response?.kind === 'numeric' ? frame.response.values : new Float64Array();
    const nb = fitNegativeBinomial(frame.design, response);
    const rank = nb.fit.rank;
    const unscaled = qrUnscaledCovariance(nb.fit.qr);
    const pivot = Array.from(nb.fit.qr.pivot.subarray(0, rank));
    contactsModel.n = frame.rowCount;
    contactsModel.theta = nb.theta;
    contactsModel.warnings.push(...nb.warnings);
    contactsModel.rateRatios = withoutIntercept(
      frame.design.columnNames.map((term, index) => {
        const position = pivot.indexOf(index);
        return {
          term,
          value:
            position < 0
              ? null
              : waldEffect(
                  nb.fit.coefficients[index] as number,
                  Math.sqrt(unscaled[position * rank + position] as number),
                  confidenceLevel,
                  Math.exp,
                ),
        };
      }),
    ).map((entry) => ({ term: entry.term, rateRatio: entry.value as EffectEstimate }));
  } catch (error) {
    if (!(error instanceof StatsError)) throw error;
    contactsModel.warnings.push(error.message);
  }
  return { predictors, predictorModel, contactsModel };
}
