import type { EngagementSummary } from '../../analysis/trial-analysis-types.ts';
import { formatEstimateInterval, formatPValue, formatRatio } from './format.ts';
import { paragraph, table } from './html.ts';

/** Readable labels of the engagement model's terms (factor terms are the column name and the level). */
const TERM_LABELS: readonly [string, string][] = [
  ['first_contact_minutes', 'First contact length (per minute)'],
  [
    'first_contact_relationship_activities',
    'Relationship-building activities at first contact (per activity)',
  ],
  ['days_randomised_to_discharge', 'Days from allocation to discharge (per day)'],
  ['age', 'Age (per year)'],
  ['gender', 'Gender: '],
  ['ethnicity', 'Ethnicity: '],
  ['first_language', 'First language: '],
  ['sexual_orientation', 'Sexual orientation: '],
  ['diagnosis_group', 'Diagnosis group: '],
];

function termLabel(term: string): string {
  for (const [name, label] of TERM_LABELS) {
    if (term === name) return label;
    if (label.endsWith(': ') && term.startsWith(name)) return `${label}${term.slice(name.length)}`;
  }
  return term;
}

/**
 * The process evaluation's engagement predictors (issue 9) for the engagement section: odds ratios of the
 * logistic model of engagement in the peer support arm, with the rate ratios of the negative binomial model
 * of the number of contacts beside them. Empty when the analysis has no predictor model.
 * @example engagementPredictorsTable(analysis.engagement, '95%')
 */
export function engagementPredictorsTable(engagement: EngagementSummary, level: string): string {
  const model = engagement.predictorModel;
  const predictors = engagement.predictors;
  if (model === undefined || predictors === undefined) return '';
  if (predictors.length === 0) {
    return paragraph(
      `The model of what predicts engagement could not be fitted: ${model.warnings.join('; ') || 'no participants'}.`,
    );
  }
  const rates = new Map(
    (engagement.contactsModel?.rateRatios ?? []).map((entry) => [entry.term, entry.rateRatio]),
  );
  return table({
    id: 'engagement-predictors-table',
    caption: 'Table 9a. What predicts engagement with peer support (peer support arm)',
    head: [
      [
        { text: 'Characteristic', scope: 'col' },
        { text: `Odds ratio of engaging (${level} CI)`, scope: 'col' },
        { text: 'p', scope: 'col' },
        { text: `Rate ratio of contacts (${level} CI)`, scope: 'col' },
        { text: 'p', scope: 'col' },
      ],
    ],
    body: predictors.map((entry) => {
      const rate = rates.get(entry.term);
      return {
        cells: [
          { text: termLabel(entry.term), scope: 'row' },
          {
            text: formatEstimateInterval(
              entry.oddsRatio.estimate,
              entry.oddsRatio.ciLower,
              entry.oddsRatio.ciUpper,
              formatRatio,
            ),
            numeric: true,
            field: `engagement.predictors.${entry.term}`,
          },
          { text: formatPValue(entry.oddsRatio.pValue), numeric: true },
          {
            text:
              rate === undefined
                ? '–'
                : formatEstimateInterval(rate.estimate, rate.ciLower, rate.ciUpper, formatRatio),
            numeric: true,
          },
          { text: rate === undefined ? '–' : formatPValue(rate.pValue), numeric: true },
        ],
      };
    }),
    note: `Logistic regression of engagement (at least two contacts, one after discharge) on all the characteristics shown, among ${model.n} of ${model.eligible} peer support participants with assessable contact records and every characteristic known (${model.engaged} engaged; complete cases). Rate ratios from a negative binomial model of the number of contacts on the same characteristics. Wald confidence intervals. Reference levels are the first level of each characteristic in the data dictionary.${model.warnings.length > 0 ? ` Model warnings: ${model.warnings.join('; ')}.` : ''}`,
  });
}
