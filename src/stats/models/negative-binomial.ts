import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import trigamma from '@stdlib/math-base-special-trigamma';
import { ModelFitError } from '../errors.ts';
import type { DesignMatrix } from './design-matrix.ts';
import { compensatedSum, type GlmFamily, getGlmFamily } from './glm-family.ts';
import { fitGlmIrls, type GlmIrlsFit } from './glm-irls.ts';

/** Result of {@link thetaMl}. */
export interface ThetaEstimate {
  readonly theta: number;
  /** sqrt(1 / observed information) at the last Newton step, as `attr(theta, "SE")`. */
  readonly se: number;
  readonly iterations: number;
  /** theta.ml's warnings ("iteration limit reached", "estimate truncated at zero"). */
  readonly warnings: string[];
}

/** `.Machine$double.eps^0.25`, theta.ml's tolerance on the Newton step. */
const THETA_EPSILON = Number.EPSILON ** 0.25;

/**
 * Maximum-likelihood estimate of the negative binomial theta for fixed means, as `MASS::theta.ml(y, mu,
 * limit = limit)` with unit weights: Newton steps on the score from the moment start n / sum((y/mu - 1)^2),
 * stopping when |step| <= eps^0.25 or after limit - 1 steps. O(n) per step.
 * @example thetaMl(Float64Array.of(0, 2, 5, 1, 9), Float64Array.of(3.4, 3.4, 3.4, 3.4, 3.4)).theta // 1.1934947661661903
 */
export function thetaMl(y: Float64Array, mu: Float64Array, limit = 25): ThetaEstimate {
  const n = y.length;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ratio = (y[i] as number) / (mu[i] as number) - 1;
    terms[i] = ratio * ratio;
  }
  let theta = n / compensatedSum(terms, n);
  let iterations = 0;
  let step = 1;
  let information = Number.NaN;
  const warnings: string[] = [];
  while (++iterations < limit && Math.abs(step) > THETA_EPSILON) {
    theta = Math.abs(theta);
    const digammaTheta = digamma(theta);
    const trigammaTheta = trigamma(theta);
    const logTheta = Math.log(theta);
    const scores = terms;
    for (let i = 0; i < n; i++) {
      const count = y[i] as number;
      const mean = mu[i] as number;
      scores[i] =
        digamma(theta + count) -
        digammaTheta +
        logTheta +
        1 -
        Math.log(theta + mean) -
        (count + theta) / (mean + theta);
    }
    const score = compensatedSum(scores, n);
    for (let i = 0; i < n; i++) {
      const count = y[i] as number;
      const mean = mu[i] as number;
      const shifted = mean + theta;
      scores[i] =
        -trigamma(theta + count) +
        trigammaTheta -
        1 / theta +
        2 / shifted -
        (count + theta) / (shifted * shifted);
    }
    information = compensatedSum(scores, n);
    step = score / information;
    theta += step;
  }
  if (theta < 0) {
    theta = 0;
    warnings.push('estimate truncated at zero');
  }
  if (iterations === limit) warnings.push('iteration limit reached');
  return { theta, se: Math.sqrt(1 / information), iterations, warnings };
}

/**
 * The negative binomial log-likelihood MASS's glm.nb maximises: sum(lgamma(theta + y) - lgamma(theta) -
 * lgamma(y + 1) + theta log(theta) + y log(mu + (y == 0)) - (theta + y) log(theta + mu)).
 * @example negativeBinomialLogLikelihood(Float64Array.of(0, 3), Float64Array.of(1, 2), 2) // -2.8903717578961645
 */
export function negativeBinomialLogLikelihood(y: Float64Array, mu: Float64Array, theta: number): number {
  const n = y.length;
  const terms = new Float64Array(n);
  const logGammaTheta = gammaln(theta);
  const thetaLogTheta = theta * Math.log(theta);
  for (let i = 0; i < n; i++) {
    const count = y[i] as number;
    const mean = mu[i] as number;
    terms[i] =
      gammaln(theta + count) -
      logGammaTheta -
      gammaln(count + 1) +
      thetaLogTheta +
      count * Math.log(mean + (count === 0 ? 1 : 0)) -
      (theta + count) * Math.log(theta + mean);
  }
  return compensatedSum(terms, n);
}

