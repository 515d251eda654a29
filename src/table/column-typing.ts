import type { DataColumn } from '../stats/models/data-column.ts';

const MISSING_MARKERS = new Set(['', 'NA']);
const LOGICAL_VALUES = new Map([
  ['TRUE', 1],
  ['FALSE', 0],
  ['True', 1],
  ['False', 0],
  ['true', 1],
  ['false', 0],
]);
const NUMBER_PATTERN = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INFINITY_PATTERN = /^\s*([+-]?)Inf\s*$/;

/** Whether a CSV cell counts as missing: empty or `NA`, as R's `read.csv(na.strings = c("NA", ""))`. */
export function isMissingCell(cell: string): boolean {
  return MISSING_MARKERS.has(cell.trim());
}

/** The number a cell holds (`TRUE`/`FALSE` read as 1/0, `Inf`/`-Inf` as infinities), or undefined. */
export function parseNumericCell(cell: string): number | undefined {
  if (NUMBER_PATTERN.test(cell)) return Number(cell);
  const logical = LOGICAL_VALUES.get(cell.trim());
  if (logical !== undefined) return logical;
  const infinity = INFINITY_PATTERN.exec(cell);
  if (infinity) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}

/**
 * Types one column of cells as R's `read.csv(stringsAsFactors = TRUE)` would: numeric when every
 * non-missing cell is a number (or TRUE/FALSE), otherwise categorical with its distinct values as levels
 * in sorted (code-point, R's C-locale) order. Missing cells become NaN or code -1. O(n log k).
 * @example typeColumn('arm', ['b', 'a', 'NA']) // { kind: 'categorical', levels: ['a', 'b'], codes: [1, 0, -1] }
 */
export function typeColumn(name: string, cells: readonly string[]): DataColumn {
  const values = new Float64Array(cells.length);
  let numeric = true;
  for (let row = 0; row < cells.length; row++) {
    const cell = cells[row] as string;
    if (isMissingCell(cell)) {
      values[row] = Number.NaN;
      continue;
    }
    const parsed = parseNumericCell(cell);
    if (parsed === undefined) {
      numeric = false;
      break;
    }
    values[row] = parsed;
  }
  if (numeric) return { kind: 'numeric', name, values };
  return categoricalColumn(name, cells);
}

function categoricalColumn(name: string, cells: readonly string[]): DataColumn {
  const distinct = new Set<string>();
  for (const cell of cells) if (!isMissingCell(cell)) distinct.add(cell);
  const levels = [...distinct].sort(compareCodePoints);
  const index = new Map(levels.map((level, position) => [level, position]));
  const codes = new Int32Array(cells.length);
  cells.forEach((cell, row) => {
    codes[row] = isMissingCell(cell) ? -1 : (index.get(cell) as number);
  });
  return { kind: 'categorical', name, levels, codes };
}

function compareCodePoints(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
