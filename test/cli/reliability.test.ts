import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  assertWarningsAsR,
  type ReliabilityCase,
} from '../../src/stats/reliability/reliability-fixture.test-support.ts';
import { assertDeepClose } from '../helpers/approx.ts';
import { fixturePath, readFixture } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

// End to end: `enrich alpha|icc|kappa FILE --json` on the CSVs reference/reliability.R wrote, against
// psych 2.2.9 (test/fixtures/reliability.json). All three are closed forms (matrix sums, a symmetric
// pseudo-inverse, pf/qf/qnorm), so 1e-10 relative; measured at most 6e-13. The absolute floor covers exact
// zeros (an SE psych sets to 0).
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

interface FixtureCase {
  kind: 'alpha' | 'icc' | 'kappa';
  name: string;
  call: string;
  data: string;
  items?: string[] | null;
  columns?: string[] | null;
  rater1?: string;
  rater2?: string;
  weights?: string;
  expected: Record<string, unknown>;
}

const cases = readFixture<{ cases: FixtureCase[] }>('reliability.json').cases;

function argumentsFor(testCase: FixtureCase): string[] {
  const file = fixturePath(testCase.data);
  switch (testCase.kind) {
    case 'alpha':
      return ['alpha', file, ...(testCase.items ? ['--items', testCase.items.join(',')] : []), '--json'];
    case 'icc':
      return ['icc', file, ...(testCase.columns ? ['--columns', testCase.columns.join(',')] : []), '--json'];
    case 'kappa':
      return [
        'kappa',
        file,
        '--rater1',
        testCase.rater1 as string,
        '--rater2',
        testCase.rater2 as string,
        '--weights',
        testCase.weights as string,
        '--json',
      ];
  }
}

