/**
 * Why an aggregate is withheld (every number null):
 * - `fewer than 5`: it would describe fewer than the minimum group size;
 * - `would reveal fewer than 5 people by differencing with the T1 group` (or `with the change to T2`):
 *   complementary suppression; its group differs from an already published group of the same score by 1 to 4
 *   people, so subtracting one published aggregate from the other would describe those few people;
 * - `collection open`: the timepoint's collection is not closed yet (in the app: publishing while answers
 *   still arrive would let a reader difference the summary before and after one person's questionnaire).
 */
export type Suppressed =
  | 'fewer than 5'
  | `fewer than ${number}`
  | `would reveal fewer than ${number} people by differencing with ${string}`
  | 'collection open';

/**
 * A short text for a withheld cell: `<5 (suppressed)` for a small group, otherwise `withheld: <reason>`.
 * The CLI text, the HTML reports and the web app print it.
 * @example suppressedText('fewer than 5'); // '<5 (suppressed)'
 */
export function suppressedText(reason: Suppressed): string {
  const small = /^fewer than (\d+)$/.exec(reason);
  return small === null ? `withheld: ${reason}` : `<${small[1]} (suppressed)`;
}

/** Descriptives of one score at one timepoint; every number null when suppressed. */
export interface CohortTimepointSummary {
  timepoint: number;
  n: number | null;
  mean: number | null;
  sd: number | null;
  minimum: number | null;
  maximum: number | null;
  suppressed: Suppressed | null;
}

/** Change from T1 to a later timepoint by paired t-test; effect size Cohen's d_z = mean change / SD of change. */
export interface CohortChange {
  timepoint: number;
  /** Peer workers with the score at T1 and at this timepoint. */
  n: number | null;
  meanChange: number | null;
  sdChange: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  statistic: number | null;
  degreesOfFreedom: number | null;
  pValue: number | null;
  effectSizeDz: number | null;
  suppressed: Suppressed | null;
}

/** The cohort against a population norm at one timepoint: one-sample t-test of the mean against the norm mean. */
export interface CohortNormComparison {
  timepoint: number;
  n: number | null;
  mean: number | null;
  /** Cohort mean − norm mean, with the t-based 95% CI. */
  difference: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  statistic: number | null;
  degreesOfFreedom: number | null;
  pValue: number | null;
  /** Difference / the norm's SD. */
  standardisedDifference: number | null;
  suppressed: Suppressed | null;
}

/** One score (a measure's total or a subscale) over the three timepoints. */
export interface CohortScoreSummary {
  measure: string;
  /** null for the measure's total. */
  subscale: string | null;
  label: string;
  timepoints: CohortTimepointSummary[];
  change: CohortChange[];
  norm: {
    mean: number;
    sd: number;
    source: string;
    comparisons: CohortNormComparison[];
  } | null;
}

/** Result of {@link analyseCohort}: aggregates only, never a person's answers or identifier. */
export interface CohortAnalysis {
  source: string;
  minimumGroupSize: number;
  /** Peer workers with a questionnaire at each timepoint (suppressed under the minimum). */
  participants: { timepoint: number; n: number | null; suppressed: Suppressed | null }[];
  measures: { id: string; name: string; note: string | null }[];
  scores: CohortScoreSummary[];
}
