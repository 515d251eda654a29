import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError } from '../errors.ts';
import { ReliabilityDataError } from './errors.ts';
import { intraclassCorrelation } from './intraclass-correlation.ts';
import {
  assertWarningsAsR,
  numericItems,
  readCaseTable,
  reliabilityCases,
  snakeCaseKeys,
} from './reliability-fixture.test-support.ts';

// Closed forms from the two-way ANOVA mean squares, pf and qf: 1e-10 relative (measured: at most 7e-14;
// the fixture stores 15 significant digits).
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

describe('intraclassCorrelation against psych::ICC(x, lmer = FALSE) 2.2.9 (reference/reliability.R)', () => {
  for (const testCase of reliabilityCases('icc')) {
    it(`${testCase.name}: ${testCase.call}`, () => {
      const result = intraclassCorrelation(numericItems(readCaseTable(testCase.data), testCase.columns));
      const { warnings, ...numbers } = snakeCaseKeys(result) as Record<string, unknown>;
      // the rater names are the CLI's (enrich icc --json), not part of the result
      const { raters: _raters, ...expected } = testCase.expected;
      assertDeepClose(numbers, expected, TOLERANCE);
      assertWarningsAsR(testCase, warnings as string[]);
    });
  }

  it('computes the TSDoc example', () => {
    const result = intraclassCorrelation([
      { name: 'a', values: [1, 2, 3, 4] },
      { name: 'b', values: [1, 3, 3, 5] },
    ]);
    // reference/doc-examples.R: ICC(data.frame(a = c(1, 2, 3, 4), b = c(1, 3, 3, 5)), lmer = FALSE)$results$ICC[1]
    const expected = readFixture<{ cases: { icc1: number } }>('doc-examples.json').cases.icc1;
    assertClose(result.icc[0]?.value ?? Number.NaN, expected, { relative: 1e-14 });
  });
});

describe('intraclassCorrelation errors', () => {
  const throwsWith = (raters: Parameters<typeof intraclassCorrelation>[0], message: string) =>
    assert.throws(
      () => intraclassCorrelation(raters),
      (error: unknown) => {
        assert.ok(error instanceof ReliabilityDataError);
        assert.equal(error.message, message);
        return true;
      },
    );

  it('fewer than 2 raters', () => {
    throwsWith([{ name: 'a', values: [1, 2] }], 'icc requires at least 2 raters (columns) (got 1)');
  });
  it('fewer than 2 complete rows', () => {
    throwsWith(
      [
        { name: 'a', values: [1, Number.NaN, 3] },
        { name: 'b', values: [2, 1, Number.NaN] },
      ],
      'icc requires at least 2 targets (rows) rated by every rater (got 1 of 3 rows complete)',
    );
  });
  it('raters of unequal length', () => {
    throwsWith(
      [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [2, 1] },
      ],
      'icc requires raters of equal length (got 2 ratings for "b", 3 for "a")',
    );
  });
  it('an infinite rating', () => {
    throwsWith(
      [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [2, Number.NEGATIVE_INFINITY, 1] },
      ],
      'icc requires finite ratings (got -Infinity in row 2 of rater "b")',
    );
  });
  it('ratings that never vary', () => {
    throwsWith(
      [
        { name: 'a', values: [4, 4, 4] },
        { name: 'b', values: [4, 4, 4] },
      ],
      'icc requires ratings that vary (got every rating equal to 4)',
    );
  });
  it('a confidence level outside (0, 1)', () => {
    assert.throws(
      () =>
        intraclassCorrelation(
          [
            { name: 'a', values: [1, 2] },
            { name: 'b', values: [2, 1] },
          ],
          { confidenceLevel: 1 },
        ),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'icc requires a confidence level in (0, 1) (got 1)',
    );
  });
});
