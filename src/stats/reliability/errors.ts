import { StatsError } from '../errors.ts';

/**
 * Data that a reliability statistic cannot use: a non-numeric item or rating, fewer than two items or
 * raters, fewer than two complete rows, a single category, a column that is not in the file.
 * Code `reliability_data_invalid` (docs/reference/errors.md).
 */
export class ReliabilityDataError extends StatsError {
  constructor(message: string) {
    super('reliability_data_invalid', message);
  }
}
