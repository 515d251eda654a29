import { readFileSync, writeFileSync } from 'node:fs';
import {
  ANALYSIS_DATASET_COLUMNS,
  formatDatasetCsv,
  SAE_COLUMNS,
  type SimulatedTrial,
  simulateTrialFromSeed,
  type TrialSimulationOptionsInput,
} from '../../trial/index.ts';
import { type ParsedArguments, parseCommandArguments, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { InputFileError, UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { alignTable } from '../text-table.ts';

export const SIMULATE_USAGE =
  'enrich simulate --n 590 --seed 1 --out FILE.csv [--sae-out SAE.csv] [--control-risk 0.502] [--risk-ratio 0.97] [--black-risk-ratio-factor 0.54] [--complier-control-risk-ratio 0.9] [--followup 0.55] [--sites 7] [--options OPTIONS.json] [--json]';

/** Command-line flags that set one simulator option each (numbers), and the option they set. */
export const EFFECT_FLAGS: Readonly<Record<string, keyof TrialSimulationOptionsInput>> = {
  'control-risk': 'controlRisk',
  'risk-ratio': 'riskRatio',
  'black-risk-ratio-factor': 'blackRiskRatioFactor',
  'complier-control-risk-ratio': 'complierControlRiskRatio',
  followup: 'followUpProbability',
  sites: 'sites',
};

/** A number option; `undefined` when absent. @throws UsageError when it is not a finite number. */
export function optionalNumber(parsed: ParsedArguments, name: string, usage: string): number | undefined {
  const value = parsed.values[name];
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) {
    throw new UsageError(`--${name} requires a number (got "${String(value)}")\nusage: ${usage}`);
  }
  return number;
}

/** A whole-number seed in R's integer range (default 1). */
export function seedOption(parsed: ParsedArguments, usage: string): number {
  const value = parsed.values.seed;
  if (value === undefined) return 1;
  const seed = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || Math.abs(seed) > 2147483647) {
    throw new UsageError(
      `--seed requires a whole number between -2147483647 and 2147483647 (got "${String(value)}")\nusage: ${usage}`,
    );
  }
  return seed;
}

/**
 * The simulator options of a command line: `--options FILE.json` (a JSON object of option names, see
 * docs/reference/simulator.md), then the effect flags on top. The options themselves are validated by the
 * simulator (SimulationOptionsError, every problem named).
 */
