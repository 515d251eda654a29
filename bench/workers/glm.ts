// Times enrich's glm on a CSV: node --import tsx bench/workers/glm.ts FILE.csv REPEATS
import { performance } from 'node:perf_hooks';
import { readTableFile } from '../../src/cli/io.ts';
import { glmFromFormula } from '../../src/stats/index.ts';
import { memoryMiB, resetPeakMemory } from './measure.ts';

const [file, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText ?? 1);
const table = readTableFile(file as string);
const formula = 'y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10';
const before = memoryMiB();
resetPeakMemory();
let fit = glmFromFormula(table, formula, { family: 'binomial' });
const start = performance.now();
for (let repeat = 0; repeat < repeats; repeat++) fit = glmFromFormula(table, formula, { family: 'binomial' });
const seconds = (performance.now() - start) / 1000;
const after = memoryMiB();
process.stdout.write(
  `${JSON.stringify({ seconds, perFit: seconds / repeats, peakMiB: after.peak, dataMiB: before.current, check: fit.coefficients[1]?.estimate })}\n`,
);
