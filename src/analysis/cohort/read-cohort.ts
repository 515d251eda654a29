import { formatCsvCell, type Table, unguardCsvText } from '../../table/index.ts';
import { type DataProblem, type InstrumentDefinition, scoreInstrument } from '../../trial/index.ts';
import type { CohortMeasure } from './cohort-measures.ts';
import { CohortDataError } from './errors.ts';

/** A score's key: the measure id, or `measure.subscale`. */
export type CohortScoreKey = string;

/** Scored questionnaires: one entry per peer worker × timepoint, item answers discarded after scoring. */
export interface CohortScores {
  readonly source: string;
  readonly rows: readonly {
    readonly worker: string;
    readonly timepoint: 1 | 2 | 3;
    /** Score key -> score; absent when too few items were answered. */
    readonly scores: ReadonlyMap<CohortScoreKey, number>;
  }[];
}

/** One configured norm: a population mean and SD for a score, and where they come from. */
export interface CohortNorm {
  readonly measure: string;
  readonly subscale: string | null;
  readonly mean: number;
  readonly sd: number;
  readonly source: string;
}

function textCell(table: Table, name: string, row: number): string | undefined {
  const column = table.findColumn(name);
  if (column === undefined) return undefined;
  if (column.kind === 'numeric') {
    const value = column.values[row] as number;
    return Number.isNaN(value) ? undefined : String(value);
  }
  const code = column.codes[row] as number;
  return code < 0 ? undefined : column.levels[code]?.trim();
}

/**
 * Reads and scores a peer worker questionnaire file: one row per peer worker × timepoint with `worker_id`,
 * `timepoint` (1, 2 or 3) and one column per item of every measure (missing = unanswered). Each measure and
 * subscale is scored by the trial's instrument scoring (`scoreInstrument`: reverse items, sum or mean,
 * prorating above `minimumAnswered`); the item answers are not kept. Every problem is collected; messages
 * give the line and column but never the value of an answer (a coordinator may see the error).
 * @throws CohortDataError (`cohort_data_invalid`): missing columns, a missing worker id, a timepoint other
 *   than 1-3, the same worker twice at a timepoint, an answer that is not a whole number in the item's range.
 * @example readCohortResponses(parseCsv(bytes, 'cohort.csv'), PLACEHOLDER_COHORT_MEASURES).rows.length
 */
export function readCohortResponses(table: Table, measures: readonly CohortMeasure[]): CohortScores {
  const problems: DataProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ path: `${table.source}: ${path}`, code: 'cohort_data_invalid', message });
  const required = [
    'worker_id',
    'timepoint',
    ...measures.flatMap((measure) => measure.items.map((item) => item.id)),
  ];
  const missing = required.filter((name) => table.findColumn(name) === undefined);
  if (missing.length > 0) {
    problem(
      'columns',
      `a questionnaire file requires the columns ${missing.join(', ')} (got ${table.columnNames.join(', ')})`,
    );
    throw new CohortDataError(problems);
  }
  const seen = new Map<string, number>();
  const rows: { worker: string; timepoint: 1 | 2 | 3; scores: Map<string, number> }[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const line = row + 2;
    const worker = textCell(table, 'worker_id', row);
    const timepointText = textCell(table, 'timepoint', row);
    const timepoint = Number(timepointText);
    let valid = true;
    if (worker === undefined || worker === '') {
      problem(`line ${line}, column worker_id`, 'a questionnaire requires a worker_id (got a missing cell)');
      valid = false;
    }
    if (![1, 2, 3].includes(timepoint)) {
      problem(
        `line ${line}, column timepoint`,
        `timepoint requires 1, 2 or 3 (got "${timepointText ?? ''}")`,
      );
      valid = false;
    }
    if (valid) {
      const key = JSON.stringify([worker, timepoint]);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problem(
          `line ${line}, column worker_id`,
          `a peer worker requires one questionnaire per timepoint (got a second at T${timepoint}; line ${earlier})`,
        );
        valid = false;
      } else seen.set(key, line);
    }
    const scores = new Map<string, number>();
    for (const measure of measures) {
      const responses: Record<string, number | null> = {};
      let responsesValid = true;
      for (const item of measure.items) {
        const column = table.findColumn(item.id);
        const value = column?.kind === 'numeric' ? (column.values[row] as number) : Number.NaN;
        const minimum = item.minimum ?? measure.minimum;
        const maximum = item.maximum ?? measure.maximum;
        const missingCell =
          column?.kind === 'numeric' ? Number.isNaN(value) : (column?.codes[row] as number) < 0;
        if (missingCell) {
          responses[item.id] = null;
        } else if (!Number.isInteger(value) || value < minimum || value > maximum) {
          // The value itself is not echoed: it is a person's answer.
          problem(
            `line ${line}, column ${item.id}`,
            `${measure.id} item ${item.id} requires a whole number from ${minimum} to ${maximum} (got a value outside it)`,
          );
          responsesValid = false;
        } else {
          responses[item.id] = value;
        }
      }
      if (!responsesValid) {
        valid = false;
        continue;
      }
      // scoreInstrument reads every field of an instrument but its construct.
      const score = scoreInstrument(measure as InstrumentDefinition, responses);
      if (score.total !== undefined) scores.set(measure.id, score.total);
      for (const subscale of measure.subscales) {
        const value = score.subscales[subscale.id];
        if (value !== undefined) scores.set(`${measure.id}.${subscale.id}`, value);
      }
    }
    if (valid) rows.push({ worker: worker as string, timepoint: timepoint as 1 | 2 | 3, scores });
  }
  if (table.rowCount === 0) problem('rows', 'a questionnaire file requires at least one row (got none)');
  if (problems.length > 0) throw new CohortDataError(problems);
  return { source: table.source, rows };
}

