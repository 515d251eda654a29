import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AEQ_SURV_TOLERANCE, aeqSurv } from './aeq-surv.ts';

// Expected values worked out by hand from survival::aeqSurv (R/aeqSurv.R); the end-to-end effect on
// coxph/survfit/survdiff is checked against R in the timefix_* fixture cases.
describe('aeqSurv', () => {
  test('@example: a gap below sqrt(eps) becomes a tie', () => {
    assert.deepEqual(aeqSurv(Float64Array.of(1, 1 + 1e-10, 2)), Float64Array.of(1, 1, 2));
  });
  test('the tolerance is sqrt(.Machine$double.eps)', () => {
    assert.equal(AEQ_SURV_TOLERANCE, 1.4901161193847656e-8);
  });
  test('a gap above the tolerance stays, and the input is returned as is', () => {
    const time = Float64Array.of(3, 3 + 1e-7, 1);
    assert.equal(aeqSurv(time), time);
  });
  test('ties chain: each time within tolerance of the previous distinct time joins its run', () => {
    const time = Float64Array.of(2 + 2e-8, 2, 2 + 1e-8, 5);
    assert.deepEqual(aeqSurv(time), Float64Array.of(2, 2, 2, 5));
  });
  test('gaps are also judged relative to the mean absolute distinct time', () => {
    // mean of the distinct times is ~1.5e8, so a gap of 1 is ~7e-9 relative: a tie.
    const time = Float64Array.of(1e8, 1e8 + 1, 2e8);
    assert.deepEqual(aeqSurv(time), Float64Array.of(1e8, 1e8, 2e8));
  });
  test('a custom tolerance', () => {
    assert.deepEqual(aeqSurv(Float64Array.of(1, 1.05, 2), 0.1), Float64Array.of(1, 1, 2));
  });
  test('fewer than two times', () => {
    const single = Float64Array.of(4);
    assert.equal(aeqSurv(single), single);
  });
});
