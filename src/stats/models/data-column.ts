/**
 * The column types a model frame reads. The table layer produces them from CSV files; callers may also
 * build them directly.
 */

/** A numeric column; a missing value is NaN (only ever inside this type, never in a result). */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * A categorical column as R's `factor()`: `levels` in order (the first is the reference level) and,
 * for each row, the index of its level, or -1 where the value is missing.
 */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

export type DataColumn = NumericColumn | CategoricalColumn;

/** Named columns of equal length: what a formula is evaluated against. */
export interface ModelData {
  readonly rowCount: number;
  /** The column called `name`, or undefined. */
  findColumn(name: string): DataColumn | undefined;
  readonly columnNames: readonly string[];
  /** Names the data in error messages (a file name, "request body", ...). */
  readonly source: string;
}

/** Whether row `row` of `column` is missing. */
export function isMissing(column: DataColumn, row: number): boolean {
  return column.kind === 'numeric'
    ? Number.isNaN(column.values[row] as number)
    : (column.codes[row] as number) < 0;
}
