import {
  type CoxFormulaResult,
  type CoxTies,
  coxFromFormula,
  type KaplanMeierResult,
  kaplanMeierFromFormula,
  type LogrankResult,
  logrankFromFormula,
} from '../../stats/index.ts';
import {
  optionalChoice,
  optionalPositiveInteger,
  parseCommandArguments,
  requireFile,
  requireOption,
} from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { type CommandIo, readTableFile } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { alignTable, formatNumber, formatPValue } from '../text-table.ts';

export const COX_USAGE =
  'enrich cox FILE.csv --formula "Surv(time, event) ~ ..." [--ties efron|breslow] [--json]';
export const KM_USAGE = 'enrich km FILE.csv --formula "Surv(time, event) ~ group" [--json]   (or "~ 1")';
export const LOGRANK_USAGE = 'enrich logrank FILE.csv --formula "Surv(time, event) ~ group" [--json]';

const TIES: readonly CoxTies[] = ['efron', 'breslow'];

/** `enrich cox`: Cox proportional hazards as survival::coxph. */
function runCox(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      formula: { type: 'string' },
      ties: { type: 'string' },
      'max-iterations': { type: 'string' },
      json: { type: 'boolean' },
    },
    COX_USAGE,
  );
  const file = requireFile(parsed, COX_USAGE);
  const formula = requireOption(parsed, 'formula', COX_USAGE);
  const ties = optionalChoice(parsed, 'ties', TIES, COX_USAGE);
  const maxIterations = optionalPositiveInteger(parsed, 'max-iterations', COX_USAGE);
  const result = coxFromFormula(readTableFile(file), formula, {
    ...(ties === undefined ? {} : { ties }),
    ...(maxIterations === undefined ? {} : { maxIterations }),
  });
  io.stdout.write(parsed.values.json ? formatJson(coxJson(result)) : formatCoxText(result, formula));
  return 0;
}

/** `enrich km`: Kaplan-Meier estimates as survival::survfit. */
function runKaplanMeier(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    { formula: { type: 'string' }, json: { type: 'boolean' } },
    KM_USAGE,
  );
  const file = requireFile(parsed, KM_USAGE);
  const formula = requireOption(parsed, 'formula', KM_USAGE);
  const result = kaplanMeierFromFormula(readTableFile(file), formula);
  io.stdout.write(
    parsed.values.json
      ? formatJson({ strata: result.strata, nDropped: result.nDropped })
      : formatKaplanMeierText(result, formula),
  );
  return 0;
}

/** `enrich logrank`: the log-rank test as survival::survdiff. */
function runLogrank(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    { formula: { type: 'string' }, json: { type: 'boolean' } },
    LOGRANK_USAGE,
  );
  const file = requireFile(parsed, LOGRANK_USAGE);
  const formula = requireOption(parsed, 'formula', LOGRANK_USAGE);
  const result = logrankFromFormula(readTableFile(file), formula);
  io.stdout.write(
    parsed.values.json
      ? formatJson({
          chisq: result.chisq,
          df: result.df,
          pValue: result.pValue,
          groups: result.groups,
          nDropped: result.nDropped,
        })
      : formatLogrankText(result, formula),
  );
  return 0;
}

function coxJson(result: CoxFormulaResult): unknown {
  return {
    n: result.n,
    nEvents: result.nEvents,
    nDropped: result.nDropped,
    ties: result.ties,
    coefficients: result.coefficients,
    logLikelihood: result.logLikelihood,
    nullLogLikelihood: result.nullLogLikelihood,
    iterations: result.iterations,
    converged: result.converged,
    warnings: result.warnings,
    waldTest: result.waldTest,
    likelihoodRatioTest: result.likelihoodRatioTest,
    scoreTest: result.scoreTest,
  };
}

