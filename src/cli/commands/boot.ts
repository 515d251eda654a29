import type { BootCiResult, BootstrapResult, BootstrapStatistic, DataColumn } from '../../stats/index.ts';
import {
  BootstrapIntervalError,
  bootCi,
  bootstrap,
  createRRandom,
  differenceInMeansStatistic,
  ModelDataError,
  meanStatistic,
  medianStatistic,
  ratioOfMeansStatistic,
  sdStatistic,
} from '../../stats/index.ts';
import type { Table } from '../../table/index.ts';
import { optionalChoice, parseCommandArguments, requireFile, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { readTableFile } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { alignTable, formatNumber } from '../text-table.ts';

export const BOOT_USAGE =
  'enrich boot FILE.csv --statistic mean|median|sd|ratio-of-means|difference-in-means --column X [--column2 Y | --group G] [--strata S] --R 2000 --seed N [--conf 0.95] [--json]';

type StatisticName = 'mean' | 'median' | 'sd' | 'ratio-of-means' | 'difference-in-means';
const STATISTICS: readonly StatisticName[] = [
  'mean',
  'median',
  'sd',
  'ratio-of-means',
  'difference-in-means',
];

/** The `enrich boot` result, in the field order of the CLI contract. */
interface BootOutput {
  statistic: StatisticName;
  column: string;
  column2?: string;
  group?: string;
  groupLevels?: [string, string];
  strata?: string;
  n: number;
  nDropped: number;
  R: number;
  seed: number;
  conf: number;
  t0: number;
  bias: number;
  se: number;
  intervals: { normal: number[]; basic: number[]; percentile: number[]; bca: number[] | null };
  warnings: string[];
}

function usage(message: string): UsageError {
  return new UsageError(`${message}\nusage: ${BOOT_USAGE}`);
}

function wholeNumber(text: string, name: string, minimum: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < minimum || Math.abs(value) > 2147483647) {
    const range = minimum < 0 ? 'between -2147483647 and 2147483647' : `between ${minimum} and 2147483647`;
    throw usage(`--${name} requires a whole number ${range} (got "${text}")`);
  }
  return value;
}

/** Looks up the named columns; every missing or non-numeric one is reported at once. */
function getColumns(
  table: Table,
  wanted: { option: string; name: string; numeric: boolean }[],
): DataColumn[] {
  const problems: string[] = [];
  const columns = wanted.map(({ option, name, numeric }) => {
    const column = table.findColumn(name);
    if (column === undefined) {
      problems.push(
        `boot requires a column "${name}" for --${option} in ${table.source} (got columns ${table.columnNames.join(', ')})`,
      );
    } else if (numeric && column.kind !== 'numeric') {
      problems.push(
        `boot requires a numeric column "${name}" for --${option} (got non-numeric values such as "${column.levels[0]}")`,
      );
    }
    return column as DataColumn;
  });
  if (problems.length > 0) throw new ModelDataError(problems.join('\n'));
  return columns;
}

function isMissingAt(column: DataColumn, row: number): boolean {
  return column.kind === 'numeric'
    ? Number.isNaN(column.values[row] as number)
    : (column.codes[row] as number) < 0;
}

/** Level labels and 0-based level codes of a group or strata column over the kept rows (numbers sort numerically). */
function levelsOf(column: DataColumn, rows: readonly number[]): { labels: string[]; codes: Int32Array } {
  if (column.kind === 'categorical') {
    const used = [...new Set(rows.map((row) => column.codes[row] as number))].sort((a, b) => a - b);
    const recode = new Map(used.map((code, index) => [code, index]));
    return {
      labels: used.map((code) => column.levels[code] as string),
      codes: Int32Array.from(rows, (row) => recode.get(column.codes[row] as number) as number),
    };
  }
  const values = [...new Set(rows.map((row) => column.values[row] as number))].sort((a, b) => a - b);
  const recode = new Map(values.map((value, index) => [value, index]));
  return {
    labels: values.map(String),
    codes: Int32Array.from(rows, (row) => recode.get(column.values[row] as number) as number),
  };
}

