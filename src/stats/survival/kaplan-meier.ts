import { qnorm } from '../distributions/index.ts';
import { aeqSurv } from './aeq-surv.ts';
import { checkConfidenceLevel, checkGroups, checkSurvivalData, orderByTime } from './survival-data.ts';
import { survivalQuantile } from './survival-quantile.ts';
import type { SurvivalGroups } from './types.ts';

/** Input to {@link kaplanMeier}. Rows are observations after missing values have been removed. */
export interface KaplanMeierInput {
  /** Follow-up times, finite and non-negative. */
  time: Float64Array;
  /** 1 for an event, 0 for censored. */
  event: Float64Array;
  /** One curve per non-empty group; absent for `~ 1`, which gives one stratum named "all". */
  groups?: SurvivalGroups;
  /** 1-based data rows of the observations, for messages; default 1..n. */
  rowNumbers?: Int32Array;
  /** Level of the pointwise confidence band and the median's interval; default 0.95. */
  confidenceLevel?: number;
}

/** One distinct time of a curve (a row of `summary(fit, censored = TRUE)`). */
export interface KaplanMeierRow {
  time: number;
  nRisk: number;
  nEvent: number;
  nCensor: number;
  survival: number;
  /** survfit's `std.err`: Greenwood standard error of -log S (null once S reaches 0, where R has Inf). */
  stdErr: number | null;
  /** `S·exp(∓z·stdErr)`, the upper limit capped at 1; null where S is 0 (R's NA). */
  ciLower: number | null;
  ciUpper: number | null;
}

/** One Kaplan-Meier curve with its median survival and the median's confidence interval. */
export interface KaplanMeierStratum {
  name: string;
  n: number;
  events: number;
  /** null when the curve never reaches 0.5 (R's NA). */
  median: number | null;
  medianCiLower: number | null;
  medianCiUpper: number | null;
  table: KaplanMeierRow[];
}

/** Result of {@link kaplanMeier}: one stratum per non-empty group, in label order. */
export interface KaplanMeierResult {
  strata: KaplanMeierStratum[];
}

/**
 * Kaplan-Meier survival curves, as `survival::survfit(Surv(time, event) ~ group)` with its defaults
 * (`timefix = TRUE`, `conf.type = "log"`, Greenwood variance), and the median with its confidence limits as
 * `quantile(fit, 0.5)` (`findq`: the first time S ≤ 0.5, the midpoint of a flat stretch at exactly 0.5;
 * the limits apply the same rule to the confidence band).
 *
 * Each curve has one row per distinct time (event or censoring only): S(t) = Π (1 - d/n),
 * std.err(t) = sqrt(Σ d / (n (n - d))), limits exp(log S ∓ z·std.err) with the upper one capped at 1.
 * Groups without rows are skipped, as survfit drops empty strata.
 *
 * Complexity O(n log n).
 * @throws ModelDataError for times that are negative or not finite, events other than 0/1, group codes
 *   outside the labels, or lengths that do not match, naming the row.
 * @throws ModelFitError when there are no rows.
 * @throws InvalidArgumentError for a confidence level outside (0, 1).
 * @example
 * const fit = kaplanMeier({ time: Float64Array.of(1, 2, 3, 4), event: Float64Array.of(1, 1, 0, 1) });
 * fit.strata[0]?.table.map((row) => row.survival) // [0.75, 0.5, 0.5, 0]
 * fit.strata[0]?.median // 3 (S sits at 0.5 from time 2 to time 4)
 */
export function kaplanMeier(input: KaplanMeierInput): KaplanMeierResult {
  const { event, groups, rowNumbers } = input;
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  checkConfidenceLevel('kaplanMeier', confidenceLevel);
  checkSurvivalData('kaplanMeier', input.time, event, rowNumbers);
  if (groups !== undefined) checkGroups('kaplanMeier', groups, input.time.length, rowNumbers);
  const time = aeqSurv(input.time);
  const z = qnorm(1 - (1 - confidenceLevel) / 2);

  const strata: KaplanMeierStratum[] = [];
  for (const { name, rows } of splitByGroup(time.length, groups)) {
    strata.push(kaplanMeierStratum(name, time, event, orderByTime(time, rows), z));
  }
  return { strata };
}

/** The rows of each non-empty group in label order ("all" when there are no groups). */
function splitByGroup(
  observationCount: number,
  groups: SurvivalGroups | undefined,
): { name: string; label: number; rows: Int32Array }[] {
  if (groups === undefined) {
    const rows = new Int32Array(observationCount);
    for (let i = 0; i < observationCount; i++) rows[i] = i;
    return [{ name: 'all', label: 0, rows }];
  }
  const counts = new Int32Array(groups.labels.length);
  for (const code of groups.codes) counts[code] = (counts[code] as number) + 1;
  const members = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(groups.labels.length);
  for (let i = 0; i < observationCount; i++) {
    const code = groups.codes[i] as number;
    (members[code] as Int32Array)[filled[code] as number] = i;
    filled[code] = (filled[code] as number) + 1;
  }
  const result: { name: string; label: number; rows: Int32Array }[] = [];
  groups.labels.forEach((name, label) => {
    if ((counts[label] as number) > 0) result.push({ name, label, rows: members[label] as Int32Array });
  });
  return result;
}

/** One curve from its rows sorted by time (survfitkm with unit weights). */
function kaplanMeierStratum(
  name: string,
  time: Float64Array,
  event: Float64Array,
  sortedRows: Int32Array,
  z: number,
): KaplanMeierStratum {
  const n = sortedRows.length;
  const table: KaplanMeierRow[] = [];
  let survival = 1;
  let greenwood = 0;
  let events = 0;
  for (let start = 0; start < n; ) {
    const current = time[sortedRows[start] as number] as number;
    let end = start;
    let deaths = 0;
    while (end < n && time[sortedRows[end] as number] === current) {
      deaths += event[sortedRows[end] as number] as number;
      end++;
    }
    const atRisk = n - start;
    if (deaths > 0) {
      survival *= (atRisk - deaths) / atRisk;
      greenwood += deaths / (atRisk * (atRisk - deaths));
    }
    events += deaths;
    const stdErr = Math.sqrt(greenwood);
    // survfit_confint, conf.type "log": exp(log(S) -/+ z·se), NA where S = 0.
    const ciLower = survival === 0 ? null : Math.exp(Math.log(survival) - z * stdErr);
    const ciUpper = survival === 0 ? null : Math.min(Math.exp(Math.log(survival) + z * stdErr), 1);
    table.push({
      time: current,
      nRisk: atRisk,
      nEvent: deaths,
      nCensor: end - start - deaths,
      survival,
      stdErr: Number.isFinite(stdErr) ? stdErr : null,
      ciLower,
      ciUpper,
    });
    start = end;
  }

  const times = Float64Array.from(table, (row) => row.time);
  const curve = Float64Array.from(table, (row) => row.survival);
  const lower = Float64Array.from(table, (row) => row.ciLower ?? Number.NaN);
  const upper = Float64Array.from(table, (row) => row.ciUpper ?? Number.NaN);
  return {
    name,
    n,
    events,
    median: survivalQuantile(times, curve, 0.5),
    medianCiLower: survivalQuantile(times, lower, 0.5),
    medianCiUpper: survivalQuantile(times, upper, 0.5),
    table,
  };
}
