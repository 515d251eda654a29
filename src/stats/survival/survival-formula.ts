import { ModelDataError } from '../errors.ts';
import type { ModelData } from '../models/data-column.ts';
import { parseFormula } from '../models/formula.ts';
import {
  buildModelFrame,
  type FrameVariable,
  type ModelFrame,
  withoutIntercept,
} from '../models/model-frame.ts';
import { type CoxResult, type CoxTies, fitCox } from './cox.ts';
import { type KaplanMeierResult, kaplanMeier } from './kaplan-meier.ts';
import { type LogrankResult, logrankTest } from './logrank.ts';
import type { SurvivalGroups } from './types.ts';

/** A Cox model fitted from a formula, plus how many rows `na.omit` dropped. */
export interface CoxFormulaResult extends CoxResult {
  nDropped: number;
}

/**
 * Fits `coxph(Surv(time, event) ~ terms, ties = ties)` on tabular data; the design is R's model matrix
 * without the intercept column.
 * @throws FormulaError, ModelDataError as `buildModelFrame` and `fitCox`.
 * @example coxFromFormula(lung, 'Surv(time, event) ~ age + sex', {}).coefficients[0].term // 'age'
 */
export function coxFromFormula(
  data: ModelData,
  formulaText: string,
  options: { ties?: CoxTies; confidenceLevel?: number; maxIterations?: number } = {},
): CoxFormulaResult {
  const frame = survivalFrame(data, formulaText, 'cox');
  const { time, event } = survivalResponse(frame);
  const fit = fitCox({
    design: withoutIntercept(frame.design),
    time,
    event,
    rowNumbers: frame.rowNumbers,
    ...(options.ties === undefined ? {} : { ties: options.ties }),
    ...(options.confidenceLevel === undefined ? {} : { confidenceLevel: options.confidenceLevel }),
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  return { ...fit, nDropped: frame.droppedCount };
}

/**
 * Kaplan-Meier curves as `survfit(Surv(time, event) ~ groups)`; `~ 1` gives one stratum named "all".
 * @example kaplanMeierFromFormula(aml, 'Surv(time, status) ~ x').strata.map((s) => s.name) // ['x=Maintained', 'x=Nonmaintained']
 */
export function kaplanMeierFromFormula(
  data: ModelData,
  formulaText: string,
  options: { confidenceLevel?: number } = {},
): KaplanMeierResult & { nDropped: number } {
  const frame = survivalFrame(data, formulaText, 'km');
  const { time, event } = survivalResponse(frame);
  const groups = frame.variables.length === 0 ? undefined : survivalGroups(frame.variables);
  const result = kaplanMeier({
    time,
    event,
    rowNumbers: frame.rowNumbers,
    ...(groups === undefined ? {} : { groups }),
    ...(options.confidenceLevel === undefined ? {} : { confidenceLevel: options.confidenceLevel }),
  });
  return { ...result, nDropped: frame.droppedCount };
}

/**
 * The log-rank test as `survdiff(Surv(time, event) ~ groups)`.
 * @throws ModelDataError when the formula names no grouping variable.
 */
export function logrankFromFormula(
  data: ModelData,
  formulaText: string,
): LogrankResult & { nDropped: number } {
  const frame = survivalFrame(data, formulaText, 'logrank');
  if (frame.variables.length === 0) {
    throw new ModelDataError(
      `logrank requires at least one grouping variable after ~ (got "${formulaText}")`,
    );
  }
  const { time, event } = survivalResponse(frame);
  const result = logrankTest({
    time,
    event,
    groups: survivalGroups(frame.variables),
    rowNumbers: frame.rowNumbers,
  });
  return { ...result, nDropped: frame.droppedCount };
}

function survivalFrame(data: ModelData, formulaText: string, command: string): ModelFrame {
  const formula = parseFormula(formulaText, data.columnNames);
  if (formula.response?.kind !== 'survival') {
    throw new ModelDataError(
      `${command} requires a formula of the form Surv(time, event) ~ ... (got "${formulaText}")`,
    );
  }
  if (command !== 'cox' && formula.terms.some((term) => term.variables.length > 1)) {
    throw new ModelDataError(
      `${command} requires grouping variables joined by + (got an interaction in "${formulaText}")`,
    );
  }
  return buildModelFrame(data, formula);
}

function survivalResponse(frame: ModelFrame): { time: Float64Array; event: Float64Array } {
  const response = frame.response;
  if (response?.kind !== 'survival')
    throw new ModelDataError('a survival model requires Surv(time, event) on the left of ~');
  return { time: response.time, event: response.event };
}

/**
 * Strata as `survival::strata()` labels them: `sex=1`, or `sex=1, ph.ecog=0` for several variables, in
 * lexicographic order of the variables' levels (the first variable varies slowest); only combinations
 * that occur are kept.
 */
export function survivalGroups(variables: readonly FrameVariable[]): SurvivalGroups {
  const factors = variables.map(asFactor);
  const rowCount = factors[0]?.codes.length ?? 0;
  const keys = new Map<string, number[]>();
  for (let row = 0; row < rowCount; row++) {
    const combination = factors.map((factor) => factor.codes[row] as number);
    keys.set(combination.join(','), combination);
  }
  const combinations = [...keys.values()].sort((a, b) => {
    for (let index = 0; index < a.length; index++) {
      const difference = (a[index] as number) - (b[index] as number);
      if (difference !== 0) return difference;
    }
    return 0;
  });
  const positionOf = new Map(combinations.map((combination, position) => [combination.join(','), position]));
  const codes = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    codes[row] = positionOf.get(factors.map((factor) => factor.codes[row] as number).join(',')) as number;
  }
  const labels = combinations.map((combination) =>
    combination.map((code, index) => `${factors[index]?.label}=${factors[index]?.levels[code]}`).join(', '),
  );
  return { labels, codes };
}

function asFactor(variable: FrameVariable): { label: string; levels: readonly string[]; codes: Int32Array } {
  if (variable.kind === 'factor') return variable;
  const distinct = [...new Set(variable.values)].sort((a, b) => a - b);
  const index = new Map(distinct.map((value, position) => [value, position]));
  return {
    label: variable.label,
    levels: distinct.map((value) => String(value)),
    codes: Int32Array.from(variable.values, (value) => index.get(value) as number),
  };
}
