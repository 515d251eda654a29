/**
 * The wellbeing cohort's norms and pseudonymised export over the API (issue 9), run once per dialect
 * (wellbeing-sqlite.test.ts always, wellbeing-postgres.test.ts when ENRICH_TEST_PG_URL is set):
 * - norms are trial data: set by the trial manager (versioned, audited), read by whoever sees the aggregates,
 *   served as the norms file `enrich cohort --norms` reads; the summary compares with them;
 * - GET .../exports/wellbeing.csv is `enrich cohort`'s input with HMAC pseudonyms, for statistician and
 *   administrator only; the round trip in-app questionnaires -> export -> `enrich cohort` gives the summary's
 *   numbers;
 * - coordinators and managers never receive an answer, a person's score, a worker id or a pseudonym.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type CohortNorm,
  PLACEHOLDER_COHORT_MEASURES,
  readCohortNorms,
  readCohortResponses,
} from '../../src/analysis/index.ts';
import { parseCsv } from '../../src/table/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { assertDeepClose } from '../helpers/approx.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { type FreshDatabase, type Login, openWorld, password, type World } from './harness.ts';

const T = '/api/trials/enrich';
const MEASURES = PLACEHOLDER_COHORT_MEASURES;
const itemIds = MEASURES.flatMap((measure) => measure.items.map((item) => item.id));

/**
 * Worker `index`'s answers at `timepoint`: every item in range, varying by worker, item and timepoint so
 * that means, SDs and changes are not degenerate; worker 0 leaves wb14 and bo9 unanswered at T2 (prorated,
 * an empty cell in the export).
 */
function answersOf(index: number, timepoint: number): Record<string, number | null> {
  const answers: Record<string, number | null> = {};
  for (const measure of MEASURES) {
    const span = measure.maximum - measure.minimum + 1;
    for (const [position, item] of measure.items.entries()) {
      answers[item.id] = measure.minimum + ((index * 5 + position * 3 + timepoint * (index + 2)) % span);
    }
  }
  if (index === 0 && timepoint === 2) {
    answers.wb14 = null;
    answers.bo9 = null;
  }
  return answers;
}

