import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError, ModelDataError, ModelFitError } from '../errors.ts';
import { checkStudyData } from './check-study-data.ts';
import { escalc } from './escalc.ts';
import { leaveOneOut } from './leave-one-out.ts';
import { metaAnalysis } from './meta-analysis.ts';
import { MetaAnalysisDataError } from './meta-analysis-data-error.ts';
import { predictRma } from './predict-rma.ts';
import { rma } from './rma.ts';
import { uniroot } from './uniroot.ts';

interface UnirootCase {
  name: string;
  lower: number;
  upper: number;
  tol: number;
  root: number;
  iterations: number;
  estimated_precision: number;
}

const functions: Record<string, (x: number) => number> = {
  sqrt2: (x) => x ** 2 - 2,
  cos_fixed_point: (x) => Math.cos(x) - x,
  cubic: (x) => x ** 3 - 2 * x - 5,
};

describe('uniroot follows R zeroin step for step (reference/meta-analysis.R)', () => {
  for (const testCase of readFixture<{ cases: UnirootCase[] }>('meta-analysis-uniroot.json').cases) {
    it(`${testCase.name}: same root, iterations and precision as R`, () => {
      const f = functions[testCase.name] as (x: number) => number;
      const result = uniroot(f, testCase.lower, testCase.upper, { tolerance: testCase.tol });
      // the same steps as R's C code: the same iterations, and the root to the last bit up to the
      // function itself (V8's Math.cos and the C library's cos may differ by one ulp)
      assertClose(result.root, testCase.root, { relative: 1e-15 });
      assert.equal(result.iterations, testCase.iterations);
      assertClose(result.estimatedPrecision, testCase.estimated_precision, { relative: 1e-12 });
      assert.equal(result.converged, true);
    });
  }

  it('rejects a bracket without a sign change and NaN ends', () => {
    assert.throws(
      () => uniroot((x) => x * x + 1, -1, 1),
      new InvalidArgumentError('uniroot requires f(lower) and f(upper) of opposite sign (got 2 and 2)'),
    );
    assert.throws(
      () => uniroot(() => Number.NaN, 0, 1),
      new InvalidArgumentError('uniroot requires finite function values at both ends (got NaN)'),
    );
  });

  it('returns an end point that is a root and reports non-convergence after maxIterations', () => {
    assert.equal(uniroot((x) => x, 0, 1).root, 0);
    const limited = uniroot((x) => x ** 3 - 2 * x - 5, 2, 3, { tolerance: 1e-15, maxIterations: 2 });
    assert.equal(limited.converged, false);
    assert.equal(limited.iterations, -1);
  });
});

