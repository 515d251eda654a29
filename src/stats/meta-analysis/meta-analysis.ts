import { ModelDataError } from '../errors.ts';
import { type EggerTest, eggerTest } from './egger-test.ts';
import { escalc } from './escalc.ts';
import { type LeaveOneOutRow, leaveOneOut } from './leave-one-out.ts';
import type { MantelHaenszelTests } from './mantel-haenszel.ts';
import { type PooledSummary, pooledSummary } from './pooled-summary.ts';
import { rma } from './rma.ts';
import { type SubgroupAnalysis, subgroupAnalysis } from './subgroup-analysis.ts';
import { tablePoolingAnalysis } from './table-pooling-analysis.ts';
import {
  type EffectMeasure,
  isTableMethod,
  type MetaTest,
  type PoolingMethod,
  type StudyData,
} from './types.ts';

/**
 * One study's effect size, its 95% CI (normal, as forest()) and its weight in the pooled estimate. With
 * MH and PETO, a study with no events (or only events) in both arms has no effect size: yi, vi and the CI
 * are NaN (null in JSON), as rma.mh's drop00.
 */
export interface MetaStudy {
  readonly study: string;
  readonly yi: number;
  readonly vi: number;
  /** Weight in percent, as weights.rma.uni. */
  readonly weight: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly subgroup?: string;
}

/** Options of `metaAnalysis`. */
export interface MetaAnalysisOptions {
  readonly measure: EffectMeasure;
  /** REML by default, as metafor; MH and PETO pool 2×2 tables (binary measures only). */
  readonly method?: PoolingMethod;
  /** z by default, as metafor. */
  readonly test?: MetaTest;
  /** Subgroup of each study and the column it came from, for a subgroup analysis. */
  readonly subgroup?: {
    readonly column: string;
    readonly groupOf: readonly string[];
    readonly levels: readonly string[];
  };
  /** Add leave-one-out results. */
  readonly leaveOneOut?: boolean;
  /** Prefix of problem paths in data errors (a file name). */
  readonly source?: string;
}

/** A complete meta-analysis in the shape `enrich meta --json` prints (before snake_casing). */
export interface MetaAnalysisResult extends PooledSummary {
  readonly measure: EffectMeasure;
  readonly method: PoolingMethod;
  readonly test: MetaTest;
  readonly studies: readonly MetaStudy[];
  /** MH odds ratio only: the CMH, Cochran, Breslow-Day and Tarone tests of rma.mh. */
  readonly mhTests?: MantelHaenszelTests;
  readonly subgroups?: SubgroupAnalysis;
  /** Egger's test, when k >= 3. */
  readonly egger?: EggerTest;
  readonly leaveOneOut?: readonly LeaveOneOutRow[];
}

/**
 * A meta-analysis of study-level data: effect sizes (escalc), the pooled model (rma.uni), prediction
 * interval (predict.rma), study weights (weights.rma.uni), Egger's test when k >= 3 (regtest), and on
 * request subgroups and leave-one-out (leave1out), all as metafor 3.8-1. A random-effects model needs
 * at least 2 studies; FE works with 1. Methods `MH` and `PETO` pool the 2×2 tables instead (rma.mh,
 * rma.peto; see tablePoolingAnalysis): no Egger test, no tau², the prediction interval is the CI.
 *
 * @throws MetaAnalysisDataError for bad study rows (every problem listed).
 * @throws ModelDataError when a random-effects model has fewer than 2 studies.
 * @throws ModelFitError when an estimator fails to converge.
 * @example
 * const result = metaAnalysis(
 *   { kind: 'binary', study: ['A', 'B'], events1: [4, 6], n1: [123, 306], events2: [11, 29], n2: [139, 303] },
 *   { measure: 'RR', method: 'DL' },
 * );
 * result.exp?.estimate; // pooled risk ratio
 */
export function metaAnalysis(data: StudyData, options: MetaAnalysisOptions): MetaAnalysisResult {
  const method = options.method ?? 'REML';
  const test = options.test ?? 'z';
  const { measure } = options;
  if (isTableMethod(method)) return tablePoolingAnalysis(data, { ...options, method, test });
  const sizes = escalc(measure, data, options.source);
  const k = sizes.yi.length;
  if (k < 1) throw new ModelDataError('a meta-analysis requires at least 1 study (got 0)');
  if (method !== 'FE' && k < 2) {
    throw new ModelDataError(
      `a random-effects meta-analysis (${method}) requires at least 2 studies (got ${k}; use --method FE for a single study)`,
    );
  }
  const fit = rma({ yi: sizes.yi, vi: sizes.vi, method, test });
  const summary = pooledSummary(fit, measure);
  const totalWeight = fit.weights.reduce((sum, weight) => sum + weight, 0);
  const z = 1.959963984540054;
  const studies = sizes.study.map((study, index): MetaStudy => {
    const yi = sizes.yi[index] as number;
    const vi = sizes.vi[index] as number;
    const half = z * Math.sqrt(vi);
    const row: MetaStudy = {
      study,
      yi,
      vi,
      weight: (100 * (fit.weights[index] as number)) / totalWeight,
      ciLower: yi - half,
      ciUpper: yi + half,
    };
    const subgroup = options.subgroup?.groupOf[index];
    return subgroup === undefined ? row : { ...row, subgroup };
  });
  let result: MetaAnalysisResult = { ...summary, measure, method, test, studies };
  if (options.subgroup !== undefined) {
    const { column, groupOf, levels } = options.subgroup;
    result = {
      ...result,
      subgroups: subgroupAnalysis(column, groupOf, levels, sizes.yi, sizes.vi, measure, method, test),
    };
  }
  if (k >= 3) result = { ...result, egger: eggerTest(sizes.yi, sizes.vi, method, test) };
  if (options.leaveOneOut === true && k >= 2) {
    result = { ...result, leaveOneOut: leaveOneOut(sizes.study, sizes.yi, sizes.vi, method, test) };
  }
  return result;
}
