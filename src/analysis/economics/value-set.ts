import type { ModelData } from '../../stats/index.ts';
import { parseNumericCell } from '../../table/index.ts';
import type { DataProblem } from '../../trial/index.ts';
import type { ValueSet } from './economics-types.ts';
import { describeRows, EconomicsInputError } from './errors.ts';
import { cellText } from './unit-costs.ts';

/** Dataset columns holding EQ-5D descriptive states (five digits, one per dimension: MO SC UA PD AD). */
export const EQ5D_STATE_COLUMNS = { baseline: 'eq5d_baseline_state', fourMonth: 'eq5d_4m_state' } as const;

function statePattern(version: '3L' | '5L'): RegExp {
  return version === '3L' ? /^[1-3]{5}$/ : /^[1-5]{5}$/;
}

/**
 * Reads an EQ-5D value set: a parsed CSV with columns `state` (five digits, levels 1-3 for EQ-5D-3L or
 * 1-5 for EQ-5D-5L, e.g. `11223`) and `utility` (a number <= 1). States need not be complete; a state the
 * dataset uses but the value set lacks is reported by {@link utilitiesFromStates}. O(rows).
 * @throws EconomicsInputError (`value_set_invalid`) naming every bad row: a missing column, a malformed
 *   state, a repeated state, a utility that is missing, not a number or above 1.
 * @example readValueSet(parseCsv(bytes, 'uk-3l.csv'), '3L').utilities.get('11111') // 1
 */
export function readValueSet(table: ModelData, version: '3L' | '5L'): ValueSet {
  const problems: DataProblem[] = [];
  const report = (path: string, message: string) =>
    problems.push({ path: `${table.source}: ${path}`, code: 'value_set_invalid', message });
  const stateColumn = table.findColumn('state');
  const utilityColumn = table.findColumn('utility');
  if (stateColumn === undefined || utilityColumn === undefined) {
    report('header', 'a value set requires columns state and utility (got no state or utility column)');
    throw new EconomicsInputError(problems);
  }
  const pattern = statePattern(version);
  const utilities = new Map<string, number>();
  const firstRow = new Map<string, number>();
  for (let row = 0; row < table.rowCount; row++) {
    const at = `row ${row + 1}`;
    const state = cellText(stateColumn, row).trim();
    if (!pattern.test(state)) {
      report(
        `${at}, column state`,
        `an EQ-5D-${version} state requires five digits ${version === '3L' ? '1-3' : '1-5'} (got "${state}" in ${at})`,
      );
      continue;
    }
    if (firstRow.has(state)) {
      report(
        `${at}, column state`,
        `a value set requires each state once (got ${state} in rows ${firstRow.get(state)} and ${row + 1})`,
      );
      continue;
    }
    firstRow.set(state, row + 1);
    const text = cellText(utilityColumn, row).trim();
    const utility =
      utilityColumn.kind === 'numeric'
        ? (utilityColumn.values[row] as number)
        : (parseNumericCell(text) ?? Number.NaN);
    if (!Number.isFinite(utility) || utility > 1) {
      report(
        `${at}, column utility`,
        `a utility requires a number <= 1 (got ${text === '' ? 'a missing value' : `"${text}"`} for state ${state} in ${at})`,
      );
      continue;
    }
    utilities.set(state, utility);
  }
  if (table.rowCount === 0) report('(rows)', 'a value set requires at least one state (got none)');
  if (problems.length > 0) throw new EconomicsInputError(problems);
  return { source: table.source, version, utilities };
}

/**
 * Utilities at baseline and 4 months from EQ-5D states in the dataset's `eq5d_baseline_state` and
 * `eq5d_4m_state` columns (five digits; a missing cell gives a missing utility), looked up in `valueSet`.
 * The columns may have been read as numbers (11223) or text ("11223"); both are accepted.
 * @throws EconomicsInputError (`eq5d_state_invalid`) naming the rows of every malformed state (wrong length,
 *   a level outside the version's range) and of every state the value set does not contain; or naming a
 *   missing state column.
 * @example utilitiesFromStates(dataset, valueSet).baseline[0] // the utility of participant 1's baseline state
 */
export function utilitiesFromStates(
  data: ModelData,
  valueSet: ValueSet,
): { baseline: Float64Array; fourMonth: Float64Array } {
  const problems: DataProblem[] = [];
  const pattern = statePattern(valueSet.version);
  const read = (name: string): Float64Array => {
    const out = new Float64Array(data.rowCount).fill(Number.NaN);
    const column = data.findColumn(name);
    if (column === undefined) {
      problems.push({
        path: `${data.source}: column ${name}`,
        code: 'eq5d_state_invalid',
        message: `utilities from a value set require a column ${name} of EQ-5D states (got none)`,
      });
      return out;
    }
    const malformed = new Map<string, number[]>();
    const unknown = new Map<string, number[]>();
    for (let row = 0; row < data.rowCount; row++) {
      const state = cellText(column, row).trim();
      if (state === '') continue;
      if (!pattern.test(state)) malformed.set(state, [...(malformed.get(state) ?? []), row + 1]);
      else if (!valueSet.utilities.has(state)) unknown.set(state, [...(unknown.get(state) ?? []), row + 1]);
      else out[row] = valueSet.utilities.get(state) as number;
    }
    for (const [state, rows] of malformed) {
      problems.push({
        path: `${data.source}: column ${name}`,
        code: 'eq5d_state_invalid',
        message: `${name} requires EQ-5D-${valueSet.version} states of five digits ${valueSet.version === '3L' ? '1-3' : '1-5'} (got "${state}" in ${describeRows(rows)})`,
      });
    }
    for (const [state, rows] of unknown) {
      problems.push({
        path: `${data.source}: column ${name}`,
        code: 'eq5d_state_invalid',
        message: `${name} requires states that the value set ${valueSet.source} contains (got ${state} in ${describeRows(rows)})`,
      });
    }
    return out;
  };
  const baseline = read(EQ5D_STATE_COLUMNS.baseline);
  const fourMonth = read(EQ5D_STATE_COLUMNS.fourMonth);
  if (problems.length > 0) throw new EconomicsInputError(problems);
  return { baseline, fourMonth };
}
