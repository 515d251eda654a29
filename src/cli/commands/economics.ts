import { basename } from 'node:path';
import {
  type AnalysisPlan,
  AnalysisPlanError,
  DEFAULT_ANALYSIS_PLAN,
  type EconomicEvaluation,
  type EconomicsInputs,
  economicEvaluation,
  parseAnalysisPlan,
  readUnitCosts,
  readValueSet,
} from '../../analysis/index.ts';
import { renderEconomicsReport } from '../../report/trial-report/index.ts';
import { parseCsv } from '../../table/index.ts';
import { readAnalysisDataset } from '../../trial/index.ts';
import { optionalChoice, optionalPositiveInteger, parseCommandArguments, requireFile } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { type CommandIo, readInputBytes, writeOutputText } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { packageVersion, sha256Hex } from '../provenance.ts';
import { alignTable, formatNumber } from '../text-table.ts';

export const ECONOMICS_USAGE =
  'enrich economics FILE.csv --unit-costs COSTS.csv [--value-set STATES.csv --eq5d 3L|5L] [--wtp 20000,30000] [--sap plan.json] [--bootstrap 1000] [--seed 1] [--json OUT|-] [--html OUT]';

/** Reads `--sap plan.json` as `enrich analyse` does (covariates, bootstrap_resamples, seed, confidence_level are used). */
export function readAnalysisPlanFile(path: string | undefined): AnalysisPlan {
  if (path === undefined) return structuredClone(DEFAULT_ANALYSIS_PLAN);
  const text = readInputBytes(path, 'analysis plan').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AnalysisPlanError([
      {
        path,
        code: 'analysis_plan_invalid',
        message: `an analysis plan requires valid JSON (got ${(error as Error).message})`,
      },
    ]);
  }
  return parseAnalysisPlan(json, path);
}

/** `--wtp 20000,30000`: one or more numbers >= 0. */
export function parseWtp(value: string | boolean | undefined, usage: string): number[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : [];
  const numbers = items.map(Number);
  if (items.length === 0 || items.some((item) => !/^\d+(\.\d+)?$/.test(item))) {
    throw new UsageError(
      `--wtp requires comma-separated amounts per QALY >= 0, e.g. 20000,30000 (got "${String(value)}")\nusage: ${usage}`,
    );
  }
  return numbers;
}

/**
 * The inputs of the economic evaluation from the command line: `--unit-costs` (required when `required`),
 * `--value-set` with `--eq5d 3L|5L`, `--wtp`. Undefined when no unit costs were given and none are required.
 */
export function readEconomicsInputs(
  values: Record<string, string | boolean | undefined>,
  usage: string,
  required: boolean,
): EconomicsInputs | undefined {
  const unitCostsPath = values['unit-costs'];
  if (unitCostsPath === undefined || unitCostsPath === '' || typeof unitCostsPath !== 'string') {
    if (required || unitCostsPath !== undefined)
      throw new UsageError(`--unit-costs requires a CSV file of unit costs\nusage: ${usage}`);
    if (values['value-set'] !== undefined || values.wtp !== undefined || values.eq5d !== undefined)
      throw new UsageError(`--value-set, --eq5d and --wtp require --unit-costs\nusage: ${usage}`);
    return undefined;
  }
  const unitCosts = readUnitCosts(
    parseCsv(readInputBytes(unitCostsPath, 'unit costs file'), basename(unitCostsPath)),
  );
  const valueSetPath = values['value-set'];
  const version = optionalChoice({ values, positionals: [] }, 'eq5d', ['3L', '5L'] as const, usage);
  if ((valueSetPath === undefined) !== (version === undefined)) {
    throw new UsageError(`--value-set and --eq5d 3L|5L go together (got only one of them)\nusage: ${usage}`);
  }
  const wtp = parseWtp(values.wtp, usage);
  const inputs: EconomicsInputs = { unitCosts, ...(wtp === undefined ? {} : { wtp }) };
  if (typeof valueSetPath === 'string' && version !== undefined) {
    inputs.valueSet = readValueSet(
      parseCsv(readInputBytes(valueSetPath, 'value set file'), basename(valueSetPath)),
      version,
    );
  }
  return inputs;
}

