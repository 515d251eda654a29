// Times the health economic evaluation (enrich economics' computation: read and validate the CSV files,
// costs, Gamma-log GLM with recycled predictions, lm for QALYs, a 1,000-resample bootstrap stratified by arm
// refitting both models, percentile CIs, CEAC) on the 590-participant simulated fixture, in enrich and in R
// (reference/economics.R via bench/r/economics.R) on this machine; prints the medians, their ratio and the
// cost difference with its CI from both (identical resamples, so the CIs agree to ~1e-10).
// Run: npm run bench:economics [-- RUNS R_RUNS] (needs Rscript with boot).
// Timings never go in tests; the machine is shared, so compare medians.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_ANALYSIS_PLAN,
  type EconomicEvaluation,
  economicEvaluation,
  readUnitCosts,
} from '../src/analysis/index.ts';
import { parseCsv } from '../src/table/index.ts';
import { readAnalysisDataset } from '../src/trial/index.ts';

const runs = Number(process.argv[2] ?? 9);
const rRuns = Number(process.argv[3] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const dataPath = `${root}test/fixtures/data/economics-simulated.csv`;
const costsPath = `${root}docs/guides/data/unit-costs-illustrative.csv`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function evaluate(): EconomicEvaluation {
  const dataset = readAnalysisDataset(parseCsv(readFileSync(dataPath), 'economics-simulated.csv'));
  const unitCosts = readUnitCosts(parseCsv(readFileSync(costsPath), 'unit-costs-illustrative.csv'));
  return economicEvaluation(dataset, DEFAULT_ANALYSIS_PLAN, { unitCosts });
}

const seconds: number[] = [];
let result: EconomicEvaluation | undefined;
for (let run = 0; run < runs; run++) {
  const start = process.hrtime.bigint();
  result = evaluate();
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
}
const r = JSON.parse(
  execFileSync('Rscript', [`${root}bench/r/economics.R`, String(rRuns)], { cwd: root, encoding: 'utf8' }),
) as { seconds: number[]; cost_difference: [number, number, number] };

const cost = result?.costs.meanDifference;
const enrichMedian = median(seconds);
const rMedian = median(r.seconds);
const lines = [
  `Economic evaluation, 590 participants, 1,000 bootstrap resamples (Gamma GLM + lm refitted in each); enrich median of ${runs}, R median of ${rRuns}`,
  `  enrich: ${enrichMedian.toFixed(3)} s   (first run, cold: ${seconds[0]?.toFixed(3)} s; runs: ${seconds.map((value) => value.toFixed(3)).join(', ')})`,
  `  R:      ${rMedian.toFixed(3)} s   (runs: ${r.seconds.map((value) => value.toFixed(3)).join(', ')})`,
  `  ratio R / enrich: ${(rMedian / enrichMedian).toFixed(1)}x   goal: well under 1 s per 1,000 resamples`,
  `  cost difference: enrich ${cost?.estimate} [${cost?.ciLower}, ${cost?.ciUpper}]`,
  `                   R      ${r.cost_difference[0]} [${r.cost_difference[1]}, ${r.cost_difference[2]}]`,
];
process.stdout.write(`${lines.join('\n')}\n`);
