import { pchisq, qnorm } from '../distributions/index.ts';
import { InvalidArgumentError, ModelDataError, ModelFitError } from '../errors.ts';
import type { DesignMatrix } from '../models/design-matrix.ts';
import { aeqSurv } from './aeq-surv.ts';
import { choleskyDecompose, choleskyInverse, choleskySolve } from './cholesky.ts';
import { checkConfidenceLevel, checkSurvivalData, orderByTime, rowNumberOf } from './survival-data.ts';

/** How tied event times enter the Cox partial likelihood (`coxph(ties = )`). */
export type CoxTies = 'efron' | 'breslow';

/** Input to {@link fitCox}. Rows are observations after missing values have been removed. */
export interface CoxInput {
  /** Covariates, without an intercept column (a Cox model has none). */
  design: DesignMatrix;
  /** Follow-up times, finite and non-negative. */
  time: Float64Array;
  /** 1 for an event, 0 for censored. */
  event: Float64Array;
  /** Default `'efron'`, as coxph. */
  ties?: CoxTies;
  /** 1-based data rows of the observations, for messages; default 1..n. */
  rowNumbers?: Int32Array;
  /** Level of the Wald confidence intervals; default 0.95. */
  confidenceLevel?: number;
  /** Newton-Raphson iteration limit, `coxph.control(iter.max = )`; default 20. */
  maxIterations?: number;
}

/** One row of the coefficient table; null where R reports NA (an aliased column). */
export interface CoxCoefficient {
  term: string;
  /** Log hazard ratio. */
  estimate: number | null;
  hazardRatio: number | null;
  se: number | null;
  /** Wald z = estimate / se. */
  statistic: number | null;
  pValue: number | null;
  /** Wald interval on the log-hazard scale, estimate ± z·se. */
  ciLower: number | null;
  ciUpper: number | null;
}

/** A chi-square test of all coefficients, as `summary(coxph)` reports it. */
export interface CoxTest {
  statistic: number;
  df: number;
  pValue: number;
}

/** Result of {@link fitCox}. */
export interface CoxResult {
  n: number;
  nEvents: number;
  ties: CoxTies;
  coefficients: CoxCoefficient[];
  /** Partial log-likelihood at the estimate (`fit$loglik[2]`). */
  logLikelihood: number;
  /** Partial log-likelihood at beta = 0 (`fit$loglik[1]`). */
  nullLogLikelihood: number;
  /** Newton-Raphson iterations, as `fit$iter` (iteration limit + 1 when it ran out). */
  iterations: number;
  converged: boolean;
  /** The warnings coxph gives, in coxph's words. */
  warnings: string[];
  waldTest: CoxTest;
  likelihoodRatioTest: CoxTest;
  /** Score (log-rank) test at beta = 0. */
  scoreTest: CoxTest;
}

/** coxph.control() defaults. */
const CONVERGENCE_EPS = 1e-9;
const DEFAULT_MAX_ITERATIONS = 20;
const CHOLESKY_TOLERANCE = Number.EPSILON ** 0.75;
const INFINITE_TOLERANCE = Math.sqrt(CONVERGENCE_EPS);

/**
 * The data of one fit, sorted by time, with centred and scaled covariates, and the scratch space of the
 * likelihood pass (allocated once, reused by every iteration).
 */
interface CoxWorkspace {
  observationCount: number;
  variableCount: number;
  /** Row-major sorted covariates: variable k of sorted row i at `covariates[i * variableCount + k]`. */
  covariates: Float64Array;
  status: Uint8Array;
  /** Start (in sorted order) of each run of equal times, plus a final entry equal to n. */
  tieStarts: Int32Array;
  tieCount: number;
  efron: boolean;
  score: Float64Array;
  information: Float64Array;
  riskSum: Float64Array;
  deathRiskSum: Float64Array;
  riskSquares: Float64Array;
  deathRiskSquares: Float64Array;
}

