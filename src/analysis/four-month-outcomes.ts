import { buildModelFrame, glmFromFormula, parseFormula } from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { armCoefficient } from './primary-analysis.ts';
import { meanSd, perArm } from './summaries.ts';
import type { AnalysisPlan, FourMonthOutcome } from './trial-analysis-types.ts';

/**
 * One 4-month scale: the adjusted mean difference (arm coefficient) of
 * `lm(<scale>_4m ~ arm + <scale>_baseline + covariates)` on complete cases, with its t-based CI and p
 * (`confint.lm`, `summary.lm`), complete cases per arm, the observed mean (SD) per arm and the follow-up
 * rate (complete cases / randomised).
 * @example fourMonthOutcome(dataset, plan, arms, 'symptoms').meanDifference.estimate
 */
export function fourMonthOutcome(
  dataset: AnalysisDataset,
  plan: AnalysisPlan,
  arms: ArmGroups,
  scale: string,
): FourMonthOutcome {
  const outcome = `${scale}_4m`;
  const baseline = `${scale}_baseline`;
  const model = `${outcome} ~ ${['arm', baseline, ...plan.covariates.filter((name) => name !== baseline)].join(' + ')}`;
  const fit = glmFromFormula(dataset, model, { family: 'gaussian', confidenceLevel: plan.confidenceLevel });
  const row = fit.coefficients.find((coefficient) => coefficient.term === `arm${arms.levels[1]}`);
  armCoefficient(fit.coefficients, model);
  const frame = buildModelFrame(dataset, parseFormula(model, dataset.columnNames));
  const n = arms.levels.map(() => 0);
  for (const rowNumber of frame.rowNumbers) {
    const arm = arms.codes[rowNumber - 1] as number;
    n[arm] = (n[arm] as number) + 1;
  }
  const values = dataset.numeric(outcome);
  return {
    outcome,
    baseline,
    meanDifference: {
      estimate: row?.estimate as number,
      ciLower: row?.ciLower as number,
      ciUpper: row?.ciUpper as number,
      pValue: row?.pValue as number,
    },
    n: perArm(arms.levels, (arm) => n[arm] as number),
    byArm: perArm(arms.levels, (arm) => meanSd(values, (r) => arms.codes[r] === arm)),
    followUpPercent: perArm(arms.levels, (arm) => (100 * (n[arm] as number)) / (arms.sizes[arm] as number)),
  };
}
