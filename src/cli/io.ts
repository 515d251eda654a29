import { readFileSync, writeFileSync } from 'node:fs';
import { parseCsv, type Table } from '../table/index.ts';
import { InputFileError } from './errors.ts';

/** The streams a command writes to; tests pass in-memory ones. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * The bytes of the file at `path`; `what` names it in the message (`input file`, `analysis plan`, ...).
 * @throws InputFileError when it cannot be read.
 */
export function readInputBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputFileError(`${what} ${path} requires a readable file (got ${reason})`);
  }
}

/** Writes `text` to `path`; `what` names the output in the message. @throws InputFileError when it cannot be written. */
export function writeOutputText(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new InputFileError(`${what} ${path} requires a writable path (got ${(error as Error).message})`);
  }
}

/** Reads and types the CSV file at `path`. @throws InputFileError when it cannot be read; TableError when it is not a valid CSV. */
export function readTableFile(path: string): Table {
  return parseCsv(readInputBytes(path, 'input file'), path);
}
