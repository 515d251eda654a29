import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { glmFromFormula } from '../../stats/index.ts';
import type { DataColumn } from '../../stats/models/data-column.ts';
import { parseCsv } from '../../table/index.ts';
import {
  type AnalysisDataset,
  createDataset,
  readAnalysisDataset,
  readSaeDataset,
} from '../analysis-dataset.ts';
import { ANALYSIS_DATASET_COLUMNS, SAE_COLUMNS } from '../analysis-dataset-schema.ts';
import { SimulationOptionsError } from '../errors.ts';
import { allocate } from '../randomisation/allocate.ts';
import { createSeededRandom } from '../randomisation/seeded-random.ts';
import { createRandomisationState } from '../randomisation/state.ts';
import { ENRICH_BLOCK_RANDOMISATION } from '../templates/index.ts';
import { formatDatasetCsv } from './format-csv.ts';
import { DEFAULT_TRIAL_SIMULATION_OPTIONS, resolveSimulationOptions } from './options.ts';
import { buildSimulationModel } from './risk-model.ts';
import { simulateTrialFromSeed, simulationStreams } from './simulate-trial.ts';

function assertSameColumns(actual: AnalysisDataset, expected: AnalysisDataset): void {
  assert.deepEqual(actual.columnNames, expected.columnNames);
  for (const name of expected.columnNames) {
    const left = actual.findColumn(name) as DataColumn;
    const right = expected.findColumn(name) as DataColumn;
    assert.equal(left.kind, right.kind, name);
    if (left.kind === 'categorical' && right.kind === 'categorical') {
      assert.deepEqual([...left.levels], [...right.levels], name);
      assert.deepEqual(left.codes, right.codes, name);
    } else if (left.kind === 'numeric' && right.kind === 'numeric') {
      // Object.is: NaN equals NaN, every other value bit for bit (no tolerance: the CSV round trip is exact)
      left.values.forEach((value, row) => {
        assert.ok(
          Object.is(value, right.values[row]),
          `${name} row ${row + 1}: ${value} vs ${right.values[row]}`,
        );
      });
    }
  }
}

/** Mean of `values` over the rows where `keep` holds and the value is not missing, and the count. */
function meanWhere(values: ArrayLike<number>, keep: (row: number) => boolean): { mean: number; n: number } {
  let sum = 0;
  let count = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row] as number;
    if (keep(row) && !Number.isNaN(value)) {
      sum += value;
      count++;
    }
  }
  return { mean: sum / count, n: count };
}

/** |observed - expected| within 4 binomial standard errors (deterministic seeds: this cannot flake). */
function assertProportion(observed: { mean: number; n: number }, expected: number, what: string): void {
  const se = Math.sqrt((expected * (1 - expected)) / observed.n);
  assert.ok(
    Math.abs(observed.mean - expected) <= 4 * se,
    `${what}: ${observed.mean} vs ${expected} (n ${observed.n}, 4 SE = ${4 * se})`,
  );
}

