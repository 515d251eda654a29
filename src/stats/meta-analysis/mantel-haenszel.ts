import { pchisq, pnorm } from '../distributions/index.ts';
import { InvalidArgumentError, ModelDataError } from '../errors.ts';
import { escalc } from './escalc.ts';
import type { BinaryStudyData } from './types.ts';

/** The binary measures Mantel-Haenszel pooling supports. */
export type MantelHaenszelMeasure = 'RR' | 'OR' | 'RD';

/** A chi-square test: statistic, degrees of freedom, p-value (NaN when the test has no df left). */
export interface ChiSquareTest {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
}

/**
 * The tests rma.mh reports for the Mantel-Haenszel odds ratio, each undefined when it is not computable
 * for the data: the Cochran-Mantel-Haenszel test of OR = 1 (continuity-corrected, `N - 1` in the
 * variance, as metafor prints it), Cochran's version (`N` in the variance), and the Breslow-Day and
 * Tarone tests of homogeneity of the odds ratios on (tables with a positive expected count and events
 * and non-events) - 1 df.
 */
export interface MantelHaenszelTests {
  readonly cmh?: ChiSquareTest;
  readonly cochran?: ChiSquareTest;
  readonly breslowDay?: ChiSquareTest;
  readonly tarone?: ChiSquareTest;
}

/** An equal-effect fit of 2×2 tables by Mantel-Haenszel or Peto (metafor's rma.mh / rma.peto). */
export interface TablePoolingFit {
  /** Number of tables (double-zero tables included, as rma.mh's `k`). */
  readonly k: number;
  /** Number of tables with an effect size (double-zero and double-all tables dropped), rma.mh's `k.yi`. */
  readonly kYi: number;
  /** Pooled estimate (log scale for RR, OR and Peto); NaN when not estimable. */
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  /** Cochran's Q of the study effect sizes around the pooled estimate, on kYi - 1 df (Peto: its own Q). */
  readonly Q: number;
  readonly QDf: number;
  readonly QPValue: number;
  readonly I2: number;
  readonly H2: number;
  /** Study effect sizes and variances as escalc with `drop00 = TRUE` (NaN for dropped tables). */
  readonly yi: Float64Array;
  readonly vi: Float64Array;
  /** Unnormalised weight of each table in the pooled estimate (weights.rma.mh / weights.rma.peto). */
  readonly weights: Float64Array;
  /** Odds ratio by Mantel-Haenszel only. */
  readonly tests?: MantelHaenszelTests;
}

const Z975 = 1.959963984540054;

/** The four cells of each table: a, b (arm 1 events, non-events), c, d (arm 2). */
interface Cells {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly d: Float64Array;
}

function cellsOf(data: BinaryStudyData, rows: readonly number[]): Cells {
  const k = rows.length;
  const cells = {
    a: new Float64Array(k),
    b: new Float64Array(k),
    c: new Float64Array(k),
    d: new Float64Array(k),
  };
  rows.forEach((row, i) => {
    const a = data.events1[row] as number;
    const c = data.events2[row] as number;
    cells.a[i] = a;
    cells.b[i] = (data.n1[row] as number) - a;
    cells.c[i] = c;
    cells.d[i] = (data.n2[row] as number) - c;
  });
  return cells;
}

/** True for a table with no events in either arm or only events in both (escalc's drop00). */
function isDoubleZero(cells: Cells, i: number): boolean {
  return (cells.a[i] === 0 && cells.c[i] === 0) || (cells.b[i] === 0 && cells.d[i] === 0);
}

function subset(data: BinaryStudyData, rows: readonly number[]): BinaryStudyData {
  const pick = (values: ArrayLike<number>) => Float64Array.from(rows, (row) => values[row] as number);
  return {
    kind: 'binary',
    study: rows.map((row) => data.study[row] ?? ''),
    events1: pick(data.events1),
    n1: pick(data.n1),
    events2: pick(data.events2),
    n2: pick(data.n2),
  };
}

/**
 * Q, I² and H² as rma.mh computes them: inverse-variance weights of the study effect sizes that remain
 * after drop00, around the pooled estimate; with fewer than 2 such studies Q = 0, p = 1, I² = 0, H² = 1.
 */
function heterogeneity(yi: Float64Array, vi: Float64Array, estimate: number) {
  let Q = 0;
  let kYi = 0;
  for (let i = 0; i < yi.length; i++) {
    const y = yi[i] as number;
    if (Number.isNaN(y)) continue;
    kYi++;
    Q += (y - estimate) ** 2 / (vi[i] as number);
  }
  if (kYi <= 1) return { kYi, Q: 0, QDf: 0, QPValue: 1, I2: 0, H2: 1 };
  Q = Math.max(0, Q);
  const df = kYi - 1;
  return {
    kYi,
    Q,
    QDf: df,
    QPValue: pchisq(Q, df, false),
    I2: Math.max(0, (100 * (Q - df)) / Q),
    H2: Q / df,
  };
}

