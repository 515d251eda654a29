// Loads test/fixtures/trial-analysis.json (reference/trial-analysis.R) and compares an analysis with it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath, readFixture } from '../../test/helpers/fixtures.ts';

export interface TrialAnalysisCase {
  name: string;
  data: string;
  sae: string;
  resamples: number;
  seed: number;
  result: Record<string, unknown>;
}

export function trialAnalysisCases(): TrialAnalysisCase[] {
  return (readFixture('trial-analysis.json') as { cases: TrialAnalysisCase[] }).cases;
}

/** camelCase keys -> snake_case, as the CLI's --json writes them. */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
        snakeCaseKeys(item),
      ]),
    );
  }
  return value;
}

/** Keys the R script writes for diagnosis only (no enrich counterpart). */
const R_ONLY = new Set(['stage1_iterations', 'replicates_head']);

/**
 * Compares every leaf of `expected` (R) with the same path in `actual`: strings and integers exactly,
 * other numbers within `tolerance(path)` relative (absolute near zero). Returns the largest relative error.
 */
export function compareWithR(
  actual: unknown,
  expected: unknown,
  tolerance: (path: string) => number,
  path = '',
): number {
  if (expected === null) {
    assert.ok(
      actual === null || actual === undefined,
      `${path}: expected null (R's NA), got ${String(actual)}`,
    );
    return 0;
  }
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: expected a number ${expected}, got ${String(actual)}`);
    const error = Math.abs((actual as number) - expected) / Math.max(Math.abs(expected), 1e-12);
    const limit = tolerance(path);
    assert.ok(
      error <= limit || Math.abs((actual as number) - expected) <= limit * 1e-6,
      `${path}: ${actual} vs R ${expected} (relative error ${error.toExponential(2)} > ${limit})`,
    );
    return Math.abs(expected) < 1e-300 ? 0 : error;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') {
    assert.equal(actual, expected, `${path}`);
    return 0;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
    return Math.max(
      0,
      ...expected.map((item, index) =>
        compareWithR((actual as unknown[])[index], item, tolerance, `${path}[${index}]`),
      ),
    );
  }
  let worst = 0;
  for (const [key, item] of Object.entries(expected as Record<string, unknown>)) {
    if (R_ONLY.has(key)) continue;
    assert.ok(
      actual !== null && typeof actual === 'object' && key in actual,
      `${path}.${key}: missing in enrich's result`,
    );
    worst = Math.max(
      worst,
      compareWithR((actual as Record<string, unknown>)[key], item, tolerance, `${path}.${key}`),
    );
  }
  return worst;
}

/** The CSV text of a fixture dataset with `edit(cells, columnIndex)` applied to each data row (no quoted commas in fixtures). */
export function editedCsv(
  relativePath: string,
  edit: (cells: string[], column: (name: string) => number, row: number) => void,
): string {
  const [header, ...rows] = readFileSync(fixturePath(relativePath), 'utf8').trimEnd().split('\n') as [
    string,
    ...string[],
  ];
  const names = header.split(',').map((name) => name.replaceAll('"', ''));
  const column = (name: string) => {
    const index = names.indexOf(name);
    if (index < 0) throw new RangeError(`no column ${name}`);
    return index;
  };
  const edited = rows.map((line, row) => {
    const cells = line.split(',');
    edit(cells, column, row);
    return cells.join(',');
  });
  return `${[header, ...edited].join('\n')}\n`;
}
