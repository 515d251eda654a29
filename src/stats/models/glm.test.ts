import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { inputFromCase, readGlmCases, toFixtureShape } from '../../../test/helpers/glm-fixture.ts';
import { qnorm } from '../distributions/index.ts';
import { InvalidArgumentError, ModelDataError, ModelFitError } from '../errors.ts';
import { createDesignMatrix } from './design-matrix.ts';
import { fitGlm, type GlmInput } from './glm.ts';

const cases = readGlmCases().filter((testCase) => testCase.family !== 'negbin' && testCase.robust === null);

// reference/glm.R: glm(formula, family(link), data) with summary.glm, e.g.
// glm(low ~ age + lwt + factor(race) + smoke + ptl + ht + ui, binomial, data = MASS::birthwt).
// fitGlm copies glm.fit's start values, IRLS update, QR (dqrdc2) and stopping rule, so it takes the same
// iterations and agrees to rounding: 1e-10 relative (measured: below 2e-12 for every case). The exception is
// complete separation, where the last working weights are ~1e-16 and the SEs (~4e5) come from a matrix with
// condition number ~1e20; there rounding in the weights shows at ~6e-10, so that case is compared at 1e-8.
const tolerance = { relative: 1e-10 };
const separationTolerance = { relative: 1e-8 };

