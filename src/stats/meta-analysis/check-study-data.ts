import { InvalidArgumentError } from '../errors.ts';
import { MetaAnalysisDataError, type MetaAnalysisProblem } from './meta-analysis-data-error.ts';
import { type EffectMeasure, MEASURE_DATA_KIND, type StudyData } from './types.ts';

/**
 * Checks every row of study-level data for `measure` and throws once with every problem found: a missing
 * value or study label, a non-finite number, a count that is not a whole number, events below 0 or above
 * the group size, a group size below 1, a standard deviation or sampling variance that is not positive,
 * and, for SMD, fewer than 4 participants (Hedges' correction needs n1 + n2 - 2 > 1). Nothing is computed
 * from data that fails; metafor::escalc would stop at the first of these or return NA.
 *
 * `source` prefixes each problem's path (`source:row 3:events1`, rows counted from 1 after the header).
 *
 * @throws MetaAnalysisDataError (code `meta_data_invalid`) listing every problem.
 * @throws InvalidArgumentError when the data kind does not fit the measure or columns differ in length.
 * @example
 * checkStudyData('RR', { kind: 'binary', study: ['A'], events1: [3], n1: [10], events2: [4], n2: [12] }, 'x.csv');
 */
export function checkStudyData(measure: EffectMeasure, data: StudyData, source = 'data'): void {
  const expectedKind = MEASURE_DATA_KIND[measure];
  if (data.kind !== expectedKind) {
    throw new InvalidArgumentError(
      `measure ${measure} requires ${expectedKind} study data (got ${data.kind} study data)`,
    );
  }
  const columns = dataColumns(data);
  for (const [name, values] of Object.entries(columns)) {
    if (values.length !== data.study.length) {
      throw new InvalidArgumentError(
        `study data requires columns of equal length (got ${data.study.length} study labels and ${values.length} values of ${name})`,
      );
    }
  }
  const problems: MetaAnalysisProblem[] = [];
  for (let row = 0; row < data.study.length; row++) {
    const label = data.study[row] ?? '';
    const where = (column: string) => `${source}:row ${row + 1}:${column}`;
    const who = label === '' ? `row ${row + 1}` : `study "${label}"`;
    if (label.trim() === '') {
      problems.push({
        path: where('study'),
        code: 'meta_value_missing',
        message: 'a study requires a label (got a missing value)',
      });
    }
    const value = (column: string): number | undefined => {
      const number = (columns[column] as ArrayLike<number>)[row] as number;
      if (Number.isNaN(number)) {
        problems.push({
          path: where(column),
          code: 'meta_value_missing',
          message: `${who} requires a value of ${column} (got a missing value)`,
        });
        return undefined;
      }
      if (!Number.isFinite(number)) {
        invalid(column, `a finite ${column}`, String(number));
        return undefined;
      }
      return number;
    };
    const invalid = (column: string, expectation: string, actual: string) => {
      problems.push({
        path: where(column),
        code: 'meta_value_invalid',
        message: `${who} requires ${expectation} (got ${actual})`,
      });
    };
    const groupSize = (column: string): number | undefined => {
      const n = value(column);
      if (n === undefined) return undefined;
      if (!Number.isInteger(n) || n < 1) {
        invalid(column, `${column} to be a whole number >= 1`, String(n));
        return undefined;
      }
      return n;
    };
    if (data.kind === 'binary') {
      for (const arm of ['1', '2']) {
        const n = groupSize(`n${arm}`);
        const events = value(`events${arm}`);
        if (events === undefined) continue;
        if (!Number.isInteger(events) || events < 0) {
          invalid(`events${arm}`, `events${arm} to be a whole number >= 0`, String(events));
        } else if (n !== undefined && events > n) {
          invalid(`events${arm}`, `events${arm} <= n${arm}`, `${events} > ${n}`);
        }
      }
    } else if (data.kind === 'continuous') {
      const sizes: (number | undefined)[] = [];
      for (const arm of ['1', '2']) {
        value(`mean${arm}`);
        const sd = value(`sd${arm}`);
        if (sd !== undefined && !(sd > 0)) invalid(`sd${arm}`, `sd${arm} > 0`, String(sd));
        sizes.push(groupSize(`n${arm}`));
      }
      const [n1, n2] = sizes;
      if (measure === 'SMD' && n1 !== undefined && n2 !== undefined && n1 + n2 < 4) {
        invalid('n1', 'n1 + n2 >= 4 for SMD (Hedges correction needs n1 + n2 - 2 > 1)', String(n1 + n2));
      }
    } else {
      value('yi');
      const variance = value('vi');
      if (variance !== undefined && !(variance > 0))
        invalid('vi', 'a sampling variance vi > 0', String(variance));
    }
  }
  if (problems.length > 0) throw new MetaAnalysisDataError(problems);
}

function dataColumns(data: StudyData): Record<string, ArrayLike<number>> {
  switch (data.kind) {
    case 'binary':
      return { events1: data.events1, n1: data.n1, events2: data.events2, n2: data.n2 };
    case 'continuous':
      return { mean1: data.mean1, sd1: data.sd1, n1: data.n1, mean2: data.mean2, sd2: data.sd2, n2: data.n2 };
    case 'generic':
      return { yi: data.yi, vi: data.vi };
  }
}
