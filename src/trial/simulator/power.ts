import { ModelFitError, StatsError } from '../../stats/errors.ts';
import { createDesignMatrix, fitGlm } from '../../stats/models/index.ts';
import { createRRandom } from '../../stats/random/index.ts';
import type { AnalysisDataset } from '../analysis-dataset.ts';
import { SimulationOptionsError } from '../errors.ts';
import { resolveSimulationOptions, type TrialSimulationOptionsInput } from './options.ts';
import { buildSimulationModel } from './risk-model.ts';
import { MAX_SIMULATION_SEED, simulateTrial, simulationStreams } from './simulate-trial.ts';

/** What power needs from an analysis of one simulated trial: the arm effect, its p-value, any warnings. */
export interface PrimaryTestResult {
  /** The arm coefficient on the model's scale (log odds ratio for the default analysis). */
  readonly estimate: number;
  readonly pValue: number;
  /** Fit warnings (R's glm warnings, non-convergence). */
  readonly warnings: readonly string[];
}

/** An analysis run on each simulated trial. It may throw (a failed fit); power counts the failure. */
export type PowerAnalysis = (dataset: AnalysisDataset) => PrimaryTestResult;

/** The covariates of the pre-specified primary model after arm (the stratification factors and prior admissions). */
export const PRIMARY_FORMULA = 'readmitted_12m ~ arm + site + diagnosis_group + admissions_prior_2y';

/**
 * The pre-specified primary analysis for power: logistic regression `readmitted_12m ~ arm + site +
 * diagnosis_group + admissions_prior_2y` on participants with a known outcome, and the Wald test of
 * `armpeer_support`. Builds the design matrix directly from the typed columns (R's treatment contrasts, the
 * first level of each factor as reference; a level with no participants left gives an all-zero column that
 * the fit aliases, as R's NA), so it equals `glmFromFormula(dataset, PRIMARY_FORMULA, { family: 'binomial' })`
 * without parsing a formula per trial. O(iterations n p^2).
 *
 * @throws ModelFitError / ModelDataError when the model cannot be fitted, and ModelFitError when the arm
 *   coefficient is aliased (an arm with no participants with a known outcome).
 * @example
 * primaryLogisticTest(simulateTrialFromSeed({}, 1).dataset).pValue;
 */
export function primaryLogisticTest(dataset: AnalysisDataset): PrimaryTestResult {
  const outcome = dataset.numeric('readmitted_12m');
  const arm = dataset.categorical('arm');
  const site = dataset.categorical('site');
  const diagnosis = dataset.categorical('diagnosis_group');
  const prior = dataset.numeric('admissions_prior_2y');
  const rows: number[] = [];
  for (let row = 0; row < dataset.rowCount; row++) {
    if (
      !Number.isNaN(outcome[row] as number) &&
      !Number.isNaN(prior[row] as number) &&
      (arm.codes[row] as number) >= 0 &&
      (site.codes[row] as number) >= 0 &&
      (diagnosis.codes[row] as number) >= 0
    ) {
      rows.push(row);
    }
  }
  const count = rows.length;
  const columns: { name: string; values: Float64Array }[] = [
    { name: '(Intercept)', values: new Float64Array(count).fill(1) },
  ];
  const assign: number[] = [0];
  const addFactor = (name: string, codes: Int32Array, levels: readonly string[], term: number) => {
    for (let level = 1; level < levels.length; level++) {
      const values = new Float64Array(count);
      for (let index = 0; index < count; index++)
        values[index] = codes[rows[index] as number] === level ? 1 : 0;
      columns.push({ name: `${name}${levels[level]}`, values });
      assign.push(term);
    }
  };
  addFactor('arm', arm.codes, arm.levels, 1);
  addFactor('site', site.codes, site.levels, 2);
  addFactor('diagnosis_group', diagnosis.codes, diagnosis.levels, 3);
  columns.push({
    name: 'admissions_prior_2y',
    values: Float64Array.from(rows, (row) => prior[row] as number),
  });
  assign.push(4);
  const design = createDesignMatrix(columns, { hasIntercept: true, assign });
  const response = Float64Array.from(rows, (row) => outcome[row] as number);
  const fit = fitGlm({
    design,
    response,
    family: 'binomial',
    rowNumbers: Int32Array.from(rows, (row) => row + 1),
  });
  const coefficient = fit.coefficients[1];
  if (coefficient?.estimate === null || coefficient?.pValue === null || coefficient === undefined) {
    throw new ModelFitError(
      'the primary analysis requires participants with a known outcome in both arms (got an aliased arm coefficient)',
    );
  }
  const warnings = [...fit.warnings];
  if (!fit.converged && !warnings.some((warning) => warning.includes('converge'))) {
    warnings.push('glm.fit: algorithm did not converge');
  }
  return { estimate: coefficient.estimate, pValue: coefficient.pValue, warnings };
}

