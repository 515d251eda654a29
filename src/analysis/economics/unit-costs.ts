import type { DataColumn, ModelData } from '../../stats/index.ts';
import { parseNumericCell } from '../../table/index.ts';
import type { DataProblem } from '../../trial/index.ts';
import type { ResourceName, UnitCost, UnitCostTable } from './economics-types.ts';
import { EconomicsInputError } from './errors.ts';

/** A costed resource: its name in the unit costs file, its label, and the dataset columns that count it. */
export interface ResourceDefinition {
  resource: ResourceName;
  label: string;
  /** Columns summed to the units used; empty for the fixed per-participant cost of the peer support service. */
  columns: readonly string[];
}

/**
 * The resources enrich costs, in report order: hospital and community mental health services from the
 * 12-month service use columns, peer worker contacts (before and after discharge), and the per-participant
 * fixed cost of the peer support service (training, supervision, coordination), charged to every
 * participant randomised to peer support.
 */
export const RESOURCES: readonly ResourceDefinition[] = [
  { resource: 'bed_day', label: 'Psychiatric inpatient bed days', columns: ['bed_days_12m'] },
  {
    resource: 'crisis_team_contact',
    label: 'Crisis resolution and home treatment team contacts',
    columns: ['crisis_contacts_12m'],
  },
  {
    resource: 'liaison_psychiatry_episode',
    label: 'Liaison psychiatry (A&E) episodes',
    columns: ['liaison_contacts_12m'],
  },
  {
    resource: 'community_team_contact',
    label: 'Community mental health team contacts',
    columns: ['community_contacts_12m'],
  },
  {
    resource: 'peer_worker_contact',
    label: 'Peer worker contacts',
    columns: ['pw_contacts_hospital', 'pw_contacts_community'],
  },
  {
    resource: 'peer_support_service',
    label: 'Peer support service (training, supervision, coordination)',
    columns: [],
  },
];

/** Columns of a unit costs file. */
export const UNIT_COST_COLUMNS = ['resource', 'unit', 'cost', 'currency', 'price_year', 'source'] as const;

/** The text of a cell as written ('' when missing), whatever the column's type. */
export function cellText(column: DataColumn, row: number): string {
  if (column.kind === 'numeric') {
    const value = column.values[row] as number;
    return Number.isNaN(value) ? '' : String(value);
  }
  const code = column.codes[row] as number;
  return code < 0 ? '' : (column.levels[code] as string);
}

/**
 * Reads and validates a unit costs table (a parsed CSV with columns `resource, unit, cost, currency,
 * price_year, source`; docs/guides/economic-evaluation.md): each resource one of {@link RESOURCES}, at most
 * once; each cost a number >= 0; one currency throughout. Every problem is collected before throwing.
 * Resources may be left out; `economicEvaluation` then requires a unit cost only for resources the dataset
 * uses. O(rows).
 * @throws EconomicsInputError (`unit_costs_invalid`) naming every missing column and every bad row.
 * @example readUnitCosts(parseCsv(bytes, 'unit-costs.csv')).costs[0].resource // 'bed_day'
 */
export function readUnitCosts(table: ModelData): UnitCostTable {
  const problems: DataProblem[] = [];
  const report = (path: string, message: string) =>
    problems.push({ path: `${table.source}: ${path}`, code: 'unit_costs_invalid', message });
  const missing = UNIT_COST_COLUMNS.filter((name) => table.findColumn(name) === undefined);
  if (missing.length > 0) {
    report(
      'header',
      `a unit costs file requires columns ${UNIT_COST_COLUMNS.join(', ')} (got no ${missing.join(', ')})`,
    );
    throw new EconomicsInputError(problems);
  }
  const column = (name: string) => table.findColumn(name) as DataColumn;
  const known = RESOURCES.map((definition) => definition.resource as string);
  const seen = new Map<string, number>();
  const byResource = new Map<string, UnitCost>();
  const currencies = new Map<string, number[]>();
  for (let row = 0; row < table.rowCount; row++) {
    const at = `row ${row + 1}`;
    const resource = cellText(column('resource'), row).trim();
    if (resource === '') {
      report(`${at}, column resource`, `resource requires a name (got a missing value in ${at})`);
    } else if (!known.includes(resource)) {
      report(
        `${at}, column resource`,
        `resource requires one of ${known.join(', ')} (got "${resource}" in ${at})`,
      );
    } else if (seen.has(resource)) {
      report(
        `${at}, column resource`,
        `resource requires each resource once (got "${resource}" in rows ${seen.get(resource)} and ${row + 1})`,
      );
    } else {
      seen.set(resource, row + 1);
    }
    const costColumn = column('cost');
    const costText = cellText(costColumn, row).trim();
    const cost =
      costColumn.kind === 'numeric'
        ? (costColumn.values[row] as number)
        : (parseNumericCell(costText) ?? Number.NaN);
    if (costText === '') {
      report(`${at}, column cost`, `cost requires a number >= 0 (got a missing value in ${at})`);
    } else if (!Number.isFinite(cost)) {
      report(`${at}, column cost`, `cost requires a number >= 0 (got "${costText}" in ${at})`);
    } else if (cost < 0) {
      report(`${at}, column cost`, `cost requires a number >= 0 (got ${cost} in ${at})`);
    }
    const currency = cellText(column('currency'), row).trim();
    if (currency === '') {
      report(`${at}, column currency`, `currency requires a code such as GBP (got a missing value in ${at})`);
    } else {
      currencies.set(currency, [...(currencies.get(currency) ?? []), row + 1]);
    }
    if (known.includes(resource) && Number.isFinite(cost) && cost >= 0 && !byResource.has(resource)) {
      byResource.set(resource, {
        resource: resource as ResourceName,
        unit: cellText(column('unit'), row).trim(),
        cost,
        currency,
        priceYear: cellText(column('price_year'), row).trim(),
        source: cellText(column('source'), row).trim(),
      });
    }
  }
  if (currencies.size > 1) {
    report(
      'column currency',
      `a unit costs file requires one currency (got ${[...currencies].map(([code, rows]) => `${code} in row${rows.length > 1 ? 's' : ''} ${rows.join(', ')}`).join('; ')})`,
    );
  }
  if (table.rowCount === 0) report('(rows)', 'a unit costs file requires at least one row (got none)');
  if (problems.length > 0) throw new EconomicsInputError(problems);
  return {
    source: table.source,
    currency: [...currencies.keys()][0] as string,
    costs: RESOURCES.flatMap((definition) => {
      const cost = byResource.get(definition.resource);
      return cost === undefined ? [] : [cost];
    }),
  };
}
