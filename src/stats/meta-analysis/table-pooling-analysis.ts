import { InvalidArgumentError, ModelDataError } from '../errors.ts';
import { checkStudyData } from './check-study-data.ts';
import type { LeaveOneOutRow } from './leave-one-out.ts';
import { type MantelHaenszelMeasure, rmaMh, rmaPeto, type TablePoolingFit } from './mantel-haenszel.ts';
import type { MetaAnalysisOptions, MetaAnalysisResult, MetaStudy } from './meta-analysis.ts';
import type { PooledSummary } from './pooled-summary.ts';
import { rma } from './rma.ts';
import type { SubgroupAnalysis, SubgroupResult } from './subgroup-analysis.ts';
import {
  type BinaryStudyData,
  type EffectMeasure,
  isRatioMeasure,
  type MetaTest,
  type StudyData,
} from './types.ts';

const Z975 = 1.959963984540054;

const METHOD_NAMES = { MH: 'Mantel-Haenszel', PETO: 'Peto' } as const;

/**
 * `metaAnalysis` for methods MH and PETO: the pooled estimate of rma.mh / rma.peto (metafor 3.8-1, their
 * defaults), each study's escalc effect size and CI with its weight (weights.rma.mh / weights.rma.peto,
 * in percent), the CMH, Breslow-Day and Tarone tests for the MH odds ratio, and on request subgroups (a
 * separate MH/Peto fit per subgroup, then the fixed-effect test of the subgroup estimates, as RevMan) and
 * leave-one-out (leave1out.rma.mh / .rma.peto; a refit that is not estimable gives NaN, as R's NA).
 * tau² is 0 and the prediction interval is the CI, as predict() on these fits; no Egger test.
 *
 * @throws InvalidArgumentError when the data are not binary, the measure is not RR/OR/RD (MH) or OR
 *   (PETO), or the test is not z.
 * @throws MetaAnalysisDataError for bad study rows.
 * @throws ModelDataError when the pooled estimate (overall or of a subgroup) is not estimable, or for
 *   PETO when no table has both events and non-events.
 */