function runBoot(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      statistic: { type: 'string' },
      column: { type: 'string' },
      column2: { type: 'string' },
      group: { type: 'string' },
      strata: { type: 'string' },
      R: { type: 'string' },
      seed: { type: 'string' },
      conf: { type: 'string' },
      json: { type: 'boolean' },
    },
    BOOT_USAGE,
  );
  const file = requireFile(parsed, BOOT_USAGE);
  requireOption(parsed, 'statistic', BOOT_USAGE);
  const statisticName = optionalChoice(parsed, 'statistic', STATISTICS, BOOT_USAGE) as StatisticName;
  const columnName = requireOption(parsed, 'column', BOOT_USAGE);
  const replicates = wholeNumber(requireOption(parsed, 'R', BOOT_USAGE), 'R', 2);
  const seed = wholeNumber(requireOption(parsed, 'seed', BOOT_USAGE), 'seed', -2147483647);
  const confText = parsed.values.conf;
  const conf = typeof confText === 'string' ? Number(confText) : 0.95;
  if (typeof confText === 'string' && (confText.trim() === '' || !(conf > 0 && conf < 1))) {
    throw usage(`--conf requires a number between 0 and 1 (got "${confText}")`);
  }
  const column2Name = parsed.values.column2 as string | undefined;
  const groupName = parsed.values.group as string | undefined;
  const strataName = parsed.values.strata as string | undefined;
  if (statisticName === 'ratio-of-means' && column2Name === undefined) {
    throw usage('--statistic ratio-of-means requires --column2 (the denominator column)');
  }
  if (statisticName === 'difference-in-means' && groupName === undefined) {
    throw usage('--statistic difference-in-means requires --group (a column with two levels)');
  }
  if (column2Name !== undefined && statisticName !== 'ratio-of-means') {
    throw usage(`--column2 requires --statistic ratio-of-means (got --statistic ${statisticName})`);
  }
  if (groupName !== undefined && statisticName !== 'difference-in-means') {
    throw usage(`--group requires --statistic difference-in-means (got --statistic ${statisticName})`);
  }

  const table = readTableFile(file);
  const wanted = [{ option: 'column', name: columnName, numeric: true }];
  if (column2Name !== undefined) wanted.push({ option: 'column2', name: column2Name, numeric: true });
  if (groupName !== undefined) wanted.push({ option: 'group', name: groupName, numeric: false });
  if (strataName !== undefined) wanted.push({ option: 'strata', name: strataName, numeric: false });
  const columns = getColumns(table, wanted);
  const byOption = new Map(wanted.map((item, index) => [item.option, columns[index] as DataColumn]));

  // Rows with a missing value in any column the statistic or the strata use are dropped (complete.cases).
  const keep: number[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    if (columns.every((column) => !isMissingAt(column, row))) keep.push(row);
  }
  const nDropped = table.rowCount - keep.length;
  if (keep.length < 2) {
    throw new ModelDataError(
      `boot requires at least 2 complete rows (got ${keep.length} of ${table.rowCount} in ${table.source}; ${nDropped} dropped for a missing value)`,
    );
  }
  const numbers = (option: string) => {
    const column = byOption.get(option) as DataColumn & { kind: 'numeric' };
    return Float64Array.from(keep, (row) => column.values[row] as number);
  };
  const x = numbers('column');
  let statistic: BootstrapStatistic;
  let groupLevels: [string, string] | undefined;
  switch (statisticName) {
    case 'mean':
      statistic = meanStatistic(x);
      break;
    case 'median':
      statistic = medianStatistic(x);
      break;
    case 'sd':
      statistic = sdStatistic(x);
      break;
    case 'ratio-of-means':
      statistic = ratioOfMeansStatistic(x, numbers('column2'));
      break;
    case 'difference-in-means': {
      const group = levelsOf(byOption.get('group') as DataColumn, keep);
      if (group.labels.length !== 2) {
        throw new ModelDataError(
          `boot requires a --group column with exactly 2 levels for difference-in-means (got ${group.labels.length} in ${groupName}: ${group.labels.join(', ')})`,
        );
      }
      groupLevels = group.labels as [string, string];
      statistic = differenceInMeansStatistic(x, group.codes);
      break;
    }
  }
  let strata: Int32Array | undefined;
  if (strataName !== undefined) {
    const levels = levelsOf(byOption.get('strata') as DataColumn, keep);
    const sizes = new Int32Array(levels.labels.length);
    for (const code of levels.codes) sizes[code] = (sizes[code] as number) + 1;
    const lone = levels.labels.filter((_, index) => sizes[index] === 1);
    if (lone.length > 0) {
      throw new ModelDataError(
        `boot requires at least 2 rows in every stratum of ${strataName} (got 1 row in ${lone.map((label) => `"${label}"`).join(', ')})`,
      );
    }
    strata = levels.codes;
  }

  const result = bootstrap({
    n: keep.length,
    statistic,
    replicates,
    rng: createRRandom(seed),
    ...(strata === undefined ? {} : { strata }),
  });
  const { intervals, warnings } = computeIntervals(result, conf);
  const output: BootOutput = {
    statistic: statisticName,
    column: columnName,
    ...(column2Name === undefined ? {} : { column2: column2Name }),
    ...(groupName === undefined || groupLevels === undefined ? {} : { group: groupName, groupLevels }),
    ...(strataName === undefined ? {} : { strata: strataName }),
    n: keep.length,
    nDropped,
    R: replicates,
    seed,
    conf,
    t0: result.t0[0] as number,
    bias: result.bias[0] as number,
    se: result.se[0] as number,
    intervals,
    warnings,
  };
  io.stdout.write(parsed.values.json ? formatJson(output) : formatBootText(output));
  return 0;
}

