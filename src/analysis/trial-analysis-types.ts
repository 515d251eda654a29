/**
 * Result types of the pre-specified trial analysis (issue 7): what `analyseTrial` returns, what
 * `enrich analyse --json` prints (camelCase here, snake_case in JSON through the CLI's `formatJson`), and
 * what the trial report renders. Plain data only: numbers, strings, arrays, records.
 *
 * Conventions:
 * - Ratios (odds, risk, rate, hazard ratios) are on the natural scale; their CI is exp(b ∓ z·se).
 * - Per-arm records are keyed by the arm's level (`usual_care`, `peer_support`), reference first.
 * - A number R reports as NA is `null` (never NaN).
 */
import type { CohortAnalysis } from './cohort/cohort-analysis-types.ts';
import type { EconomicEvaluation } from './economics/economics-types.ts';
import type { EngagementPredictor, EngagementPredictorModels } from './engagement-predictors.ts';

/** An effect with its 95% CI and two-sided p-value (JSON `{ estimate, ci_lower, ci_upper, p_value }`). */
export interface EffectEstimate {
  estimate: number;
  ciLower: number;
  ciUpper: number;
  pValue: number;
}

/** An effect with a 95% CI but no p-value (the bootstrap CACE; JSON `{ estimate, ci_lower, ci_upper }`). */
export interface IntervalEstimate {
  estimate: number;
  ciLower: number;
  ciUpper: number;
}

/** A record with one entry per arm level, reference level (`usual_care`) first. */
export type PerArm<T> = Record<string, T>;

/** Mean and standard deviation of the non-missing values (`mean(x, na.rm = TRUE)`, `sd(x, na.rm = TRUE)`). */
export interface MeanSd {
  /** Number of non-missing values. */
  n: number;
  /** null when n = 0. */
  mean: number | null;
  /** null when n < 2 (R's NA). */
  sd: number | null;
}

/** A count and its percentage of a denominator (percent = 100·count/denominator; null when denominator 0). */
export interface CountPercent {
  count: number;
  denominator: number;
  percent: number | null;
}

/** One subgroup as the plan defines it. */
export interface SubgroupSpec {
  /** Name used in results and the report, e.g. `ethnicity_black`. */
  name: string;
  /** Dataset column it derives from, e.g. `ethnicity`. */
  variable: string;
  /** Human label, e.g. `Ethnicity (Black vs others)`. */
  label: string;
  /**
   * When present, the column is recoded into two levels: `levels[0]` = rows whose value is in `values`
   * (e.g. ['Black']), `levels[1]` = all other non-missing rows. When absent, the column's own levels are used.
   */
  split?: { values: string[]; levels: [string, string] };
}

/** The analysis plan actually used (defaults merged with `--sap`), echoed in the result and the methods. */
export interface AnalysisPlan {
  /** Adjustment covariates, in model order. Default `site`, `diagnosis_group`, `admissions_prior_2y`. */
  covariates: string[];
  /** Primary binary outcome. Default `readmitted_12m`. */
  primaryOutcome: string;
  subgroups: SubgroupSpec[];
  /** Secondary 12-month counts (negative binomial). */
  countOutcomes: string[];
  /** 4-month scales: each `<scale>_4m ~ arm + <scale>_baseline + covariates`. Names without suffix, e.g. `symptoms`. */
  fourMonthScales: string[];
  /** Time-to-event outcome columns. Default `days_to_readmission`, `readmission_event`. */
  timeToEvent: { time: string; event: string };
  /** Number of bootstrap resamples for the CACE interval. Default 1000. */
  bootstrapResamples: number;
  /** `set.seed(seed)` before `boot`. Default 1. */
  seed: number;
  /** Default 0.95. */
  confidenceLevel: number;
}

/** Provenance and methods facts for the methods paragraph. */
export interface AnalysisMethods {
  plan: AnalysisPlan;
  /** enrich package version (passed in by the caller). */
  enrichVersion: string;
  /** File name of the analysis dataset as given on the command line. */
  inputFile: string;
  /** Lower-case hex SHA-256 of the analysis dataset file's bytes (computed by the CLI). */
  inputSha256: string;
  saeFile: string | null;
  saeSha256: string | null;
  /** ISO date-time of the run (passed in by the caller), or null. */
  runDate: string | null;
  /** Arm levels, reference first: ['usual_care', 'peer_support']. */
  armLevels: string[];
  /** Text descriptions of each model, e.g. `glm(readmitted_12m ~ arm + site + ..., family = binomial)`. */
  models: { name: string; description: string }[];
}

