import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { choleskyDecompose, choleskyInverse, choleskySolve } from './cholesky.ts';

// Small matrices with exact answers worked by hand; 1e-14 relative allows the last-bit rounding.
const EXACT = { relative: 1e-14, absolute: 1e-15 };

function upperOf(matrix: Float64Array, size: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < size; i++) for (let j = i; j < size; j++) values.push(matrix[i * size + j] as number);
  return values;
}

describe('cholesky2 / chsolve2 / chinv2', () => {
  test('@example: full-rank 2 x 2', () => {
    const matrix = Float64Array.of(4, 2, 2, 3);
    assert.equal(choleskyDecompose(matrix, 2, 1e-12), 2);
    const y = Float64Array.of(6, 5);
    choleskySolve(matrix, 2, y);
    assertDeepClose([...y], [1, 1], EXACT);
    choleskyInverse(matrix, 2);
    assertDeepClose(upperOf(matrix, 2), [0.375, -0.25, 0.5], EXACT);
  });
  test('a redundant column: rank 2 of 3, its solution and inverse entries are 0', () => {
    // Column 3 = column 1 + column 2 (as an aliased covariate gives in an information matrix).
    const matrix = Float64Array.of(2, 1, 3, 1, 2, 3, 3, 3, 6);
    assert.equal(choleskyDecompose(matrix, 3, 1e-12), 2);
    const y = Float64Array.of(3, 3, 6);
    choleskySolve(matrix, 3, y);
    assertDeepClose([...y], [1, 1, 0], EXACT);
    choleskyInverse(matrix, 3);
    // Inverse of the leading 2 x 2 [[2, 1], [1, 2]] is [[2, -1], [-1, 2]] / 3.
    assertDeepClose(upperOf(matrix, 3), [2 / 3, -1 / 3, 0, 2 / 3, 0, 0], EXACT);
  });
  test('a clearly negative pivot negates the rank', () => {
    const matrix = Float64Array.of(1, 2, 2, 1);
    assert.equal(choleskyDecompose(matrix, 2, 1e-12), -1);
  });
  test('an all-zero matrix has rank 0', () => {
    const matrix = new Float64Array(4);
    assert.equal(choleskyDecompose(matrix, 2, 1e-12), 0);
  });
});
