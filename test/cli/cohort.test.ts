import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PLACEHOLDER_COHORT_MEASURES } from '../../src/analysis/index.ts';
import { fixturePath, readFixture } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

const questionnaires = fixturePath('data/cohort-questionnaires.csv');
const norms = fixturePath('data/cohort-norms.csv');
const directory = mkdtempSync(join(tmpdir(), 'enrich-cohort-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const itemIds = PLACEHOLDER_COHORT_MEASURES.flatMap((measure) => measure.items.map((item) => item.id));

/**
 * A small cohort: 8 peer workers at T1, 6 at T2 of whom only 4 were also at T1, 4 at T3. Worker ids are
 * distinctive strings so a leak is easy to spot; every answer is a deterministic function of worker and item.
 */
function smallCohort(): string {
  const header = ['worker_id', 'timepoint', ...itemIds];
  const rows: string[] = [header.join(',')];
  const add = (worker: string, timepoint: number, seed: number) =>
    rows.push(
      [
        worker,
        String(timepoint),
        ...itemIds.map((id, index) => {
          const measure = PLACEHOLDER_COHORT_MEASURES.find((candidate) =>
            candidate.items.some((item) => item.id === id),
          );
          const span = (measure?.maximum ?? 1) - (measure?.minimum ?? 0);
          return String((measure?.minimum ?? 0) + ((seed * 7 + index * 3) % (span + 1)));
        }),
      ].join(','),
    );
  for (let worker = 1; worker <= 8; worker++) add(`secret-worker-${worker}`, 1, worker);
  for (const worker of [1, 2, 3, 4, 11, 12]) add(`secret-worker-${worker}`, 2, worker + 20);
  for (const worker of [1, 2, 3, 4]) add(`secret-worker-${worker}`, 3, worker + 40);
  return `${rows.join('\n')}\n`;
}

describe('enrich cohort', () => {
  it('prints JSON whose numbers are those of reference/cohort.R', async () => {
    const result = await runCli(['cohort', questionnaires, '--norms', norms, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    const expected = (
      readFixture('cohort.json') as { cases: { scores: { timepoints: { mean: number }[] }[] }[] }
    ).cases[0];
    // 1e-10: closed-form means (every number is checked in src/analysis/cohort/analyse-cohort.test.ts).
    json.scores.forEach((score: { timepoints: { mean: number }[] }, index: number) => {
      score.timepoints.forEach((entry, position) => {
        const reference = expected?.scores[index]?.timepoints[position]?.mean as number;
        assert.ok(Math.abs(entry.mean - reference) <= 1e-10 * Math.abs(reference));
      });
    });
    assert.equal(json.minimum_group_size, 5);
  });

  it('writes an HTML report', async () => {
    const html = join(directory, 'cohort.html');
    const result = await runCli(['cohort', questionnaires, '--norms', norms, '--html', html]);
    assert.equal(result.code, 0, result.stderr);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<table id="cohort-score-0">/);
    assert.match(page, /Placeholder population norm A/);
    assert.match(
      page,
      /Caution: wellbeing, burnout, job_satisfaction, team_working are placeholder measures/,
    );
  });

  describe('confidentiality: aggregates only, none over fewer than 5 people', () => {
    const data = write('small.csv', smallCohort());
    const html = join(directory, 'small.html');
    const outputs: { json?: string; text?: string; html?: string } = {};

    it('suppresses every aggregate of a group under 5 (T3: 4 workers; change to T2: 4 pairs) in JSON', async () => {
      const result = await runCli(['cohort', data, '--norms', norms, '--json']);
      assert.equal(result.code, 0, result.stderr);
      outputs.json = result.stdout;
      const json = JSON.parse(result.stdout);
      assert.deepEqual(json.participants, [
        { timepoint: 1, n: 8, suppressed: null },
        { timepoint: 2, n: 6, suppressed: null },
        { timepoint: 3, n: null, suppressed: 'fewer than 5' },
      ]);
      for (const score of json.scores) {
        const t3 = score.timepoints[2];
        assert.deepEqual(t3, {
          timepoint: 3,
          n: null,
          mean: null,
          sd: null,
          minimum: null,
          maximum: null,
          suppressed: 'fewer than 5',
        });
        for (const change of score.change) {
          assert.equal(change.suppressed, 'fewer than 5');
          assert.ok(
            Object.entries(change).every(
              ([key, item]) => ['timepoint', 'suppressed'].includes(key) || item === null,
            ),
          );
        }
        if (score.norm !== null) {
          const normT3 = score.norm.comparisons[2];
          assert.equal(normT3.suppressed, 'fewer than 5');
          assert.equal(normT3.mean, null);
        }
      }
    });

    it('every number left in the JSON is an aggregate of at least 5 people', () => {
      const json = JSON.parse(outputs.json as string);
      for (const score of json.scores) {
        for (const group of [...score.timepoints, ...score.change, ...(score.norm?.comparisons ?? [])]) {
          if (group.suppressed === null)
            assert.ok(group.n >= 5, `${score.measure} T${group.timepoint} n ${group.n}`);
          else assert.equal(group.n, null);
        }
      }
    });

    it('no worker id, item column or per-person record in JSON, text or HTML', async () => {
      const text = await runCli(['cohort', data, '--norms', norms]);
      const report = await runCli(['cohort', data, '--norms', norms, '--html', html]);
      assert.equal(report.code, 0, report.stderr);
      outputs.text = text.stdout;
      outputs.html = readFileSync(html, 'utf8');
      for (const [name, output] of Object.entries(outputs)) {
        assert.ok(!/secret-worker/.test(output as string), `${name} names a worker`);
      }
      const keys = new Set<string>();
      const collect = (value: unknown) => {
        if (Array.isArray(value)) value.forEach(collect);
        else if (value !== null && typeof value === 'object') {
          for (const [key, item] of Object.entries(value)) {
            keys.add(key);
            collect(item);
          }
        }
      };
      collect(JSON.parse(outputs.json as string));
      const leaked = itemIds.filter((id) => keys.has(id));
      assert.deepEqual(leaked, [], 'item answers appear in the JSON');
      assert.match(outputs.text as string, /wellbeing\s+T3\s+<5\s+suppressed/);
      assert.match(outputs.html as string, /&lt;5 \(suppressed\)/);
    });

    it('a change row withheld by complementary suppression says why in JSON, text and HTML', async () => {
      // 6 workers at T1, 5 of them at T2: T1 and T2 are published, the change to T2 (its 5 pairs differ from
      // the T1 group by one worker) is withheld, else 6·mean(T1) − 5·(mean(T2) − mean change) is worker 6's T1.
      const lines = smallCohort().trimEnd().split('\n');
      const keep = (line: string) => {
        const [worker, timepoint] = line.split(',');
        const number = Number(worker?.replace('secret-worker-', ''));
        return timepoint === '1' ? number <= 6 : timepoint === '2' && number <= 4;
      };
      // Worker 5 at T2: their T1 answers again.
      const fifth = (lines.find((line) => line.startsWith('secret-worker-5,1,')) as string).replace(
        ',1,',
        ',2,',
      );
      const rows = [lines[0], ...lines.slice(1).filter(keep), fifth];
      const path = write('differencing.csv', `${rows.join('\n')}\n`);
      const json = JSON.parse((await runCli(['cohort', path, '--norms', norms, '--json'])).stdout);
      const wellbeing = json.scores[0];
      assert.deepEqual(
        wellbeing.timepoints.slice(0, 2).map((entry: { n: number }) => entry.n),
        [6, 5],
      );
      const reason = 'would reveal fewer than 5 people by differencing with the T1 group';
      assert.equal(wellbeing.change[0].suppressed, reason);
      assert.equal(wellbeing.change[0].mean_change, null);
      const text = await runCli(['cohort', path, '--norms', norms]);
      assert.match(text.stdout, new RegExp(`wellbeing\\s+T2\\s+5\\s+\\S+ \\(\\S+\\)\\s+withheld: ${reason}`));
      const page = join(directory, 'differencing.html');
      assert.equal((await runCli(['cohort', path, '--norms', norms, '--html', page])).code, 0);
      assert.ok(readFileSync(page, 'utf8').includes(`withheld: ${reason}`));
    });

    it('an invalid answer is reported by line and column, never by its value', async () => {
      const lines = smallCohort().split('\n');
      const cells = (lines[2] as string).split(',');
      cells[2] = '987';
      lines[2] = cells.join(',');
      const path = write('bad-answer.csv', lines.join('\n'));
      const result = await runCli(['cohort', path, '--norms', norms]);
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /\[cohort_data_invalid\].*line 3, column wb1: wellbeing item wb1 requires a whole number from 1 to 5 \(got a value outside it\)/,
      );
      assert.ok(!result.stderr.includes('987'));
    });
  });

  it('reports every problem of a questionnaire file and of a norms file at once (exit 2)', async () => {
    const header = ['worker_id', 'timepoint', ...itemIds].join(',');
    const blank = itemIds.map(() => 'NA').join(',');
    const path = write('bad.csv', `${header}\n,1,${blank}\na,4,${blank}\nb,1,${blank}\nb,1,${blank}\n`);
    const result = await runCli(['cohort', path, '--norms', norms]);
    assert.equal(result.code, 2);
    for (const message of [
      'line 2, column worker_id: a questionnaire requires a worker_id (got a missing cell)',
      'line 3, column timepoint: timepoint requires 1, 2 or 3 (got "4")',
      'line 5, column worker_id: a peer worker requires one questionnaire per timepoint (got a second at T1; line 4)',
    ]) {
      assert.ok(result.stderr.includes(message), `missing: ${message}\n${result.stderr}`);
    }
    const columns = write('columns.csv', 'worker_id,timepoint,wb1\na,1,3\n');
    const missing = await runCli(['cohort', columns, '--norms', norms]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /\[cohort_data_invalid\].*a questionnaire file requires the columns wb2, wb3/,
    );

    const badNorms = write(
      'norms.csv',
      'measure,subscale,mean,sd,source\nhappiness,,1,1,x\nburnout,sleep,1,1,x\nwellbeing,,NA,0,\nwellbeing,,50,7,y\n',
    );
    const normsResult = await runCli(['cohort', questionnaires, '--norms', badNorms]);
    assert.equal(normsResult.code, 2);
    assert.match(normsResult.stderr, /^enrich: error \[cohort_norms_invalid\]/);
    for (const message of [
      'line 2, column measure: a norm requires a measure of the cohort (wellbeing, burnout, job_satisfaction, team_working) (got "happiness")',
      'line 3, column subscale: a norm requires a subscale of burnout or an empty cell (got "sleep")',
      'line 4, column mean: a norm requires a finite mean (got "")',
      'line 4, column sd: a norm requires an SD above 0 (got "0")',
      'line 4, column source: a norm requires its source (got a missing cell)',
      'line 5, column measure: a score requires at most one norm (got a second for wellbeing)',
    ]) {
      assert.ok(normsResult.stderr.includes(message), `missing: ${message}\n${normsResult.stderr}`);
    }
    const normsColumns = write('norms-columns.csv', 'measure,mean\nwellbeing,1\n');
    const noColumns = await runCli(['cohort', questionnaires, '--norms', normsColumns]);
    assert.match(noColumns.stderr, /a norms file requires the columns subscale, sd, source/);
    const usage = await runCli(['cohort', questionnaires]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--norms is required/);
  });
});
