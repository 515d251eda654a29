import gammaln from '@stdlib/math-base-special-gammaln';
import { pnorm, qnorm } from '../distributions/index.ts';
import { InvalidArgumentError } from '../errors.ts';

/** The GLM families enrich fits; `negbin` is MASS's negative binomial with estimated theta. */
export type GlmFamilyName = 'gaussian' | 'binomial' | 'poisson' | 'Gamma' | 'negbin';
/** Link functions, named as in R's `make.link`. */
export type LinkName = 'identity' | 'logit' | 'probit' | 'cloglog' | 'log' | 'inverse' | 'sqrt';

/**
 * A GLM family with its link, as R's `family` objects (`binomial(link = "probit")`, MASS's
 * `negative.binomial(theta)`). The vector methods write into caller-provided arrays so the IRLS loop
 * allocates nothing; each mirrors the R function named in its comment, floating-point operation by operation.
 */
export interface GlmFamily {
  readonly name: GlmFamilyName;
  readonly link: LinkName;
  /** Negative binomial theta; undefined for the other families. */
  readonly theta: number | undefined;
  /** Whether `summary.glm` estimates the dispersion (gaussian, Gamma) rather than fixing it at 1. */
  readonly dispersionEstimated: boolean;
  /** `family$linkfun` for one value. */
  linkfun(mu: number): number;
  /** `family$linkinv` for one value. */
  linkinv(eta: number): number;
  /** `family$mu.eta` for one value. */
  muEta(eta: number): number;
  /** `family$variance` for one value. */
  variance(mu: number): number;
  /** One term of `family$dev.resids(y, mu, wt = 1)`. */
  devianceResidual(y: number, mu: number): number;
  /** `mu[i] = linkinv(eta[i])` for i < length. */
  linkinvInto(eta: Float64Array, mu: Float64Array, length: number): void;
  /** `out[i] = mu.eta(eta[i])` for i < length. */
  muEtaInto(eta: Float64Array, out: Float64Array, length: number): void;
  /** `out[i] = variance(mu[i])` for i < length. */
  varianceInto(mu: Float64Array, out: Float64Array, length: number): void;
  /** `sum(dev.resids(y, mu, 1))`, summed with compensation (R sums in long double). */
  deviance(y: Float64Array, mu: Float64Array, length: number): number;
  /** `sum(dev.resids(y, mu, 1))` for one common fitted value (the null deviance). */
  devianceAt(y: Float64Array, mu: number, length: number): number;
  /**
   * One IRLS pass's working weights and working response in a single sweep over the rows: glm.fit's
   * `w^2 = mu.eta(eta)^2 / variance(mu)` (R's `weights(fit, "working")`, before its square root is taken)
   * and `z = eta + (y - mu) / mu.eta(eta)`. Returns false (arrays partly written) at the first row with a
   * zero or NaN variance or mu.eta, where glm.fit stops or drops rows: only its QR path handles those.
   */
  workingWeightsInto(
    y: Float64Array,
    eta: Float64Array,
    mu: Float64Array,
    workingWeights: Float64Array,
    workingResponse: Float64Array,
    length: number,
  ): boolean;
  /**
   * `mu[i] = linkinv(eta[i])` and `sum(dev.resids(y, mu, 1))` in one sweep; bit for bit `linkinvInto`
   * followed by `deviance`.
   */
  linkinvAndDeviance(y: Float64Array, eta: Float64Array, mu: Float64Array, length: number): number;
  /** `family$aic(y, n, mu, wt = 1, dev)`: -2 log-likelihood (+2 for Gamma), without the 2 * rank term. */
  aic(y: Float64Array, mu: Float64Array, length: number, deviance: number): number;
  /** `family$validmu(mu)`. */
  validMu(mu: Float64Array, length: number): boolean;
  /** `family$valideta(eta)`. */
  validEta(eta: Float64Array, length: number): boolean;
  /** `mustart` as `family$initialize` sets it with unit weights. */
  initialize(y: Float64Array, mustart: Float64Array, length: number): void;
}

/** The links R accepts for each family (`binomial()`, `poisson()`, ...), the default first. */
export const GLM_LINKS: Readonly<Record<GlmFamilyName, readonly LinkName[]>> = {
  gaussian: ['identity', 'log', 'inverse'],
  binomial: ['logit', 'probit', 'cloglog'],
  poisson: ['log', 'identity', 'sqrt'],
  Gamma: ['inverse', 'log', 'identity'],
  negbin: ['log'],
};

