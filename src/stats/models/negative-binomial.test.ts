import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import {
  designFromCase,
  inputFromCase,
  readGlmCases,
  toFixtureShape,
} from '../../../test/helpers/glm-fixture.ts';
import { ModelFitError } from '../errors.ts';
import { createDesignMatrix } from './design-matrix.ts';
import { fitGlm } from './glm.ts';
import { fitNegativeBinomial, negativeBinomialLogLikelihood, thetaMl } from './negative-binomial.ts';

const cases = readGlmCases().filter((testCase) => testCase.family === 'negbin' && testCase.robust === null);

// reference/glm.R: MASS::glm.nb(formula, data) with summary(fit, dispersion = 1), e.g.
// glm.nb(Days ~ Sex/(Age + Eth*Lrn), data = MASS::quine). fitNegativeBinomial copies glm.nb's alternation
// (including theta.ml on the pre-refit means), theta.ml's Newton steps and glm.fit, so it stops at the same
// iterate: 1e-10 relative (measured: below 7e-14). digamma/trigamma come from stdlib rather than R's nmath;
// they agree to ~1e-15, well inside that.
const tolerance = { relative: 1e-10 };

describe('fitGlm(family: negbin) against MASS::glm.nb', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: glm.nb(${testCase.formula})`, () => {
      const result = fitGlm(inputFromCase(testCase));
      assertDeepClose(toFixtureShape(result, testCase.expected.n_dropped), testCase.expected, tolerance);
    });
  }

  it('fitNegativeBinomial gives the theta, SE.theta and twologlik of glm.nb on quine', () => {
    const testCase = cases.find((candidate) => candidate.name === 'quine-negbin');
    assert.ok(testCase);
    const expected = testCase.expected as unknown as {
      theta: number;
      theta_se: number;
      log_likelihood: number;
    };
    const fit = fitNegativeBinomial(designFromCase(testCase), Float64Array.from(testCase.response));
    assertDeepClose(fit.theta, expected.theta, tolerance, 'theta');
    assertDeepClose(fit.thetaSe, expected.theta_se, tolerance, 'SE.theta');
    assertDeepClose(fit.twiceLogLikelihood, 2 * expected.log_likelihood, tolerance, 'twologlik');
    assertDeepClose(fit.aic, -fit.twiceLogLikelihood + 2 * fit.fit.rank + 2, tolerance, 'aic');
    assertDeepClose(
      negativeBinomialLogLikelihood(Float64Array.from(testCase.response), fit.fit.mu, fit.theta),
      fit.twiceLogLikelihood / 2,
      tolerance,
      'loglik',
    );
  });

  it('passes on the Poisson start warnings for non-integer counts', () => {
    const testCase = cases.find((candidate) => candidate.name === 'trial-negbin-noninteger');
    assert.ok(testCase);
    const result = fitGlm(inputFromCase(testCase));
    assert.ok(result.warnings.length > 0);
    assert.ok(result.warnings.every((message) => /^non-integer x = \d+\.5{1}0{5}$/.test(message)));
  });
});

describe('thetaMl', () => {
  it('matches the TSDoc example', () => {
    // reference/doc-examples.R: MASS::theta.ml(c(0, 2, 5, 1, 9), rep(3.4, 5))
    const expected = readFixture<{ cases: { theta_ml: { theta: number; se: number } } }>('doc-examples.json')
      .cases.theta_ml;
    const estimate = thetaMl(Float64Array.of(0, 2, 5, 1, 9), Float64Array.of(3.4, 3.4, 3.4, 3.4, 3.4));
    assertDeepClose(estimate.theta, expected.theta, tolerance, 'theta');
    assertDeepClose(estimate.se, expected.se, tolerance, 'SE');
    assert.deepEqual(estimate.warnings, []);
  });

  it('warns like MASS when the iteration limit is reached', () => {
    const estimate = thetaMl(Float64Array.of(0, 2, 5, 1, 9), Float64Array.of(3.4, 3.4, 3.4, 3.4, 3.4), 2);
    assert.equal(estimate.iterations, 2);
    assert.deepEqual(estimate.warnings, ['iteration limit reached']);
  });
});

describe('negativeBinomialLogLikelihood', () => {
  it('matches the TSDoc example', () => {
    // reference/doc-examples.R: glm.nb's log-likelihood expression at y = c(0, 3), mu = c(1, 2), theta = 2
    const expected = readFixture<{ cases: { nb_loglik: number } }>('doc-examples.json').cases.nb_loglik;
    const value = negativeBinomialLogLikelihood(Float64Array.of(0, 3), Float64Array.of(1, 2), 2);
    assertDeepClose(value, expected, { relative: 1e-14 }, 'loglik');
  });
});

describe('fitNegativeBinomial', () => {
  it('refuses counts without any variation around the mean (theta.ml diverges; R stops too)', () => {
    const design = createDesignMatrix([{ name: '(Intercept)', values: [1, 1, 1, 1] }]);
    assert.throws(
      () => fitNegativeBinomial(design, Float64Array.of(5, 5, 5, 5)),
      (error: unknown) =>
        error instanceof ModelFitError &&
        error.message ===
          'glm.nb requires a positive finite theta estimate (got NaN); the counts may not be overdispersed',
    );
  });
});
