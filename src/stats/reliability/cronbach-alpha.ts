import { qf } from '../distributions/index.ts';
import { ReliabilityDataError } from './errors.ts';
import {
  covarianceToCorrelation,
  pairwiseCorrelation,
  pairwiseCovariance,
  pairwiseMoments,
  squaredMultipleCorrelations,
  symmetricEigen,
  withoutIndex,
} from './symmetric-matrix.ts';

/** One item (column) of a scale: its name and one response per respondent, NaN where missing. */
export interface ReliabilityItem {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

/** Reliability of the scale without one item, and that item's statistics (psych's `alpha.drop`, `item.stats`). */
export interface AlphaItemStatistics {
  readonly item: string;
  readonly rawAlphaIfDropped: number;
  readonly stdAlphaIfDropped: number;
  readonly g6SmcIfDropped: number;
  readonly averageRIfDropped: number;
  readonly signalToNoiseIfDropped: number;
  /** `alpha se` of psych's drop table; null with 2 items or when respondents do not outnumber items. */
  readonly alphaSeIfDropped: number | null;
  /** Variance of the remaining inter-item correlations; null when one correlation remains. */
  readonly varRIfDropped: number | null;
  readonly medRIfDropped: number;
  /** Non-missing responses to the item. */
  readonly n: number;
  /** Correlation of the item with the total (mean) score, pairwise complete. */
  readonly rawR: number;
  /** Correlation of the standardised item with the standardised total. */
  readonly stdR: number;
  /** Item-total correlation corrected for item overlap and reliability (smc on the diagonal). */
  readonly rCor: number;
  /** Item-rest correlation: the item against the sum of the other items. */
  readonly rDrop: number;
  readonly mean: number;
  readonly sd: number;
}

/** Result of {@link cronbachAlpha}, named as psych prints it. */
export interface CronbachAlphaResult {
  readonly rawAlpha: number;
  readonly stdAlpha: number;
  /** Guttman's lambda 6 from squared multiple correlations (`G6(smc)`). */
  readonly g6Smc: number;
  readonly averageR: number;
  /** Signal-to-noise ratio `k r / (1 - r)` (`S/N`). */
  readonly signalToNoise: number;
  /** Asymptotic SE of raw alpha (Duhachek & Iacobucci as corrected by Hattori); null when n <= k. */
  readonly ase: number | null;
  /** Mean and SD of the respondents' total (mean item) scores. */
  readonly mean: number;
  readonly sd: number;
  readonly medianR: number;
  /** Items analysed (after deleting items without variance). */
  readonly nItems: number;
  /** Rows (respondents), including rows with missing responses, as psych counts them. */
  readonly n: number;
  /** Feldt 95% CI. */
  readonly ciLower: number;
  readonly ciUpper: number;
  /** `raw_alpha ± 1.96 ase` (psych's "Duhachek" row); null without ase. */
  readonly duhachekLower: number | null;
  readonly duhachekUpper: number | null;
  /** Items deleted because they had no variance (psych warns and deletes them). */
  readonly droppedItems: readonly string[];
  /** Items loading negatively on the first principal component (psych suggests reversing them). */
  readonly negativelyCorrelatedItems: readonly string[];
  readonly items: readonly AlphaItemStatistics[];
  readonly warnings: readonly string[];
}

interface AlphaSummary {
  raw: number;
  std: number;
  g6: number;
  averageR: number;
  signalToNoise: number;
  q: number;
  varR: number;
  medianR: number;
}

/**
 * Cronbach's alpha with psych's companions, as `psych::alpha(x)` 2.2.9 with its defaults
 * (`use = "pairwise"`, `check.keys = FALSE`, `delete = TRUE`, `cumulative = FALSE`): raw and standardised
 * alpha, G6(smc), average and median inter-item correlation, S/N, the asymptotic SE, the Feldt CI
 * (`psych::alpha.ci`: `1 - (1 - alpha) qf(.975 / .025, n - 1, (n - 1)(k - 1))`), reliability if each item is
 * dropped, and item statistics.
 *
 * Missing responses: covariances are pairwise complete, item n counts each item's responses, and `n` (used
 * by the SE and the CI) is the number of rows, as psych. Items without variance are deleted with a warning
 * (their first-row value still enters the total score, as psych). Items are never reversed automatically;
 * those loading negatively on the first principal component are listed and warned about, as psych does.
 * Cost O(n k^2 + k^4) (an eigen decomposition per dropped item).
 * @throws ReliabilityDataError with fewer than 2 items (after deleting constant ones), items of unequal
 * length, infinite values, or two items never answered together by at least 2 respondents.
 * @example cronbachAlpha([{ name: 'a', values: [1, 2, 3] }, { name: 'b', values: [1, 3, 3] }]).rawAlpha // 0.9230769230769231
 */
export function cronbachAlpha(items: readonly ReliabilityItem[]): CronbachAlphaResult {
  if (items.length < 2) {
    throw new ReliabilityDataError(`alpha requires at least 2 items (got ${items.length})`);
  }
  const rowCount = (items[0] as ReliabilityItem).values.length;
  const columns = items.map((item) => {
    if (item.values.length !== rowCount) {
      throw new ReliabilityDataError(
        `alpha requires items of equal length (got ${item.values.length} responses for "${item.name}", ${rowCount} for "${(items[0] as ReliabilityItem).name}")`,
      );
    }
    const values = Float64Array.from(item.values);
    const row = values.findIndex((value) => value === Infinity || value === -Infinity);
    if (row >= 0) {
      throw new ReliabilityDataError(
        `alpha requires finite responses (got ${values[row]} in row ${row + 1} of item "${item.name}")`,
      );
    }
    return values;
  });
  const warnings: string[] = [];
  const constant = items.map((_, index) => !(columnSd(columns[index] as Float64Array) > 0));
  const droppedItems = items.filter((_, index) => constant[index]).map((item) => item.name);
  for (const name of droppedItems) {
    warnings.push(
      `item ${name} had no variance and was deleted (it still counts in the total score, as psych)`,
    );
  }
  const keptNames = items.filter((_, index) => !constant[index]).map((item) => item.name);
  const kept = columns.filter((_, index) => !constant[index]);
  const itemCount = kept.length;
  if (itemCount < 2) {
    throw new ReliabilityDataError(
      `alpha requires at least 2 items with variance (got ${itemCount}${droppedItems.length > 0 ? `; without variance: ${droppedItems.join(', ')}` : ''})`,
    );
  }
  const covariance = pairwiseCovariance(kept);
  for (let i = 0; i < itemCount; i++) {
    for (let j = 0; j < i; j++) {
      if (Number.isNaN(covariance[i * itemCount + j] as number)) {
        throw new ReliabilityDataError(
          `alpha requires every pair of items answered together by at least 2 respondents (got fewer for "${keptNames[i]}" and "${keptNames[j]}")`,
        );
      }
    }
  }
  const correlation = covarianceToCorrelation(covariance, itemCount);
  const negativelyCorrelatedItems = negativeFirstComponentItems(kept, keptNames);
  if (negativelyCorrelatedItems.length > 0) {
    warnings.push(
      `negatively correlated with the total scale, probably to be reversed: ${negativelyCorrelatedItems.join(', ')} (enrich does not reverse items; recode them in the file)`,
    );
  }

  const total = alphaSummary(covariance, correlation, itemCount);
  const hasSe = rowCount > itemCount;
  const drops = dropSummaries(covariance, correlation, itemCount);

  // Total scores: the mean of the answered items; a deleted constant item adds its first-row value.
  const constantFirstRowSum = columns
    .filter((_, index) => constant[index])
    .reduce((sum, column) => sum + (Number.isNaN(column[0] as number) ? 0 : (column[0] as number)), 0);
  const totals = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let sum = 0;
    let answered = 0;
    for (const column of kept) {
      const value = column[row] as number;
      if (Number.isNaN(value)) continue;
      sum += value;
      answered++;
    }
    const rowMean = answered === 0 ? Number.NaN : sum / answered;
    totals[row] =
      droppedItems.length > 0
        ? (itemCount * rowMean + constantFirstRowSum) / (itemCount + droppedItems.length)
        : rowMean;
  }