/**
 * R's default link for a family: `binomial()` logit, `poisson()` log, `Gamma()` inverse, `gaussian()`
 * identity, `MASS::glm.nb` log.
 * @example defaultLink('Gamma') // 'inverse'
 */
export function defaultLink(family: GlmFamilyName): LinkName {
  return GLM_LINKS[family][0] as LinkName;
}

const EPSILON = Number.EPSILON;
const LOGIT_THRESHOLD = 30;
const INVERSE_EPSILON = 1 / EPSILON;
/** -qnorm(.Machine$double.eps): R's probit linkinv clamps eta to +-this. */
const PROBIT_THRESHOLD = 8.125890664701906;
const INVERSE_SQRT_TWO_PI = 0.3989422804014327;
/** Beyond this |x| the normal density underflows to 0 (R's dnorm bound). */
const DNORM_UNDERFLOW = Math.sqrt(-2 * Math.LN2 * (-1021 + 1 - 53));

/** Standard normal density as R's `dnorm(x)`, splitting large x so exp(-x^2/2) keeps full precision. */
function dnorm(value: number): number {
  const x = Math.abs(value);
  if (x < 5) return INVERSE_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
  if (x > DNORM_UNDERFLOW) return 0;
  const head = Math.round(x * 65536) / 65536;
  const tail = x - head;
  return INVERSE_SQRT_TWO_PI * (Math.exp(-0.5 * head * head) * Math.exp((-0.5 * tail - head) * tail));
}

interface Link {
  linkfun(mu: number): number;
  linkinv(eta: number): number;
  muEta(eta: number): number;
  linkinvInto(eta: Float64Array, mu: Float64Array, length: number): void;
  muEtaInto(eta: Float64Array, out: Float64Array, length: number): void;
  validEta(eta: Float64Array, length: number): boolean;
}

function alwaysValid(): boolean {
  return true;
}

// The links of R's make.link and family.c, vectorised by hand so each loop stays monomorphic.
const LINKS: Readonly<Record<LinkName, Link>> = {
  identity: {
    linkfun: (mu) => mu,
    linkinv: (eta) => eta,
    muEta: () => 1,
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) mu[i] = eta[i] as number;
    },
    muEtaInto(_eta, out, length) {
      out.fill(1, 0, length);
    },
    validEta: alwaysValid,
  },
  logit: {
    linkfun: (mu) => Math.log(mu / (1 - mu)),
    linkinv: logitLinkinv,
    muEta: logitMuEta,
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) mu[i] = logitLinkinv(eta[i] as number);
    },
    muEtaInto(eta, out, length) {
      for (let i = 0; i < length; i++) out[i] = logitMuEta(eta[i] as number);
    },
    validEta: alwaysValid,
  },
  probit: {
    linkfun: (mu) => qnorm(mu),
    linkinv: probitLinkinv,
    muEta: probitMuEta,
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) mu[i] = probitLinkinv(eta[i] as number);
    },
    muEtaInto(eta, out, length) {
      for (let i = 0; i < length; i++) out[i] = probitMuEta(eta[i] as number);
    },
    validEta: alwaysValid,
  },
  cloglog: {
    linkfun: (mu) => Math.log(-Math.log(1 - mu)),
    linkinv: cloglogLinkinv,
    muEta: cloglogMuEta,
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) mu[i] = cloglogLinkinv(eta[i] as number);
    },
    muEtaInto(eta, out, length) {
      for (let i = 0; i < length; i++) out[i] = cloglogMuEta(eta[i] as number);
    },
    validEta: alwaysValid,
  },
  log: {
    linkfun: (mu) => Math.log(mu),
    linkinv: logLinkinv,
    muEta: logLinkinv,
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) mu[i] = logLinkinv(eta[i] as number);
    },
    muEtaInto(eta, out, length) {
      for (let i = 0; i < length; i++) out[i] = logLinkinv(eta[i] as number);
    },
    validEta: alwaysValid,
  },
  inverse: {
    linkfun: (mu) => 1 / mu,
    linkinv: (eta) => 1 / eta,
    muEta: (eta) => -1 / (eta * eta),
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) mu[i] = 1 / (eta[i] as number);
    },
    muEtaInto(eta, out, length) {
      for (let i = 0; i < length; i++) {
        const value = eta[i] as number;
        out[i] = -1 / (value * value);
      }
    },
    validEta(eta, length) {
      for (let i = 0; i < length; i++) {
        const value = eta[i] as number;
        if (!Number.isFinite(value) || value === 0) return false;
      }
      return true;
    },
  },
  sqrt: {
    linkfun: (mu) => Math.sqrt(mu),
    linkinv: (eta) => eta * eta,
    muEta: (eta) => 2 * eta,
    linkinvInto(eta, mu, length) {
      for (let i = 0; i < length; i++) {
        const value = eta[i] as number;
        mu[i] = value * value;
      }
    },
    muEtaInto(eta, out, length) {
      for (let i = 0; i < length; i++) out[i] = 2 * (eta[i] as number);
    },
    validEta(eta, length) {
      for (let i = 0; i < length; i++) {
        const value = eta[i] as number;
        if (!(Number.isFinite(value) && value > 0)) return false;
      }
      return true;
    },
  },
};

