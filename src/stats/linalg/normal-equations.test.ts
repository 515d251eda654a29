import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../errors.ts';
import {
  createNormalEquationsWorkspace,
  equilibratedCholeskyInverse,
  solveEquilibratedCholesky,
  weightedCrossProduct,
  weightedGram,
} from './normal-equations.ts';

/** A deterministic column-major test matrix (intercept first) with n rows and p columns. */
function testMatrix(n: number, p: number): Float64Array {
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) x[j * n + i] = j === 0 ? 1 : Math.sin(i * (j + 0.7));
  return x;
}

describe('weightedCrossProduct', () => {
  it('equals the naive sums crossprod(w * X) and crossprod(w * X, v) for every block and column split', () => {
    // Row counts around the 256-row block and odd/even column counts exercise every branch of the kernel.
    for (const [n, p] of [
      [1, 1],
      [3, 2],
      [255, 3],
      [256, 6],
      [600, 11],
      [513, 7],
    ] as const) {
      const x = testMatrix(n, p);
      const w = Float64Array.from({ length: n }, (_, i) => 0.5 + Math.cos(i) / 3);
      const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3));
      const gram = new Float64Array(p * p);
      const rhs = new Float64Array(p);
      weightedCrossProduct(x, n, p, w, v, gram, rhs);
      for (let j = 0; j < p; j++) {
        let expectedRhs = 0;
        for (let i = 0; i < n; i++)
          expectedRhs += (x[j * n + i] as number) * (w[i] as number) * (v[i] as number);
        assert.ok(Math.abs((rhs[j] as number) - expectedRhs) <= 1e-12 * Math.max(1, Math.abs(expectedRhs)));
        for (let k = 0; k < p; k++) {
          let expected = 0;
          for (let i = 0; i < n; i++) {
            const wi = w[i] as number;
            expected += (x[j * n + i] as number) * wi * ((x[k * n + i] as number) * wi);
          }
          const actual = gram[k * p + j] as number;
          assert.ok(
            Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
            `${n}x${p} (${j},${k})`,
          );
          assert.equal(actual, gram[j * p + k]);
        }
      }
    }
  });

  it('rejects arrays too short for the dimensions', () => {
    assert.throws(
      () =>
        weightedCrossProduct(
          new Float64Array(3),
          2,
          2,
          new Float64Array(2),
          new Float64Array(2),
          new Float64Array(4),
          new Float64Array(2),
        ),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message ===
          'weightedCrossProduct requires arrays sized for 2 x 2 (got matrix 3, weights 2, vector 2, gram 4, rhs 2, workspace for 2 columns)',
    );
  });
});

describe('solveEquilibratedCholesky', () => {
  it('solves a positive definite system and returns the largest variance inflation factor', () => {
    const solution = new Float64Array(2);
    const inflation = solveEquilibratedCholesky(
      Float64Array.of(4, 2, 2, 3),
      Float64Array.of(2, 1),
      2,
      solution,
    );
    // [[4, 2], [2, 3]]^-1 [2, 1] = [0.5, 0]; the equilibrated correlation is 1/sqrt(3), so VIF = 1 / (1 - 1/3).
    assert.ok(Math.abs((solution[0] as number) - 0.5) < 1e-15 && Math.abs(solution[1] as number) < 1e-15);
    assert.ok(Math.abs(inflation - 1.5) < 1e-14);
  });

  it('matches the normal-equation solution of a least-squares problem', () => {
    const n = 50;
    const p = 4;
    const x = testMatrix(n, p);
    const truth = Float64Array.of(1, -2, 0.5, 3);
    const y = new Float64Array(n);
    for (let j = 0; j < p; j++)
      for (let i = 0; i < n; i++) y[i] = (y[i] as number) + (x[j * n + i] as number) * (truth[j] as number);
    const gram = new Float64Array(p * p);
    const rhs = new Float64Array(p);
    const workspace = createNormalEquationsWorkspace(p);
    weightedCrossProduct(x, n, p, new Float64Array(n).fill(1), y, gram, rhs, workspace);
    const solution = new Float64Array(p);
    const inflation = solveEquilibratedCholesky(gram, rhs, p, solution, workspace);
    assert.ok(inflation >= 1 && inflation < 10);
    for (const [j, value] of truth.entries()) assert.ok(Math.abs((solution[j] as number) - value) < 1e-13);
  });

  it('returns Infinity for a zero column or a singular matrix', () => {
    const solution = new Float64Array(2);
    assert.equal(
      solveEquilibratedCholesky(Float64Array.of(1, 0, 0, 0), Float64Array.of(1, 0), 2, solution),
      Infinity,
    );
    assert.equal(
      solveEquilibratedCholesky(Float64Array.of(1, 2, 2, 4), Float64Array.of(1, 2), 2, solution),
      Infinity,
    );
  });

  it('rejects arrays too short for the number of unknowns', () => {
    assert.throws(
      () => solveEquilibratedCholesky(new Float64Array(3), new Float64Array(2), 2, new Float64Array(2)),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message ===
          'solveEquilibratedCholesky requires arrays sized for 2 unknowns (got gram 3, rhs 2, solution 2, workspace for 2)',
    );
  });
});

