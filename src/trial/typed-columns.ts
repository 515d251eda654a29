import type { CategoricalColumn, DataColumn, ModelData, NumericColumn } from '../stats/models/data-column.ts';
import type { ColumnSpec } from './analysis-dataset-schema.ts';
import type { DataProblem } from './errors.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO `YYYY-MM-DD` calendar date, or undefined when it is not one. */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return time / MS_PER_DAY;
}

/** ISO `YYYY-MM-DD` of a day number from {@link parseIsoDate}. */
export function formatIsoDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The text of each row's cell (`undefined` where missing), whatever type the table gave the column. */
export function cellTexts(column: DataColumn): (string | undefined)[] {
  if (column.kind === 'categorical') {
    return Array.from(column.codes, (code) => (code < 0 ? undefined : column.levels[code]));
  }
  return Array.from(column.values, (value) => (Number.isNaN(value) ? undefined : String(value)));
}

/** Where a cell is, for problem reports: the file, the data row (1-based) and the column. */
function cellPath(source: string, row: number, column: string): string {
  return `${source}: row ${row + 1}, column ${column}`;
}

/**
 * Checks one column against its spec and returns it typed: categories re-levelled in the spec's order,
 * dates as numeric days since 1970-01-01, binaries and numbers as numbers. Pushes one problem per bad cell.
 */
export function typeColumnBySpec(
  column: DataColumn,
  spec: ColumnSpec,
  source: string,
  required: boolean,
  problems: DataProblem[],
): DataColumn {
  const texts = cellTexts(column);
  const problem = (row: number, expectation: string, got: string) =>
    problems.push({
      path: cellPath(source, row, spec.name),
      code: 'dataset_value_invalid',
      message: `${spec.name} requires ${expectation} (got ${got} in row ${row + 1})`,
    });
  if (required) {
    texts.forEach((text, row) => {
      if (text === undefined) {
        problems.push({
          path: cellPath(source, row, spec.name),
          code: 'dataset_value_missing',
          message: `${spec.name} requires a value in every row (got a missing value in row ${row + 1})`,
        });
      }
    });
  }
  switch (spec.kind) {
    case 'identifier':
    case 'label':
      return categorical(spec.name, texts, [...new Set(texts.filter(isDefined))].sort(compareText));
    case 'category': {
      const allowed = new Set(spec.levels);
      texts.forEach((text, row) => {
        if (text !== undefined && !allowed.has(text))
          problem(row, `one of ${spec.levels.join(', ')}`, `"${text}"`);
      });
      return categorical(spec.name, texts, spec.levels);
    }
    case 'date':
      return numeric(
        spec.name,
        texts.map((text, row) => {
          if (text === undefined) return Number.NaN;
          const days = parseIsoDate(text);
          if (days === undefined) problem(row, 'an ISO date YYYY-MM-DD', `"${text}"`);
          return days ?? Number.NaN;
        }),
      );
    case 'binary':
      return numeric(
        spec.name,
        texts.map((text, row) => {
          if (text === undefined) return Number.NaN;
          if (text !== '0' && text !== '1') problem(row, '0 or 1', `"${text}"`);
          return Number(text);
        }),
      );
    case 'number':
      return numeric(
        spec.name,
        texts.map((text, row) => {
          if (text === undefined) return Number.NaN;
          const value = Number(text);
          if (text.trim() === '' || !Number.isFinite(value)) problem(row, 'a number', `"${text}"`);
          else if (spec.integer && !Number.isInteger(value)) problem(row, 'a whole number', text);
          else if (spec.minimum !== undefined && value < spec.minimum)
            problem(row, `a value >= ${spec.minimum}`, text);
          else if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum)
            problem(row, `a value > ${spec.exclusiveMinimum}`, text);
          else if (spec.maximum !== undefined && value > spec.maximum)
            problem(row, `a value <= ${spec.maximum}`, text);
          return value;
        }),
      );
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function categorical(
  name: string,
  texts: readonly (string | undefined)[],
  levels: readonly string[],
): CategoricalColumn {
  const index = new Map(levels.map((level, position) => [level, position]));
  return {
    kind: 'categorical',
    name,
    levels,
    codes: Int32Array.from(texts, (text) => (text === undefined ? -1 : (index.get(text) ?? -1))),
  };
}

function numeric(name: string, values: readonly number[]): NumericColumn {
  return { kind: 'numeric', name, values: Float64Array.from(values) };
}

/** A ModelData view over typed columns. */
export function createModelData(source: string, rowCount: number, columns: readonly DataColumn[]): ModelData {
  const byName = new Map(columns.map((column) => [column.name, column]));
  return {
    source,
    rowCount,
    columnNames: columns.map((column) => column.name),
    findColumn: (name) => byName.get(name),
  };
}