/** Section 1: primary ITT analysis on participants with a known primary outcome. */
export interface PrimaryAnalysis {
  outcome: string;
  /** Participants analysed per arm (known outcome). */
  n: PerArm<number>;
  /** Participants with the outcome per arm. */
  events: PerArm<number>;
  /** 100·events/n per arm. */
  percent: PerArm<number>;
  /** Participants of the dataset with a missing primary outcome (left out). */
  missing: number;
  /** Participants in the adjusted models (known outcome and complete covariates). */
  nModel: number;
  /** Unadjusted p(peer_support) − p(usual_care), Wald CI with sqrt(p1q1/n1 + p0q0/n0), z-test p. */
  riskDifference: EffectEstimate;
  /** exp(arm coefficient) of `glm(outcome ~ arm + covariates, binomial)`, Wald CI. */
  oddsRatio: EffectEstimate;
  /** exp(arm coefficient) of `glm(outcome ~ arm + covariates, poisson)` with `sandwich::vcovHC(type = "HC0")`. */
  riskRatio: EffectEstimate;
  /** R warnings of the models (e.g. fitted probabilities 0 or 1). */
  warnings: string[];
}

/** Section 2: complier average causal effect by two-stage residual inclusion. */
export interface CaceAnalysis {
  /** exp(receipt coefficient) of stage 2, with the stratified BCa bootstrap interval. */
  riskRatio: IntervalEstimate;
  /** Participants analysed (known outcome, assessable contacts, complete covariates). */
  n: number;
  /** Compliers among them (all in peer_support). */
  compliers: number;
  /** Compliers per arm (usual_care is 0 by design). */
  compliersByArm: PerArm<number>;
  /** Participants left out because their peer worker contacts are not assessable (missing). */
  notAssessable: number;
  /** Participants left out for a missing outcome or covariate (beyond the not-assessable ones). */
  otherMissing: number;
  /** Stage-2 receipt coefficient (log scale) and its model-based SE (for information only). */
  logRiskRatio: number;
  bootstrap: {
    resamples: number;
    seed: number;
    /** Strata = arm levels in resampling order with their sizes. */
    strata: { level: string; n: number }[];
    /** BCa bias-correction z0 = qnorm(#(t* < t0)/R). */
    biasCorrection: number;
    /** Acceleration a = ΣL³ / (6 (ΣL²)^1.5) from the jackknife influence values. */
    acceleration: number;
    /** Resamples whose statistic could not be computed (NA in R); 0 normally. */
    failedResamples: number;
    /** Interval on the log scale (as boot.ci with t = log RR), exponentiated in `riskRatio`. */
    logCiLower: number;
    logCiUpper: number;
  };
  /** Warnings (e.g. stage 1 separation: R's "fitted probabilities numerically 0 or 1 occurred"). */
  warnings: string[];
}

/** The arm odds ratio within one level of a subgroup. */
export interface SubgroupLevel {
  level: string;
  n: PerArm<number>;
  events: PerArm<number>;
  oddsRatio: EffectEstimate;
}

/** Section 3: one pre-specified subgroup analysis. */
export interface SubgroupAnalysis {
  /** The subgroup's name (e.g. `ethnicity_black`). */
  variable: string;
  label: string;
  /** Likelihood-ratio test of `arm:subgroup` (anova(m0, m1, test = "Chisq")). */
  interactionPValue: number;
  interactionChisq: number;
  interactionDf: number;
  levels: SubgroupLevel[];
  /** Participants with the subgroup value missing (left out of this model). */
  missing: number;
  warnings: string[];
}

/** Section 4: one secondary count outcome. */
export interface CountOutcome {
  outcome: string;
  byArm: PerArm<MeanSd>;
  /** exp(arm coefficient) of `MASS::glm.nb(outcome ~ arm + covariates)`, Wald CI. */
  rateRatio: EffectEstimate;
  theta: number;
  /** Participants in the model (complete cases). */
  n: number;
  warnings: string[];
}

/** One step of a Kaplan-Meier curve (a distinct time). */
export interface KaplanMeierPoint {
  time: number;
  nRisk: number;
  nEvent: number;
  nCensor: number;
  survival: number;
  ciLower: number | null;
  ciUpper: number | null;
}

/** One arm's Kaplan-Meier curve. */
export interface KaplanMeierCurve {
  arm: string;
  n: number;
  events: number;
  median: number | null;
  medianCiLower: number | null;
  medianCiUpper: number | null;
  /** Curve steps in time order (S(0) = 1 is implicit). */
  points: KaplanMeierPoint[];
}

