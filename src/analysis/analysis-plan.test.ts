import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath } from '../../test/helpers/fixtures.ts';
import { parseCsv } from '../table/index.ts';
import { readAnalysisDataset } from '../trial/index.ts';
import { checkPlanColumns, DEFAULT_ANALYSIS_PLAN, parseAnalysisPlan } from './analysis-plan.ts';
import { AnalysisPlanError } from './errors.ts';

describe('parseAnalysisPlan', () => {
  it('an empty plan is the default plan of issue 7', () => {
    assert.deepEqual(parseAnalysisPlan({}, 'plan.json'), DEFAULT_ANALYSIS_PLAN);
    assert.deepEqual(DEFAULT_ANALYSIS_PLAN.covariates, ['site', 'diagnosis_group', 'admissions_prior_2y']);
    assert.deepEqual(
      DEFAULT_ANALYSIS_PLAN.subgroups.map((subgroup) => subgroup.name),
      ['ethnicity_black', 'diagnosis_group', 'first_language'],
    );
    assert.equal(DEFAULT_ANALYSIS_PLAN.bootstrapResamples, 1000);
    assert.equal(DEFAULT_ANALYSIS_PLAN.seed, 1);
  });

  it('each given key replaces its default; the default object is not changed', () => {
    const plan = parseAnalysisPlan(
      {
        covariates: ['site'],
        subgroups: [{ variable: 'gender' }],
        count_outcomes: ['bed_days_12m'],
        four_month_scales: [],
        bootstrap_resamples: 200,
        seed: -5,
        confidence_level: 0.9,
      },
      'plan.json',
    );
    assert.deepEqual(plan.covariates, ['site']);
    assert.deepEqual(plan.subgroups, [{ name: 'gender', variable: 'gender', label: 'gender' }]);
    assert.deepEqual(plan.countOutcomes, ['bed_days_12m']);
    assert.deepEqual(plan.fourMonthScales, []);
    assert.equal(plan.bootstrapResamples, 200);
    assert.equal(plan.seed, -5);
    assert.equal(plan.confidenceLevel, 0.9);
    assert.equal(plan.primaryOutcome, 'readmitted_12m');
    assert.equal(DEFAULT_ANALYSIS_PLAN.covariates.length, 3);
  });

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        parseAnalysisPlan(
          {
            covariates: ['site', 'site', 'arm', 3],
            bootstrap: 10,
            bootstrap_resamples: 0,
            seed: 1.5,
            confidence_level: 1,
            time_to_event: { time: 'days' },
            subgroups: [{ variable: 'ethnicity', split: { values: ['Black'], levels: ['Black'] } }],
          },
          'plan.json',
        ),
      (error: unknown) => {
        assert.ok(error instanceof AnalysisPlanError);
        assert.equal(error.code, 'analysis_plan_invalid');
        assert.deepEqual(
          error.problems.map((problem) => `${problem.path}: ${problem.message}`),
          [
            'plan.json: bootstrap: an analysis plan requires keys among covariates, primary_outcome, subgroups, count_outcomes, four_month_scales, time_to_event, bootstrap_resamples, seed, confidence_level (got "bootstrap")',
            'plan.json: covariates[1]: covariates requires distinct names (got "site" twice)',
            'plan.json: covariates[3]: covariates requires column names (got 3)',
            'plan.json: covariates: covariates requires columns other than arm (got "arm")',
            'plan.json: time_to_event.event: time_to_event.event requires a column name (got undefined)',
            'plan.json: subgroups[0].split: a subgroup split requires { "values": [one or more levels], "levels": [two distinct names] } (got {"values":["Black"],"levels":["Black"]})',
            'plan.json: bootstrap_resamples: bootstrap_resamples requires a whole number from 1 to 100000 (got 0)',
            'plan.json: seed: seed requires a whole number between -2147483647 and 2147483647 (got 1.5)',
            'plan.json: confidence_level: confidence_level requires a number between 0 and 1 (got 1)',
          ],
        );
        return true;
      },
    );
  });

  it('rejects a plan that is not an object', () => {
    assert.throws(
      () => parseAnalysisPlan([1], 'plan.json'),
      (error: unknown) =>
        error instanceof AnalysisPlanError &&
        error.message === 'plan.json: (top level): an analysis plan requires a JSON object (got an array)',
    );
  });
});

describe('checkPlanColumns', () => {
  const dataset = readAnalysisDataset(
    parseCsv(readFileSync(fixturePath('data/trial-analysis-messy.csv')), 'trial.csv'),
  );

  it('accepts the default plan on an analysis dataset', () => {
    checkPlanColumns(DEFAULT_ANALYSIS_PLAN, dataset);
  });

  it('names every column the dataset lacks or cannot use', () => {
    const plan = {
      ...DEFAULT_ANALYSIS_PLAN,
      covariates: ['site', 'region'],
      fourMonthScales: ['mood'],
      subgroups: [
        { name: 'age', variable: 'age', label: 'Age' },
        {
          name: 'black',
          variable: 'ethnicity',
          label: 'Black',
          split: { values: ['black'], levels: ['a', 'b'] as [string, string] },
        },
      ],
    };
    assert.throws(
      () => checkPlanColumns(plan, dataset),
      (error: unknown) => {
        assert.ok(error instanceof AnalysisPlanError);
        assert.equal(error.code, 'analysis_plan_column_unknown');
        assert.deepEqual(
          error.problems.map((problem) => problem.message),
          [
            `the analysis plan's covariates requires a column "region" in the dataset (got none)`,
            `the analysis plan's four_month_scales requires a column "mood_4m" in the dataset (got none)`,
            `the analysis plan's four_month_scales requires a column "mood_baseline" in the dataset (got none)`,
            `the analysis plan's subgroups (age) requires a categorical column "age" (got a numeric column)`,
            'the subgroup black requires split values among the levels of ethnicity: Asian, Black, Mixed, White, Other (got "black")',
          ],
        );
        return true;
      },
    );
  });
});