function zTest(estimate: number, se: number) {
  const statistic = estimate / se;
  return {
    estimate,
    se,
    statistic,
    pValue: 2 * pnorm(Math.abs(statistic), false),
    ciLower: estimate - Z975 * se,
    ciUpper: estimate + Z975 * se,
  };
}

function chiSquare(statistic: number, df: number): ChiSquareTest | undefined {
  if (!Number.isFinite(statistic)) return undefined;
  return { statistic, df, pValue: df > 0 ? pchisq(statistic, df, false) : Number.NaN };
}

/**
 * Mantel-Haenszel equal-effect pooling of 2×2 tables, as metafor 3.8-1's `rma.mh` with its defaults
 * (`add = 1/2, to = "only0", drop00 = TRUE, correct = TRUE`), for the rows `rows` of `data` (all by default):
 * - estimates from the unmodified tables (no 1/2 added, double-zero tables kept: they carry no weight for
 *   RR and OR and carry n1·n2/N for RD): OR = Σ(a·d/N) / Σ(b·c/N), RR = Σ(a·n2/N) / Σ(c·n1/N),
 *   RD = Σ(a·n2 − c·n1)/N / Σ(n1·n2/N);
 * - variances: Robins-Breslow-Greenland for log OR, Greenland-Robins for log RR, and the
 *   Greenland-Robins (Sato) variance for RD, as rma.mh;
 * - z test and 95% CI on the log scale for RR and OR;
 * - Q, I² and H² from the study effect sizes of `escalc` (1/2 added to tables with a zero cell, tables
 *   with no events or only events in both arms dropped), around the MH estimate;
 * - for OR, the CMH, Breslow-Day and Tarone tests (see MantelHaenszelTests).
 * The estimate is NaN (as rma.mh's NA) when it is not estimable: for OR when Σ a·d/N or Σ b·c/N is 0,
 * for RR when either arm has no events in any table. O(k).
 *
 * @throws InvalidArgumentError for a measure other than RR, OR, RD.
 * @example
 * const fit = rmaMh('OR', { kind: 'binary', study: ['A', 'B'], events1: [4, 6], n1: [123, 306], events2: [11, 29], n2: [139, 303] });
 * Math.exp(fit.estimate); // Mantel-Haenszel odds ratio
 */
