import type {
  CohenKappaResult,
  CronbachAlphaResult,
  IntraclassCorrelationResult,
  KappaEstimate,
  KappaWeights,
  Rating,
  ReliabilityItem,
} from '../../stats/index.ts';
import { cohenKappa, cronbachAlpha, intraclassCorrelation, ReliabilityDataError } from '../../stats/index.ts';
import { parseNumericCell, type Table } from '../../table/index.ts';
import { optionalChoice, parseCommandArguments, requireFile, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { readTableFile } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { alignTable, formatNumber, formatPValue } from '../text-table.ts';

export const ALPHA_USAGE = 'enrich alpha FILE.csv [--items a,b,c] [--json]';
export const ICC_USAGE = 'enrich icc FILE.csv [--columns r1,r2] [--json]';
export const KAPPA_USAGE =
  'enrich kappa FILE.csv --rater1 A --rater2 B [--weights none|linear|quadratic] [--json]';

const WEIGHTS: readonly KappaWeights[] = ['none', 'linear', 'quadratic'];

/** `enrich alpha`: Cronbach's alpha and item statistics as psych::alpha. */
function runAlpha(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    { items: { type: 'string' }, json: { type: 'boolean' } },
    ALPHA_USAGE,
  );
  const file = requireFile(parsed, ALPHA_USAGE);
  const table = readTableFile(file);
  const items = numericColumns(table, listOption(parsed.values.items, 'items', ALPHA_USAGE), 'alpha', 'item');
  const result = cronbachAlpha(items);
  io.stdout.write(parsed.values.json ? formatJson(alphaJson(result)) : formatAlphaText(result, table.source));
  return 0;
}

/** `enrich icc`: the six Shrout-Fleiss ICCs as psych::ICC(x, lmer = FALSE). */
function runIcc(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    { columns: { type: 'string' }, json: { type: 'boolean' } },
    ICC_USAGE,
  );
  const file = requireFile(parsed, ICC_USAGE);
  const table = readTableFile(file);
  const raters = numericColumns(
    table,
    listOption(parsed.values.columns, 'columns', ICC_USAGE),
    'icc',
    'rating',
  );
  const result = intraclassCorrelation(raters);
  io.stdout.write(
    parsed.values.json ? formatJson(iccJson(result, raters)) : formatIccText(result, raters, table.source),
  );
  return 0;
}

/** `enrich kappa`: Cohen's kappa (unweighted, linear or quadratic weights) as psych::cohen.kappa. */
function runKappa(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      rater1: { type: 'string' },
      rater2: { type: 'string' },
      weights: { type: 'string' },
      json: { type: 'boolean' },
    },
    KAPPA_USAGE,
  );
  const file = requireFile(parsed, KAPPA_USAGE);
  const first = requireOption(parsed, 'rater1', KAPPA_USAGE);
  const second = requireOption(parsed, 'rater2', KAPPA_USAGE);
  const weights = optionalChoice(parsed, 'weights', WEIGHTS, KAPPA_USAGE) ?? 'none';
  const table = readTableFile(file);
  const result = cohenKappa(ratingColumn(table, first), ratingColumn(table, second), { weights });
  io.stdout.write(
    parsed.values.json ? formatJson(kappaJson(result)) : formatKappaText(result, first, second, table.source),
  );
  return 0;
}

/** A comma-separated list option, or undefined when absent. */
function listOption(value: string | boolean | undefined, name: string, usage: string): string[] | undefined {
  if (value === undefined || typeof value !== 'string') return undefined;
  const names = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (names.length === 0)
    throw new UsageError(`--${name} requires column names (got "${value}")\nusage: ${usage}`);
  return names;
}

function missingColumn(command: string, table: Table, name: string): ReliabilityDataError {
  return new ReliabilityDataError(
    `${command} requires a column "${name}" in ${table.source} (got columns ${table.columnNames.join(', ')})`,
  );
}

/**
 * The named columns (or, without names, every numeric column) as numeric items; a named column that is not
 * numeric is an error naming its first non-numeric value.
 */
