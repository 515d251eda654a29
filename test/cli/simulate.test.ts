import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCsv } from '../../src/table/index.ts';
import { ANALYSIS_DATASET_COLUMNS, readAnalysisDataset, readSaeDataset } from '../../src/trial/index.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-simulate-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const path = (name: string) => join(directory, name);

describe('enrich simulate', () => {
  it('writes a valid analysis dataset and SAE file and summarises them', async () => {
    const run = await runCli([
      'simulate',
      '--n',
      '590',
      '--seed',
      '1',
      '--out',
      path('a.csv'),
      '--sae-out',
      path('a-sae.csv'),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const text = readFileSync(path('a.csv'));
    assert.equal(text.toString().split('\n')[0], ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name).join(','));
    const dataset = readAnalysisDataset(parseCsv(text, 'a.csv'));
    assert.equal(dataset.rowCount, 590);
    const sae = readSaeDataset(parseCsv(readFileSync(path('a-sae.csv')), 'a-sae.csv'), dataset);
    assert.match(
      run.stdout,
      /^Simulated trial \(seed 1\): 590 participants written to .*a\.csv, \d+ serious adverse events to/,
    );
    assert.match(
      run.stdout,
      new RegExp(`${sae.rowCount} SAEs in ${new Set(sae.participantIds).size} participants`),
    );
    assert.match(run.stdout, /usual_care +\d+ +\d+ +\d+ +\d+\.\d/);
  });

  it('writes the same bytes for the same seed, and the flags change the model', async () => {
    await runCli(['simulate', '--seed', '1', '--out', path('b.csv')]);
    assert.deepEqual(readFileSync(path('b.csv')), readFileSync(path('a.csv')));
    const run = await runCli([
      'simulate',
      '--n',
      '100',
      '--seed',
      '3',
      '--risk-ratio',
      '0.8',
      '--followup',
      '0.7',
      '--out',
      path('c.csv'),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.participants, 100);
    assert.equal(json.seed, 3);
    assert.equal(json.sae_out, null);
    assert.equal(json.options.risk_ratio, 0.8);
    assert.equal(json.options.follow_up_probability, 0.7);
    assert.equal(json.arms.length, 2);
    assert.ok(json.model.complier_proportion > 0.7 && json.model.complier_proportion < 0.8);
  });

  it('takes options from a JSON file (camelCase or the snake_case that --json prints), flags on top', async () => {
    writeFileSync(
      path('options.json'),
      JSON.stringify({
        control_risk: 0.4,
        sites: 3,
        scales: {
          eq5d: { mean: 0.7, sd: 0.2, minimum: -0.594, maximum: 1, decimals: 3, higher_is_better: true },
        },
      }),
    );
    const run = await runCli([
      'simulate',
      '--n',
      '60',
      '--options',
      path('options.json'),
      '--risk-ratio',
      '0.9',
      '--out',
      path('d.csv'),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.options.control_risk, 0.4);
    assert.equal(json.options.risk_ratio, 0.9);
    assert.equal(json.options.sites, 3);
    assert.equal(json.options.scales.eq5d.mean, 0.7);
    const dataset = readAnalysisDataset(parseCsv(readFileSync(path('d.csv')), 'd.csv'));
    assert.ok(dataset.categorical('site').levels.length <= 3);
  });

  it('reports bad usage, bad options and unwritable files with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['simulate', '--seed', '1'], /^enrich: error \[usage\]: --out is required/],
      [
        ['simulate', '--out', path('x.csv'), '--risk-ratio', 'abc'],
        /\[usage\]: --risk-ratio requires a number \(got "abc"\)/,
      ],
      [
        ['simulate', '--out', path('x.csv'), '--seed', '2147483648'],
        /\[usage\]: --seed requires a whole number between -2147483647 and 2147483647 \(got "2147483648"\)/,
      ],
      [['simulate', '--out', path('x.csv'), 'extra'], /\[usage\]: unexpected argument "extra"/],
      [
        ['simulate', '--out', path('x.csv'), '--n', '1.5'],
        /\[simulation_options_invalid\]: participants requires a whole number in \[2, 1000000\] \(got 1.5\)/,
      ],
      [
        ['simulate', '--out', path('x.csv'), '--control-risk', '0.95'],
        /\[simulation_options_invalid\]: controlRisk and riskRatio require every participant's risk to stay <= 1/,
      ],
      [
        ['simulate', '--out', path('x.csv'), '--options', path('missing.json')],
        /\[file_unreadable\]: options file .*missing\.json requires a readable file \(got no such file\)/,
      ],
      [
        ['simulate', '--out', join(directory, 'no-such-dir', 'x.csv')],
        /\[usage\]: output file .*x\.csv requires a writable path \(got ENOENT\)/,
      ],
    ];
    writeFileSync(path('bad.json'), '{ "controlRisk": ');
    cases.push([
      ['simulate', '--out', path('x.csv'), '--options', path('bad.json')],
      /\[usage\]: --options requires a JSON file/,
    ]);
    writeFileSync(path('array.json'), '[1, 2]');
    cases.push([
      ['simulate', '--out', path('x.csv'), '--options', path('array.json')],
      /\[usage\]: --options requires a JSON object of simulator options \(got \[1,2\]\)/,
    ]);
    writeFileSync(path('unknown.json'), '{ "colour": "blue", "followUpProbability": 2 }');
    cases.push([
      ['simulate', '--out', path('x.csv'), '--options', path('unknown.json')],
      /\[simulation_options_invalid\]: simulation options require known names \(got "colour".*\nfollowUpProbability requires a probability in \[0, 1\] \(got 2\)/s,
    ]);
    for (const [argv, pattern] of cases) {
      const run = await runCli(argv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, pattern, argv.join(' '));
    }
  });
});