export function rmaMh(
  measure: MantelHaenszelMeasure,
  data: BinaryStudyData,
  rows: readonly number[] = data.study.map((_, index) => index),
): TablePoolingFit {
  if (measure !== 'RR' && measure !== 'OR' && measure !== 'RD') {
    throw new InvalidArgumentError(`Mantel-Haenszel pooling requires measure RR, OR or RD (got ${measure})`);
  }
  const cells = cellsOf(data, rows);
  const k = rows.length;
  const { a, b, c, d } = cells;
  const sizes = escalc(measure, subset(data, rows));
  const yi = Float64Array.from(sizes.yi);
  const vi = Float64Array.from(sizes.vi);
  for (let i = 0; i < k; i++) {
    if (isDoubleZero(cells, i)) {
      yi[i] = Number.NaN;
      vi[i] = Number.NaN;
    }
  }
  const weights = new Float64Array(k);
  let estimate = Number.NaN;
  let se = Number.NaN;
  let tests: MantelHaenszelTests | undefined;
  if (measure === 'OR') {
    let R = 0;
    let S = 0;
    for (let i = 0; i < k; i++) {
      const N = (a[i] as number) + (b[i] as number) + (c[i] as number) + (d[i] as number);
      R += ((a[i] as number) / N) * (d[i] as number);
      S += ((b[i] as number) / N) * (c[i] as number);
      weights[i] = ((b[i] as number) / N) * (c[i] as number);
    }
    if (R !== 0 && S !== 0) {
      let pr = 0;
      let psqr = 0;
      let qs = 0;
      for (let i = 0; i < k; i++) {
        const N = (a[i] as number) + (b[i] as number) + (c[i] as number) + (d[i] as number);
        const P = (a[i] as number) / N + (d[i] as number) / N;
        const Qi = (b[i] as number) / N + (c[i] as number) / N;
        const Ri = ((a[i] as number) / N) * (d[i] as number);
        const Si = ((b[i] as number) / N) * (c[i] as number);
        pr += P * Ri;
        psqr += P * Si + Qi * Ri;
        qs += Qi * Si;
      }
      estimate = Math.log(R / S);
      se = Math.sqrt(0.5 * (pr / R ** 2 + psqr / (R * S) + qs / S ** 2));
    }
    tests = oddsRatioTests(cells, R !== 0 && S !== 0 ? R / S : Number.NaN);
  } else if (measure === 'RR') {
    let R = 0;
    let S = 0;
    let eventsA = 0;
    let eventsC = 0;
    let numerator = 0;
    for (let i = 0; i < k; i++) {
      const n1 = (a[i] as number) + (b[i] as number);
      const n2 = (c[i] as number) + (d[i] as number);
      const N = n1 + n2;
      R += (a[i] as number) * (n2 / N);
      S += (c[i] as number) * (n1 / N);
      eventsA += a[i] as number;
      eventsC += c[i] as number;
      numerator +=
        (n1 / N) * (n2 / N) * ((a[i] as number) + (c[i] as number)) -
        ((a[i] as number) / N) * (c[i] as number);
      weights[i] = ((c[i] as number) / N) * n1;
    }
    if (eventsA !== 0 && eventsC !== 0) {
      estimate = Math.log(R / S);
      se = Math.sqrt(numerator / (R * S));
    }
  } else {
    let numerator = 0;
    let denominator = 0;
    let varianceA = 0;
    let varianceB = 0;
    for (let i = 0; i < k; i++) {
      const n1 = (a[i] as number) + (b[i] as number);
      const n2 = (c[i] as number) + (d[i] as number);
      const N = n1 + n2;
      numerator += (a[i] as number) * (n2 / N) - (c[i] as number) * (n1 / N);
      denominator += n1 * (n2 / N);
      varianceA +=
        (c[i] as number) * (n1 / N) ** 2 -
        (a[i] as number) * (n2 / N) ** 2 +
        ((n1 / N) * (n2 / N) * (n2 - n1)) / 2;
      varianceB +=
        ((a[i] as number) * (n2 - (c[i] as number))) / N + ((c[i] as number) * (n1 - (a[i] as number))) / N;
      weights[i] = (n1 / N) * n2;
    }
    estimate = numerator / denominator;
    se = Math.sqrt((estimate * varianceA + varianceB / 2) / denominator ** 2);
  }
  const fit = Number.isNaN(estimate)
    ? { estimate, se, statistic: Number.NaN, pValue: Number.NaN, ciLower: Number.NaN, ciUpper: Number.NaN }
    : zTest(estimate, se);
  const spread = heterogeneity(yi, vi, estimate);
  return {
    k,
    ...fit,
    ...spread,
    yi,
    vi,
    weights,
    ...(tests === undefined ? {} : { tests }),
  };
}

/** Table i's margins: arm totals n1 (a + b) and n2 (c + d), N, events xt (a + c) and non-events yt (b + d). */
function tableMargins(
  cells: Cells,
  i: number,
): { n1: number; n2: number; N: number; xt: number; yt: number } {
  const a = cells.a[i] as number;
  const b = cells.b[i] as number;
  const c = cells.c[i] as number;
  const d = cells.d[i] as number;
  return { n1: a + b, n2: c + d, N: a + b + (c + d), xt: a + c, yt: b + d };
}

/** CMH (and Cochran's) test of OR = 1 and the Breslow-Day and Tarone homogeneity tests, as rma.mh. */
function oddsRatioTests(cells: Cells, psi: number): MantelHaenszelTests {
  const { a } = cells;
  const k = a.length;
  let deviation = 0;
  let events = 0;
  let nonEvents = 0;
  let varianceN = 0;
  let varianceN1 = 0;
  for (let i = 0; i < k; i++) {
    const { n1, n2, N, xt, yt } = tableMargins(cells, i);
    events += xt;
    nonEvents += yt;
    deviation += (a[i] as number) - (n1 / N) * xt;
    varianceN += (n1 / N) * (n2 / N) * (xt * (yt / N));
    varianceN1 += (n1 / N) * (n2 / N) * (xt * (yt / (N - 1)));
  }
  const tests: { -readonly [K in keyof MantelHaenszelTests]: MantelHaenszelTests[K] } = {};
  const record = (name: keyof MantelHaenszelTests, statistic: number, df: number) => {
    const test = chiSquare(statistic, df);
    if (test !== undefined) tests[name] = test;
  };
  if (events !== 0 && nonEvents !== 0) {
    const corrected = (Math.abs(deviation) - 0.5) ** 2;
    record('cochran', corrected / varianceN, 1);
    record('cmh', corrected / varianceN1, 1);
  }
  if (Number.isNaN(psi)) return tests;
  let breslowDay = 0;
  let sumDeviation = 0;
  let sumVariance = 0;
  let kPos = 0;
  for (let i = 0; i < k; i++) {
    const { n1, n2, N, xt, yt } = tableMargins(cells, i);
    let N11: number;
    if (psi === 1) {
      N11 = (n1 / N) * xt;
    } else {
      // the expected count of cell a under the common odds ratio psi: the root of a quadratic
      const A = psi * (n1 + xt) + (n2 - xt);
      const B = Math.sqrt(A ** 2 - 4 * n1 * xt * psi * (psi - 1));
      N11 = (A - B) / (2 * (psi - 1));
    }
    if (!(N11 > 0 && xt > 0 && yt > 0)) continue;
    kPos++;
    const N12 = n1 - N11;
    const N21 = xt - N11;
    const N22 = N11 - n1 - xt + N;
    const variance = (1 / N11 + 1 / N12 + 1 / N21 + 1 / N22) ** -1;
    breslowDay += ((a[i] as number) - N11) ** 2 / variance;
    sumDeviation += (a[i] as number) - N11;
    sumVariance += variance;
  }
  const BD = Math.max(0, breslowDay);
  const TA = Math.max(0, BD - sumDeviation ** 2 / sumVariance);
  record('breslowDay', BD, kPos - 1);
  record('tarone', TA, kPos - 1);
  return tests;
}

