import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { designFromCase, readGlmCases } from '../../../test/helpers/glm-fixture.ts';
import { qrUnscaledCovariance } from '../linalg/householder-qr.ts';
import { createDesignMatrix } from './design-matrix.ts';
import { getGlmFamily } from './glm-family.ts';
import { fitGlmIrls, type GlmIrlsFit } from './glm-irls.ts';

/** The numbers summary.glm uses, in a comparable shape. */
function summaryShape(fit: GlmIrlsFit): Record<string, unknown> {
  return {
    coefficients: Array.from(fit.coefficients),
    unscaledCovariance: Array.from(qrUnscaledCovariance(fit.qr)),
    pivot: Array.from(fit.qr.pivot),
    rank: fit.rank,
    deviance: fit.deviance,
    nullDeviance: fit.nullDeviance,
    aic: fit.aic,
    workingWeights: Array.from(fit.workingWeights),
    workingResiduals: Array.from(fit.workingResiduals),
    iterations: fit.iterations,
    converged: fit.converged,
    boundary: fit.boundary,
    warnings: fit.warnings,
  };
}

const cases = readGlmCases().filter((testCase) => testCase.family !== 'negbin');

describe("fitGlmIrls: normal-equation passes agree with glm.fit's QR in every pass", () => {
  // Both methods take R's iterations; they differ only by the rounding of the normal equations in the passes
  // before the last (measured: at most 5e-13 relative over these cases), so 1e-11 relative.
  for (const testCase of cases) {
    it(testCase.name, () => {
      const design = designFromCase(testCase);
      const y = Float64Array.from(testCase.response);
      const family = getGlmFamily(testCase.family, testCase.link);
      const auto = fitGlmIrls(design, y, family);
      const qr = fitGlmIrls(design, y, family, { method: 'qr' });
      assertDeepClose(summaryShape(auto), summaryShape(qr), { relative: 1e-11 });
    });
  }

  it("gives summary.glm's cov.unscaled as the QR does, also when it comes from the last pass's Cholesky factor", () => {
    // The Cholesky inverse's error is about p x VIF x eps relative to the diagonal (measured: at most 7e-12
    // over these cases); an off-diagonal element that is zero in exact arithmetic is compared on that scale.
    for (const testCase of cases) {
      const design = designFromCase(testCase);
      const y = Float64Array.from(testCase.response);
      const family = getGlmFamily(testCase.family, testCase.link);
      const auto = fitGlmIrls(design, y, family);
      const qr = fitGlmIrls(design, y, family, { method: 'qr' });
      const expected = qrUnscaledCovariance(qr.qr);
      const rank = qr.rank;
      let largestDiagonal = 0;
      for (let j = 0; j < rank; j++)
        largestDiagonal = Math.max(largestDiagonal, expected[j * rank + j] as number);
      assertDeepClose(Array.from(auto.unscaledCovariance), Array.from(expected), {
        relative: 1e-11,
        absolute: 1e-11 * largestDiagonal,
      });
      assert.deepEqual(Array.from(qr.unscaledCovariance), Array.from(expected), testCase.name);
    }
  });

  it('uses the QR in every pass, bit for bit, for aliased columns and for separation', () => {
    for (const name of ['birthwt-aliased-logit', 'separation-logit', 'birthwt-aliased-poisson-HC3']) {
      const testCase = cases.find((candidate) => candidate.name === name);
      assert.ok(testCase);
      const design = designFromCase(testCase);
      const y = Float64Array.from(testCase.response);
      const family = getGlmFamily(testCase.family, testCase.link);
      assert.deepEqual(
        summaryShape(fitGlmIrls(design, y, family)),
        summaryShape(fitGlmIrls(design, y, family, { method: 'qr' })),
      );
    }
  });

  it("uses the QR in every pass, bit for bit, when X'WX is ill-conditioned (a calendar year next to the intercept)", () => {
    // year = 2000 + a spread of variance 1/6: the uncentred variance inflation factor is about 2000^2 * 6 = 2.4e7 > 1e6.
    const n = 40;
    const year = Array.from({ length: n }, (_, i) => 2000 + (i % 3) * 0.5 - 0.5);
    const dose = Array.from({ length: n }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0));
    const design = createDesignMatrix([
      { name: '(Intercept)', values: new Array(n).fill(1) },
      { name: 'year', values: year },
      { name: 'dose', values: dose },
    ]);
    const family = getGlmFamily('binomial');
    assert.deepEqual(
      summaryShape(fitGlmIrls(design, y, family)),
      summaryShape(fitGlmIrls(design, y, family, { method: 'qr' })),
    );
  });
});
