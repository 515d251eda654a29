import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../test/helpers/fixtures.ts';
import { parseCsv } from '../table/index.ts';
import { readAnalysisDataset } from '../trial/index.ts';
import { armGroups } from './arm-groups.ts';
import { engagementPredictors } from './engagement-predictors.ts';
import { snakeCaseKeys } from './trial-analysis-fixture.test-support.ts';

interface EngagementCase {
  name: string;
  data: string;
  expected: {
    predictors: unknown[];
    predictor_model: Record<string, number>;
    contacts_model: { n: number; theta: number; rate_ratios: unknown[] };
  };
}

/** Non-finite numbers as null, as the CLI's JSON writes them (R's fixture writes Inf as null). */
function asJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(snakeCaseKeys(value), (_key, item) =>
      typeof item === 'number' && !Number.isFinite(item) ? null : item,
    ),
  );
}

const cases = (readFixture('engagement.json') as { cases: EngagementCase[] }).cases;

describe('engagementPredictors against reference/engagement.R (glm binomial, MASS::glm.nb)', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: odds ratios, complete cases, rate ratios of the contacts model`, () => {
      const dataset = readAnalysisDataset(parseCsv(readFileSync(fixturePath(testCase.data)), testCase.data));
      const result = engagementPredictors(dataset, armGroups(dataset), 0.95);
      // 1e-6: IRLS and glm.nb's theta alternation converge independently of R's (same criteria, own arithmetic).
      const tolerance = { relative: 1e-6 };
      assertDeepClose(asJson(result.predictors), testCase.expected.predictors, tolerance, 'predictors');
      const { formula: _formula, warnings, ...counts } = result.predictorModel;
      assert.deepEqual(snakeCaseKeys(counts), testCase.expected.predictor_model);
      assert.deepEqual(warnings, []);
      assert.equal(result.contactsModel.n, testCase.expected.contacts_model.n);
      assertDeepClose(result.contactsModel.theta, testCase.expected.contacts_model.theta, tolerance, 'theta');
      assertDeepClose(
        asJson(result.contactsModel.rateRatios),
        testCase.expected.contacts_model.rate_ratios,
        tolerance,
        'rate_ratios',
      );
    });
  }

  it('returns no terms, with the reason, when the logistic model cannot be fitted', () => {
    const data = cases[0] as EngagementCase;
    const dataset = readAnalysisDataset(parseCsv(readFileSync(fixturePath(data.data)), data.data));
    const arms = armGroups(dataset);
    // No peer support participant: an empty model frame.
    const noPeerSupport = { ...arms, codes: arms.codes.map(() => 0) };
    const result = engagementPredictors(dataset, noPeerSupport, 0.95);
    assert.deepEqual(result.predictors, []);
    assert.equal(result.predictorModel.eligible, 0);
    assert.equal(result.predictorModel.warnings.length, 1);
    assert.deepEqual(result.contactsModel.rateRatios, []);
    assert.equal(result.contactsModel.warnings.length, 1);
  });
});
