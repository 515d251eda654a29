import { pnorm, pt, qnorm, qt } from '../distributions/index.ts';
import { InvalidArgumentError, ModelDataError, ModelFitError } from '../errors.ts';
import type { DesignMatrix } from './design-matrix.ts';
import { GLM_LINKS, type GlmFamilyName, getGlmFamily, type LinkName } from './glm-family.ts';
import { fitGlmIrls, type GlmIrlsFit } from './glm-irls.ts';
import { fitNegativeBinomial } from './negative-binomial.ts';
import { glmSandwichCovariance, type RobustType } from './robust-covariance.ts';

export type { GlmFamilyName, LinkName } from './glm-family.ts';
export type { RobustType } from './robust-covariance.ts';

/** Input of {@link fitGlm}: a design matrix (after na.omit) and a numeric response. */
export interface GlmInput {
  design: DesignMatrix;
  /** Already numeric (a two-level factor response was converted to 0/1 by the caller). */
  response: Float64Array;
  family: GlmFamilyName;
  /** Default: R's default link for the family (negbin: log). */
  link?: LinkName;
  /** Replaces se/statistic/p/CI by sandwich SEs with normal reference. */
  robust?: RobustType;
  /** 1-based data row of each response element, for error messages. */
  rowNumbers?: Int32Array;
  /** Default 0.95. */
  confidenceLevel?: number;
  /** Also return the coefficients' covariance matrix (`vcov(fit)`, or the sandwich one with `robust`). */
  covariance?: boolean;
}

/**
 * The covariance matrix of the estimable (non-aliased) coefficients, as R's `vcov(fit)` (dispersion x
 * `summary(fit)$cov.unscaled`) or, with `robust`, `sandwich::vcovHC(fit, type)`; aliased columns are left
 * out (R puts NA in their rows and columns).
 */
export interface GlmCovariance {
  /** Term of each row/column, in design order. */
  terms: string[];
  /** k x k, symmetric: element (i, j) is `values[i * k + j]`. */
  values: Float64Array;
}

