import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  compareWithR,
  editedCsv,
  trialAnalysisCases,
} from '../../src/analysis/trial-analysis-fixture.test-support.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-analyse-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const path = (name: string) => join(directory, name);
const messy = trialAnalysisCases().find((testCase) => testCase.name === 'trial-analysis-messy');
if (messy === undefined) throw new Error('fixture case trial-analysis-messy is missing');
const data = fixturePath(messy.data);
const sae = fixturePath(messy.sae);

// The CACE interval copies R's resamples and glm.fit iterations: 1e-10; the rest 1e-6 (see src/analysis tests).
const tolerance = (where: string) =>
  /^cace\.(risk_ratio|log_risk_ratio|bootstrap\.(log_ci_lower|log_ci_upper))/.test(where) ? 1e-10 : 1e-6;

describe('enrich analyse', () => {
  it('--json - prints every number of reference/trial-analysis.R, with the SHA-256 of the inputs', async () => {
    const run = await runCli([
      'analyse',
      data,
      '--sae',
      sae,
      '--bootstrap',
      String(messy.resamples),
      '--seed',
      String(messy.seed),
      '--json',
      '-',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress bar when stderr is not a terminal');
    const json = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
    for (const section of Object.keys(messy.result))
      compareWithR(json[section], messy.result[section], tolerance, section);
    const methods = json.methods as Record<string, unknown>;
    assert.equal(methods.input_sha256, createHash('sha256').update(readFileSync(data)).digest('hex'));
    assert.equal(methods.sae_sha256, createHash('sha256').update(readFileSync(sae)).digest('hex'));
    assert.equal(methods.input_file, 'trial-analysis-messy.csv');
    const plan = methods.plan as Record<string, unknown>;
    assert.equal(plan.bootstrap_resamples, messy.resamples);
    assert.equal(plan.seed, messy.seed);
    // The keys issue 7 fixes.
    const primary = json.primary as Record<string, Record<string, unknown>>;
    for (const key of ['odds_ratio', 'risk_ratio', 'risk_difference']) {
      assert.deepEqual(Object.keys(primary[key] ?? {}), ['estimate', 'ci_lower', 'ci_upper', 'p_value']);
    }
    assert.deepEqual(Object.keys(primary.n ?? {}), ['usual_care', 'peer_support']);
    assert.deepEqual(Object.keys((json.cace as Record<string, Record<string, unknown>>).risk_ratio ?? {}), [
      'estimate',
      'ci_lower',
      'ci_upper',
    ]);
  });

  it('writes --json OUT and --html REPORT and prints the readable summary; --sap sets the plan, flags override it', async () => {
    writeFileSync(
      path('plan.json'),
      JSON.stringify({ bootstrap_resamples: 30, seed: 3, covariates: ['site', 'diagnosis_group'] }),
    );
    const run = await runCli([
      'analyse',
      data,
      '--sap',
      path('plan.json'),
      '--seed',
      '4',
      '--json',
      path('out.json'),
      '--html',
      path('report.html'),
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(readFileSync(path('out.json'), 'utf8')) as {
      methods: { plan: { seed: number; bootstrap_resamples: number; covariates: string[] } };
      sae: unknown;
    };
    assert.deepEqual(json.methods.plan.covariates, ['site', 'diagnosis_group']);
    assert.equal(json.methods.plan.bootstrap_resamples, 30);
    assert.equal(json.methods.plan.seed, 4);
    assert.equal(json.sae, null);
    const html = readFileSync(path('report.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(
      run.stdout,
      /^Trial analysis of trial-analysis-messy\.csv \(SHA-256 [0-9a-f]{16}\.\.\.\), enrich /,
    );
    assert.match(run.stdout, /\nPrimary outcome \(readmitted_12m\), intention to treat:\n/);
    assert.match(
      run.stdout,
      /\nCACE risk ratio \(two-stage residual inclusion\): .*\n {2}BCa bootstrap, 30 resamples stratified by arm, seed 4;/,
    );
    assert.match(run.stdout, /\nadjusted odds ratio +[0-9.]+ \([0-9.]+ to [0-9.]+\) +[0-9.]+\n/);
  });
});

describe('enrich analyse errors', () => {
  const expectError = async (argv: string[], code: string, message: RegExp) => {
    const run = await runCli(['analyse', ...argv]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^enrich: error \\[${code}\\]: `));
    assert.match(run.stderr, message);
  };
  const edited = (name: string, edit: Parameters<typeof editedCsv>[1]) => {
    writeFileSync(path(name), editedCsv(messy.data, edit));
    return path(name);
  };

  it('a missing column', async () => {
    const file = path('no-arm.csv');
    const [header, ...rows] = readFileSync(data, 'utf8').trimEnd().split('\n') as [string, ...string[]];
    const drop = header.split(',').indexOf('"withdrawn"');
    const without = (line: string) =>
      line
        .split(',')
        .filter((_, index) => index !== drop)
        .join(',');
    writeFileSync(file, `${[header, ...rows].map(without).join('\n')}\n`);
    await expectError([file], 'dataset_column_missing', /the analysis dataset requires a column "withdrawn"/);
  });

  it('a bad category, naming the row', async () => {
    const file = edited('bad-category.csv', (cells, column, row) => {
      if (row === 4) cells[column('diagnosis_group')] = '"bipolar"';
    });
    await expectError([file], 'dataset_value_invalid', /row 5, column diagnosis_group: .*bipolar/);
  });

  it('a duplicate participant_id', async () => {
    const file = edited('duplicate.csv', (cells, column, row) => {
      if (row === 9) cells[column('participant_id')] = '"P0001"';
    });
    await expectError([file], 'dataset_duplicate_id', /got "P0001" in rows 1 and 10/);
  });

  it('an arm with no participants', async () => {
    const file = edited('one-arm.csv', (cells, column) => {
      cells[column('arm')] = '"peer_support"';
    });
    await expectError(
      [file],
      'analysis_arm_empty',
      /requires participants in every arm \(got none in usual_care;/,
    );
  });

  it('a primary outcome with no events', async () => {
    const file = edited('no-events.csv', (cells, column) => {
      if (cells[column('readmitted_12m')] !== 'NA') cells[column('readmitted_12m')] = '0';
    });
    await expectError(
      [file],
      'analysis_outcome_degenerate',
      /the primary analysis requires both events and non-events in readmitted_12m \(got 0 events among 282 participants\)/,
    );
  });

  it('a plan that is not valid JSON, or not a valid plan', async () => {
    writeFileSync(path('broken.json'), '{ "seed": ');
    await expectError(
      ['--sap', path('broken.json'), data],
      'analysis_plan_invalid',
      /an analysis plan requires valid JSON/,
    );
    writeFileSync(path('bad-plan.json'), JSON.stringify({ subgroups: [{ variable: 'religion' }] }));
    await expectError(['--sap', path('bad-plan.json'), data], 'analysis_plan_column_unknown', /religion/);
    writeFileSync(path('bad-seed.json'), JSON.stringify({ seed: 'one' }));
    await expectError(
      ['--sap', path('bad-seed.json'), data],
      'analysis_plan_invalid',
      /seed requires a whole number/,
    );
  });

  it('bad options and files', async () => {
    await expectError(
      [data, '--bootstrap', '0'],
      'usage',
      /--bootstrap requires a whole number >= 1 \(got "0"\)/,
    );
    await expectError(
      [data, '--bootstrap', '200000'],
      'usage',
      /--bootstrap requires a whole number from 1 to 100000/,
    );
    await expectError([data, '--seed', '1.5'], 'usage', /--seed requires a whole number/);
    await expectError([data, '--json', ''], 'usage', /--json requires a file name/);
    await expectError([], 'usage', /a CSV file is required/);
    await expectError(
      [path('absent.csv')],
      'file_unreadable',
      /input file .*absent\.csv requires a readable file \(got no such file\)/,
    );
    await expectError(
      [data, '--sae', path('absent-sae.csv')],
      'file_unreadable',
      /SAE file .* requires a readable file/,
    );
  });
});

describe('enrich analyse --html', () => {
  it('puts --title and --isrctn into the report', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'enrich-report-'));
    const html = join(directory, 'report.html');
    const run = await runCli([
      'analyse',
      fixturePath('data/trial-analysis-main.csv'),
      '--bootstrap',
      '20',
      '--html',
      html,
      '--title',
      'ENRICH trial: final report',
      '--isrctn',
      'ISRCTN10043328',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const text = readFileSync(html, 'utf8');
    assert.match(text, /<title>ENRICH trial: final report<\/title>/);
    assert.match(text, /ISRCTN10043328/);
  });
});
