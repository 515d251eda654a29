import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertClose, assertDeepClose } from '../../../test/helpers/approx.ts';
import { logrankTest } from './logrank.ts';
import { fixtureCases, fixtureGroups, toSnakeCase } from './survival-fixture.test-support.ts';

// survdiff is a closed form (sums over event times, then one linear solve): 1e-10 relative
// (measured: below 4e-15).
const CLOSED_FORM = { relative: 1e-10 };

describe('logrankTest against survival::survdiff (reference/survival.R)', () => {
  for (const item of fixtureCases('logrank')) {
    test(`${item.name}: ${item.call}`, () => {
      const groups = fixtureGroups(item);
      assert.ok(groups !== undefined);
      const result = logrankTest({
        time: Float64Array.from(item.time),
        event: Float64Array.from(item.event),
        groups,
      });
      // n_dropped is counted by whoever removes the NA rows (the formula layer); the CLI test checks it.
      const { n_dropped: _dropped, ...expected } = item.expected;
      assertDeepClose(toSnakeCase(result), expected, CLOSED_FORM);
      // survdiff's own p-value is the same upper chi-square tail.
      assertClose(
        result.pValue,
        item.expected_extra.p_value_survdiff as number,
        CLOSED_FORM,
        'p_value_survdiff',
      );
    });
  }

  test('@example: hand-computed expected events', () => {
    const result = logrankTest({
      time: Float64Array.of(1, 2, 3, 4, 5, 6),
      event: Float64Array.of(1, 1, 1, 1, 1, 1),
      groups: { labels: ['arm=a', 'arm=b'], codes: Int32Array.of(0, 0, 0, 1, 1, 1) },
    });
    // E_a = 3/6 + 2/5 + 1/4 at the first three deaths, then no one in arm a is at risk.
    assertClose(result.groups[0]?.expected as number, 1.15, { relative: 1e-15 });
    assertClose(result.groups[1]?.expected as number, 4.85, { relative: 1e-15 });
  });
});

describe('logrankTest errors', () => {
  const time = Float64Array.of(1, 2, 3, 4);
  const event = Float64Array.of(1, 1, 0, 1);
  test('event other than 0/1 names the data row', () => {
    assert.throws(
      () =>
        logrankTest({
          time,
          event: Float64Array.of(1, 1, 0, 3),
          groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 1, 0, 1) },
        }),
      { name: 'ModelDataError', message: 'logrankTest requires a 0/1 event (got 3 in row 4)' },
    );
  });
  test('negative time', () => {
    assert.throws(
      () =>
        logrankTest({
          time: Float64Array.of(1, -2, 3, 4),
          event,
          groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 1, 0, 1) },
        }),
      { name: 'ModelDataError', message: 'logrankTest requires non-negative times (got -2 in row 2)' },
    );
  });
  test('group codes of the wrong length', () => {
    assert.throws(
      () => logrankTest({ time, event, groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 1) } }),
      {
        name: 'ModelDataError',
        message: 'logrankTest requires one group code per observation (got 2 codes for 4 observations)',
      },
    );
  });
  test('only one non-empty group: survdiff stops with "There is only 1 group"', () => {
    assert.throws(
      () =>
        logrankTest({ time, event, groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 0, 0, 0) } }),
      {
        name: 'ModelFitError',
        message: 'logrankTest requires at least two groups with observations (got 1: g=a)',
      },
    );
  });
  test('only one group at risk at any event time', () => {
    // Group b's only subject leaves (censored at 0.5) before the first event.
    assert.throws(
      () =>
        logrankTest({
          time: Float64Array.of(1, 2, 3, 0.5),
          event: Float64Array.of(1, 1, 1, 0),
          groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 0, 0, 1) },
        }),
      {
        name: 'ModelFitError',
        message: 'logrankTest requires at least two groups at risk at an event time (got 1 of 2 groups)',
      },
    );
  });
  test('no rows', () => {
    assert.throws(
      () =>
        logrankTest({
          time: new Float64Array(0),
          event: new Float64Array(0),
          groups: { labels: ['g=a'], codes: new Int32Array(0) },
        }),
      { name: 'ModelFitError', message: 'logrankTest requires at least one observation (got 0 rows)' },
    );
  });
  test('singular variance matrix', () => {
    // Everyone at risk dies at the one event time, so the hypergeometric variance is zero (R's solve()
    // stops: "system is exactly singular").
    assert.throws(
      () =>
        logrankTest({
          time: Float64Array.of(1, 1),
          event: Float64Array.of(1, 1),
          groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 1) },
        }),
      {
        name: 'ModelFitError',
        message: 'logrankTest requires a non-singular variance matrix (got a singular one)',
      },
    );
  });
});