/** Settings of {@link simulatePower}. */
export interface PowerOptions {
  /** Total sample sizes to evaluate (each a whole number >= 10). */
  readonly sampleSizes: readonly number[];
  /** Simulated trials per sample size (>= 1). */
  readonly reps: number;
  /** Master seed (R's integer range); see {@link powerTrialSeeds}. */
  readonly seed: number;
  /** Two-sided significance level (0.05). */
  readonly alpha?: number;
  /** Simulator options (controlRisk, riskRatio, ...); `participants` is set from each sample size. */
  readonly simulation?: TrialSimulationOptionsInput;
  /** The analysis run on each trial (default {@link primaryLogisticTest}). */
  readonly analyse?: PowerAnalysis;
  /** How the report names the analysis (default: the logistic model's formula). */
  readonly analysisName?: string;
  /** Called after each simulated trial with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Power at one sample size. */
export interface PowerPoint {
  readonly n: number;
  readonly reps: number;
  /** Trials with p < alpha. */
  readonly rejections: number;
  /** rejections / reps (a failed fit counts as no rejection). */
  readonly power: number;
  /** Monte Carlo standard error sqrt(power (1 - power) / reps). */
  readonly monteCarloSe: number;
  /** Trials whose analysis threw (no estimate). */
  readonly failed: number;
  /** Trials whose fit gave a warning (still counted by their p-value). */
  readonly warned: number;
  /** Median of exp(estimate) over the fitted trials (the median odds ratio for the default analysis). */
  readonly medianRatio: number;
  /** The first failure or warning message, if any (for the report). */
  readonly firstProblem?: string;
}

/** The result of {@link simulatePower}. */
export interface PowerResult {
  readonly alpha: number;
  readonly reps: number;
  readonly seed: number;
  readonly controlRisk: number;
  readonly riskRatio: number;
  /** The true complier proportion and complier risk ratio of the simulation model. */
  readonly complierProportion: number;
  readonly complierRiskRatio: number;
  readonly analysis: string;
  readonly points: readonly PowerPoint[];
}

/**
 * The seed of each simulated trial: `reps` draws `1 + unifIndex(2147483647)` from `createRRandom(seed)`
 * (whole numbers in [1, 2147483647]). The same seeds serve every sample size (common random numbers, so the
 * curve is smoother than independent runs); trial r of any n is `enrich simulate --n N --seed seeds[r]`.
 *
 * @example
 * powerTrialSeeds(1, 3).length; // 3
 */
export function powerTrialSeeds(seed: number, reps: number): Int32Array {
  simulationStreams(seed);
  const master = createRRandom(seed);
  return Int32Array.from({ length: reps }, () => 1 + master.unifIndex(MAX_SIMULATION_SEED));
}

/**
 * Power by simulation: for each sample size, simulates `reps` trials (see `simulateTrial`) and runs the
 * primary analysis on each; power is the share with p < alpha, with Monte Carlo SE sqrt(p (1 - p) / reps).
 * Failed analyses (thrown errors from the statistics layer) count as non-rejections and are reported, as
 * are fits with warnings. O(sum(n) · reps) simulation plus the fits.
 *
 * @throws SimulationOptionsError for bad sample sizes, reps, alpha, seed or simulator options.
 * @example
 * simulatePower({ sampleSizes: [200, 400], reps: 100, seed: 1 }).points[0].power;
 */
export function simulatePower(options: PowerOptions): PowerResult {
  const alpha = options.alpha ?? 0.05;
  const problems: { path: string; code: string; message: string }[] = [];
  const add = (path: string, message: string) =>
    problems.push({ path, code: 'simulation_options_invalid', message });
  if (!Array.isArray(options.sampleSizes) || options.sampleSizes.length === 0) {
    add('sampleSizes', 'power requires at least one sample size (got none)');
  }
  for (const n of options.sampleSizes ?? []) {
    if (!Number.isInteger(n) || n < 10 || n > 1_000_000) {
      add('sampleSizes', `power requires sample sizes that are whole numbers in [10, 1000000] (got ${n})`);
    }
  }
  if (!Number.isInteger(options.reps) || options.reps < 1 || options.reps > 1_000_000) {
    add('reps', `power requires reps, a whole number in [1, 1000000] (got ${options.reps})`);
  }
  if (!(alpha > 0 && alpha < 1)) add('alpha', `power requires alpha in (0, 1) (got ${alpha})`);
  if (problems.length > 0) throw new SimulationOptionsError(problems);
  const base = resolveSimulationOptions(options.simulation ?? {});
  const model = buildSimulationModel(base);
  const seeds = powerTrialSeeds(options.seed, options.reps);
  const analyse = options.analyse ?? primaryLogisticTest;
  const total = options.sampleSizes.length * options.reps;
  let done = 0;
  const points = options.sampleSizes.map((n): PowerPoint => {
    const simulationOptions = resolveSimulationOptions({ ...(options.simulation ?? {}), participants: n });
    let rejections = 0;
    let failed = 0;
    let warned = 0;
    let firstProblem: string | undefined;
    const ratios: number[] = [];
    for (const trialSeed of seeds) {
      const trial = simulateTrial(simulationOptions, simulationStreams(trialSeed), trialSeed);
      try {
        const result = analyse(trial.dataset);
        ratios.push(Math.exp(result.estimate));
        if (result.pValue < alpha) rejections++;
        if (result.warnings.length > 0) {
          warned++;
          firstProblem ??= `seed ${trialSeed}: ${result.warnings[0]}`;
        }
      } catch (error) {
        if (!(error instanceof StatsError || error instanceof SimulationOptionsError)) throw error;
        failed++;
        firstProblem ??= `seed ${trialSeed}: ${error.message}`;
      }
      done++;
      options.onProgress?.(done, total);
    }
    const power = rejections / options.reps;
    return {
      n,
      reps: options.reps,
      rejections,
      power,
      monteCarloSe: Math.sqrt((power * (1 - power)) / options.reps),
      failed,
      warned,
      medianRatio: median(ratios),
      ...(firstProblem === undefined ? {} : { firstProblem }),
    };
  });
  return {
    alpha,
    reps: options.reps,
    seed: options.seed,
    controlRisk: base.controlRisk,
    riskRatio: base.riskRatio,
    complierProportion: model.complierProportion,
    complierRiskRatio: model.complierRiskRatio,
    analysis: options.analysisName ?? `logistic regression ${PRIMARY_FORMULA}`,
    points,
  };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