function numericColumns(
  table: Table,
  names: readonly string[] | undefined,
  command: string,
  role: string,
): ReliabilityItem[] {
  const selected = names ?? table.columnNames.filter((name) => table.findColumn(name)?.kind === 'numeric');
  const seen = new Set<string>();
  return selected.map((name) => {
    if (seen.has(name))
      throw new ReliabilityDataError(`${command} requires distinct columns (got "${name}" twice)`);
    seen.add(name);
    const column = table.findColumn(name);
    if (column === undefined) throw missingColumn(command, table, name);
    if (column.kind === 'numeric') return { name, values: column.values };
    let row = 0;
    while (row < column.codes.length) {
      const code = column.codes[row] as number;
      if (code >= 0 && parseNumericCell(column.levels[code] as string) === undefined) break;
      row++;
    }
    const level = column.levels[column.codes[row] as number];
    throw new ReliabilityDataError(
      `${command} requires a numeric ${role} column "${name}" (got "${level}" in row ${row + 1} of ${table.source})`,
    );
  });
}

/** A rater's column: numbers, or category labels for a text column; null where missing. */
function ratingColumn(table: Table, name: string): Rating[] {
  const column = table.findColumn(name);
  if (column === undefined) throw missingColumn('kappa', table, name);
  if (column.kind === 'numeric')
    return Array.from(column.values, (value) => (Number.isNaN(value) ? null : value));
  return Array.from(column.codes, (code) => (code < 0 ? null : (column.levels[code] as string)));
}

function alphaJson(result: CronbachAlphaResult): unknown {
  return {
    rawAlpha: result.rawAlpha,
    stdAlpha: result.stdAlpha,
    g6Smc: result.g6Smc,
    averageR: result.averageR,
    signalToNoise: result.signalToNoise,
    ase: result.ase,
    mean: result.mean,
    sd: result.sd,
    medianR: result.medianR,
    nItems: result.nItems,
    n: result.n,
    ciLower: result.ciLower,
    ciUpper: result.ciUpper,
    duhachekLower: result.duhachekLower,
    duhachekUpper: result.duhachekUpper,
    droppedItems: result.droppedItems,
    negativelyCorrelatedItems: result.negativelyCorrelatedItems,
    items: result.items,
    warnings: result.warnings,
  };
}

function iccJson(result: IntraclassCorrelationResult, raters: readonly ReliabilityItem[]): unknown {
  return {
    nSubjects: result.nSubjects,
    nRaters: result.nRaters,
    nDropped: result.nDropped,
    raters: raters.map((rater) => rater.name),
    confidenceLevel: result.confidenceLevel,
    icc: result.icc,
    meanSquares: result.meanSquares,
    warnings: result.warnings,
  };
}

function kappaJson(result: CohenKappaResult): unknown {
  return {
    n: result.n,
    nDropped: result.nDropped,
    categories: result.categories,
    weights: result.weights,
    kappa: result.kappa,
    se: result.se,
    variance: result.variance,
    ciLower: result.ciLower,
    ciUpper: result.ciUpper,
    observedAgreement: result.observedAgreement,
    expectedAgreement: result.expectedAgreement,
    confidenceLevel: result.confidenceLevel,
    unweighted: result.unweighted,
    weightMatrix: result.weightMatrix,
    agreementTable: result.agreementTable,
    warnings: result.warnings,
  };
}