/** R's C_logit_linkinv: exp(eta) / (1 + exp(eta)) with exp(eta) clamped to [eps, 1/eps] beyond |eta| > 30. */
function logitLinkinv(eta: number): number {
  const odds = eta < -LOGIT_THRESHOLD ? EPSILON : eta > LOGIT_THRESHOLD ? INVERSE_EPSILON : Math.exp(eta);
  return odds / (1 + odds);
}

/** R's C_logit_mu_eta (exp(eta) computed once: the same value R computes twice). */
function logitMuEta(eta: number): number {
  const expEta = Math.exp(eta);
  const onePlusExp = 1 + expEta;
  return eta > LOGIT_THRESHOLD || eta < -LOGIT_THRESHOLD ? EPSILON : expEta / (onePlusExp * onePlusExp);
}

function probitLinkinv(eta: number): number {
  return pnorm(Math.min(Math.max(eta, -PROBIT_THRESHOLD), PROBIT_THRESHOLD));
}

function probitMuEta(eta: number): number {
  return Math.max(dnorm(eta), EPSILON);
}

function cloglogLinkinv(eta: number): number {
  return Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1 - EPSILON), EPSILON);
}

function cloglogMuEta(eta: number): number {
  const capped = Math.min(eta, 700);
  return Math.max(Math.exp(capped) * Math.exp(-Math.exp(capped)), EPSILON);
}

function logLinkinv(eta: number): number {
  return Math.max(Math.exp(eta), EPSILON);
}

/** Neumaier-compensated running sum: close to R's long-double `sum()`. */
class CompensatedSum {
  private sum = 0;
  private compensation = 0;
  add(value: number): void {
    const total = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - total + value;
    else this.compensation += value - total + this.sum;
    this.sum = total;
  }
  get value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * Sum of `values[0..length)` with Neumaier compensation, standing in for R's `sum()`, which accumulates in
 * long double.
 * @example compensatedSum(Float64Array.of(1e16, 1, -1e16), 3) // 1
 */
export function compensatedSum(values: ArrayLike<number>, length = values.length): number {
  const total = new CompensatedSum();
  for (let i = 0; i < length; i++) total.add(values[i] as number);
  return total.value;
}

/** R's y_log_y: y * log(y / mu), 0 at y = 0. */
function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

interface Variance {
  readonly name: GlmFamilyName;
  readonly theta: number | undefined;
  readonly dispersionEstimated: boolean;
  variance(mu: number): number;
  devianceResidual(y: number, mu: number): number;
  /** Log-density of y at mu (the aic is -2 times their sum, plus family-specific terms). */
  aic(y: Float64Array, mu: Float64Array, length: number, deviance: number): number;
  validMu(mu: Float64Array, length: number): boolean;
  initialize(y: Float64Array, mustart: Float64Array, length: number): void;
}

function finitePositive(mu: Float64Array, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const value = mu[i] as number;
    if (!(Number.isFinite(value) && value > 0)) return false;
  }
  return true;
}

function gaussianVariance(): Variance {
  return {
    name: 'gaussian',
    theta: undefined,
    dispersionEstimated: true,
    variance: () => 1,
    devianceResidual: (y, mu) => (y - mu) * (y - mu),
    aic(_y, _mu, length, deviance) {
      // nobs * (log(dev / nobs * 2 * pi) + 1) + 2 - sum(log(wt)), wt = 1
      return length * (Math.log((deviance / length) * 2 * Math.PI) + 1) + 2;
    },
    validMu: alwaysValid,
    initialize(y, mustart, length) {
      for (let i = 0; i < length; i++) mustart[i] = y[i] as number;
    },
  };
}

