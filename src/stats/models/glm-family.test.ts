import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError } from '../errors.ts';
import {
  compensatedSum,
  defaultLink,
  GLM_LINKS,
  type GlmFamilyName,
  getGlmFamily,
  type LinkName,
} from './glm-family.ts';

interface FamilyCase {
  family: GlmFamilyName;
  link: LinkName;
  theta: number | null;
  eta: number[];
  y: number[];
  mu: number[];
  expected: {
    linkinv: number[];
    mu_eta: number[];
    linkfun: number[];
    variance: number[];
    dev_resids: number[];
    deviance: number;
    aic: number;
    mustart: number[];
    valid_eta: boolean;
    valid_mu: boolean;
  };
}

const fixture = readFixture<{ cases: FamilyCase[] }>('glm-family.json');

// reference/glm-family.R: binomial("logit")$linkinv(eta) etc., MASS::negative.binomial(1.7). The functions are
// the same closed forms as R's family.R and family.c, evaluated in the same order; the tolerance 1e-13
// relative allows for libm (exp, log, pnorm) differing from R's by an ulp or two; aic sums through lgamma.
const tolerance = { relative: 1e-13, absolute: 1e-300 };

describe('getGlmFamily against R family objects', () => {
  for (const testCase of fixture.cases) {
    it(`${testCase.family}(link = "${testCase.link}")`, () => {
      const family = getGlmFamily(testCase.family, testCase.link, testCase.theta ?? undefined);
      const eta = Float64Array.from(testCase.eta);
      const mu = Float64Array.from(testCase.mu);
      const y = Float64Array.from(testCase.y);
      const length = eta.length;
      const linkinv = new Float64Array(length);
      family.linkinvInto(eta, linkinv, length);
      assertDeepClose(Array.from(linkinv), testCase.expected.linkinv, tolerance, 'linkinv');
      assertDeepClose(
        testCase.eta.map(family.linkinv),
        testCase.expected.linkinv,
        tolerance,
        'scalar linkinv',
      );
      const muEta = new Float64Array(length);
      family.muEtaInto(eta, muEta, length);
      assertDeepClose(Array.from(muEta), testCase.expected.mu_eta, tolerance, 'mu.eta');
      assertDeepClose(testCase.eta.map(family.muEta), testCase.expected.mu_eta, tolerance, 'scalar mu.eta');
      assertDeepClose(testCase.mu.map(family.linkfun), testCase.expected.linkfun, tolerance, 'linkfun');
      const variance = new Float64Array(mu.length);
      family.varianceInto(mu, variance, mu.length);
      assertDeepClose(Array.from(variance), testCase.expected.variance, tolerance, 'variance');
      assertDeepClose(
        testCase.y.map((value, i) => family.devianceResidual(value, testCase.mu[i] as number)),
        testCase.expected.dev_resids,
        tolerance,
        'dev.resids',
      );
      const deviance = family.deviance(y, mu, y.length);
      assertDeepClose(deviance, testCase.expected.deviance, tolerance, 'deviance');
      assertDeepClose(family.aic(y, mu, y.length, deviance), testCase.expected.aic, tolerance, 'aic');
      const mustart = new Float64Array(y.length);
      family.initialize(y, mustart, y.length);
      assertDeepClose(Array.from(mustart), testCase.expected.mustart, tolerance, 'mustart');
      assert.equal(family.validEta(eta, length), testCase.expected.valid_eta);
      assert.equal(family.validMu(mu, mu.length), testCase.expected.valid_mu);
    });
  }
});

describe('getGlmFamily', () => {
  it('uses R default links and records the family', () => {
    assert.equal(defaultLink('gaussian'), 'identity');
    assert.equal(defaultLink('binomial'), 'logit');
    assert.equal(defaultLink('poisson'), 'log');
    assert.equal(defaultLink('Gamma'), 'inverse');
    assert.equal(defaultLink('negbin'), 'log');
    const gamma = getGlmFamily('Gamma');
    assert.equal(gamma.link, 'inverse');
    assert.equal(gamma.dispersionEstimated, true);
    assert.equal(getGlmFamily('poisson').dispersionEstimated, false);
    assert.equal(getGlmFamily('negbin', 'log', 2).theta, 2);
    assert.deepEqual(GLM_LINKS.binomial, ['logit', 'probit', 'cloglog']);
  });

  it('matches the TSDoc examples', () => {
    const family = getGlmFamily('binomial', 'logit');
    assert.equal(family.linkinv(0), 0.5);
    assert.equal(family.variance(0.5), 0.25);
    assert.equal(compensatedSum(Float64Array.of(1e16, 1, -1e16), 3), 1);
  });

  it('applies validmu and valideta as R does', () => {
    // binomial: 0 < mu < 1; poisson/Gamma: finite mu > 0; inverse: eta finite and non-zero; sqrt: eta > 0.
    assert.equal(getGlmFamily('binomial').validMu(Float64Array.of(0.2, 1), 2), false);
    assert.equal(getGlmFamily('poisson').validMu(Float64Array.of(1, 0), 2), false);
    assert.equal(
      getGlmFamily('Gamma', 'log').validMu(Float64Array.of(1, Number.POSITIVE_INFINITY), 2),
      false,
    );
    assert.equal(getGlmFamily('gaussian').validMu(Float64Array.of(-5, 0), 2), true);
    assert.equal(getGlmFamily('Gamma').validEta(Float64Array.of(1, 0), 2), false);
    assert.equal(getGlmFamily('poisson', 'sqrt').validEta(Float64Array.of(1, -0.5), 2), false);
    assert.equal(getGlmFamily('negbin', 'log', 1).validMu(Float64Array.of(1, 0), 2), false);
  });

  it('gives the Poisson aic as Inf for non-integer counts, as dpois does', () => {
    const family = getGlmFamily('poisson');
    assert.equal(family.aic(Float64Array.of(1.5, 2), Float64Array.of(1, 2), 2, 0), Number.POSITIVE_INFINITY);
  });

  it('rejects links R does not offer for the family and an invalid theta', () => {
    assert.throws(
      () => getGlmFamily('binomial', 'log'),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'glm requires a link among logit, probit, cloglog for family binomial (got log)',
    );
    assert.throws(
      () => getGlmFamily('quasi' as GlmFamilyName),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message ===
          'glm requires a family among gaussian, binomial, poisson, Gamma, negbin (got quasi)',
    );
    assert.throws(
      () => getGlmFamily('negbin', 'log'),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'the negative binomial family requires a positive finite theta (got undefined)',
    );
    assert.throws(
      () => getGlmFamily('negbin', 'log', 0),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message === 'the negative binomial family requires a positive finite theta (got 0)',
    );
  });
});
