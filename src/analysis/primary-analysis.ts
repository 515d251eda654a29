import { glmFromFormula, ModelFitError, pnorm, qnorm } from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import { type ArmGroups, requireEventsAndNonEvents } from './arm-groups.ts';
import { adjustedTerms, perArm, waldEffect } from './summaries.ts';
import type { AnalysisPlan, PrimaryAnalysis } from './trial-analysis-types.ts';

/**
 * The primary intention-to-treat analysis on participants with a known primary outcome: n, events and % per
 * arm; the unadjusted risk difference with the Wald (unpooled) SE sqrt(p1 q1/n1 + p0 q0/n0); the adjusted
 * odds ratio `exp(coef)` of `glm(outcome ~ arm + covariates, binomial)` with Wald CI; the adjusted risk
 * ratio of `glm(outcome ~ arm + covariates, poisson)` with `sandwich::vcovHC(fit, type = "HC0")` (modified
 * Poisson, Zou 2004). Complete cases of the covariates enter the models (na.omit). O(n p^2) per model.
 * @throws AnalysisDataError when the outcome has no events or only events.
 * @example primaryAnalysis(dataset, DEFAULT_ANALYSIS_PLAN, armGroups(dataset)).oddsRatio.estimate
 */
export function primaryAnalysis(
  dataset: AnalysisDataset,
  plan: AnalysisPlan,
  arms: ArmGroups,
): PrimaryAnalysis {
  const outcome = plan.primaryOutcome;
  const values = dataset.numeric(outcome);
  const known: number[] = [];
  const n = arms.levels.map(() => 0);
  const events = arms.levels.map(() => 0);
  for (let row = 0; row < values.length; row++) {
    const value = values[row] as number;
    if (Number.isNaN(value)) continue;
    known.push(row);
    const arm = arms.codes[row] as number;
    n[arm] = (n[arm] as number) + 1;
    if (value === 1) events[arm] = (events[arm] as number) + 1;
  }
  requireEventsAndNonEvents(values, known, outcome, dataset.source, 'the primary analysis');
  for (let arm = 0; arm < arms.levels.length; arm++) {
    if (n[arm] === 0) {
      requireEventsAndNonEvents(
        values,
        [],
        outcome,
        dataset.source,
        `the primary analysis in arm ${arms.levels[arm]}`,
      );
    }
  }
  const risk = n.map((size, arm) => (events[arm] as number) / size);
  const [p0, p1] = risk as [number, number];
  const [n0, n1] = n as [number, number];
  const difference = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  const z = qnorm((1 + plan.confidenceLevel) / 2);

  const formula = `${outcome} ~ ${adjustedTerms(plan.covariates)}`;
  const logistic = glmFromFormula(dataset, formula, { family: 'binomial' });
  const poisson = glmFromFormula(dataset, formula, { family: 'poisson', robust: 'HC0' });
  const logOdds = armCoefficient(logistic.coefficients, formula);
  const logRisk = armCoefficient(poisson.coefficients, formula);
  const warnings = [...new Set([...logistic.warnings, ...poisson.warnings])];
  return {
    outcome,
    n: perArm(arms.levels, (arm) => n[arm] as number),
    events: perArm(arms.levels, (arm) => events[arm] as number),
    percent: perArm(arms.levels, (arm) => 100 * (risk[arm] as number)),
    missing: values.length - known.length,
    riskDifference: {
      estimate: difference,
      ciLower: difference - z * se,
      ciUpper: difference + z * se,
      pValue: 2 * pnorm(-Math.abs(difference / se)),
    },
    oddsRatio: waldEffect(logOdds.estimate, logOdds.se, plan.confidenceLevel, Math.exp),
    riskRatio: waldEffect(logRisk.estimate, logRisk.se, plan.confidenceLevel, Math.exp),
    nModel: logistic.n,
    warnings,
  };
}

/** The `armpeer_support` row of a coefficient table (the second arm level against the reference). */
export function armCoefficient(
  coefficients: readonly { term: string; estimate: number | null; se: number | null }[],
  model: string,
): { estimate: number; se: number } {
  const row = coefficients.find(
    (coefficient) => coefficient.term.startsWith('arm') && !coefficient.term.includes(':'),
  );
  if (row === undefined || row.estimate === null || row.se === null) {
    throw new ModelFitError(`the trial analysis requires an estimable arm term in ${model} (got none)`);
  }
  return { estimate: row.estimate, se: row.se };
}
