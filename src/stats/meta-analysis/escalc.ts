import gammaln from '@stdlib/math-base-special-gammaln';
import { checkStudyData } from './check-study-data.ts';
import type { EffectMeasure, StudyData } from './types.ts';

/** Per-study effect sizes: the estimate `yi` (log scale for RR/OR) and its sampling variance `vi`. */
export interface EffectSizes {
  readonly measure: EffectMeasure;
  readonly study: readonly string[];
  readonly yi: Float64Array;
  readonly vi: Float64Array;
}

/**
 * Hedges' exact small-sample correction J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2)), as metafor's `.cmicalc`
 * (m = n1 + n2 - 2; needs m > 1).
 */
export function hedgesCorrection(degreesOfFreedom: number): number {
  const m = degreesOfFreedom;
  return Math.exp(gammaln(m / 2) - Math.log(Math.sqrt(m / 2)) - gammaln((m - 1) / 2));
}

/**
 * Effect sizes and sampling variances per study, as metafor::escalc with its defaults (`add = 1/2,
 * to = "only0", drop00 = FALSE, vtype = "LS"`):
 * - `RR`: log(a/n1) - log(c/n2), v = 1/a - 1/n1 + 1/c - 1/n2;
 * - `OR`: log odds ratio, v = 1/a + 1/b + 1/c + 1/d;
 * - `RD`: p1 - p2, v = p1(1-p1)/n1 + p2(1-p2)/n2;
 * - for all three, 1/2 is added to each of the four cells of a study with any zero cell (including
 *   a study with no events, or all events, in both arms);
 * - `SMD`: Hedges' g = J(m)·(m1 - m2)/s_pooled with the exact J, v = 1/n1 + 1/n2 + g²/(2(n1+n2));
 * - `MD`: m1 - m2, v = sd1²/n1 + sd2²/n2;
 * - `GEN`: yi and vi as given.
 * Arm 1 is the intervention: a negative log RR means fewer events with the intervention.
 * O(k).
 *
 * @throws MetaAnalysisDataError listing every bad row (see checkStudyData).
 * @example
 * const sizes = escalc('RR', { kind: 'binary', study: ['A'], events1: [4], n1: [123], events2: [11], n2: [139] });
 * // sizes.yi[0] = log(4/123) - log(11/139) = -0.8893113
 */
export function escalc(measure: EffectMeasure, data: StudyData, source?: string): EffectSizes {
  checkStudyData(measure, data, source);
  const k = data.study.length;
  const yi = new Float64Array(k);
  const vi = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    if (data.kind === 'binary') {
      let a = data.events1[i] as number;
      let c = data.events2[i] as number;
      let b = (data.n1[i] as number) - a;
      let d = (data.n2[i] as number) - c;
      if (a === 0 || b === 0 || c === 0 || d === 0) {
        a += 0.5;
        b += 0.5;
        c += 0.5;
        d += 0.5;
      }
      const n1 = a + b;
      const n2 = c + d;
      const p1 = a / n1;
      const p2 = c / n2;
      if (measure === 'RR') {
        yi[i] = Math.log(p1) - Math.log(p2);
        vi[i] = 1 / a - 1 / n1 + 1 / c - 1 / n2;
      } else if (measure === 'OR') {
        yi[i] = Math.log(p1 / (1 - p1)) - Math.log(p2 / (1 - p2));
        vi[i] = 1 / a + 1 / b + 1 / c + 1 / d;
      } else {
        yi[i] = p1 - p2;
        vi[i] = (p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2;
      }
    } else if (data.kind === 'continuous') {
      const n1 = data.n1[i] as number;
      const n2 = data.n2[i] as number;
      const sd1 = data.sd1[i] as number;
      const sd2 = data.sd2[i] as number;
      const difference = (data.mean1[i] as number) - (data.mean2[i] as number);
      if (measure === 'MD') {
        yi[i] = difference;
        vi[i] = sd1 ** 2 / n1 + sd2 ** 2 / n2;
      } else {
        const m = n1 + n2 - 2;
        const pooledSd = Math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / m);
        const g = hedgesCorrection(m) * (difference / pooledSd);
        yi[i] = g;
        vi[i] = 1 / n1 + 1 / n2 + g ** 2 / (2 * (n1 + n2));
      }
    } else {
      yi[i] = data.yi[i] as number;
      vi[i] = data.vi[i] as number;
    }
  }
  return { measure, study: [...data.study], yi, vi };
}
