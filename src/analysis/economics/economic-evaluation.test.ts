// Every number against reference/economics.R (test/fixtures/economics.json): two datasets, deterministic
// results to 1e-6 relative (the Gamma GLM and lm converge independently of R's QR only by rounding; observed
// ~1e-12), bootstrap replicates to 1e-10 relative (the same resamples as R's boot after set.seed; each refit
// differs from R's only by rounding) and bootstrap counts (CEAC, P(cost saving)) exactly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertClose } from '../../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { parseCsv } from '../../table/index.ts';
import { readAnalysisDataset } from '../../trial/index.ts';
import { DEFAULT_ANALYSIS_PLAN } from '../analysis-plan.ts';
import { AnalysisDataError } from '../errors.ts';
import { economicEvaluation, qalyByAreaUnderCurve } from './economic-evaluation.ts';
import type { EconomicEvaluation } from './economics-types.ts';
import { EconomicsInputError } from './errors.ts';
import { readUnitCosts } from './unit-costs.ts';
import { readValueSet } from './value-set.ts';

// biome-ignore lint/suspicious/noExplicitAny: the fixture is untyped JSON read from R's output
type Numbers = Record<string, any>;
interface EconomicsCase {
  name: string;
  file: string;
  value_set: string | null;
  R: number;
  seed: number;
  covariates: string[];
  output: { result: Numbers; bootstrap: Numbers };
}

const cases = (readFixture('economics.json') as { cases: EconomicsCase[] }).cases;
const unitCostsPath = new URL('../../../docs/guides/data/unit-costs-illustrative.csv', import.meta.url);
const unitCosts = readUnitCosts(parseCsv(readFileSync(unitCostsPath), 'unit-costs-illustrative.csv'));

function run(testCase: EconomicsCase): EconomicEvaluation {
  const dataset = readAnalysisDataset(
    parseCsv(readFileSync(fixturePath(`data/${testCase.file}`)), testCase.file),
  );
  const valueSet =
    testCase.value_set === null
      ? undefined
      : readValueSet(
          parseCsv(readFileSync(fixturePath(`data/${testCase.value_set}`)), testCase.value_set),
          '3L',
        );
  const plan = {
    ...structuredClone(DEFAULT_ANALYSIS_PLAN),
    covariates: testCase.covariates,
    bootstrapResamples: testCase.R,
    seed: testCase.seed,
  };
  return economicEvaluation(dataset, plan, { unitCosts, ...(valueSet === undefined ? {} : { valueSet }) });
}

const DETERMINISTIC = 1e-6;
const BOOTSTRAP = 1e-10;