  const sumCorrelation = sumAll(correlation);
  const smc = squaredMultipleCorrelations(correlation, itemCount);
  let sumCorrected = sumCorrelation;
  for (let i = 0; i < itemCount; i++) sumCorrected += (smc[i] as number) - 1;
  const itemStatistics = kept.map((column, i): AlphaItemStatistics => {
    let columnSum = 0;
    let columnCovarianceSum = 0;
    for (let j = 0; j < itemCount; j++) {
      columnSum += correlation[j * itemCount + i] as number;
      columnCovarianceSum += covariance[j * itemCount + i] as number;
    }
    const itemVariance = covariance[i * itemCount + i] as number;
    const restVariance = sumAll(withoutIndex(covariance, itemCount, i));
    const drop = drops[i] as AlphaSummary;
    return {
      item: keptNames[i] as string,
      rawAlphaIfDropped: drop.raw,
      stdAlphaIfDropped: drop.std,
      g6SmcIfDropped: drop.g6,
      averageRIfDropped: drop.averageR,
      signalToNoiseIfDropped: drop.signalToNoise,
      alphaSeIfDropped: hasSe && !Number.isNaN(drop.q) ? Math.sqrt(drop.q / rowCount) : null,
      varRIfDropped: Number.isNaN(drop.varR) ? null : drop.varR,
      medRIfDropped: drop.medianR,
      n: countPresent(column),
      rawR: pairwiseMoments(totals, column).correlation,
      stdR: columnSum / Math.sqrt(sumCorrelation),
      rCor: (columnSum - 1 + (smc[i] as number)) / Math.sqrt(sumCorrected),
      rDrop: (columnCovarianceSum - itemVariance) / Math.sqrt(itemVariance * restVariance),
      mean: columnMean(column),
      sd: columnSd(column),
    };
  });

