import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError } from '../errors.ts';
import {
  householderQr,
  householderQrInPlace,
  qrAliased,
  qrBackSolve,
  qrHatValues,
  qrLeastSquares,
  qrQty,
  qrQy,
  qrUnscaledCovariance,
} from './householder-qr.ts';

interface QrCase {
  name: string;
  row_count: number;
  column_count: number;
  tolerance: number;
  values: number[];
  y: number[];
  expected: {
    qr: number[];
    qraux: number[];
    pivot: number[];
    rank: number;
    unscaled_covariance: number[];
    coefficients: (number | null)[];
    qty: number[];
    qy: number[];
    residuals: number[];
    hat: number[];
  };
}

const fixture = readFixture<{ cases: QrCase[] }>('householder-qr.json');

// reference/householder-qr.R: qr(x, tol) (LINPACK dqrdc2), chol2inv (LAPACK dpotri), qr.coef, qr.qty,
// qr.qy, qr.resid. The code repeats dqrdc2's and dpotri's floating-point operations in the same order, so the
// results agree to rounding (measured: below 1e-14 relative, even for the near-collinear case whose
// covariance has condition number ~1e18). 1e-12 relative leaves room for a different BLAS build; the absolute
// floor of 1e-13 covers entries that are zero in exact arithmetic (residuals of an exact fit).
const tight = { relative: 1e-12, absolute: 1e-13 };

describe('householderQr against R qr()', () => {
  for (const testCase of fixture.cases) {
    it(testCase.name, () => {
      const tolerance = tight;
      const expected = testCase.expected;
      const decomposition = householderQr(
        Float64Array.from(testCase.values),
        testCase.row_count,
        testCase.column_count,
        testCase.tolerance,
      );
      assert.equal(decomposition.rank, expected.rank);
      assert.deepEqual(
        Array.from(decomposition.pivot, (column) => column + 1),
        expected.pivot,
      );
      assertDeepClose(Array.from(decomposition.qr), expected.qr, tight, 'qr');
      assertDeepClose(Array.from(decomposition.qraux), expected.qraux, tight, 'qraux');
      assertDeepClose(
        Array.from(qrUnscaledCovariance(decomposition)),
        expected.unscaled_covariance,
        tolerance,
        'unscaled covariance',
      );
      const y = Float64Array.from(testCase.y);
      const aliased = qrAliased(decomposition);
      const solution = qrLeastSquares(decomposition, y);
      assertDeepClose(
        Array.from(solution.coefficients, (value, j) => (aliased[j] ? null : value)),
        expected.coefficients,
        tolerance,
        'coefficients',
      );
      assertDeepClose(Array.from(solution.effects), expected.qty, tight, 'qty');
      assertDeepClose(Array.from(solution.residuals), expected.residuals, tight, 'residuals');
      assertDeepClose(Array.from(qrQty(decomposition, y)), expected.qty, tight, 'qrQty');
      assertDeepClose(Array.from(qrQy(decomposition, y)), expected.qy, tight, 'qrQy');
      assertDeepClose(Array.from(qrHatValues(decomposition)), expected.hat, tight, 'hat');
    });
  }
});

describe('householderQr', () => {
  it('leaves its input untouched and the in-place variant overwrites it', () => {
    const values = Float64Array.of(1, 1, 1, 1, 2, 3);
    const copy = values.slice();
    householderQr(values, 3, 2);
    assert.deepEqual(values, copy);
    const decomposition = householderQrInPlace(values, 3, 2);
    assert.equal(decomposition.qr, values);
    assert.equal(values[0], -Math.sqrt(3));
  });

  it('reports aliased columns in input order and gives them coefficient 0', () => {
    // Column 2 is twice column 1: it moves to the end and its coefficient is 0, as in R's Cdqrls.
    const decomposition = householderQr(Float64Array.of(1, 2, 3, 2, 4, 6, 1, 0, 1), 3, 3);
    assert.deepEqual(Array.from(decomposition.pivot), [0, 2, 1]);
    assert.deepEqual(qrAliased(decomposition), [false, true, false]);
    const coefficients = qrBackSolve(decomposition, qrQty(decomposition, Float64Array.of(1, 2, 4)));
    assert.equal(coefficients[1], 0);
  });

  it('matches the TSDoc examples', () => {
    assert.equal(householderQrInPlace(Float64Array.of(1, 1, 1, 2, 2, 2), 3, 2, 1e-7).rank, 1);
    const line = householderQr(Float64Array.of(1, 1, 1, 1, 2, 3), 3, 2);
    assert.equal(line.qr[0], -1.7320508075688772);
    assertDeepClose(Array.from(qrLeastSquares(line, Float64Array.of(1, 3, 2)).coefficients), [1, 0.5], tight);
    assertDeepClose(Array.from(qrBackSolve(line, qrQty(line, Float64Array.of(2, 4, 6)))), [0, 2], tight);
    const single = householderQr(Float64Array.of(3, 4), 2, 1);
    assertDeepClose(Array.from(qrQty(single, Float64Array.of(3, 4))), [-5, 0], tight);
    assertDeepClose(Array.from(qrQy(single, Float64Array.of(-5, 0))), [3, 4], tight);
    assert.deepEqual(qrAliased(householderQr(Float64Array.of(1, 1, 2, 2), 2, 2)), [false, true]);
    const ones = householderQr(Float64Array.of(1, 1, 1, 1), 4, 1);
    assertDeepClose(Array.from(qrUnscaledCovariance(ones)), [0.25], tight);
    assertDeepClose(Array.from(qrHatValues(ones)), [0.25, 0.25, 0.25, 0.25], tight);
  });

  it('rejects inconsistent dimensions, negative tolerances and wrong vector lengths', () => {
    assert.throws(
      () => householderQr(Float64Array.of(1, 2, 3), 2, 2),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'householderQr requires 4 matrix values for 2 x 2 (got 3)',
    );
    assert.throws(
      () => householderQr(Float64Array.of(1, 2), -1, 2),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'householderQr requires non-negative integer dimensions (got -1 x 2)',
    );
    assert.throws(
      () => householderQr(Float64Array.of(1, 2), 2, 1, -1),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'householderQr requires a non-negative tolerance (got -1)',
    );
    const decomposition = householderQr(Float64Array.of(1, 2), 2, 1);
    assert.throws(
      () => qrQty(decomposition, Float64Array.of(1)),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'qrQty requires a vector of length 2 (got 1)',
    );
    assert.throws(
      () => qrQy(decomposition, Float64Array.of(1, 2, 3)),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'qrQy requires a vector of length 2 (got 3)',
    );
    assert.throws(
      () => qrBackSolve(decomposition, new Float64Array(0)),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'qrBackSolve requires at least 1 effects (got 0)',
    );
  });
});
