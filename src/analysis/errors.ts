/**
 * Errors of the analysis layer; `code` values are listed in docs/reference/errors.md. Both are data problems
 * in the user's files (the plan, or a dataset the pre-specified analysis cannot use), so they extend the
 * trial layer's `DatasetError`: every problem is collected and reported at once, each with a path, a stable
 * code and a message `<what> requires <expectation> (got <actual>)`.
 */
import { type DataProblem, DatasetError } from '../trial/index.ts';

/**
 * An analysis plan (`--sap plan.json`) that cannot be used: unknown keys, wrong types, values out of range,
 * columns that the dataset does not have. Codes `analysis_plan_invalid` (shape and values) and
 * `analysis_plan_column_unknown` (a column not in the dataset).
 */
export class AnalysisPlanError extends DatasetError {
  constructor(problems: readonly DataProblem[]) {
    super(problems);
    this.name = 'AnalysisPlanError';
  }
}

/**
 * A valid dataset on which the pre-specified analysis cannot be run: an arm with no participants
 * (`analysis_arm_empty`), an outcome with no events or only events (`analysis_outcome_degenerate`).
 */
export class AnalysisDataError extends DatasetError {
  constructor(problems: readonly DataProblem[]) {
    super(problems);
    this.name = 'AnalysisDataError';
  }
}