/**
 * Fits a Cox proportional-hazards model by Newton-Raphson, as `survival::coxph(Surv(time, event) ~ ...)`
 * with its defaults: ties `"efron"` (or `"breslow"`), `timefix = TRUE` ({@link aeqSurv}), covariates
 * centred and scaled unless they only take the values -1, 0, 1 (`nocenter`), start at beta = 0, step
 * halving when the log-likelihood falls, stop when `|1 - ll_old / ll_new| <= 1e-9` or after 20 iterations,
 * singular columns found by a generalised Cholesky with `toler.chol = eps^0.75`. The iteration is coxfit6's,
 * so estimates agree with R to about 1e-12 rather than to the convergence tolerance.
 *
 * Aliased (collinear) columns get null estimates, as R's NA. A likelihood that converges while a
 * coefficient still runs off to infinity (monotone likelihood) and a fit that runs out of iterations are
 * returned with `warnings` in coxph's words and `converged` set accordingly.
 *
 * Complexity: one O(n log n) sort, then O(n·p²) per iteration using running sums over the risk sets
 * (walking from the last time to the first), plus O(d·p²) for Efron's tied deaths; memory O(n·p).
 *
 * @throws ModelDataError for times that are negative or not finite, events other than 0/1, covariates that
 *   are not finite, or lengths that do not match, naming the row.
 * @throws ModelFitError when there are no rows, no events (coxph returns only NA), no covariates, or every
 *   column is aliased.
 * @throws InvalidArgumentError for a design with an intercept, an unknown `ties`, a confidence level
 *   outside (0, 1) or a negative iteration limit.
 * @example
 * const design = createDesignMatrix([{ name: 'x', values: [0, 1, 1, 1, 0, 0] }]);
 * const fit = fitCox({ design, time: Float64Array.of(9, 1, 1, 6, 6, 8), event: Float64Array.of(1, 1, 0, 1, 1, 0) });
 * fit.coefficients[0]?.estimate // 1.6768574855882 (Therneau and Grambsch's test1, Efron)
 */