/** One norm as read, before its checks; `at(column)` names where it came from in problem paths. */
interface NormCandidate {
  readonly measureId: string;
  readonly subscale: string | null;
  readonly mean: number;
  readonly sd: number;
  readonly source: string;
  /** The mean and SD as written, for messages. */
  readonly meanText: string;
  readonly sdText: string;
  readonly at: (column: string) => string;
}

/** Checks norms against the measures (every problem collected) and returns the valid ones. */
function checkNorms(
  candidates: readonly NormCandidate[],
  measures: readonly CohortMeasure[],
  problem: (path: string, message: string) => void,
): CohortNorm[] {
  const norms: CohortNorm[] = [];
  const seen = new Set<string>();
  for (const { measureId, subscale, mean, sd, source, meanText, sdText, at } of candidates) {
    const measure = measures.find((candidate) => candidate.id === measureId);
    let valid = true;
    if (measure === undefined) {
      problem(
        at('measure'),
        `a norm requires a measure of the cohort (${measures.map((m) => m.id).join(', ')}) (got "${measureId}")`,
      );
      valid = false;
    } else if (subscale !== null && !measure.subscales.some((candidate) => candidate.id === subscale)) {
      problem(
        at('subscale'),
        `a norm requires a subscale of ${measureId} or an empty cell (got "${subscale}")`,
      );
      valid = false;
    }
    if (!Number.isFinite(mean)) {
      problem(at('mean'), `a norm requires a finite mean (got "${meanText}")`);
      valid = false;
    }
    if (!(sd > 0) || !Number.isFinite(sd)) {
      problem(at('sd'), `a norm requires an SD above 0 (got "${sdText}")`);
      valid = false;
    }
    if (source === '') {
      problem(at('source'), 'a norm requires its source (got a missing cell)');
      valid = false;
    }
    const key = `${measureId}.${subscale ?? ''}`;
    if (seen.has(key)) {
      problem(
        at('measure'),
        `a score requires at most one norm (got a second for ${subscale === null ? measureId : `${measureId}.${subscale}`})`,
      );
      valid = false;
    }
    seen.add(key);
    if (valid) norms.push({ measure: measureId, subscale, mean, sd, source });
  }
  return norms;
}

/**
 * Reads a norms file: columns `measure`, `subscale` (empty for the total), `mean`, `sd` and `source`, one row
 * per score. Every problem is collected.
 * @throws CohortDataError (`cohort_norms_invalid`): missing columns, an unknown measure or subscale, a
 *   non-finite mean, an SD not above 0, an empty source, two norms for one score.
 * @example readCohortNorms(parseCsv(bytes, 'norms.csv'), PLACEHOLDER_COHORT_MEASURES)[0]?.mean
 */
