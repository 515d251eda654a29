import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { parseCsv, type Table } from '../../table/index.ts';
import type { KappaWeights, Rating } from './cohen-kappa.ts';
import type { ReliabilityItem } from './cronbach-alpha.ts';

/** One case of test/fixtures/reliability.json (written by reference/reliability.R). */
export type ReliabilityCase =
  | {
      kind: 'alpha';
      name: string;
      call: string;
      data: string;
      items: string[] | null;
      r_warnings: string[];
      expected: Record<string, unknown>;
    }
  | {
      kind: 'icc';
      name: string;
      call: string;
      data: string;
      columns: string[] | null;
      expected: Record<string, unknown>;
    }
  | {
      kind: 'kappa';
      name: string;
      call: string;
      data: string;
      rater1: string;
      rater2: string;
      weights: KappaWeights;
      r_warnings: string[];
      expected: Record<string, unknown>;
    };

/** Every case of the fixture of a given kind. */
export function reliabilityCases<K extends ReliabilityCase['kind']>(
  kind: K,
): Extract<ReliabilityCase, { kind: K }>[] {
  return readFixture<{ cases: ReliabilityCase[] }>('reliability.json').cases.filter(
    (testCase): testCase is Extract<ReliabilityCase, { kind: K }> => testCase.kind === kind,
  );
}

/** The fixture's CSV, typed as enrich reads it. */
export function readCaseTable(data: string): Table {
  return parseCsv(readFileSync(fixturePath(data)), data);
}

/** The named numeric columns (or every numeric column) as items. */
export function numericItems(table: Table, names: readonly string[] | null): ReliabilityItem[] {
  const selected = names ?? table.columnNames.filter((name) => table.findColumn(name)?.kind === 'numeric');
  return selected.map((name) => {
    const column = table.findColumn(name);
    if (column?.kind !== 'numeric') throw new Error(`fixture column ${name} is not numeric`);
    return { name, values: column.values };
  });
}

/** A column's ratings: numbers, labels, or null where missing. */
export function ratings(table: Table, name: string): Rating[] {
  const column = table.findColumn(name);
  if (column === undefined) throw new Error(`fixture column ${name} is missing`);
  if (column.kind === 'numeric')
    return Array.from(column.values, (value) => (Number.isNaN(value) ? null : value));
  return Array.from(column.codes, (code) => (code < 0 ? null : (column.levels[code] as string)));
}

/** camelCase result keys -> the fixture's snake_case (symbols such as `F` stay). */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        /^[A-Z][A-Za-z0-9]*$/.test(key) ? key : key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
        snakeCaseKeys(item),
      ]),
    );
  }
  return value;
}

/**
 * Asserts that enrich warned where psych did. enrich words its own warnings, so each kind is recognised by
 * a pattern and expected from what R reported: psych::alpha's warnings one for one (r_warnings); for ICC,
 * one warning when R's na.omit dropped rows; for kappa, a clipping warning when R's chosen CI (of positive
 * width) reaches -1 or 1, and a negative-variance warning when psych set a variance to 0 for a kappa below 1 (psych
 * itself is silent there). The (psych's) kappa warning about the row not chosen is not repeated.
 */
export function assertWarningsAsR(testCase: ReliabilityCase, warnings: readonly string[]): void {
  const expected = testCase.expected as Record<string, number>;
  const patterns: RegExp[] = [];
  if (testCase.kind === 'alpha') {
    for (const message of testCase.r_warnings) {
      patterns.push(/negatively correlated/.test(message) ? /^negatively correlated/ : /had no variance/);
    }
  } else if (testCase.kind === 'icc') {
    if ((expected.n_dropped as number) > 0) patterns.push(/row\(s\) with a missing rating were dropped/);
  } else {
    if ((expected.variance as number) > 0 && (expected.ci_lower === -1 || expected.ci_upper === 1))
      patterns.push(/exceeded \[-1, 1\] and was clipped/);
    if (expected.variance === 0 && expected.kappa !== 1) patterns.push(/gave a negative value/);
  }
  assert.equal(warnings.length, patterns.length, `warnings: ${JSON.stringify(warnings)}`);
  patterns.forEach((pattern, index) => {
    assert.match(warnings[index] as string, pattern);
  });
}
