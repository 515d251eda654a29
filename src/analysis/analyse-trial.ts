import type { AnalysisDataset, SaeDataset } from '../trial/index.ts';
import { checkPlanColumns, DEFAULT_ANALYSIS_PLAN } from './analysis-plan.ts';
import { armGroups } from './arm-groups.ts';
import { baselineTable } from './baseline-table.ts';
import { caceAnalysis } from './cace-analysis.ts';
import { analyseCohort } from './cohort/analyse-cohort.ts';
import type { CohortMeasure } from './cohort/cohort-measures.ts';
import type { CohortNorm, CohortScores } from './cohort/read-cohort.ts';
import { consortNumbers } from './consort-numbers.ts';
import { countOutcome } from './count-outcomes.ts';
import { type EconomicsInputs, economicEvaluation } from './economics/economic-evaluation.ts';
import { engagementPredictors } from './engagement-predictors.ts';
import { engagementSummary } from './engagement-summary.ts';
import { fourMonthOutcome } from './four-month-outcomes.ts';
import { primaryAnalysis } from './primary-analysis.ts';
import { saeSummary } from './sae-summary.ts';
import { subgroupAnalysis } from './subgroup-analysis.ts';
import { adjustedTerms } from './summaries.ts';
import { timeToReadmission } from './time-to-readmission.ts';
import type { AnalysisPlan, TrialAnalysis } from './trial-analysis-types.ts';

/** Where the data came from; the caller (the CLI) reads files, hashes them and knows the clock. */
export interface AnalysisProvenance {
  enrichVersion: string;
  inputFile: string;
  /** Lower-case hex SHA-256 of the dataset file's bytes. */
  inputSha256: string;
  saeFile?: string;
  saeSha256?: string;
  /** ISO date-time of the run. */
  runDate?: string;
}

/** Options of {@link analyseTrial}. */
export interface AnalyseTrialOptions {
  provenance: AnalysisProvenance;
  /** Default {@link DEFAULT_ANALYSIS_PLAN}. */
  plan?: AnalysisPlan;
  sae?: SaeDataset;
  /** Unit costs (and optionally a value set, WTP values): adds the economic evaluation (`economics`). */
  economics?: EconomicsInputs;
  /**
   * The peer worker wellbeing cohort's scored questionnaires, norms and measures: adds the cohort analysis
   * (`cohort`, as `analyseCohort` gives it, aggregates of 5 or more only).
   */
  cohort?: {
    readonly data: CohortScores;
    readonly norms: readonly CohortNorm[];
    readonly measures: readonly CohortMeasure[];
  };
  /** Progress of the CACE bootstrap (the long part): evaluations done of total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs the pre-specified analysis of issue 7 on a validated analysis dataset: CONSORT numbers and the
 * baseline table, the primary ITT analysis, the CACE by two-stage residual inclusion with its stratified BCa
 * bootstrap interval, the subgroup analyses, the secondary count, time-to-event and 4-month outcomes,
 * engagement and serious adverse events. Every number agrees with reference/trial-analysis.R (R's glm,
 * sandwich, MASS, survival, boot) to 1e-6 relative or better; the bootstrap draws R's resamples for the seed.
 * Pure: no I/O, no clock. Time is dominated by the CACE bootstrap, (1 + R + n) pairs of IRLS fits.
 * @throws AnalysisPlanError for plan columns the dataset lacks; AnalysisDataError for an arm without
 *   participants or an outcome without events; ModelFitError, BootstrapIntervalError when a model or the
 *   interval cannot be computed.
 * @example analyseTrial(readAnalysisDataset(table), { provenance }).primary.oddsRatio
 */
export function analyseTrial(dataset: AnalysisDataset, options: AnalyseTrialOptions): TrialAnalysis {
  const plan = options.plan ?? DEFAULT_ANALYSIS_PLAN;
  checkPlanColumns(plan, dataset);
  const arms = armGroups(dataset);
  const { provenance } = options;
  const terms = adjustedTerms(plan.covariates);
  const outcome = plan.primaryOutcome;
  const models = [
    { name: 'Primary: adjusted odds ratio', description: `glm(${outcome} ~ ${terms}, family = binomial)` },
    {
      name: 'Primary: adjusted risk ratio',
      description: `glm(${outcome} ~ ${terms}, family = poisson) with sandwich::vcovHC(type = "HC0") standard errors`,
    },
    {
      name: 'CACE, two-stage residual inclusion',
      description: `stage 1 glm(receipt ~ ${terms}, family = binomial); stage 2 glm(${outcome} ~ receipt + stage1_residual${plan.covariates.length > 0 ? ` + ${plan.covariates.join(' + ')}` : ''}, family = poisson); BCa interval from boot(R = ${plan.bootstrapResamples}, strata = arm) after set.seed(${plan.seed}), jackknife acceleration`,
    },
    {
      name: 'Subgroups',
      description: `glm(${outcome} ~ arm * subgroup + covariates, family = binomial); likelihood-ratio test of the interaction`,
    },
    { name: 'Secondary counts', description: `MASS::glm.nb(count ~ ${terms})` },
    {
      name: 'Time to readmission',
      description: `coxph(Surv(${plan.timeToEvent.time}, ${plan.timeToEvent.event}) ~ ${terms}, ties = "efron"); survdiff and survfit by arm`,
    },
    {
      name: '4-month outcomes',
      description: `lm(scale_4m ~ arm + scale_baseline${plan.covariates.length > 0 ? ` + ${plan.covariates.join(' + ')}` : ''}) on complete cases`,
    },
    {
      name: 'Engagement predictors (peer support arm)',
      description:
        'glm(engaged ~ first_contact_minutes + first_contact_relationship_activities + days_randomised_to_discharge + age + gender + ethnicity + first_language + sexual_orientation + diagnosis_group, family = binomial) on complete cases, engaged = complier; MASS::glm.nb(contacts ~ same terms)',
    },
  ];
  const primary = primaryAnalysis(dataset, plan, arms);
  return {
    methods: {
      plan,
      enrichVersion: provenance.enrichVersion,
      inputFile: provenance.inputFile,
      inputSha256: provenance.inputSha256,
      saeFile: provenance.saeFile ?? null,
      saeSha256: provenance.saeSha256 ?? null,
      runDate: provenance.runDate ?? null,
      armLevels: [...arms.levels],
      models,
    },
    consort: consortNumbers(dataset, arms, outcome),
    baseline: baselineTable(dataset, arms),
    primary,
    cace: caceAnalysis(
      dataset,
      plan,
      arms,
      options.onProgress === undefined ? {} : { onProgress: options.onProgress },
    ),
    subgroups: plan.subgroups.map((spec) => subgroupAnalysis(dataset, plan, arms, spec)),
    secondary: {
      counts: plan.countOutcomes.map((name) => countOutcome(dataset, plan, arms, name)),
      timeToReadmission: timeToReadmission(dataset, plan, arms),
      fourMonth: plan.fourMonthScales.map((scale) => fourMonthOutcome(dataset, plan, arms, scale)),
    },
    engagement: {
      ...engagementSummary(dataset, arms),
      ...engagementPredictors(dataset, arms, plan.confidenceLevel),
    },
    sae: options.sae === undefined ? null : saeSummary(options.sae, dataset, arms),
    ...(options.economics === undefined
      ? {}
      : { economics: economicEvaluation(dataset, plan, options.economics) }),
    ...(options.cohort === undefined
      ? {}
      : { cohort: analyseCohort(options.cohort.data, options.cohort.norms, options.cohort.measures) }),
  };
}
