// enrich economics: the JSON keys the issue fixes, agreement with reference/economics.R through the CLI, the
// HTML report, `enrich analyse --unit-costs`, and every bad-input path (exit 2, code, rows named).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertClose } from '../helpers/approx.ts';
import { fixturePath, readFixture } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-economics-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const UNIT_COSTS = new URL('../../docs/guides/data/unit-costs-illustrative.csv', import.meta.url).pathname;
const SIMULATED = fixturePath('data/economics-simulated.csv');
const SMALL = fixturePath('data/economics-small.csv');
const VALUE_SET = fixturePath('data/economics-eq5d-3l-value-set.csv');

// biome-ignore lint/suspicious/noExplicitAny: untyped fixture and JSON output
type Json = any;
const cases = (readFixture('economics.json') as Json).cases as Json[];

function write(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** The simulated dataset with `edit(cells, row)` applied to each data row (cells split on commas). */
function editedDataset(name: string, edit: (cells: string[], row: number, header: string[]) => void): string {
  const [header, ...rows] = readFileSync(SIMULATED, 'utf8').trimEnd().split('\n');
  const names = (header as string).split(',');
  const out = rows.map((line, row) => {
    const cells = line.split(',');
    edit(cells, row + 1, names);
    return cells.join(',');
  });
  return write(name, `${[header, ...out].join('\n')}\n`);
}

describe('enrich economics', () => {
  it('prints the fixed JSON keys with the numbers of reference/economics.R', async () => {
    const run = await runCli([
      'economics',
      SIMULATED,
      '--unit-costs',
      UNIT_COSTS,
      '--bootstrap',
      '1000',
      '--seed',
      '1',
      '--json',
      '-',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    const expected = (cases[0] as Json).output;
    assertClose(json.costs.mean_difference.estimate, expected.result.cost_difference, { relative: 1e-6 });
    assertClose(json.costs.mean_difference.ci_lower, expected.bootstrap.cost_ci[0], { relative: 1e-10 });
    assertClose(json.costs.mean_difference.ci_upper, expected.bootstrap.cost_ci[1], { relative: 1e-10 });
    assert.deepEqual(Object.keys(json.costs.by_arm), ['usual_care', 'peer_support']);
    assertClose(json.qalys.mean_difference.estimate, expected.result.qaly_difference, { relative: 1e-6 });
    assert.equal(json.probability_cost_saving, expected.bootstrap.probability_cost_saving);
    assertClose(json.icer, expected.result.icer, { relative: 1e-6 });
    assert.deepEqual(json.ceac, expected.bootstrap.ceac);
    assert.deepEqual(json.bootstrap.R, 1000);
    assert.deepEqual(json.bootstrap.seed, 1);
    assert.equal(run.stderr, '');
  });

  it('scores EQ-5D-3L states through a value set and writes the HTML report', async () => {
    const html = join(directory, 'economics.html');
    const sap = write(
      'plan.json',
      JSON.stringify({ covariates: ['diagnosis_group', 'admissions_prior_2y'] }),
    );
    const run = await runCli([
      'economics',
      SMALL,
      '--unit-costs',
      UNIT_COSTS,
      '--value-set',
      VALUE_SET,
      '--eq5d',
      '3L',
      '--sap',
      sap,
      '--bootstrap',
      '200',
      '--seed',
      '42',
      '--html',
      html,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /cost difference/);
    assert.match(run.stdout, /1 added to every total cost/);
    const page = readFileSync(html, 'utf8');
    for (const id of [
      'economics-unit-costs',
      'economics-costs',
      'economics-qalys',
      'economics-incremental',
      'economics-plane',
      'economics-ceac',
    ]) {
      assert.match(page, new RegExp(`id="${id}"`));
    }
    assert.match(page, /Illustrative unit costs/);
    const json = await runCli([
      'economics',
      SMALL,
      '--unit-costs',
      UNIT_COSTS,
      '--value-set',
      VALUE_SET,
      '--eq5d',
      '3L',
      '--sap',
      sap,
      '--bootstrap',
      '200',
      '--seed',
      '42',
      '--json',
      '-',
    ]);
    const expected = (cases[1] as Json).output;
    const parsed = JSON.parse(json.stdout);
    assertClose(parsed.qalys.mean_difference.estimate, expected.result.qaly_difference, { relative: 1e-6 });
    assert.equal(parsed.costs.zero_cost_shift, 1);
    assert.equal(parsed.qalys.utility_source, 'value_set');
  });

  it('adds the economics section to enrich analyse with --unit-costs', async () => {
    const html = join(directory, 'report.html');
    const run = await runCli([
      'analyse',
      SIMULATED,
      '--unit-costs',
      UNIT_COSTS,
      '--bootstrap',
      '50',
      '--json',
      '-',
      '--html',
      html,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.economics.bootstrap.R, 50);
    assert.match(readFileSync(html, 'utf8'), /<h2 id="economics-heading">\d+\. Economic evaluation<\/h2>/);
    const without = await runCli(['analyse', SIMULATED, '--bootstrap', '20', '--json', '-']);
    assert.equal(JSON.parse(without.stdout).economics, undefined);
  });
});

describe('enrich economics bad input', () => {
  async function fails(argv: string[], code: string, message: RegExp): Promise<void> {
    const run = await runCli(argv);
    assert.equal(run.code, 2, run.stdout);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`\\[${code}\\]`));
    assert.match(run.stderr, message);
  }

  it('requires --unit-costs', async () => {
    await fails(['economics', SIMULATED], 'usage', /--unit-costs requires a CSV file of unit costs/);
  });

  it('names a resource used without a unit cost and the rows using it', async () => {
    const costs = write(
      'no-bed-day.csv',
      readFileSync(UNIT_COSTS, 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('bed_day,'))
        .join('\n'),
    );
    await fails(
      ['economics', SIMULATED, '--unit-costs', costs],
      'unit_cost_missing',
      /bed_day requires a unit cost in no-bed-day\.csv \(got none; used in rows \d+, .*\(\d+ rows\) of .*economics-simulated\.csv, columns bed_days_12m\)/,
    );
  });

  it('lists every bad row of a unit costs file at once', async () => {
    const costs = write(
      'bad-costs.csv',
      [
        'resource,unit,cost,currency,price_year,source',
        'bed_day,day,-500,GBP,2022/23,illustrative',
        'crisis_team_contact,contact,abc,GBP,2022/23,illustrative',
        'bed_day,day,500,GBP,2022/23,illustrative',
        'taxi_ride,ride,20,GBP,2022/23,illustrative',
      ].join('\n'),
    );
    const run = await runCli(['economics', SIMULATED, '--unit-costs', costs]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\[unit_costs_invalid\]/);
    assert.match(run.stderr, /row 1, column cost: cost requires a number >= 0 \(got -500 in row 1\)/);
    assert.doesNotMatch(run.stderr, /row 3, column cost/);
    assert.match(run.stderr, /row 2, column cost: cost requires a number >= 0 \(got "abc" in row 2\)/);
    assert.match(run.stderr, /resource requires each resource once \(got "bed_day" in rows 1 and 3\)/);
    assert.match(run.stderr, /resource requires one of bed_day, .* \(got "taxi_ride" in row 4\)/);
  });

  it('refuses negative counts in the dataset, naming the row', async () => {
    const data = editedDataset('negative.csv', (cells, row, header) => {
      if (row === 5) cells[header.indexOf('crisis_contacts_12m')] = '-2';
    });
    await fails(
      ['economics', data, '--unit-costs', UNIT_COSTS],
      'dataset_value_invalid',
      /crisis_contacts_12m requires .* \(got -2 in row 5\)/,
    );
  });

  it('refuses utilities above 1 in the dataset and in a value set', async () => {
    const data = editedDataset('utility.csv', (cells, row, header) => {
      if (row === 7) cells[header.indexOf('eq5d_4m')] = '1.2';
    });
    await fails(
      ['economics', data, '--unit-costs', UNIT_COSTS],
      'dataset_value_invalid',
      /eq5d_4m requires .* \(got 1\.2 in row 7\)/,
    );
    const valueSet = write('value-set.csv', 'state,utility\n11111,1\n11112,1.05\n1111,0.5\n');
    await fails(
      ['economics', SMALL, '--unit-costs', UNIT_COSTS, '--value-set', valueSet, '--eq5d', '3L'],
      'value_set_invalid',
      /a utility requires a number <= 1 \(got "1\.05" for state 11112 in row 2\)[\s\S]*an EQ-5D-3L state requires five digits 1-3 \(got "1111" in row 3\)/,
    );
  });

  it('names the rows of unknown or malformed EQ-5D states', async () => {
    const [header, first] = readFileSync(SMALL, 'utf8').split('\n') as [string, string];
    const column = header.split(',').indexOf('"eq5d_baseline_state"');
    const used = (first.split(',')[column] as string).replaceAll('"', '');
    const valueSet = write(
      'partial.csv',
      readFileSync(VALUE_SET, 'utf8')
        .split('\n')
        .filter((line) => !line.includes(used))
        .join('\n'),
    );
    await fails(
      ['economics', SMALL, '--unit-costs', UNIT_COSTS, '--value-set', valueSet, '--eq5d', '3L'],
      'eq5d_state_invalid',
      new RegExp(`requires states that the value set partial\\.csv contains \\(got ${used} in rows? 1[,) ]`),
    );
    const lines = readFileSync(SMALL, 'utf8').split('\n');
    const cells = (lines[2] as string).split(',');
    cells[column] = '"11411"';
    lines[2] = cells.join(',');
    const malformed = write('malformed.csv', lines.join('\n'));
    await fails(
      ['economics', malformed, '--unit-costs', UNIT_COSTS, '--value-set', VALUE_SET, '--eq5d', '3L'],
      'eq5d_state_invalid',
      /eq5d_baseline_state requires EQ-5D-3L states of five digits 1-3 \(got "11411" in row 2\)/,
    );
  });

  it('refuses an arm with no costs, naming the rows', async () => {
    const data = editedDataset('no-costs.csv', (cells, _row, header) => {
      if (cells[header.indexOf('arm')] === 'usual_care')
        cells[header.indexOf('community_contacts_12m')] = 'NA';
    });
    await fails(
      ['economics', data, '--unit-costs', UNIT_COSTS],
      'economics_arm_empty',
      /requires a participant with a known, positive total cost in every arm \(got none in usual_care: service use missing in rows 1, 2, .*\(295 rows\)\)/,
    );
  });
});
