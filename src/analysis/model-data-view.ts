import type { DataColumn, ModelData } from '../stats/index.ts';

/**
 * `data` restricted to `rows` (0-based, in the given order), with `extra` columns (already of length
 * `rows.length`) added or replacing same-named ones. Categorical columns keep all their levels; model frames
 * drop the unused ones, as R's `glm` does on a subset data frame. O(rows · columns used), lazily per column.
 * @example subsetModelData(dataset, Int32Array.of(0, 2), []).rowCount // 2
 */
export function subsetModelData(
  data: ModelData,
  rows: Int32Array | undefined,
  extra: readonly DataColumn[],
): ModelData {
  const rowCount = rows === undefined ? data.rowCount : rows.length;
  const cache = new Map<string, DataColumn>(extra.map((column) => [column.name, column]));
  const names = [
    ...data.columnNames,
    ...extra.map((column) => column.name).filter((name) => !data.columnNames.includes(name)),
  ];
  return {
    source: data.source,
    rowCount,
    columnNames: names,
    findColumn(name: string): DataColumn | undefined {
      const cached = cache.get(name);
      if (cached !== undefined) return cached;
      const column = data.findColumn(name);
      if (column === undefined) return undefined;
      const subset = rows === undefined ? column : subsetColumn(column, rows);
      cache.set(name, subset);
      return subset;
    },
  };
}

function subsetColumn(column: DataColumn, rows: Int32Array): DataColumn {
  if (column.kind === 'numeric') {
    const values = new Float64Array(rows.length);
    for (let index = 0; index < rows.length; index++)
      values[index] = column.values[rows[index] as number] as number;
    return { kind: 'numeric', name: column.name, values };
  }
  const codes = new Int32Array(rows.length);
  for (let index = 0; index < rows.length; index++)
    codes[index] = column.codes[rows[index] as number] as number;
  return { kind: 'categorical', name: column.name, levels: column.levels, codes };
}