function binomialVariance(): Variance {
  return {
    name: 'binomial',
    theta: undefined,
    dispersionEstimated: false,
    variance: (mu) => mu * (1 - mu),
    devianceResidual: (y, mu) => 2 * (yLogY(y, mu) + yLogY(1 - y, 1 - mu)),
    aic(y, mu, length) {
      // -2 * sum(dbinom(y, 1, mu, log = TRUE)) for a 0/1 response
      const total = new CompensatedSum();
      for (let i = 0; i < length; i++) {
        const p = mu[i] as number;
        total.add((y[i] as number) === 1 ? Math.log(p) : Math.log1p(-p));
      }
      return -2 * total.value;
    },
    validMu(mu, length) {
      for (let i = 0; i < length; i++) {
        const value = mu[i] as number;
        if (!(Number.isFinite(value) && value > 0 && value < 1)) return false;
      }
      return true;
    },
    initialize(y, mustart, length) {
      for (let i = 0; i < length; i++) mustart[i] = ((y[i] as number) + 0.5) / 2;
    },
  };
}

function poissonVariance(): Variance {
  return {
    name: 'poisson',
    theta: undefined,
    dispersionEstimated: false,
    variance: (mu) => mu,
    devianceResidual: (y, mu) => 2 * (y > 0 ? y * Math.log(y / mu) - (y - mu) : mu),
    aic(y, mu, length) {
      // -2 * sum(dpois(y, mu, log = TRUE)); dpois is 0 (log -Inf) at a non-integer y, as in R.
      const total = new CompensatedSum();
      for (let i = 0; i < length; i++) {
        const count = y[i] as number;
        const rate = mu[i] as number;
        if (!Number.isInteger(count)) return Number.POSITIVE_INFINITY;
        total.add(count === 0 ? -rate : count * Math.log(rate) - rate - gammaln(count + 1));
      }
      return -2 * total.value;
    },
    validMu: finitePositive,
    initialize(y, mustart, length) {
      for (let i = 0; i < length; i++) mustart[i] = (y[i] as number) + 0.1;
    },
  };
}

function gammaVariance(): Variance {
  return {
    name: 'Gamma',
    theta: undefined,
    dispersionEstimated: true,
    variance: (mu) => mu * mu,
    devianceResidual: (y, mu) => -2 * (Math.log(y === 0 ? 1 : y / mu) - (y - mu) / mu),
    aic(y, mu, length, deviance) {
      // -2 * sum(dgamma(y, 1/disp, scale = mu * disp, log = TRUE)) + 2 with disp = dev / n
      const dispersion = deviance / length;
      const shape = 1 / dispersion;
      const logGammaShape = gammaln(shape);
      const total = new CompensatedSum();
      for (let i = 0; i < length; i++) {
        const value = y[i] as number;
        const scale = (mu[i] as number) * dispersion;
        total.add((shape - 1) * Math.log(value) - value / scale - logGammaShape - shape * Math.log(scale));
      }
      return -2 * total.value + 2;
    },
    validMu: finitePositive,
    initialize(y, mustart, length) {
      for (let i = 0; i < length; i++) mustart[i] = y[i] as number;
    },
  };
}

function negativeBinomialVariance(theta: number): Variance {
  return {
    name: 'negbin',
    theta,
    dispersionEstimated: false,
    variance: (mu) => mu + (mu * mu) / theta,
    devianceResidual: (y, mu) =>
      2 * (y * Math.log(Math.max(1, y) / mu) - (y + theta) * Math.log((y + theta) / (mu + theta))),
    aic(y, mu, length) {
      const logGammaTheta = gammaln(theta);
      const total = new CompensatedSum();
      for (let i = 0; i < length; i++) {
        const count = y[i] as number;
        const mean = mu[i] as number;
        total.add(
          (count + theta) * Math.log(mean + theta) -
            count * Math.log(mean) +
            gammaln(count + 1) -
            theta * Math.log(theta) +
            logGammaTheta -
            gammaln(theta + count),
        );
      }
      return 2 * total.value;
    },
    validMu(mu, length) {
      for (let i = 0; i < length; i++) if (!((mu[i] as number) > 0)) return false;
      return true;
    },
    initialize(y, mustart, length) {
      for (let i = 0; i < length; i++) {
        const count = y[i] as number;
        mustart[i] = count + (count === 0 ? 1 : 0) / 6;
      }
    },
  };
}

/** The family objects made so far, by `family/link` (negbin's depend on theta and are not kept). */
const sharedFamilies = new Map<string, GlmFamily>();