/** One row of the coefficient table; all numbers null for an aliased column (NA in R). */
export interface GlmCoefficient {
  term: string;
  estimate: number | null;
  se: number | null;
  statistic: number | null;
  pValue: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

/** A fitted GLM with the statistics of `summary.glm` (or `summary.negbin`). */
export interface GlmResult {
  n: number;
  family: GlmFamilyName;
  link: LinkName;
  /** Every design column in design order; aliased ones all null. */
  coefficients: GlmCoefficient[];
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  /** `fit$aic`; Infinity for a Poisson fit with non-integer counts, as in R. */
  aic: number;
  /** `logLik(fit)`; -Infinity when `aic` is Infinity. */
  logLikelihood: number;
  /** 1 for binomial, poisson, negbin; the Pearson estimate for gaussian and Gamma. */
  dispersion: number;
  /** `fit$iter` (for negbin: of the last glm.fit alternation, as R reports). */
  iterations: number;
  converged: boolean;
  /** R's warning messages, in order of first occurrence, without duplicates. */
  warnings: string[];
  theta?: number;
  thetaSe?: number;
  robust?: RobustType;
  /** Present when the input asked for `covariance`. */
  covariance?: GlmCovariance;
}

function rowLabel(rowNumbers: Int32Array | undefined, index: number): number {
  return rowNumbers?.[index] ?? index + 1;
}

function validateInput(input: GlmInput): void {
  const { design, response, family, rowNumbers } = input;
  if (!Object.hasOwn(GLM_LINKS, family)) {
    throw new InvalidArgumentError(
      `glm requires a family among ${Object.keys(GLM_LINKS).join(', ')} (got ${String(family)})`,
    );
  }
  if (input.confidenceLevel !== undefined && !(input.confidenceLevel > 0 && input.confidenceLevel < 1)) {
    throw new InvalidArgumentError(
      `glm requires a confidence level between 0 and 1 (got ${input.confidenceLevel})`,
    );
  }
  if (input.robust !== undefined && !['HC0', 'HC1', 'HC3'].includes(input.robust)) {
    throw new InvalidArgumentError(`glm requires robust type HC0, HC1 or HC3 (got ${String(input.robust)})`);
  }
  const n = design.rowCount;
  if (response.length !== n) {
    throw new ModelDataError(
      `glm requires one response value per design row (got ${response.length} responses for ${n} rows)`,
    );
  }
  if (rowNumbers !== undefined && rowNumbers.length !== n) {
    throw new InvalidArgumentError(
      `glm requires one row number per design row (got ${rowNumbers.length} row numbers for ${n} rows)`,
    );
  }
  if (n === 0) throw new ModelDataError('glm requires at least one complete row (got 0)');
  if (design.columnCount === 0) {
    throw new ModelFitError('glm requires at least one model column (got an empty design matrix)');
  }
  for (let j = 0; j < design.columnCount; j++) {
    const base = j * n;
    for (let i = 0; i < n; i++) {
      const value = design.values[base + i] as number;
      if (!Number.isFinite(value)) {
        throw new ModelDataError(
          `glm requires finite covariate values (got ${value} in row ${rowLabel(rowNumbers, i)}, column ${design.columnNames[j]})`,
        );
      }
    }
  }
  const link = input.link ?? GLM_LINKS[family][0];
  for (let i = 0; i < n; i++) {
    const value = response[i] as number;
    const row = rowLabel(rowNumbers, i);
    if (!Number.isFinite(value)) {
      throw new ModelDataError(`glm requires a finite response (got ${value} in row ${row})`);
    }
    switch (family) {
      case 'binomial':
        if (value !== 0 && value !== 1) {
          throw new ModelDataError(
            `glm requires a 0/1 response for family binomial (got ${value} in row ${row})`,
          );
        }
        break;
      case 'poisson':
      case 'negbin':
        if (value < 0) {
          throw new ModelDataError(
            `glm requires a non-negative response for family ${family} (got ${value} in row ${row})`,
          );
        }
        break;
      case 'Gamma':
        if (value <= 0) {
          throw new ModelDataError(
            `glm requires a positive response for family Gamma (got ${value} in row ${row})`,
          );
        }
        break;
      case 'gaussian':
        // gaussian()'s initialize: mustart = y cannot start a log link at y <= 0 or an inverse link at y = 0.
        if (link === 'log' && value <= 0) {
          throw new ModelDataError(
            `glm requires a positive response for family gaussian with link log (got ${value} in row ${row})`,
          );
        }
        if (link === 'inverse' && value === 0) {
          throw new ModelDataError(
            `glm requires a non-zero response for family gaussian with link inverse (got ${value} in row ${row})`,
          );
        }
        break;
    }
  }
}

/**
 * Fits a generalised linear model as R's `glm(formula, family = family(link), data)` (IRLS exactly as
 * `glm.fit`, see `fitGlmIrls`) or, for `negbin`, `MASS::glm.nb(formula)`, and summarises it as
 * `summary.glm`: Wald z tests for binomial, poisson and negbin (dispersion 1), t tests on the residual degrees
 * of freedom with the Pearson dispersion for gaussian and Gamma. CIs are estimate -+ q se on the link scale
 * with q from the same reference distribution (as `confint.default` for z, `confint.lm` for t). With `robust`,
 * SEs are `sqrt(diag(sandwich::vcovHC(fit, type = robust)))` and statistics, p-values and CIs use the normal
 * distribution (as `lmtest::coeftest(fit, vcov = vcovHC)`). Aliased columns (collinear within glm.fit's QR
 * tolerance 1e-11) get null numbers, as R's NA. O(iterations n p^2); for n = 1e6, p = 11 it allocates about
 * three copies of the design matrix.
 * @throws ModelDataError for a response the family cannot take (binomial outside 0/1, negative counts,
 * non-positive Gamma values, non-finite values, length mismatch, no rows); ModelFitError when the model cannot
 * be fitted (no valid start, divergence, nothing estimable, no residual degrees of freedom for an estimated
 * dispersion); InvalidArgumentError for an unknown family/link/robust type or a confidence level outside (0, 1).
 * @example
 * const design = createDesignMatrix([
 *   { name: '(Intercept)', values: [1, 1, 1, 1, 1, 1] },
 *   { name: 'x', values: [0, 0, 0, 1, 1, 1] },
 * ]);
 * const fit = fitGlm({ design, response: Float64Array.of(0, 0, 1, 0, 1, 1), family: 'binomial' });
 * fit.coefficients[1].estimate; // log(4) = 1.3862943611198906 (odds 2 vs 1/2)
 */
export function fitGlm(input: GlmInput): GlmResult {
  validateInput(input);
  const { design, response, family: familyName, rowNumbers } = input;
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  const n = design.rowCount;
  let fit: GlmIrlsFit;
  let warnings: string[];
  let aic: number;
  let logLikelihood: number;
  let link: LinkName;
  let negativeBinomial: { theta: number; thetaSe: number } | undefined;
  if (familyName === 'negbin') {
    if (input.link !== undefined && input.link !== 'log') {
      throw new InvalidArgumentError(`glm requires a link among log for family negbin (got ${input.link})`);
    }
    const nb = fitNegativeBinomial(design, response);
    fit = nb.fit;
    warnings = nb.warnings;
    aic = nb.aic;
    logLikelihood = nb.twiceLogLikelihood / 2;
    link = 'log';
    negativeBinomial = { theta: nb.theta, thetaSe: nb.thetaSe };
  } else {
    const family = getGlmFamily(familyName, input.link);
    link = family.link;
    fit = fitGlmIrls(design, response, family);
    warnings = fit.warnings;
    aic = fit.aic;
    // logLik.glm: df = rank (+1 where the dispersion is a parameter), logLik = df - aic / 2
    logLikelihood = fit.rank + (family.dispersionEstimated ? 1 : 0) - aic / 2;
  }
  if (fit.rank === 0) {
    throw new ModelFitError(
      'glm requires at least one estimable coefficient (got rank 0: every column is zero)',
    );
  }
  const dispersionEstimated = familyName === 'gaussian' || familyName === 'Gamma';
  let dispersion = 1;
  if (dispersionEstimated) {
    if (fit.dfResidual <= 0) {
      throw new ModelFitError(
        `glm requires more observations than coefficients to estimate the dispersion for family ${familyName} (got ${n} observations, rank ${fit.rank})`,
      );
    }
    // summary.glm: Pearson sum(w * r^2) / df.residual over observations with positive working weight
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const weight = fit.workingWeights[i] as number;
      if (weight > 0)
        sum += weight * ((fit.workingResiduals[i] as number) * (fit.workingResiduals[i] as number));
    }
    dispersion = sum / fit.dfResidual;
  }

