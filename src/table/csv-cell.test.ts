import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from './csv.ts';
import { formatCsvCell, unguardCsvText } from './csv-cell.ts';

describe('formatCsvCell: spreadsheet formula injection', () => {
  it('guards text that starts a formula with an apostrophe and quotes it; leaves numbers and plain text', () => {
    assert.equal(formatCsvCell('=1+1'), `"'=1+1"`);
    assert.equal(formatCsvCell('+44 20'), `"'+44 20"`);
    assert.equal(formatCsvCell('-survey'), `"'-survey"`);
    assert.equal(formatCsvCell('@SUM(A1)'), `"'@SUM(A1)"`);
    assert.equal(formatCsvCell('\tx'), `"'\tx"`);
    assert.equal(formatCsvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(formatCsvCell(-1.5), '-1.5');
    assert.equal(formatCsvCell('Survey, 2020'), '"Survey, 2020"');
    assert.equal(formatCsvCell('plain'), 'plain');
    assert.equal(formatCsvCell("it's"), "it's");
  });

  it('reads back to the text written, through parseCsv and unguardCsvText', () => {
    const texts = ['=1+1', "'=1+1", "''-x", '-', '@', "it's", 'a "quoted", text', 'plain', "'plain"];
    const csv = `value\n${texts.map(formatCsvCell).join('\n')}\n`;
    const table = parseCsv(new TextEncoder().encode(csv), 'cells.csv');
    const column = table.findColumn('value');
    assert.ok(column !== undefined && column.kind !== 'numeric');
    const read = Array.from(column.codes, (code) => unguardCsvText(column.levels[code] as string));
    assert.deepEqual(read, texts);
  });
});
