import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readBootstrapFixture } from '../../src/stats/bootstrap/bootstrap-fixture.test-support.ts';
import { assertClose } from '../helpers/approx.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

// reference/bootstrap.R runs the statistic of each `enrich boot` case in R on the same CSV after
// set.seed(seed), with rows missing a used value dropped (complete.cases), and
// boot.ci(b, conf, type = c("norm", "basic", "perc", "bca"), L = empinf(b, type = "jack")).
// Tolerances: t0 exact (our sums round as R's long-double ones); bias, SE and intervals 1e-12 relative
// (a replicate may differ from R's in the last bit, and qnorm/pnorm/pow round differently; observed
// maximum about 1e-15).
const fixture = readBootstrapFixture();
const trial = fixturePath('data/bootstrap-trial.csv');
const TOLERANCE = { relative: 1e-12, absolute: 1e-13 };

describe('enrich boot --json agrees with boot and boot.ci', () => {
  for (const expected of fixture.cases.cli) {
    it(expected.name, async () => {
      const interval = expected.intervals[0];
      assert.ok(interval);
      const argv = ['boot', trial, '--statistic', expected.statistic, '--column', expected.column];
      if (expected.column2 !== null) argv.push('--column2', expected.column2);
      if (expected.group !== null) argv.push('--group', expected.group);
      if (expected.strata !== null) argv.push('--strata', expected.strata);
      argv.push(
        '--R',
        String(expected.R),
        '--seed',
        String(expected.seed),
        '--conf',
        String(interval.conf),
        '--json',
      );
      const run = await runCli(argv);
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      const output = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(output), [
        'statistic',
        'column',
        ...(expected.column2 === null ? [] : ['column2']),
        ...(expected.group === null ? [] : ['group', 'group_levels']),
        ...(expected.strata === null ? [] : ['strata']),
        'n',
        'n_dropped',
        'R',
        'seed',
        'conf',
        't0',
        'bias',
        'se',
        'intervals',
        'warnings',
      ]);
      assert.equal(output.n, expected.n);
      assert.equal(output.n_dropped, expected.n_dropped);
      assert.equal(output.R, expected.R);
      assert.equal(output.seed, expected.seed);
      assert.equal(output.conf, interval.conf);
      assert.equal(output.t0, expected.t0[0]);
      assertClose(output.bias, expected.bias[0] as number, TOLERANCE, 'bias');
      assertClose(output.se, expected.se[0] as number, TOLERANCE, 'se');
      const names = { normal: 'normal', basic: 'basic', percentile: 'percent', bca: 'bca' } as const;
      for (const [jsonName, rName] of Object.entries(names)) {
        const bounds = output.intervals[jsonName] as number[];
        const reference = interval[rName];
        assertClose(bounds[0] as number, reference[0] as number, TOLERANCE, `${jsonName} lower`);
        assertClose(bounds[1] as number, reference[1] as number, TOLERANCE, `${jsonName} upper`);
      }
      assert.deepEqual(output.warnings, []);
      if (expected.group !== null) assert.deepEqual(output.group_levels, ['control', 'peer']);
    });
  }

  it('prints a readable summary without --json', async () => {
    const run = await runCli([
      'boot',
      trial,
      '--statistic',
      'mean',
      '--column',
      'outcome',
      '--R',
      '999',
      '--seed',
      '1',
    ]);
    assert.equal(run.code, 0);
    const expected = fixture.cases.cli[0];
    assert.ok(expected);
    assert.match(run.stdout, /^ORDINARY NONPARAMETRIC BOOTSTRAP/);
    assert.match(run.stdout, /Observations: 194 \(6 dropped for a missing value\)/);
    assert.match(run.stdout, /Replicates: R = 999, seed = 1/);
    assert.match(run.stdout, /t1\* +51\.39124 +-0\.0247020/);
    assert.match(run.stdout, /BCa +\(50\.13062, 52\.89411\)/);
  });
});

describe('enrich boot reports warnings and an impossible BCa interval', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'enrich-boot-'));
  it('BCa null with the reason when every replicate is at or above t0 (R: estimated adjustment w is infinite)', async () => {
    // A median of data where more than half the values equal the minimum: no resample median is below it.
    const path = join(scratch, 'floor.csv');
    writeFileSync(path, 'x\n1\n1\n1\n1\n1\n1\n2\n3\n');
    const run = await runCli([
      'boot',
      path,
      '--statistic',
      'median',
      '--column',
      'x',
      '--R',
      '200',
      '--seed',
      '3',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const output = JSON.parse(run.stdout);
    assert.equal(output.intervals.bca, null);
    assert.ok(
      output.warnings.includes(
        'bca: bootCi requires some replicates below t0 and some not for the BCa bias correction (got 0 of 200 below t0 = 1)',
      ),
      output.warnings.join('\n'),
    );
  });
});

