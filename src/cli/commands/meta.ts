import { writeFileSync } from 'node:fs';
import { forestPlot, funnelPlot } from '../../report/index.ts';
import type {
  EffectMeasure,
  MetaAnalysisResult,
  MetaTest,
  PooledSummary,
  PoolingMethod,
} from '../../stats/index.ts';
import { metaAnalysis, studyDataFromColumns } from '../../stats/index.ts';
import { optionalChoice, parseCommandArguments, requireFile, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { readTableFile } from '../io.ts';
import { toJsonValue } from '../json-output.ts';
import { alignTable } from '../text-table.ts';

export const META_USAGE =
  'enrich meta FILE.csv --measure RR|OR|RD|SMD|MD|GEN [--method FE|DL|REML|ML|PM|HE|SJ|MH|PETO] [--test z|knha] [--subgroup COL] [--leave-one-out] [--forest OUT.svg] [--funnel OUT.svg] [--arm1 NAME] [--arm2 NAME] [--higher-is-better] [--json]';

const MEASURES: readonly EffectMeasure[] = ['RR', 'OR', 'RD', 'SMD', 'MD', 'GEN'];
const METHODS: readonly PoolingMethod[] = ['FE', 'DL', 'REML', 'ML', 'PM', 'HE', 'SJ', 'MH', 'PETO'];
const TESTS: readonly MetaTest[] = ['z', 'knha'];

/** `enrich meta`: a meta-analysis of study-level data as metafor (escalc + rma + predict + regtest). */
function runMeta(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      measure: { type: 'string' },
      method: { type: 'string' },
      test: { type: 'string' },
      subgroup: { type: 'string' },
      'leave-one-out': { type: 'boolean' },
      forest: { type: 'string' },
      funnel: { type: 'string' },
      arm1: { type: 'string' },
      arm2: { type: 'string' },
      'higher-is-better': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    META_USAGE,
  );
  const file = requireFile(parsed, META_USAGE);
  requireOption(parsed, 'measure', META_USAGE);
  const measure = optionalChoice(parsed, 'measure', MEASURES, META_USAGE) as EffectMeasure;
  const method = optionalChoice(parsed, 'method', METHODS, META_USAGE) ?? 'REML';
  const test = optionalChoice(parsed, 'test', TESTS, META_USAGE) ?? 'z';
  const subgroupColumn = optionalString(parsed.values.subgroup, 'subgroup');
  const forestPath = optionalString(parsed.values.forest, 'forest');
  const funnelPath = optionalString(parsed.values.funnel, 'funnel');
  const table = readTableFile(file);
  const input = studyDataFromColumns(table, measure, subgroupColumn);
  const result = metaAnalysis(input.data, {
    measure,
    method,
    test,
    source: table.source,
    leaveOneOut: parsed.values['leave-one-out'] === true,
    ...(input.subgroup === undefined ? {} : { subgroup: input.subgroup }),
  });
  // figures are rendered before anything is written, so a bad path leaves no partial output
  const figures: [string, string][] = [];
  if (forestPath !== undefined) {
    const arm1 = optionalString(parsed.values.arm1, 'arm1');
    const arm2 = optionalString(parsed.values.arm2, 'arm2');
    figures.push([
      forestPath,
      forestPlot(result, {
        data: input.data,
        ...(arm1 === undefined ? {} : { arm1 }),
        ...(arm2 === undefined ? {} : { arm2 }),
        higherIsBetter: parsed.values['higher-is-better'] === true,
      }),
    ]);
  }
  if (funnelPath !== undefined) figures.push([funnelPath, funnelPlot(result)]);
  for (const [path, svg] of figures) writeFigure(path, svg);
  io.stdout.write(parsed.values.json ? metaJson(result) : formatMetaText(result));
  return 0;
}

