import type { ModelData } from '../../stats/models/data-column.ts';
import type { ColumnSpec } from '../analysis-dataset-schema.ts';
import { formatIsoDate } from '../typed-columns.ts';

/**
 * Writes typed columns as CSV text in the order of `specs` (the data dictionary's order): a header row,
 * one row per participant, `\n` line ends, missing values as empty cells, dates as ISO `YYYY-MM-DD`,
 * binaries as `0`/`1`, numbers in JavaScript's shortest round-trip form (so parsing the text gives the same
 * doubles back), text quoted as RFC 4180 only when it holds a comma, quote or line break. O(n · columns).
 *
 * @throws RangeError when a column of `specs` is not in `data`.
 * @example
 * formatDatasetCsv(simulateTrialFromSeed({}, 1).dataset, ANALYSIS_DATASET_COLUMNS).split('\n')[0];
 * // 'participant_id,site,arm,diagnosis_group,...'
 */
export function formatDatasetCsv(data: ModelData, specs: readonly ColumnSpec[]): string {
  const writers = specs.map((spec) => {
    const column = data.findColumn(spec.name);
    if (column === undefined) {
      throw new RangeError(
        `formatDatasetCsv requires a column "${spec.name}" (got ${data.columnNames.join(', ')})`,
      );
    }
    if (column.kind === 'categorical') {
      const texts = column.levels.map(quote);
      return (row: number) => {
        const code = column.codes[row] as number;
        return code < 0 ? '' : (texts[code] as string);
      };
    }
    const values = column.values;
    if (spec.kind === 'date') {
      return (row: number) => {
        const value = values[row] as number;
        return Number.isNaN(value) ? '' : formatIsoDate(value);
      };
    }
    return (row: number) => {
      const value = values[row] as number;
      return Number.isNaN(value) ? '' : String(value);
    };
  });
  const lines: string[] = [specs.map((spec) => quote(spec.name)).join(',')];
  for (let row = 0; row < data.rowCount; row++) {
    lines.push(writers.map((write) => write(row)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
