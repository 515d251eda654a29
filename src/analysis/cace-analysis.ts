import {
  bootCi,
  bootstrap,
  buildModelFrame,
  createRRandom,
  type DesignMatrix,
  fitGlmIrls,
  type GlmIrlsFit,
  getGlmFamily,
  parseFormula,
} from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import { type ArmGroups, requireEventsAndNonEvents } from './arm-groups.ts';
import { AnalysisDataError } from './errors.ts';
import { fitFrequencyWeightedIrls, sparseRows } from './frequency-weighted-irls.ts';
import { subsetModelData } from './model-data-view.ts';
import { adjustedTerms, perArm } from './summaries.ts';
import type { AnalysisPlan, CaceAnalysis } from './trial-analysis-types.ts';

/** Options of {@link caceAnalysis}. */
export interface CaceOptions {
  /** Called after each evaluation of the two-stage statistic (1 + R resamples + n jackknife values). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Receipt of peer support per row: 1 for a complier (`pw_contacts_hospital + pw_contacts_community >= 2`
 * and `pw_contacts_community >= 1`), 0 otherwise and always 0 in usual care (the reference arm); NaN in the
 * peer support arm where either contact count is missing (contacts not assessable).
 * @example complierReceipt(dataset, armGroups(dataset))[0] // 0 or 1 (or NaN)
 */
export function complierReceipt(dataset: AnalysisDataset, arms: ArmGroups): Float64Array {
  const hospital = dataset.numeric('pw_contacts_hospital');
  const community = dataset.numeric('pw_contacts_community');
  const receipt = new Float64Array(dataset.rowCount);
  for (let row = 0; row < receipt.length; row++) {
    if (arms.codes[row] === 0) continue;
    const inHospital = hospital[row] as number;
    const inCommunity = community[row] as number;
    receipt[row] =
      Number.isNaN(inHospital) || Number.isNaN(inCommunity)
        ? Number.NaN
        : inHospital + inCommunity >= 2 && inCommunity >= 1
          ? 1
          : 0;
  }
  return receipt;
}

/**
 * The complier average causal effect (CACE) risk ratio by two-stage residual inclusion: stage 1
 * `glm(receipt ~ arm + covariates, binomial)`, stage 2 `glm(outcome ~ receipt + stage1_residual + covariates,
 * poisson)` with the stage-1 response residual `receipt - fitted`, CACE RR = exp(coefficient of receipt).
 * Its interval is the BCa bootstrap of both stages together, exactly as
 * `set.seed(seed); b <- boot(d, statistic, R, strata = d$arm); boot.ci(b, type = "bca", L = empinf(b, type = "jack"))`
 * with the log RR as the statistic (the same resamples and replicates as R; interval exponentiated).
 * Participants whose contacts are not assessable, or with a missing outcome or covariate, are left out
 * and counted. Stage 1 separates by design (no receipt in usual care); the fit behaves as R's glm there
 * (iterates until the deviance settles, with R's warnings), it does not fail.
 *
 * Speed: the model frame and design are built once; each resample gathers its rows and refits both stages
 * with `fitGlmIrls` (no summaries), so the cost is (1 + R + n) pairs of IRLS fits, O(iterations n p^2) each.
 * @throws AnalysisDataError when no participant or every participant of the analysis set is readmitted, or
 *   nobody received the intervention; ModelFitError / BootstrapIntervalError when the model or interval
 *   cannot be computed.
 * @example caceAnalysis(dataset, DEFAULT_ANALYSIS_PLAN, armGroups(dataset)).riskRatio // { estimate, ciLower, ciUpper }
 */
export function caceAnalysis(
  dataset: AnalysisDataset,
  plan: AnalysisPlan,
  arms: ArmGroups,
  options: CaceOptions = {},
): CaceAnalysis {
  const receiptAll = complierReceipt(dataset, arms);
  let notAssessable = 0;
  const assessableRows: number[] = [];
  for (let row = 0; row < receiptAll.length; row++) {
    if (Number.isNaN(receiptAll[row] as number)) notAssessable++;
    else assessableRows.push(row);
  }
  // The analysis set: assessable receipt, known outcome, complete covariates (as R's complete.cases).
  const outcomeName = plan.primaryOutcome;
  const probe = buildModelFrame(
    subsetModelData(dataset, Int32Array.from(assessableRows), []),
    parseFormula(`${outcomeName} ~ ${adjustedTerms(plan.covariates)}`, dataset.columnNames),
  );
  const rows = Int32Array.from(probe.rowNumbers, (rowNumber) => assessableRows[rowNumber - 1] as number);
  const n = rows.length;
  const receipt = Float64Array.from(rows, (row) => receiptAll[row] as number);
  const outcome = Float64Array.from(rows, (row) => dataset.numeric(outcomeName)[row] as number);
  const armCodes = Int32Array.from(rows, (row) => arms.codes[row] as number);
  const everyRow = Int32Array.from({ length: n }, (_, index) => index);
  requireEventsAndNonEvents(outcome, everyRow, outcomeName, dataset.source, 'the CACE analysis');
  const complierCount = receipt.reduce((sum, value) => sum + value, 0);
  if (complierCount === 0) {
    throw new AnalysisDataError([
      {
        path: `${dataset.source}: columns pw_contacts_hospital, pw_contacts_community`,
        code: 'analysis_outcome_degenerate',
        message: `the CACE analysis requires at least one complier (two or more contacts, one after discharge) among the ${n} participants analysed (got none)`,
      },
    ]);
  }

  const data = subsetModelData(dataset, rows, [{ kind: 'numeric', name: 'receipt', values: receipt }]);
  const stage1Frame = buildModelFrame(
    data,
    parseFormula(`receipt ~ ${adjustedTerms(plan.covariates)}`, data.columnNames),
  );
  const stage1Design = stage1Frame.design; // (Intercept), arm, covariate columns
  const p1 = stage1Design.columnCount;
  const p2 = p1 + 1; // (Intercept), receipt, stage1_residual, covariate columns
  const binomial = getGlmFamily('binomial');
  const poisson = getGlmFamily('poisson');
  const stage2Names = ['(Intercept)', 'receipt', 'stage1_residual', ...stage1Design.columnNames.slice(2)];
  const stage1Names = stage1Design.columnNames;
  const assign1 = stage1Design.assign;
  const assign2 = [0, 1, 2, ...stage1Design.assign.slice(2).map((term) => term + 1)];

  const total = 1 + plan.bootstrapResamples + n + 1;
  let done = 0;
  let mainFits: { stage1: GlmIrlsFit; stage2: GlmIrlsFit } | undefined;

  // Buffers for resamples of size n and jackknife samples of size n - 1, reused between calls.
  const buffers = new Map<
    number,
    { x1: Float64Array; x2: Float64Array; y1: Float64Array; y2: Float64Array }
  >();
  const buffersFor = (size: number) => {
    let buffer = buffers.get(size);
    if (buffer === undefined) {
      buffer = {
        x1: new Float64Array(size * p1),
        x2: new Float64Array(size * p2),
        y1: new Float64Array(size),
        y2: new Float64Array(size),
      };
      buffers.set(size, buffer);
    }
    return buffer;
  };
  const source = stage1Design.values;
  // Exact glm.fit on the gathered rows: the path R takes, used when the fast path declines.
  const fitGathered = (indices: Int32Array): { value: number; stage1: GlmIrlsFit; stage2: GlmIrlsFit } => {
    const size = indices.length;
    const { x1, x2, y1, y2 } = buffersFor(size);
    for (let column = 0; column < p1; column++) {
      const from = column * n;
      const to = column * size;
      for (let index = 0; index < size; index++)
        x1[to + index] = source[from + (indices[index] as number)] as number;
    }
    for (let index = 0; index < size; index++) {
      const row = indices[index] as number;
      y1[index] = receipt[row] as number;
      y2[index] = outcome[row] as number;
    }
    const stage1 = fitGlmIrls(design(x1, size, p1, stage1Names, assign1), y1, binomial);
    x2.fill(1, 0, size);
    x2.set(y1, size);
    for (let index = 0; index < size; index++)
      x2[2 * size + index] = (y1[index] as number) - (stage1.mu[index] as number);
    x2.set(x1.subarray(2 * size, p1 * size), 3 * size);
    const stage2 = fitGlmIrls(design(x2, size, p2, stage2Names, assign2), y2, poisson);
    return { value: stage2.aliased[1] ? Number.NaN : (stage2.coefficients[1] as number), stage1, stage2 };
  };
  // The fast path: both stages on the distinct covariate patterns with their counts (see
  // fitFrequencyWeightedIrls). Rows with the same stage-1 design row and receipt are exchangeable in stage 1
  // (same working weight, response and fitted value), so they are fitted once with their summed count; in
  // stage 2 rows are exchangeable when they also share the outcome. With the default discrete covariates
  // (site, diagnosis group, prior admissions) this divides the work per IRLS pass by about 2.5.
  const pattern1 = new Int32Array(n);
  const pattern2 = new Int32Array(n);
  const firstRow1: number[] = [];
  const firstRow2: number[] = [];
  {
    const keys1 = new Map<string, number>();
    const keys2 = new Map<string, number>();
    const row1 = new Array<number>(p1 + 1);
    for (let row = 0; row < n; row++) {
      for (let column = 0; column < p1; column++) row1[column] = source[column * n + row] as number;
      row1[p1] = receipt[row] as number;
      const key1 = row1.join(',');
      let id1 = keys1.get(key1);
      if (id1 === undefined) {
        id1 = firstRow1.length;
        keys1.set(key1, id1);
        firstRow1.push(row);
      }
      pattern1[row] = id1;
      const key2 = `${id1},${outcome[row]}`;
      let id2 = keys2.get(key2);
      if (id2 === undefined) {
        id2 = firstRow2.length;
        keys2.set(key2, id2);
        firstRow2.push(row);
      }
      pattern2[row] = id2;
    }
  }
  const m1 = firstRow1.length;
  const m2 = firstRow2.length;
  const patternValues1 = new Float64Array(m1 * p1);
  for (let column = 0; column < p1; column++) {
    firstRow1.forEach((row, id) => {
      patternValues1[column * m1 + id] = source[column * n + row] as number;
    });
  }
  const sparse1 = sparseRows(patternValues1, m1, p1);
  const receipt1 = Float64Array.from(firstRow1, (row) => receipt[row] as number);
  const patternValues2 = new Float64Array(m2 * p2);
  firstRow2.forEach((row, id) => {
    patternValues2[id] = 1;
    patternValues2[m2 + id] = receipt[row] as number;
    for (let column = 2; column < p1; column++)
      patternValues2[(column + 1) * m2 + id] = source[column * n + row] as number;
  });
  const sparse2 = sparseRows(patternValues2, m2, p2, [2]);
  const outcome2 = Float64Array.from(firstRow2, (row) => outcome[row] as number);
  const stage1Of2 = Int32Array.from(firstRow2, (row) => pattern1[row] as number);
  const residualEntry = new Int32Array(m2);
  for (let id = 0; id < m2; id++) {
    for (let k = sparse2.rowStart[id] as number; k < (sparse2.rowStart[id + 1] as number); k++) {
      if (sparse2.columns[k] === 2) residualEntry[id] = k;
    }
  }
  const counts1 = new Float64Array(m1);
  const counts2 = new Float64Array(m2);
  const mu1 = new Float64Array(m1);
  const mu2 = new Float64Array(m2);
  const fastStatistic = (indices: Int32Array): number | undefined => {
    counts1.fill(0);
    counts2.fill(0);
    for (let index = 0; index < indices.length; index++) {
      const row = indices[index] as number;
      const id1 = pattern1[row] as number;
      const id2 = pattern2[row] as number;
      counts1[id1] = (counts1[id1] as number) + 1;
      counts2[id2] = (counts2[id2] as number) + 1;
    }
    const stage1 = fitFrequencyWeightedIrls(sparse1, receipt1, counts1, binomial, mu1);
    if (stage1 === undefined) return undefined;
    for (let id = 0; id < m2; id++) {
      if ((counts2[id] as number) > 0) {
        const first = stage1Of2[id] as number;
        sparse2.values[residualEntry[id] as number] = (receipt1[first] as number) - (mu1[first] as number);
      }
    }
    const stage2 = fitFrequencyWeightedIrls(sparse2, outcome2, counts2, poisson, mu2);
    if (stage2 === undefined) return undefined;
    return stage2.coefficients[1] as number;
  };
  const statistic = (indices: Int32Array): number => {
    let value = Number.NaN;
    if (mainFits === undefined) {
      // All rows: the exact path, which also gives R's warnings (and its errors, which are the answer).
      const fit = fitGathered(indices);
      mainFits = { stage1: fit.stage1, stage2: fit.stage2 };
      value = fit.value;
    } else {
      const fast = fastStatistic(indices);
      if (fast !== undefined) {
        value = fast;
      } else {
        try {
          value = fitGathered(indices).value;
        } catch {
          // A resample whose models cannot be fitted is recorded as NA and counted (R's boot would stop).
          value = Number.NaN;
        }
      }
    }
    done++;
    options.onProgress?.(Math.min(done, total), total);
    return value;
  };

  const result = bootstrap({
    n,
    statistic,
    replicates: plan.bootstrapResamples,
    rng: createRRandom(plan.seed),
    strata: armCodes,
  });
  const logRiskRatio = result.t0[0] as number;
  const fits = mainFits as unknown as { stage1: GlmIrlsFit; stage2: GlmIrlsFit };
  const interval = bootCi(result, { types: ['bca'], conf: plan.confidenceLevel });
  const [logLower, logUpper] = interval.bca as [number, number];
  let failedResamples = 0;
  for (const value of result.t[0] as Float64Array) if (!Number.isFinite(value)) failedResamples++;
  const compliers = arms.levels.map(() => 0);
  for (let index = 0; index < n; index++) {
    if (receipt[index] === 1)
      compliers[armCodes[index] as number] = (compliers[armCodes[index] as number] as number) + 1;
  }
  const warnings = [...new Set([...fits.stage1.warnings, ...fits.stage2.warnings, ...interval.warnings])];
  return {
    riskRatio: { estimate: Math.exp(logRiskRatio), ciLower: Math.exp(logLower), ciUpper: Math.exp(logUpper) },
    n,
    compliers: compliers.reduce((sum, count) => sum + count, 0),
    compliersByArm: perArm(arms.levels, (arm) => compliers[arm] as number),
    notAssessable,
    otherMissing: assessableRows.length - n,
    logRiskRatio,
    bootstrap: {
      resamples: plan.bootstrapResamples,
      seed: plan.seed,
      strata: arms.levels.map((level, arm) => ({
        level,
        n: armCodes.reduce((count, code) => count + (code === arm ? 1 : 0), 0),
      })),
      biasCorrection: interval.bcaConstants?.w ?? Number.NaN,
      acceleration: interval.bcaConstants?.a ?? Number.NaN,
      failedResamples,
      logCiLower: logLower,
      logCiUpper: logUpper,
    },
    warnings,
  };
}

function design(
  values: Float64Array,
  rowCount: number,
  columnCount: number,
  columnNames: readonly string[],
  assign: readonly number[],
): DesignMatrix {
  return {
    rowCount,
    columnCount,
    values: values.length === rowCount * columnCount ? values : values.subarray(0, rowCount * columnCount),
    columnNames,
    assign,
    hasIntercept: true,
  };
}
