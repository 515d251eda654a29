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
  const simple = splitSimpleCsv(text);
  if (simple !== undefined) {
    checkHeader(simple.header, source);
    const columns = simple.header.map((name, index) =>
      typeCells(name.trim(), simple.columns[index] as string[]),
    );
    return createTable(source, columns, simple.rowCount);
  }
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
    typeCells(
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

/** A CSV without quotes split into header and cells by column; see {@link splitSimpleCsv}. */
interface SimpleCsv {
  header: string[];
  columns: string[][];
  rowCount: number;
}

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

/**
 * The common case read in one pass without csv-parse: no quote character anywhere, line ends all `\n` or all
 * `\r\n`, and every non-empty line with as many cells as the header. Such text has exactly one reading under
 * RFC 4180 (and csv-parse's options above): records are the non-empty lines and cells the text between commas.
 * Anything else (quotes, lone `\r`, a second byte-order mark, ragged rows, no header) returns undefined, and
 * csv-parse reads the file and reports the problems with their line numbers.
 */
function splitSimpleCsv(text: string): SimpleCsv | undefined {
  if (text.includes('"') || text.charCodeAt(0) === 0xfeff) return undefined;
  let crlf = false;
  if (text.includes('\r')) {
    let returns = 0;
    for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
      if (text.charCodeAt(at + 1) !== LINE_FEED) return undefined;
      returns++;
    }
    let feeds = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) feeds++;
    if (feeds !== returns) return undefined;
    crlf = true;
  }
  let header: string[] | undefined;
  let columns: string[][] = [];
  let width = 0;
  let rowCount = 0;
  const length = text.length;
  let position = 0;
  while (position < length) {
    let end = text.indexOf('\n', position);
    if (end === -1) end = length;
    const lineEnd = crlf && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end;
    if (lineEnd > position) {
      if (header === undefined) {
        header = text.slice(position, lineEnd).split(',');
        width = header.length;
        columns = header.map(() => []);
      } else {
        let cellStart = position;
        for (let column = 0; column < width - 1; column++) {
          const comma = text.indexOf(',', cellStart);
          if (comma === -1 || comma >= lineEnd) return undefined;
          (columns[column] as string[]).push(text.slice(cellStart, comma));
          cellStart = comma + 1;
        }
        const comma = text.indexOf(',', cellStart);
        if (comma !== -1 && comma < lineEnd) return undefined;
        (columns[width - 1] as string[]).push(text.slice(cellStart, lineEnd));
        rowCount++;
      }
    }
    position = end + 1;
  }
  if (header === undefined) return undefined;
  return { header, columns, rowCount };
}

/**
 * `typeColumn` with a fast path for the common numeric column: when every cell is empty, `NA` or a plain
 * decimal number (optional sign, digits with at most one point, optional exponent, no spaces) the values are
 * `Number(cell)` and NaN, exactly what `typeColumn` gives for those cells; any other cell hands the whole column
 * to `typeColumn`. Levels of categorical columns are copied so they do not keep the file's text alive.
 */
function typeCells(name: string, cells: readonly string[]): DataColumn {
  const values = new Float64Array(cells.length);
  for (let row = 0; row < cells.length; row++) {
    const cell = cells[row] as string;
    if (cell === '' || cell === 'NA') {
      values[row] = Number.NaN;
    } else if (isPlainNumber(cell)) {
      values[row] = Number(cell);
    } else {
      const column = typeColumn(name, cells);
      if (column.kind !== 'categorical') return column;
      return { ...column, levels: column.levels.map(detachString) };
    }
  }
  return { kind: 'numeric', name, values };
}

/** A copy of `text` that shares no memory with the string it was sliced from (a JSON round trip). */
function detachString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Whether `cell` is `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` (column-typing's number pattern without spaces). */
function isPlainNumber(cell: string): boolean {
  const length = cell.length;
  let at = 0;
  let code = cell.charCodeAt(0);
  if (code === 43 || code === 45) at++;
  let digits = 0;
  while (at < length && isDigit(cell.charCodeAt(at))) {
    at++;
    digits++;
  }
  if (at < length && cell.charCodeAt(at) === 46) {
    at++;
    while (at < length && isDigit(cell.charCodeAt(at))) {
      at++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (at === length) return true;
  code = cell.charCodeAt(at);
  if (code !== 101 && code !== 69) return false;
  at++;
  code = cell.charCodeAt(at);
  if (code === 43 || code === 45) at++;
  const exponentStart = at;
  while (at < length && isDigit(cell.charCodeAt(at))) at++;
  return at > exponentStart && at === length;
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