/** The readable summary of an economic evaluation. */
export function formatEconomicsText(result: EconomicEvaluation): string {
  const arms = Object.keys(result.costs.byArm);
  const money = (value: number | null | undefined) => formatNumber(value, 6);
  const lines = [
    `Economic evaluation (${result.currency}; unit costs ${result.unitCosts.source})`,
    '',
    alignTable(
      ['arm', 'n (costs)', 'total cost mean (SD)', 'adjusted mean', 'n (QALYs)', 'QALYs mean (SD)'],
      arms.map((arm) => {
        const costs = result.costs.byArm[arm];
        const qalys = result.qalys.byArm[arm];
        return [
          arm,
          String(costs?.n),
          `${money(costs?.total.mean)} (${money(costs?.total.sd)})`,
          money(costs?.adjustedMean),
          String(qalys?.qaly.n),
          `${formatNumber(qalys?.qaly.mean, 4)} (${formatNumber(qalys?.qaly.sd, 4)})`,
        ];
      }),
    ),
    '',
    alignTable(
      ['quantity', 'estimate (95% CI)'],
      [
        [
          'cost difference',
          `${money(result.costs.meanDifference.estimate)} (${money(result.costs.meanDifference.ciLower)} to ${money(result.costs.meanDifference.ciUpper)})`,
        ],
        [
          'QALY difference',
          `${formatNumber(result.qalys.meanDifference.estimate, 4)} (${formatNumber(result.qalys.meanDifference.ciLower, 4)} to ${formatNumber(result.qalys.meanDifference.ciUpper, 4)})`,
        ],
        ['ICER', `${money(result.icer)} (${result.quadrant})`],
        ...result.netMonetaryBenefit.map((nmb) => [
          `NMB at ${nmb.wtp}`,
          `${money(nmb.estimate)} (${money(nmb.ciLower)} to ${money(nmb.ciUpper)}), P(cost-effective) ${formatNumber(nmb.probabilityCostEffective, 3)}`,
        ]),
        ['P(cost saving)', formatNumber(result.probabilityCostSaving, 3)],
      ],
    ),
    '',
    `Bootstrap: ${result.bootstrap.R} resamples stratified by arm, seed ${result.bootstrap.seed}, percentile intervals`,
  ];
  if (result.warnings.length > 0)
    lines.push('', 'Warnings:', ...result.warnings.map((warning) => `  ${warning}`));
  return `${lines.join('\n')}\n`;
}

/** `enrich economics`: the health economic evaluation (src/analysis/economics) with JSON, text and HTML outputs. */
function runEconomics(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      'unit-costs': { type: 'string' },
      'value-set': { type: 'string' },
      eq5d: { type: 'string' },
      wtp: { type: 'string' },
      sap: { type: 'string' },
      bootstrap: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
    },
    ECONOMICS_USAGE,
  );
  const file = requireFile(parsed, ECONOMICS_USAGE);
  const resamples = optionalPositiveInteger(parsed, 'bootstrap', ECONOMICS_USAGE);
  if (resamples !== undefined && resamples > 100_000) {
    throw new UsageError(
      `--bootstrap requires a whole number from 1 to 100000 (got ${resamples})\nusage: ${ECONOMICS_USAGE}`,
    );
  }
  const seedText = parsed.values.seed;
  if (
    seedText !== undefined &&
    (typeof seedText !== 'string' ||
      !/^-?\d+$/.test(seedText.trim()) ||
      Math.abs(Number(seedText)) > 2_147_483_647)
  ) {
    throw new UsageError(
      `--seed requires a whole number between -2147483647 and 2147483647 (got "${String(seedText)}")\nusage: ${ECONOMICS_USAGE}`,
    );
  }
  const jsonTarget = parsed.values.json as string | undefined;
  const htmlTarget = parsed.values.html as string | undefined;
  for (const [name, value] of [
    ['json', jsonTarget],
    ['html', htmlTarget],
    ['sap', parsed.values.sap],
  ] as const) {
    if (value === '') throw new UsageError(`--${name} requires a file name\nusage: ${ECONOMICS_USAGE}`);
  }
  const plan = readAnalysisPlanFile(parsed.values.sap as string | undefined);
  if (resamples !== undefined) plan.bootstrapResamples = resamples;
  if (seedText !== undefined) plan.seed = Number(seedText);
  const inputs = readEconomicsInputs(parsed.values, ECONOMICS_USAGE, true) as EconomicsInputs;
  const bytes = readInputBytes(file, 'input file');
  const dataset = readAnalysisDataset(parseCsv(bytes, file));
  const result = economicEvaluation(dataset, plan, inputs);
  if (htmlTarget !== undefined) {
    writeOutputText(
      htmlTarget,
      renderEconomicsReport(result, {
        generatedAt: new Date().toISOString(),
        inputFile: basename(file),
        inputSha256: sha256Hex(bytes),
        enrichVersion: packageVersion(),
      }),
      'HTML report',
    );
  }
  if (jsonTarget === '-') {
    io.stdout.write(formatJson(result));
    return 0;
  }
  if (jsonTarget !== undefined) writeOutputText(jsonTarget, formatJson(result), 'JSON output');
  io.stdout.write(formatEconomicsText(result));
  return 0;
}

export const economicsCommand: CliCommand = {
  name: 'economics',
  usage: ECONOMICS_USAGE,
  summary:
    'health economic evaluation: costs, QALYs, ICER, net monetary benefit, bootstrap plane and CEAC (JSON, HTML)',
  run: runEconomics,
};