/** Section 4: time to first readmission. */
export interface TimeToReadmission {
  /** exp(arm coefficient) of `coxph(Surv(time, event) ~ arm + covariates)` (Efron), Wald CI and p. */
  hazardRatio: EffectEstimate;
  /** `survdiff(Surv(time, event) ~ arm)` p-value. */
  logrankPValue: number;
  logrankChisq: number;
  curves: KaplanMeierCurve[];
  /** Participants in the Cox model. */
  n: number;
  events: number;
}

/** Section 5: one 4-month scale. */
export interface FourMonthOutcome {
  /** Column name at 4 months, e.g. `symptoms_4m`. */
  outcome: string;
  baseline: string;
  /** Arm coefficient of `lm(outcome ~ arm + baseline + covariates)` on complete cases, t-based CI and p. */
  meanDifference: EffectEstimate;
  /** Complete cases per arm. */
  n: PerArm<number>;
  /** Observed 4-month value, mean (SD) per arm. */
  byArm: PerArm<MeanSd>;
  /** Complete cases / randomised, per arm, in percent. */
  followUpPercent: PerArm<number>;
}

/** Section 6: engagement with peer support (every arm, usually all zero in usual care). */
export interface EngagementSummary {
  /** Participants with assessable contacts per arm. */
  assessable: PerArm<number>;
  contactsHospital: PerArm<MeanSd>;
  contactsCommunity: PerArm<MeanSd>;
  anyContact: PerArm<CountPercent>;
  compliers: PerArm<CountPercent>;
  firstContactMinutes: PerArm<MeanSd>;
  /**
   * Issue 9, process evaluation: what predicts engagement (complier definition) in the peer support arm; odds
   * ratios of the logistic model (engagement-predictors.ts), JSON `engagement.predictors[]`.
   */
  predictors?: EngagementPredictor[];
  predictorModel?: EngagementPredictorModels['predictorModel'];
  /** The negative binomial model of the number of contacts on the same terms. */
  contactsModel?: EngagementPredictorModels['contactsModel'];
}

/** Section 7: serious adverse events by arm. */
export interface SaeSummary {
  /** Number of events per arm. */
  events: PerArm<number>;
  /** Participants with at least one event (and % of randomised). */
  participants: PerArm<CountPercent>;
  /** One row per category (`death`, `hospitalisation`, ... in dictionary order): events per arm. */
  byCategory: { category: string; events: PerArm<number>; participants: PerArm<number> }[];
  /** Events judged related to the intervention, per arm. */
  related: PerArm<number>;
  /** Events with category `death`, per arm. */
  deaths: PerArm<number>;
}

/** Section 8: CONSORT flow numbers, from the analysis dataset. */
export interface ConsortNumbers {
  randomised: number;
  byArm: PerArm<{
    randomised: number;
    /** Analysed for the primary outcome (known `readmitted_12m`). */
    analysedPrimary: number;
    /** `followup_4m` = 1. */
    fourMonthFollowUp: number;
    withdrawn: number;
    died: number;
    /** Primary outcome missing. */
    missingPrimary: number;
  }>;
}

/** One row of the baseline table: a continuous variable (mean (SD)) or one category (n (%)). */
export type BaselineRow =
  | {
      kind: 'continuous';
      variable: string;
      label: string;
      byArm: PerArm<MeanSd>;
      /** Missing values per arm. */
      missing: PerArm<number>;
    }
  | {
      kind: 'categorical';
      variable: string;
      label: string;
      /** One entry per level, in the column's level order; percent of the arm's non-missing values. */
      levels: { level: string; byArm: PerArm<CountPercent> }[];
      missing: PerArm<number>;
    };

/** The whole pre-specified analysis. */
export interface TrialAnalysis {
  methods: AnalysisMethods;
  consort: ConsortNumbers;
  baseline: BaselineRow[];
  primary: PrimaryAnalysis;
  cace: CaceAnalysis;
  subgroups: SubgroupAnalysis[];
  secondary: {
    counts: CountOutcome[];
    timeToReadmission: TimeToReadmission;
    fourMonth: FourMonthOutcome[];
  };
  engagement: EngagementSummary;
  /** null when no SAE file was given. */
  sae: SaeSummary | null;
  /** The health economic evaluation (issue 8), present when unit costs were given (`--unit-costs`). */
  economics?: EconomicEvaluation;
  /** The peer worker wellbeing cohort (issue 9), present when questionnaires were given (`--cohort`). */
  cohort?: CohortAnalysis;
}
