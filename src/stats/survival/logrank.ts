import { pchisq } from '../distributions/index.ts';
import { ModelFitError } from '../errors.ts';
import { aeqSurv } from './aeq-surv.ts';
import { checkGroups, checkSurvivalData, orderByTime } from './survival-data.ts';
import type { SurvivalGroups } from './types.ts';

/** Input to {@link logrankTest}. Rows are observations after missing values have been removed. */
export interface LogrankInput {
  /** Follow-up times, finite and non-negative. */
  time: Float64Array;
  /** 1 for an event, 0 for censored. */
  event: Float64Array;
  groups: SurvivalGroups;
  /** 1-based data rows of the observations, for messages; default 1..n. */
  rowNumbers?: Int32Array;
}

/** Observed and expected events of one group. */
export interface LogrankGroup {
  name: string;
  n: number;
  observed: number;
  expected: number;
}

/** Result of {@link logrankTest}. */
export interface LogrankResult {
  chisq: number;
  /** Groups with expected events > 0, minus 1 (as survdiff). */
  df: number;
  pValue: number;
  /** Non-empty groups in label order. */
  groups: LogrankGroup[];
}

/**
 * The log-rank test of equal survival across groups, as `survival::survdiff(Surv(time, event) ~ group)`
 * (rho = 0, `timefix = TRUE`). At each event time every group's expected deaths are d·n_g/n, and the
 * hypergeometric covariance d·(n - d)/(n - 1)·(n_g/n)(δ_gh - n_h/n) is summed over times. The statistic is
 * (O - E)' V⁻¹ (O - E) over the groups with expected > 0 after dropping the first of them; df is their
 * number minus 1 and p is the upper chi-square tail. Groups with no rows are skipped, as survdiff drops
 * empty levels.
 *
 * Complexity O(n log n + T·k²) for T distinct event times and k groups.
 * @throws ModelDataError for times that are negative or not finite, events other than 0/1, group codes
 *   outside the labels, or lengths that do not match, naming the row.
 * @throws ModelFitError when there are no rows, fewer than two non-empty groups (survdiff: "There is only 1
 *   group"), fewer than two groups at risk at an event time, or a singular variance matrix.
 * @example
 * const test = logrankTest({
 *   time: Float64Array.of(1, 2, 3, 4, 5, 6),
 *   event: Float64Array.of(1, 1, 1, 1, 1, 1),
 *   groups: { labels: ['arm=a', 'arm=b'], codes: Int32Array.of(0, 0, 0, 1, 1, 1) },
 * });
 * test.groups.map((group) => group.expected) // [1.15, 4.85]
 */
