import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { survivalQuantile } from './survival-quantile.ts';

// Hand-worked cases of survival:::findq; the same rule is checked against quantile.survfit() for every
// curve and band in the km fixture cases (reference/survival.R).
describe('survivalQuantile (findq)', () => {
  test('@example: a flat stretch at exactly 0.5 gives the midpoint to the next step', () => {
    assert.equal(
      survivalQuantile(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.75, 0.5, 0.5, 0.25), 0.5),
      3,
    );
  });
  test('the first time the curve drops below the level', () => {
    assert.equal(survivalQuantile(Float64Array.of(1, 2, 3), Float64Array.of(0.8, 0.4, 0.1), 0.5), 2);
  });
  test('a flat at the level running to the end uses the last time', () => {
    assert.equal(survivalQuantile(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.75, 0.5, 0.5, 0.5), 0.5), 3);
  });
  test('never reached: null', () => {
    assert.equal(survivalQuantile(Float64Array.of(1, 2), Float64Array.of(0.9, 0.6), 0.5), null);
  });
  test('a band that becomes NA (S = 0) still finds its crossing', () => {
    assert.equal(survivalQuantile(Float64Array.of(1, 2, 3), Float64Array.of(0.7, 0.3, Number.NaN), 0.5), 2);
  });
  test('a non-monotone upper band is searched in order of its values', () => {
    // 1 - S: 0.2, 0.45, 0.4, 0.6 -> the level 0.5 is first exceeded at the 4th step.
    assert.equal(survivalQuantile(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.8, 0.55, 0.6, 0.4), 0.5), 4);
  });
  test('probability 0 is the start time', () => {
    assert.equal(survivalQuantile(Float64Array.of(1, 2), Float64Array.of(0.5, 0.2), 0), 0);
  });
});
