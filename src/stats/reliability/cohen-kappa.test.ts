import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError } from '../errors.ts';
import { cohenKappa } from './cohen-kappa.ts';
import { ReliabilityDataError } from './errors.ts';
import {
  assertWarningsAsR,
  ratings,
  readCaseTable,
  reliabilityCases,
  snakeCaseKeys,
} from './reliability-fixture.test-support.ts';

// Closed forms over the agreement table and qnorm: 1e-10 relative (measured: at most 6e-13, the largest on a
// CI bound near 0 that is a difference of two numbers near 0.55); absolute floor 1e-14 for exact zeros.
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

describe('cohenKappa against psych::cohen.kappa 2.2.9 (reference/reliability.R)', () => {
  for (const testCase of reliabilityCases('kappa')) {
    it(`${testCase.name}: ${testCase.call}`, () => {
      const table = readCaseTable(testCase.data);
      const result = cohenKappa(ratings(table, testCase.rater1), ratings(table, testCase.rater2), {
        weights: testCase.weights,
      });
      const { warnings, ...numbers } = snakeCaseKeys(result) as Record<string, unknown>;
      assertDeepClose(numbers, testCase.expected, TOLERANCE);
      assertWarningsAsR(testCase, warnings as string[]);
    });
  }

  it('clips the CI to 1 and says so', () => {
    const table = readCaseTable('data/reliability-kappa-labelled.csv');
    const result = cohenKappa(ratings(table, 'near_a'), ratings(table, 'near_b'));
    assert.equal(result.ciUpper, 1);
    assert.match(result.warnings.join('\n'), /exceeded \[-1, 1\] and was clipped/);
  });

  it("reports psych 2.2.9's negative weighted variance as an SE of 0 with a warning", () => {
    const table = readCaseTable('data/reliability-kappa-ordinal.csv');
    const result = cohenKappa(ratings(table, 'A'), ratings(table, 'B'), { weights: 'quadratic' });
    assert.equal(result.se, 0);
    assert.match(result.warnings.join('\n'), /variance formula of psych 2.2.9 gave a negative value/);
  });

  it('computes the TSDoc example', () => {
    // reference/doc-examples.R: cohen.kappa(cbind(c(1, 2, 2, 1), c(1, 2, 1, 1)))$kappa
    const expected = readFixture<{ cases: { cohen_kappa: number } }>('doc-examples.json').cases.cohen_kappa;
    assertClose(cohenKappa([1, 2, 2, 1], [1, 2, 1, 1]).kappa, expected, { relative: 1e-14 });
  });
});

describe('cohenKappa errors', () => {
  const throwsWith = (
    first: (number | string | null)[],
    second: (number | string | null)[],
    message: string,
  ) =>
    assert.throws(
      () => cohenKappa(first, second),
      (error: unknown) => {
        assert.ok(error instanceof ReliabilityDataError);
        assert.equal(error.message, message);
        return true;
      },
    );

  it('only one category observed overall', () => {
    throwsWith(
      [2, 2, 2],
      [2, 2, null],
      'kappa requires at least 2 categories across both raters (got only "2")',
    );
  });
  it('no row rated by both raters', () => {
    throwsWith([1, null], [null, 2], 'kappa requires at least 1 row rated by both raters (got 0 of 2)');
  });
  it('raters of unequal length', () => {
    throwsWith([1, 2, 3], [1, 2], 'kappa requires two raters of equal length (got 3 and 2 ratings)');
  });
  it('chance agreement of 1', () => {
    throwsWith(
      ['a', 'a', 'b'],
      ['a', 'a', null],
      'kappa requires chance agreement below 1 (got both raters using a single category in every complete row)',
    );
  });
  it('an infinite rating', () => {
    throwsWith([1, Number.POSITIVE_INFINITY], [1, 2], 'kappa requires finite ratings (got Infinity)');
  });
  it('a confidence level outside (0, 1)', () => {
    assert.throws(
      () => cohenKappa([1, 2], [1, 2], { confidenceLevel: 0 }),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'kappa requires a confidence level in (0, 1) (got 0)',
    );
  });
});
