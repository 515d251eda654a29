import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import {
  designFromCase,
  inputFromCase,
  readGlmCases,
  toFixtureShape,
} from '../../../test/helpers/glm-fixture.ts';
import { InvalidArgumentError, ModelFitError } from '../errors.ts';
import { createDesignMatrix } from './design-matrix.ts';
import { fitGlm } from './glm.ts';
import { getGlmFamily } from './glm-family.ts';
import { fitGlmIrls } from './glm-irls.ts';
import { glmSandwichCovariance, type RobustType } from './robust-covariance.ts';

const cases = readGlmCases().filter((testCase) => testCase.robust !== null);

// reference/glm.R: sqrt(diag(sandwich::vcovHC(fit, type))) with z statistics, e.g. the modified-Poisson
// glm(readmitted ~ arm + age + baseline + site, poisson) with HC0/HC1/HC3. The sandwich is assembled as
// sandwich does (estfun / rowMeans / bread x n x dispersion) from a fit that copies glm.fit, so it agrees to
// rounding: 1e-10 relative (measured: below 6e-12).
const tolerance = { relative: 1e-10 };

describe('fitGlm(robust) against sandwich::vcovHC', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: vcovHC(glm(${testCase.formula}, ${testCase.family}), type = "${testCase.robust}")`, () => {
      const result = fitGlm(inputFromCase(testCase));
      assert.equal(result.robust, testCase.robust);
      assertDeepClose(toFixtureShape(result, testCase.expected.n_dropped), testCase.expected, tolerance);
    });
  }
});

/** (A B) for small dense row-major matrices. */
function multiply(left: number[][], right: number[][]): number[][] {
  return left.map((row) =>
    (right[0] ?? []).map((_, j) => row.reduce((sum, value, l) => sum + value * (right[l]?.[j] ?? 0), 0)),
  );
}

/** Inverse of a small symmetric positive-definite matrix by Gauss-Jordan elimination. */
function invert(matrix: number[][]): number[][] {
  const size = matrix.length;
  const augmented = matrix.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let column = 0; column < size; column++) {
    const pivotRow = augmented[column] as number[];
    const pivot = pivotRow[column] as number;
    for (let j = 0; j < 2 * size; j++) pivotRow[j] = (pivotRow[j] as number) / pivot;
    augmented.forEach((row, i) => {
      if (i === column) return;
      const factor = row[column] as number;
      for (let j = 0; j < 2 * size; j++) row[j] = (row[j] as number) - factor * (pivotRow[j] as number);
    });
  }
  return augmented.map((row) => row.slice(size));
}

describe('glmSandwichCovariance', () => {
  const testCase = cases.find((candidate) => candidate.name === 'trial-modified-poisson-HC0');
  assert.ok(testCase);
  const design = designFromCase(testCase);
  const y = Float64Array.from(testCase.response);
  const fit = fitGlmIrls(design, y, getGlmFamily('poisson'));

  it("equals (X'WX)^-1 X' diag(u^2) X (X'WX)^-1 computed directly for HC0", () => {
    // An independent route (normal equations, Gauss-Jordan) to Zou's modified-Poisson sandwich, with R's
    // pieces: W = working weights of the last pass, u = working residual x working weight (= (y - mu) x mu_old
    // / mu, which is y - mu at convergence). Agreement is limited by the conditioning of X'WX (~1e4 here).
    const n = design.rowCount;
    const p = design.columnCount;
    const x = (i: number, j: number): number => design.values[j * n + i] as number;
    const score = (i: number): number =>
      (fit.workingResiduals[i] as number) * (fit.workingWeights[i] as number);
    const information = Array.from({ length: p }, (_, a) =>
      Array.from({ length: p }, (_, b) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (fit.workingWeights[i] as number) * x(i, a) * x(i, b);
        return sum;
      }),
    );
    const meat = Array.from({ length: p }, (_, a) =>
      Array.from({ length: p }, (_, b) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += score(i) ** 2 * x(i, a) * x(i, b);
        return sum;
      }),
    );
    const bread = invert(information);
    const expected = multiply(multiply(bread, meat), bread);
    const { covariance, columns } = glmSandwichCovariance({ ...fit, design, family: 'poisson' }, 'HC0');
    assert.deepEqual(columns, [0, 1, 2, 3, 4, 5, 6]);
    assertDeepClose(Array.from(covariance), expected.flat(), { relative: 1e-9 }, 'HC0');
  });

  it('scales HC0 by n / (n - k) for HC1', () => {
    const hc0 = glmSandwichCovariance({ ...fit, design, family: 'poisson' }, 'HC0').covariance;
    const hc1 = glmSandwichCovariance({ ...fit, design, family: 'poisson' }, 'HC1').covariance;
    const factor = design.rowCount / (design.rowCount - design.columnCount);
    // sandwich scales the weights before the cross-product, so rounding differs by a few ulps per term.
    assertDeepClose(
      Array.from(hc1),
      Array.from(hc0, (value) => value * factor),
      { relative: 1e-11 },
      'HC1',
    );
  });

  it('rejects an unknown type', () => {
    assert.throws(
      () => glmSandwichCovariance({ ...fit, design, family: 'poisson' }, 'HC4' as RobustType),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'robust covariance requires type HC0, HC1 or HC3 (got HC4)',
    );
  });

  it('refuses HC3 when an observation has hat value 1 and HC1 without residual degrees of freedom', () => {
    // The indicator of row 3 fits that row exactly: its hat value is 1 and HC3 would divide by zero.
    const single = createDesignMatrix([
      { name: '(Intercept)', values: [1, 1, 1, 1, 1] },
      { name: 'only3', values: [0, 0, 1, 0, 0] },
    ]);
    assert.throws(
      () =>
        fitGlm({
          design: single,
          response: Float64Array.of(1, 3, 2, 0, 4),
          family: 'poisson',
          robust: 'HC3',
          rowNumbers: Int32Array.of(2, 4, 6, 8, 10),
        }),
      (error: unknown) =>
        error instanceof ModelFitError &&
        error.message === 'robust HC3 covariance requires hat values below 1 (got 1 in row 6)',
    );
    const saturated = createDesignMatrix([
      { name: '(Intercept)', values: [1, 1] },
      { name: 'x', values: [0, 1] },
    ]);
    assert.throws(
      () => fitGlm({ design: saturated, response: Float64Array.of(1, 3), family: 'poisson', robust: 'HC1' }),
      (error: unknown) =>
        error instanceof ModelFitError &&
        error.message ===
          'robust HC1 covariance requires more observations than coefficients (got 2 observations, 2 coefficients)',
    );
  });
});