  const ase = hasSe ? Math.sqrt(total.q / rowCount) : null;
  const feldtDf2 = (rowCount - 1) * (itemCount - 1);
  return {
    rawAlpha: total.raw,
    stdAlpha: total.std,
    g6Smc: total.g6,
    averageR: total.averageR,
    signalToNoise: total.signalToNoise,
    ase,
    mean: columnMean(totals),
    sd: columnSd(totals),
    medianR: total.medianR,
    nItems: itemCount,
    n: rowCount,
    ciLower: 1 - (1 - total.raw) * qf(1 - 0.05 / 2, rowCount - 1, feldtDf2),
    ciUpper: 1 - (1 - total.raw) * qf(0.05 / 2, rowCount - 1, feldtDf2),
    duhachekLower: ase === null ? null : total.raw - 1.96 * ase,
    duhachekUpper: ase === null ? null : total.raw + 1.96 * ase,
    droppedItems,
    negativelyCorrelatedItems,
    items: itemStatistics,
    warnings,
  };
}

/** psych's internal `alpha.1(C, R)`. */
function alphaSummary(covariance: Float64Array, correlation: Float64Array, order: number): AlphaSummary {
  const k = order;
  let traceC = 0;
  let traceCC = 0;
  let sumC = 0;
  let sumCC = 0;
  for (let i = 0; i < k; i++) {
    traceC += covariance[i * k + i] as number;
    let columnSum = 0;
    for (let j = 0; j < k; j++) {
      const value = covariance[i * k + j] as number;
      sumC += value;
      traceCC += value * value;
      columnSum += value;
    }
    sumCC += columnSum * columnSum;
  }
  const sumR = sumAll(correlation);
  const smc = squaredMultipleCorrelations(correlation, k);
  let sumSmc = 0;
  for (const value of smc) sumSmc += value;
  const averageR = (sumR - k) / (k * (k - 1));
  const lower: number[] = [];
  for (let i = 1; i < k; i++) for (let j = 0; j < i; j++) lower.push(correlation[i * k + j] as number);
  return {
    raw: (1 - traceC / sumC) * (k / (k - 1)),
    std: (1 - k / sumR) * (k / (k - 1)),
    g6: 1 - (k - sumSmc) / sumR,
    averageR,
    signalToNoise: (k * averageR) / (1 - averageR),
    q:
      ((2 * k * k) / ((k - 1) ** 2 * sumC ** 3)) *
      (sumC * (traceCC + traceC * traceC) - 2 * (traceC * sumCC)),
    varR: sampleVariance(lower),
    medianR: median(lower),
  };
}

/** psych's "reliability if an item is dropped", including its special case for two items. */
function dropSummaries(covariance: Float64Array, correlation: Float64Array, order: number): AlphaSummary[] {
  if (order > 2) {
    return Array.from({ length: order }, (_, i) =>
      alphaSummary(withoutIndex(covariance, order, i), withoutIndex(correlation, order, i), order - 1),
    );
  }
  const r = correlation[1] as number;
  const smcFirst = squaredMultipleCorrelations(correlation, 2)[0] as number;
  const common = {
    std: r,
    g6: smcFirst,
    averageR: r,
    signalToNoise: r / (1 - r),
    q: Number.NaN,
    varR: 0,
    medianR: r,
  };
  return [
    { raw: (covariance[1] as number) / (covariance[3] as number), ...common },
    { raw: (covariance[1] as number) / (covariance[0] as number), ...common },
  ];
}

/** Items with a negative loading on the first principal component of `cor(x, use = "pairwise")`, as psych::principal signs it. */
function negativeFirstComponentItems(columns: readonly Float64Array[], names: readonly string[]): string[] {
  const order = columns.length;
  const { vectors } = symmetricEigen(pairwiseCorrelation(columns), order);
  const loadings = Array.from({ length: order }, (_, i) => vectors[i * order] as number);
  const sign = loadings.reduce((sum, value) => sum + value, 0) < 0 ? -1 : 1;
  return names.filter((_, i) => sign * (loadings[i] as number) < 0);
}

function sumAll(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

function countPresent(values: Float64Array): number {
  let count = 0;
  for (const value of values) if (!Number.isNaN(value)) count++;
  return count;
}

/** `mean(x, na.rm = TRUE)` with R's second pass. */
function columnMean(values: Float64Array): number {
  const present = values.filter((value) => !Number.isNaN(value));
  if (present.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of present) sum += value;
  let mean = sum / present.length;
  let correction = 0;
  for (const value of present) correction += value - mean;
  mean += correction / present.length;
  return mean;
}

/** `sd(x, na.rm = TRUE)`: NaN with fewer than 2 values. */
function columnSd(values: Float64Array): number {
  return Math.sqrt(pairwiseMoments(values, values).covariance);
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
