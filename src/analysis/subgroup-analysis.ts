import {
  buildModelFrame,
  type CategoricalColumn,
  type GlmFormulaResult,
  glmFromFormula,
  ModelFitError,
  parseFormula,
  pchisq,
} from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { subsetModelData } from './model-data-view.ts';
import { perArm, waldEffect } from './summaries.ts';
import type { AnalysisPlan, SubgroupAnalysis, SubgroupSpec } from './trial-analysis-types.ts';

/**
 * The subgroup column a spec describes: the dataset's own categorical column, or (with `split`) a two-level
 * factor `levels[0]` for rows whose value is among `split.values` and `levels[1]` for the other non-missing
 * rows (R: `factor(ifelse(x %in% values, levels[1], levels[2]), levels = levels)`).
 * @example subgroupColumn(dataset, DEFAULT_SUBGROUPS[0]).levels // ['Black', 'Not Black']
 */
export function subgroupColumn(dataset: AnalysisDataset, spec: SubgroupSpec): CategoricalColumn {
  const column = dataset.categorical(spec.variable);
  if (spec.split === undefined) return { ...column, name: spec.name };
  const inFirst = column.levels.map((level) => spec.split?.values.includes(level) ?? false);
  const codes = Int32Array.from(column.codes, (code) => (code < 0 ? -1 : inFirst[code] ? 0 : 1));
  return { kind: 'categorical', name: spec.name, levels: spec.split.levels, codes };
}

/**
 * One pre-specified subgroup analysis: `glm(outcome ~ arm * subgroup + covariates, binomial)` (the subgroup
 * variable left out of the covariates), the arm odds ratio within each subgroup level from the linear
 * combination b_arm + b_arm:level with its Wald CI (variance from `vcov(fit)`), and the interaction p-value
 * of the likelihood-ratio test against `outcome ~ arm + subgroup + covariates`, as `anova(m0, m1, test =
 * "Chisq")`. Levels without participants in the model are dropped, as R's model frame drops them.
 * @throws ModelFitError when an arm-by-level coefficient is not estimable (a level with one arm only).
 * @example subgroupAnalysis(dataset, plan, arms, plan.subgroups[0]).interactionPValue
 */
export function subgroupAnalysis(
  dataset: AnalysisDataset,
  plan: AnalysisPlan,
  arms: ArmGroups,
  spec: SubgroupSpec,
): SubgroupAnalysis {
  const column = subgroupColumn(dataset, spec);
  const data = subsetModelData(dataset, undefined, [column]);
  const others = plan.covariates.filter((name) => name !== spec.variable && name !== spec.name);
  const rest = others.length > 0 ? ` + ${others.join(' + ')}` : '';
  const outcome = plan.primaryOutcome;
  const full = glmFromFormula(data, `${outcome} ~ arm * ${spec.name}${rest}`, {
    family: 'binomial',
    covariance: true,
  });
  const reduced = glmFromFormula(data, `${outcome} ~ arm + ${spec.name}${rest}`, { family: 'binomial' });
  const frame = buildModelFrame(
    data,
    parseFormula(`${outcome} ~ arm * ${spec.name}${rest}`, data.columnNames),
  );
  const armTerm = `arm${arms.levels[1]}`;
  const presentLevels = column.levels.filter((_, code) =>
    Array.from(frame.rowNumbers).some((rowNumber) => column.codes[rowNumber - 1] === code),
  );
  const outcomeValues = dataset.numeric(outcome);
  const levels = presentLevels.map((level, index) => {
    const terms = index === 0 ? [armTerm] : [armTerm, `${armTerm}:${spec.name}${level}`];
    const { estimate, se } = linearCombination(full, terms, `${spec.name} = ${level}`);
    const code = column.levels.indexOf(level);
    const n = arms.levels.map(() => 0);
    const events = arms.levels.map(() => 0);
    for (const rowNumber of frame.rowNumbers) {
      const row = rowNumber - 1;
      if (column.codes[row] !== code) continue;
      const arm = arms.codes[row] as number;
      n[arm] = (n[arm] as number) + 1;
      if (outcomeValues[row] === 1) events[arm] = (events[arm] as number) + 1;
    }
    return {
      level,
      n: perArm(arms.levels, (arm) => n[arm] as number),
      events: perArm(arms.levels, (arm) => events[arm] as number),
      oddsRatio: waldEffect(estimate, se, plan.confidenceLevel, Math.exp),
    };
  });
  const chisq = reduced.deviance - full.deviance;
  const df = reduced.dfResidual - full.dfResidual;
  return {
    variable: spec.name,
    label: spec.label,
    interactionPValue: pchisq(chisq, df, false),
    interactionChisq: chisq,
    interactionDf: df,
    levels,
    missing: dataset.rowCount - frame.rowCount,
    warnings: [...new Set([...full.warnings, ...reduced.warnings])],
  };
}

/** Estimate and SE of the sum of the named coefficients, from `vcov(fit)`. */
function linearCombination(
  fit: GlmFormulaResult,
  terms: readonly string[],
  what: string,
): { estimate: number; se: number } {
  const covariance = fit.covariance;
  const positions = terms.map((term) => covariance?.terms.indexOf(term) ?? -1);
  if (covariance === undefined || positions.some((position) => position < 0)) {
    throw new ModelFitError(
      `the subgroup analysis requires an estimable arm effect in ${what} (got aliased terms among ${terms.join(', ')})`,
    );
  }
  const k = covariance.terms.length;
  let estimate = 0;
  let variance = 0;
  for (const term of terms) estimate += fit.coefficients.find((row) => row.term === term)?.estimate as number;
  for (const a of positions) for (const b of positions) variance += covariance.values[a * k + b] as number;
  return { estimate, se: Math.sqrt(variance) };
}
