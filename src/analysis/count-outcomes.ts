import { glmFromFormula } from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { AnalysisDataError } from './errors.ts';
import { armCoefficient } from './primary-analysis.ts';
import { adjustedTerms, meanSd, perArm, waldEffect } from './summaries.ts';
import type { AnalysisPlan, CountOutcome } from './trial-analysis-types.ts';

/**
 * One secondary count outcome: mean (SD) by arm and the rate ratio exp(b_arm) of
 * `MASS::glm.nb(outcome ~ arm + covariates)` with its Wald CI and z-test p (complete cases).
 * @throws AnalysisDataError (`analysis_outcome_degenerate`) when the count is zero for everyone.
 * @example countOutcome(dataset, plan, arms, 'bed_days_12m').rateRatio.estimate
 */
export function countOutcome(
  dataset: AnalysisDataset,
  plan: AnalysisPlan,
  arms: ArmGroups,
  outcome: string,
): CountOutcome {
  const values = dataset.numeric(outcome);
  if (!values.some((value) => value > 0)) {
    throw new AnalysisDataError([
      {
        path: `${dataset.source}: column ${outcome}`,
        code: 'analysis_outcome_degenerate',
        message: `the negative binomial model of ${outcome} requires some non-zero counts (got none)`,
      },
    ]);
  }
  const model = `${outcome} ~ ${adjustedTerms(plan.covariates)}`;
  const fit = glmFromFormula(dataset, model, { family: 'negbin' });
  const arm = armCoefficient(fit.coefficients, model);
  return {
    outcome,
    byArm: perArm(arms.levels, (code) => meanSd(values, (row) => arms.codes[row] === code)),
    rateRatio: waldEffect(arm.estimate, arm.se, plan.confidenceLevel, Math.exp),
    theta: fit.theta as number,
    n: fit.n,
    warnings: fit.warnings,
  };
}
