import { parse } from 'csv-parse/sync';
import type { DataColumn, ModelData } from '../stats/models/data-column.ts';
import { typeColumn } from './column-typing.ts';
import { TableError, type TableProblem } from './errors.ts';

/** A typed table read from a CSV file. Satisfies the model layer's `ModelData`. */
export interface Table extends ModelData {
  readonly columns: readonly DataColumn[];
}

const MAX_LISTED_PROBLEMS = 20;

/**
 * Reads RFC 4180 CSV bytes (quoted fields with embedded commas, quotes and newlines; a header row is
 * required; blank lines are skipped; a UTF-8 byte-order mark is dropped) into a typed table: numeric
 * columns where every non-missing cell is a number, categorical otherwise (see `typeColumn`).
 * `source` names the file in error messages.
 * @throws TableError listing every problem found: bytes that are not UTF-8, an empty file, a missing or
 * duplicated header name, rows with more or fewer cells than the header, malformed quoting.
 * @example parseCsv(new TextEncoder().encode('y,x\n1,a\n'), 'data.csv').rowCount // 1
 */
export function parseCsv(bytes: Uint8Array, source: string): Table {
  const text = decodeUtf8(bytes, source);
  const records = parseRecords(text, source);
  const [header, ...rows] = records;
  if (header === undefined) {
    throw new TableError([
      { path: source, code: 'csv_empty', message: 'a CSV file requires a header row (got an empty file)' },
    ]);
  }
  checkHeader(header.record, source);
  checkRowLengths(header.record.length, rows, source);
  const columns = header.record.map((name, index) =>
    typeColumn(
      name.trim(),
      rows.map((row) => row.record[index] as string),
    ),
  );
  return createTable(source, columns, rows.length);
}

/** Builds a table from already-typed columns of equal length. */
export function createTable(source: string, columns: readonly DataColumn[], rowCount: number): Table {
  const byName = new Map(columns.map((column) => [column.name, column]));
  return {
    source,
    rowCount,
    columns,
    columnNames: columns.map((column) => column.name),
    findColumn: (name) => byName.get(name),
  };
}

interface ParsedRecord {
  record: string[];
  line: number;
}

function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const { line, column } = firstInvalidUtf8(bytes);
    throw new TableError([
      {
        path: `${source}:${line}:${column}`,
        code: 'csv_not_utf8',
        message: `a CSV file requires UTF-8 text (got a byte sequence that is not UTF-8 at line ${line}, byte ${column}; re-save the file as UTF-8)`,
      },
    ]);
  }
}

/** Line and byte-in-line (both 1-based) of the first byte sequence that is not valid UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let lineStart = 0;
  let position = 0;
  while (position < bytes.length) {
    const byte = bytes[position] as number;
    const length = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
    try {
      if (length === 0) throw new Error('continuation byte');
      decoder.decode(bytes.subarray(position, position + length));
    } catch {
      break;
    }
    if (byte === 0x0a) {
      line++;
      lineStart = position + 1;
    }
    position += length;
  }
  return { line, column: position - lineStart + 1 };
}

function parseRecords(text: string, source: string): ParsedRecord[] {
  try {
    const parsed = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed.map(({ record, info }) => ({ record, line: info.lines }));
  } catch (error) {
    const details = error as { message?: string; lines?: number; code?: string };
    const line = details.lines ?? 0;
    throw new TableError([
      {
        path: `${source}:${line}`,
        code: 'csv_malformed',
        message: `a CSV file requires RFC 4180 quoting (got ${describeCsvParseError(details.code, details.message)} at line ${line})`,
      },
    ]);
  }
}

function describeCsvParseError(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field that is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a character after a closing quote';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a character after a closing quote';
    default:
      return message ?? 'unreadable CSV';
  }
}

function checkHeader(header: readonly string[], source: string): void {
  const problems: TableProblem[] = [];
  const firstColumnOf = new Map<string, number>();
  header.forEach((rawName, index) => {
    const name = rawName.trim();
    const column = index + 1;
    if (name === '') {
      problems.push({
        path: `${source}:1:${column}`,
        code: 'csv_header_missing',
        message: `a CSV header requires a name for every column (got an empty name in column ${column})`,
      });
      return;
    }
    const earlier = firstColumnOf.get(name);
    if (earlier !== undefined) {
      problems.push({
        path: `${source}:1:${column}`,
        code: 'csv_duplicate_header',
        message: `a CSV header requires unique column names (got "${name}" in columns ${earlier} and ${column})`,
      });
    } else {
      firstColumnOf.set(name, column);
    }
  });
  if (problems.length > 0) throw new TableError(problems);
}

function checkRowLengths(expected: number, rows: readonly ParsedRecord[], source: string): void {
  const ragged = rows.filter((row) => row.record.length !== expected);
  if (ragged.length === 0) return;
  const problems: TableProblem[] = ragged.slice(0, MAX_LISTED_PROBLEMS).map((row) => ({
    path: `${source}:${row.line}`,
    code: 'csv_ragged_row',
    message: `every CSV row requires ${expected} cells as in the header (got ${row.record.length} at line ${row.line})`,
  }));
  if (ragged.length > MAX_LISTED_PROBLEMS) {
    problems.push({
      path: source,
      code: 'csv_ragged_row',
      message: `every CSV row requires ${expected} cells as in the header (got ${ragged.length - MAX_LISTED_PROBLEMS} more rows that differ)`,
    });
  }
  throw new TableError(problems);
}
