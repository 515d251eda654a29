import { FormulaError, ModelDataError } from '../errors.ts';
import type { CategoricalColumn, DataColumn, ModelData } from './data-column.ts';
import type { DesignMatrix } from './design-matrix.ts';
import type { Formula, FormulaVariable } from './formula.ts';

/** A formula variable evaluated on the rows kept: numbers, or a factor with its levels. */
export type FrameVariable =
  | { readonly kind: 'numeric'; readonly label: string; readonly values: Float64Array }
  | {
      readonly kind: 'factor';
      readonly label: string;
      readonly levels: readonly string[];
      readonly codes: Int32Array;
    };

/** The response as the left-hand side gives it. */
export type FrameResponse =
  | { readonly kind: 'numeric'; readonly label: string; readonly values: Float64Array }
  | {
      readonly kind: 'factor';
      readonly label: string;
      readonly levels: readonly string[];
      readonly codes: Int32Array;
      /** The cell text of each kept row, for messages about a non-numeric response. */
      readonly column: CategoricalColumn;
    }
  | {
      readonly kind: 'survival';
      readonly label: string;
      readonly time: Float64Array;
      readonly event: Float64Array;
    };

/**
 * The data a model sees, as R's `model.frame()` + `model.matrix()` make it: rows with a missing value in
 * any variable the formula uses are dropped (`na.omit`) and counted; unused factor levels are dropped
 * (`drop.unused.levels = TRUE`, as `glm` and `lm` ask); factors use treatment contrasts with the first
 * level as reference, or full dummy coding where R's `terms` rules say so.
 */
export interface ModelFrame {
  readonly formula: Formula;
  readonly rowCount: number;
  readonly droppedCount: number;
  /** 1-based data row of each kept row (the CSV's line is this + 1). */
  readonly rowNumbers: Int32Array;
  readonly response: FrameResponse | undefined;
  /** Right-hand-side variables on the kept rows, in `formula.variables` order. */
  readonly variables: readonly FrameVariable[];
  readonly design: DesignMatrix;
}

/**
 * Evaluates `formula` on `data`. O(n·p).
 * @throws FormulaError for a column the data lacks, a function applied to a categorical column, or a
 * factor left with fewer than two levels. ModelDataError when no complete rows remain.
 * @example buildModelFrame(table, parseFormula('y ~ x')).design.columnNames // ['(Intercept)', 'x']
 */
export function buildModelFrame(data: ModelData, formula: Formula): ModelFrame {
  const responseVariables = responseVariablesOf(formula);
  const rawRight = formula.variables.map((variable) => evaluateVariable(data, variable));
  const rawResponse = responseVariables.map((variable) => evaluateVariable(data, variable));
  const keep = completeRows(data.rowCount, [...rawRight, ...rawResponse]);
  if (keep.length === 0) {
    throw new ModelDataError(
      `a model requires at least one row with no missing value in ${[...responseVariables, ...formula.variables].map((v) => v.label).join(', ')} (got none of ${data.rowCount} rows in ${data.source})`,
    );
  }
  const variables = rawRight.map((raw) => subsetVariable(raw, keep, data.rowCount));
  const response = buildResponse(formula, rawResponse, keep, data);
  const design = buildDesign(formula, variables, keep.length);
  const rowNumbers = new Int32Array(keep.length);
  for (let index = 0; index < keep.length; index++) rowNumbers[index] = (keep[index] as number) + 1;
  return {
    formula,
    rowCount: keep.length,
    droppedCount: data.rowCount - keep.length,
    rowNumbers,
    response,
    variables,
    design,
  };
}

/** The design matrix without its intercept column, as `coxph` uses it (contrasts still as with one). */
export function withoutIntercept(design: DesignMatrix): DesignMatrix {
  if (!design.hasIntercept) return design;
  return {
    rowCount: design.rowCount,
    columnCount: design.columnCount - 1,
    values: design.values.slice(design.rowCount),
    columnNames: design.columnNames.slice(1),
    assign: design.assign.slice(1),
    hasIntercept: false,
  };
}

function responseVariablesOf(formula: Formula): FormulaVariable[] {
  const response = formula.response;
  if (response === undefined) return [];
  return response.kind === 'variable' ? [response.variable] : [response.time, response.event];
}

type RawVariable =
  | { kind: 'numeric'; label: string; values: Float64Array; source: DataColumn }
  | { kind: 'factor'; label: string; levels: readonly string[]; codes: Int32Array; source: DataColumn };

function getColumn(data: ModelData, variable: FormulaVariable): DataColumn {
  const column = data.findColumn(variable.column);
  if (column === undefined) {
    throw new FormulaError(
      `formula term ${variable.label} requires a column "${variable.column}" in ${data.source} (got columns ${data.columnNames.join(', ')})`,
    );
  }
  return column;
}

