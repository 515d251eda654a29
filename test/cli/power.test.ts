import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { armGroups } from '../../src/analysis/arm-groups.ts';
import { DEFAULT_ANALYSIS_PLAN } from '../../src/analysis/index.ts';
// not exported by src/analysis/index.ts: imported directly to check that power's fast fit is the analysis's
import { primaryAnalysis } from '../../src/analysis/primary-analysis.ts';
import { primaryLogisticTest, simulateTrialFromSeed } from '../../src/trial/index.ts';
import { assertWellFormedSvg } from '../helpers/svg.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-power-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('enrich power', () => {
  it("tests the same odds ratio as enrich analyse's primary analysis (bit for bit)", () => {
    for (const seed of [1, 2, 3]) {
      const { dataset } = simulateTrialFromSeed({}, seed);
      const fast = primaryLogisticTest(dataset);
      const analysis = primaryAnalysis(dataset, DEFAULT_ANALYSIS_PLAN, armGroups(dataset));
      // same design, same IRLS: identical doubles
      assert.equal(fast.pValue, analysis.oddsRatio.pValue);
      assert.equal(Math.exp(fast.estimate), analysis.oddsRatio.estimate);
    }
  });

  it('reports power, its Monte Carlo SE and fit problems per n, reproducibly', async () => {
    const argv = ['power', '--n', '60,120', '--reps', '20', '--seed', '4', '--json'];
    const run = await runCli(argv);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress bar when stderr is not a terminal');
    const json = JSON.parse(run.stdout);
    assert.equal(json.control_risk, 0.5);
    assert.equal(json.risk_ratio, 0.86);
    assert.equal(json.reps, 20);
    assert.deepEqual(
      json.points.map((point: { n: number }) => point.n),
      [60, 120],
    );
    for (const point of json.points) {
      assert.equal(point.power, point.rejections / 20);
      assert.equal(point.monte_carlo_se, Math.sqrt((point.power * (1 - point.power)) / 20));
      assert.equal(typeof point.failed, 'number');
      assert.equal(typeof point.warned, 'number');
    }
    const again = JSON.parse((await runCli(argv)).stdout);
    assert.deepEqual(
      again.points.map((point: { rejections: number }) => point.rejections),
      json.points.map((point: { rejections: number }) => point.rejections),
    );
  });

  it('prints a table and writes the HTML page and the SVG curve', async () => {
    const html = join(directory, 'power.html');
    const svg = join(directory, 'power.svg');
    const run = await runCli([
      'power',
      '--n',
      '100',
      '--reps',
      '10',
      '--risk-ratio',
      '0.7',
      '--control-risk',
      '0.4',
      '--html',
      html,
      '--svg',
      svg,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Power by simulation: 10 trials per n, control risk 0.4, risk ratio 0.7, alpha 0.05, seed 1\n/,
    );
    assert.match(run.stdout, /\n100 +\d\.\d{3} +\d\.\d{4} +\d\.\d{3} +\d+ +\d+\n/);
    assert.match(run.stdout, /10 simulated trials in \d+\.\d s/);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/);
    assert.match(page, /<svg [^>]*role="img"/);
    assert.match(page, /<td>100<\/td>/);
    assert.match(page, /Monte Carlo SE is sqrt\(p\(1 - p\)\/10\)/);
    assertWellFormedSvg(readFileSync(svg, 'utf8'));
  });

  it('reports bad usage and impossible settings with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['power', '--n', '200,abc'],
        /\[usage\]: --n requires comma-separated whole numbers such as 200,400,590 \(got "200,abc"\)/,
      ],
      [['power', '--reps', '0'], /\[usage\]: --reps requires a whole number >= 1 \(got "0"\)/],
      [['power', '--alpha', 'x'], /\[usage\]: --alpha requires a number \(got "x"\)/],
      [
        ['power', '--n', '5', '--reps', '2'],
        /\[simulation_options_invalid\]: power requires sample sizes that are whole numbers in \[10, 1000000\] \(got 5\)/,
      ],
      [
        ['power', '--alpha', '2', '--reps', '2'],
        /\[simulation_options_invalid\]: power requires alpha in \(0, 1\) \(got 2\)/,
      ],
      [
        ['power', '--risk-ratio', '0.1', '--reps', '2'],
        /\[simulation_options_invalid\]: riskRatio requires a value above 0\.2/,
      ],
      [
        ['power', '--reps', '2', '--html', join(directory, 'none', 'p.html')],
        /\[usage\]: output file .*p\.html requires a writable path \(got ENOENT\)/,
      ],
      [['power', 'file.csv'], /\[usage\]: unexpected argument "file.csv"/],
    ];
    for (const [argv, pattern] of cases) {
      const run = await runCli(argv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, pattern, argv.join(' '));
    }
  });
});