function formatCoxText(result: CoxFormulaResult, formula: string): string {
  const rows = result.coefficients.map((coefficient) => [
    coefficient.term,
    formatNumber(coefficient.estimate),
    formatNumber(coefficient.hazardRatio),
    formatNumber(coefficient.se),
    formatNumber(coefficient.statistic, 4),
    formatPValue(coefficient.pValue),
    formatNumber(coefficient.ciLower === null ? null : Math.exp(coefficient.ciLower)),
    formatNumber(coefficient.ciUpper === null ? null : Math.exp(coefficient.ciUpper)),
  ]);
  const test = (name: string, value: { statistic: number; df: number; pValue: number }) =>
    `${name} = ${formatNumber(value.statistic, 5)} on ${value.df} df,   p = ${formatPValue(value.pValue)}`;
  const lines = [
    `Model: coxph(${formula}, ties = "${result.ties}")`,
    `  n = ${result.n}, number of events = ${result.nEvents}${result.nDropped > 0 ? ` (${result.nDropped} deleted due to missingness)` : ''}`,
    '',
    alignTable(['', 'coef', 'exp(coef)', 'se(coef)', 'z', 'Pr(>|z|)', 'lower .95', 'upper .95'], rows),
    '',
    `Log-likelihood: ${formatNumber(result.logLikelihood, 7)} (null model ${formatNumber(result.nullLogLikelihood, 7)})`,
    test('Likelihood ratio test', result.likelihoodRatioTest),
    test('Wald test            ', result.waldTest),
    test('Score (logrank) test ', result.scoreTest),
  ];
  for (const warning of result.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function formatKaplanMeierText(result: KaplanMeierResult & { nDropped: number }, formula: string): string {
  const lines = [`Model: survfit(${formula})`];
  if (result.nDropped > 0) lines.push(`  (${result.nDropped} observations deleted due to missingness)`);
  lines.push(
    '',
    alignTable(
      ['', 'n', 'events', 'median', '0.95LCL', '0.95UCL'],
      result.strata.map((stratum) => [
        stratum.name,
        String(stratum.n),
        String(stratum.events),
        formatNumber(stratum.median),
        formatNumber(stratum.medianCiLower),
        formatNumber(stratum.medianCiUpper),
      ]),
    ),
  );
  for (const stratum of result.strata) {
    lines.push('', `                ${stratum.name}`);
    const rows = stratum.table
      .filter((row) => row.nEvent > 0)
      .map((row) => [
        formatNumber(row.time),
        String(row.nRisk),
        String(row.nEvent),
        formatNumber(row.survival, 4),
        formatNumber(row.stdErr === null ? null : row.stdErr * row.survival, 4),
        formatNumber(row.ciLower, 4),
        formatNumber(row.ciUpper, 4),
      ]);
    lines.push(
      alignTable(['time', 'n.risk', 'n.event', 'survival', 'std.err', 'lower 95% CI', 'upper 95% CI'], rows),
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatLogrankText(result: LogrankResult & { nDropped: number }, formula: string): string {
  const rows = result.groups.map((group) => [
    group.name,
    String(group.n),
    formatNumber(group.observed),
    formatNumber(group.expected, 4),
    formatNumber((group.observed - group.expected) ** 2 / group.expected, 4),
  ]);
  const lines = [
    `Model: survdiff(${formula})`,
    '',
    alignTable(['', 'N', 'Observed', 'Expected', '(O-E)^2/E'], rows),
    '',
    ` Chisq= ${formatNumber(result.chisq, 4)}  on ${result.df} degrees of freedom, p= ${formatPValue(result.pValue)}`,
  ];
  if (result.nDropped > 0) lines.push(` (${result.nDropped} observations deleted due to missingness)`);
  return `${lines.join('\n')}\n`;
}

export const coxCommand: CliCommand = {
  name: 'cox',
  usage: COX_USAGE,
  summary: 'Cox proportional hazards model (R: survival::coxph)',
  run: runCox,
};

export const kaplanMeierCommand: CliCommand = {
  name: 'km',
  usage: KM_USAGE,
  summary: 'Kaplan-Meier survival curves (R: survival::survfit)',
  run: runKaplanMeier,
};

export const logrankCommand: CliCommand = {
  name: 'logrank',
  usage: LOGRANK_USAGE,
  summary: 'log-rank test (R: survival::survdiff)',
  run: runLogrank,
};
