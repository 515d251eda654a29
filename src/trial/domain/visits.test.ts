import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownVisitError } from '../errors.ts';
import { ENRICH_TRIAL_CONFIG } from '../templates/enrich.ts';
import type { TrialConfig } from './types.ts';
import { addDays, daysBetween, isWithinWindow, visitWindow } from './visits.ts';

describe('visit windows', () => {
  it('places the ENRICH 4-month interview at day 122, from 14 days before to 56 after', () => {
    // 2024-01-10 + 122 days crosses 29 February 2024.
    assert.deepEqual(visitWindow(ENRICH_TRIAL_CONFIG, 'month_4', '2024-01-10'), {
      visitId: 'month_4',
      target: '2024-05-11',
      earliest: '2024-04-27',
      latest: '2024-07-06',
    });
  });

  it('places the 12-month records extraction from day 365', () => {
    assert.deepEqual(visitWindow(ENRICH_TRIAL_CONFIG, 'month_12', '2023-03-01'), {
      visitId: 'month_12',
      target: '2024-02-29',
      earliest: '2024-02-29',
      latest: '2024-08-30',
    });
  });

  it('uses the configured windows', () => {
    const config: TrialConfig = {
      ...ENRICH_TRIAL_CONFIG,
      visits: [
        {
          id: 'week_2',
          label: 'Week 2',
          kind: 'interview',
          targetDaysAfterDischarge: 14,
          windowBeforeDays: 3,
          windowAfterDays: 0,
          instruments: [],
        },
      ],
    };
    assert.deepEqual(visitWindow(config, 'week_2', '2024-12-25'), {
      visitId: 'week_2',
      target: '2025-01-08',
      earliest: '2025-01-05',
      latest: '2025-01-08',
    });
  });

  it('includes both ends of the window', () => {
    const window = visitWindow(ENRICH_TRIAL_CONFIG, 'month_4', '2024-01-10');
    assert.equal(isWithinWindow(window, '2024-04-26'), false);
    assert.equal(isWithinWindow(window, '2024-04-27'), true);
    assert.equal(isWithinWindow(window, '2024-05-11'), true);
    assert.equal(isWithinWindow(window, '2024-07-06'), true);
    assert.equal(isWithinWindow(window, '2024-07-07'), false);
  });

  it('rejects an unknown visit naming the configured ones', () => {
    assert.throws(
      () => visitWindow(ENRICH_TRIAL_CONFIG, 'month_6', '2024-01-10'),
      (error: unknown) =>
        error instanceof UnknownVisitError &&
        error.code === 'visit_unknown' &&
        error.message === 'visit requires one of month_4, month_12 (got "month_6")',
    );
  });

  it('rejects malformed dates', () => {
    assert.throws(() => visitWindow(ENRICH_TRIAL_CONFIG, 'month_4', '2024-02-30'), {
      name: 'RangeError',
      message: 'date requires an ISO date YYYY-MM-DD (got "2024-02-30")',
    });
    const window = visitWindow(ENRICH_TRIAL_CONFIG, 'month_4', '2024-01-10');
    assert.throws(() => isWithinWindow(window, '10/05/2024'), { name: 'RangeError' });
    assert.throws(() => addDays('2024-01-01', 1.5), {
      name: 'RangeError',
      message: 'addDays requires a whole number of days (got 1.5)',
    });
  });

  it('counts days across leap years and backwards', () => {
    assert.equal(daysBetween('2024-01-31', '2024-03-01'), 30);
    assert.equal(daysBetween('2023-01-31', '2023-03-01'), 29);
    assert.equal(daysBetween('2024-03-01', '2024-01-31'), -30);
    assert.equal(addDays('2024-02-28', 2), '2024-03-01');
    assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  });
});