/**
 * Peto's one-step odds ratio, as metafor 3.8-1's `rma.peto` with its defaults: log OR = Σ(a − E)/ΣV
 * with E = (a+c)·n1/N and V = (a+c)(b+d)(n1/N)(n2/N)/(N−1) from the unmodified tables, SE = 1/√ΣV;
 * Q = Σ(a−E)²/V − (Σ(a−E))²/ΣV over tables with V > 0, on kYi − 1 df (Q p = 1, I² = 0, H² = 1 when at
 * most one table has V > 0). Study effect sizes are escalc's `PETO` (1/2 added to tables with a zero
 * cell, double-zero tables dropped). Weights are V. O(k).
 *
 * @throws ModelDataError when ΣV = 0 (no table has both events and non-events), as rma.peto stops.
 * @example
 * Math.exp(rmaPeto({ kind: 'binary', study: ['A'], events1: [4], n1: [123], events2: [11], n2: [139] }).estimate);
 */
export function rmaPeto(
  data: BinaryStudyData,
  rows: readonly number[] = data.study.map((_, index) => index),
): TablePoolingFit {
  const cells = cellsOf(data, rows);
  const { a, b, c, d } = cells;
  const k = rows.length;
  const yi = new Float64Array(k);
  const vi = new Float64Array(k);
  const weights = new Float64Array(k);
  const observed = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    weights[i] = petoVariance(a[i] as number, b[i] as number, c[i] as number, d[i] as number);
    observed[i] =
      (a[i] as number) - petoExpected(a[i] as number, b[i] as number, c[i] as number, d[i] as number);
    if (isDoubleZero(cells, i)) {
      yi[i] = Number.NaN;
      vi[i] = Number.NaN;
      continue;
    }
    let [ai, bi, ci, di] = [a[i] as number, b[i] as number, c[i] as number, d[i] as number];
    if (ai === 0 || bi === 0 || ci === 0 || di === 0) {
      ai += 0.5;
      bi += 0.5;
      ci += 0.5;
      di += 0.5;
    }
    const V = petoVariance(ai, bi, ci, di);
    yi[i] = (ai - petoExpected(ai, bi, ci, di)) / V;
    vi[i] = 1 / V;
  }
  let sumV = 0;
  let sumO = 0;
  let chi = 0;
  let kPos = 0;
  let kYi = 0;
  for (let i = 0; i < k; i++) {
    const V = weights[i] as number;
    const O = observed[i] as number;
    sumV += V;
    sumO += O;
    if (V > 0) {
      kPos++;
      chi += O ** 2 / V;
    }
    if (!Number.isNaN(yi[i] as number)) kYi++;
  }
  if (sumV === 0) {
    throw new ModelDataError(
      "Peto's odds ratio requires at least one study with both events and non-events (got none: one of the two outcomes never occurred)",
    );
  }
  const fit = zTest(sumO / sumV, Math.sqrt(1 / sumV));
  const Q = Math.max(0, chi - sumO ** 2 / sumV);
  const df = Math.max(kYi - 1, 0);
  const spread =
    kPos > 1
      ? { Q, QDf: df, QPValue: pchisq(Q, df, false), I2: Math.max(0, (100 * (Q - df)) / Q), H2: Q / df }
      : { Q, QDf: df, QPValue: 1, I2: 0, H2: 1 };
  return { k, kYi, ...fit, ...spread, yi, vi, weights };
}

function petoExpected(a: number, b: number, c: number, d: number): number {
  const n1 = a + b;
  const N = n1 + c + d;
  return ((a + c) * n1) / N;
}

function petoVariance(a: number, b: number, c: number, d: number): number {
  const n1 = a + b;
  const n2 = c + d;
  const N = n1 + n2;
  return ((a + c) * (b + d) * (n1 / N) * (n2 / N)) / (N - 1);
}