export function logrankTest(input: LogrankInput): LogrankResult {
  const { event, groups, rowNumbers } = input;
  checkSurvivalData('logrankTest', input.time, event, rowNumbers);
  const n = input.time.length;
  checkGroups('logrankTest', groups, n, rowNumbers);
  const time = aeqSurv(input.time);

  // survdiff numbers the non-empty groups 0..k-1 in label order.
  const labelCount = groups.labels.length;
  const sizes = new Int32Array(labelCount);
  for (const code of groups.codes) sizes[code] = (sizes[code] as number) + 1;
  const compact = new Int32Array(labelCount).fill(-1);
  const names: string[] = [];
  const groupSizes: number[] = [];
  groups.labels.forEach((label, code) => {
    if ((sizes[code] as number) === 0) return;
    compact[code] = names.length;
    names.push(label);
    groupSizes.push(sizes[code] as number);
  });
  const k = names.length;
  if (k < 2) {
    throw new ModelFitError(
      `logrankTest requires at least two groups with observations (got ${k}${k === 1 ? `: ${names[0]}` : ''})`,
    );
  }

  // survdiff2, rho = 0: walk from the longest time down, so atRisk[g] counts the subjects still at risk.
  const order = orderByTime(time);
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const atRisk = new Float64Array(k);
  for (let end = n; end > 0; ) {
    const current = time[order[end - 1] as number] as number;
    let start = end;
    let deaths = 0;
    while (start > 0 && time[order[start - 1] as number] === current) {
      start--;
      const row = order[start] as number;
      const group = compact[groups.codes[row] as number] as number;
      const status = event[row] as number;
      deaths += status;
      atRisk[group] = (atRisk[group] as number) + 1;
      observed[group] = (observed[group] as number) + status;
    }
    const totalAtRisk = n - start;
    if (deaths > 0) {
      for (let g = 0; g < k; g++) {
        expected[g] = (expected[g] as number) + (deaths * (atRisk[g] as number)) / totalAtRisk;
      }
      if (totalAtRisk > 1) {
        for (let g = 0; g < k; g++) {
          const term =
            (deaths * (atRisk[g] as number) * (totalAtRisk - deaths)) / (totalAtRisk * (totalAtRisk - 1));
          variance[g * k + g] = (variance[g * k + g] as number) + term;
          for (let h = 0; h < k; h++) {
            variance[g * k + h] =
              (variance[g * k + h] as number) - (term * (atRisk[h] as number)) / totalAtRisk;
          }
        }
      }
    }
    end = start;
  }

  const used: number[] = [];
  for (let g = 0; g < k; g++) if ((expected[g] as number) > 0) used.push(g);
  if (used.length < 2) {
    throw new ModelFitError(
      `logrankTest requires at least two groups at risk at an event time (got ${used.length} of ${k} groups)`,
    );
  }
  const kept = used.slice(1);
  const size = kept.length;
  const matrix = new Float64Array(size * size);
  const difference = new Float64Array(size);
  for (let r = 0; r < size; r++) {
    const g = kept[r] as number;
    difference[r] = (observed[g] as number) - (expected[g] as number);
    for (let c = 0; c < size; c++) matrix[r * size + c] = variance[g * k + (kept[c] as number)] as number;
  }
  const solution = solveLinearSystem(matrix, size, difference);
  let chisq = 0;
  for (let r = 0; r < size; r++) chisq += (solution[r] as number) * (difference[r] as number);
  const df = used.length - 1;
  return {
    chisq,
    df,
    pValue: pchisq(chisq, df, false),
    groups: names.map((name, g) => ({
      name,
      n: groupSizes[g] as number,
      observed: observed[g] as number,
      expected: expected[g] as number,
    })),
  };
}

/**
 * Solves A·x = b by Gaussian elimination with partial pivoting (what R's `solve()` does through LAPACK's
 * dgesv). Throws ModelFitError when a pivot is negligible, where R's solve() stops with "system is
 * computationally singular".
 */
function solveLinearSystem(matrix: Float64Array, size: number, rightSide: Float64Array): Float64Array {
  const a = Float64Array.from(matrix);
  const x = Float64Array.from(rightSide);
  let largest = 0;
  for (const value of a) largest = Math.max(largest, Math.abs(value));
  const threshold = largest * size * Number.EPSILON;
  for (let column = 0; column < size; column++) {
    let pivotRow = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(a[row * size + column] as number) > Math.abs(a[pivotRow * size + column] as number))
        pivotRow = row;
    }
    const pivot = a[pivotRow * size + column] as number;
    if (!(Math.abs(pivot) > threshold)) {
      throw new ModelFitError('logrankTest requires a non-singular variance matrix (got a singular one)');
    }
    if (pivotRow !== column) {
      for (let c = 0; c < size; c++) {
        const swap = a[column * size + c] as number;
        a[column * size + c] = a[pivotRow * size + c] as number;
        a[pivotRow * size + c] = swap;
      }
      const swap = x[column] as number;
      x[column] = x[pivotRow] as number;
      x[pivotRow] = swap;
    }
    for (let row = column + 1; row < size; row++) {
      const factor = (a[row * size + column] as number) / pivot;
      if (factor === 0) continue;
      for (let c = column; c < size; c++) {
        a[row * size + c] = (a[row * size + c] as number) - factor * (a[column * size + c] as number);
      }
      x[row] = (x[row] as number) - factor * (x[column] as number);
    }
  }
  for (let row = size - 1; row >= 0; row--) {
    let value = x[row] as number;
    for (let c = row + 1; c < size; c++) value -= (a[row * size + c] as number) * (x[c] as number);
    x[row] = value / (a[row * size + row] as number);
  }
  return x;
}