export function readCohortNorms(table: Table, measures: readonly CohortMeasure[]): CohortNorm[] {
  const problems: DataProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ path: `${table.source}: ${path}`, code: 'cohort_norms_invalid', message });
  const missing = ['measure', 'subscale', 'mean', 'sd', 'source'].filter(
    (name) => table.findColumn(name) === undefined,
  );
  if (missing.length > 0) {
    problem(
      'columns',
      `a norms file requires the columns ${missing.join(', ')} (got ${table.columnNames.join(', ')})`,
    );
    throw new CohortDataError(problems);
  }
  const candidates = Array.from({ length: table.rowCount }, (_, row): NormCandidate => {
    const meanText = textCell(table, 'mean', row) ?? '';
    const sdText = textCell(table, 'sd', row) ?? '';
    return {
      measureId: textCell(table, 'measure', row) ?? '',
      subscale: textCell(table, 'subscale', row) ?? null,
      mean: Number(textCell(table, 'mean', row)),
      sd: Number(textCell(table, 'sd', row)),
      // A source written by formatCohortNormsCsv with a guard apostrophe reads back as written.
      source: unguardCsvText(textCell(table, 'source', row) ?? ''),
      meanText,
      sdText,
      at: (column) => `line ${row + 2}, column ${column}`,
    };
  });
  const norms = checkNorms(candidates, measures, problem);
  if (problems.length > 0) throw new CohortDataError(problems);
  return norms;
}

/**
 * Checks norms given as data (the trial's stored norms, an API body) exactly as {@link readCohortNorms}
 * checks a norms file: a measure and subscale of the cohort, a finite mean, an SD above 0, a source, at most
 * one norm per score. Problem paths read `<source>: norms[i].<field>`.
 * @throws CohortDataError (`cohort_norms_invalid`) listing every problem.
 * @example validateCohortNorms([{ measure: 'wellbeing', subscale: null, mean: 51, sd: 7, source: 'S' }], PLACEHOLDER_COHORT_MEASURES)
 */
export function validateCohortNorms(
  norms: readonly CohortNorm[],
  measures: readonly CohortMeasure[],
  source = 'norms',
): CohortNorm[] {
  const problems: DataProblem[] = [];
  const checked = checkNorms(
    norms.map((norm, index) => ({
      measureId: norm.measure,
      subscale: norm.subscale === '' ? null : norm.subscale,
      mean: norm.mean,
      sd: norm.sd,
      source: norm.source.trim(),
      meanText: String(norm.mean),
      sdText: String(norm.sd),
      at: (column: string) => `norms[${index}].${column}`,
    })),
    measures,
    (path, message) => problems.push({ path: `${source}: ${path}`, code: 'cohort_norms_invalid', message }),
  );
  if (problems.length > 0) throw new CohortDataError(problems);
  return checked;
}

/**
 * The norms as the CSV file {@link readCohortNorms} reads (`measure,subscale,mean,sd,source`; an empty
 * subscale for a measure's total; numbers as JavaScript prints them, which read back exactly; a text cell that
 * a spreadsheet would take for a formula is guarded with a leading apostrophe, see `formatCsvCell`).
 * @example formatCohortNormsCsv([{ measure: 'wellbeing', subscale: null, mean: 51, sd: 7, source: 'S' }])
 * // 'measure,subscale,mean,sd,source\nwellbeing,,51,7,S\n'
 */
export function formatCohortNormsCsv(norms: readonly CohortNorm[]): string {
  // Text cells guarded against spreadsheet formulas (a source starting with = + - @ gets an apostrophe that
  // readCohortNorms removes); numbers stay numbers.
  const lines = norms.map((norm) =>
    [norm.measure, norm.subscale ?? '', norm.mean, norm.sd, norm.source].map(formatCsvCell).join(','),
  );
  return `${['measure,subscale,mean,sd,source', ...lines].join('\n')}\n`;
}
