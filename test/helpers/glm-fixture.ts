import { createDesignMatrix, type DesignMatrix } from '../../src/stats/models/design-matrix.ts';
import type { GlmFamilyName, GlmInput, GlmResult, LinkName, RobustType } from '../../src/stats/models/glm.ts';
import { readFixture } from './fixtures.ts';

/** One case of test/fixtures/glm.json (written by reference/glm.R). */
export interface GlmFixtureCase {
  name: string;
  data: string;
  formula: string;
  family: GlmFamilyName;
  link: LinkName;
  robust: RobustType | null;
  confidence_level: number;
  model_matrix: {
    column_names: string[];
    assign: number[];
    has_intercept: boolean;
    row_count: number;
    values: number[];
  };
  response: number[];
  row_numbers: number[];
  expected: Record<string, unknown> & { n_dropped: number };
}

/** All cases of test/fixtures/glm.json. */
export function readGlmCases(): GlmFixtureCase[] {
  return readFixture<{ cases: GlmFixtureCase[] }>('glm.json').cases;
}

/** The design matrix R fitted (model.matrix after na.omit). */
export function designFromCase(testCase: GlmFixtureCase): DesignMatrix {
  const {
    column_names: names,
    values,
    row_count: rows,
    assign,
    has_intercept: hasIntercept,
  } = testCase.model_matrix;
  return createDesignMatrix(
    names.map((name, j) => ({ name, values: values.slice(j * rows, (j + 1) * rows) })),
    { hasIntercept, assign },
  );
}

/** fitGlm's input for a fixture case. */
export function inputFromCase(testCase: GlmFixtureCase): GlmInput {
  const input: GlmInput = {
    design: designFromCase(testCase),
    response: Float64Array.from(testCase.response),
    family: testCase.family,
    link: testCase.link,
    rowNumbers: Int32Array.from(testCase.row_numbers),
    confidenceLevel: testCase.confidence_level,
  };
  if (testCase.robust !== null) input.robust = testCase.robust;
  return input;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * A GlmResult in the fixture's snake_case shape (the CLI's JSON); non-finite numbers become null as in JSON.
 * `n_dropped` belongs to the CLI (rows removed by na.omit), so it is taken from the fixture.
 */
export function toFixtureShape(result: GlmResult, nDropped: number): Record<string, unknown> {
  const shape: Record<string, unknown> = {
    n: result.n,
    n_dropped: nDropped,
    family: result.family,
    link: result.link,
    coefficients: result.coefficients.map((coefficient) => ({
      term: coefficient.term,
      estimate: coefficient.estimate,
      se: coefficient.se,
      statistic: coefficient.statistic,
      p_value: coefficient.pValue,
      ci_lower: coefficient.ciLower,
      ci_upper: coefficient.ciUpper,
    })),
    deviance: result.deviance,
    null_deviance: result.nullDeviance,
    df_residual: result.dfResidual,
    aic: finiteOrNull(result.aic),
    log_likelihood: finiteOrNull(result.logLikelihood),
    dispersion: result.dispersion,
    iterations: result.iterations,
    converged: result.converged,
    warnings: result.warnings,
  };
  if (result.theta !== undefined) shape.theta = result.theta;
  if (result.thetaSe !== undefined) shape.theta_se = result.thetaSe;
  return shape;
}

/** Largest relative difference between two JSON-like values over all numbers (for reporting agreement). */
export function maxRelativeError(actual: unknown, expected: unknown): number {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (expected === actual) return 0;
    return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.reduce(
      (worst: number, item, index) => Math.max(worst, maxRelativeError(actual[index], item)),
      0,
    );
  }
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    return Object.entries(expected).reduce(
      (worst: number, [key, value]) =>
        Math.max(worst, maxRelativeError((actual as Record<string, unknown>)[key], value)),
      0,
    );
  }
  return 0;
}