describe('weightedGram', () => {
  it("equals the naive sums X'WX and X'Wz for every block and column split", () => {
    // Row counts around the 1024-row block and odd/even column counts (the tile is 2 x 4 over [X z]).
    for (const [n, p] of [
      [1, 1],
      [3, 2],
      [5, 3],
      [1023, 4],
      [1025, 11],
      [2100, 8],
    ] as const) {
      const x = testMatrix(n, p);
      const weights = Float64Array.from({ length: n }, (_, i) => 0.25 + Math.cos(i) ** 2);
      const z = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3));
      const augmented = new Float64Array(n * (p + 2));
      augmented.set(x);
      augmented.set(z, n * p);
      augmented.set(weights, n * (p + 1));
      const gram = new Float64Array(p * p);
      const rhs = new Float64Array(p);
      weightedGram(augmented, n, p, gram, rhs);
      for (let j = 0; j < p; j++) {
        let expectedRhs = 0;
        for (let i = 0; i < n; i++)
          expectedRhs += (x[j * n + i] as number) * (weights[i] as number) * (z[i] as number);
        assert.ok(Math.abs((rhs[j] as number) - expectedRhs) <= 1e-12 * Math.max(1, Math.abs(expectedRhs)));
        for (let k = 0; k < p; k++) {
          let expected = 0;
          for (let i = 0; i < n; i++)
            expected += (x[j * n + i] as number) * (weights[i] as number) * (x[k * n + i] as number);
          const actual = gram[k * p + j] as number;
          assert.ok(
            Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
            `n ${n}, p ${p}, (${j}, ${k}): ${actual} vs ${expected}`,
          );
        }
      }
    }
  });

  it('rejects arrays too short for the dimensions', () => {
    assert.throws(
      () => weightedGram(new Float64Array(8), 3, 1, new Float64Array(1), new Float64Array(1)),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message ===
          'weightedGram requires arrays sized for 3 x 1 (got augmented 8, gram 1, rhs 1, workspace for 1 columns)',
    );
  });
});

describe('equilibratedCholeskyInverse', () => {
  it('inverts the matrix last solved: gram times the result is the identity', () => {
    const n = 60;
    const p = 5;
    const x = testMatrix(n, p);
    const gram = new Float64Array(p * p);
    const rhs = new Float64Array(p);
    const workspace = createNormalEquationsWorkspace(p);
    weightedCrossProduct(x, n, p, new Float64Array(n).fill(1), new Float64Array(n), gram, rhs, workspace);
    solveEquilibratedCholesky(gram, rhs, p, new Float64Array(p), workspace);
    const inverse = equilibratedCholeskyInverse(workspace, new Float64Array(p * p));
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        assert.equal(inverse[i * p + j], inverse[j * p + i]);
        let product = 0;
        for (let k = 0; k < p; k++) product += (gram[i * p + k] as number) * (inverse[k * p + j] as number);
        assert.ok(Math.abs(product - (i === j ? 1 : 0)) < 1e-12, `(${i}, ${j}): ${product}`);
      }
    }
  });

  it('rejects an output shorter than the matrix', () => {
    assert.throws(
      () => equilibratedCholeskyInverse(createNormalEquationsWorkspace(2), new Float64Array(3)),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'equilibratedCholeskyInverse requires an output of 4 values (got 3)',
    );
  });
});
