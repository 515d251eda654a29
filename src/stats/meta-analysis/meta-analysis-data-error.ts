import { StatsError } from '../errors.ts';

/** One problem found in study-level data: where (`path`), a stable `code`, and a message. */
export interface MetaAnalysisProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Study-level data that cannot be meta-analysed (events above the group size, a non-positive SD or
 * variance, a missing value, ...). Carries every problem found, not only the first, so the user can fix
 * them all at once; code `meta_data_invalid`.
 */
export class MetaAnalysisDataError extends StatsError {
  readonly problems: readonly MetaAnalysisProblem[];
  constructor(problems: readonly MetaAnalysisProblem[]) {
    super('meta_data_invalid', problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.problems = problems;
  }
}
