/**
 * The trial's recruitment target as trial data: how many participants should be randomised between a start
 * and an end date, overall and (optionally) per site. The trial manager sets it (versioned, reason on
 * change, audited); the recruitment summary compares what has been randomised with what a straight-line
 * plan expects by a day.
 */

import { RecordValidationError } from '../errors.ts';
import { checkRecord } from './field-checks.ts';
import type { IsoDate } from './types.ts';
import { daysBetween } from './visits.ts';

/** The one key of the trial's recruitment target record. */
export const RECRUITMENT_TARGET_RECORD_ID = 'trial';

/** A site's share of the target: its own total and, when it opened later than the trial, its start. */
export interface SiteRecruitmentTarget {
  readonly siteId: string;
  /** Whole number above 0. */
  readonly total: number;
  /** When the site starts recruiting (defaults to the trial's start); before the end date. */
  readonly startDate?: IsoDate;
}

/** The trial's recruitment target (key `targetId` = `trial`). */
export interface RecruitmentTargetRecord {
  readonly targetId: typeof RECRUITMENT_TARGET_RECORD_ID;
  /** Participants to randomise across all sites (whole number above 0). */
  readonly total: number;
  /** Recruitment starts (day 0 of the straight-line plan). */
  readonly startDate: IsoDate;
  /** Recruitment ends: the whole target is expected by this day; after the start. */
  readonly endDate: IsoDate;
  /** Per-site targets (at most one per site; may be empty). */
  readonly sites: readonly SiteRecruitmentTarget[];
}

/**
 * Validates a recruitment target: key `trial`, a whole total above 0, ISO start and end dates with the end
 * after the start, and per site a site id (once), a whole total above 0 and an optional start date on or
 * after the trial's start and before its end. Site ids are checked against the trial's sites by the server.
 * @throws RecordValidationError listing every problem.
 * @example
 * validateRecruitmentTarget({ targetId: 'trial', total: 60, startDate: '2025-01-01', endDate: '2026-06-30', sites: [] });
 */
export function validateRecruitmentTarget(input: unknown): RecruitmentTargetRecord {
  const checker = checkRecord('recruitment_target', input);
  const targetId = checker.text('targetId');
  if (targetId !== undefined && targetId !== RECRUITMENT_TARGET_RECORD_ID) {
    checker.inconsistent(
      'targetId',
      `recruitment_target.targetId requires "${RECRUITMENT_TARGET_RECORD_ID}" (got ${JSON.stringify(targetId)})`,
    );
  }
  checker.number('total', { integer: true, minimum: 1 });
  const start = checker.date('startDate');
  const end = checker.date('endDate');
  if (start !== undefined && end !== undefined && end <= start) {
    checker.inconsistent(
      'endDate',
      `recruitment_target.endDate requires a date after startDate ${String(checker.record.startDate)} (got ${String(checker.record.endDate)})`,
    );
  }
  const sites = checker.record.sites;
  if (!Array.isArray(sites)) {
    checker.invalid(
      'sites',
      `recruitment_target.sites requires a list of site targets (got ${typeof sites})`,
    );
  } else {
    const seen = new Set<string>();
    sites.forEach((site: unknown, index) => {
      const item = checkRecord(`recruitment_target.sites[${index}]`, site, checker.problems);
      const siteId = item.text('siteId');
      item.number('total', { integer: true, minimum: 1 });
      const siteStart = item.date('startDate', { optional: true });
      if (siteStart !== undefined && start !== undefined && end !== undefined) {
        if (siteStart < start || siteStart >= end) {
          item.inconsistent(
            'startDate',
            `recruitment_target.sites[${index}].startDate requires a date from the trial's startDate up to before its endDate (got ${String(item.record.startDate)})`,
          );
        }
      }
      if (siteId !== undefined && seen.has(siteId)) {
        item.inconsistent(
          'siteId',
          `recruitment_target.sites requires at most one target per site (got a second for ${siteId})`,
        );
      }
      if (siteId !== undefined) seen.add(siteId);
    });
  }
  if (checker.problems.length > 0) throw new RecordValidationError(checker.problems);
  return checker.record as unknown as RecruitmentTargetRecord;
}

/**
 * How many participants a straight-line plan expects randomised by `on`: `total` spread evenly from `start`
 * (0 expected that day) to `end` (all of `total`), 0 before the start and `total` from the end on. Rounded to
 * one decimal.
 * @throws RangeError when a date is not an ISO date.
 * @example
 * expectedByDate(60, '2025-01-01', '2025-01-31', '2025-01-16'); // 30
 */
export function expectedByDate(total: number, start: IsoDate, end: IsoDate, on: IsoDate): number {
  const span = daysBetween(start, end);
  const elapsed = daysBetween(start, on);
  const share = span <= 0 ? (elapsed >= 0 ? 1 : 0) : Math.min(1, Math.max(0, elapsed / span));
  return Math.round(total * share * 10) / 10;
}