describe('fitGlm against R glm()', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: glm(${testCase.formula}, ${testCase.family}(link = "${testCase.link}"))`, () => {
      const result = fitGlm(inputFromCase(testCase));
      assertDeepClose(
        toFixtureShape(result, testCase.expected.n_dropped),
        testCase.expected,
        testCase.name === 'separation-logit' ? separationTolerance : tolerance,
      );
      assert.equal(result.dfNull, result.n - 1);
      assert.equal(result.robust, undefined);
    });
  }

  it('reports an aliased covariate with null numbers and fits the rest', () => {
    const testCase = cases.find((candidate) => candidate.name === 'birthwt-aliased-logit');
    assert.ok(testCase);
    const result = fitGlm(inputFromCase(testCase));
    const aliased = result.coefficients.find((coefficient) => coefficient.term === 'risk_total');
    assert.deepEqual(aliased, {
      term: 'risk_total',
      estimate: null,
      se: null,
      statistic: null,
      pValue: null,
      ciLower: null,
      ciUpper: null,
    });
    assert.equal(result.dfResidual, 189 - 5);
    assert.ok(
      result.coefficients
        .filter((coefficient) => coefficient.term !== 'risk_total')
        .every((c) => c.se !== null),
    );
  });

  it('records R warnings for complete separation', () => {
    const testCase = cases.find((candidate) => candidate.name === 'separation-logit');
    assert.ok(testCase);
    const result = fitGlm(inputFromCase(testCase));
    assert.equal(result.converged, false);
    assert.deepEqual(result.warnings, [
      'glm.fit: algorithm did not converge',
      'glm.fit: fitted probabilities numerically 0 or 1 occurred',
    ]);
  });
});

const interceptAndX = (x: number[]) =>
  createDesignMatrix([
    { name: '(Intercept)', values: x.map(() => 1) },
    { name: 'x', values: x },
  ]);

function assertThrows(input: GlmInput, errorClass: new (message: string) => Error, message: string): void {
  assert.throws(
    () => fitGlm(input),
    (error: unknown) => {
      assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe('fitGlm', () => {
  it('matches the TSDoc example', () => {
    const design = createDesignMatrix([
      { name: '(Intercept)', values: [1, 1, 1, 1, 1, 1] },
      { name: 'x', values: [0, 0, 0, 1, 1, 1] },
    ]);
    const fit = fitGlm({ design, response: Float64Array.of(0, 0, 1, 0, 1, 1), family: 'binomial' });
    assert.ok(Math.abs((fit.coefficients[1]?.estimate as number) - Math.log(4)) < 1e-12);
    assert.equal(fit.link, 'logit');
    assert.equal(fit.dispersion, 1);
  });

  it('uses the confidence level with the statistic reference distribution', () => {
    const testCase = cases.find((candidate) => candidate.name === 'birthwt-logit');
    assert.ok(testCase);
    const fit = fitGlm({ ...inputFromCase(testCase), confidenceLevel: 0.9 });
    const age = fit.coefficients[1];
    assert.ok(age?.estimate != null && age.se != null && age.ciUpper != null);
    assert.ok(Math.abs(age.ciUpper - (age.estimate + qnorm(0.95) * age.se)) < 1e-12);
  });

  it('rejects a non-0/1 binomial response, naming the data row', () => {
    const response = new Float64Array(20);
    response[16] = 2;
    assertThrows(
      {
        design: interceptAndX(Array.from({ length: 20 }, (_, i) => i)),
        response,
        family: 'binomial',
        rowNumbers: Int32Array.from({ length: 20 }, (_, i) => i + 1),
      },
      ModelDataError,
      'glm requires a 0/1 response for family binomial (got 2 in row 17)',
    );
    assertThrows(
      { design: interceptAndX([1, 2, 3]), response: Float64Array.of(0, 0.5, 1), family: 'binomial' },
      ModelDataError,
      'glm requires a 0/1 response for family binomial (got 0.5 in row 2)',
    );
  });

  it('rejects responses outside the family support', () => {
    const design = interceptAndX([1, 2, 3]);
    const rowNumbers = Int32Array.of(4, 9, 12);
    assertThrows(
      { design, response: Float64Array.of(1, -1, 2), family: 'poisson', rowNumbers },
      ModelDataError,
      'glm requires a non-negative response for family poisson (got -1 in row 9)',
    );
    assertThrows(
      { design, response: Float64Array.of(1, 2, -3), family: 'negbin', rowNumbers },
      ModelDataError,
      'glm requires a non-negative response for family negbin (got -3 in row 12)',
    );
    assertThrows(
      { design, response: Float64Array.of(0, 2, 3), family: 'Gamma', rowNumbers },
      ModelDataError,
      'glm requires a positive response for family Gamma (got 0 in row 4)',
    );
    assertThrows(
      { design, response: Float64Array.of(1, 0, 3), family: 'gaussian', link: 'log' },
      ModelDataError,
      'glm requires a positive response for family gaussian with link log (got 0 in row 2)',
    );
    assertThrows(
      { design, response: Float64Array.of(1, 2, 0), family: 'gaussian', link: 'inverse' },
      ModelDataError,
      'glm requires a non-zero response for family gaussian with link inverse (got 0 in row 3)',
    );
  });

  it('rejects non-finite values, mismatched lengths and empty data', () => {
    assertThrows(
      { design: interceptAndX([1, 2, 3]), response: Float64Array.of(1, Number.NaN, 3), family: 'gaussian' },
      ModelDataError,
      'glm requires a finite response (got NaN in row 2)',
    );
    assertThrows(
      {
        design: interceptAndX([1, Number.POSITIVE_INFINITY, 3]),
        response: Float64Array.of(1, 2, 3),
        family: 'gaussian',
      },
      ModelDataError,
      'glm requires finite covariate values (got Infinity in row 2, column x)',
    );
    assertThrows(
      { design: interceptAndX([1, 2, 3]), response: Float64Array.of(1, 2), family: 'gaussian' },
      ModelDataError,
      'glm requires one response value per design row (got 2 responses for 3 rows)',
    );
    assertThrows(
      { design: interceptAndX([]), response: new Float64Array(0), family: 'poisson' },
      ModelDataError,
      'glm requires at least one complete row (got 0)',
    );
  });

  it('rejects invalid arguments', () => {
    const design = interceptAndX([1, 2, 3, 4]);
    const response = Float64Array.of(1, 3, 2, 5);
    assertThrows(
      { design, response, family: 'poisson', link: 'logit' },
      InvalidArgumentError,
      'glm requires a link among log, identity, sqrt for family poisson (got logit)',
    );
    assertThrows(
      { design, response, family: 'negbin', link: 'sqrt' },
      InvalidArgumentError,
      'glm requires a link among log for family negbin (got sqrt)',
    );
    assertThrows(
      { design, response, family: 'quasipoisson' as GlmInput['family'] },
      InvalidArgumentError,
      'glm requires a family among gaussian, binomial, poisson, Gamma, negbin (got quasipoisson)',
    );
    assertThrows(
      { design, response, family: 'poisson', confidenceLevel: 1.5 },
      InvalidArgumentError,
      'glm requires a confidence level between 0 and 1 (got 1.5)',
    );
    assertThrows(
      { design, response, family: 'poisson', robust: 'HC2' as GlmInput['robust'] & string },
      InvalidArgumentError,
      'glm requires robust type HC0, HC1 or HC3 (got HC2)',
    );
    assertThrows(
      { design, response, family: 'poisson', rowNumbers: Int32Array.of(1, 2) },
      InvalidArgumentError,
      'glm requires one row number per design row (got 2 row numbers for 4 rows)',
    );
  });

  it('refuses models it cannot fit instead of returning NaN', () => {
    assertThrows(
      { design: createDesignMatrix([]), response: new Float64Array(0), family: 'poisson' },
      ModelDataError,
      'glm requires at least one complete row (got 0)',
    );
    const noColumns = {
      rowCount: 3,
      columnCount: 0,
      values: new Float64Array(0),
      columnNames: [],
      assign: [],
      hasIntercept: false,
    };
    assertThrows(
      { design: noColumns, response: Float64Array.of(1, 2, 3), family: 'poisson' },
      ModelFitError,
      'glm requires at least one model column (got an empty design matrix)',
    );
    assertThrows(
      {
        design: createDesignMatrix([{ name: 'zero', values: [0, 0, 0] }]),
        response: Float64Array.of(1, 2, 3),
        family: 'poisson',
      },
      ModelFitError,
      'glm requires at least one estimable coefficient (got rank 0: every column is zero)',
    );
    assertThrows(
      { design: interceptAndX([1, 2]), response: Float64Array.of(1, 3), family: 'gaussian' },
      ModelFitError,
      'glm requires more observations than coefficients to estimate the dispersion for family gaussian (got 2 observations, rank 2)',
    );
    // R: "no valid set of coefficients has been found: please supply starting values" (the first identity-link
    // step gives a negative Poisson mean).
    assertThrows(
      {
        design: interceptAndX([1, 2, 3, 4, 5]),
        response: Float64Array.of(0, 0, 0, 5, 20),
        family: 'poisson',
        link: 'identity',
      },
      ModelFitError,
      'glm could not be fitted: no valid set of coefficients has been found (fitted means out of range at the first step)',
    );
  });
});

describe('fitGlm covariance (vcov)', () => {
  // A logistic fit with an aliased column: the covariance covers the estimable coefficients in design order,
  // its diagonal is se^2 (model-based or sandwich), and it is symmetric (to rounding for the sandwich). Its off-diagonal elements are
  // checked against R through the subgroup odds ratios of reference/trial-analysis.R (src/analysis).
  const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const design = createDesignMatrix([
    { name: '(Intercept)', values: x.map(() => 1) },
    { name: 'x', values: x },
    { name: 'twice', values: x.map((value) => 2 * value) },
    { name: 'group', values: x.map((value) => value % 2) },
  ]);
  const response = Float64Array.from([0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1]);
  for (const robust of [undefined, 'HC0', 'HC3'] as const) {
    it(`${robust ?? 'model-based'}: terms, symmetry, diagonal = se^2`, () => {
      const fit = fitGlm({
        design,
        response,
        family: 'binomial',
        covariance: true,
        ...(robust === undefined ? {} : { robust }),
      });
      const covariance = fit.covariance;
      assert.ok(covariance !== undefined);
      assert.deepEqual(covariance.terms, ['(Intercept)', 'x', 'group']);
      const k = covariance.terms.length;
      for (let i = 0; i < k; i++) {
        const se = fit.coefficients.find((row) => row.term === covariance.terms[i])?.se as number;
        assert.ok(Math.abs((covariance.values[i * k + i] as number) - se * se) <= 1e-14 * se * se);
        for (let j = 0; j < k; j++) {
          // bread x meat x bread is symmetric up to rounding (as sandwich's own result).
          const upper = covariance.values[i * k + j] as number;
          const lower = covariance.values[j * k + i] as number;
          assert.ok(Math.abs(upper - lower) <= 1e-13 * Math.max(Math.abs(upper), Math.abs(lower)));
        }
      }
    });
  }
  it('is absent unless asked for', () => {
    assert.equal(fitGlm({ design, response, family: 'binomial' }).covariance, undefined);
  });
});
