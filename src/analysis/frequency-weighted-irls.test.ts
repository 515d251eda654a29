import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose } from '../../test/helpers/approx.ts';
import { createDesignMatrix, createRRandom, fitGlmIrls, getGlmFamily } from '../stats/index.ts';
import { fitFrequencyWeightedIrls, sparseRows } from './frequency-weighted-irls.ts';

// A small trial-like design: intercept, arm, a three-level factor, a count covariate.
function example(seed: number, n: number) {
  const rng = createRRandom(seed);
  const u = rng.runif(4 * n);
  const arm = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0 : 1));
  const level = Float64Array.from({ length: n }, (_, i) => Math.floor((u[i] as number) * 3));
  const count = Float64Array.from({ length: n }, (_, i) => 1 + Math.floor((u[n + i] as number) * 4));
  const columns = [
    { name: '(Intercept)', values: new Float64Array(n).fill(1) },
    { name: 'arm', values: arm },
    { name: 'level1', values: level.map((value) => (value === 1 ? 1 : 0)) },
    { name: 'level2', values: level.map((value) => (value === 2 ? 1 : 0)) },
    { name: 'count', values: count },
  ];
  const binary = Float64Array.from({ length: n }, (_, i) =>
    (u[2 * n + i] as number) < 0.3 + 0.2 * (arm[i] as number) ? 1 : 0,
  );
  // Receipt only in the treated arm: the logistic fit separates, as the CACE's stage 1 does.
  const separated = binary.map((value, i) => (arm[i] === 1 ? value : 0));
  return { columns, binary, separated, n };
}

/** The rows of `indices`, gathered into a column-major design (what R's glm sees for data[indices, ]). */
function gathered(columns: { name: string; values: Float64Array }[], indices: number[]) {
  return createDesignMatrix(
    columns.map((column) => ({ name: column.name, values: indices.map((i) => column.values[i] as number) })),
  );
}

describe('fitFrequencyWeightedIrls', () => {
  const { columns, binary, separated, n } = example(3, 120);
  const design = createDesignMatrix(columns);
  const sparse = sparseRows(design.values, n, design.columnCount);
  const indices = Array.from(createRRandom(9).sampleInt(n, n, true), (value) => value - 1);
  const counts = new Float64Array(n);
  for (const index of indices) counts[index] = (counts[index] as number) + 1;

  for (const [name, response, family] of [
    ['logistic', binary, 'binomial'],
    ['logistic, separated as stage 1', separated, 'binomial'],
    ['poisson', binary, 'poisson'],
  ] as const) {
    it(`${name}: the fit of glm.fit on the duplicated rows (iterations equal, coefficients to 1e-9)`, () => {
      const reference = fitGlmIrls(
        gathered(columns, indices),
        Float64Array.from(indices, (i) => response[i] as number),
        getGlmFamily(family),
        { method: 'qr' },
      );
      const fit = fitFrequencyWeightedIrls(sparse, response, counts, getGlmFamily(family));
      assert.ok(fit !== undefined);
      assert.equal(fit.iterations, reference.iterations);
      // Fitted values are what the CACE uses (stage-1 residuals; stage 2's coefficient of receipt). Normal
      // equations instead of QR: agreement to rounding times the condition number, which separation makes
      // large only in the direction of the separated rows, whose fitted values are about 1e-9: so 1e-12
      // absolute there (observed about 5e-16), 1e-9 relative elsewhere.
      indices.forEach((row, position) => {
        assertClose(fit.mu[row] as number, reference.mu[position] as number, {
          relative: 1e-9,
          absolute: 1e-12,
        });
      });
      if (name !== 'logistic, separated as stage 1') {
        Array.from(fit.coefficients).forEach((value, j) => {
          assertClose(value, reference.coefficients[j] as number, { relative: 1e-9 });
        });
      }
    });
  }

  it('leaves out a column that is zero in every sampled row (R drops the unused factor level)', () => {
    const withoutLevel2 = counts.map((count, row) => ((columns[3]?.values[row] as number) === 1 ? 0 : count));
    const fit = fitFrequencyWeightedIrls(sparse, binary, withoutLevel2, getGlmFamily('binomial'));
    assert.ok(fit !== undefined);
    assert.ok(Number.isNaN(fit.coefficients[3] as number));
    assert.ok(Number.isFinite(fit.coefficients[2] as number));
  });

  it('declines (undefined) a singular system, leaving it to glm.fit', () => {
    const duplicate = createDesignMatrix([
      ...columns,
      { name: 'arm2', values: columns[1]?.values as Float64Array },
    ]);
    const fit = fitFrequencyWeightedIrls(
      sparseRows(duplicate.values, n, 6),
      binary,
      counts,
      getGlmFamily('binomial'),
    );
    assert.equal(fit, undefined);
  });
});
