import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { kaplanMeier } from './kaplan-meier.ts';
import { fixtureCase, fixtureCases, fixtureGroups, toSnakeCase } from './survival-fixture.test-support.ts';

// survfit's estimate is a closed form (products and sums over the risk sets), computed in the same order
// as survfitkm.c: 1e-10 relative (measured: below 5e-15). Medians and table times are compared the same way
// (they are data values or midpoints of data values, so they agree exactly).
const CLOSED_FORM = { relative: 1e-10 };

describe('kaplanMeier against survival::survfit + quantile(fit, 0.5) (reference/survival.R)', () => {
  for (const item of fixtureCases('km')) {
    test(`${item.name}: ${item.call}`, () => {
      const groups = fixtureGroups(item);
      const fit = kaplanMeier({
        time: Float64Array.from(item.time),
        event: Float64Array.from(item.event),
        ...(groups === undefined ? {} : { groups }),
      });
      // n_dropped is counted by whoever removes the NA rows (the formula layer); the CLI test checks it.
      const { n_dropped: _dropped, ...expected } = item.expected;
      assertDeepClose(toSnakeCase(fit), expected, CLOSED_FORM);
    });
  }

  test('a stratum without events stays at 1 with a null median; an empty label is skipped', () => {
    const item = fixtureCase('shapes_km');
    const groups = fixtureGroups(item);
    assert.ok(groups !== undefined);
    const fit = kaplanMeier({
      time: Float64Array.from(item.time),
      event: Float64Array.from(item.event),
      groups,
    });
    assert.deepEqual(
      fit.strata.map((stratum) => stratum.name),
      ['group=exact', 'group=noevents', 'group=notreached', 'group=plain'],
    );
    const noEvents = fit.strata[1];
    assert.ok(noEvents?.table.every((row) => row.survival === 1 && row.stdErr === 0));
    assert.equal(noEvents?.median, null);
    // S sits at exactly 0.5 between times 3 and 5: the median is the midpoint.
    assert.equal(fit.strata[0]?.median, 4);
  });

  test('S reaching 0 gives null std_err and limits, as R reports Inf and NA', () => {
    const fit = kaplanMeier({ time: Float64Array.of(1, 2, 3), event: Float64Array.of(1, 0, 1) });
    const last = fit.strata[0]?.table[2];
    assert.deepEqual(last, {
      time: 3,
      nRisk: 1,
      nEvent: 1,
      nCensor: 0,
      survival: 0,
      stdErr: null,
      ciLower: null,
      ciUpper: null,
    });
  });

  test('@example', () => {
    const fit = kaplanMeier({ time: Float64Array.of(1, 2, 3, 4), event: Float64Array.of(1, 1, 0, 1) });
    assert.deepEqual(
      fit.strata[0]?.table.map((row) => row.survival),
      [0.75, 0.5, 0.5, 0],
    );
    assert.equal(fit.strata[0]?.median, 3);
  });

  test('confidenceLevel changes the band', () => {
    const time = Float64Array.of(1, 2, 3, 4, 5);
    const event = Float64Array.of(1, 1, 0, 1, 0);
    const wide = kaplanMeier({ time, event, confidenceLevel: 0.99 }).strata[0]?.table[1];
    const narrow = kaplanMeier({ time, event }).strata[0]?.table[1];
    assert.ok((wide?.ciLower as number) < (narrow?.ciLower as number));
  });
});

describe('kaplanMeier errors', () => {
  const time = Float64Array.of(1, 2, 3);
  const event = Float64Array.of(1, 0, 1);
  test('negative time names the data row', () => {
    assert.throws(() => kaplanMeier({ time: Float64Array.of(1, 2, -1), event }), {
      name: 'ModelDataError',
      message: 'kaplanMeier requires non-negative times (got -1 in row 3)',
    });
  });
  test('event other than 0/1', () => {
    assert.throws(
      () => kaplanMeier({ time, event: Float64Array.of(1, 2, 1), rowNumbers: Int32Array.of(4, 5, 6) }),
      {
        name: 'ModelDataError',
        message: 'kaplanMeier requires a 0/1 event (got 2 in row 5)',
      },
    );
  });
  test('non-finite time', () => {
    assert.throws(() => kaplanMeier({ time: Float64Array.of(1, Number.POSITIVE_INFINITY, 3), event }), {
      name: 'ModelDataError',
      message: 'kaplanMeier requires finite times (got Infinity in row 2)',
    });
  });
  test('lengths differ', () => {
    assert.throws(() => kaplanMeier({ time, event: Float64Array.of(1, 0) }), {
      name: 'ModelDataError',
      message: 'kaplanMeier requires time and event of equal length (got 3 times and 2 events)',
    });
  });
  test('group codes of the wrong length', () => {
    assert.throws(
      () => kaplanMeier({ time, event, groups: { labels: ['g=a'], codes: Int32Array.of(0, 0) } }),
      {
        name: 'ModelDataError',
        message: 'kaplanMeier requires one group code per observation (got 2 codes for 3 observations)',
      },
    );
  });
  test('group code outside the labels', () => {
    assert.throws(
      () => kaplanMeier({ time, event, groups: { labels: ['g=a', 'g=b'], codes: Int32Array.of(0, 2, 1) } }),
      { name: 'ModelDataError', message: 'kaplanMeier requires group codes from 0 to 1 (got 2 in row 2)' },
    );
    assert.throws(
      () => kaplanMeier({ time, event, groups: { labels: ['g=a'], codes: Int32Array.of(0, -1, 0) } }),
      { name: 'ModelDataError', message: 'kaplanMeier requires group codes from 0 to 0 (got -1 in row 2)' },
    );
  });
  test('no rows', () => {
    assert.throws(() => kaplanMeier({ time: new Float64Array(0), event: new Float64Array(0) }), {
      name: 'ModelFitError',
      message: 'kaplanMeier requires at least one observation (got 0 rows)',
    });
  });
  test('confidence level outside (0, 1)', () => {
    assert.throws(() => kaplanMeier({ time, event, confidenceLevel: 0 }), {
      name: 'InvalidArgumentError',
      message: 'kaplanMeier requires a confidence level between 0 and 1 (got 0)',
    });
  });
});