describe('enrich boot without strata when a resample can lack a group', () => {
  it('leaves NaN replicates out of the intervals with a warning; BCa null when the jackknife is undefined', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'enrich-boot-nan-')), 'lonely.csv');
    writeFileSync(path, 'x,g\n1,a\n2,a\n3,a\n4,a\n5,a\n9,b\n');
    const run = await runCli([
      'boot',
      path,
      '--statistic',
      'difference-in-means',
      '--column',
      'x',
      '--group',
      'g',
      '--R',
      '100',
      '--seed',
      '1',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const output = JSON.parse(run.stdout);
    assert.equal(output.intervals.bca, null);
    assert.ok(Number.isFinite(output.intervals.percentile[0]));
    assert.ok(
      output.warnings.some((warning: string) =>
        /^\d+ non-finite replicate\(s\) left out of the intervals, as boot.ci does$/.test(warning),
      ),
      output.warnings.join('\n'),
    );
    assert.ok(
      output.warnings.includes(
        'bca: bootCi requires finite influence values with some spread for the BCa acceleration (got a = NaN)',
      ),
      output.warnings.join('\n'),
    );
  });
});

describe('enrich boot rejects bad input (exit 2, one message, nothing on stdout)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'enrich-boot-errors-'));
  function csv(name: string, text: string): string {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  }
  const data = csv('data.csv', 'x,y,label,g3,s\n1,2,a,p,u\n2,4,b,q,u\n3,1,a,r,v\n4,3,b,p,w\n5,5,a,q,v\n');
  const oneRow = csv('one.csv', 'x,y\n1,2\nNA,3\n');
  const base = ['boot', data, '--R', '99', '--seed', '1'];
  const cases: [string, string[], string][] = [
    [
      'no statistic',
      ['boot', data, '--column', 'x', '--R', '99', '--seed', '1'],
      'usage]: --statistic is required',
    ],
    [
      'an unknown statistic',
      [...base, '--statistic', 'mode', '--column', 'x'],
      'usage]: --statistic requires one of mean, median, sd, ratio-of-means, difference-in-means (got "mode")',
    ],
    [
      'no column',
      ['boot', data, '--statistic', 'mean', '--R', '99', '--seed', '1'],
      'usage]: --column is required',
    ],
    [
      'no --R',
      ['boot', data, '--statistic', 'mean', '--column', 'x', '--seed', '1'],
      'usage]: --R is required',
    ],
    [
      'no --seed',
      ['boot', data, '--statistic', 'mean', '--column', 'x', '--R', '99'],
      'usage]: --seed is required',
    ],
    [
      'R < 2',
      ['boot', data, '--statistic', 'mean', '--column', 'x', '--R', '1', '--seed', '1'],
      'usage]: --R requires a whole number between 2 and 2147483647 (got "1")',
    ],
    [
      'a fractional seed',
      ['boot', data, '--statistic', 'mean', '--column', 'x', '--R', '99', '--seed', '1.5'],
      'usage]: --seed requires a whole number between -2147483647 and 2147483647 (got "1.5")',
    ],
    [
      'conf outside (0, 1)',
      [...base, '--statistic', 'mean', '--column', 'x', '--conf', '95'],
      'usage]: --conf requires a number between 0 and 1 (got "95")',
    ],
    [
      'ratio without --column2',
      [...base, '--statistic', 'ratio-of-means', '--column', 'x'],
      'usage]: --statistic ratio-of-means requires --column2 (the denominator column)',
    ],
    [
      'difference without --group',
      [...base, '--statistic', 'difference-in-means', '--column', 'x'],
      'usage]: --statistic difference-in-means requires --group (a column with two levels)',
    ],
    [
      '--column2 with another statistic',
      [...base, '--statistic', 'mean', '--column', 'x', '--column2', 'y'],
      'usage]: --column2 requires --statistic ratio-of-means (got --statistic mean)',
    ],
    [
      '--group with another statistic',
      [...base, '--statistic', 'median', '--column', 'x', '--group', 'label'],
      'usage]: --group requires --statistic difference-in-means (got --statistic median)',
    ],
    [
      'an unknown column',
      [...base, '--statistic', 'mean', '--column', 'z'],
      `model_data_invalid]: boot requires a column "z" for --column in ${data} (got columns x, y, label, g3, s)`,
    ],
    [
      'a non-numeric column',
      [...base, '--statistic', 'ratio-of-means', '--column', 'label', '--column2', 'g3'],
      'model_data_invalid]: boot requires a numeric column "label" for --column (got non-numeric values such as "a")\nboot requires a numeric column "g3" for --column2 (got non-numeric values such as "p")',
    ],
    [
      'fewer than 2 complete rows',
      ['boot', oneRow, '--statistic', 'mean', '--column', 'x', '--R', '99', '--seed', '1'],
      `model_data_invalid]: boot requires at least 2 complete rows (got 1 of 2 in ${oneRow}; 1 dropped for a missing value)`,
    ],
    [
      'a group with 3 levels',
      [...base, '--statistic', 'difference-in-means', '--column', 'x', '--group', 'g3'],
      'model_data_invalid]: boot requires a --group column with exactly 2 levels for difference-in-means (got 3 in g3: p, q, r)',
    ],
    [
      'a stratum of one row',
      [...base, '--statistic', 'mean', '--column', 'x', '--strata', 's'],
      'model_data_invalid]: boot requires at least 2 rows in every stratum of s (got 1 row in "w")',
    ],
    [
      'all replicates equal',
      [
        'boot',
        csv('same.csv', 'x\n4\n4\n4\n'),
        '--statistic',
        'mean',
        '--column',
        'x',
        '--R',
        '99',
        '--seed',
        '1',
      ],
      'bootstrap_interval_undefined]: bootCi requires replicates that are not all equal (got all 99 equal to 4)',
    ],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const run = await runCli(argv);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.ok(run.stderr.startsWith(`enrich: error [${message}`), run.stderr);
    });
  }
});
