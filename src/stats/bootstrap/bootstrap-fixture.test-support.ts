import { readFileSync } from 'node:fs';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';

// reference/bootstrap.R writes values that must match bit for bit as strings with 17 significant digits
// (jsonlite 1.8.4 caps numbers at 15); this reads the fixture with those strings turned back into numbers.

/** test/fixtures/bootstrap.json with every numeric string parsed (`"1.5"` -> 1.5); null stays null. */
export function readBootstrapFixture(): BootstrapFixture {
  return reviveNumbers(readFixture('bootstrap.json')) as BootstrapFixture;
}

function reviveNumbers(value: unknown): unknown {
  if (typeof value === 'string' && /^-?(\d|Inf)/.test(value) && !Number.isNaN(Number(value)))
    return Number(value);
  if (Array.isArray(value)) return value.map(reviveNumbers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reviveNumbers(item)]));
  }
  return value;
}

export interface IntervalCase {
  index: number;
  conf: number;
  normal: number[];
  basic: number[];
  percent: number[];
  bca: number[];
  w: number[];
  a: number[];
  influence: number[];
  warnings: string[];
}

export interface SummaryCase {
  name: string;
  R: number;
  seed: number;
  t0: number[];
  bias: number[];
  se: number[];
  intervals: IntervalCase[];
  t?: number[];
}

export interface CliCase extends SummaryCase {
  statistic: 'mean' | 'median' | 'sd' | 'ratio-of-means' | 'difference-in-means';
  column: string;
  column2: string | null;
  group: string | null;
  strata: string | null;
  n: number;
  n_dropped: number;
}

export interface RngCase {
  seed: number;
  random_seed: number[];
  runif: number[];
  runif_scaled: number[];
  sample_10: number[];
  sample_590: number[];
  sample_65536: number[];
  sample_65537: number[];
  sample_100000: number[];
  sample_int_max: number[];
  sample_1: number[];
  permutation_10: number[];
  without_replacement: number[];
  sample_letters: string[];
  rnorm: number[];
  rnorm_scaled: number[];
  after: number[];
}

export interface BootstrapFixture {
  r_version: string;
  packages: Record<string, string>;
  cases: {
    rng: RngCase[];
    long_stream: { seed: number; runif: number[]; rnorm: number[]; sample: number[] };
    cli: CliCase[];
    layout: {
      x: number[];
      strata: number[];
      plain: { seed: number; R: number; indices: number[][]; t: number[] };
      stratified: { seed: number; R: number; indices: number[][]; t: number[]; influence: number[] };
    };
    multi: SummaryCase & { n: number };
    city: SummaryCase & { u: number[]; x: number[] };
    extreme: SummaryCase & { x: number[] };
    minimum: { x: number[]; R: number; seed: number; error: string; percent: number[] };
  };
}

/** test/fixtures/data/bootstrap-trial.csv as columns: numbers (NaN for NA) or, for `arm`, strings. */
export function readTrialColumns(): { numeric: Record<string, Float64Array>; arm: string[] } {
  const text = readFileSync(fixturePath('data/bootstrap-trial.csv'), 'utf8').trim().split('\n');
  const header = (text[0] as string).split(',').map((cell) => cell.replaceAll('"', ''));
  const rows = text.slice(1).map((line) => line.split(',').map((cell) => cell.replaceAll('"', '')));
  const numeric: Record<string, Float64Array> = {};
  header.forEach((name, column) => {
    if (name !== 'arm')
      numeric[name] = Float64Array.from(rows, (row) =>
        row[column] === 'NA' ? Number.NaN : Number(row[column]),
      );
  });
  return { numeric, arm: rows.map((row) => row[header.indexOf('arm')] as string) };
}
