import { oneSampleTTest, pairedTTest, StatsError } from '../../stats/index.ts';
import type {
  CohortAnalysis,
  CohortChange,
  CohortNormComparison,
  CohortScoreSummary,
  CohortTimepointSummary,
  Suppressed,
} from './cohort-analysis-types.ts';
import type { CohortMeasure } from './cohort-measures.ts';
import type { CohortNorm, CohortScores } from './read-cohort.ts';

/** Options of {@link analyseCohort}. */
export interface AnalyseCohortOptions {
  /** Aggregates over fewer peer workers than this are suppressed. Default 5; values below 5 are refused. */
  readonly minimumGroupSize?: number;
  /**
   * Timepoints whose aggregates may be published (the app: timepoints whose collection is closed, or all after
   * the lock). Default all three. Another timepoint's summary and norm comparison, and every change row that
   * needs it, are withheld as `collection open`.
   */
  readonly publishedTimepoints?: readonly number[];
}

/** How many of `a` are not in `b`. */
function countMissing(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let count = 0;
  for (const member of a) if (!b.has(member)) count++;
  return count;
}

/**
 * Whether publishing aggregates over both groups would let a reader subtract one from the other and learn
 * about fewer than `minimum` people: true when either difference (A without B, B without A) holds 1 to
 * minimum − 1 people.
 */
function differencingRisk(a: ReadonlySet<string>, b: ReadonlySet<string>, minimum: number): boolean {
  const risky = (count: number) => count > 0 && count < minimum;
  return risky(countMissing(a, b)) || risky(countMissing(b, a));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function sd(values: readonly number[]): number {
  const centre = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1));
}

/** A t-test, or null when the data are constant (R's "data are essentially constant"). */
function tryTest<T>(run: () => T): T | null {
  try {
    return run();
  } catch (error) {
    if (error instanceof StatsError) return null;
    throw error;
  }
}

/**
 * The peer worker wellbeing cohort: for each measure and subscale, mean (SD), n and range at T1, T2 and T3;
 * change from T1 to T2 and to T3 by paired t-test (`t.test(x, y, paired = TRUE)`) with Cohen's d_z (mean
 * change / SD of the changes); and, where a norm is configured, a one-sample t-test of each timepoint's mean
 * against the norm mean (`t.test(x, mu = norm)`) with the difference standardised by the norm's SD.
 *
 * Confidentiality is part of the result: any aggregate over fewer than `minimumGroupSize` (5) peer workers is
 * replaced by nulls and `suppressed: 'fewer than 5'`, and the result holds no worker id and no item answer.
 * The range (minimum, maximum) of a score is an aggregate of at least 5 people and is shown only then.
 * Complementary suppression: per score, the group of a published change row (the workers paired between T1
 * and Tt) must differ from each published group it could be subtracted from — the timepoint groups T1..Tt
 * and the earlier published change row — by 0 or at least `minimumGroupSize` people in each direction;
 * otherwise the change row is withheld (`would reveal fewer than 5 people by differencing with the T1
 * group`). Timepoint rows take priority; a change to Tt needs T1..Tt published, so its decision never
 * changes when a later timepoint is published (docs/reference/cohort.md gives the rationale and the
 * residual risks). Pure; O(rows × scores).
 * @throws RangeError for a minimum group size below 5 (the study's rule; not user data).
 * @example analyseCohort(readCohortResponses(table, PLACEHOLDER_COHORT_MEASURES), norms, PLACEHOLDER_COHORT_MEASURES)
 */