export function fitCox(input: CoxInput): CoxResult {
  const { design, time, event, rowNumbers } = input;
  const ties = input.ties ?? 'efron';
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  const maxIterations = input.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (ties !== 'efron' && ties !== 'breslow') {
    throw new InvalidArgumentError(`cox requires ties "efron" or "breslow" (got ${JSON.stringify(ties)})`);
  }
  checkConfidenceLevel('cox', confidenceLevel);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new InvalidArgumentError(
      `cox requires a non-negative integer iteration limit (got ${maxIterations})`,
    );
  }
  if (design.hasIntercept) {
    throw new InvalidArgumentError(
      `cox requires a design matrix without an intercept column (got ${design.columnNames.join(', ')})`,
    );
  }
  checkSurvivalData('cox', time, event, rowNumbers);
  const observationCount = time.length;
  const variableCount = design.columnCount;
  if (design.rowCount !== observationCount) {
    throw new ModelDataError(
      `cox requires one design row per observation (got ${design.rowCount} rows for ${observationCount} observations)`,
    );
  }
  for (let j = 0; j < variableCount; j++) {
    for (let i = 0; i < observationCount; i++) {
      const value = design.values[j * observationCount + i] as number;
      if (!Number.isFinite(value)) {
        throw new ModelDataError(
          `cox requires finite covariates (got ${value} for ${design.columnNames[j]} in row ${rowNumberOf(rowNumbers, i)})`,
        );
      }
    }
  }
  let eventCount = 0;
  for (let i = 0; i < observationCount; i++) eventCount += event[i] as number;
  if (eventCount === 0) {
    throw new ModelFitError(`cox requires at least one event (got 0 events in ${observationCount} rows)`);
  }
  if (variableCount === 0) throw new ModelFitError('cox requires at least one covariate (got none)');

  const workspace = createWorkspace(design, aeqSurv(time), event, ties === 'efron');
  const { means, scales } = centreAndScale(workspace);
  const iteration = newtonRaphson(workspace, maxIterations);

  // Back to the original scale: beta_k = beta*_k · s_k, var_kl = var*_kl · s_k · s_l (coxfit6).
  const p = variableCount;
  const beta = new Float64Array(p);
  const variance = new Float64Array(p * p);
  const score = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const scaleI = scales[i] as number;
    beta[i] = (iteration.beta[i] as number) * scaleI;
    score[i] = (workspace.score[i] as number) / scaleI;
    variance[i * p + i] = (workspace.information[i * p + i] as number) * scaleI * scaleI;
    for (let j = 0; j < i; j++) {
      const value = (workspace.information[j * p + i] as number) * scaleI * (scales[j] as number);
      variance[j * p + i] = value;
      variance[i * p + j] = value;
    }
  }

  const warnings = convergenceWarnings(design, means, beta, variance, score, iteration.flag, maxIterations);
  // coxph.fit: when the final factor lost rank, columns whose variance is exactly 0 are aliased (NA).
  const aliased = new Uint8Array(p);
  if (maxIterations > 0 && iteration.flag < p) {
    for (let i = 0; i < p; i++) if (variance[i * p + i] === 0) aliased[i] = 1;
  }
  const estimable: number[] = [];
  for (let i = 0; i < p; i++) if (aliased[i] === 0) estimable.push(i);
  if (estimable.length === 0) {
    throw new ModelFitError(
      `cox requires at least one estimable coefficient (got ${p} aliased column${p === 1 ? '' : 's'}: ${design.columnNames.join(', ')})`,
    );
  }

  const z = qnorm(1 - (1 - confidenceLevel) / 2);
  const coefficients: CoxCoefficient[] = design.columnNames.map((term, i) => {
    if (aliased[i] === 1) {
      return {
        term,
        estimate: null,
        hazardRatio: null,
        se: null,
        statistic: null,
        pValue: null,
        ciLower: null,
        ciUpper: null,
      };
    }
    const estimate = beta[i] as number;
    const se = Math.sqrt(variance[i * p + i] as number);
    const statistic = estimate / se;
    return {
      term,
      estimate,
      hazardRatio: Math.exp(estimate),
      se: finiteOrNull(se),
      statistic: finiteOrNull(statistic),
      pValue: Number.isNaN(statistic) ? null : pchisq(statistic * statistic, 1, false),
      ciLower: finiteOrNull(estimate - z * se),
      ciUpper: finiteOrNull(estimate + z * se),
    };
  });

  const df = estimable.length;
  const waldStatistic = waldTest(variance, beta, p, estimable);
  const likelihoodRatio = -2 * (iteration.nullLogLikelihood - iteration.logLikelihood);
  return {
    n: observationCount,
    nEvents: eventCount,
    ties,
    coefficients,
    logLikelihood: iteration.logLikelihood,
    nullLogLikelihood: iteration.nullLogLikelihood,
    iterations: iteration.iterations,
    converged: iteration.flag !== NOT_CONVERGED,
    warnings,
    waldTest: chiSquareTest(waldStatistic, df),
    likelihoodRatioTest: chiSquareTest(likelihoodRatio, df),
    scoreTest: chiSquareTest(iteration.scoreStatistic, df),
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function chiSquareTest(statistic: number, df: number): CoxTest {
  return { statistic, df, pValue: pchisq(statistic, df, false) };
}

/** Sorts the data by time once and allocates the scratch space of the likelihood pass. */
function createWorkspace(
  design: DesignMatrix,
  time: Float64Array,
  event: Float64Array,
  efron: boolean,
): CoxWorkspace {
  const n = time.length;
  const p = design.columnCount;
  const order = orderByTime(time);
  const covariates = new Float64Array(n * p);
  const status = new Uint8Array(n);
  const tieStarts = new Int32Array(n + 1);
  let tieCount = 0;
  let previousTime = Number.NaN;
  for (let i = 0; i < n; i++) {
    const row = order[i] as number;
    status[i] = event[row] as number;
    for (let k = 0; k < p; k++) covariates[i * p + k] = design.values[k * n + row] as number;
    const value = time[row] as number;
    if (value !== previousTime) {
      tieStarts[tieCount++] = i;
      previousTime = value;
    }
  }
  tieStarts[tieCount] = n;
  return {
    observationCount: n,
    variableCount: p,
    covariates,
    status,
    tieStarts,
    tieCount,
    efron,
    score: new Float64Array(p),
    information: new Float64Array(p * p),
    riskSum: new Float64Array(p),
    deathRiskSum: new Float64Array(p),
    riskSquares: new Float64Array(p * p),
    deathRiskSquares: new Float64Array(p * p),
  };
}

/**
 * Centres each covariate on its mean and multiplies it by `n / Σ|x - mean|`, as coxfit6 does, except
 * columns whose values all lie in {-1, 0, 1} (coxph's `nocenter`), which are left alone.
 */
function centreAndScale(workspace: CoxWorkspace): { means: Float64Array; scales: Float64Array } {
  const { observationCount: n, variableCount: p, covariates } = workspace;
  const means = new Float64Array(p);
  const scales = new Float64Array(p).fill(1);
  for (let k = 0; k < p; k++) {
    let isIndicator = true;
    for (let i = 0; i < n; i++) {
      const value = covariates[i * p + k] as number;
      if (value !== 0 && value !== 1 && value !== -1) {
        isIndicator = false;
        break;
      }
    }
    if (isIndicator) continue;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += covariates[i * p + k] as number;
    const mean = sum / n;
    means[k] = mean;
    let absoluteSum = 0;
    for (let i = 0; i < n; i++) {
      const centred = (covariates[i * p + k] as number) - mean;
      covariates[i * p + k] = centred;
      absoluteSum += Math.abs(centred);
    }
    const scale = absoluteSum > 0 ? n / absoluteSum : 1;
    scales[k] = scale;
    for (let i = 0; i < n; i++) covariates[i * p + k] = (covariates[i * p + k] as number) * scale;
  }
  return { means, scales };
}

/**
 * One pass over the data at `beta` (coxfit6_iter): returns the partial log-likelihood and leaves the score
 * in `workspace.score` and the information matrix in the upper triangle of `workspace.information`
 * (`information[j][i]`, j <= i). Walks from the longest time to the shortest, so the risk-set sums
 * (Σ r, Σ r·x, Σ r·x·x') are running totals; tied deaths enter together (Breslow) or in d fractional
 * steps (Efron).
 */
function likelihoodPass(workspace: CoxWorkspace, beta: Float64Array): number {
  const { variableCount: p, covariates, status, tieStarts, tieCount, efron } = workspace;
  const { score, information, riskSum, deathRiskSum, riskSquares, deathRiskSquares } = workspace;
  score.fill(0);
  information.fill(0);
  riskSum.fill(0);
  deathRiskSum.fill(0);
  riskSquares.fill(0);
  deathRiskSquares.fill(0);
  let logLikelihood = 0;
  let denominator = 0;

  for (let tie = tieCount - 1; tie >= 0; tie--) {
    const start = tieStarts[tie] as number;
    const end = tieStarts[tie + 1] as number;
    let deaths = 0;
    let deathRisk = 0;
    for (let person = end - 1; person >= start; person--) {
      const offset = person * p;
      let linearPredictor = 0;
      for (let i = 0; i < p; i++) linearPredictor += (beta[i] as number) * (covariates[offset + i] as number);
      const risk = Math.exp(linearPredictor);
      if (status[person] === 0) {
        denominator += risk;
        for (let i = 0; i < p; i++) {
          const weighted = risk * (covariates[offset + i] as number);
          riskSum[i] = (riskSum[i] as number) + weighted;
          for (let j = 0; j <= i; j++) {
            riskSquares[i * p + j] =
              (riskSquares[i * p + j] as number) + weighted * (covariates[offset + j] as number);
          }
        }
      } else {
        deaths++;
        deathRisk += risk;
        logLikelihood += linearPredictor;
        for (let i = 0; i < p; i++) {
          const value = covariates[offset + i] as number;
          score[i] = (score[i] as number) + value;
          const weighted = risk * value;
          deathRiskSum[i] = (deathRiskSum[i] as number) + weighted;
          for (let j = 0; j <= i; j++) {
            deathRiskSquares[i * p + j] =
              (deathRiskSquares[i * p + j] as number) + weighted * (covariates[offset + j] as number);
          }
        }
      }
    }
    if (deaths === 0) continue;

    if (!efron || deaths === 1) {
      denominator += deathRisk;
      logLikelihood -= deaths * Math.log(denominator);
      for (let i = 0; i < p; i++) {
        riskSum[i] = (riskSum[i] as number) + (deathRiskSum[i] as number);
        const mean = (riskSum[i] as number) / denominator;
        score[i] = (score[i] as number) - deaths * mean;
        for (let j = 0; j <= i; j++) {
          riskSquares[i * p + j] =
            (riskSquares[i * p + j] as number) + (deathRiskSquares[i * p + j] as number);
          information[j * p + i] =
            (information[j * p + i] as number) +
            (deaths * ((riskSquares[i * p + j] as number) - mean * (riskSum[j] as number))) / denominator;
        }
      }
    } else {
      // Efron: the d tied deaths leave the risk set a fraction 1/d at a time.
      // With unit case weights the average death weight (wtave in coxfit6) is 1.
      for (let step = 0; step < deaths; step++) {
        denominator += deathRisk / deaths;
        logLikelihood -= Math.log(denominator);
        for (let i = 0; i < p; i++) {
          riskSum[i] = (riskSum[i] as number) + (deathRiskSum[i] as number) / deaths;
          const mean = (riskSum[i] as number) / denominator;
          score[i] = (score[i] as number) - mean;
          for (let j = 0; j <= i; j++) {
            riskSquares[i * p + j] =
              (riskSquares[i * p + j] as number) + (deathRiskSquares[i * p + j] as number) / deaths;
            information[j * p + i] =
              (information[j * p + i] as number) +
              ((riskSquares[i * p + j] as number) - mean * (riskSum[j] as number)) / denominator;
          }
        }
      }
    }
    deathRiskSum.fill(0);
    deathRiskSquares.fill(0);
  }
  return logLikelihood;
}

/** coxfit6's flag for a fit that ran out of iterations. */
const NOT_CONVERGED = 1000;

interface IterationResult {
  /** Estimates on the centred and scaled covariates. */
  beta: Float64Array;
  logLikelihood: number;
  nullLogLikelihood: number;
  scoreStatistic: number;
  iterations: number;
  /** Rank of the final factor (negated if not non-negative definite), -2 if it converged while halving, 1000 if it ran out. */
  flag: number;
}

/**
 * coxfit6's Newton-Raphson loop. Leaves the (scaled) variance matrix in the upper triangle of
 * `workspace.information` and the final score in `workspace.score`.
 */
function newtonRaphson(workspace: CoxWorkspace, maxIterations: number): IterationResult {
  const p = workspace.variableCount;
  const { score, information } = workspace;
  const beta = new Float64Array(p);
  const newBeta = new Float64Array(p);
  const step = new Float64Array(p);

  const nullLogLikelihood = likelihoodPass(workspace, beta);
  step.set(score);
  let flag = choleskyDecompose(information, p, CHOLESKY_TOLERANCE);
  choleskySolve(information, p, step);
  let scoreStatistic = 0;
  for (let i = 0; i < p; i++) scoreStatistic += (score[i] as number) * (step[i] as number);

  if (maxIterations === 0 || !Number.isFinite(nullLogLikelihood)) {
    choleskyInverse(information, p);
    return { beta, logLikelihood: nullLogLikelihood, nullLogLikelihood, scoreStatistic, iterations: 0, flag };
  }

  let bestLogLikelihood = nullLogLikelihood;
  for (let i = 0; i < p; i++) newBeta[i] = (beta[i] as number) + (step[i] as number);
  let halving = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const newLogLikelihood = likelihoodPass(workspace, newBeta);
    flag = choleskyDecompose(information, p, CHOLESKY_TOLERANCE);
    let notFinite = !Number.isFinite(newLogLikelihood);
    for (let i = 0; i < p && !notFinite; i++) {
      if (!Number.isFinite(score[i] as number)) notFinite = true;
      for (let j = 0; j < p; j++) if (!Number.isFinite(information[i * p + j] as number)) notFinite = true;
    }
    if (!notFinite && Math.abs(1 - bestLogLikelihood / newLogLikelihood) <= CONVERGENCE_EPS) {
      choleskyInverse(information, p);
      return {
        beta: newBeta,
        logLikelihood: newLogLikelihood,
        nullLogLikelihood,
        scoreStatistic,
        iterations: iteration,
        flag: halving > 0 ? -2 : flag,
      };
    }
    if (notFinite || newLogLikelihood < bestLogLikelihood) {
      // Not improving: step back towards the last good beta, more strongly each time.
      halving++;
      for (let i = 0; i < p; i++) {
        newBeta[i] = ((newBeta[i] as number) + halving * (beta[i] as number)) / (halving + 1);
      }
    } else {
      halving = 0;
      bestLogLikelihood = newLogLikelihood;
      choleskySolve(information, p, score);
      for (let i = 0; i < p; i++) {
        beta[i] = newBeta[i] as number;
        newBeta[i] = (newBeta[i] as number) + (score[i] as number);
      }
    }
  }

  // Ran out of iterations: coxfit6 recomputes the likelihood at the last good beta and inverts the
  // information matrix without factorising it first, so R reports var = diag(1 / I_kk); we do the same.
  let logLikelihood = bestLogLikelihood;
  if (maxIterations > 1) logLikelihood = likelihoodPass(workspace, beta);
  choleskyInverse(information, p);
  return {
    beta,
    logLikelihood,
    nullLogLikelihood,
    scoreStatistic,
    iterations: maxIterations + 1,
    flag: NOT_CONVERGED,
  };
}

