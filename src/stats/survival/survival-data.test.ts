import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderByTime, rowNumberOf } from './survival-data.ts';

describe('survival data helpers', () => {
  test('rowNumberOf: the given row number, else index + 1', () => {
    assert.equal(rowNumberOf(Int32Array.of(3, 7), 1), 7);
    assert.equal(rowNumberOf(undefined, 4), 5);
  });
  test("orderByTime is stable, as R's order()", () => {
    assert.deepEqual(orderByTime(Float64Array.of(3, 1, 3, 2)), Int32Array.of(1, 3, 0, 2));
    assert.deepEqual(
      orderByTime(Float64Array.of(3, 1, 3, 2), Int32Array.of(2, 0, 3)),
      Int32Array.of(3, 0, 2),
    );
  });
});
