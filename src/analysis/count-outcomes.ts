import {
  buildModelFrame,
  fitNegativeBinomial,
  ModelFitError,
  parseFormula,
  qrUnscaledCovariance,
} from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { AnalysisDataError } from './errors.ts';
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
  // glm.nb is fitted directly (not through fitGlm's summary) so that a fit whose theta runs away keeps its
  // coefficients as R does: glm.nb then warns "iteration limit reached" and SE.theta is NaN, but
  // summary(fit) still reports the arm coefficient with its SE (dispersion 1).
  const frame = buildModelFrame(dataset, parseFormula(model, dataset.columnNames));
  const response = frame.response?.kind === 'numeric' ? frame.response.values : values;
  const nb = fitNegativeBinomial(frame.design, response);
  const armColumn = frame.design.columnNames.indexOf(`arm${arms.levels[1]}`);
  const rank = nb.fit.rank;
  const position = Array.from(nb.fit.qr.pivot.subarray(0, rank)).indexOf(armColumn);
  if (armColumn < 0 || position < 0) {
    throw new ModelFitError(`the trial analysis requires an estimable arm term in ${model} (got none)`);
  }
  const unscaled = qrUnscaledCovariance(nb.fit.qr);
  const se = Math.sqrt(unscaled[position * rank + position] as number);
  const warnings = [...nb.warnings];
  if (Number.isNaN(nb.thetaSe))
    warnings.push('In sqrt(1/i) : NaNs produced (the standard error of theta is NaN)');
  return {
    outcome,
    byArm: perArm(arms.levels, (code) => meanSd(values, (row) => arms.codes[row] === code)),
    rateRatio: waldEffect(nb.fit.coefficients[armColumn] as number, se, plan.confidenceLevel, Math.exp),
    theta: nb.theta,
    n: frame.rowCount,
    warnings,
  };
}