/** The warnings coxph.fit gives about convergence and infinite coefficients. */
function convergenceWarnings(
  design: DesignMatrix,
  means: Float64Array,
  beta: Float64Array,
  variance: Float64Array,
  score: Float64Array,
  flag: number,
  maxIterations: number,
): string[] {
  if (maxIterations <= 1) return [];
  const p = beta.length;
  // infs = |u' V|: how far one more Newton step would move each coefficient.
  const steps = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let sum = 0;
    for (let j = 0; j < p; j++) sum += (score[j] as number) * (variance[j * p + k] as number);
    steps[k] = Math.abs(sum);
  }
  if (flag === NOT_CONVERGED) {
    const warnings = ['Ran out of iterations and did not converge'];
    const n = design.rowCount;
    let largestPredictor = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      let predictor = 0;
      for (let k = 0; k < p; k++) {
        predictor += ((design.values[k * n + i] as number) - (means[k] as number)) * (beta[k] as number);
      }
      if (predictor > largestPredictor) largestPredictor = predictor;
    }
    if (largestPredictor > 500 || steps.some((value) => !Number.isFinite(value))) {
      warnings.push('one or more coefficients may be infinite');
    }
    return warnings;
  }
  const infinite: number[] = [];
  for (let k = 0; k < p; k++) {
    const step = steps[k] as number;
    if (
      !Number.isFinite(score[k] as number) ||
      (step > CONVERGENCE_EPS && step > INFINITE_TOLERANCE * Math.abs(beta[k] as number))
    ) {
      infinite.push(k + 1);
    }
  }
  if (infinite.length === 0) return [];
  return [`Loglik converged before variable ${infinite.join(',')}; coefficient may be infinite.`];
}

/**
 * The Wald statistic b' V⁻¹ b over the estimable coefficients, as coxph.wtest (a generalised Cholesky
 * solve, so a singular V does not fail).
 */
function waldTest(
  variance: Float64Array,
  beta: Float64Array,
  p: number,
  estimable: readonly number[],
): number {
  const size = estimable.length;
  if (size === 1) {
    const index = estimable[0] as number;
    const value = beta[index] as number;
    return (value * value) / (variance[index * p + index] as number);
  }
  const matrix = new Float64Array(size * size);
  const solution = new Float64Array(size);
  for (let r = 0; r < size; r++) {
    const row = estimable[r] as number;
    solution[r] = beta[row] as number;
    for (let c = 0; c < size; c++)
      matrix[r * size + c] = variance[row * p + (estimable[c] as number)] as number;
  }
  choleskyDecompose(matrix, size, CHOLESKY_TOLERANCE);
  choleskySolve(matrix, size, solution);
  let statistic = 0;
  for (let r = 0; r < size; r++)
    statistic += (beta[estimable[r] as number] as number) * (solution[r] as number);
  return statistic;
}
