// Shared by the survival tests: the reference cases of test/fixtures/survival.json (written by
// reference/survival.R) and the camelCase -> snake_case mapping between enrich's results and the CLI JSON.
import { readFixture } from '../../../test/helpers/fixtures.ts';
import type { SurvivalGroups } from './types.ts';

export interface FixtureCase {
  name: string;
  kind: 'cox' | 'km' | 'logrank';
  data: string;
  formula: string;
  call: string;
  time: number[];
  event: number[];
  ties?: 'efron' | 'breslow';
  max_iterations?: number;
  model_matrix?: { column_names: string[]; values: number[] };
  groups?: { labels: string[]; codes: number[] };
  expected: Record<string, unknown>;
  expected_extra: Record<string, unknown>;
}

interface SurvivalFixture {
  r_version: string;
  packages: Record<string, string>;
  cases: FixtureCase[];
}

export const survivalFixture = readFixture<SurvivalFixture>('survival.json');

/** The fixture's cases of one kind. */
export function fixtureCases(kind: FixtureCase['kind']): FixtureCase[] {
  return survivalFixture.cases.filter((item) => item.kind === kind);
}

/** The fixture case named `name`. */
export function fixtureCase(name: string): FixtureCase {
  const found = survivalFixture.cases.find((item) => item.name === name);
  if (found === undefined) throw new Error(`test/fixtures/survival.json has no case ${name}`);
  return found;
}

/** The case's strata as a SurvivalGroups value. */
export function fixtureGroups(item: FixtureCase): SurvivalGroups | undefined {
  return item.groups === undefined
    ? undefined
    : { labels: item.groups.labels, codes: Int32Array.from(item.groups.codes) };
}

/** Recursively renames object keys from camelCase to the CLI's snake_case (`nRisk` -> `n_risk`). */
export function toSnakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCase);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
        toSnakeCase(item),
      ]),
    );
  }
  return value;
}

/** R's warning text with paste()'s stray spaces removed ("variable  1 ;" -> "variable 1;"). */
export function tidyWarning(message: string): string {
  return message.replace(/\s+/g, ' ').replace(/ ;/g, ';').trim();
}

/**
 * The fields of a Cox result that R reports outside coef/var (expected_extra), in the result's snake_case
 * shape: iterations, convergence (coxph warns "Ran out of iterations") and its warnings, and the three
 * global tests.
 */
export function coxExtras(item: FixtureCase): Record<string, unknown> {
  const extra = item.expected_extra as {
    iterations: number;
    warnings: string[];
    wald_test: unknown;
    likelihood_ratio_test: unknown;
    score_test: unknown;
  };
  return {
    iterations: extra.iterations,
    converged: !extra.warnings.includes('Ran out of iterations and did not converge'),
    warnings: extra.warnings.map(tidyWarning),
    wald_test: extra.wald_test,
    likelihood_ratio_test: extra.likelihood_ratio_test,
    score_test: extra.score_test,
  };
}