describe('enrich alpha|icc|kappa --json against psych 2.2.9 (reference/reliability.R)', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.call}`, async () => {
      const run = await runCli(argumentsFor(testCase));
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      const { warnings, ...numbers } = JSON.parse(run.stdout) as Record<string, unknown>;
      assertDeepClose(numbers, testCase.expected, TOLERANCE);
      assertWarningsAsR(testCase as ReliabilityCase, warnings as string[]);
    });
  }
});

describe('readable output', () => {
  it('alpha prints psych-like tables and its warnings', async () => {
    const run = await runCli(['alpha', fixturePath('data/reliability-bfi-agreeableness.csv')]);
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /raw_alpha\s+std\.alpha\s+G6\(smc\)\s+average_r\s+S\/N\s+ase\s+mean\s+sd\s+median_r\n\s+0\.43\s+0\.46\s+0\.53\s+0\.15\s+0\.85/,
    );
    assert.match(run.stdout, /\nFeldt\s+0\.40\s+0\.43\s+0\.46\n/);
    assert.match(run.stdout, /\nA1\s+2784\s+0\.07\s+0\.02\s+-0\.39\s+-0\.31\s+2\.41\s+1\.41\n/);
    assert.match(
      run.stdout,
      /Warning: negatively correlated with the total scale, probably to be reversed: A1/,
    );
  });

  it('icc prints the six Shrout-Fleiss rows', async () => {
    const run = await runCli(['icc', fixturePath('data/reliability-shrout-fleiss.csv')]);
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /\nSingle_raters_absolute\s+ICC1\s+0\.17\s+1\.79\s+5\s+18\s+0\.1648\s+-0\.13\s+0\.72\n/,
    );
    assert.match(
      run.stdout,
      /\nAverage_fixed_raters\s+ICC3k\s+0\.91\s+11\.03\s+5\s+15\s+0\.0001346\s+0\.68\s+0\.99\n/,
    );
    assert.match(run.stdout, /Number of subjects = 6 {4}Number of judges = 4\n$/);
  });

  it('kappa prints unweighted and weighted rows and the agreement table', async () => {
    const file = fixturePath('data/reliability-kappa-cohen1968.csv');
    const run = await runCli([
      'kappa',
      file,
      '--rater1',
      'rater1',
      '--rater2',
      'rater2',
      '--weights',
      'linear',
    ]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /\nunweighted kappa\s+0\.39\s+0\.49\s+0\.59\s+0\.051/);
    assert.match(run.stdout, /\nweighted kappa \(linear\)\s+0\.37\s+0\.47\s+0\.57\s+0\.0515/);
    assert.match(run.stdout, /\n1\s+88\s+14\s+18\n2\s+10\s+40\s+10\n3\s+2\s+6\s+12\n/);
  });

  it('kappa defaults to unweighted', async () => {
    const file = fixturePath('data/reliability-kappa-cohen1968.csv');
    const run = await runCli(['kappa', file, '--rater1', 'rater1', '--rater2', 'rater2', '--json']);
    assert.equal(JSON.parse(run.stdout).weights, 'none');
  });
});

describe('bad input: exit 2, one message on stderr, nothing on stdout', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'enrich-reliability-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const csv = (name: string, text: string): string => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };
  const items = csv('items.csv', 'id,a,b,c,note\nP1,1,2,3,x\nP2,2,3,3,y\nP3,3,3,4,z\nP4,2,x,2,w\n');
  const oneItem = csv('one-item.csv', 'id,a\nP1,1\nP2,2\n');
  const sparse = csv('sparse.csv', 'a,b\n1,2\nNA,3\n4,NA\n');
  const single = csv('single.csv', 'r1,r2\nyes,yes\nyes,yes\nyes,\n');

  const cases: [string, string[], string][] = [
    [
      'a non-numeric item',
      ['alpha', items, '--items', 'a,b,c'],
      `reliability_data_invalid]: alpha requires a numeric item column "b" (got "x" in row 4 of ${items})`,
    ],
    [
      'fewer than 2 items',
      ['alpha', oneItem],
      'reliability_data_invalid]: alpha requires at least 2 items (got 1)',
    ],
    [
      'an item column missing',
      ['alpha', items, '--items', 'a,d'],
      `reliability_data_invalid]: alpha requires a column "d" in ${items} (got columns id, a, b, c, note)`,
    ],
    [
      'an item named twice',
      ['alpha', items, '--items', 'a,a'],
      'reliability_data_invalid]: alpha requires distinct columns (got "a" twice)',
    ],
    [
      'an empty --items',
      ['alpha', items, '--items', ' , '],
      'usage]: --items requires column names (got " , ")',
    ],
    [
      'a non-numeric rating',
      ['icc', items, '--columns', 'a,note'],
      `reliability_data_invalid]: icc requires a numeric rating column "note" (got "x" in row 1 of ${items})`,
    ],
    [
      'fewer than 2 complete rows',
      ['icc', sparse],
      'reliability_data_invalid]: icc requires at least 2 targets (rows) rated by every rater (got 1 of 3 rows complete)',
    ],
    [
      'fewer than 2 raters',
      ['icc', items, '--columns', 'a'],
      'reliability_data_invalid]: icc requires at least 2 raters (columns) (got 1)',
    ],
    [
      'a rater column missing',
      ['kappa', items, '--rater1', 'a', '--rater2', 'z'],
      `reliability_data_invalid]: kappa requires a column "z" in ${items} (got columns id, a, b, c, note)`,
    ],
    [
      'only one category observed',
      ['kappa', single, '--rater1', 'r1', '--rater2', 'r2'],
      'reliability_data_invalid]: kappa requires at least 2 categories across both raters (got only "yes")',
    ],
    [
      'kappa without --rater2',
      ['kappa', items, '--rater1', 'a'],
      `usage]: --rater2 is required\nusage: enrich kappa FILE.csv --rater1 A --rater2 B [--weights none|linear|quadratic] [--json]`,
    ],
    [
      'unknown weights',
      ['kappa', items, '--rater1', 'a', '--rater2', 'c', '--weights', 'cubic'],
      'usage]: --weights requires one of none, linear, quadratic (got "cubic")',
    ],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const run = await runCli(argv);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.ok(
        run.stderr.startsWith(`enrich: error [${message}`),
        `stderr was ${JSON.stringify(run.stderr)}`,
      );
    });
  }
});
