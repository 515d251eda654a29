/** R's default tolerance for `aeqSurv`, `sqrt(.Machine$double.eps)`. */
export const AEQ_SURV_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * Makes nearly equal survival times exactly equal, as `survival::aeqSurv` (the `timefix = TRUE` step of
 * coxph, survfit and survdiff). Distinct times are sorted; a time whose gap to the previous distinct time
 * is at most `tolerance`, or at most `tolerance` relative to the mean absolute distinct time, is tied to
 * that previous time (ties chain), and every time is replaced by the first time of its tied run.
 *
 * Floating-point noise from unit conversions (days from dates divided by 365.25, say) otherwise turns one
 * tied event time into several, which changes the Efron likelihood and the Kaplan-Meier table.
 *
 * @returns the input array itself when no times are tied, else a new array. Complexity O(n log n).
 * @example aeqSurv(Float64Array.of(1, 1 + 1e-10, 2)) // Float64Array [1, 1, 2]
 */
export function aeqSurv(time: Float64Array, tolerance: number = AEQ_SURV_TOLERANCE): Float64Array {
  if (time.length < 2) return time;
  const sorted = Float64Array.from(time).sort();
  let distinctCount = 0;
  let absoluteSum = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number;
    if (!Number.isFinite(value)) continue;
    if (distinctCount > 0 && value === sorted[distinctCount - 1]) continue;
    sorted[distinctCount++] = value;
    absoluteSum += Math.abs(value);
  }
  const distinct = sorted.subarray(0, distinctCount);
  const meanAbsolute = absoluteSum / distinctCount;

  // cuts: the first time of each run of tied distinct times.
  const cuts = new Float64Array(distinctCount);
  let cutCount = 0;
  let anyTied = false;
  for (let i = 0; i < distinctCount; i++) {
    if (i === 0) {
      cuts[cutCount++] = distinct[0] as number;
      continue;
    }
    const gap = (distinct[i] as number) - (distinct[i - 1] as number);
    if (gap <= tolerance || gap / meanAbsolute <= tolerance) anyTied = true;
    else cuts[cutCount++] = distinct[i] as number;
  }
  if (!anyTied) return time;

  // findInterval(time, cuts): the largest cut not above each time.
  const fixed = new Float64Array(time.length);
  for (let i = 0; i < time.length; i++) {
    const value = time[i] as number;
    let low = 0;
    let high = cutCount - 1;
    if (!(value >= (cuts[0] as number))) {
      fixed[i] = value;
      continue;
    }
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((cuts[middle] as number) <= value) low = middle;
      else high = middle - 1;
    }
    fixed[i] = cuts[low] as number;
  }
  return fixed;
}
