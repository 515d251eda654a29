// Times enrich's cox on a CSV: node --import tsx bench/workers/cox.ts FILE.csv REPEATS
import { performance } from 'node:perf_hooks';
import { readTableFile } from '../../src/cli/io.ts';
import { coxFromFormula } from '../../src/stats/index.ts';
import { memoryMiB, resetPeakMemory } from './measure.ts';

const [file, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText ?? 1);
const table = readTableFile(file as string);
const formula = 'Surv(time, event) ~ z1 + z2 + z3 + z4 + z5';
const before = memoryMiB();
resetPeakMemory();
let fit = coxFromFormula(table, formula);
const start = performance.now();
for (let repeat = 0; repeat < repeats; repeat++) fit = coxFromFormula(table, formula);
const seconds = (performance.now() - start) / 1000;
const after = memoryMiB();
process.stdout.write(
  `${JSON.stringify({ seconds, perFit: seconds / repeats, peakMiB: after.peak, dataMiB: before.current, check: fit.coefficients[0]?.estimate })}\n`,
);
