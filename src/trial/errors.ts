/** Errors raised by the trial layer; `code` values are listed in docs/reference/errors.md. */

/** One problem in a user's data file: where (`path`: file, line, column), a stable `code`, a message. */
export interface DataProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A dataset that cannot be analysed. Carries every problem found (all rows and columns, not only the first)
 * so the user can fix them in one pass; `code` is the first problem's code.
 */
export class DatasetError extends Error {
  readonly code: string;
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[]) {
    const first = problems[0];
    if (first === undefined) throw new RangeError('DatasetError requires at least one problem');
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'DatasetError';
    this.code = first.code;
    this.problems = problems;
  }
}
