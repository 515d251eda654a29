// Benchmarks enrich against R on this machine and prints the ratios. Run: npm run bench
// Needs Rscript with the survival package. Timings never go in tests; this script only prints them.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCoxData, writeLogisticData } from './generate-data.ts';

interface Measurement {
  seconds: number;
  perFit: number;
  peakMiB: number;
  dataMiB: number;
  check: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const directory = join(tmpdir(), 'enrich-bench');
mkdirSync(directory, { recursive: true });

function runEnrich(worker: string, file: string, repeats: number): Measurement {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'workers', worker), file, String(repeats)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output) as Measurement;
}

function runR(script: string, file: string, repeats: number): Measurement {
  const output = execFileSync('Rscript', [join(here, 'r', script), file, String(repeats)], {
    encoding: 'utf8',
  });
  return JSON.parse(output) as Measurement;
}

interface Scenario {
  name: string;
  goal: string;
  file: string;
  repeats: number;
  enrich: string;
  r: string;
}

const smallLogistic = join(directory, 'logistic-590.csv');
const largeLogistic = join(directory, 'logistic-1000000.csv');
const largeCox = join(directory, 'cox-100000.csv');
process.stderr.write('generating data ...\n');
writeLogisticData(smallLogistic, 590, 1);
writeLogisticData(largeLogistic, 1_000_000, 2);
writeCoxData(largeCox, 100_000, 3);

const scenarios: Scenario[] = [
  {
    name: '(a) logistic, 10 covariates, n = 590, 2,000 fits',
    goal: '>= 10x faster per fit',
    file: smallLogistic,
    repeats: 2000,
    enrich: 'glm.ts',
    r: 'glm.R',
  },
  {
    name: '(b) logistic, 10 covariates, n = 1,000,000',
    goal: 'no slower than R',
    file: largeLogistic,
    repeats: 3,
    enrich: 'glm.ts',
    r: 'glm.R',
  },
  {
    name: '(c) Cox (Efron), 5 covariates, n = 100,000, tied days',
    goal: 'no slower than R',
    file: largeCox,
    repeats: 3,
    enrich: 'cox.ts',
    r: 'cox.R',
  },
];

const rVersion = execFileSync(
  'Rscript',
  ['-e', 'cat(R.version.string, "survival", as.character(packageVersion("survival")))'],
  {
    encoding: 'utf8',
  },
);
process.stdout.write(
  `machine: ${cpus().length} x ${cpus()[0]?.model}; node ${process.version}; ${rVersion}\n\n`,
);
const header =
  '| scenario | R per fit (s) | enrich per fit (s) | speed-up (R / enrich) | goal | peak MiB during fits R / enrich | same estimate |';
process.stdout.write(`${header}\n|---|---|---|---|---|---|---|\n`);
for (const scenario of scenarios) {
  process.stderr.write(`running ${scenario.name} ...\n`);
  const r = runR(scenario.r, scenario.file, scenario.repeats);
  const enrich = runEnrich(scenario.enrich, scenario.file, scenario.repeats);
  const agreement = Math.abs(r.check - enrich.check) / Math.abs(r.check);
  process.stdout.write(
    `| ${scenario.name} | ${r.perFit.toPrecision(4)} | ${enrich.perFit.toPrecision(4)} | ${(r.perFit / enrich.perFit).toFixed(2)}x | ${scenario.goal} | ${r.peakMiB.toFixed(0)} / ${enrich.peakMiB.toFixed(0)} | ${agreement < 1e-8 ? 'yes' : 'NO'} (rel. diff ${agreement.toExponential(1)}) |\n`,
  );
}
process.stdout.write(
  '\nPer-fit times include building the model frame and matrix from the already-read table (R: glm()/coxph() on a data.frame).\n',
);
process.stdout.write(
  'Peak memory is the process peak RSS during the timed fits (VmHWM reset after reading the data).\n',
);
