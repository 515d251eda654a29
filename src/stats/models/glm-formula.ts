import { ModelDataError } from '../errors.ts';
import type { ModelData } from './data-column.ts';
import { parseFormula } from './formula.ts';
import type { GlmFamilyName, GlmResult, LinkName, RobustType } from './glm.ts';
import { fitGlm } from './glm.ts';
import { buildModelFrame, describeNonNumeric, type FrameResponse } from './model-frame.ts';

export interface GlmFormulaOptions {
  family: GlmFamilyName;
  link?: LinkName;
  robust?: RobustType;
  confidenceLevel?: number;
  /** Also return `vcov(fit)` (see `GlmInput.covariance`). */
  covariance?: boolean;
}

/** A GLM fitted from a formula: the fit, plus how many rows `na.omit` dropped. */
export interface GlmFormulaResult extends GlmResult {
  nDropped: number;
}

/**
 * Fits a GLM from an R formula on tabular data, as `glm(formula, family, data)` with `na.action =
 * na.omit`. A two-level factor response for the binomial family is coded 0 for its first level and 1 for
 * the second, as R does.
 * @throws FormulaError for a formula the data cannot satisfy; ModelDataError for a response the family
 * cannot take (a non-numeric response, a factor with other than two levels for binomial).
 * @example glmFromFormula(table, 'low ~ age + factor(race)', { family: 'binomial' }).coefficients[0].term // '(Intercept)'
 */
export function glmFromFormula(
  data: ModelData,
  formulaText: string,
  options: GlmFormulaOptions,
): GlmFormulaResult {
  const formula = parseFormula(formulaText, data.columnNames);
  if (formula.response === undefined || formula.response.kind !== 'variable') {
    throw new ModelDataError(
      `glm requires a formula with one response variable on the left of ~ (got "${formulaText}")`,
    );
  }
  const frame = buildModelFrame(data, formula);
  const response = numericResponse(
    frame.response as FrameResponse,
    options.family,
    frame.rowNumbers,
    data.source,
  );
  const fit = fitGlm({
    design: frame.design,
    response,
    family: options.family,
    rowNumbers: frame.rowNumbers,
    ...(options.link === undefined ? {} : { link: options.link }),
    ...(options.robust === undefined ? {} : { robust: options.robust }),
    ...(options.confidenceLevel === undefined ? {} : { confidenceLevel: options.confidenceLevel }),
    ...(options.covariance === undefined ? {} : { covariance: options.covariance }),
  });
  return { ...fit, nDropped: frame.droppedCount };
}

function numericResponse(
  response: FrameResponse,
  family: GlmFamilyName,
  rowNumbers: Int32Array,
  source: string,
): Float64Array {
  if (response.kind === 'numeric') return response.values;
  if (response.kind === 'survival') {
    throw new ModelDataError('glm requires a single response variable (got Surv(); use enrich cox)');
  }
  if (family === 'binomial') {
    if (response.levels.length !== 2) {
      throw new ModelDataError(
        `glm requires a 0/1 response or a two-level factor for family binomial (got ${response.levels.length} levels in ${response.label}: ${response.levels.slice(0, 5).join(', ')})`,
      );
    }
    return Float64Array.from(response.codes);
  }
  const keptRows = Array.from(rowNumbers, (row) => row - 1);
  throw new ModelDataError(
    `glm requires a numeric response for family ${family} (got ${describeNonNumeric(response.column, keptRows, source)}, column ${response.label})`,
  );
}
