/** Marker on an aggregate withheld because it would describe fewer than the minimum group size. */
export type Suppressed = 'fewer than 5' | `fewer than ${number}`;

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
