import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { glmFromFormula, ModelFitError } from '../../stats/index.ts';
import { SimulationOptionsError } from '../errors.ts';
import { PRIMARY_FORMULA, powerTrialSeeds, primaryLogisticTest, simulatePower } from './power.ts';
import { simulateTrialFromSeed } from './simulate-trial.ts';

describe('primaryLogisticTest', () => {
  it('is the formula fit glm(readmitted_12m ~ arm + site + diagnosis_group + admissions_prior_2y, binomial)', () => {
    for (const [participants, seed] of [
      [590, 1],
      [60, 3],
    ] as const) {
      const { dataset } = simulateTrialFromSeed({ participants }, seed);
      const direct = primaryLogisticTest(dataset);
      const formula = glmFromFormula(dataset, PRIMARY_FORMULA, { family: 'binomial' });
      const arm = formula.coefficients.find((item) => item.term === 'armpeer_support');
      // the same design and the same IRLS: equal to rounding (1e-12)
      assert.ok(
        Math.abs(direct.estimate - (arm?.estimate as number)) <= 1e-12 * Math.abs(arm?.estimate as number),
      );
      assert.ok(Math.abs(direct.pValue - (arm?.pValue as number)) <= 1e-12 * (arm?.pValue as number));
      assert.deepEqual(direct.warnings, formula.warnings);
    }
  });

  it('fails with ModelFitError when an arm has no known outcome', () => {
    const { dataset } = simulateTrialFromSeed(
      { participants: 40, withdrawalProbability: 1, deathProbability: 0 },
      2,
    );
    // everyone withdrawn: readmitted_12m known only where the readmission came first; force none
    const outcome = dataset.numeric('readmitted_12m');
    const arm = dataset.categorical('arm').codes;
    outcome.forEach((_, row) => {
      if (arm[row] === 1) outcome[row] = Number.NaN;
    });
    assert.throws(
      () => primaryLogisticTest(dataset),
      (error: unknown) =>
        error instanceof ModelFitError &&
        /primary analysis requires participants with a known outcome in both arms/.test(error.message),
    );
  });
});

describe('simulatePower', () => {
  it('draws reproducible trial seeds, the same for every n, each regenerating its trial', () => {
    const seeds = powerTrialSeeds(1, 5);
    assert.deepEqual(seeds, powerTrialSeeds(1, 5));
    assert.notDeepEqual(seeds, powerTrialSeeds(2, 5));
    assert.ok(seeds.every((seed) => seed >= 1 && seed <= 2147483647));
    const seen: number[] = [];
    simulatePower({
      sampleSizes: [60],
      reps: 2,
      seed: 1,
      analyse: (dataset) => {
        seen.push(
          dataset
            .numeric('readmitted_12m')
            .reduce((sum, value) => sum + (Number.isNaN(value) ? 0 : value), 0),
        );
        return { estimate: 0, pValue: 1, warnings: [] };
      },
    });
    const expected = Array.from(seeds.slice(0, 2), (seed) =>
      simulateTrialFromSeed({ participants: 60 }, seed)
        .dataset.numeric('readmitted_12m')
        .reduce((sum, value) => sum + (Number.isNaN(value) ? 0 : value), 0),
    );
    assert.deepEqual(seen, expected);
  });

  it('rejects at about the nominal 5% with no effect (400 trials of 590)', () => {
    const progress: number[] = [];
    const result = simulatePower({
      sampleSizes: [590],
      reps: 400,
      seed: 11,
      simulation: { riskRatio: 1, blackRiskRatioFactor: 1 },
      onProgress: (done) => progress.push(done),
    });
    const point = result.points[0];
    assert.ok(point !== undefined);
    // within 4 Monte Carlo SEs of alpha: sqrt(0.05 * 0.95 / 400) = 0.0109 (fixed seed: cannot flake)
    assert.ok(Math.abs(point.power - 0.05) <= 4 * Math.sqrt((0.05 * 0.95) / 400), `size ${point.power}`);
    assert.equal(point.failed, 0);
    assert.equal(point.monteCarloSe, Math.sqrt((point.power * (1 - point.power)) / 400));
    assert.equal(progress.length, 400);
    assert.equal(progress.at(-1), 400);
  });

  it('gives power that grows with n', () => {
    const result = simulatePower({
      sampleSizes: [200, 800],
      reps: 150,
      seed: 5,
      simulation: { riskRatio: 0.8 },
    });
    const [small, large] = result.points as [(typeof result.points)[0], (typeof result.points)[0]];
    const se = Math.sqrt(small.monteCarloSe ** 2 + large.monteCarloSe ** 2);
    assert.ok(large.power - small.power > 4 * se, `${small.power} -> ${large.power}`);
    assert.ok(large.medianRatio < 1);
    assert.equal(result.riskRatio, 0.8);
  });

  it('rejects bad settings with every problem named', () => {
    assert.throws(
      () => simulatePower({ sampleSizes: [5, 200.5], reps: 0, seed: 1, alpha: 2 }),
      (error: unknown) =>
        error instanceof SimulationOptionsError &&
        error.problems.length === 4 &&
        error.message.includes(
          'power requires sample sizes that are whole numbers in [10, 1000000] (got 5)',
        ) &&
        error.message.includes('power requires reps, a whole number in [1, 1000000] (got 0)') &&
        error.message.includes('power requires alpha in (0, 1) (got 2)'),
    );
    assert.throws(() => simulatePower({ sampleSizes: [], reps: 10, seed: 1 }), /at least one sample size/);
    assert.throws(
      () => simulatePower({ sampleSizes: [100], reps: 10, seed: 1, simulation: { controlRisk: 2 } }),
      /controlRisk requires a probability in \(0, 1\) \(got 2\)/,
    );
  });
});
