import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertDeepClose } from '../helpers/approx.ts';
import { fixturePath, readFixture } from '../helpers/fixtures.ts';
import { assertWellFormedSvg, elementsWithRole } from '../helpers/svg.ts';
import { runCli } from './run-cli.ts';

// End to end: CSV file in, JSON out, against metafor 3.8-1 on the same CSV (reference/meta-analysis.R).
// The estimators copy metafor's iterations, so every number agrees to about 1e-11 (max measured
// 1.3e-11, on a Q that is a difference of nearly equal sums); 1e-10 relative, 1e-14 absolute for
// values that are 0 in exact arithmetic.
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

interface MetaCase {
  name: string;
  data: string;
  measure: string;
  method: string;
  test: string;
  subgroup: string | null;
  leave_one_out: boolean;
  expected: Record<string, unknown>;
}

const cases = readFixture<{ cases: MetaCase[] }>('meta-analysis.json').cases;
const dataPath = (name: string) => fixturePath(`data/${name}.csv`);
const scratch = mkdtempSync(join(tmpdir(), 'enrich-meta-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function argvFor(testCase: MetaCase): string[] {
  const argv = ['meta', dataPath(testCase.data), '--measure', testCase.measure, '--method', testCase.method];
  argv.push('--test', testCase.test);
  if (testCase.subgroup !== null) argv.push('--subgroup', testCase.subgroup);
  if (testCase.leave_one_out) argv.push('--leave-one-out');
  return argv;
}

describe('enrich meta --json agrees with metafor (escalc, rma, predict, weights, regtest, leave1out)', () => {
  for (const testCase of cases) {
    it(`${testCase.name}`, async () => {
      const run = await runCli([...argvFor(testCase), '--json']);
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      const json = JSON.parse(run.stdout) as Record<string, unknown>;
      assertDeepClose(json, testCase.expected, TOLERANCE);
      // the contract's keys, and nothing outside it but documented extras
      const allowed = new Set([
        ...[
          'k',
          'measure',
          'method',
          'test',
          'estimate',
          'se',
          'statistic',
          'p_value',
          'ci_lower',
          'ci_upper',
        ],
        ...['tau2', 'tau2_se', 'tau', 'I2', 'H2', 'Q', 'Q_df', 'Q_p_value', 'pi_lower', 'pi_upper', 'exp'],
        ...['studies', 'subgroups', 'egger', 'leave_one_out'],
      ]);
      for (const key of Object.keys(json)) assert.ok(allowed.has(key), `unexpected key ${key}`);
      assert.equal('exp' in json, ['RR', 'OR'].includes(testCase.measure));
    });
  }
});

const mhCases = readFixture<{ cases: MetaCase[] }>('meta-analysis-mh.json').cases;

describe('enrich meta --method MH|PETO --json agrees with metafor (rma.mh, rma.peto, weights, leave1out)', () => {
  for (const testCase of mhCases) {
    it(`${testCase.name}`, async () => {
      const run = await runCli([...argvFor(testCase), '--json']);
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      const json = JSON.parse(run.stdout) as Record<string, unknown>;
      assertDeepClose(json, testCase.expected, TOLERANCE);
      assert.equal('mh_tests' in json, testCase.method === 'MH' && testCase.measure === 'OR');
      assert.equal('egger' in json, false);
    });
  }

  it('prints the MH model, the CMH and homogeneity tests, and rejects MH for continuous data', async () => {
    const run = await runCli(['meta', dataPath('meta-mh-sparse'), '--measure', 'OR', '--method', 'MH']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Equal-Effects Model \(k = 7; Mantel-Haenszel method\)/);
    assert.match(run.stdout, /Q\(df = 4\) = 6\.8052, p-val = 0\.1465/);
    assert.match(run.stdout, /Cochran-Mantel-Haenszel Test: {4}CMH = 1\.4071, df = 1, p-val = 0\.2355/);
    assert.match(run.stdout, /Tarone's Test for Heterogeneity: X\^2 = 11\.7951, df = 4/);
    assert.match(run.stdout, /Cruz 2006 {7}NA {6}NA/);
    const smd = await runCli(['meta', dataPath('meta-normand'), '--measure', 'SMD', '--method', 'MH']);
    assert.equal(smd.code, 2);
    assert.equal(
      smd.stderr,
      'enrich: error [invalid_argument]: method MH (Mantel-Haenszel) requires a binary measure RR, OR or RD with events and group sizes per arm (got measure SMD)\n',
    );
    const knha = await runCli([
      'meta',
      dataPath('meta-bcg'),
      '--measure',
      'RR',
      '--method',
      'MH',
      '--test',
      'knha',
    ]);
    assert.equal(knha.code, 2);
    assert.match(knha.stderr, /method MH \(Mantel-Haenszel\) requires test z \(got test knha\)/);
    const peto = await runCli(['meta', dataPath('meta-bcg'), '--measure', 'RD', '--method', 'PETO']);
    assert.equal(peto.code, 2);
    assert.match(peto.stderr, /method PETO \(Peto's odds ratio\) requires measure OR \(got measure RD\)/);
  });

  it('writes a forest plot with the per-arm columns', async () => {
    const forest = join(scratch, 'forest-mh.svg');
    const run = await runCli([
      'meta',
      dataPath('meta-bcg'),
      '--measure',
      'RR',
      '--method',
      'MH',
      '--forest',
      forest,
      '--arm1',
      'BCG',
    ]);
    assert.equal(run.code, 0);
    const svg = readFileSync(forest, 'utf8');
    assertWellFormedSvg(svg);
    assert.match(svg, /data-role="arm1-header"[^>]*>BCG</);
    assert.equal(elementsWithRole(svg, 'arm-cell').length, 13 * 4 + 4);
    assert.equal(elementsWithRole(svg, 'events-row').length, 1);
  });
});

describe('enrich meta: defaults, text output and figures', () => {
  const bcg = dataPath('meta-bcg');

  it('defaults to REML with the z test, as metafor', async () => {
    const run = await runCli(['meta', bcg, '--measure', 'RR', '--json']);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(json.method, 'REML');
    assert.equal(json.test, 'z');
    const reml = cases.find((testCase) => testCase.name === 'bcg_rr_reml')?.expected as Record<
      string,
      unknown
    >;
    // the reference case also asked for subgroups (which label each study) and leave-one-out
    const { subgroups: _subgroups, leave_one_out: _leaveOneOut, studies, ...pooled } = reml;
    const unlabelled = (studies as Record<string, unknown>[]).map(
      ({ subgroup: _subgroup, ...study }) => study,
    );
    assertDeepClose(json, { ...pooled, studies: unlabelled }, TOLERANCE);
  });

  it('prints a readable summary like print.rma', async () => {
    const run = await runCli(['meta', bcg, '--measure', 'RR', '--subgroup', 'alloc', '--leave-one-out']);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Random-Effects Model \(k = 13; tau\^2 estimator: REML\)/);
    assert.match(run.stdout, /tau\^2 \(estimated amount of total heterogeneity\): 0\.3132 \(SE = 0\.1664\)/);
    assert.match(run.stdout, /I\^2 \(total heterogeneity \/ total variability\): {3}92\.22%/);
    assert.match(run.stdout, /Q\(df = 12\) = 152\.2330, p-val < \.0001/);
    assert.match(run.stdout, /pooled {3}-0\.7145 {2}0\.1798 {2}-3\.9744/);
    assert.match(run.stdout, /Risk ratio: 0\.4894 \(95% CI 0\.3441 to 0\.6962/);
    assert.match(run.stdout, /Test for subgroup differences .*: Q\(df = 2\) = /);
    assert.match(run.stdout, /Egger's regression test/);
    assert.match(run.stdout, /Leave-one-out/);
  });

  it('writes forest and funnel SVGs and prints the same JSON', async () => {
    const forest = join(scratch, 'forest.svg');
    const funnel = join(scratch, 'funnel.svg');
    const plain = await runCli(['meta', bcg, '--measure', 'RR', '--json']);
    const run = await runCli([
      'meta',
      bcg,
      '--measure',
      'RR',
      '--json',
      '--forest',
      forest,
      '--funnel',
      funnel,
    ]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, plain.stdout);
    const forestSvg = readFileSync(forest, 'utf8');
    assertWellFormedSvg(forestSvg);
    assert.equal(elementsWithRole(forestSvg, 'study-row').length, 13);
    const funnelSvg = readFileSync(funnel, 'utf8');
    assertWellFormedSvg(funnelSvg);
    assert.equal(elementsWithRole(funnelSvg, 'study-point').length, 13);
  });
});

describe('enrich meta: bad input is exit 2 with every problem listed', () => {
  function csv(name: string, content: string): string {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  }

  it('lists every bad row at once: events > n, a missing value, sd <= 0, a negative variance', async () => {
    const binary = csv(
      'bad-binary.csv',
      'study,events1,n1,events2,n2\nA,12,10,3,20\nB,NA,30,4,30\nC,2.5,30,4,-1\n',
    );
    const run = await runCli(['meta', binary, '--measure', 'RR', '--json']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      [
        `enrich: error [meta_data_invalid]: ${binary}:row 1:events1: study "A" requires events1 <= n1 (got 12 > 10)`,
        `${binary}:row 2:events1: study "B" requires a value of events1 (got a missing value)`,
        `${binary}:row 3:events1: study "C" requires events1 to be a whole number >= 0 (got 2.5)`,
        `${binary}:row 3:n2: study "C" requires n2 to be a whole number >= 1 (got -1)`,
        '',
      ].join('\n'),
    );
    const continuous = csv(
      'bad-continuous.csv',
      'study,mean1,sd1,n1,mean2,sd2,n2\nA,1,0,10,2,1,10\nB,1,1,1,2,-2,2\n',
    );
    const smd = await runCli(['meta', continuous, '--measure', 'SMD']);
    assert.equal(smd.code, 2);
    assert.match(smd.stderr, /row 1:sd1: study "A" requires sd1 > 0 \(got 0\)/);
    assert.match(smd.stderr, /row 2:sd2: study "B" requires sd2 > 0 \(got -2\)/);
    assert.match(smd.stderr, /row 2:n1: study "B" requires n1 \+ n2 >= 4 for SMD/);
    const generic = csv('bad-generic.csv', 'study,yi,vi\nA,0.1,-0.02\n,0.3,0.01\n');
    const gen = await runCli(['meta', generic, '--measure', 'GEN', '--method', 'FE']);
    assert.equal(gen.code, 2);
    assert.match(gen.stderr, /row 1:vi: study "A" requires a sampling variance vi > 0 \(got -0\.02\)/);
    assert.match(gen.stderr, /row 2:study: a study requires a label \(got a missing value\)/);
  });

  it('names missing and non-numeric columns', async () => {
    const path = csv('columns.csv', 'study,events1,n1,events2\nA,x,10,3\n');
    const run = await runCli(['meta', path, '--measure', 'OR', '--subgroup', 'region']);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      [
        `enrich: error [meta_data_invalid]: ${path}:events1: column "events1" requires numbers (got text such as "x")`,
        `${path}: measure OR requires a column "n2" (got columns study, events1, n1, events2)`,
        `${path}: the subgroup analysis requires a column "region" (got columns study, events1, n1, events2)`,
        '',
      ].join('\n'),
    );
  });

  it('rejects a random-effects model with one study; FE with one study works', async () => {
    const single = dataPath('meta-single');
    const run = await runCli(['meta', single, '--measure', 'RR']);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      'enrich: error [model_data_invalid]: a random-effects meta-analysis (REML) requires at least 2 studies (got 1; use --method FE for a single study)\n',
    );
    const fixed = await runCli(['meta', single, '--measure', 'RR', '--method', 'FE', '--json']);
    assert.equal(fixed.code, 0);
  });

  it('rejects a missing subgroup value, bad option values and an unwritable figure path', async () => {
    const path = csv('subgroup.csv', 'study,yi,vi,group\nA,0.1,0.02,x\nB,0.3,0.03,\nC,0.2,0.01,y\n');
    const run = await runCli(['meta', path, '--measure', 'GEN', '--subgroup', 'group']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /row 2:group: study "B" requires a subgroup in column "group" \(got a missing value\)/,
    );
    const measure = await runCli(['meta', path, '--measure', 'HR']);
    assert.equal(measure.code, 2);
    assert.match(
      measure.stderr,
      /\[usage\]: --measure requires one of RR, OR, RD, SMD, MD, GEN \(got "HR"\)/,
    );
    const missing = await runCli(['meta', path]);
    assert.match(missing.stderr, /\[usage\]: --measure is required/);
    const method = await runCli(['meta', path, '--measure', 'GEN', '--method', 'EB']);
    assert.match(method.stderr, /--method requires one of FE, DL, REML, ML, PM, HE, SJ, MH, PETO/);
    const figure = await runCli([
      'meta',
      path,
      '--measure',
      'GEN',
      '--forest',
      join(scratch, 'no/such/dir/f.svg'),
    ]);
    assert.equal(figure.code, 2);
    assert.equal(figure.stdout, '');
    assert.match(figure.stderr, /\[usage\]: figure file .*f\.svg requires a writable path \(got ENOENT\)/);
  });
});
