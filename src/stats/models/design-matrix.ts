/**
 * A model matrix as R's `model.matrix()` builds it: column-major values, R's column names, and for each
 * column the index of the formula term it came from (`assign`; 0 is the intercept).
 */
export interface DesignMatrix {
  readonly rowCount: number;
  readonly columnCount: number;
  /** Column-major: element (row i, column j) is `values[j * rowCount + i]`. */
  readonly values: Float64Array;
  /** R's names: `(Intercept)`, `age`, `factor(race)2`, `woolB:tensionM`. */
  readonly columnNames: readonly string[];
  /** Term index of each column; 0 for the intercept, 1.. for the formula's terms in order. */
  readonly assign: readonly number[];
  readonly hasIntercept: boolean;
}

/** Column `j` of the design matrix as a view (no copy). */
export function designColumn(design: DesignMatrix, column: number): Float64Array {
  return design.values.subarray(column * design.rowCount, (column + 1) * design.rowCount);
}

/** Builds a design matrix from named columns (each of length `rowCount`), for tests and callers without a formula. */
export function createDesignMatrix(
  columns: readonly { name: string; values: ArrayLike<number> }[],
  options: { hasIntercept?: boolean; assign?: readonly number[] } = {},
): DesignMatrix {
  const rowCount = columns[0]?.values.length ?? 0;
  const values = new Float64Array(rowCount * columns.length);
  columns.forEach((column, j) => {
    if (column.values.length !== rowCount) {
      throw new RangeError(
        `createDesignMatrix requires columns of equal length (got ${column.values.length} for ${column.name}, expected ${rowCount})`,
      );
    }
    for (let i = 0; i < rowCount; i++) values[j * rowCount + i] = column.values[i] as number;
  });
  const hasIntercept = options.hasIntercept ?? columns[0]?.name === '(Intercept)';
  return {
    rowCount,
    columnCount: columns.length,
    values,
    columnNames: columns.map((column) => column.name),
    assign: options.assign ?? columns.map((_, j) => (hasIntercept ? j : j + 1)),
    hasIntercept,
  };
}
