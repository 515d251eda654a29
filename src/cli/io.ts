import { readFileSync } from 'node:fs';
import { parseCsv, type Table } from '../table/index.ts';
import { InputFileError } from './errors.ts';

/** The streams a command writes to; tests pass in-memory ones. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Reads and types the CSV file at `path`. @throws InputFileError when it cannot be read; TableError when it is not a valid CSV. */
export function readTableFile(path: string): Table {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputFileError(`input file ${path} requires a readable file (got ${reason})`);
  }
  return parseCsv(bytes, path);
}