function evaluateVariable(data: ModelData, variable: FormulaVariable): RawVariable {
  const column = getColumn(data, variable);
  const label = variable.label;
  if (variable.transform === 'factor') {
    if (column.kind === 'categorical')
      return { kind: 'factor', label, levels: column.levels, codes: column.codes, source: column };
    return { ...numericToFactor(column.values), kind: 'factor', label, source: column };
  }
  if (variable.transform === 'none') {
    if (column.kind === 'categorical')
      return { kind: 'factor', label, levels: column.levels, codes: column.codes, source: column };
    return { kind: 'numeric', label, values: column.values, source: column };
  }
  if (column.kind === 'categorical') {
    throw new FormulaError(
      `formula term ${label} requires a numeric column "${column.name}" (got non-numeric values such as "${column.levels[0]}")`,
    );
  }
  const transform = { log: Math.log, sqrt: Math.sqrt, exp: Math.exp }[variable.transform];
  return { kind: 'numeric', label, values: column.values.map(transform), source: column };
}

/** `factor()` of a numeric column: levels are the distinct values in numeric order, printed as R prints them. */
function numericToFactor(values: Float64Array): { levels: string[]; codes: Int32Array } {
  const distinct = [...new Set(Array.from(values).filter((value) => !Number.isNaN(value)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(distinct.map((value, position) => [value, position]));
  const codes = new Int32Array(values.length);
  values.forEach((value, row) => {
    codes[row] = Number.isNaN(value) ? -1 : (index.get(value) as number);
  });
  return { levels: distinct.map(formatLevel), codes };
}

function formatLevel(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** Indices of the rows with no missing value in any of `variables` (R's na.omit). O(n·v). */
function completeRows(rowCount: number, variables: readonly RawVariable[]): Int32Array {
  const missing = new Uint8Array(rowCount);
  for (const variable of variables) {
    if (variable.kind === 'numeric') {
      const values = variable.values;
      // includes() finds NaN (SameValueZero) in native code: complete columns, the usual case, cost one scan.
      if (!values.includes(Number.NaN)) continue;
      for (let row = 0; row < rowCount; row++) if (Number.isNaN(values[row] as number)) missing[row] = 1;
    } else {
      const codes = variable.codes;
      for (let row = 0; row < rowCount; row++) if ((codes[row] as number) < 0) missing[row] = 1;
    }
  }
  let count = 0;
  for (let row = 0; row < rowCount; row++) if (missing[row] === 0) count++;
  const keep = new Int32Array(count);
  for (let row = 0, index = 0; row < rowCount; row++) if (missing[row] === 0) keep[index++] = row;
  return keep;
}

function subsetVariable(raw: RawVariable, keep: Int32Array, rowCount: number): FrameVariable {
  const all = keep.length === rowCount;
  if (raw.kind === 'numeric') {
    const values = all ? raw.values : new Float64Array(keep.length);
    if (!all)
      for (let index = 0; index < keep.length; index++)
        values[index] = raw.values[keep[index] as number] as number;
    return { kind: 'numeric', label: raw.label, values };
  }
  const codes = all ? raw.codes : new Int32Array(keep.length);
  if (!all)
    for (let index = 0; index < keep.length; index++)
      codes[index] = raw.codes[keep[index] as number] as number;
  const dropped = dropUnusedLevels(raw.levels, codes);
  return { kind: 'factor', label: raw.label, levels: dropped.levels, codes: dropped.codes };
}

function dropUnusedLevels(
  levels: readonly string[],
  codes: Int32Array,
): { levels: string[]; codes: Int32Array } {
  const used = new Uint8Array(levels.length);
  for (const code of codes) used[code] = 1;
  if (used.every((flag) => flag === 1)) return { levels: [...levels], codes };
  const remap = new Int32Array(levels.length).fill(-1);
  const kept: string[] = [];
  levels.forEach((level, index) => {
    if (used[index]) {
      remap[index] = kept.length;
      kept.push(level);
    }
  });
  return { levels: kept, codes: codes.map((code) => remap[code] as number) };
}

function buildResponse(
  formula: Formula,
  raw: readonly RawVariable[],
  keep: Int32Array,
  data: ModelData,
): FrameResponse | undefined {
  const response = formula.response;
  if (response === undefined) return undefined;
  if (response.kind === 'survival') {
    const [time, event] = raw.map((variable, index) => {
      if (variable.kind !== 'numeric') {
        const role = index === 0 ? 'time' : 'event';
        throw new ModelDataError(
          `Surv() requires a numeric ${role} column "${variable.source.name}" (got ${describeNonNumeric(variable.source, keep, data.source)})`,
        );
      }
      return (subsetVariable(variable, keep, data.rowCount) as { values: Float64Array }).values;
    }) as [Float64Array, Float64Array];
    return { kind: 'survival', label: response.label, time, event };
  }
  const variable = subsetVariable(raw[0] as RawVariable, keep, data.rowCount);
  if (variable.kind === 'numeric') return variable;
  return { ...variable, column: (raw[0] as RawVariable).source as CategoricalColumn };
}

/** Names the first non-numeric cell of a categorical column among the kept rows: `"abc" in row 4`. */
export function describeNonNumeric(column: DataColumn, keep: ArrayLike<number>, source: string): string {
  if (column.kind === 'numeric') return 'numbers';
  for (let index = 0; index < keep.length; index++) {
    const row = keep[index] as number;
    const level = column.levels[column.codes[row] as number] as string;
    if (!/^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(level)) {
      return `"${level}" in row ${row + 1} of ${source}`;
    }
  }
  return `non-numeric values in ${source}`;
}

/** How a factor enters a term: by contrasts (drop the reference level) or by dummies (every level). */
type Coding = 'contrasts' | 'dummies';

/** One factor of a design column: a numeric variable, or the indicator of one level of a factor. */
type ColumnFactor =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'level'; codes: Int32Array; code: number };

function buildDesign(formula: Formula, variables: readonly FrameVariable[], rowCount: number): DesignMatrix {
  const codings = termCodings(formula, variables);
  const specs: { name: string; factors: ColumnFactor[]; term: number }[] = [];
  if (formula.hasIntercept) specs.push({ name: '(Intercept)', factors: [], term: 0 });
  formula.terms.forEach((term, termIndex) => {
    let product: { name: string; factors: ColumnFactor[] }[] = [{ name: '', factors: [] }];
    term.variables.forEach((variableIndex, position) => {
      const variable = variables[variableIndex] as FrameVariable;
      const columns = variableColumns(variable, codings[termIndex]?.[position] ?? 'contrasts');
      // The earlier variables vary fastest, as in R's model.matrix.
      const next: { name: string; factors: ColumnFactor[] }[] = [];
      for (const right of columns) {
        for (const left of product) {
          next.push({
            name: left.name === '' ? right.name : `${left.name}:${right.name}`,
            factors: [...left.factors, right.factor],
          });
        }
      }
      product = next;
    });
    for (const column of product)
      specs.push({ name: column.name, factors: column.factors, term: termIndex + 1 });
  });
  const values = new Float64Array(rowCount * specs.length);
  specs.forEach((spec, index) => {
    fillColumn(values.subarray(index * rowCount, (index + 1) * rowCount), spec.factors);
  });
  return {
    rowCount,
    columnCount: specs.length,
    values,
    columnNames: specs.map((spec) => spec.name),
    assign: specs.map((spec) => spec.term),
    hasIntercept: formula.hasIntercept,
  };
}

/**
 * Writes the product of `factors` (1 for none) into `target`, the first factor copied rather than
 * multiplied into ones (the same numbers: 1 x v = v). O(n · factors).
 */
function fillColumn(target: Float64Array, factors: readonly ColumnFactor[]): void {
  const first = factors[0];
  if (first === undefined) target.fill(1);
  else if (first.kind === 'numeric') target.set(first.values.subarray(0, target.length));
  else {
    const { codes, code } = first;
    for (let row = 0; row < target.length; row++) target[row] = codes[row] === code ? 1 : 0;
  }
  for (const factor of factors.slice(1)) {
    if (factor.kind === 'numeric') {
      const values = factor.values;
      for (let row = 0; row < target.length; row++)
        target[row] = (target[row] as number) * (values[row] as number);
    } else {
      const { codes, code } = factor;
      for (let row = 0; row < target.length; row++) if (codes[row] !== code) target[row] = 0;
    }
  }
}

function variableColumns(variable: FrameVariable, coding: Coding): { name: string; factor: ColumnFactor }[] {
  if (variable.kind === 'numeric')
    return [{ name: variable.label, factor: { kind: 'numeric', values: variable.values } }];
  if (variable.levels.length < 2) {
    throw new FormulaError(
      `factor ${variable.label} requires at least 2 levels among the rows used (got ${variable.levels.length}: ${variable.levels.join(', ')})`,
    );
  }
  const first = coding === 'contrasts' ? 1 : 0;
  return variable.levels.slice(first).map((level, offset) => ({
    name: `${variable.label}${level}`,
    factor: { kind: 'level', codes: variable.codes, code: offset + first },
  }));
}

/**
 * R's `TermCode` rule: a factor in a term is coded by contrasts when the term without that factor is
 * empty or is contained in an earlier term; otherwise by dummies. Without an intercept, the first
 * factor of the first term containing one is coded by dummies.
 */
function termCodings(formula: Formula, variables: readonly FrameVariable[]): Coding[][] {
  const codings = formula.terms.map((term, termIndex) =>
    term.variables.map((variableIndex): Coding => {
      const rest = term.variables.filter((index) => index !== variableIndex);
      if (rest.length === 0) return 'contrasts';
      const contained = formula.terms
        .slice(0, termIndex)
        .some((earlier) => rest.every((index) => earlier.variables.includes(index)));
      return contained ? 'contrasts' : 'dummies';
    }),
  );
  if (!formula.hasIntercept) {
    outer: for (const [termIndex, term] of formula.terms.entries()) {
      for (const [position, variableIndex] of term.variables.entries()) {
        if (variables[variableIndex]?.kind === 'factor') {
          (codings[termIndex] as Coding[])[position] = 'dummies';
          break outer;
        }
      }
    }
  }
  return codings;
}
