/** Errors raised by the table layer; `code` values are listed in docs/reference/errors.md. */

/** One problem found in a file: where (`path`: file, line, column), a stable `code` and a message. */
export interface TableProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A file that cannot be read as a table. Carries every problem found (not only the first), so the user
 * can fix them all at once; `code` is the first problem's code.
 */
export class TableError extends Error {
  readonly code: string;
  readonly problems: readonly TableProblem[];
  constructor(problems: readonly TableProblem[]) {
    const first = problems[0];
    if (first === undefined) throw new RangeError('TableError requires at least one problem');
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'TableError';
    this.code = first.code;
    this.problems = problems;
  }
}