/**
 * The family object for a GLM: variance, link, deviance residuals, aic, validity checks and start values,
 * exactly as R's `gaussian()`, `binomial()`, `poisson()`, `Gamma()` and MASS's `negative.binomial(theta)`.
 * @param link Defaults to R's default link for the family ({@link defaultLink}).
 * @param theta The negative binomial theta (required for `negbin`, ignored otherwise).
 * @throws InvalidArgumentError for a link R does not offer for the family, or a missing/non-positive theta.
 * @example
 * const family = getGlmFamily('binomial', 'logit');
 * family.linkinv(0); // 0.5
 * family.variance(0.5); // 0.25
 */
export function getGlmFamily(family: GlmFamilyName, link?: LinkName, theta?: number): GlmFamily {
  const links = GLM_LINKS[family];
  if (links === undefined) {
    throw new InvalidArgumentError(
      `glm requires a family among ${Object.keys(GLM_LINKS).join(', ')} (got ${String(family)})`,
    );
  }
  const linkName = link ?? defaultLink(family);
  if (!links.includes(linkName)) {
    throw new InvalidArgumentError(
      `glm requires a link among ${links.join(', ')} for family ${family} (got ${String(linkName)})`,
    );
  }
  // A family object holds only functions, so one per family and link is shared by every fit: the IRLS loops
  // then always call the same function objects, which V8 inlines without re-checking their identity.
  const key = `${family}/${linkName}`;
  const shared = family === 'negbin' ? undefined : sharedFamilies.get(key);
  if (shared !== undefined) return shared;
  let variance: Variance;
  switch (family) {
    case 'gaussian':
      variance = gaussianVariance();
      break;
    case 'binomial':
      variance = binomialVariance();
      break;
    case 'poisson':
      variance = poissonVariance();
      break;
    case 'Gamma':
      variance = gammaVariance();
      break;
    case 'negbin':
      if (theta === undefined || !(theta > 0) || !Number.isFinite(theta)) {
        throw new InvalidArgumentError(
          `the negative binomial family requires a positive finite theta (got ${String(theta)})`,
        );
      }
      variance = negativeBinomialVariance(theta);
      break;
  }
  const linkFunctions = LINKS[linkName];
  const devianceResidual = variance.devianceResidual;
  const varianceOf = variance.variance;
  const linkinv = linkFunctions.linkinv;
  const muEta = linkFunctions.muEta;
  const result: GlmFamily = {
    name: variance.name,
    link: linkName,
    theta: variance.theta,
    dispersionEstimated: variance.dispersionEstimated,
    linkfun: linkFunctions.linkfun,
    linkinv: linkFunctions.linkinv,
    muEta: linkFunctions.muEta,
    variance: varianceOf,
    devianceResidual,
    linkinvInto: linkFunctions.linkinvInto,
    muEtaInto: linkFunctions.muEtaInto,
    varianceInto(mu, out, length) {
      for (let i = 0; i < length; i++) out[i] = varianceOf(mu[i] as number);
    },
    deviance(y, mu, length) {
      const total = new CompensatedSum();
      for (let i = 0; i < length; i++) total.add(devianceResidual(y[i] as number, mu[i] as number));
      return total.value;
    },
    devianceAt(y, mu, length) {
      const total = new CompensatedSum();
      for (let i = 0; i < length; i++) total.add(devianceResidual(y[i] as number, mu));
      return total.value;
    },
    workingWeightsInto(y, eta, mu, workingWeights, workingResponse, length) {
      for (let i = 0; i < length; i++) {
        const meanValue = mu[i] as number;
        const varianceValue = varianceOf(meanValue);
        const etaValue = eta[i] as number;
        const derivative = muEta(etaValue);
        if (!(varianceValue !== 0 && derivative !== 0) || Number.isNaN(varianceValue + derivative))
          return false;
        workingWeights[i] = (derivative * derivative) / varianceValue;
        workingResponse[i] = etaValue + ((y[i] as number) - meanValue) / derivative;
      }
      return true;
    },
    linkinvAndDeviance(y, eta, mu, length) {
      // The Neumaier sum of CompensatedSum, inlined so the sweep allocates nothing.
      let sum = 0;
      let compensation = 0;
      for (let i = 0; i < length; i++) {
        const meanValue = linkinv(eta[i] as number);
        mu[i] = meanValue;
        const value = devianceResidual(y[i] as number, meanValue);
        const total = sum + value;
        if (Math.abs(sum) >= Math.abs(value)) compensation += sum - total + value;
        else compensation += value - total + sum;
        sum = total;
      }
      return sum + compensation;
    },
    aic: variance.aic,
    validMu: variance.validMu,
    validEta: linkFunctions.validEta,
    initialize: variance.initialize,
  };
  if (family !== 'negbin') sharedFamilies.set(key, result);
  return result;
}