describe('economicEvaluation against reference/economics.R', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: costs, QALYs, ICER, NMB and the bootstrap agree with R`, () => {
      const result = run(testCase);
      const r = testCase.output.result;
      const b = testCase.output.bootstrap;
      const arms = ['usual_care', 'peer_support'];
      assert.equal(result.costs.zeroCostShift, r.shift);
      assert.equal(result.costs.nModel, r.n_cost_model);
      assert.equal(result.qalys.nModel, r.n_qaly_model);
      for (const category of result.costs.categories) {
        for (const arm of arms) {
          for (const kind of ['use', 'cost'] as const) {
            const expected = r.categories[category.resource][kind][arm];
            const actual = category[kind][arm];
            assert.equal(actual?.n, expected.n);
            assertClose(actual?.mean as number, expected.mean, { relative: DETERMINISTIC, absolute: 1e-9 });
            assertClose(actual?.sd as number, expected.sd, { relative: DETERMINISTIC, absolute: 1e-9 });
          }
        }
      }
      for (const arm of arms) {
        const costs = result.costs.byArm[arm];
        assert.equal(costs?.n, r.total[arm].n);
        assert.equal(costs?.missing, r.missing[arm]);
        assert.equal(costs?.zeroCost, r.zero_cost[arm]);
        assertClose(costs?.total.mean as number, r.total[arm].mean, { relative: DETERMINISTIC });
        assertClose(costs?.total.sd as number, r.total[arm].sd, { relative: DETERMINISTIC });
        assertClose(costs?.adjustedMean as number, r.adjusted_mean[arm], { relative: DETERMINISTIC });
        const qalys = result.qalys.byArm[arm];
        for (const [key, name] of [
          ['eq5dBaseline', 'eq5d_baseline'],
          ['eq5d4m', 'eq5d_4m'],
          ['qaly', 'qaly'],
        ] as const) {
          assert.equal(qalys?.[key].n, r[name][arm].n);
          assertClose(qalys?.[key].mean as number, r[name][arm].mean, { relative: DETERMINISTIC });
          assertClose(qalys?.[key].sd as number, r[name][arm].sd, { relative: DETERMINISTIC });
        }
      }
      assertClose(result.costs.meanDifference.estimate, r.cost_difference, { relative: DETERMINISTIC });
      assertClose(result.costs.costRatio.estimate, Math.exp(r.cost_arm_coefficient), {
        relative: DETERMINISTIC,
      });
      assertClose(result.costs.costRatio.ciLower, r.cost_ratio[0], { relative: DETERMINISTIC });
      assertClose(result.costs.costRatio.ciUpper, r.cost_ratio[1], { relative: DETERMINISTIC });
      assertClose(result.costs.costRatio.pValue, r.cost_arm_p, { relative: DETERMINISTIC });
      assertClose(result.qalys.meanDifference.estimate, r.qaly_difference, { relative: DETERMINISTIC });
      assertClose(result.qalys.modelEstimate.ciLower, r.qaly_ci[0], { relative: DETERMINISTIC });
      assertClose(result.qalys.modelEstimate.ciUpper, r.qaly_ci[1], { relative: DETERMINISTIC });
      assertClose(result.qalys.modelEstimate.pValue, r.qaly_p, { relative: DETERMINISTIC });
      assertClose(result.icer as number, r.icer, { relative: DETERMINISTIC });
      result.netMonetaryBenefit.forEach((nmb, index) => {
        const expected = r.nmb[index];
        assert.equal(nmb.wtp, expected.wtp);
        assertClose(nmb.estimate, expected.estimate, { relative: DETERMINISTIC });
        assertClose(nmb.ciLower, expected.ci[0], { relative: BOOTSTRAP });
        assertClose(nmb.ciUpper, expected.ci[1], { relative: BOOTSTRAP });
        assert.equal(nmb.probabilityCostEffective, expected.probability);
      });

      // The bootstrap: the same replicates, in the same order.
      assert.equal(result.bootstrap.R, b.R);
      assert.equal(result.bootstrap.seed, b.seed);
      assert.equal(result.bootstrap.failedResamples, 0);
      assert.equal(result.plane.costDifferences.length, b.cost_replicates.length);
      result.plane.costDifferences.forEach((value, index) => {
        assertClose(value, b.cost_replicates[index], { relative: BOOTSTRAP });
      });
      result.plane.qalyDifferences.forEach((value, index) => {
        assertClose(value, b.qaly_replicates[index], { relative: BOOTSTRAP });
      });
      assertClose(result.costs.meanDifference.ciLower, b.cost_ci[0], { relative: BOOTSTRAP });
      assertClose(result.costs.meanDifference.ciUpper, b.cost_ci[1], { relative: BOOTSTRAP });
      assertClose(result.qalys.meanDifference.ciLower, b.qaly_ci[0], { relative: BOOTSTRAP });
      assertClose(result.qalys.meanDifference.ciUpper, b.qaly_ci[1], { relative: BOOTSTRAP });
      assert.equal(result.probabilityCostSaving, b.probability_cost_saving);
      assert.deepEqual(
        result.ceac,
        b.ceac.map((point: { wtp: number; probability: number }) => ({
          wtp: point.wtp,
          probability: point.probability,
        })),
      );
      assert.deepEqual(result.plane.quadrants, {
        northEast: b.quadrants.north_east,
        northWest: b.quadrants.north_west,
        southEast: b.quadrants.south_east,
        southWest: b.quadrants.south_west,
      });
    });
  }
});

describe('economicEvaluation inputs', () => {
  it('computes QALYs by the trapezium rule over 4 months', () => {
    assert.equal(qalyByAreaUnderCurve(0.6, 0.9), (((0.6 + 0.9) / 2) * 4) / 12);
  });

  const simulated = cases[0] as EconomicsCase;
  const dataset = readAnalysisDataset(
    parseCsv(readFileSync(fixturePath(`data/${simulated.file}`)), simulated.file),
  );
  const plan = { ...structuredClone(DEFAULT_ANALYSIS_PLAN), bootstrapResamples: 20 };

  it('names the resource and the rows that use it when a unit cost is missing', () => {
    const partial = { ...unitCosts, costs: unitCosts.costs.filter((cost) => cost.resource !== 'bed_day') };
    assert.throws(
      () => economicEvaluation(dataset, plan, { unitCosts: partial }),
      (error: unknown) =>
        error instanceof EconomicsInputError &&
        error.code === 'unit_cost_missing' &&
        /bed_day requires a unit cost in unit-costs-illustrative\.csv \(got none; used in rows \d+, .*columns bed_days_12m\)/.test(
          error.message,
        ),
    );
  });

  it('refuses an arm in which no participant has known costs, naming the rows', () => {
    const table = parseCsv(
      new TextEncoder().encode(
        readFileSync(fixturePath(`data/${simulated.file}`), 'utf8')
          .split('\n')
          .map((line, index) => {
            if (index === 0 || !line.includes(',usual_care,')) return line;
            const cells = line.split(',');
            cells[30] = 'NA'; // bed_days_12m
            return cells.join(',');
          })
          .join('\n'),
      ),
      'no-costs.csv',
    );
    assert.throws(
      () => economicEvaluation(readAnalysisDataset(table), plan, { unitCosts }),
      (error: unknown) =>
        error instanceof AnalysisDataError &&
        error.code === 'economics_arm_empty' &&
        /requires a participant with a known, positive total cost in every arm \(got none in usual_care: service use missing in rows 1, 2, .* \(295 rows\)\)/.test(
          error.message,
        ),
    );
  });
});