describe('simulateTrial', () => {
  const trial = simulateTrialFromSeed({}, 1);

  it('writes every data dictionary column, and the CSV reads back to identical values', () => {
    const csv = formatDatasetCsv(trial.dataset, ANALYSIS_DATASET_COLUMNS);
    assert.equal(csv.split('\n')[0], ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name).join(','));
    assert.ok(!csv.includes('NA') && !csv.includes('NaN'), 'missing values are empty cells');
    const parsed = readAnalysisDataset(parseCsv(Buffer.from(csv), 'simulated.csv'));
    assert.equal(parsed.rowCount, 590);
    assertSameColumns(parsed, trial.dataset);
    const saeCsv = formatDatasetCsv(trial.sae, SAE_COLUMNS);
    const sae = readSaeDataset(parseCsv(Buffer.from(saeCsv), 'sae.csv'), parsed);
    assertSameColumns(sae, trial.sae);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const again = simulateTrialFromSeed({}, 1);
    assert.equal(
      formatDatasetCsv(again.dataset, ANALYSIS_DATASET_COLUMNS),
      formatDatasetCsv(trial.dataset, ANALYSIS_DATASET_COLUMNS),
    );
    assert.equal(formatDatasetCsv(again.sae, SAE_COLUMNS), formatDatasetCsv(trial.sae, SAE_COLUMNS));
    const other = simulateTrialFromSeed({}, 2);
    assert.notEqual(
      formatDatasetCsv(other.dataset, ANALYSIS_DATASET_COLUMNS),
      formatDatasetCsv(trial.dataset, ANALYSIS_DATASET_COLUMNS),
    );
  });

  it('allocates exactly as a loop over the randomisation engine allocate() with the seeded stream 1', () => {
    // the ENRICH template: 7 sites x 3 diagnosis groups, blocks of 2, 4, 6 (the simulator's defaults)
    const site = trial.dataset.categorical('site');
    const diagnosis = trial.dataset.categorical('diagnosis_group');
    const arm = trial.dataset.categorical('arm');
    const random = createSeededRandom(1, 1);
    let state = createRandomisationState(ENRICH_BLOCK_RANDOMISATION);
    for (let row = 0; row < trial.dataset.rowCount; row++) {
      const step = allocate(
        ENRICH_BLOCK_RANDOMISATION,
        state,
        {
          site: site.levels[site.codes[row] as number] as string,
          diagnosis_group: diagnosis.levels[diagnosis.codes[row] as number] as string,
        },
        random,
      );
      state = step.nextState;
      assert.equal(step.allocation.arm, arm.levels[arm.codes[row] as number], `row ${row + 1}`);
    }
  });

  it('changes only the outcomes when an effect option changes (common random numbers)', () => {
    const stronger = simulateTrialFromSeed({ riskRatio: 0.8 }, 1);
    for (const name of [
      'arm',
      'site',
      'age',
      'ethnicity',
      'pw_contacts_community',
      'symptoms_baseline',
      'hope_4m',
    ]) {
      assert.deepEqual(stronger.dataset.findColumn(name), trial.dataset.findColumn(name), name);
    }
    assert.notDeepEqual(stronger.dataset.numeric('readmitted_12m'), trial.dataset.numeric('readmitted_12m'));
  });

  it('keeps every row internally consistent over 20 seeds', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { dataset, sae } = simulateTrialFromSeed({}, seed);
      const column = (name: string) => dataset.numeric(name);
      const arm = dataset.categorical('arm').codes;
      const readmitted = column('readmitted_12m');
      const days = column('days_to_readmission');
      const event = column('readmission_event');
      const total = column('admissions_total_12m');
      const voluntary = column('admissions_voluntary_12m');
      const involuntary = column('admissions_involuntary_12m');
      const followUp = column('followup_4m');
      const withdrawn = column('withdrawn');
      const died = column('died_12m');
      const hospital = column('pw_contacts_hospital');
      const community = column('pw_contacts_community');
      const minutes = column('first_contact_minutes');
      const randomised = column('randomised_date');
      const discharge = column('discharge_date');
      const eq5d = column('eq5d_4m');
      for (let row = 0; row < dataset.rowCount; row++) {
        const where = `seed ${seed} row ${row + 1}`;
        const r = readmitted[row] as number;
        const d = days[row] as number;
        assert.ok(d >= 1 && d <= 365, where);
        if (r === 1) assert.equal(event[row], 1, where);
        if (r === 0) {
          assert.equal(event[row], 0, where);
          assert.ok(d === 365 || died[row] === 1, where);
        }
        if (Number.isNaN(r)) assert.equal(withdrawn[row], 1, where);
        if (withdrawn[row] === 0) {
          assert.equal((total[row] as number) >= 1, r === 1, where);
          assert.equal(total[row], (voluntary[row] as number) + (involuntary[row] as number), where);
        }
        if (followUp[row] === 0) assert.ok(Number.isNaN(eq5d[row] as number), where);
        else assert.ok((eq5d[row] as number) <= 1, where);
        if (arm[row] === 0) {
          assert.equal(hospital[row], 0, where);
          assert.equal(community[row], 0, where);
          assert.ok(Number.isNaN(minutes[row] as number), where);
        } else if (!Number.isNaN(hospital[row] as number)) {
          const any = (hospital[row] as number) + (community[row] as number) >= 1;
          assert.equal(!Number.isNaN(minutes[row] as number), any, where);
        }
        assert.ok((discharge[row] as number) >= (randomised[row] as number), where);
      }
      const deaths = Array.from(sae.categorical('category').codes).filter((code) => code === 0).length;
      assert.equal(deaths, Array.from(died).filter((value) => value === 1).length, `seed ${seed} deaths`);
      const related = sae.numeric('related');
      const saeArm = Array.from(
        sae.participantIds,
        (id) => arm[dataset.participantIds.indexOf(id)] as number,
      );
      related.forEach((value, row) => {
        if (value === 1) assert.equal(saeArm[row], 1, `seed ${seed}: a related SAE only in peer support`);
      });
    }
  });

  it('realises its options within Monte Carlo error over 30 seeds (17,700 participants)', () => {
    const options = resolveSimulationOptions({});
    const model = buildSimulationModel(options);
    const trials = Array.from({ length: 30 }, (_, index) => simulateTrialFromSeed({}, 100 + index));
    const pooled = (name: string) => {
      const parts = trials.map((item) => item.dataset.findColumn(name) as DataColumn);
      const first = parts[0] as DataColumn;
      if (first.kind === 'categorical') {
        return Float64Array.from(
          parts.flatMap((part) => Array.from((part as typeof first).codes, (code) => code)),
          (code) => code,
        );
      }
      return Float64Array.from(parts.flatMap((part) => Array.from((part as typeof first).values)));
    };
    const arm = pooled('arm');
    const withdrawn = pooled('withdrawn');
    const readmitted = pooled('readmitted_12m');
    const hospital = pooled('pw_contacts_hospital');
    const community = pooled('pw_contacts_community');
    const peer = (row: number) => arm[row] === 1;
    const control = (row: number) => arm[row] === 0;
    // non-withdrawn participants have their outcome whatever it is, so their rate is the model's risk
    assertProportion(
      meanWhere(readmitted, (row) => control(row) && withdrawn[row] === 0),
      options.controlRisk,
      'usual care readmission',
    );
    assertProportion(
      meanWhere(readmitted, (row) => peer(row) && withdrawn[row] === 0),
      model.interventionRisk,
      'peer support readmission',
    );
    assertProportion(
      meanWhere(arm, () => true),
      0.5,
      'allocation 1:1',
    );
    const assessable = Float64Array.from(hospital, (value) => (Number.isNaN(value) ? 0 : 1));
    assertProportion(meanWhere(assessable, peer), 1 - options.notAssessableProbability, 'assessable');
    for (const [values, mean, sd, what] of [
      [hospital, options.hospitalContactsMean, options.hospitalContactsSd, 'hospital contacts'],
      [community, options.communityContactsMean, options.communityContactsSd, 'community contacts'],
    ] as const) {
      const observed = meanWhere(values, peer);
      assert.ok(
        Math.abs(observed.mean - mean) <= (4 * sd) / Math.sqrt(observed.n),
        `${what} mean ${observed.mean} vs ${mean}`,
      );
      // the variance within 4 SE, SE^2 = (m4 - s^4) / n from the sample fourth central moment
      let m2 = 0;
      let m4 = 0;
      values.forEach((value, row) => {
        if (peer(row) && !Number.isNaN(value)) {
          m2 += (value - observed.mean) ** 2;
          m4 += (value - observed.mean) ** 4;
        }
      });
      m2 /= observed.n;
      m4 /= observed.n;
      assert.ok(
        Math.abs(m2 - sd * sd) <= 4 * Math.sqrt((m4 - m2 * m2) / observed.n),
        `${what} variance ${m2} vs ${sd * sd}`,
      );
    }
    const complier = Float64Array.from(hospital, (value, row) =>
      Number.isNaN(value)
        ? Number.NaN
        : value + (community[row] as number) >= 2 && (community[row] as number) >= 1
          ? 1
          : 0,
    );
    assertProportion(meanWhere(complier, peer), model.complierProportion, 'compliers');
    // CACE pattern: compliers in peer support are readmitted less often than non-compliers
    const compliers = meanWhere(readmitted, (row) => peer(row) && complier[row] === 1);
    const nonCompliers = meanWhere(readmitted, (row) => peer(row) && complier[row] === 0);
    const seDifference = Math.sqrt(0.25 / compliers.n + 0.25 / nonCompliers.n);
    assert.ok(
      nonCompliers.mean - compliers.mean > 3 * seDifference,
      `${compliers.mean} vs ${nonCompliers.mean}`,
    );
    const ethnicity = pooled('ethnicity');
    assertProportion(
      meanWhere(
        Float64Array.from(ethnicity, (code) => (code === 1 ? 1 : 0)),
        () => true,
      ),
      options.ethnicityProbabilities.Black,
      'Black participants',
    );
    assertProportion(
      meanWhere(pooled('died_12m'), () => true),
      options.deathProbability,
      'deaths',
    );
    // follow-up among those alive and in the trial at day 120
    const followUp = pooled('followup_4m');
    const days = pooled('days_to_readmission');
    const died = pooled('died_12m');
    const event = pooled('readmission_event');
    const atRisk = (row: number) =>
      (withdrawn[row] === 0 || (days[row] as number) > 120 || event[row] === 1) && died[row] === 0;
    assertProportion(
      meanWhere(followUp, (row) => atRisk(row) && withdrawn[row] === 0),
      options.followUpProbability,
      'follow-up',
    );
    // SAEs: 67 events in 51 participants per 590 expected; the totals over 30 trials within 4 Poisson SE
    const events = trials.reduce((sum, item) => sum + item.sae.rowCount, 0);
    const participants = trials.reduce((sum, item) => sum + new Set(item.sae.participantIds).size, 0);
    assert.ok(
      Math.abs(events - 30 * 67) <= 4 * Math.sqrt(30 * 67 * 1.5),
      `SAE events ${events} vs ${30 * 67}`,
    );
    assert.ok(
      Math.abs(participants - 30 * 51) <= 4 * Math.sqrt(30 * 51),
      `SAE participants ${participants} vs ${30 * 51}`,
    );
  });

  it('gives the risk ratio, the ethnicity interaction and the engagement odds ratio it is set to (n = 40,000)', () => {
    const { dataset, options, model } = simulateTrialFromSeed({ participants: 40_000 }, 7);
    const arm = dataset.categorical('arm').codes;
    const readmitted = dataset.numeric('readmitted_12m');
    const withdrawn = dataset.numeric('withdrawn');
    const black = dataset.categorical('ethnicity').codes;
    const rate = (keep: (row: number) => boolean) =>
      meanWhere(readmitted, (row) => withdrawn[row] === 0 && keep(row));
    const riskRatio = (group: (row: number) => boolean) => {
      const peer = rate((row) => arm[row] === 1 && group(row));
      const control = rate((row) => arm[row] === 0 && group(row));
      const se = Math.sqrt(
        (1 - peer.mean) / (peer.n * peer.mean) + (1 - control.mean) / (control.n * control.mean),
      );
      return { logRatio: Math.log(peer.mean / control.mean), se };
    };
    const itt = riskRatio(() => true);
    assert.ok(
      Math.abs(itt.logRatio - Math.log(options.riskRatio)) <= 4 * itt.se,
      `ITT RR ${Math.exp(itt.logRatio)}`,
    );
    // expected RR within an ethnic group: c a RR_complier + (1 - c) b (the effect acts in compliers only)
    const c = model.complierProportion;
    const expected = (complierRatio: number) =>
      c * model.complierRiskMultiplier * complierRatio + (1 - c) * model.nonComplierRiskMultiplier;
    const inBlack = riskRatio((row) => black[row] === 1);
    const inOthers = riskRatio((row) => black[row] !== 1);
    assert.ok(
      Math.abs(inBlack.logRatio - Math.log(expected(model.complierRiskRatioBlack))) <= 4 * inBlack.se,
    );
    assert.ok(
      Math.abs(inOthers.logRatio - Math.log(expected(model.complierRiskRatioOther))) <= 4 * inOthers.se,
    );
    assert.ok(inBlack.logRatio < inOthers.logRatio);
    // engagement: logistic regression of complier on first contact minutes, slope log(1.02) per minute
    const hospital = dataset.numeric('pw_contacts_hospital');
    const community = dataset.numeric('pw_contacts_community');
    const minutes = dataset.numeric('first_contact_minutes');
    const rows = Array.from({ length: dataset.rowCount }, (_, row) => row).filter(
      (row) => !Number.isNaN(minutes[row] as number),
    );
    const engagement = createDataset('engagement', rows.length, [
      {
        kind: 'numeric',
        name: 'complier',
        values: Float64Array.from(rows, (row) =>
          (hospital[row] as number) + (community[row] as number) >= 2 && (community[row] as number) >= 1
            ? 1
            : 0,
        ),
      },
      { kind: 'numeric', name: 'minutes', values: Float64Array.from(rows, (row) => minutes[row] as number) },
    ]);
    const fit = glmFromFormula(engagement, 'complier ~ minutes', { family: 'binomial' });
    const slope = fit.coefficients[1] as { estimate: number; se: number };
    // non-compliers with a contact are a subset of non-compliers: the slope is log(1.02) up to the rounding of minutes
    assert.ok(
      Math.abs(slope.estimate - Math.log(options.engagementOddsRatioPerMinute)) <= 4 * slope.se,
      `${slope.estimate}`,
    );
  });

  it('rejects bad options with every problem named', () => {
    assert.throws(
      () => simulateTrialFromSeed({ controlRisk: 1.5, followUpProbability: -0.1, participants: 1.5 }, 1),
      (error: unknown) =>
        error instanceof SimulationOptionsError &&
        error.code === 'simulation_options_invalid' &&
        error.message.includes('participants requires a whole number in [2, 1000000] (got 1.5)') &&
        error.message.includes('controlRisk requires a probability in (0, 1) (got 1.5)') &&
        error.message.includes('followUpProbability requires a probability in [0, 1] (got -0.1)') &&
        error.problems.length === 3,
    );
    assert.throws(
      () => simulateTrialFromSeed({ colour: 1 } as never, 1),
      /simulation options require known names \(got "colour"/,
    );
    assert.throws(
      () =>
        simulateTrialFromSeed(
          { ethnicityProbabilities: { Asian: 0.5, Black: 0.6, Mixed: 0, White: 0, Other: 0 } },
          1,
        ),
      /ethnicityProbabilities requires probabilities summing to 1 \(got 1.1\)/,
    );
    assert.throws(
      () => simulateTrialFromSeed({ hospitalContactsMean: 4, hospitalContactsSd: 1 }, 1),
      /hospitalContactsSd requires an SD above sqrt\(mean\) = 2.000 \(negative binomial\) \(got 1\)/,
    );
    assert.throws(
      () => simulateTrialFromSeed({ riskRatio: 0.1 }, 1),
      (error: unknown) =>
        error instanceof SimulationOptionsError &&
        /riskRatio requires a value above 0\.2\d+: peer support acts only in compliers/.test(error.message),
    );
    assert.throws(
      () => simulateTrialFromSeed({ controlRisk: 0.9 }, 1),
      /controlRisk and riskRatio require every participant's risk to stay <= 1 \(got a largest risk of 1\.52/,
    );
    assert.throws(
      () => simulationStreams(2 ** 31),
      /seed requires a whole number between -2147483647 and 2147483647 \(got 2147483648\)/,
    );
    assert.throws(() => simulationStreams(1.5), SimulationOptionsError);
  });

  it('has every option documented in docs/reference/simulator.md', () => {
    const doc = readFileSync(new URL('../../../docs/reference/simulator.md', import.meta.url), 'utf8');
    const missing = Object.keys(DEFAULT_TRIAL_SIMULATION_OPTIONS).filter(
      (name) => !doc.includes(`\`${name}\``),
    );
    assert.deepEqual(missing, []);
  });
});