export function simulationOptionsFromArguments(
  parsed: ParsedArguments,
  usage: string,
): TrialSimulationOptionsInput {
  let fromFile: Record<string, unknown> = {};
  const file = parsed.values.options;
  if (typeof file === 'string') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new InputFileError(`options file ${file} requires a readable file (got ${reason})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UsageError(
        `--options requires a JSON file (got ${(error as Error).message})\nusage: ${usage}`,
      );
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new UsageError(
        `--options requires a JSON object of simulator options (got ${JSON.stringify(json)?.slice(0, 40)})\nusage: ${usage}`,
      );
    }
    fromFile = camelCaseOptions(json as Record<string, unknown>);
  }
  const flags: Record<string, number> = {};
  for (const [flag, option] of Object.entries(EFFECT_FLAGS)) {
    const value = optionalNumber(parsed, flag, usage);
    if (value !== undefined) flags[option] = value;
  }
  return { ...fromFile, ...flags } as TrialSimulationOptionsInput;
}

/**
 * Accepts the snake_case names that `--json` prints (`control_risk`, `scales.eq5d.higher_is_better`) as well
 * as the camelCase names of docs/reference/simulator.md: top-level names and the settings inside `scales`.
 * Category and scale names (`self_harm`, `quality_of_life`) are values of the dictionary and stay as they are.
 */
function camelCaseOptions(json: Record<string, unknown>): Record<string, unknown> {
  const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const name = camel(key);
    if (name === 'scales' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[name] = Object.fromEntries(
        Object.entries(value).map(([scale, settings]) => [
          scale,
          settings !== null && typeof settings === 'object'
            ? Object.fromEntries(Object.entries(settings).map(([field, item]) => [camel(field), item]))
            : settings,
        ]),
      );
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** What `enrich simulate` reports about the trial it wrote. */
interface SimulateSummary {
  seed: number;
  out: string;
  saeOut: string | null;
  participants: number;
  arms: { arm: string; n: number; readmitted: number; known: number; percentReadmitted: number }[];
  complierProportion: number;
  complierRiskRatio: number;
  followUp: number;
  saeEvents: number;
  saeParticipants: number;
  deaths: number;
}

function summarise(trial: SimulatedTrial, out: string, saeOut: string | undefined): SimulateSummary {
  const { dataset, sae, model } = trial;
  const arm = dataset.categorical('arm');
  const readmitted = dataset.numeric('readmitted_12m');
  const arms = arm.levels.map((level, code) => {
    let n = 0;
    let events = 0;
    let known = 0;
    for (let row = 0; row < dataset.rowCount; row++) {
      if (arm.codes[row] !== code) continue;
      n++;
      const value = readmitted[row] as number;
      if (!Number.isNaN(value)) {
        known++;
        events += value;
      }
    }
    return { arm: level, n, readmitted: events, known, percentReadmitted: (100 * events) / known };
  });
  const sum = (name: string) => dataset.numeric(name).reduce((total, value) => total + value, 0);
  return {
    seed: trial.seed,
    out,
    saeOut: saeOut ?? null,
    participants: dataset.rowCount,
    arms,
    complierProportion: model.complierProportion,
    complierRiskRatio: model.complierRiskRatio,
    followUp: sum('followup_4m') / dataset.rowCount,
    saeEvents: sae.rowCount,
    saeParticipants: new Set(sae.participantIds).size,
    deaths: sum('died_12m'),
  };
}

function writeOutput(path: string, text: string, usage: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`output file ${path} requires a writable path (got ${reason})\nusage: ${usage}`);
  }
}

function runSimulate(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      n: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'sae-out': { type: 'string' },
      options: { type: 'string' },
      json: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(EFFECT_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
    SIMULATE_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${SIMULATE_USAGE}`);
  }
  const out = requireOption(parsed, 'out', SIMULATE_USAGE);
  const saeOut = parsed.values['sae-out'];
  if (saeOut !== undefined && (typeof saeOut !== 'string' || saeOut.trim() === '')) {
    throw new UsageError(`--sae-out requires a file name\nusage: ${SIMULATE_USAGE}`);
  }
  const seed = seedOption(parsed, SIMULATE_USAGE);
  const options = simulationOptionsFromArguments(parsed, SIMULATE_USAGE);
  const n = optionalNumber(parsed, 'n', SIMULATE_USAGE);
  const trial = simulateTrialFromSeed(n === undefined ? options : { ...options, participants: n }, seed);
  // both files are formatted before either is written
  const csv = formatDatasetCsv(trial.dataset, ANALYSIS_DATASET_COLUMNS);
  const saeCsv = saeOut === undefined ? undefined : formatDatasetCsv(trial.sae, SAE_COLUMNS);
  writeOutput(out, csv, SIMULATE_USAGE);
  if (saeOut !== undefined && saeCsv !== undefined) writeOutput(saeOut, saeCsv, SIMULATE_USAGE);
  const summary = summarise(trial, out, saeOut);
  if (parsed.values.json) {
    io.stdout.write(
      formatJson({
        ...summary,
        options: trial.options,
        model: {
          ...trial.model,
          siteRiskMultipliers: Array.from(trial.model.siteRiskMultipliers),
          diagnosisRiskMultipliers: Array.from(trial.model.diagnosisRiskMultipliers),
        },
      }),
    );
    return 0;
  }
  const lines = [
    `Simulated trial (seed ${seed}): ${summary.participants} participants written to ${out}${saeOut === undefined ? '' : `, ${summary.saeEvents} serious adverse events to ${saeOut}`}`,
    '',
    alignTable(
      ['arm', 'n', 'readmitted', 'known', '%'],
      summary.arms.map((arm) => [
        arm.arm,
        String(arm.n),
        String(arm.readmitted),
        String(arm.known),
        arm.percentReadmitted.toFixed(1),
      ]),
    ).trimEnd(),
    '',
    `Model: control risk ${trial.options.controlRisk}, ITT risk ratio ${trial.options.riskRatio}, compliers ${(100 * summary.complierProportion).toFixed(1)}% (complier risk ratio ${summary.complierRiskRatio.toFixed(3)})`,
    `4-month follow-up ${(100 * summary.followUp).toFixed(1)}%; ${summary.deaths} deaths; ${summary.saeEvents} SAEs in ${summary.saeParticipants} participants`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage: SIMULATE_USAGE,
  summary: 'simulate an ENRICH-like trial: analysis dataset (and SAE file) from one seed',
  run: runSimulate,
};
