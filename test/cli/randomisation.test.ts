import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecureRandom, secureRandomSeed } from '../../src/cli/secure-random.ts';
import {
  createSeededRandom,
  ENRICH_MINIMISATION,
  simulateRandomisation,
  stratumLabels,
} from '../../src/trial/index.ts';
import { runCli } from './run-cli.ts';

interface SimulationJson {
  allocations: { sequence: number; stratum: string; arm: string }[];
  strata: { stratum: string; n: number; counts: Record<string, number>; max_running_imbalance: number }[];
  overall: { counts: Record<string, number> };
}

async function simulateJson(argv: string[]): Promise<SimulationJson> {
  const run = await runCli(['randomisation', 'simulate', ...argv, '--json']);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  return JSON.parse(run.stdout) as SimulationJson;
}

describe('enrich randomisation simulate --json', () => {
  it('prints exactly { allocations, strata, overall } with the documented fields', async () => {
    const json = await simulateJson(['--template', 'enrich', '--n', '120', '--seed', '7']);
    assert.deepEqual(Object.keys(json), ['allocations', 'strata', 'overall']);
    assert.equal(json.allocations.length, 120);
    json.allocations.forEach((allocation, index) => {
      assert.deepEqual(Object.keys(allocation), ['sequence', 'stratum', 'arm']);
      assert.equal(allocation.sequence, index + 1);
      assert.match(allocation.stratum, /^site_[1-7]\/(psychosis|personality|other)$/);
      assert.ok(['peer_support', 'usual_care'].includes(allocation.arm));
    });
    assert.equal(json.strata.length, 21);
    for (const stratum of json.strata) {
      assert.deepEqual(Object.keys(stratum), ['stratum', 'n', 'counts', 'max_running_imbalance']);
      assert.deepEqual(Object.keys(stratum.counts), ['peer_support', 'usual_care']);
      assert.equal(
        (stratum.counts.peer_support as number) + (stratum.counts.usual_care as number),
        stratum.n,
      );
      assert.ok(stratum.max_running_imbalance <= 3, 'blocks of 2, 4, 6 keep a 1:1 stratum within 3');
    }
    assert.deepEqual(Object.keys(json.overall), ['counts']);
    assert.equal(
      (json.overall.counts.peer_support as number) + (json.overall.counts.usual_care as number),
      120,
    );
  });
  it('agrees with the library: --method minimisation --seed S is simulateRandomisation with streams 0 and 1 of S', async () => {
    const json = await simulateJson([
      '--template',
      'enrich',
      '--method',
      'minimisation',
      '--n',
      '200',
      '--seed',
      '31',
    ]);
    const library = simulateRandomisation(ENRICH_MINIMISATION, {
      participants: 200,
      participantRandom: createSeededRandom(31, 0),
      allocationRandom: createSeededRandom(31, 1),
    });
    assert.deepEqual(
      json.allocations,
      library.allocations.map((allocation) => ({
        sequence: allocation.sequence,
        stratum: allocation.stratum,
        arm: allocation.arm,
      })),
    );
    assert.deepEqual(
      json.strata.map((stratum) => stratum.stratum),
      stratumLabels(ENRICH_MINIMISATION),
    );
    assert.deepEqual(json.overall.counts, library.overall.counts);
  });
  it('the same seed gives the same run; --site-weights concentrates participants', async () => {
    const argv = ['--template', 'enrich', '--n', '300', '--seed', '5', '--site-weights', '1,0,0,0,0,0,1'];
    const first = await simulateJson(argv);
    assert.deepEqual(await simulateJson(argv), first);
    const sites = new Set(first.allocations.map((allocation) => allocation.stratum.split('/')[0]));
    assert.deepEqual([...sites].sort(), ['site_1', 'site_7']);
  });
});

describe('enrich randomisation simulate (text)', () => {
  it('prints a balance table per stratum, overall and per factor level', async () => {
    const run = await runCli([
      'randomisation',
      'simulate',
      '--template',
      'enrich',
      '--n',
      '50',
      '--seed',
      '3',
    ]);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Randomisation simulation: template enrich, 50 participants, seed 3\n/);
    assert.match(run.stdout, /stratified permuted blocks \(sizes 2, 4, 6, drawn at random\)/);
    assert.match(run.stdout, /stratum +n +peer_support +usual_care +max running imbalance/);
    assert.match(run.stdout, /\nsite_7\/other +\d+ +\d+ +\d+ +\d+\n/);
    assert.match(run.stdout, /\noverall +50 +\d+ +\d+\n/);
    assert.match(run.stdout, /\ndiagnosis_group=personality +\d+ +\d+ +\d+ +\d+/);
  });
  it('without --seed draws a secure seed and names it on stderr so the run can be repeated', async () => {
    const run = await runCli(['randomisation', 'simulate', '--template', 'enrich', '--n', '20', '--json']);
    assert.equal(run.code, 0);
    const match =
      /^enrich: note: no --seed given; used --seed (\d+) \(pass it to reproduce this run\)\n$/.exec(
        run.stderr,
      );
    assert.ok(match, run.stderr);
    const again = await runCli([
      'randomisation',
      'simulate',
      '--template',
      'enrich',
      '--n',
      '20',
      '--json',
      '--seed',
      match[1] as string,
    ]);
    assert.equal(again.stdout, run.stdout);
  });
});

