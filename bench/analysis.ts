// Times the whole pre-specified trial analysis (enrich analyse's computation: read and validate the CSV
// files, primary, CACE with a 1,000-resample stratified BCa bootstrap and its jackknife, subgroups,
// counts, Cox/KM/log-rank, 4-month models, engagement, SAE, CONSORT, baseline) on the 590-participant
// fixture, in enrich and in R (reference/trial-analysis.R via bench/r/analysis.R) on this machine, prints
// the medians and their ratio, and checks that both give the same CACE interval.
// Run: npm run bench:analysis [-- RUNS R_RUNS] (needs Rscript with MASS, sandwich, survival, boot).
// Timings never go in tests; the machine is shared, so compare medians.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyseTrial, type TrialAnalysis } from '../src/analysis/index.ts';
import { parseCsv } from '../src/table/index.ts';
import { readAnalysisDataset, readSaeDataset } from '../src/trial/index.ts';

const runs = Number(process.argv[2] ?? 7);
const rRuns = Number(process.argv[3] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const dataPath = `${root}test/fixtures/data/trial-analysis-main.csv`;
const saePath = `${root}test/fixtures/data/trial-analysis-main-sae.csv`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function analyse(): TrialAnalysis {
  const dataset = readAnalysisDataset(parseCsv(readFileSync(dataPath), 'trial-analysis-main.csv'));
  const sae = readSaeDataset(parseCsv(readFileSync(saePath), 'trial-analysis-main-sae.csv'), dataset);
  return analyseTrial(dataset, {
    sae,
    provenance: { enrichVersion: 'bench', inputFile: 'trial-analysis-main.csv', inputSha256: '' },
  });
}

const seconds: number[] = [];
let result: TrialAnalysis | undefined;
for (let run = 0; run < runs; run++) {
  const start = process.hrtime.bigint();
  result = analyse();
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
}
const r = JSON.parse(
  execFileSync('Rscript', [`${root}bench/r/analysis.R`, String(rRuns)], { cwd: root, encoding: 'utf8' }),
) as { seconds: number[]; cace: [number, number, number] };

const cace = result?.cace.riskRatio;
const enrichMedian = median(seconds);
const rMedian = median(r.seconds);
const lines = [
  `Whole trial analysis, 590 participants, CACE BCa with 1,000 resamples (+ 590 jackknife refits); enrich median of ${runs}, R median of ${rRuns}`,
  `  enrich: ${enrichMedian.toFixed(3)} s   (first run, cold: ${seconds[0]?.toFixed(3)} s; runs: ${seconds.map((value) => value.toFixed(3)).join(', ')})`,
  `  R:      ${rMedian.toFixed(3)} s   (runs: ${r.seconds.map((value) => value.toFixed(3)).join(', ')})`,
  `  ratio R / enrich: ${(rMedian / enrichMedian).toFixed(1)}x   goal: >= 10x and under 2 s`,
  `  CACE RR: enrich ${cace?.estimate} [${cace?.ciLower}, ${cace?.ciUpper}]`,
  `           R      ${r.cace[0]} [${r.cace[1]}, ${r.cace[2]}]`,
];
process.stdout.write(`${lines.join('\n')}\n`);
