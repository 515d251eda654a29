import { writeFileSync } from 'node:fs';
import { powerCurve } from '../../report/index.ts';
import { type PowerResult, simulatePower } from '../../trial/index.ts';
import { optionalPositiveInteger, parseCommandArguments } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { alignTable } from '../text-table.ts';
import { EFFECT_FLAGS, optionalNumber, seedOption, simulationOptionsFromArguments } from './simulate.ts';

export const POWER_USAGE =
  'enrich power [--n 200,400,590,800] [--control-risk 0.5] [--risk-ratio 0.86] [--reps 1000] [--seed 1] [--alpha 0.05] [--black-risk-ratio-factor 0.54] [--complier-control-risk-ratio 0.9] [--options OPTIONS.json] [--json] [--html OUT.html] [--svg OUT.svg]';

/** Defaults of `enrich power`: the sample-size question of the issue (the review's pooled RR 0.86 at a risk of 0.5). */
const DEFAULT_SAMPLE_SIZES = [200, 400, 590, 800];
const DEFAULT_CONTROL_RISK = 0.5;
const DEFAULT_RISK_RATIO = 0.86;
const DEFAULT_REPS = 1000;

function usage(message: string): UsageError {
  return new UsageError(`${message}\nusage: ${POWER_USAGE}`);
}

function sampleSizes(value: string | boolean | undefined): number[] {
  if (value === undefined) return DEFAULT_SAMPLE_SIZES;
  const parts = typeof value === 'string' ? value.split(',').map((part) => part.trim()) : [];
  if (parts.length === 0 || parts.some((part) => !/^\d+$/.test(part))) {
    throw usage(`--n requires comma-separated whole numbers such as 200,400,590 (got "${String(value)}")`);
  }
  return parts.map(Number);
}

/** A progress bar on stderr, drawn only on a terminal, redrawn when the percentage changes. */
function progressBar(
  io: CommandIo,
  label: string,
): { update(done: number, total: number): void; end(): void } {
  const terminal = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let shown = -1;
  return {
    update(done, total) {
      if (!terminal) return;
      const percent = Math.floor((100 * done) / total);
      if (percent === shown) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((width * done) / total);
      io.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total}`,
      );
    },
    end() {
      if (terminal && shown >= 0) io.stderr.write('\r\x1b[K');
    },
  };
}

/** A small self-contained HTML page with the power curve and the table. */
export function powerHtml(result: PowerResult, svg: string, seconds: number): string {
  const rows = result.points
    .map(
      (point) =>
        `<tr><td>${point.n}</td><td>${point.power.toFixed(3)}</td><td>${point.monteCarloSe.toFixed(3)}</td><td>${point.medianRatio.toFixed(3)}</td><td>${point.failed}</td><td>${point.warned}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Power by simulation</title>
<style>
body { font-family: Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 0.25rem 0.75rem; text-align: right; border-bottom: 1px solid #ddd; }
th { border-bottom: 2px solid #333; }
figure { margin: 1rem 0; }
svg { max-width: 100%; height: auto; }
p.method { font-size: 0.92rem; color: #333; }
</style>
</head>
<body>
<h1>Power by simulation</h1>
<figure>
${svg.trim()}
</figure>
<table>
<thead><tr><th>n</th><th>power</th><th>MC SE</th><th>median OR</th><th>failed fits</th><th>fits with warnings</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="method">${escapeHtml(methodText(result))} Run time ${seconds.toFixed(1)} s.</p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function methodText(result: PowerResult): string {
  return `For each total sample size, ${result.reps} trials were simulated with enrich's ENRICH-calibrated simulator (usual-care risk ${result.controlRisk}, intention-to-treat risk ratio ${result.riskRatio}, effect confined to compliers: ${(100 * result.complierProportion).toFixed(1)}% compliers, complier risk ratio ${result.complierRiskRatio.toFixed(3)}; 1:1 allocation by permuted blocks stratified by site and diagnosis group), and each was analysed by ${result.analysis}. Power is the share of trials with a two-sided p-value below ${result.alpha} for the arm effect; its Monte Carlo SE is sqrt(p(1 - p)/${result.reps}). Master seed ${result.seed}.`;
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw usage(`output file ${path} requires a writable path (got ${reason})`);
  }
}

async function runPower(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArguments(
    argv,
    {
      n: { type: 'string' },
      reps: { type: 'string' },
      seed: { type: 'string' },
      alpha: { type: 'string' },
      options: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      svg: { type: 'string' },
      ...Object.fromEntries(Object.keys(EFFECT_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
    POWER_USAGE,
  );
  if (parsed.positionals.length > 0) throw usage(`unexpected argument "${parsed.positionals[0]}"`);
  const sizes = sampleSizes(parsed.values.n);
  const reps = optionalPositiveInteger(parsed, 'reps', POWER_USAGE) ?? DEFAULT_REPS;
  const seed = seedOption(parsed, POWER_USAGE);
  const alpha = optionalNumber(parsed, 'alpha', POWER_USAGE);
  const fromArguments = simulationOptionsFromArguments(parsed, POWER_USAGE);
  const simulation = {
    controlRisk: DEFAULT_CONTROL_RISK,
    riskRatio: DEFAULT_RISK_RATIO,
    ...fromArguments,
  };
  for (const name of ['html', 'svg'] as const) {
    const value = parsed.values[name];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw usage(`--${name} requires a file name`);
    }
  }
  const bar = progressBar(io, 'power');
  const started = performance.now();
  let result: PowerResult;
  try {
    result = simulatePower({
      sampleSizes: sizes,
      reps,
      seed,
      ...(alpha === undefined ? {} : { alpha }),
      simulation,
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.end();
  }
  const seconds = (performance.now() - started) / 1000;
  const svg = powerCurve(result);
  if (typeof parsed.values.svg === 'string') writeOutput(parsed.values.svg, svg);
  if (typeof parsed.values.html === 'string')
    writeOutput(parsed.values.html, powerHtml(result, svg, seconds));
  if (parsed.values.json) {
    io.stdout.write(formatJson({ ...result, seconds }));
    return 0;
  }
  const lines = [
    `Power by simulation: ${reps} trials per n, control risk ${result.controlRisk}, risk ratio ${result.riskRatio}, alpha ${result.alpha}, seed ${seed}`,
    `Analysis: ${result.analysis}`,
    '',
    alignTable(
      ['n', 'power', 'MC SE', 'median OR', 'failed', 'warnings'],
      result.points.map((point) => [
        String(point.n),
        point.power.toFixed(3),
        point.monteCarloSe.toFixed(4),
        point.medianRatio.toFixed(3),
        String(point.failed),
        String(point.warned),
      ]),
    ).trimEnd(),
    '',
    `${(sizes.length * reps).toLocaleString('en-GB')} simulated trials in ${seconds.toFixed(1)} s`,
  ];
  for (const point of result.points) {
    if (point.firstProblem !== undefined) lines.push(`n = ${point.n}: first problem: ${point.firstProblem}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export const powerCommand: CliCommand = {
  name: 'power',
  usage: POWER_USAGE,
  summary: 'power of the primary analysis by simulation, for each sample size (with Monte Carlo SE)',
  run: runPower,
};