describe('rma rejects what metafor rejects', () => {
  it('needs studies, equal lengths, positive variances and enough studies for the parameters', () => {
    assert.throws(
      () => rma({ yi: [], vi: [], method: 'FE' }),
      new ModelDataError('rma requires at least 1 study (got 0)'),
    );
    assert.throws(
      () => rma({ yi: [1, 2], vi: [1], method: 'FE' }),
      new ModelDataError('rma requires yi and vi of equal length (got 2 and 1)'),
    );
    assert.throws(
      () => rma({ yi: [1, 2], vi: [1, 0], method: 'DL' }),
      new ModelDataError(
        'rma requires a finite yi and a positive finite vi for every study (got yi = 2, vi = 0 for study 2)',
      ),
    );
    assert.throws(
      () => rma({ yi: [1, 2], vi: [1, 1], method: 'REML', moderators: [{ name: 'x', values: [0, 1] }] }),
      new ModelDataError(
        'a random-effects meta-analysis (REML) with 2 coefficients requires at least 3 studies (got 2)',
      ),
    );
    assert.throws(
      () =>
        rma({ yi: [1, 2, 3], vi: [1, 1, 1], method: 'FE', moderators: [{ name: 'x', values: [2, 2, 2] }] }),
      new ModelFitError('rma requires moderators that are not collinear with each other or the intercept'),
    );
  });

  it('reports a Paule-Mandel root above the search interval, as metafor', () => {
    // mad(yi) = 0 here, so metafor searches [0, 100] and Q(100) is still above k - 1
    assert.throws(
      () => rma({ yi: [0, 0, 1000], vi: [0.01, 0.01, 0.01], method: 'PM' }),
      new ModelFitError(
        "the Paule-Mandel estimator requires tau² <= 100 (the upper end of metafor's search interval; got Q(100) above k - p)",
      ),
    );
  });

  it('fits k = 1 with tau² = 0 and the z test, and predicts the CI as the prediction interval', () => {
    const fit = rma({ yi: [0.5], vi: [0.04], method: 'REML', test: 'knha' });
    assert.equal(fit.tau2, 0);
    assert.equal(fit.test, 'z');
    assert.equal(fit.tau2Se, undefined);
    const prediction = predictRma(fit);
    assert.equal(prediction.piLower, prediction.ciLower);
    assert.equal(prediction.piUpper, prediction.ciUpper);
  });

  it('leaveOneOut needs two studies', () => {
    assert.throws(
      () => leaveOneOut(['A'], [0.1], [0.01], 'FE'),
      new ModelDataError('rma requires at least 1 study (got 0)'),
    );
  });
});

describe('study data checks', () => {
  it('rejects data of the wrong kind and columns of different lengths', () => {
    assert.throws(
      () => checkStudyData('SMD', { kind: 'generic', study: ['A'], yi: [1], vi: [1] }),
      new InvalidArgumentError('measure SMD requires continuous study data (got generic study data)'),
    );
    assert.throws(
      () => checkStudyData('GEN', { kind: 'generic', study: ['A', 'B'], yi: [1], vi: [1, 2] }),
      new InvalidArgumentError(
        'study data requires columns of equal length (got 2 study labels and 1 values of yi)',
      ),
    );
  });

  it('collects every problem with a path and code', () => {
    try {
      escalc(
        'OR',
        {
          kind: 'binary',
          study: ['A', 'B'],
          events1: [5, Infinity],
          n1: [4, 10],
          events2: [1, 2],
          n2: [10, 0],
        },
        'x.csv',
      );
      assert.fail('expected MetaAnalysisDataError');
    } catch (error) {
      assert.ok(error instanceof MetaAnalysisDataError);
      assert.equal(error.code, 'meta_data_invalid');
      assert.deepEqual(error.problems, [
        {
          path: 'x.csv:row 1:events1',
          code: 'meta_value_invalid',
          message: 'study "A" requires events1 <= n1 (got 5 > 4)',
        },
        {
          path: 'x.csv:row 2:events1',
          code: 'meta_value_invalid',
          message: 'study "B" requires a finite events1 (got Infinity)',
        },
        {
          path: 'x.csv:row 2:n2',
          code: 'meta_value_invalid',
          message: 'study "B" requires n2 to be a whole number >= 1 (got 0)',
        },
      ]);
    }
  });

  it('metaAnalysis needs two studies for random effects and computes escalc examples', () => {
    const one = { kind: 'generic', study: ['A'], yi: [0.2], vi: [0.01] } as const;
    assert.throws(
      () => metaAnalysis(one, { measure: 'GEN', method: 'DL' }),
      new ModelDataError(
        'a random-effects meta-analysis (DL) requires at least 2 studies (got 1; use --method FE for a single study)',
      ),
    );
    assert.equal(metaAnalysis(one, { measure: 'GEN', method: 'FE' }).estimate, 0.2);
    const sizes = escalc('RR', {
      kind: 'binary',
      study: ['A'],
      events1: [4],
      n1: [123],
      events2: [11],
      n2: [139],
    });
    assert.equal(sizes.yi[0], Math.log(4 / 123) - Math.log(11 / 139));
  });
});