  // Standard errors of the non-aliased columns, which keep design order under R's limited pivoting.
  const standardErrors = new Float64Array(design.columnCount).fill(Number.NaN);
  let covariance: GlmCovariance | undefined;
  if (input.robust === undefined) {
    const unscaled = fit.unscaledCovariance;
    const rank = fit.rank;
    // Under glm.fit's limited pivoting the estimable columns keep design order, as does `unscaled`.
    const estimable = design.columnNames.flatMap((_, column) => (fit.aliased[column] ? [] : [column]));
    estimable.forEach((column, position) => {
      standardErrors[column] = Math.sqrt(dispersion * (unscaled[position * rank + position] as number));
    });
    if (input.covariance === true) {
      covariance = {
        terms: estimable.map((column) => design.columnNames[column] as string),
        values: unscaled.map((value) => dispersion * value),
      };
    }
  } else {
    const sandwich = glmSandwichCovariance({ ...fit, design, family: familyName, rowNumbers }, input.robust);
    const k = sandwich.columns.length;
    sandwich.columns.forEach((column, position) => {
      standardErrors[column] = Math.sqrt(sandwich.covariance[position * k + position] as number);
    });
    warnings = [...warnings, ...sandwich.warnings.filter((message) => !warnings.includes(message))];
    if (input.covariance === true) {
      covariance = {
        terms: sandwich.columns.map((column) => design.columnNames[column] as string),
        values: Float64Array.from(sandwich.covariance),
      };
    }
  }

  const useT = dispersionEstimated && input.robust === undefined;
  const upper = 1 - (1 - confidenceLevel) / 2;
  const quantile = useT ? qt(upper, fit.dfResidual) : qnorm(upper);
  const coefficients: GlmCoefficient[] = design.columnNames.map((term, j) => {
    if (fit.aliased[j]) {
      return { term, estimate: null, se: null, statistic: null, pValue: null, ciLower: null, ciUpper: null };
    }
    const estimate = fit.coefficients[j] as number;
    const se = standardErrors[j] as number;
    const statistic = estimate / se;
    const pValue = useT ? 2 * pt(-Math.abs(statistic), fit.dfResidual) : 2 * pnorm(-Math.abs(statistic));
    return {
      term,
      estimate: checkNumber(estimate, `the estimate of ${term}`),
      se: checkNumber(se, `the standard error of ${term}`),
      statistic: checkNumber(statistic, `the statistic of ${term}`),
      pValue: checkNumber(pValue, `the p-value of ${term}`),
      ciLower: checkNumber(estimate - quantile * se, `the confidence interval of ${term}`),
      ciUpper: checkNumber(estimate + quantile * se, `the confidence interval of ${term}`),
    };
  });

  const result: GlmResult = {
    n,
    family: familyName,
    link,
    coefficients,
    deviance: checkNumber(fit.deviance, 'the deviance'),
    nullDeviance: checkNumber(fit.nullDeviance, 'the null deviance'),
    dfResidual: fit.dfResidual,
    dfNull: fit.dfNull,
    aic: checkNumber(aic, 'the AIC'),
    logLikelihood: checkNumber(logLikelihood, 'the log-likelihood'),
    dispersion: checkNumber(dispersion, 'the dispersion'),
    iterations: fit.iterations,
    converged: fit.converged,
    warnings,
  };
  if (negativeBinomial !== undefined) {
    result.theta = checkNumber(negativeBinomial.theta, 'theta');
    result.thetaSe = checkNumber(negativeBinomial.thetaSe, 'the standard error of theta');
  }
  if (input.robust !== undefined) result.robust = input.robust;
  if (covariance !== undefined) result.covariance = covariance;
  return result;
}

/** Guards the never-NaN contract: a NaN anywhere in the result means the model could not be fitted. */
function checkNumber(value: number, what: string): number {
  if (Number.isNaN(value)) throw new ModelFitError(`glm could not be fitted: ${what} is not a number`);
  return value;
}
