import { InvalidArgumentError } from '../errors.ts';
import { addExact, divideRounded, type ExtendedSum, productError } from '../numerics/extended-sum.ts';
import type { BootstrapStatistic } from './bootstrap.ts';

// Ready-made statistics for `bootstrap`, each the R function `function(d, i) ...` given in its comment.
// They compute what R computes in long double (see extended-sum.ts), so their replicates agree with R's
// to the last bit in all but about one replicate in a thousand (and then by one unit in the last place).

function checkValues(what: string, values: Float64Array): void {
  for (let row = 0; row < values.length; row++) {
    if (!Number.isFinite(values[row] as number)) {
      throw new InvalidArgumentError(
        `${what} requires finite values (got ${values[row]} at position ${row + 1})`,
      );
    }
  }
}

/** R's `mean(values[indices])`, NaN for no indices. */
function indexedMean(values: Float64Array, indices: Int32Array): number {
  // TwoSum inlined (see extended-sum.ts): this loop is the whole cost of a bootstrap of a mean.
  let high = 0;
  let low = 0;
  for (let position = 0; position < indices.length; position++) {
    const value = values[indices[position] as number] as number;
    const total = high + value;
    const back = total - high;
    low += high - (total - back) + (value - back);
    high = total;
  }
  return divideRounded(high, low, indices.length);
}

/**
 * `function(d, i) mean(d[i])`: the sample mean of the resampled values.
 * @throws InvalidArgumentError when a value is not finite.
 * @example meanStatistic(new Float64Array([1, 2, 6]))(new Int32Array([0, 0, 2])) // 8 / 3
 */
export function meanStatistic(values: Float64Array): BootstrapStatistic {
  checkValues('meanStatistic', values);
  return (indices) => indexedMean(values, indices);
}

/**
 * `function(d, i) sd(d[i])`: the sample standard deviation (divisor n - 1) of the resampled values, as R's
 * `sd` (the mean rounded to double, squared double deviations summed in extended precision); NaN for
 * fewer than two indices, as R's NA.
 * @throws InvalidArgumentError when a value is not finite.
 * @example sdStatistic(new Float64Array([1, 2, 6]))(new Int32Array([0, 1, 2])) // 2.6457513110645907
 */
export function sdStatistic(values: Float64Array): BootstrapStatistic {
  checkValues('sdStatistic', values);
  return (indices) => {
    const count = indices.length;
    if (count < 2) return Number.NaN;
    const mean = indexedMean(values, indices);
    const sum: ExtendedSum = { high: 0, low: 0 };
    for (let position = 0; position < count; position++) {
      const deviation = (values[indices[position] as number] as number) - mean;
      const square = deviation * deviation;
      addExact(sum, square);
      sum.low += productError(deviation, deviation, square);
    }
    return Math.sqrt(divideRounded(sum.high, sum.low, count - 1));
  };
}

/** Moves the `rank`-th smallest (0-based) of `buffer[0..length)` to `buffer[rank]` (Hoare's selection). */
function selectInPlace(buffer: Float64Array, length: number, rank: number): void {
  let left = 0;
  let right = length - 1;
  while (left < right) {
    const pivot = buffer[(left + right) >>> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((buffer[i] as number) < pivot) i++;
      while ((buffer[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = buffer[i] as number;
        buffer[i] = buffer[j] as number;
        buffer[j] = swap;
        i++;
        j--;
      }
    }
    if (rank <= j) right = j;
    else if (rank >= i) left = i;
    else return;
  }
}

/**
 * `function(d, i) median(d[i])`: the middle order statistic, or the mean of the two middle ones for an
 * even count (R's `median.default`), found by selection in O(n) per call.
 * @throws InvalidArgumentError when a value is not finite.
 * @example medianStatistic(new Float64Array([5, 1, 3, 4]))(new Int32Array([0, 1, 2, 3])) // 3.5
 */
export function medianStatistic(values: Float64Array): BootstrapStatistic {
  checkValues('medianStatistic', values);
  let scratch = new Float64Array(values.length);
  return (indices) => {
    const count = indices.length;
    if (count === 0) return Number.NaN;
    if (scratch.length < count) scratch = new Float64Array(count);
    for (let position = 0; position < count; position++) {
      scratch[position] = values[indices[position] as number] as number;
    }
    const half = (count - 1) >>> 1;
    selectInPlace(scratch, count, half);
    const lower = scratch[half] as number;
    if (count % 2 === 1) return lower;
    let upper = Number.POSITIVE_INFINITY;
    for (let position = half + 1; position < count; position++) {
      if ((scratch[position] as number) < upper) upper = scratch[position] as number;
    }
    // R's mean of two values: (a + b) / 2 rounded once; halving is exact, so this is that value.
    return (lower + upper) / 2;
  };
}

/**
 * `function(d, i) mean(d$x[i]) / mean(d$y[i])`: the ratio of the means of two columns of the same rows
 * (the mean of `numerator` over the mean of `denominator`).
 * @throws InvalidArgumentError when the columns differ in length or a value is not finite.
 * @example ratioOfMeansStatistic(new Float64Array([2, 4]), new Float64Array([1, 3]))(new Int32Array([0, 1])) // 1.5
 */
export function ratioOfMeansStatistic(
  numerator: Float64Array,
  denominator: Float64Array,
): BootstrapStatistic {
  checkValues('ratioOfMeansStatistic', numerator);
  checkValues('ratioOfMeansStatistic', denominator);
  if (numerator.length !== denominator.length) {
    throw new InvalidArgumentError(
      `ratioOfMeansStatistic requires two columns of equal length (got ${numerator.length} and ${denominator.length})`,
    );
  }
  return (indices) => indexedMean(numerator, indices) / indexedMean(denominator, indices);
}

/**
 * `function(d, i) { x <- d$x[i]; g <- d$g[i]; mean(x[g == second]) - mean(x[g == first]) }`: the mean of
 * the rows in group 1 minus the mean of the rows in group 0 (`groups` holds 0 or 1 per row; for an R
 * factor, 0 is the first level). A resample without a row of one group gives NaN, as R's `mean(numeric(0))`.
 * @throws InvalidArgumentError when the lengths differ, a value is not finite or a group code is not 0 or 1.
 * @example differenceInMeansStatistic(new Float64Array([1, 2, 5]), new Int32Array([0, 0, 1]))(new Int32Array([0, 1, 2])) // 3.5
 */
export function differenceInMeansStatistic(values: Float64Array, groups: Int32Array): BootstrapStatistic {
  checkValues('differenceInMeansStatistic', values);
  if (values.length !== groups.length) {
    throw new InvalidArgumentError(
      `differenceInMeansStatistic requires one group code per value (got ${groups.length} codes for ${values.length} values)`,
    );
  }
  for (let row = 0; row < groups.length; row++) {
    if (groups[row] !== 0 && groups[row] !== 1) {
      throw new InvalidArgumentError(
        `differenceInMeansStatistic requires group codes 0 or 1 (got ${groups[row]} at position ${row + 1})`,
      );
    }
  }
  return (indices) => {
    const first: ExtendedSum = { high: 0, low: 0 };
    const second: ExtendedSum = { high: 0, low: 0 };
    let firstCount = 0;
    for (let position = 0; position < indices.length; position++) {
      const row = indices[position] as number;
      if (groups[row] === 1) addExact(second, values[row] as number);
      else {
        addExact(first, values[row] as number);
        firstCount++;
      }
    }
    const secondCount = indices.length - firstCount;
    return (
      divideRounded(second.high, second.low, secondCount) - divideRounded(first.high, first.low, firstCount)
    );
  };
}
