// Times 10,000 bootstrap resamples of a mean on 590 rows in enrich and in R (boot::boot) on this machine,
// prints the medians and their ratio, and checks that both drew the same resamples (same SE and BCa).
// Run: npm run bench:bootstrap (needs Rscript with boot). Timings never go in tests.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bootCi, bootstrap, createRRandom, meanStatistic } from '../src/stats/index.ts';

const RUNS = 7;
const here = fileURLToPath(new URL('.', import.meta.url));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

// set.seed(590); x <- rnorm(590), drawn by our R-compatible generator.
const x = createRRandom(590).rnorm(590);
const statistic = meanStatistic(x);
bootstrap({ n: 590, statistic, replicates: 10_000, rng: createRRandom(1) }); // warm-up (JIT)
const seconds: number[] = [];
let result = bootstrap({ n: 590, statistic, replicates: 1, rng: createRRandom(1) });
for (let run = 0; run < RUNS; run++) {
  const start = process.hrtime.bigint();
  result = bootstrap({ n: 590, statistic, replicates: 10_000, rng: createRRandom(1) });
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
}
const ciStart = process.hrtime.bigint();
const ci = bootCi(result, { types: ['bca'] });
const ciSeconds = Number(process.hrtime.bigint() - ciStart) / 1e9;

const r = JSON.parse(
  execFileSync('Rscript', [`${here}r/bootstrap.R`, String(RUNS)], { encoding: 'utf8' }),
) as { seconds: number[]; se: number; bca: [number, number]; ciSeconds: number };

const enrichMedian = median(seconds);
const rMedian = median(r.seconds);
const lines = [
  '10,000 bootstrap resamples of mean(x), n = 590 (boot::boot, R = 10000), median of 7 runs',
  `  enrich: ${enrichMedian.toFixed(3)} s   (runs: ${seconds.map((value) => value.toFixed(3)).join(', ')})`,
  `  R boot: ${rMedian.toFixed(3)} s   (runs: ${r.seconds.map((value) => value.toFixed(3)).join(', ')})`,
  `  ratio R / enrich: ${(rMedian / enrichMedian).toFixed(1)}x   goal: well under 1 s`,
  `  BCa interval with jackknife L: enrich ${ciSeconds.toFixed(3)} s, R ${r.ciSeconds.toFixed(3)} s`,
  `  same resamples: SE ${result.se[0]} vs R ${r.se}; BCa [${ci.bca?.join(', ')}] vs R [${r.bca.join(', ')}]`,
];
process.stdout.write(`${lines.join('\n')}\n`);
