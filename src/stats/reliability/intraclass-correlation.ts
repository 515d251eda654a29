import { pf, qf } from '../distributions/index.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { ReliabilityItem } from './cronbach-alpha.ts';
import { ReliabilityDataError } from './errors.ts';

/** The six Shrout-Fleiss forms, in psych's order. */
export type IccType = 'ICC1' | 'ICC2' | 'ICC3' | 'ICC1k' | 'ICC2k' | 'ICC3k';

/** One row of psych's ICC table. */
export interface IccRow {
  readonly type: IccType;
  readonly value: number;
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

/** Result of {@link intraclassCorrelation}. */
export interface IntraclassCorrelationResult {
  /** Targets (rows) with every rating present. */
  readonly nSubjects: number;
  readonly nRaters: number;
  /** Rows dropped because a rating was missing. */
  readonly nDropped: number;
  readonly confidenceLevel: number;
  readonly icc: readonly IccRow[];
  /** Two-way ANOVA mean squares: between subjects, between raters, residual, and within subjects. */
  readonly meanSquares: {
    readonly subjects: number;
    readonly raters: number;
    readonly residual: number;
    readonly within: number;
  };
  readonly warnings: readonly string[];
}

/** Options of {@link intraclassCorrelation}. */
export interface IntraclassCorrelationOptions {
  /** Level of the F-based confidence intervals; psych's `1 - alpha`. Default 0.95. */
  readonly confidenceLevel?: number;
}

/**
 * The six intraclass correlations of Shrout & Fleiss (1979) with F tests and confidence bounds, as
 * `psych::ICC(x, lmer = FALSE)` 2.2.9: rows of `x` are targets, columns (`raters`) are judges. Mean squares
 * come from the two-way ANOVA `values ~ subject + rater`; ICC1 uses the within-subject mean square, ICC2
 * and ICC3 the residual; ICC2's bounds use the Satterthwaite-type df as psych. psych stops on missing
 * ratings when `lmer = FALSE`; here rows with a missing rating are dropped (`ICC(na.omit(x))`) and counted
 * in `nDropped`. Cost O(n k).
 * @throws ReliabilityDataError with fewer than 2 raters, raters of unequal length, infinite ratings, fewer than
 * 2 complete rows, or ratings that are all equal. InvalidArgumentError for a confidence level outside (0, 1).
 * @example intraclassCorrelation([{ name: 'a', values: [1, 2, 3, 4] }, { name: 'b', values: [1, 3, 3, 5] }]).icc[0]?.value // 0.8867924528301887
 */
export function intraclassCorrelation(
  raters: readonly ReliabilityItem[],
  options: IntraclassCorrelationOptions = {},
): IntraclassCorrelationResult {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new InvalidArgumentError(`icc requires a confidence level in (0, 1) (got ${confidenceLevel})`);
  }
  if (raters.length < 2) {
    throw new ReliabilityDataError(`icc requires at least 2 raters (columns) (got ${raters.length})`);
  }
  const rowCount = (raters[0] as ReliabilityItem).values.length;
  for (const rater of raters) {
    if (rater.values.length !== rowCount) {
      throw new ReliabilityDataError(
        `icc requires raters of equal length (got ${rater.values.length} ratings for "${rater.name}", ${rowCount} for "${(raters[0] as ReliabilityItem).name}")`,
      );
    }
    for (let row = 0; row < rowCount; row++) {
      const value = rater.values[row] as number;
      if (value === Infinity || value === -Infinity) {
        throw new ReliabilityDataError(
          `icc requires finite ratings (got ${value} in row ${row + 1} of rater "${rater.name}")`,
        );
      }
    }
  }
  const completeRows: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (raters.every((rater) => !Number.isNaN(rater.values[row] as number))) completeRows.push(row);
  }
  const n = completeRows.length;
  const k = raters.length;
  if (n < 2) {
    throw new ReliabilityDataError(
      `icc requires at least 2 targets (rows) rated by every rater (got ${n} of ${rowCount} rows complete)`,
    );
  }
  const ratings = completeRows.map((row) => raters.map((rater) => rater.values[row] as number));

  let grandSum = 0;
  for (const row of ratings) for (const value of row) grandSum += value;
  const grandMean = grandSum / (n * k);
  const rowMeans = ratings.map((row) => row.reduce((sum, value) => sum + value, 0) / k);
  const columnMeans = raters.map((_, j) => ratings.reduce((sum, row) => sum + (row[j] as number), 0) / n);
  let subjectSquares = 0;
  for (const mean of rowMeans) subjectSquares += (mean - grandMean) ** 2;
  subjectSquares *= k;
  let raterSquares = 0;
  for (const mean of columnMeans) raterSquares += (mean - grandMean) ** 2;
  raterSquares *= n;
  let residualSquares = 0;
  ratings.forEach((row, i) => {
    row.forEach((value, j) => {
      residualSquares += (value - (rowMeans[i] as number) - (columnMeans[j] as number) + grandMean) ** 2;
    });
  });
  if (subjectSquares + raterSquares + residualSquares === 0) {
    throw new ReliabilityDataError(
      `icc requires ratings that vary (got every rating equal to ${ratings[0]?.[0]})`,
    );
  }
  const dfSubjects = n - 1;
  const dfRaters = k - 1;
  const dfResidual = (n - 1) * (k - 1);
  const msb = subjectSquares / dfSubjects;
  const msj = raterSquares / dfRaters;
  const mse = residualSquares / dfResidual;
  const msw = (raterSquares + residualSquares) / (dfRaters + dfResidual);

  const icc1 = (msb - msw) / (msb + (k - 1) * msw);
  const icc2 = (msb - mse) / (msb + (k - 1) * mse + (k * (msj - mse)) / n);
  const icc3 = (msb - mse) / (msb + (k - 1) * mse);
  const icc1k = (msb - msw) / msb;
  const icc2k = (msb - mse) / (msb + (msj - mse) / n);
  const icc3k = (msb - mse) / msb;

  const alpha = 1 - confidenceLevel;
  const f11 = msb / msw;
  const df11n = n - 1;
  const df11d = n * (k - 1);
  const p11 = pf(f11, df11n, df11d, false);
  const f21 = msb / mse;
  const df21n = n - 1;
  const df21d = (n - 1) * (k - 1);
  const p21 = pf(f21, df21n, df21d, false);

  const f1Lower = f11 / qf(1 - alpha / 2, df11n, df11d);
  const f1Upper = f11 * qf(1 - alpha / 2, df11d, df11n);
  const f3Lower = f21 / qf(1 - alpha / 2, df21n, df21d);
  const f3Upper = f21 * qf(1 - alpha / 2, df21d, df21n);

  // ICC2 (absolute agreement, random raters): psych's Satterthwaite-type df v and its bounds.
  const fj = msj / mse;
  const vNumerator = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const vDenominator = (n - 1) * k ** 2 * icc2 ** 2 * fj ** 2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const v = vNumerator / vDenominator;
  const fUpper2 = qf(1 - alpha / 2, n - 1, v);
  const fLower2 = qf(1 - alpha / 2, v, n - 1);
  const lower2 = (n * (msb - fUpper2 * mse)) / (fUpper2 * (k * msj + (k * n - k - n) * mse) + n * msb);
  const upper2 = (n * (fLower2 * msb - mse)) / (k * msj + (k * n - k - n) * mse + n * fLower2 * msb);

  const row = (
    type: IccType,
    value: number,
    F: number,
    df1: number,
    df2: number,
    pValue: number,
    ciLower: number,
    ciUpper: number,
  ): IccRow => ({
    type,
    value,
    F,
    df1,
    df2,
    pValue,
    ciLower,
    ciUpper,
  });
  const warnings: string[] = [];
  if (completeRows.length < rowCount) {
    warnings.push(
      `${rowCount - n} row(s) with a missing rating were dropped (psych::ICC with lmer = FALSE requires complete rows)`,
    );
  }
  return {
    nSubjects: n,
    nRaters: k,
    nDropped: rowCount - n,
    confidenceLevel,
    icc: [
      row(
        'ICC1',
        icc1,
        f11,
        df11n,
        df11d,
        p11,
        (f1Lower - 1) / (f1Lower + (k - 1)),
        (f1Upper - 1) / (f1Upper + k - 1),
      ),
      row('ICC2', icc2, f21, df21n, df21d, p21, lower2, upper2),
      row(
        'ICC3',
        icc3,
        f21,
        df21n,
        df21d,
        p21,
        (f3Lower - 1) / (f3Lower + k - 1),
        (f3Upper - 1) / (f3Upper + k - 1),
      ),
      row('ICC1k', icc1k, f11, df11n, df11d, p11, 1 - 1 / f1Lower, 1 - 1 / f1Upper),
      row(
        'ICC2k',
        icc2k,
        f21,
        df21n,
        df21d,
        p21,
        (lower2 * k) / (1 + lower2 * (k - 1)),
        (upper2 * k) / (1 + upper2 * (k - 1)),
      ),
      row('ICC3k', icc3k, f21, df21n, df21d, p21, 1 - 1 / f3Lower, 1 - 1 / f3Upper),
    ],
    meanSquares: { subjects: msb, raters: msj, residual: mse, within: msw },
    warnings,
  };
}
