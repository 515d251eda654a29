/** Errors raised by the command-line program; `code` values are listed in docs/reference/errors.md. */

/** A command line that cannot be run: unknown command or option, missing or invalid value. Exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An input file that cannot be opened. Exit code 2. */
export class InputFileError extends Error {
  readonly code = 'file_unreadable';
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}
