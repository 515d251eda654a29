import { InvalidArgumentError, ModelDataError, ModelFitError } from '../errors.ts';
import type { SurvivalGroups } from './types.ts';

/**
 * The 1-based data row of observation `index`, for messages: `rowNumbers[index]`, or `index + 1`.
 * @example rowNumberOf(Int32Array.of(3, 7), 1) // 7
 */
export function rowNumberOf(rowNumbers: Int32Array | undefined, index: number): number {
  return rowNumbers?.[index] ?? index + 1;
}

/**
 * Checks right-censored survival data: equal lengths, finite non-negative times, 0/1 events, at least one
 * row. `what` names the calling function in messages (`cox`, `kaplanMeier`, `logrankTest`).
 * Complexity O(n).
 * @throws ModelDataError naming the first offending row; ModelFitError when there are no rows.
 * @example checkSurvivalData('cox', Float64Array.of(1, 2), Float64Array.of(1, 2), undefined) // throws: cox requires a 0/1 event (got 2 in row 2)
 */
export function checkSurvivalData(
  what: string,
  time: Float64Array,
  event: Float64Array,
  rowNumbers: Int32Array | undefined,
): void {
  if (time.length !== event.length) {
    throw new ModelDataError(
      `${what} requires time and event of equal length (got ${time.length} times and ${event.length} events)`,
    );
  }
  if (rowNumbers !== undefined && rowNumbers.length !== time.length) {
    throw new ModelDataError(
      `${what} requires one row number per observation (got ${rowNumbers.length} row numbers for ${time.length} observations)`,
    );
  }
  if (time.length === 0) throw new ModelFitError(`${what} requires at least one observation (got 0 rows)`);
  for (let i = 0; i < time.length; i++) {
    const value = time[i] as number;
    if (!Number.isFinite(value)) {
      throw new ModelDataError(
        `${what} requires finite times (got ${value} in row ${rowNumberOf(rowNumbers, i)})`,
      );
    }
    if (value < 0) {
      throw new ModelDataError(
        `${what} requires non-negative times (got ${value} in row ${rowNumberOf(rowNumbers, i)})`,
      );
    }
    const status = event[i] as number;
    if (status !== 0 && status !== 1) {
      throw new ModelDataError(
        `${what} requires a 0/1 event (got ${status} in row ${rowNumberOf(rowNumbers, i)})`,
      );
    }
  }
}

/**
 * Checks that every group code indexes `groups.labels` and that there is one code per observation.
 * Complexity O(n).
 * @throws ModelDataError naming the first offending row.
 * @example checkGroups('kaplanMeier', { labels: ['g=a'], codes: Int32Array.of(0, 1) }, 2, undefined) // throws: ... (got 1 in row 2)
 */
export function checkGroups(
  what: string,
  groups: SurvivalGroups,
  observationCount: number,
  rowNumbers: Int32Array | undefined,
): void {
  if (groups.codes.length !== observationCount) {
    throw new ModelDataError(
      `${what} requires one group code per observation (got ${groups.codes.length} codes for ${observationCount} observations)`,
    );
  }
  const labelCount = groups.labels.length;
  for (let i = 0; i < observationCount; i++) {
    const code = groups.codes[i] as number;
    if (code < 0 || code >= labelCount) {
      throw new ModelDataError(
        `${what} requires group codes from 0 to ${labelCount - 1} (got ${code} in row ${rowNumberOf(rowNumbers, i)})`,
      );
    }
  }
}

/**
 * Checks a two-sided confidence level.
 * @throws InvalidArgumentError unless 0 < level < 1.
 * @example checkConfidenceLevel('cox', 95) // throws: cox requires a confidence level between 0 and 1 (got 95)
 */
export function checkConfidenceLevel(what: string, level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new InvalidArgumentError(`${what} requires a confidence level between 0 and 1 (got ${level})`);
  }
}

/**
 * Indices 0..n-1 ordered by `time`, ties kept in their original order (as R's `order(time)`).
 * Sorts `indices` in place when given (a subset of rows), else 0..n-1. Complexity O(n log n).
 * @example orderByTime(Float64Array.of(3, 1, 3, 2)) // Int32Array [1, 3, 0, 2]
 */
export function orderByTime(time: Float64Array, indices?: Int32Array): Int32Array {
  let order = indices;
  if (order === undefined) {
    order = new Int32Array(time.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
  }
  order.sort((left, right) => (time[left] as number) - (time[right] as number) || left - right);
  return order;
}