export function defineWellbeingSuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`wellbeing norms and pseudonymised export on ${dialect}`, () => {
    let world: World;
    const as: Record<string, Login> = {};
    const workers: Login[] = [];
    const directory = mkdtempSync(join(tmpdir(), `enrich-wellbeing-${dialect}-`));
    const fixtureNorms = readCohortNorms(
      parseCsv(readFileSync(fixturePath('data/cohort-norms.csv')), 'cohort-norms.csv'),
      MEASURES,
    );
    let exportCsv = '';

    before(async () => {
      world = await openWorld(fresh);
      for (const username of ['admin', 'manager', 'coordinator1', 'statistician', 'researcher1', 'dmc']) {
        as[username] = await world.login(username);
      }
      const created = await world.as(as.admin as Login, 'POST', '/api/trials', {
        name: 'enrich',
        template: 'enrich',
      });
      assert.equal(created.statusCode, 201, created.body);
      workers.push(await world.login('peerworker'));
      for (let index = 2; index <= 6; index++) {
        const username = `peerworker${index}`;
        await world.store.createUser(
          { username, password: password(username), role: 'peer_worker', sites: [] },
          { actor: { userId: 'system', role: 'admin' } },
        );
        workers.push(await world.login(username));
      }
    });
    after(async () => {
      await world.close();
      rmSync(directory, { recursive: true, force: true });
    });

    it('norms: the trial manager sets them (versioned, audited); refused bodies change nothing', async () => {
      const coordinator = as.coordinator1 as Login;
      const manager = as.manager as Login;
      const empty = await world.as(coordinator, 'GET', `${T}/wellbeing/norms`);
      assert.equal(empty.statusCode, 200, empty.body);
      const emptyBody = empty.json() as { norms: unknown[]; version: number | null; scores: unknown[] };
      assert.deepEqual(emptyBody.norms, []);
      assert.equal(emptyBody.version, null);
      assert.equal(
        emptyBody.scores.length,
        MEASURES.reduce((sum, m) => sum + 1 + m.subscales.length, 0),
      );
      for (const who of ['coordinator1', 'statistician', 'researcher1', 'dmc']) {
        const refused = await world.as(as[who] as Login, 'PUT', `${T}/wellbeing/norms`, {
          norms: fixtureNorms,
        });
        assert.equal(refused.statusCode, 403, `${who}: ${refused.body}`);
      }
      assert.equal(
        (await world.as(workers[0] as Login, 'PUT', `${T}/wellbeing/norms`, { norms: fixtureNorms }))
          .statusCode,
        403,
      );
      const invalid = await world.as(manager, 'PUT', `${T}/wellbeing/norms`, {
        norms: [
          { measure: 'happiness', subscale: null, mean: 1, sd: 1, source: 'x' },
          { measure: 'wellbeing', subscale: null, mean: 50, sd: 0, source: 'y' },
        ],
      });
      assert.equal(invalid.statusCode, 422, invalid.body);
      const invalidBody = invalid.json() as { error: { code: string; issues: { path: string }[] } };
      assert.equal(invalidBody.error.code, 'cohort_norms_invalid');
      assert.deepEqual(
        invalidBody.error.issues.map((issue) => issue.path),
        ['norms: norms[0].measure', 'norms: norms[1].sd'],
      );
      assert.equal((await world.as(manager, 'GET', `${T}/wellbeing/norms`)).json().version, null);

      const saved = await world.as(manager, 'PUT', `${T}/wellbeing/norms`, { norms: fixtureNorms });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual((saved.json() as { norms: CohortNorm[] }).norms, fixtureNorms);
      assert.equal((saved.json() as { version: number }).version, 1);
      // A change needs the version read and a reason.
      const changed = fixtureNorms.map((norm, index) =>
        index === 0 ? { ...norm, mean: norm.mean + 1 } : norm,
      );
      assert.equal(
        (await world.as(manager, 'PUT', `${T}/wellbeing/norms`, { norms: changed })).statusCode,
        409,
      );
      const noReason = await world.as(manager, 'PUT', `${T}/wellbeing/norms`, { norms: changed, version: 1 });
      assert.equal(noReason.statusCode, 422, noReason.body);
      const withReason = await world.as(manager, 'PUT', `${T}/wellbeing/norms`, {
        norms: fixtureNorms,
        version: 1,
        reason: 'no change: same norms',
      });
      assert.equal(withReason.statusCode, 200, withReason.body);
      const second = await world.as(manager, 'PUT', `${T}/wellbeing/norms`, {
        norms: changed,
        version: 1,
        reason: 'corrected the published mean',
      });
      assert.equal(second.statusCode, 200, second.body);
      assert.equal((second.json() as { version: number }).version, 2);
      const back = await world.as(manager, 'PUT', `${T}/wellbeing/norms`, {
        norms: fixtureNorms,
        version: 2,
        reason: 'back to the published mean',
      });
      assert.equal(back.statusCode, 200, back.body);
      const audit = (await world.as(manager, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; reason: string | null; actor_id: string }[];
      };
      const normEntries = audit.entries.filter((entry) => entry.entity === 'wellbeing_norms');
      // Creation (one entry per field, no reason), then each change with its reason; the no-op save adds none.
      assert.ok(normEntries.some((entry) => entry.reason === null));
      assert.deepEqual(
        normEntries.flatMap((entry) => (entry.reason === null ? [] : [entry.reason])),
        ['corrected the published mean', 'back to the published mean'],
      );
      assert.ok(normEntries.every((entry) => entry.actor_id === manager.userId));
      // Read by whoever sees the aggregates or may export; not by researchers or peer workers.
      for (const who of ['researcher1', 'dmc']) {
        assert.equal((await world.as(as[who] as Login, 'GET', `${T}/wellbeing/norms`)).statusCode, 403, who);
      }
      assert.equal((await world.as(workers[0] as Login, 'GET', `${T}/wellbeing/norms.csv`)).statusCode, 403);
    });

    it('norms.csv is the norms file enrich cohort reads, with the stored norms', async () => {
      const csv = await world.as(as.statistician as Login, 'GET', `${T}/wellbeing/norms.csv`);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.deepEqual(
        readCohortNorms(parseCsv(new TextEncoder().encode(csv.body), 'norms.csv'), MEASURES),
        fixtureNorms,
      );
      writeFileSync(join(directory, 'norms.csv'), csv.body);
    });

    interface SummaryBody {
      collection: { timepoint: number; completed: number; closed: boolean; closed_at: string | null }[];
      participants: { n: number | null; suppressed: string | null }[];
      scores: {
        timepoints: { n: number | null; mean: number | null; suppressed: string | null }[];
        change: { n: number | null; mean_change: number | null; suppressed: string | null }[];
        norm: { comparisons: { n: number | null; suppressed: string | null }[] } | null;
      }[];
    }
    const summaryOf = async (viewer: Login) => {
      const response = await world.as(viewer, 'GET', `${T}/wellbeing/summary`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as SummaryBody;
    };

    it('an open collection shows only how many completed: a sixth questionnaire changes nothing else', async () => {
      const manager = as.manager as Login;
      for (const [index, worker] of workers.slice(0, 5).entries()) {
        const saved = await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, {
          answers: answersOf(index, 1),
        });
        assert.equal(saved.statusCode, 200, saved.body);
      }
      const before = await summaryOf(manager);
      const sixth = await world.as(workers[5] as Login, 'PUT', `${T}/wellbeing/mine/1`, {
        answers: answersOf(5, 1),
      });
      assert.equal(sixth.statusCode, 200, sixth.body);
      const afterSixth = await summaryOf(manager);
      assert.deepEqual([before.collection[0]?.completed, afterSixth.collection[0]?.completed], [5, 6]);
      assert.deepEqual(
        afterSixth.collection.map((entry) => entry.closed),
        [false, false, false],
      );
      // Everything but the count is the same: no reader can difference the two summaries.
      const { collection: _before, ...restBefore } = before;
      const { collection: _after, ...restAfter } = afterSixth;
      assert.deepEqual(restAfter, restBefore);
      for (const score of afterSixth.scores) {
        for (const row of [...score.timepoints, ...score.change, ...(score.norm?.comparisons ?? [])]) {
          assert.deepEqual([row.n, row.suppressed], [null, 'collection open']);
        }
      }
    });

    it('closing a collection: trial manager or administrator only, final (409 wellbeing_collection_closed)', async () => {
      for (const who of [as.coordinator1, as.statistician, as.researcher1, as.dmc, workers[0]] as Login[]) {
        const refused = await world.as(who, 'POST', `${T}/wellbeing/collections/1/close`);
        assert.equal(refused.statusCode, 403, `${who.role}: ${refused.body}`);
      }
      assert.equal((await summaryOf(as.manager as Login)).collection[0]?.closed, false);
      const closed = await world.as(as.manager as Login, 'POST', `${T}/wellbeing/collections/1/close`);
      assert.equal(closed.statusCode, 200, closed.body);
      const body = closed.json() as { collection: SummaryBody['collection']; version: number };
      assert.deepEqual(
        body.collection.map((entry) => [entry.completed, entry.closed]),
        [
          [6, true],
          [0, false],
          [0, false],
        ],
      );
      assert.equal(typeof body.collection[0]?.closed_at, 'string');
      const again = await world.as(as.admin as Login, 'POST', `${T}/wellbeing/collections/1/close`);
      assert.equal(again.statusCode, 409, again.body);
      assert.equal((again.json() as { error: { code: string } }).error.code, 'wellbeing_collection_closed');
      // A closed timepoint takes no change and no late questionnaire; the worker sees it closed.
      const late = await world.as(workers[0] as Login, 'PUT', `${T}/wellbeing/mine/1`, {
        answers: answersOf(0, 1),
        version: 1,
        reason: 'changed my mind',
      });
      assert.equal(late.statusCode, 409, late.body);
      assert.equal((late.json() as { error: { code: string } }).error.code, 'wellbeing_collection_closed');
      const mine = (await world.as(workers[0] as Login, 'GET', `${T}/wellbeing/mine`)).json() as {
        timepoints: { closed: boolean; completed: boolean }[];
      };
      assert.deepEqual(
        mine.timepoints.map((entry) => [entry.closed, entry.completed]),
        [
          [true, true],
          [false, false],
          [false, false],
        ],
      );
      // T1's aggregates are now shown; T2 and T3 and every change from T1 wait for their collection.
      const summary = await summaryOf(as.coordinator1 as Login);
      assert.deepEqual(summary.participants[0], { timepoint: 1, n: 6, suppressed: null });
      for (const score of summary.scores) {
        assert.equal(score.timepoints[0]?.n, 6);
        assert.equal(typeof score.timepoints[0]?.mean, 'number');
        assert.equal(score.timepoints[1]?.suppressed, 'collection open');
        assert.ok(score.change.every((row) => row.suppressed === 'collection open'));
      }
      const audit = (await world.as(as.manager as Login, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; actor_id: string }[];
      };
      assert.ok(
        audit.entries.some(
          (entry) =>
            entry.entity === 'wellbeing_collection' && entry.actor_id === (as.manager as Login).userId,
        ),
      );
    });

    it('round trip: questionnaires in the app -> pseudonymised export -> enrich cohort = the in-app summary', async () => {
      for (const timepoint of [2, 3]) {
        for (const [index, worker] of workers.entries()) {
          const saved = await world.as(worker, 'PUT', `${T}/wellbeing/mine/${timepoint}`, {
            answers: answersOf(index, timepoint),
          });
          assert.equal(saved.statusCode, 200, saved.body);
        }
      }
      // Both collections closed (T3 by the administrator): every aggregate is published.
      assert.equal(
        (await world.as(as.manager as Login, 'POST', `${T}/wellbeing/collections/2/close`)).statusCode,
        200,
      );
      const byAdmin = await world.as(as.admin as Login, 'POST', `${T}/wellbeing/collections/3/close`);
      assert.equal(byAdmin.statusCode, 200, byAdmin.body);
      const exported = await world.as(as.statistician as Login, 'GET', `${T}/exports/wellbeing.csv`);
      assert.equal(exported.statusCode, 200, exported.body);
      assert.match(String(exported.headers['content-type']), /^text\/csv/);
      exportCsv = exported.body;
      const lines = exportCsv.trimEnd().split('\n');
      assert.equal(lines[0], ['worker_id', 'timepoint', ...itemIds].join(','));
      assert.equal(lines.length, 1 + 3 * workers.length);
      // Pseudonyms: HMAC-SHA256 under the stored key (derived here with node:crypto), stable, no user id.
      const key = (await world.store.findRecord('enrich', 'wellbeing_pseudonym_key', 'trial'))?.data
        .key as string;
      const expected = (userId: string) =>
        `pw-${createHmac('sha256', Buffer.from(key, 'base64url')).update(`enrich:${userId}`).digest('hex').slice(0, 16)}`;
      const pseudonyms = new Set(lines.slice(1).map((line) => line.split(',')[0]));
      assert.deepEqual([...pseudonyms].sort(), workers.map((worker) => expected(worker.userId)).sort());
      for (const worker of workers) assert.ok(!exportCsv.includes(worker.userId), 'the export names a user');
      // Worker 0's unanswered T2 items are empty cells.
      const worker0T2 = lines.find((line) => line.startsWith(`${expected((workers[0] as Login).userId)},2,`));
      assert.equal(worker0T2?.split(',')[2 + itemIds.indexOf('wb14')], '');
      const again = await world.as(as.statistician as Login, 'GET', `${T}/exports/wellbeing.csv`);
      assert.equal(again.statusCode, 200);
      assert.equal(again.body, exportCsv, 'pseudonyms are stable across exports');
      // Every answer in the file is the one submitted.
      const table = parseCsv(new TextEncoder().encode(exportCsv), 'wellbeing.csv');
      assert.equal(readCohortResponses(table, MEASURES).rows.length, 18);

      const file = join(directory, 'wellbeing.csv');
      writeFileSync(file, exportCsv);
      const run = await runCli(['cohort', file, '--norms', join(directory, 'norms.csv'), '--json']);
      assert.equal(run.code, 0, run.stderr);
      const cli = JSON.parse(run.stdout) as {
        participants: unknown;
        scores: {
          measure: string;
          subscale: string | null;
          timepoints: unknown[];
          change: Record<string, unknown>[];
          norm: { comparisons: unknown[] } | null;
        }[];
      };
      const summary = await world.as(as.coordinator1 as Login, 'GET', `${T}/wellbeing/summary`);
      assert.equal(summary.statusCode, 200, summary.body);
      const app = summary.json() as {
        participants: unknown;
        scores: {
          measure: string;
          subscale: string | null;
          timepoints: unknown[];
          change: Record<string, unknown>[];
          norm: { mean: number; sd: number; comparisons: unknown[] } | null;
        }[];
      };
      assert.deepEqual(app.participants, cli.participants);
      assert.equal(app.scores.length, cli.scores.length);
      for (const [index, score] of app.scores.entries()) {
        const reference = cli.scores[index];
        assert.equal(score.measure, reference?.measure);
        assert.equal(score.subscale, reference?.subscale);
        // The export lists rows by pseudonym, the app by user: sums run in another order, so the last bit of
        // a mean can differ (1e-12 relative covers it; everything else is the same arithmetic).
        const close = { relative: 1e-12, absolute: 1e-12 };
        assertDeepClose(score.timepoints, reference?.timepoints, close);
        assertDeepClose(
          score.change,
          reference?.change.map(({ statistic: _s, degrees_of_freedom: _d, ...rest }) => rest),
          close,
        );
        assertDeepClose(score.norm?.comparisons, reference?.norm?.comparisons, close);
      }
      const wellbeing = app.scores.find((score) => score.measure === 'wellbeing' && score.subscale === null);
      const comparisons = (wellbeing?.norm?.comparisons ?? []) as {
        n: number | null;
        p_value: number | null;
      }[];
      assert.equal(comparisons[0]?.n, 6);
      assert.equal(typeof comparisons[0]?.p_value, 'number');
    });

    it('the export is refused to coordinators, managers, researchers, peer workers, the DMC and the administrator, and audited', async () => {
      for (const who of [
        as.coordinator1,
        as.manager,
        as.researcher1,
        as.dmc,
        workers[0],
        as.admin,
      ] as Login[]) {
        const refused = await world.as(who, 'GET', `${T}/exports/wellbeing.csv`);
        assert.equal(refused.statusCode, 403, `${who.role}: ${refused.statusCode}`);
        assert.ok(!refused.body.includes('pw-'), `${who.role} received a pseudonym`);
        for (const worker of workers) assert.ok(!refused.body.includes(worker.userId));
      }
      const audit = (await world.as(as.admin as Login, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; action: string; new_value: unknown; actor_id: string; at: string }[];
      };
      const exports = audit.entries.filter(
        (entry) =>
          entry.action === 'export' && entry.new_value === 'wellbeing questionnaires (pseudonymised)',
      );
      assert.deepEqual(
        exports.map((entry) => entry.actor_id),
        [(as.statistician as Login).userId, (as.statistician as Login).userId],
      );
      // Questionnaire entries name nobody, for every viewer: no author, no record id (<user id>/<timepoint>),
      // no reason, no values.
      const questionnaireEntries = (
        (await world.as(as.admin as Login, 'GET', `${T}/audit`)).json() as {
          entries: {
            entity: string;
            actor_id: string;
            record_id: string | null;
            reason: string | null;
            new_value: unknown;
          }[];
        }
      ).entries.filter((entry) => entry.entity === 'wellbeing');
      assert.ok(questionnaireEntries.length >= 18);
      for (const entry of questionnaireEntries) {
        assert.deepEqual(
          [entry.actor_id, entry.record_id, entry.reason, entry.new_value],
          ['withheld', null, null, null],
        );
      }
      assert.ok(exports.every((entry) => typeof entry.at === 'string' && entry.at !== ''));
      // The pseudonym key is in no audit value, not even the administrator's view.
      const key = (await world.store.findRecord('enrich', 'wellbeing_pseudonym_key', 'trial'))?.data
        .key as string;
      const keyEntries = audit.entries.filter((entry) => entry.entity === 'wellbeing_pseudonym_key');
      assert.equal(keyEntries.length > 0, true);
      assert.ok(!JSON.stringify(audit).includes(key), 'the audit shows the pseudonym key');
    });

    it('researchers, statisticians, the DMC and peer workers get no wellbeing aggregate', async () => {
      for (const who of [as.researcher1, as.statistician, as.dmc, workers[0]] as Login[]) {
        const refused = await world.as(who, 'GET', `${T}/wellbeing/summary`);
        assert.equal(refused.statusCode, 403, `${who.role}: ${refused.body}`);
        assert.doesNotMatch(refused.body, /"mean"|"timepoints"/);
      }
    });

    it('coordinators and managers never receive an answer, a score, a worker id or a pseudonym', async () => {
      const routes = [
        `${T}/wellbeing/summary`,
        `${T}/wellbeing/norms`,
        `${T}/wellbeing/norms.csv`,
        `${T}/wellbeing/mine`,
        `${T}/wellbeing/questionnaire`,
        `${T}/exports/wellbeing.csv`,
        `${T}/audit`,
        `${T}/participants`,
      ];
      const pseudonyms = [
        ...new Set(
          exportCsv
            .trimEnd()
            .split('\n')
            .slice(1)
            .map((line) => line.split(',')[0]),
        ),
      ];
      const answerMaps = workers.flatMap((_, index) =>
        [1, 2, 3].map((t) => JSON.stringify(answersOf(index, t))),
      );
      for (const viewer of [as.coordinator1, as.manager] as Login[]) {
        for (const route of routes) {
          const response = await world.as(viewer, 'GET', route);
          if (!route.endsWith('/audit')) {
            // The audit names who wrote a record (that someone completed a questionnaire), never its values.
            for (const worker of workers)
              assert.ok(!response.body.includes(worker.userId), `${route} names a worker`);
          }
          for (const pseudonym of pseudonyms) assert.ok(!response.body.includes(pseudonym as string), route);
          for (const map of answerMaps) assert.ok(!response.body.includes(map), `${route} carries answers`);
          assert.doesNotMatch(response.body, /"wb1"\s*:/, `${route} carries item answers`);
          assert.doesNotMatch(response.body, /"answers"\s*:\s*\{/, `${route} carries an answers object`);
          assert.ok(!response.body.startsWith('worker_id,'), `${route} is the questionnaire file`);
        }
        // Every number the summary holds is an aggregate of 5 or more people (or withheld).
        const summary = (await world.as(viewer, 'GET', `${T}/wellbeing/summary`)).json() as {
          scores: {
            timepoints: { n: number | null }[];
            change: { n: number | null }[];
            norm: { comparisons: { n: number | null }[] } | null;
          }[];
        };
        for (const score of summary.scores) {
          for (const group of [...score.timepoints, ...score.change, ...(score.norm?.comparisons ?? [])]) {
            assert.ok(group.n === null || group.n >= 5);
          }
        }
      }
    });

    it('after the lock: the statistician still exports the same file; norms can no longer change', async () => {
      const locked = await world.as(as.manager as Login, 'POST', `${T}/lock`, { reason: 'final analysis' });
      assert.equal(locked.statusCode, 200, locked.body);
      const exported = await world.as(as.statistician as Login, 'GET', `${T}/exports/wellbeing.csv`);
      assert.equal(exported.statusCode, 200, exported.body);
      assert.equal(exported.body, exportCsv);
      assert.equal(
        (await world.as(as.manager as Login, 'GET', `${T}/exports/wellbeing.csv`)).statusCode,
        403,
      );
      const refused = await world.as(as.manager as Login, 'PUT', `${T}/wellbeing/norms`, {
        norms: fixtureNorms,
        version: 2,
        reason: 'late change',
      });
      assert.equal(refused.statusCode, 403, refused.body);
    });
  });
}
