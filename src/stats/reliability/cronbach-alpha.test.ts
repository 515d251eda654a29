import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { cronbachAlpha } from './cronbach-alpha.ts';
import { ReliabilityDataError } from './errors.ts';
import {
  assertWarningsAsR,
  numericItems,
  readCaseTable,
  reliabilityCases,
  snakeCaseKeys,
} from './reliability-fixture.test-support.ts';

// Closed forms (sums of a pairwise covariance matrix, a pseudo-inverse for the SMCs, qf for the Feldt CI):
// 1e-10 relative. Measured: at most 1e-13. The fixture stores 15 significant digits.
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

describe('cronbachAlpha against psych::alpha 2.2.9 (reference/reliability.R)', () => {
  for (const testCase of reliabilityCases('alpha')) {
    it(`${testCase.name}: ${testCase.call}`, () => {
      const result = cronbachAlpha(numericItems(readCaseTable(testCase.data), testCase.items));
      const { warnings, ...numbers } = snakeCaseKeys(result) as Record<string, unknown>;
      assertDeepClose(numbers, testCase.expected, TOLERANCE);
      assertWarningsAsR(testCase, warnings as string[]);
    });
  }

  it('warns about an item without variance and one to reverse', () => {
    const constant = cronbachAlpha(numericItems(readCaseTable('data/reliability-scale-missing.csv'), null));
    assert.deepEqual(constant.droppedItems, ['c5']);
    assert.match(constant.warnings[0] ?? '', /item c5 had no variance and was deleted/);
    const reversed = cronbachAlpha(
      numericItems(readCaseTable('data/reliability-bfi-agreeableness.csv'), null),
    );
    assert.deepEqual(reversed.negativelyCorrelatedItems, ['A1']);
    assert.match(
      reversed.warnings[0] ?? '',
      /negatively correlated with the total scale, probably to be reversed: A1 /,
    );
  });

  it('computes the TSDoc example', () => {
    const result = cronbachAlpha([
      { name: 'a', values: [1, 2, 3] },
      { name: 'b', values: [1, 3, 3] },
    ]);
    // reference/doc-examples.R: alpha(data.frame(a = c(1, 2, 3), b = c(1, 3, 3)))$total$raw_alpha
    const expected = readFixture<{ cases: { cronbach_raw_alpha: number } }>('doc-examples.json').cases
      .cronbach_raw_alpha;
    assertClose(result.rawAlpha, expected, { relative: 1e-14 });
  });
});

describe('cronbachAlpha errors', () => {
  const throwsWith = (items: Parameters<typeof cronbachAlpha>[0], message: string) =>
    assert.throws(
      () => cronbachAlpha(items),
      (error: unknown) => {
        assert.ok(error instanceof ReliabilityDataError);
        assert.equal(error.code, 'reliability_data_invalid');
        assert.equal(error.message, message);
        return true;
      },
    );

  it('fewer than 2 items', () => {
    throwsWith([{ name: 'a', values: [1, 2] }], 'alpha requires at least 2 items (got 1)');
  });
  it('fewer than 2 items with variance', () => {
    throwsWith(
      [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [2, 2, 2] },
      ],
      'alpha requires at least 2 items with variance (got 1; without variance: b)',
    );
  });
  it('items of unequal length', () => {
    throwsWith(
      [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [2, 1] },
      ],
      'alpha requires items of equal length (got 2 responses for "b", 3 for "a")',
    );
  });
  it('an infinite response', () => {
    throwsWith(
      [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [2, Number.POSITIVE_INFINITY, 1] },
      ],
      'alpha requires finite responses (got Infinity in row 2 of item "b")',
    );
  });
  it('two items never answered together', () => {
    throwsWith(
      [
        { name: 'a', values: [1, 2, 3, Number.NaN, Number.NaN, Number.NaN] },
        { name: 'b', values: [Number.NaN, Number.NaN, Number.NaN, 1, 2, 4] },
        { name: 'c', values: [1, 2, 2, 1, 3, 4] },
      ],
      'alpha requires every pair of items answered together by at least 2 respondents (got fewer for "b" and "a")',
    );
  });
});
