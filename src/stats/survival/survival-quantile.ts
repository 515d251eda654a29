import { AEQ_SURV_TOLERANCE } from './aeq-surv.ts';

/**
 * The time at which a survival curve first reaches `1 - probability`, by the rule of
 * `survival:::findq` (used by `quantile.survfit`, and so by the median and its confidence limits).
 *
 * `times` and `survival` are the curve's steps (survfit's `time` and `surv`, or a confidence band;
 * NaN for NA). Where the curve sits at the target level within `tolerance` (a flat stretch at exactly 0.5
 * for the median), the answer is the midpoint between the start of the flat and the next step, or the
 * last time when the flat runs to the end of the curve. Returns null when the curve never gets there (R's NA).
 *
 * Complexity O(m log m) for m steps.
 * @example survivalQuantile(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.75, 0.5, 0.5, 0.25), 0.5) // 3
 */
export function survivalQuantile(
  times: Float64Array,
  survival: Float64Array,
  probability: number,
  tolerance: number = AEQ_SURV_TOLERANCE,
  firstTime = 0,
): number | null {
  // findq works on the distribution function: x = c(firstx, time), y = c(0, 1 - surv).
  const count = times.length + 1;
  let largest = 0;
  for (let i = 0; i < times.length; i++) {
    const value = 1 - (survival[i] as number);
    if (value > largest) largest = value;
  }
  if (largest < probability) return null;
  const lastTime = count > 1 ? (times[count - 2] as number) : firstTime;

  // Drop repeated y values (censoring-only steps), keeping the first of each; NaN repeats NaN, as R's duplicated().
  // A Set compares by SameValueZero, so NaN matches NaN and 0 matches -0, as duplicated() does.
  const x: number[] = [firstTime];
  const y: number[] = [0];
  const seen = new Set<number>([0]);
  for (let i = 0; i < times.length; i++) {
    const value = 1 - (survival[i] as number);
    if (seen.has(value)) continue;
    seen.add(value);
    x.push(times[i] as number);
    y.push(value);
  }
  const lowerIndex = constantApproximation(y, tolerance, probability);
  const upperIndex = constantApproximation(y, -tolerance, probability);
  let quantile =
    lowerIndex === null || upperIndex === null
      ? null
      : ((x[lowerIndex] as number) + (x[upperIndex] as number)) / 2;
  if (probability === 0) quantile = x[0] as number;
  const lastY = y[y.length - 1] as number;
  if (!Number.isNaN(lastY) && Math.abs(probability - lastY) < tolerance) {
    quantile = lowerIndex === null ? null : ((x[lowerIndex] as number) + lastTime) / 2;
  }
  return quantile;
}

/**
 * `approx(y + shift, seq_along(y), p, method = "constant", f = 1)$y - 1` (a 0-based index, or null for
 * NA): pairs with NaN y are dropped, the rest sorted by key (ties averaged, as approx's `ties = mean`);
 * outside the range of keys the answer is NA (rule = 1).
 */
function constantApproximation(y: readonly number[], shift: number, target: number): number | null {
  const pairs: { key: number; index: number }[] = [];
  y.forEach((value, index) => {
    if (!Number.isNaN(value)) pairs.push({ key: value + shift, index });
  });
  pairs.sort((left, right) => left.key - right.key || left.index - right.index);
  const keys: number[] = [];
  const indices: number[] = [];
  for (let start = 0; start < pairs.length; ) {
    let end = start + 1;
    let indexSum = (pairs[start] as { index: number }).index;
    const key = (pairs[start] as { key: number }).key;
    while (end < pairs.length && (pairs[end] as { key: number }).key === key) {
      indexSum += (pairs[end] as { index: number }).index;
      end++;
    }
    keys.push(key);
    indices.push(indexSum / (end - start));
    start = end;
  }
  const size = keys.length;
  if (size === 0 || target < (keys[0] as number) || target > (keys[size - 1] as number)) return null;
  // Bisection as R's approx1: keys[low] <= target <= keys[high] with high = low + 1.
  let low = 0;
  let high = size - 1;
  while (low < high - 1) {
    const middle = (low + high) >> 1;
    if (target < (keys[middle] as number)) high = middle;
    else low = middle;
  }
  let result: number;
  if (target === keys[high]) result = indices[high] as number;
  else if (target === keys[low]) result = indices[low] as number;
  else result = indices[high] as number;
  // R subsets x by this value; a fractional index (only from averaged ties) truncates.
  return Math.trunc(result);
}