function optionalString(value: string | boolean | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} requires a value (got an empty one)\nusage: ${META_USAGE}`);
  }
  return value;
}

function writeFigure(path: string, svg: string): void {
  try {
    writeFileSync(path, svg);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(
      `figure file ${path} requires a writable path (got ${reason})\nusage: ${META_USAGE}`,
    );
  }
}

/** The `--json` document: snake_case as formatJson, with metafor's `Q_df` and `Q_p_value`. */
export function metaJson(result: MetaAnalysisResult): string {
  return `${JSON.stringify(renameQ(toJsonValue(result)), null, 2)}\n`;
}

function renameQ(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameQ);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key === 'QDf' ? 'Q_df' : key === 'QPValue' ? 'Q_p_value' : key] = renameQ(item);
  }
  return out;
}

const MEASURE_LABELS: Record<EffectMeasure, string> = {
  RR: 'Log Risk Ratio',
  OR: 'Log Odds Ratio',
  RD: 'Risk Difference',
  SMD: "Standardized Mean Difference (Hedges' g)",
  MD: 'Mean Difference',
  GEN: 'Generic (yi, vi)',
};

const f4 = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? 'NA' : value.toFixed(4);

/** Readable output in the spirit of metafor's print.rma.uni (print.rma.mh / print.rma.peto for MH, PETO). */
function formatMetaText(result: MetaAnalysisResult): string {
  const tables = result.method === 'MH' || result.method === 'PETO';
  const random = result.method !== 'FE' && !tables;
  const ratio = result.measure === 'RR' || result.measure === 'OR';
  const lines: string[] = [
    random
      ? `Random-Effects Model (k = ${result.k}; tau^2 estimator: ${result.method})`
      : tables
        ? `Equal-Effects Model (k = ${result.k}; ${result.method === 'MH' ? 'Mantel-Haenszel' : "Peto's"} method)`
        : `Fixed-Effects Model (k = ${result.k})`,
    `Outcome measure: ${result.method === 'PETO' ? "Log Odds Ratio (Peto's method)" : MEASURE_LABELS[result.measure]}`,
    '',
  ];
  if (random) {
    lines.push(
      `tau^2 (estimated amount of total heterogeneity): ${f4(result.tau2)}${result.tau2Se === null ? '' : ` (SE = ${f4(result.tau2Se)})`}`,
      `tau (square root of estimated tau^2 value):      ${f4(result.tau)}`,
    );
  }
  lines.push(
    `I^2 (${random || tables ? 'total heterogeneity / total variability' : 'residual heterogeneity / unaccounted variability'}):   ${result.I2.toFixed(2)}%`,
    `H^2 (${random || tables ? 'total variability / sampling variability' : 'unaccounted variability / sampling variability'}):  ${result.H2.toFixed(2)}`,
    '',
    'Test for Heterogeneity:',
    `Q(df = ${result.QDf}) = ${f4(result.Q)}, p-val ${formatP4(result.QPValue)}`,
    '',
    `Model Results${result.test === 'knha' ? ' (Knapp-Hartung t test)' : ''}:`,
    '',
    alignTable(
      [
        '',
        'estimate',
        'se',
        result.test === 'knha' ? 'tval' : 'zval',
        'pval',
        'ci.lb',
        'ci.ub',
        // print.rma.mh / print.rma.peto show no prediction interval (it is the CI of an equal-effect model)
        ...(tables ? [] : ['pi.lb', 'pi.ub']),
      ],
      [
        [
          'pooled',
          f4(result.estimate),
          f4(result.se),
          f4(result.statistic),
          tableP(result.pValue),
          f4(result.ciLower),
          f4(result.ciUpper),
          ...(tables ? [] : [f4(result.piLower), f4(result.piUpper)]),
        ],
      ],
    ),
  );
  if (result.exp) {
    lines.push(
      '',
      `${result.measure === 'RR' ? 'Risk ratio' : 'Odds ratio'}: ${f4(result.exp.estimate)} (95% CI ${f4(result.exp.ciLower)} to ${f4(result.exp.ciUpper)}${tables ? '' : `; prediction interval ${f4(result.exp.piLower)} to ${f4(result.exp.piUpper)}`})`,
    );
  }
  if (result.mhTests) {
    const { cmh, breslowDay, tarone } = result.mhTests;
    const chi = (test: { statistic: number; df: number; pValue: number } | undefined, name: string) =>
      test === undefined
        ? 'test value not computable for these data'
        : `${name} = ${f4(test.statistic)}, df = ${test.df}, p-val ${formatP4(test.pValue)}`;
    lines.push(
      '',
      `Cochran-Mantel-Haenszel Test:    ${chi(cmh, 'CMH')}`,
      `Tarone's Test for Heterogeneity: ${chi(tarone, 'X^2')}`,
      `Breslow-Day Test:                ${chi(breslowDay, 'X^2')}`,
    );
  }
  const transform = (value: number) => (ratio ? Math.exp(value) : value);
  lines.push(
    '',
    `Studies${ratio ? ` (yi, CI on the log scale; ${result.measure} = exp(yi))` : ''}:`,
    '',
    alignTable(
      ['study', 'yi', 'vi', 'ci.lb', 'ci.ub', ...(ratio ? [result.measure] : []), 'weight %'],
      result.studies.map((study) => [
        study.study,
        f4(study.yi),
        f4(study.vi),
        f4(study.ciLower),
        f4(study.ciUpper),
        ...(ratio ? [f4(transform(study.yi))] : []),
        study.weight.toFixed(2),
      ]),
    ),
  );
  if (result.subgroups) {
    lines.push(
      '',
      `Subgroups by ${result.subgroups.column} (a separate ${random || tables ? `${result.method} model` : 'fixed-effect model'} per subgroup):`,
      '',
      alignTable(
        [
          'subgroup',
          'k',
          'estimate',
          'se',
          'ci.lb',
          'ci.ub',
          ...(random ? ['tau^2'] : []),
          'I^2 %',
          'Q',
          'Q p-val',
        ],
        result.subgroups.groups.map((group: PooledSummary & { name: string }) => [
          group.name,
          String(group.k),
          f4(group.estimate),
          f4(group.se),
          f4(group.ciLower),
          f4(group.ciUpper),
          ...(random ? [f4(group.tau2)] : []),
          group.I2.toFixed(2),
          f4(group.Q),
          tableP(group.QPValue),
        ]),
      ),
    );
    const test = result.subgroups.test;
    if (test) {
      lines.push(
        '',
        `Test for subgroup differences (fixed-effect test of the subgroup estimates): Q(df = ${test.df}) = ${f4(test.Q)}, p-val ${formatP4(test.pValue)}`,
      );
    }
  }
  if (result.egger) {
    const egger = result.egger;
    lines.push(
      '',
      "Egger's regression test for funnel plot asymmetry (regtest: model rma, predictor sei):",
      `${egger.df === null ? 'z' : `t(df = ${egger.df})`} = ${f4(egger.statistic)}, p-val ${formatP4(egger.pValue)}; limit estimate (as sei -> 0): ${f4(egger.limitEstimate)} (CI: ${f4(egger.limitCiLower)}, ${f4(egger.limitCiUpper)})`,
    );
  }
  if (result.leaveOneOut) {
    lines.push(
      '',
      'Leave-one-out (each row: the model without that study):',
      '',
      alignTable(
        ['left out', 'estimate', 'se', 'pval', 'ci.lb', 'ci.ub', 'Q', ...(random ? ['tau^2'] : []), 'I^2 %'],
        result.leaveOneOut.map((row) => [
          row.study,
          f4(row.estimate),
          f4(row.se),
          tableP(row.pValue),
          f4(row.ciLower),
          f4(row.ciUpper),
          f4(row.Q),
          ...(random ? [f4(row.tau2)] : []),
          row.I2.toFixed(2),
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A p-value after "p-val", as metafor prints it with 4 digits: `< .0001` or `= 0.0421`. */
function formatP4(value: number): string {
  if (!Number.isFinite(value)) return 'NA';
  return value < 1e-4 ? '< .0001' : `= ${value.toFixed(4)}`;
}

/** A p-value in a table column: `<.0001` or `0.0421`. */
function tableP(value: number): string {
  if (!Number.isFinite(value)) return 'NA';
  return value < 1e-4 ? '<.0001' : value.toFixed(4);
}

export const metaCommand: CliCommand = {
  name: 'meta',
  usage: META_USAGE,
  summary:
    'meta-analysis of study-level data (R: metafor escalc, rma, rma.mh, rma.peto, predict, regtest, leave1out)',
  run: runMeta,
};
