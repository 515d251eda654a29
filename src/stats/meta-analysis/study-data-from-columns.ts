import type { DataColumn, ModelData } from '../models/data-column.ts';
import { MetaAnalysisDataError, type MetaAnalysisProblem } from './meta-analysis-data-error.ts';
import { type EffectMeasure, MEASURE_DATA_KIND, type StudyData } from './types.ts';

/** Study data read from named columns, with each study's subgroup when one was asked for. */
export interface StudyDataWithSubgroups {
  readonly data: StudyData;
  readonly subgroup?: {
    readonly column: string;
    readonly groupOf: readonly string[];
    readonly levels: readonly string[];
  };
}

/** The columns each measure reads, besides `study`. */
export const STUDY_COLUMNS: Readonly<Record<StudyData['kind'], readonly string[]>> = {
  binary: ['events1', 'n1', 'events2', 'n2'],
  continuous: ['mean1', 'sd1', 'n1', 'mean2', 'sd2', 'n2'],
  generic: ['yi', 'vi'],
};

/**
 * Reads study-level data for `measure` from named columns (a typed CSV table): `study, events1, n1,
 * events2, n2` for RR/OR/RD; `study, mean1, sd1, n1, mean2, sd2, n2` for SMD/MD; `study, yi, vi` for
 * GEN; plus the subgroup column if given. Numeric study labels are used as written; numeric subgroups
 * are ordered by value, text subgroups in code-point order (as R's `factor()` in the C locale).
 * Row values are checked later by `checkStudyData` (called by `escalc`).
 *
 * @throws MetaAnalysisDataError listing every missing or non-numeric column, or every study whose
 *   subgroup is missing.
 * @example
 * // studyDataFromColumns(parseCsv(bytes, 'trials.csv'), 'RR', 'setting')
 */
export function studyDataFromColumns(
  table: ModelData,
  measure: EffectMeasure,
  subgroupColumn?: string,
): StudyDataWithSubgroups {
  const kind = MEASURE_DATA_KIND[measure];
  const problems: MetaAnalysisProblem[] = [];
  const find = (name: string, purpose = `measure ${measure}`): DataColumn | undefined => {
    const column = table.findColumn(name);
    if (column === undefined) {
      problems.push({
        path: table.source,
        code: 'meta_column_missing',
        message: `${purpose} requires a column "${name}" (got columns ${table.columnNames.join(', ')})`,
      });
    }
    return column;
  };
  const studyColumn = find('study');
  const numeric: Record<string, Float64Array> = {};
  for (const name of STUDY_COLUMNS[kind]) {
    const column = find(name);
    if (column === undefined) continue;
    if (column.kind !== 'numeric') {
      const example = column.levels[0] ?? '';
      problems.push({
        path: `${table.source}:${name}`,
        code: 'meta_column_not_numeric',
        message: `column "${name}" requires numbers (got text such as "${example}")`,
      });
      continue;
    }
    numeric[name] = column.values;
  }
  const subgroup = subgroupColumn === undefined ? undefined : find(subgroupColumn, 'the subgroup analysis');
  if (problems.length > 0) throw new MetaAnalysisDataError(problems);
  const study = labels(studyColumn as DataColumn);
  const values = (name: string) => numeric[name] as Float64Array;
  const data: StudyData =
    kind === 'binary'
      ? {
          kind,
          study,
          events1: values('events1'),
          n1: values('n1'),
          events2: values('events2'),
          n2: values('n2'),
        }
      : kind === 'continuous'
        ? {
            kind,
            study,
            mean1: values('mean1'),
            sd1: values('sd1'),
            n1: values('n1'),
            mean2: values('mean2'),
            sd2: values('sd2'),
            n2: values('n2'),
          }
        : { kind, study, yi: values('yi'), vi: values('vi') };
  if (subgroup === undefined || subgroupColumn === undefined) return { data };
  const groupOf = labels(subgroup);
  groupOf.forEach((group, row) => {
    if (group === '') {
      problems.push({
        path: `${table.source}:row ${row + 1}:${subgroupColumn}`,
        code: 'meta_value_missing',
        message: `study "${study[row]}" requires a subgroup in column "${subgroupColumn}" (got a missing value)`,
      });
    }
  });
  if (problems.length > 0) throw new MetaAnalysisDataError(problems);
  const levels =
    subgroup.kind === 'numeric'
      ? [...new Set(subgroup.values)].sort((a, b) => a - b).map(String)
      : subgroup.levels.filter((level) => groupOf.includes(level));
  return { data, subgroup: { column: subgroupColumn, groupOf, levels } };
}

/** Row labels of a column; '' where missing. */
function labels(column: DataColumn): string[] {
  if (column.kind === 'numeric') {
    return Array.from(column.values, (value) => (Number.isNaN(value) ? '' : String(value)));
  }
  return Array.from(column.codes, (code) => (code < 0 ? '' : (column.levels[code] ?? '')));
}