export function tablePoolingAnalysis(
  data: StudyData,
  options: MetaAnalysisOptions & { readonly method: 'MH' | 'PETO'; readonly test: MetaTest },
): MetaAnalysisResult {
  const { measure, method, test } = options;
  const name = METHOD_NAMES[method];
  if (method === 'MH' && measure !== 'RR' && measure !== 'OR' && measure !== 'RD') {
    throw new InvalidArgumentError(
      `method MH (${name}) requires a binary measure RR, OR or RD with events and group sizes per arm (got measure ${measure})`,
    );
  }
  if (method === 'PETO' && measure !== 'OR') {
    throw new InvalidArgumentError(
      `method PETO (Peto's odds ratio) requires measure OR (got measure ${measure})`,
    );
  }
  if (test !== 'z') {
    throw new InvalidArgumentError(`method ${method} (${name}) requires test z (got test ${test})`);
  }
  checkStudyData(measure, data, options.source);
  const tables = data as BinaryStudyData;
  const k = tables.study.length;
  if (k < 1) throw new ModelDataError('a meta-analysis requires at least 1 study (got 0)');
  const fitRows = (rows?: readonly number[]) =>
    method === 'PETO' ? rmaPeto(tables, rows) : rmaMh(measure as MantelHaenszelMeasure, tables, rows);
  const fit = fitRows();
  if (Number.isNaN(fit.estimate)) throw notEstimable(measure, 'the studies');
  const totalWeight = fit.weights.reduce((sum, weight) => sum + weight, 0);
  const studies = tables.study.map((study, index): MetaStudy => {
    const yi = fit.yi[index] as number;
    const vi = fit.vi[index] as number;
    const half = Z975 * Math.sqrt(vi);
    const row: MetaStudy = {
      study,
      yi,
      vi,
      weight: ((fit.weights[index] as number) / totalWeight) * 100,
      ciLower: yi - half,
      ciUpper: yi + half,
    };
    const subgroup = options.subgroup?.groupOf[index];
    return subgroup === undefined ? row : { ...row, subgroup };
  });
  let result: MetaAnalysisResult = {
    ...tableSummary(fit, measure),
    measure,
    method,
    test,
    studies,
    ...(fit.tests === undefined ? {} : { mhTests: fit.tests }),
  };
  if (options.subgroup !== undefined) {
    const { column, groupOf, levels } = options.subgroup;
    if (groupOf.length !== k) {
      throw new InvalidArgumentError(
        `subgroup analysis requires one subgroup per study (got ${groupOf.length} for ${k} studies)`,
      );
    }
    const groups: SubgroupResult[] = [];
    for (const level of levels) {
      const members = groupOf.flatMap((group, index) => (group === level ? [index] : []));
      if (members.length === 0) continue;
      const groupFit = fitRows(members);
      if (Number.isNaN(groupFit.estimate)) throw notEstimable(measure, `subgroup "${level}" of ${column}`);
      groups.push({ name: level, ...tableSummary(groupFit, measure) });
    }
    let subgroupTest: SubgroupAnalysis['test'] = null;
    if (groups.length >= 2) {
      const between = rma({
        yi: groups.map((group) => group.estimate),
        vi: groups.map((group) => group.se ** 2),
        method: 'FE',
      });
      subgroupTest = { Q: between.Q, df: groups.length - 1, pValue: between.QPValue };
    }
    result = { ...result, subgroups: { column, groups, test: subgroupTest } };
  }
  if (options.leaveOneOut === true && k >= 2) {
    const rows: LeaveOneOutRow[] = [];
    for (let left = 0; left < k; left++) {
      const keep = tables.study.flatMap((_, index) => (index === left ? [] : [index]));
      let refit: TablePoolingFit | undefined;
      try {
        refit = fitRows(keep);
      } catch (error) {
        // rma.peto stops when no remaining table has both outcomes; leave1out records NA
        if (!(error instanceof ModelDataError)) throw error;
      }
      rows.push({
        study: tables.study[left] ?? '',
        estimate: refit?.estimate ?? Number.NaN,
        se: refit?.se ?? Number.NaN,
        statistic: refit?.statistic ?? Number.NaN,
        pValue: refit?.pValue ?? Number.NaN,
        ciLower: refit?.ciLower ?? Number.NaN,
        ciUpper: refit?.ciUpper ?? Number.NaN,
        Q: refit?.Q ?? Number.NaN,
        QPValue: refit?.QPValue ?? Number.NaN,
        tau2: 0,
        I2: refit?.I2 ?? Number.NaN,
        H2: refit?.H2 ?? Number.NaN,
      });
    }
    result = { ...result, leaveOneOut: rows };
  }
  return result;
}

/** The pooled summary of an MH or Peto fit: tau² = 0, prediction interval = CI (predict.rma). */
function tableSummary(fit: TablePoolingFit, measure: EffectMeasure): PooledSummary {
  const summary: PooledSummary = {
    k: fit.k,
    estimate: fit.estimate,
    se: fit.se,
    statistic: fit.statistic,
    pValue: fit.pValue,
    ciLower: fit.ciLower,
    ciUpper: fit.ciUpper,
    tau2: 0,
    tau2Se: null,
    tau: 0,
    I2: fit.I2,
    H2: fit.H2,
    Q: fit.Q,
    QDf: fit.QDf,
    QPValue: fit.QPValue,
    piLower: fit.ciLower,
    piUpper: fit.ciUpper,
  };
  if (!isRatioMeasure(measure)) return summary;
  const estimate = Math.exp(fit.estimate);
  const ciLower = Math.exp(fit.ciLower);
  const ciUpper = Math.exp(fit.ciUpper);
  return { ...summary, exp: { estimate, ciLower, ciUpper, piLower: ciLower, piUpper: ciUpper } };
}

function notEstimable(measure: EffectMeasure, where: string): ModelDataError {
  const reason =
    measure === 'OR'
      ? 'a study with events in arm 1 and non-events in arm 2 (a > 0 and d > 0) and one with non-events in arm 1 and events in arm 2 (b > 0 and c > 0)'
      : 'events in both arms (events1 > 0 in some study and events2 > 0 in some study)';
  return new ModelDataError(
    `the Mantel-Haenszel ${measure === 'OR' ? 'odds ratio' : 'risk ratio'} of ${where} requires ${reason} (got none)`,
  );
}
