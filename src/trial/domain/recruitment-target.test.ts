import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordValidationError } from '../errors.ts';
import { expectedByDate, validateRecruitmentTarget } from './recruitment-target.ts';

describe('recruitment target record', () => {
  it('accepts a target of the documented shape, with and without site targets', () => {
    const target = {
      targetId: 'trial',
      total: 60,
      startDate: '2025-01-01',
      endDate: '2026-06-30',
      sites: [
        { siteId: 'site_1', total: 30 },
        { siteId: 'site_2', total: 30, startDate: '2025-03-01' },
      ],
    };
    assert.deepEqual(validateRecruitmentTarget(target), target);
    assert.deepEqual(validateRecruitmentTarget({ ...target, sites: [] }), { ...target, sites: [] });
  });

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        validateRecruitmentTarget({
          targetId: 'other',
          total: 2.5,
          startDate: '2025-06-01',
          endDate: '2025-06-01',
          sites: [
            { siteId: 'site_1', total: 0 },
            { siteId: 'site_1', total: 4, startDate: '2025-05-31' },
            { total: 3, startDate: '1 June' },
          ],
        }),
      (error: unknown) => {
        assert.ok(error instanceof RecordValidationError);
        assert.deepEqual(
          error.problems.map((problem) => problem.path),
          [
            'recruitment_target.targetId',
            'recruitment_target.total',
            'recruitment_target.endDate',
            'recruitment_target.sites[0].total',
            'recruitment_target.sites[1].startDate',
            'recruitment_target.sites[1].siteId',
            'recruitment_target.sites[2].siteId',
            'recruitment_target.sites[2].startDate',
          ],
        );
        assert.match(error.message, /endDate requires a date after startDate 2025-06-01 \(got 2025-06-01\)/);
        assert.match(error.message, /at most one target per site \(got a second for site_1\)/);
        return true;
      },
    );
    assert.throws(
      () =>
        validateRecruitmentTarget({
          targetId: 'trial',
          total: 5,
          startDate: '2025-01-01',
          endDate: '2025-02-01',
        }),
      /recruitment_target.sites requires a list of site targets \(got undefined\)/,
    );
  });
});

describe('expectedByDate', () => {
  it('spreads the total evenly from the start (0) to the end (all), flat outside', () => {
    // 2025-01-01 to 2025-01-31 is 30 days: 60 over 30 days is 2 a day.
    assert.equal(expectedByDate(60, '2025-01-01', '2025-01-31', '2024-12-01'), 0);
    assert.equal(expectedByDate(60, '2025-01-01', '2025-01-31', '2025-01-01'), 0);
    assert.equal(expectedByDate(60, '2025-01-01', '2025-01-31', '2025-01-11'), 2 * 10);
    assert.equal(expectedByDate(60, '2025-01-01', '2025-01-31', '2025-01-31'), 60);
    assert.equal(expectedByDate(60, '2025-01-01', '2025-01-31', '2026-01-01'), 60);
    // 10 over 3 days, 1 day in: 10/3 rounded to one decimal.
    assert.equal(expectedByDate(10, '2025-01-01', '2025-01-04', '2025-01-02'), Math.round(100 / 3) / 10);
  });
});
