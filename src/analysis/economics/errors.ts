/**
 * Errors of the economic evaluation's own input files (unit costs, EQ-5D value sets). Like the analysis
 * layer's errors they extend the trial layer's `DatasetError`: every problem is collected and reported at
 * once with a path (file, row, column), a stable code and a message `<what> requires <expectation> (got <actual>)`.
 * Codes: `unit_costs_invalid`, `value_set_invalid` (the files themselves), `unit_cost_missing` (a resource
 * used in the dataset without a unit cost), `eq5d_state_invalid` (a malformed or unknown EQ-5D state in the
 * dataset). Problems with the analysis dataset itself are `AnalysisDataError`s (`economics_arm_empty`).
 */
import { type DataProblem, DatasetError } from '../../trial/index.ts';

/** A unit costs or value set file, or the EQ-5D states of the dataset, that cannot be used. */
export class EconomicsInputError extends DatasetError {
  constructor(problems: readonly DataProblem[]) {
    super(problems);
    this.name = 'EconomicsInputError';
  }
}

/** "rows 3, 7 and 9" or "rows 3, 7, 9, ... (25 rows)": data rows (1-based) for messages. */
export function describeRows(rows: readonly number[], limit = 10): string {
  if (rows.length === 1) return `row ${rows[0]}`;
  if (rows.length <= limit) return `rows ${rows.slice(0, -1).join(', ')} and ${rows.at(-1)}`;
  return `rows ${rows.slice(0, limit).join(', ')}, ... (${rows.length} rows)`;
}
