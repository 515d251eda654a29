import {
  createSeededRandom,
  findTrialTemplate,
  type RandomisationConfig,
  type SimulationResult,
  simulateRandomisation,
  TRIAL_TEMPLATES,
} from '../../trial/index.ts';
import { optionalChoice, parseCommandArguments, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { secureRandomSeed } from '../secure-random.ts';
import { alignTable, formatNumber } from '../text-table.ts';

export const RANDOMISATION_USAGE =
  'enrich randomisation simulate --template enrich [--method blocks|minimisation] --n N [--seed S] [--site-weights W1,W2,...] [--json]';

const SUBCOMMANDS = ['simulate'] as const;
const METHODS = ['blocks', 'minimisation'] as const;

/** `enrich randomisation <subcommand>`: so far `simulate`. */
function runRandomisation(argv: readonly string[], io: CommandIo): number {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand.startsWith('-')) {
    throw new UsageError(
      `a subcommand is required (${SUBCOMMANDS.join(', ')})\nusage: ${RANDOMISATION_USAGE}`,
    );
  }
  if (subcommand !== 'simulate') {
    throw new UsageError(
      `unknown randomisation subcommand "${subcommand}" (subcommands: ${SUBCOMMANDS.join(', ')})\nusage: ${RANDOMISATION_USAGE}`,
    );
  }
  return runSimulate(rest, io);
}

function runSimulate(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      template: { type: 'string' },
      method: { type: 'string' },
      n: { type: 'string' },
      seed: { type: 'string' },
      'site-weights': { type: 'string' },
      json: { type: 'boolean' },
    },
    RANDOMISATION_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${RANDOMISATION_USAGE}`);
  }
  requireOption(parsed, 'template', RANDOMISATION_USAGE);
  const templateName = optionalChoice(
    parsed,
    'template',
    TRIAL_TEMPLATES.map((template) => template.name),
    RANDOMISATION_USAGE,
  ) as string;
  const template = findTrialTemplate(templateName);
  if (template === undefined) throw new UsageError(`unknown template "${templateName}"`);
  const method = optionalChoice(parsed, 'method', METHODS, RANDOMISATION_USAGE) ?? 'blocks';
  const participants = wholeNumber(parsed.values.n, 'n', 1, 1_000_000, true) as number;
  const siteWeights = parseWeights(parsed.values['site-weights']);
  let seed = wholeNumber(parsed.values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER, false);
  if (seed === undefined) {
    seed = secureRandomSeed();
    io.stderr.write(`enrich: note: no --seed given; used --seed ${seed} (pass it to reproduce this run)\n`);
  }
  const config: RandomisationConfig =
    method === 'blocks' ? template.randomisation.permutedBlocks : template.randomisation.minimisation;
  const result = simulateRandomisation(config, {
    participants,
    participantRandom: createSeededRandom(seed, 0),
    allocationRandom: createSeededRandom(seed, 1),
    ...(siteWeights === undefined ? {} : { levelWeights: { site: siteWeights } }),
  });
  io.stdout.write(
    parsed.values.json
      ? `${JSON.stringify(simulationJson(result), null, 2)}\n`
      : formatSimulationText(result, config, { template: template.name, seed, participants }),
  );
  return 0;
}

function wholeNumber(
  value: string | boolean | undefined,
  name: string,
  minimum: number,
  maximum: number,
  required: boolean,
): number | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`--${name} is required\nusage: ${RANDOMISATION_USAGE}`);
    return undefined;
  }
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || number < minimum || number > maximum) {
    throw new UsageError(
      `--${name} requires a whole number in [${minimum}, ${maximum}] (got "${String(value)}")\nusage: ${RANDOMISATION_USAGE}`,
    );
  }
  return number;
}

function parseWeights(value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const weights = text.split(',').map((item) => (item.trim() === '' ? Number.NaN : Number(item)));
  if (weights.some((weight) => !Number.isFinite(weight))) {
    throw new UsageError(
      `--site-weights requires comma-separated numbers, one per site (got "${text}")\nusage: ${RANDOMISATION_USAGE}`,
    );
  }
  return weights;
}

/** The `--json` document: exactly { allocations, strata, overall } with snake_case keys. */
function simulationJson(result: SimulationResult): unknown {
  return {
    allocations: result.allocations.map((allocation) => ({
      sequence: allocation.sequence,
      stratum: allocation.stratum,
      arm: allocation.arm,
    })),
    strata: result.strata.map((stratum) => ({
      stratum: stratum.stratum,
      n: stratum.n,
      counts: stratum.counts,
      max_running_imbalance: stratum.maxRunningImbalance,
    })),
    overall: { counts: result.overall.counts },
  };
}

function formatSimulationText(
  result: SimulationResult,
  config: RandomisationConfig,
  run: { template: string; seed: number; participants: number },
): string {
  const arms = config.arms.map((arm) => arm.name);
  const ratio = config.arms.map((arm) => arm.ratio).join(':');
  const method =
    config.kind === 'permuted_blocks'
      ? `stratified permuted blocks (sizes ${(config.blockSizes ?? []).join(', ')}, drawn at random)`
      : `Pocock-Simon minimisation (${config.imbalance ?? 'range'}, p = ${config.preferredArmProbability ?? 0.8})`;
  const counts = (row: Readonly<Record<string, number>>) => arms.map((arm) => String(row[arm] ?? 0));
  const strataRows = result.strata.map((stratum) => [
    stratum.stratum,
    String(stratum.n),
    ...counts(stratum.counts),
    formatNumber(stratum.maxRunningImbalance, 4),
  ]);
  strataRows.push(['overall', String(run.participants), ...counts(result.overall.counts), '']);
  const marginRows = result.margins.map((margin) => [
    `${margin.factor}=${margin.level}`,
    String(margin.n),
    ...counts(margin.counts),
    formatNumber(margin.imbalance, 4),
  ]);
  const lines = [
    `Randomisation simulation: template ${run.template}, ${run.participants} participants, seed ${run.seed}`,
    `Method: ${method}; arms ${arms.join(' : ')} = ${ratio}`,
    `Imbalance = range of count / ratio across arms (for 1:1, the difference between the arms).`,
    '',
    'Balance within strata:',
    alignTable(['stratum', 'n', ...arms, 'max running imbalance'], strataRows),
    '',
    'Balance at each factor level (margins):',
    alignTable(['level', 'n', ...arms, 'final imbalance'], marginRows),
  ];
  return `${lines.join('\n')}\n`;
}

export const randomisationCommand: CliCommand = {
  name: 'randomisation',
  usage: RANDOMISATION_USAGE,
  summary: 'simulate a trial randomisation (stratified permuted blocks or minimisation) and its balance',
  run: runRandomisation,
};