export function analyseCohort(
  data: CohortScores,
  norms: readonly CohortNorm[],
  measures: readonly CohortMeasure[],
  options: AnalyseCohortOptions = {},
): CohortAnalysis {
  const minimumGroupSize = options.minimumGroupSize ?? 5;
  if (!Number.isInteger(minimumGroupSize) || minimumGroupSize < 5) {
    throw new RangeError(
      `analyseCohort requires a minimum group size of at least 5 (got ${minimumGroupSize})`,
    );
  }
  const suppressed: Suppressed = `fewer than ${minimumGroupSize}`;
  const small = (n: number) => n < minimumGroupSize;
  const timepoints = [1, 2, 3] as const;
  const publishedTimepoints = new Set(options.publishedTimepoints ?? timepoints);
  const open = (timepoint: number) => !publishedTimepoints.has(timepoint);
  const differencing = (what: string): Suppressed =>
    `would reveal fewer than ${minimumGroupSize} people by differencing with ${what}`;

  const scoreKeys = measures.flatMap((measure) => [
    { measure: measure.id, subscale: null as string | null, label: measure.name, key: measure.id },
    ...measure.subscales.map((subscale) => ({
      measure: measure.id,
      subscale: subscale.id as string | null,
      label: `${measure.name}: ${subscale.label}`,
      key: `${measure.id}.${subscale.id}`,
    })),
  ]);
  const valueAt = (key: string, timepoint: number) =>
    data.rows.flatMap((row) => {
      const value = row.timepoint === timepoint ? row.scores.get(key) : undefined;
      return value === undefined ? [] : [value];
    });
  const groupAt = (key: string, timepoint: number): ReadonlySet<string> =>
    new Set(
      data.rows.flatMap((row) =>
        row.timepoint === timepoint && row.scores.has(key) ? [String(row.worker)] : [],
      ),
    );

  const scores: CohortScoreSummary[] = scoreKeys.map(({ measure, subscale, label, key }) => {
    // The groups of people this score publishes an aggregate over, with what a reader would call them.
    const published: { group: ReadonlySet<string>; timepoint: number; what: string }[] = [];
    const summaries: CohortTimepointSummary[] = timepoints.map((timepoint) => {
      const values = valueAt(key, timepoint);
      const withheld = { timepoint, n: null, mean: null, sd: null, minimum: null, maximum: null };
      if (open(timepoint)) return { ...withheld, suppressed: 'collection open' };
      if (small(values.length)) return { ...withheld, suppressed };
      published.push({ group: groupAt(key, timepoint), timepoint, what: `the T${timepoint} group` });
      return {
        timepoint,
        n: values.length,
        mean: mean(values),
        sd: sd(values),
        minimum: Math.min(...values),
        maximum: Math.max(...values),
        suppressed: null,
      };
    });
    const change: CohortChange[] = ([2, 3] as const).map((timepoint) => {
      const baseline = new Map(
        data.rows.flatMap((row) => {
          const value = row.timepoint === 1 ? row.scores.get(key) : undefined;
          return value === undefined ? [] : [[row.worker, value] as const];
        }),
      );
      const later: number[] = [];
      const first: number[] = [];
      const pairs = new Set<string>();
      for (const row of data.rows) {
        const value = row.timepoint === timepoint ? row.scores.get(key) : undefined;
        const before = baseline.get(row.worker);
        if (value !== undefined && before !== undefined) {
          later.push(value);
          first.push(before);
          pairs.add(String(row.worker));
        }
      }
      const empty = {
        timepoint,
        n: null,
        meanChange: null,
        sdChange: null,
        ciLower: null,
        ciUpper: null,
        statistic: null,
        degreesOfFreedom: null,
        pValue: null,
        effectSizeDz: null,
      };
      // T1..Tt all published: the groups this row is checked against are then final.
      if (timepoints.some((other) => other <= timepoint && open(other))) {
        return { ...empty, suppressed: 'collection open' as Suppressed };
      }
      if (small(later.length)) return { ...empty, suppressed };
      // Against T1..Tt and the earlier change row; a later timepoint group shares no score with this row.
      const clash = published.find(
        (entry) => entry.timepoint <= timepoint && differencingRisk(pairs, entry.group, minimumGroupSize),
      );
      if (clash !== undefined) return { ...empty, suppressed: differencing(clash.what) };
      published.push({ group: pairs, timepoint, what: `the change to T${timepoint}` });
      const differences = later.map((value, index) => value - (first[index] as number));
      const sdChange = sd(differences);
      const test = tryTest(() => pairedTTest(later, first));
      return {
        ...empty,
        n: later.length,
        meanChange: mean(differences),
        sdChange,
        ...(test === null
          ? {}
          : {
              ciLower: test.ciLower,
              ciUpper: test.ciUpper,
              statistic: test.statistic,
              degreesOfFreedom: test.degreesOfFreedom,
              pValue: test.pValue,
              effectSizeDz: test.estimate / sdChange,
            }),
        suppressed: null,
      };
    });
    const norm = norms.find((candidate) => candidate.measure === measure && candidate.subscale === subscale);
    return {
      measure,
      subscale,
      label,
      timepoints: summaries,
      change,
      norm:
        norm === undefined
          ? null
          : {
              mean: norm.mean,
              sd: norm.sd,
              source: norm.source,
              comparisons: timepoints.map((timepoint): CohortNormComparison => {
                const values = valueAt(key, timepoint);
                const empty = {
                  timepoint,
                  n: null,
                  mean: null,
                  difference: null,
                  ciLower: null,
                  ciUpper: null,
                  statistic: null,
                  degreesOfFreedom: null,
                  pValue: null,
                  standardisedDifference: null,
                };
                if (open(timepoint)) return { ...empty, suppressed: 'collection open' as Suppressed };
                if (small(values.length)) return { ...empty, suppressed };
                const average = mean(values);
                const test = tryTest(() => oneSampleTTest(values, { mu: norm.mean }));
                return {
                  ...empty,
                  n: values.length,
                  mean: average,
                  difference: average - norm.mean,
                  standardisedDifference: (average - norm.mean) / norm.sd,
                  ...(test === null
                    ? {}
                    : {
                        ciLower: test.ciLower - norm.mean,
                        ciUpper: test.ciUpper - norm.mean,
                        statistic: test.statistic,
                        degreesOfFreedom: test.degreesOfFreedom,
                        pValue: test.pValue,
                      }),
                  suppressed: null,
                };
              }),
            },
    };
  });
  return {
    source: data.source,
    minimumGroupSize,
    participants: timepoints.map((timepoint) => {
      const n = data.rows.filter((row) => row.timepoint === timepoint).length;
      if (open(timepoint)) return { timepoint, n: null, suppressed: 'collection open' as Suppressed };
      return small(n) ? { timepoint, n: null, suppressed } : { timepoint, n, suppressed: null };
    }),
    measures: measures.map((measure) => ({ id: measure.id, name: measure.name, note: measure.note ?? null })),
    scores,
  };
}