/** A coefficient to 2 decimals, as psych prints its tables. */
function fixed(value: number | null, decimals = 2): string {
  if (value === null || Number.isNaN(value)) return 'NA';
  const text = value.toFixed(decimals);
  return /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

function formatAlphaText(result: CronbachAlphaResult, source: string): string {
  const lines = [
    `Reliability analysis (psych::alpha) of ${source}`,
    `Items: ${result.nItems}    Rows: ${result.n}`,
    '',
    alignTable(
      ['', 'raw_alpha', 'std.alpha', 'G6(smc)', 'average_r', 'S/N', 'ase', 'mean', 'sd', 'median_r'],
      [
        [
          '',
          fixed(result.rawAlpha),
          fixed(result.stdAlpha),
          fixed(result.g6Smc),
          fixed(result.averageR),
          fixed(result.signalToNoise),
          formatNumber(result.ase, 2),
          fixed(result.mean),
          fixed(result.sd),
          fixed(result.medianR),
        ],
      ],
    ),
    '',
    '95% confidence boundaries',
    alignTable(
      ['', 'lower', 'alpha', 'upper'],
      [
        ['Feldt', fixed(result.ciLower), fixed(result.rawAlpha), fixed(result.ciUpper)],
        ...(result.duhachekLower === null
          ? []
          : [['Duhachek', fixed(result.duhachekLower), fixed(result.rawAlpha), fixed(result.duhachekUpper)]]),
      ],
    ),
    '',
    'Reliability if an item is dropped:',
    alignTable(
      ['', 'raw_alpha', 'std.alpha', 'G6(smc)', 'average_r', 'S/N', 'alpha se', 'var.r', 'med.r'],
      result.items.map((item) => [
        item.item,
        fixed(item.rawAlphaIfDropped),
        fixed(item.stdAlphaIfDropped),
        fixed(item.g6SmcIfDropped),
        fixed(item.averageRIfDropped),
        fixed(item.signalToNoiseIfDropped),
        formatNumber(item.alphaSeIfDropped, 2),
        formatNumber(item.varRIfDropped, 2),
        fixed(item.medRIfDropped),
      ]),
    ),
    '',
    'Item statistics:',
    alignTable(
      ['', 'n', 'raw.r', 'std.r', 'r.cor', 'r.drop', 'mean', 'sd'],
      result.items.map((item) => [
        item.item,
        String(item.n),
        fixed(item.rawR),
        fixed(item.stdR),
        fixed(item.rCor),
        fixed(item.rDrop),
        fixed(item.mean),
        fixed(item.sd),
      ]),
    ),
  ];
  for (const warning of result.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function formatIccText(
  result: IntraclassCorrelationResult,
  raters: readonly ReliabilityItem[],
  source: string,
): string {
  const labels: Record<string, string> = {
    ICC1: 'Single_raters_absolute',
    ICC2: 'Single_random_raters',
    ICC3: 'Single_fixed_raters',
    ICC1k: 'Average_raters_absolute',
    ICC2k: 'Average_random_raters',
    ICC3k: 'Average_fixed_raters',
  };
  const level = `${formatNumber(result.confidenceLevel * 100, 4)}%`;
  const lines = [
    `Intraclass correlation coefficients (psych::ICC, lmer = FALSE) of ${source}`,
    `Raters: ${raters.map((rater) => rater.name).join(', ')}`,
    '',
    alignTable(
      ['', 'type', 'ICC', 'F', 'df1', 'df2', 'p', `lower ${level}`, `upper ${level}`],
      result.icc.map((row) => [
        labels[row.type] ?? row.type,
        row.type,
        fixed(row.value),
        fixed(row.F),
        String(row.df1),
        String(row.df2),
        formatPValue(row.pValue),
        fixed(row.ciLower),
        fixed(row.ciUpper),
      ]),
    ),
    '',
    `Number of subjects = ${result.nSubjects}    Number of judges = ${result.nRaters}`,
  ];
  for (const warning of result.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function formatKappaText(result: CohenKappaResult, first: string, second: string, source: string): string {
  const row = (label: string, estimate: KappaEstimate) => [
    label,
    fixed(estimate.ciLower),
    fixed(estimate.kappa),
    fixed(estimate.ciUpper),
    formatNumber(estimate.se, 3),
    fixed(estimate.observedAgreement, 3),
    fixed(estimate.expectedAgreement, 3),
  ];
  const rows = [row('unweighted kappa', result.unweighted)];
  if (result.weights !== 'none') rows.push(row(`weighted kappa (${result.weights})`, result));
  const width = Math.max(...result.categories.map((label) => label.length), 3);
  const lines = [
    `Cohen's kappa (psych::cohen.kappa) of ${first} and ${second} in ${source}`,
    '',
    alignTable(['', 'lower', 'estimate', 'upper', 'se', 'observed', 'expected'], rows),
    '',
    `Number of subjects = ${result.n}${result.nDropped > 0 ? ` (${result.nDropped} with a missing rating dropped)` : ''}`,
    '',
    `Agreement table (rows ${first}, columns ${second}):`,
    alignTable(
      ['', ...result.categories.map((label) => label.padStart(width))],
      result.agreementTable.map((counts, i) => [result.categories[i] as string, ...counts.map(String)]),
    ),
  ];
  for (const warning of result.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

export const alphaCommand: CliCommand = {
  name: 'alpha',
  usage: ALPHA_USAGE,
  summary: "Cronbach's alpha and item statistics (R: psych::alpha)",
  run: runAlpha,
};

export const iccCommand: CliCommand = {
  name: 'icc',
  usage: ICC_USAGE,
  summary: 'intraclass correlations, Shrout-Fleiss (R: psych::ICC, lmer = FALSE)',
  run: runIcc,
};

export const kappaCommand: CliCommand = {
  name: 'kappa',
  usage: KAPPA_USAGE,
  summary: "Cohen's kappa, unweighted or weighted (R: psych::cohen.kappa)",
  run: runKappa,
};
