import type { CategoricalColumn, DataColumn, ModelData, NumericColumn } from '../stats/models/data-column.ts';
import {
  ANALYSIS_DATASET_COLUMNS,
  type ColumnSpec,
  DESIGN_COLUMNS,
  SAE_COLUMNS,
} from './analysis-dataset-schema.ts';
import { type DataProblem, DatasetError } from './errors.ts';
import { createModelData, typeColumnBySpec } from './typed-columns.ts';

/**
 * A validated analysis dataset: every column of the data dictionary typed (categories in the dictionary's
 * level order, so `arm` has `usual_care` as reference; dates as days since 1970-01-01), unknown columns kept
 * as read. It is `ModelData`, so formulas can be fitted on it directly.
 */
export interface AnalysisDataset extends ModelData {
  readonly participantIds: readonly string[];
  readonly columns: readonly DataColumn[];
  /** The numeric column `name` (numbers, binaries, dates). @throws RangeError when absent or categorical. */
  numeric(name: string): Float64Array;
  /** The categorical column `name`. @throws RangeError when absent or numeric. */
  categorical(name: string): CategoricalColumn;
}

/** A validated serious adverse events file (one row per event). */
export type SaeDataset = AnalysisDataset;

/**
 * Validates a table against the analysis dataset's data dictionary (docs/reference/data-dictionary.md):
 * every column present, design columns (participant_id, site, arm, diagnosis_group) never missing, every
 * value in its domain, participant_id unique. Collects every problem (each offending row and column).
 * O(n · columns).
 * @throws DatasetError listing all problems; nothing is returned for a dataset with any problem.
 * @example readAnalysisDataset(parseCsv(bytes, 'trial.csv')).categorical('arm').levels // ['usual_care', 'peer_support']
 */
export function readAnalysisDataset(table: ModelData): AnalysisDataset {
  const problems: DataProblem[] = [];
  const dataset = typeBySchema(
    table,
    ANALYSIS_DATASET_COLUMNS,
    DESIGN_COLUMNS,
    'the analysis dataset',
    problems,
  );
  checkUniqueIdentifiers(dataset, table.source, problems);
  if (problems.length > 0) throw new DatasetError(problems);
  return dataset;
}

/**
 * Validates a serious adverse events file: columns participant_id, onset_date, category, related, all
 * required in every row, and every participant_id present in `dataset`.
 * @throws DatasetError listing all problems.
 */
export function readSaeDataset(table: ModelData, dataset: AnalysisDataset): SaeDataset {
  const problems: DataProblem[] = [];
  const names = SAE_COLUMNS.map((spec) => spec.name);
  const sae = typeBySchema(table, SAE_COLUMNS, names, 'the serious adverse events file', problems);
  if (problems.length === 0) {
    const known = new Set(dataset.participantIds);
    sae.participantIds.forEach((id, row) => {
      if (!known.has(id)) {
        problems.push({
          path: `${table.source}: row ${row + 1}, column participant_id`,
          code: 'dataset_unknown_participant',
          message: `participant_id requires a participant of the analysis dataset ${dataset.source} (got "${id}" in row ${row + 1})`,
        });
      }
    });
  }
  if (problems.length > 0) throw new DatasetError(problems);
  return sae;
}

function typeBySchema(
  table: ModelData,
  specs: readonly ColumnSpec[],
  requiredValues: readonly string[],
  what: string,
  problems: DataProblem[],
): AnalysisDataset {
  const missing = specs.filter((spec) => table.findColumn(spec.name) === undefined).map((spec) => spec.name);
  for (const name of missing) {
    problems.push({
      path: table.source,
      code: 'dataset_column_missing',
      message: `${what} requires a column "${name}" (got columns ${table.columnNames.join(', ')})`,
    });
  }
  const specByName = new Map(specs.map((spec) => [spec.name, spec]));
  const columns = table.columnNames.map((name) => {
    const column = table.findColumn(name) as DataColumn;
    const spec = specByName.get(name);
    if (spec === undefined) return column;
    return typeColumnBySpec(column, spec, table.source, requiredValues.includes(name), problems);
  });
  return createDataset(table.source, table.rowCount, columns);
}

function checkUniqueIdentifiers(dataset: AnalysisDataset, source: string, problems: DataProblem[]): void {
  const firstRow = new Map<string, number>();
  dataset.participantIds.forEach((id, row) => {
    if (id === '') return;
    const earlier = firstRow.get(id);
    if (earlier === undefined) {
      firstRow.set(id, row);
      return;
    }
    problems.push({
      path: `${source}: row ${row + 1}, column participant_id`,
      code: 'dataset_duplicate_id',
      message: `participant_id requires unique values (got "${id}" in rows ${earlier + 1} and ${row + 1})`,
    });
  });
}

/** Builds the dataset object over typed columns (used by the reader and by the simulator). */
export function createDataset(
  source: string,
  rowCount: number,
  columns: readonly DataColumn[],
): AnalysisDataset {
  const modelData = createModelData(source, rowCount, columns);
  const identifiers = modelData.findColumn('participant_id');
  const participantIds =
    identifiers?.kind === 'categorical'
      ? Array.from(identifiers.codes, (code) => (code < 0 ? '' : (identifiers.levels[code] as string)))
      : [];
  return {
    ...modelData,
    columns,
    participantIds,
    numeric(name: string): Float64Array {
      const column = modelData.findColumn(name);
      if (column?.kind !== 'numeric')
        throw new RangeError(`dataset requires a numeric column "${name}" (got ${column?.kind ?? 'none'})`);
      return (column as NumericColumn).values;
    },
    categorical(name: string): CategoricalColumn {
      const column = modelData.findColumn(name);
      if (column?.kind !== 'categorical') {
        throw new RangeError(
          `dataset requires a categorical column "${name}" (got ${column?.kind ?? 'none'})`,
        );
      }
      return column;
    },
  };
}