/** All four intervals; a BCa interval the replicates cannot give becomes null with boot.ci's reason as a warning. */
function computeIntervals(result: BootstrapResult, conf: number): Pick<BootOutput, 'intervals' | 'warnings'> {
  const main: BootCiResult = bootCi(result, { conf, types: ['normal', 'basic', 'percent'] });
  const warnings = [...main.warnings];
  let bca: number[] | null = null;
  try {
    const withBca = bootCi(result, { conf, types: ['bca'] });
    bca = withBca.bca as number[];
    warnings.push(...withBca.warnings);
  } catch (error) {
    if (!(error instanceof BootstrapIntervalError)) throw error;
    warnings.push(`bca: ${error.message}`);
  }
  const nonFinite = result.replicates - main.replicates;
  if (nonFinite > 0)
    warnings.push(`${nonFinite} non-finite replicate(s) left out of the intervals, as boot.ci does`);
  return {
    intervals: {
      normal: main.normal as number[],
      basic: main.basic as number[],
      percentile: main.percent as number[],
      bca,
    },
    warnings,
  };
}

function describeStatistic(output: BootOutput): string {
  switch (output.statistic) {
    case 'ratio-of-means':
      return `mean(${output.column}) / mean(${output.column2})`;
    case 'difference-in-means': {
      const [first, second] = output.groupLevels as [string, string];
      return `mean(${output.column} | ${output.group} = ${second}) - mean(${output.column} | ${output.group} = ${first})`;
    }
    default:
      return `${output.statistic}(${output.column})`;
  }
}

function formatBootText(output: BootOutput): string {
  const interval = (bounds: number[] | null) =>
    bounds === null ? 'not available' : `(${formatNumber(bounds[0], 7)}, ${formatNumber(bounds[1], 7)})`;
  const lines = [
    `${output.strata === undefined ? 'ORDINARY' : 'STRATIFIED'} NONPARAMETRIC BOOTSTRAP (R: boot::boot, boot.ci)`,
    `Statistic: ${describeStatistic(output)}`,
    `Observations: ${output.n}${output.nDropped > 0 ? ` (${output.nDropped} dropped for a missing value)` : ''}${output.strata === undefined ? '' : `, strata: ${output.strata}`}`,
    `Replicates: R = ${output.R}, seed = ${output.seed}`,
    '',
    alignTable(
      ['', 'original', 'bias', 'std. error'],
      [['t1*', formatNumber(output.t0, 7), formatNumber(output.bias, 7), formatNumber(output.se, 7)]],
    ),
    '',
    `Intervals (${formatNumber(output.conf * 100, 7)}% level):`,
    alignTable(
      ['', 'interval'],
      [
        ['Normal', interval(output.intervals.normal)],
        ['Basic', interval(output.intervals.basic)],
        ['Percentile', interval(output.intervals.percentile)],
        ['BCa', interval(output.intervals.bca)],
      ],
    ),
  ];
  for (const warning of output.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

export const bootCommand: CliCommand = {
  name: 'boot',
  usage: BOOT_USAGE,
  summary: 'bootstrap a statistic with R-identical resampling (R: set.seed, boot::boot, boot::boot.ci)',
  run: runBoot,
};
