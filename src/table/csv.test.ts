import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from './csv.ts';
import { TableError } from './errors.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function problemsOf(run: () => unknown): { code: string; messages: string[] } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TableError, `expected a TableError, got ${error}`);
    return {
      code: error.code,
      messages: error.problems.map((problem) => `${problem.path}: ${problem.message}`),
    };
  }
  assert.fail('expected parseCsv to throw');
}

describe('parseCsv', () => {
  it('reads RFC 4180 quoting: embedded commas, doubled quotes and newlines', () => {
    const table = parseCsv(
      bytes('id,"note, free text"\n1,"a ""quoted"" word"\n2,"two\nlines"\n'),
      'notes.csv',
    );
    assert.equal(table.rowCount, 2);
    assert.deepEqual(table.columnNames, ['id', 'note, free text']);
    const note = table.findColumn('note, free text');
    assert.ok(note?.kind === 'categorical');
    assert.deepEqual(note.levels, ['a "quoted" word', 'two\nlines']);
  });

  it('types numeric, logical and categorical columns and reads NA and empty cells as missing', () => {
    const table = parseCsv(
      bytes('\ufeffy,flag,arm\n1.5,TRUE,usual_care\nNA,FALSE,peer_support\n-2e3,,\n'),
      'typed.csv',
    );
    const y = table.findColumn('y');
    const flag = table.findColumn('flag');
    const arm = table.findColumn('arm');
    assert.ok(y?.kind === 'numeric' && flag?.kind === 'numeric' && arm?.kind === 'categorical');
    assert.deepEqual(Array.from(y.values), [1.5, Number.NaN, -2000]);
    assert.deepEqual(Array.from(flag.values), [1, 0, Number.NaN]);
    // Levels sorted as R's factor() in the C locale; the first level is the reference.
    assert.deepEqual(arm.levels, ['peer_support', 'usual_care']);
    assert.deepEqual(Array.from(arm.codes), [1, 0, -1]);
  });

  it('makes a column categorical when any value is not a number', () => {
    const table = parseCsv(bytes('x\n1\n2\nthree\n'), 'mixed.csv');
    const x = table.findColumn('x');
    assert.ok(x?.kind === 'categorical');
    assert.deepEqual(x.levels, ['1', '2', 'three']);
  });

  it('skips blank lines and accepts CRLF line ends', () => {
    const table = parseCsv(bytes('a,b\r\n1,2\r\n\r\n3,4\r\n'), 'crlf.csv');
    assert.equal(table.rowCount, 2);
  });

  it('reads quote-free files in one pass exactly as the quoted path: numbers, NA, CRLF, blank lines', () => {
    // The same cells with and without a quoted header (which sends the file through csv-parse) must agree.
    const body = '1.5,NA,a\r\n.5,,b\r\n\r\n-2e3,+1,a\r\n1.,1E-2,c\r\n';
    const simple = parseCsv(bytes(`y,x,arm\r\n${body}`), 'simple.csv');
    const quoted = parseCsv(bytes(`y,"x",arm\r\n${body}`), 'quoted.csv');
    assert.equal(simple.rowCount, 4);
    assert.deepEqual(simple.columnNames, quoted.columnNames);
    for (const name of simple.columnNames) assert.deepEqual(simple.findColumn(name), quoted.findColumn(name));
    const y = simple.findColumn('y');
    const x = simple.findColumn('x');
    assert.ok(y?.kind === 'numeric' && x?.kind === 'numeric');
    assert.deepEqual(Array.from(y.values), [1.5, 0.5, -2000, 1]);
    assert.deepEqual(Array.from(x.values), [Number.NaN, Number.NaN, 1, 0.01]);
  });

  it('leaves cells that are not plain numbers to the column typing rules (spaces, TRUE, Inf, text)', () => {
    const table = parseCsv(bytes('a,b,c,d\n 1 ,TRUE,Inf,1\n2,FALSE,-Inf,x1\n'), 'rules.csv');
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => table.findColumn(name));
    assert.ok(a?.kind === 'numeric' && b?.kind === 'numeric' && c?.kind === 'numeric');
    assert.deepEqual(Array.from(a.values), [1, 2]);
    assert.deepEqual(Array.from(b.values), [1, 0]);
    assert.deepEqual(Array.from(c.values), [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    assert.ok(d?.kind === 'categorical');
    assert.deepEqual(d.levels, ['1', 'x1']);
  });

  it('reports ragged rows of a quote-free CRLF file with their lines', () => {
    assert.deepEqual(
      problemsOf(() => parseCsv(bytes('a,b\r\n1,2\r\n\r\n3\r\n'), 'ragged-crlf.csv')),
      {
        code: 'csv_ragged_row',
        messages: ['ragged-crlf.csv:4: every CSV row requires 2 cells as in the header (got 1 at line 4)'],
      },
    );
  });

  it('rejects an empty file', () => {
    assert.deepEqual(
      problemsOf(() => parseCsv(bytes(''), 'empty.csv')),
      { code: 'csv_empty', messages: ['empty.csv: a CSV file requires a header row (got an empty file)'] },
    );
  });

  it('rejects duplicate and empty header names, naming each column', () => {
    assert.deepEqual(
      problemsOf(() => parseCsv(bytes('a,b,a,\n1,2,3,4\n'), 'header.csv')),
      {
        code: 'csv_duplicate_header',
        messages: [
          'header.csv:1:3: a CSV header requires unique column names (got "a" in columns 1 and 3)',
          'header.csv:1:4: a CSV header requires a name for every column (got an empty name in column 4)',
        ],
      },
    );
  });

  it('reports every ragged row with its line', () => {
    assert.deepEqual(
      problemsOf(() => parseCsv(bytes('a,b\n1,2\n3\n4,5,6\n'), 'ragged.csv')),
      {
        code: 'csv_ragged_row',
        messages: [
          'ragged.csv:3: every CSV row requires 2 cells as in the header (got 1 at line 3)',
          'ragged.csv:4: every CSV row requires 2 cells as in the header (got 3 at line 4)',
        ],
      },
    );
  });

  it('rejects a quote that is never closed', () => {
    assert.deepEqual(
      problemsOf(() => parseCsv(bytes('a,b\n1,"open\n'), 'quote.csv')),
      {
        code: 'csv_malformed',
        messages: [
          'quote.csv:2: a CSV file requires RFC 4180 quoting (got a quoted field that is never closed at line 2)',
        ],
      },
    );
  });

  it('rejects bytes that are not UTF-8, naming line and byte', () => {
    const latin1 = Uint8Array.from([...bytes('name\nJos'), 0xe9, 0x0a]);
    assert.deepEqual(
      problemsOf(() => parseCsv(latin1, 'latin1.csv')),
      {
        code: 'csv_not_utf8',
        messages: [
          'latin1.csv:2:4: a CSV file requires UTF-8 text (got a byte sequence that is not UTF-8 at line 2, byte 4; re-save the file as UTF-8)',
        ],
      },
    );
  });
});
