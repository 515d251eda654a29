/**
 * `enrich analyse --cohort Q.csv --norms N.csv`: the analysis report includes the peer worker wellbeing cohort
 * (issue 9): the JSON's `cohort` is `enrich cohort --json` on the same files, the HTML report has the
 * "Peer worker wellbeing cohort" section with the cohort report's tables, suppressed cells stay suppressed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PLACEHOLDER_COHORT_MEASURES } from '../../src/analysis/index.ts';
import { trialAnalysisCases } from '../../src/analysis/trial-analysis-fixture.test-support.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-analyse-cohort-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const path = (name: string) => join(directory, name);
const messy = trialAnalysisCases().find((testCase) => testCase.name === 'trial-analysis-messy');
if (messy === undefined) throw new Error('fixture case trial-analysis-messy is missing');
const data = fixturePath(messy.data);
const questionnaires = fixturePath('data/cohort-questionnaires.csv');
const norms = fixturePath('data/cohort-norms.csv');
// The CACE bootstrap is not what this file tests: few resamples keep it quick.
const quick = ['--bootstrap', '20', '--seed', '1'];

/** 8 workers at T1, 6 at T2 (4 of them also at T1), 4 at T3: T3 and both changes are under 5. */
function smallCohort(): string {
  const itemIds = PLACEHOLDER_COHORT_MEASURES.flatMap((measure) => measure.items.map((item) => item.id));
  const rangeOf = (id: string) => {
    const measure = PLACEHOLDER_COHORT_MEASURES.find((candidate) =>
      candidate.items.some((item) => item.id === id),
    );
    return { minimum: measure?.minimum ?? 0, span: (measure?.maximum ?? 1) - (measure?.minimum ?? 0) };
  };
  const rows = [['worker_id', 'timepoint', ...itemIds].join(',')];
  const add = (worker: number, timepoint: number, seed: number) =>
    rows.push(
      [
        `secret-worker-${worker}`,
        String(timepoint),
        ...itemIds.map((id, index) => {
          const { minimum, span } = rangeOf(id);
          return String(minimum + ((seed * 7 + index * 3) % (span + 1)));
        }),
      ].join(','),
    );
  for (let worker = 1; worker <= 8; worker++) add(worker, 1, worker);
  for (const worker of [1, 2, 3, 4, 11, 12]) add(worker, 2, worker + 20);
  for (const worker of [1, 2, 3, 4]) add(worker, 3, worker + 40);
  return `${rows.join('\n')}\n`;
}

describe('enrich analyse --cohort --norms', () => {
  it('the JSON cohort is exactly enrich cohort --json on the same files', async () => {
    const analysed = await runCli([
      'analyse',
      data,
      ...quick,
      '--cohort',
      questionnaires,
      '--norms',
      norms,
      '--json',
      '-',
    ]);
    assert.equal(analysed.code, 0, analysed.stderr);
    const cohort = await runCli(['cohort', questionnaires, '--norms', norms, '--json']);
    assert.equal(cohort.code, 0, cohort.stderr);
    const json = JSON.parse(analysed.stdout) as Record<string, unknown>;
    assert.deepEqual(json.cohort, JSON.parse(cohort.stdout));
    // And the engagement results are still there beside it.
    assert.ok(Array.isArray((json.engagement as { predictors: unknown[] }).predictors));
    const without = JSON.parse((await runCli(['analyse', data, ...quick, '--json', '-'])).stdout) as Record<
      string,
      unknown
    >;
    assert.equal('cohort' in without, false);
  });

  it('the HTML report has the cohort section with the cohort report tables; suppressed cells say so', async () => {
    const small = path('small.csv');
    writeFileSync(small, smallCohort());
    const html = path('report.html');
    const json = path('report.json');
    const run = await runCli([
      'analyse',
      data,
      ...quick,
      '--cohort',
      small,
      '--norms',
      norms,
      '--html',
      html,
      '--json',
      json,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Peer worker wellbeing cohort: T1 8, T2 6, T3 <5 peer workers/);
    const page = readFileSync(html, 'utf8');
    assert.match(
      page,
      /<section id="cohort" class="major" aria-labelledby="cohort-heading">\s*<h2 id="cohort-heading">\d+\. Peer worker wellbeing cohort<\/h2>/,
    );
    assert.match(page, /<a href="#cohort">Peer worker wellbeing cohort<\/a>/);
    const section = page.slice(page.indexOf('<section id="cohort"'));
    const body = section.slice(0, section.indexOf('</section>'));
    const scores = (JSON.parse(readFileSync(json, 'utf8')) as { cohort: { scores: unknown[] } }).cohort
      .scores;
    for (let index = 0; index < scores.length; index++) {
      assert.match(body, new RegExp(`<table id="cohort-score-${index}">`));
    }
    // T3 has 4 peer workers: its n cell of every table reads suppressed, and nobody is named.
    for (let index = 0; index < scores.length; index++) {
      assert.match(body, new RegExp(`data-field="n-${index}-3"[^>]*>&lt;5 \\(suppressed\\)<`));
    }
    assert.match(body, /T1 8, T2 6, T3 &lt;5 \(suppressed\) peer workers/);
    assert.ok(!page.includes('secret-worker'), 'the report names a worker');
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as {
      cohort: { participants: unknown[]; scores: { timepoints: { suppressed: string | null }[] }[] };
    };
    assert.deepEqual(parsed.cohort.participants[2], { timepoint: 3, n: null, suppressed: 'fewer than 5' });
    assert.ok(parsed.cohort.scores.every((score) => score.timepoints[2]?.suppressed === 'fewer than 5'));
  });

  it('--norms without --cohort, or --cohort without --norms, is a usage error (exit 2)', async () => {
    const noCohort = await runCli(['analyse', data, '--norms', norms]);
    assert.equal(noCohort.code, 2);
    assert.match(noCohort.stderr, /--norms requires --cohort QUESTIONNAIRES\.csv/);
    const noNorms = await runCli(['analyse', data, '--cohort', questionnaires]);
    assert.equal(noNorms.code, 2);
    assert.match(noNorms.stderr, /--cohort requires --norms NORMS\.csv/);
    assert.equal(noNorms.stdout, '');
  });

  it('a bad questionnaire file stops the analysis with the cohort error (exit 2)', async () => {
    const bad = path('bad.csv');
    writeFileSync(bad, 'worker_id,timepoint,wb1\na,1,3\n');
    const run = await runCli(['analyse', data, ...quick, '--cohort', bad, '--norms', norms]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\[cohort_data_invalid\].*a questionnaire file requires the columns wb2/);
  });
});