/** Result of {@link fitNegativeBinomial}. */
export interface NegativeBinomialFit {
  /** The last `glm.fit` with `negative.binomial(theta)` (theta from the previous alternation, as in MASS). */
  readonly fit: GlmIrlsFit;
  readonly family: GlmFamily;
  readonly theta: number;
  readonly thetaSe: number;
  /** 2 x log-likelihood at the final theta and mu (`fit$twologlik`). */
  readonly twiceLogLikelihood: number;
  /** -2 log-likelihood + 2 rank + 2 (`fit$aic`). */
  readonly aic: number;
  /** Number of theta/glm alternations. */
  readonly alternations: number;
  /** R's warnings from every stage, in order of first occurrence, without duplicates. */
  readonly warnings: string[];
}

/**
 * Negative binomial regression with log link as `MASS::glm.nb(formula)` with default control: a Poisson
 * `glm.fit`, `theta.ml` on its means, then alternation of `glm.fit` with `negative.binomial(theta)` (started
 * at eta = log(mu)) and `theta.ml` until |Lm0 - Lm| / sqrt(2 max(1, df.residual)) + |delta theta| <= 1e-8 or 25
 * alternations. As in MASS, theta.ml is called with the means from *before* each refit, and the reported fit
 * (coefficients, SEs, deviance) is the last refit, made with the theta of the previous alternation.
 * @throws ModelFitError when an inner fit fails or theta is not a positive finite number.
 * @example
 * // quine: glm.nb(Days ~ Sex/(Age + Eth*Lrn)) gives theta 1.59799073315639 (reference/glm.R)
 * fitNegativeBinomial(design, days).theta;
 */
export function fitNegativeBinomial(
  design: DesignMatrix,
  y: Float64Array,
  options: { maxIterations?: number; epsilon?: number } = {},
): NegativeBinomialFit {
  const maxIterations = options.maxIterations ?? 25;
  const epsilon = options.epsilon ?? 1e-8;
  const warnings: string[] = [];
  const collect = (messages: readonly string[]): void => {
    for (const message of messages) if (!warnings.includes(message)) warnings.push(message);
  };
  const initial = fitGlmIrls(design, y, getGlmFamily('poisson', 'log'), { maxIterations, epsilon });
  collect(initial.warnings);
  let mu = initial.mu;
  let estimate = thetaMl(y, mu, maxIterations);
  collect(estimate.warnings);
  let theta = checkTheta(estimate.theta);
  let family = getGlmFamily('negbin', 'log', theta);
  const d1 = Math.sqrt(2 * Math.max(1, initial.dfResidual));
  const d2 = 1;
  let delta = 1;
  let logLikelihood = negativeBinomialLogLikelihood(y, mu, theta);
  let logLikelihoodOld = logLikelihood + 2 * d1;
  let fit = initial;
  let fitFamily = family;
  let alternations = 0;
  const eta = new Float64Array(y.length);
  while (
    ++alternations <= maxIterations &&
    Math.abs(logLikelihoodOld - logLikelihood) / d1 + Math.abs(delta) / d2 > epsilon
  ) {
    for (let i = 0; i < eta.length; i++) eta[i] = family.linkfun(mu[i] as number);
    fit = fitGlmIrls(design, y, family, { etaStart: eta, maxIterations, epsilon });
    fitFamily = family;
    collect(fit.warnings);
    const thetaOld = theta;
    estimate = thetaMl(y, mu, maxIterations);
    collect(estimate.warnings);
    theta = checkTheta(estimate.theta);
    family = getGlmFamily('negbin', 'log', theta);
    mu = fit.mu;
    delta = thetaOld - theta;
    logLikelihoodOld = logLikelihood;
    logLikelihood = negativeBinomialLogLikelihood(y, mu, theta);
  }
  if (alternations > maxIterations) collect(['alternation limit reached']);
  const twiceLogLikelihood = 2 * logLikelihood;
  return {
    fit,
    family: fitFamily,
    theta,
    thetaSe: estimate.se,
    twiceLogLikelihood,
    aic: -twiceLogLikelihood + 2 * fit.rank + 2,
    alternations,
    warnings,
  };
}

function checkTheta(theta: number): number {
  if (!(theta > 0) || !Number.isFinite(theta)) {
    throw new ModelFitError(
      `glm.nb requires a positive finite theta estimate (got ${theta}); the counts may not be overdispersed`,
    );
  }
  return theta;
}
