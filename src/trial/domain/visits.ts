import { formatIsoDate, parseIsoDate } from '../typed-columns.ts';
import { getVisit } from './trial-config.ts';
import type { IsoDate, TrialConfig } from './types.ts';

/** A visit's dates for one participant (all inclusive, ISO dates). */
export interface VisitWindow {
  readonly visitId: string;
  readonly target: IsoDate;
  readonly earliest: IsoDate;
  readonly latest: IsoDate;
}

/**
 * The whole number of days from `from` to `to` (negative when `to` is earlier).
 *
 * @throws RangeError when either is not an ISO `YYYY-MM-DD` date.
 * @example
 * daysBetween('2024-01-31', '2024-03-01'); // 30 (2024 is a leap year)
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The date `days` days after `date` (before, when negative).
 *
 * @throws RangeError when `date` is not an ISO date or `days` not a whole number.
 * @example
 * addDays('2024-02-28', 2); // '2024-03-01'
 */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`addDays requires a whole number of days (got ${days})`);
  return formatIsoDate(dayNumber(date) + days);
}

function dayNumber(date: IsoDate): number {
  const day = typeof date === 'string' && date.length === 10 ? parseIsoDate(date) : undefined;
  if (day === undefined)
    throw new RangeError(`date requires an ISO date YYYY-MM-DD (got ${JSON.stringify(date)})`);
  return day;
}

/**
 * A visit's window for a participant discharged on `dischargeDate` (day 0): target = discharge +
 * `targetDaysAfterDischarge`; earliest = target − `windowBeforeDays`; latest = target + `windowAfterDays`.
 *
 * @throws UnknownVisitError when the configuration has no visit `visitId`.
 * @throws RangeError when `dischargeDate` is not an ISO date.
 * @example
 * visitWindow(ENRICH_TRIAL_CONFIG, 'month_4', '2024-01-10');
 * // { visitId: 'month_4', target: '2024-05-11', earliest: '2024-04-27', latest: '2024-07-06' }
 */
export function visitWindow(config: TrialConfig, visitId: string, dischargeDate: IsoDate): VisitWindow {
  const visit = getVisit(config, visitId);
  const discharge = dayNumber(dischargeDate);
  const target = discharge + visit.targetDaysAfterDischarge;
  return {
    visitId,
    target: formatIsoDate(target),
    earliest: formatIsoDate(target - visit.windowBeforeDays),
    latest: formatIsoDate(target + visit.windowAfterDays),
  };
}

/**
 * Whether `date` falls within the window (both ends included).
 *
 * @throws RangeError when `date` is not an ISO date.
 * @example
 * isWithinWindow({ visitId: 'month_4', target: '2024-05-11', earliest: '2024-04-27', latest: '2024-07-06' }, '2024-07-06'); // true
 */
export function isWithinWindow(window: VisitWindow, date: IsoDate): boolean {
  const day = dayNumber(date);
  return day >= dayNumber(window.earliest) && day <= dayNumber(window.latest);
}