describe('enrich randomisation: bad input exits 2 with a message on stderr and nothing on stdout', () => {
  const cases: { argv: string[]; stderr: RegExp }[] = [
    {
      argv: [],
      stderr:
        /^enrich: error \[usage\]: a subcommand is required \(simulate\)\nusage: enrich randomisation simulate/,
    },
    {
      argv: ['allocate'],
      stderr:
        /^enrich: error \[usage\]: unknown randomisation subcommand "allocate" \(subcommands: simulate\)\nusage: /,
    },
    { argv: ['simulate', '--n', '10'], stderr: /^enrich: error \[usage\]: --template is required\n/ },
    {
      argv: ['simulate', '--template', 'redcap', '--n', '10'],
      stderr: /^enrich: error \[usage\]: --template requires one of enrich \(got "redcap"\)\n/,
    },
    {
      argv: ['simulate', '--template', 'enrich', '--method', 'coin', '--n', '10'],
      stderr: /^enrich: error \[usage\]: --method requires one of blocks, minimisation \(got "coin"\)\n/,
    },
    { argv: ['simulate', '--template', 'enrich'], stderr: /^enrich: error \[usage\]: --n is required\n/ },
    {
      argv: ['simulate', '--template', 'enrich', '--n', '0'],
      stderr: /^enrich: error \[usage\]: --n requires a whole number in \[1, 1000000\] \(got "0"\)\n/,
    },
    {
      argv: ['simulate', '--template', 'enrich', '--n', '10', '--seed', '1.5'],
      stderr:
        /^enrich: error \[usage\]: --seed requires a whole number in \[0, 9007199254740991\] \(got "1.5"\)\n/,
    },
    {
      argv: ['simulate', '--template', 'enrich', '--n', '10', '--site-weights', '1,x'],
      stderr:
        /^enrich: error \[usage\]: --site-weights requires comma-separated numbers, one per site \(got "1,x"\)\n/,
    },
    {
      argv: ['simulate', '--template', 'enrich', '--n', '10', '--seed', '1', '--site-weights', '1,2'],
      stderr:
        /^enrich: error \[randomisation_config_invalid\]: level weights for "site" require 7 finite numbers >= 0, not all 0 \(got 1, 2\)\n$/,
    },
    {
      argv: ['simulate', '--template', 'enrich', '--n', '10', 'extra'],
      stderr: /^enrich: error \[usage\]: unexpected argument "extra"\n/,
    },
  ];
  for (const testCase of cases) {
    it(`randomisation ${testCase.argv.join(' ') || '(nothing)'}`, async () => {
      const run = await runCli(['randomisation', ...testCase.argv]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, testCase.stderr);
    });
  }
  it('--help prints the usage', async () => {
    const run = await runCli(['randomisation', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^usage: enrich randomisation simulate --template enrich/);
  });
});

describe('createSecureRandom (node:crypto)', () => {
  it('gives whole numbers in [0, 2^32) across several 256-word refills, not repeating', () => {
    const random = createSecureRandom();
    const words = Array.from({ length: 1000 }, () => random.nextUint32());
    for (const word of words) assert.ok(Number.isInteger(word) && word >= 0 && word < 2 ** 32);
    // 1000 draws from 2^32 values: a repeat has probability ~1e-4, all-equal refills would repeat at once.
    assert.ok(new Set(words).size >= 999);
    // Mean of uniform [0, 2^32): 2^31, SD of the mean 2^32 / sqrt(12 x 1000) ~ 3.9e7; 6 SD.
    const mean = words.reduce((sum, word) => sum + word, 0) / words.length;
    assert.ok(Math.abs(mean - 2 ** 31) < 6 * (2 ** 32 / Math.sqrt(12000)), `mean ${mean}`);
  });
  it('secureRandomSeed is a whole number in [0, 2^53) built from 21 + 32 bits', () => {
    const seed = secureRandomSeed();
    assert.ok(Number.isSafeInteger(seed) && seed >= 0);
    const words = [4294967295, 4294967295];
    assert.equal(secureRandomSeed({ nextUint32: () => words.shift() as number }), 2 ** 53 - 1);
  });
});
