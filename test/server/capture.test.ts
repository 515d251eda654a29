/**
 * Issue 9 capture over the API (SQLite): fidelity double rating blind to the other rater, disagreements and
 * consensus, the ratings-file export read back by `enrich fidelity`; wellbeing questionnaires completed by
 * peer workers, with no individual answer reaching a coordinator or manager (every response body searched).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { itemsFor } from '../../src/server/routes/fidelity.ts';
import { WELLBEING_MEASURES } from '../../src/server/routes/wellbeing.ts';
import { parseCsv } from '../../src/table/index.ts';
import { FIDELITY_INDEX_TEMPLATE, readFidelityRatings } from '../../src/trial/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { type Login, openWorld, password, sqliteDatabases, type World } from './harness.ts';

const databases = sqliteDatabases();
after(() => databases.cleanup());

const T = '/api/trials/enrich';

/** Every score of an informant's items set to `score`, except `overrides`. */
function scoresFor(informant: string, score: number, overrides: Record<string, number> = {}) {
  return Object.fromEntries(itemsFor(informant).map((item) => [item.id, overrides[item.id] ?? score]));
}

describe('fidelity ratings over the API', () => {
  let world: World;
  let admin: Login;
  let manager: Login;
  let rater1: Login;
  let rater2: Login;
  let statistician: Login;
  let peerworker: Login;
  const interview = { site: 'site_1', employer_type: 'nhs', timepoint: 1, informant: 'peer_worker' };

  before(async () => {
    world = await openWorld(databases.fresh);
    admin = await world.login('admin');
    assert.equal(
      (await world.as(admin, 'POST', '/api/trials', { name: 'enrich', template: 'enrich' })).statusCode,
      201,
    );
    manager = await world.login('manager');
    rater1 = await world.login('researcher1');
    rater2 = await world.login('researcher2');
    statistician = await world.login('statistician');
    peerworker = await world.login('peerworker');
  });
  after(() => world.close());

  it('gives raters the index and refuses roles that do not rate', async () => {
    const index = await world.as(rater1, 'GET', `${T}/fidelity/index`);
    assert.equal(index.statusCode, 200);
    assert.equal(
      (index.json() as { index: { items: unknown[] } }).index.items.length,
      FIDELITY_INDEX_TEMPLATE.items.length,
    );
    assert.equal((await world.as(peerworker, 'GET', `${T}/fidelity/index`)).statusCode, 403);
    const put = await world.as(manager, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
      ...interview,
      scores: scoresFor('peer_worker', 4),
    });
    assert.equal(put.statusCode, 403);
  });

  it('keeps the second rater blind to the first until they submit, then lists disagreements', async () => {
    const first = scoresFor('peer_worker', 4);
    const firstItem = Object.keys(first)[0] as string;
    const submitted = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
      ...interview,
      scores: first,
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    // Rater 2 before rating: the interview exists, nobody's scores are shown.
    const blind = await world.as(rater2, 'GET', `${T}/fidelity/interviews/int_1`);
    assert.equal(blind.statusCode, 200);
    const blindBody = blind.json() as { independent: unknown[]; ratings_visible: boolean; ratings: number };
    assert.equal(blindBody.ratings_visible, false);
    assert.deepEqual(blindBody.independent, []);
    assert.equal(blindBody.ratings, 1);
    assert.doesNotMatch(blind.body, /"scores"/);
    const list = await world.as(rater2, 'GET', `${T}/fidelity/interviews`);
    assert.doesNotMatch(list.body, /"scores"/);
    assert.equal((await world.as(rater2, 'GET', `${T}/fidelity/disagreements`)).statusCode, 403);
    assert.equal((await world.as(rater2, 'GET', `${T}/fidelity/ratings.csv`)).statusCode, 403);
    // A mismatched interview description is refused; a second rating by the same rater too.
    const mismatch = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
      ...interview,
      timepoint: 2,
      scores: first,
    });
    assert.equal(mismatch.statusCode, 422);
    const again = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
      ...interview,
      scores: first,
    });
    assert.equal(again.statusCode, 409);
    const incomplete = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
      ...interview,
      scores: { [firstItem]: 2 },
    });
    assert.equal(incomplete.statusCode, 422);
    // Rater 2 submits: 2 on the first item (a disagreement of 2), the same elsewhere.
    const second = scoresFor('peer_worker', 4, { [firstItem]: 2 });
    assert.equal(
      (
        await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
          ...interview,
          scores: second,
        })
      ).statusCode,
      201,
    );
    const seen = (await world.as(rater2, 'GET', `${T}/fidelity/interviews/int_1`)).json() as {
      independent: unknown[];
      disagreements: { item: string; scores: number[] }[];
    };
    assert.equal(seen.independent.length, 2);
    // Scores in the order of the stored ratings (by key), so compare them as a set.
    assert.deepEqual(
      seen.disagreements.map((entry) => ({ item: entry.item, scores: [...entry.scores].sort() })),
      [{ item: firstItem, scores: [2, 4] }],
    );
    // A third rater is refused.
    const admin3 = await world.as(admin, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
      ...interview,
      scores: first,
    });
    assert.equal(admin3.statusCode, 409);
  });

  it('lets the trial manager enter the consensus on every disagreement', async () => {
    const listed = await world.as(manager, 'GET', `${T}/fidelity/disagreements`);
    assert.equal(listed.statusCode, 200);
    const body = listed.json() as {
      interviews: { interview_id: string; items: { item: string; consensus_score: null }[] }[];
    };
    assert.equal(body.interviews.length, 1);
    const item = body.interviews[0]?.items[0]?.item as string;
    assert.equal(body.interviews[0]?.items[0]?.consensus_score, null);
    assert.equal(
      (await world.as(manager, 'PUT', `${T}/fidelity/interviews/int_1/consensus`, { scores: {} })).statusCode,
      422,
    );
    assert.equal(
      (await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/consensus`, { scores: { [item]: 3 } }))
        .statusCode,
      403,
    );
    const consensus = await world.as(manager, 'PUT', `${T}/fidelity/interviews/int_1/consensus`, {
      scores: { [item]: 3 },
    });
    assert.equal(consensus.statusCode, 200, consensus.body);
    const after = (await world.as(manager, 'GET', `${T}/fidelity/disagreements`)).json() as {
      interviews: { items: { consensus_score: number }[] }[];
    };
    assert.equal(after.interviews[0]?.items[0]?.consensus_score, 3);
  });

  it('exports the ratings file that enrich fidelity reads (round trip)', async () => {
    // A second interview at another site, voluntary sector, rated twice in agreement.
    const other = { site: 'site_2', employer_type: 'voluntary', timepoint: 2, informant: 'supervisor' };
    for (const rater of [rater1, rater2]) {
      const response = await world.as(rater, 'PUT', `${T}/fidelity/interviews/int_2/my-rating`, {
        ...other,
        scores: scoresFor('supervisor', 3),
      });
      assert.equal(response.statusCode, 201, response.body);
    }
    const csv = await world.as(statistician, 'GET', `${T}/fidelity/ratings.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const ratings = readFidelityRatings(
      parseCsv(new TextEncoder().encode(csv.body), 'ratings.csv'),
      FIDELITY_INDEX_TEMPLATE,
    );
    const expectedRows = 2 * itemsFor('peer_worker').length + 1 + 2 * itemsFor('supervisor').length;
    assert.equal(ratings.ratings.length, expectedRows);
    assert.equal(ratings.ratings.filter((rating) => rating.consensus).length, 1);
    const directory = mkdtempSync(join(tmpdir(), 'enrich-capture-'));
    try {
      const file = join(directory, 'ratings.csv');
      writeFileSync(file, csv.body);
      const run = await runCli(['fidelity', file, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.ok(result !== null && typeof result === 'object');
      assert.match(run.stdout, /site_1/);
      assert.match(run.stdout, /site_2/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('wellbeing questionnaires over the API: confidential', () => {
  let world: World;
  let manager: Login;
  let coordinator: Login;
  let admin: Login;
  const workers: Login[] = [];
  /** Distinctive answers per worker: a marker value pattern we then look for in every response body. */
  const answersOf = (index: number) => {
    const answers: Record<string, number> = {};
    for (const measure of WELLBEING_MEASURES) {
      for (const [position, item] of measure.items.entries()) {
        answers[item.id] = measure.minimum + ((index + position) % (measure.maximum - measure.minimum + 1));
      }
    }
    return answers;
  };

  before(async () => {
    world = await openWorld(databases.fresh);
    admin = await world.login('admin');
    await world.as(admin, 'POST', '/api/trials', { name: 'enrich', template: 'enrich' });
    manager = await world.login('manager');
    coordinator = await world.login('coordinator1');
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
  after(() => world.close());

  it('a peer worker completes T1 and reads back only their own answers', async () => {
    const worker = workers[0] as Login;
    const questionnaire = await world.as(worker, 'GET', `${T}/wellbeing/questionnaire`);
    assert.equal(questionnaire.statusCode, 200);
    const saved = await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(0) });
    assert.equal(saved.statusCode, 200, saved.body);
    const mine = (await world.as(worker, 'GET', `${T}/wellbeing/mine`)).json() as {
      timepoints: { timepoint: number; completed: boolean; answers: Record<string, number> | null }[];
    };
    assert.equal(mine.timepoints[0]?.completed, true);
    assert.deepEqual(mine.timepoints[0]?.answers, answersOf(0));
    assert.equal(mine.timepoints[1]?.completed, false);
    // Another worker sees none of it.
    const other = (await world.as(workers[1] as Login, 'GET', `${T}/wellbeing/mine`)).json() as {
      timepoints: { answers: unknown }[];
    };
    assert.ok(other.timepoints.every((entry) => entry.answers === null));
    // Invalid answers are refused; a change needs version and reason.
    assert.equal(
      (await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: { wb1: 99 } })).statusCode,
      422,
    );
    assert.equal(
      (await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: { nope: 1 } })).statusCode,
      422,
    );
    assert.equal(
      (await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(1) })).statusCode,
      409,
    );
    // Coordinators and managers cannot complete one.
    assert.equal(
      (await world.as(coordinator, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(0) })).statusCode,
      403,
    );
  });

  it('suppresses aggregates under 5 people, then shows aggregates only', async () => {
    const early = (await world.as(manager, 'GET', `${T}/wellbeing/summary`)).json() as {
      participants: { timepoint: number; n: number | null; suppressed: string | null }[];
      scores: { timepoints: { mean: number | null; suppressed: string | null }[] }[];
    };
    assert.equal(early.participants[0]?.n, null);
    assert.equal(early.participants[0]?.suppressed, 'fewer than 5');
    assert.ok(early.scores.every((score) => score.timepoints.every((entry) => entry.mean === null)));
    for (const [index, worker] of workers.entries()) {
      if (index === 0) continue;
      const saved = await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(index) });
      assert.equal(saved.statusCode, 200, saved.body);
    }
    const summary = await world.as(coordinator, 'GET', `${T}/wellbeing/summary`);
    assert.equal(summary.statusCode, 200);
    const body = summary.json() as {
      participants: { timepoint: number; n: number | null }[];
      scores: {
        measure: string;
        timepoints: { timepoint: number; n: number | null; mean: number | null }[];
      }[];
    };
    assert.equal(body.participants[0]?.n, 6);
    assert.equal(body.participants[1]?.n, null);
    const wellbeing = body.scores.find((score) => score.measure === 'wellbeing');
    assert.equal(wellbeing?.timepoints[0]?.n, 6);
    assert.equal(typeof wellbeing?.timepoints[0]?.mean, 'number');
    // A peer worker and a researcher get no aggregate.
    assert.equal((await world.as(workers[0] as Login, 'GET', `${T}/wellbeing/summary`)).statusCode, 403);
  });

  it('no individual answer, score or worker id reaches a coordinator or manager on any route', async () => {
    const routes = [
      `${T}/wellbeing/summary`,
      `${T}/wellbeing/mine`,
      `${T}/wellbeing/questionnaire`,
      `${T}/audit`,
      `${T}/participants`,
      `/api/users`,
      `${T}/fidelity/ratings.csv`,
    ];
    const workerIds = workers.map((worker) => worker.userId);
    // Each worker's own T1 answers as the JSON object they stored (the answers map) and each item=value pair.
    const answerMaps = workers.map((_, index) => JSON.stringify(answersOf(index)));
    for (const viewer of [coordinator, manager]) {
      for (const route of routes) {
        const response = await world.as(viewer, 'GET', route);
        // The audit trail names who wrote a record (that someone completed a questionnaire), never the values.
        if (!route.endsWith('/audit')) {
          for (const id of workerIds) assert.ok(!response.body.includes(id), `${route} names worker ${id}`);
        }
        for (const map of answerMaps) assert.ok(!response.body.includes(map), `${route} carries answers`);
        assert.doesNotMatch(response.body, /"wb1"\s*:/, `${route} carries item answers`);
        assert.doesNotMatch(response.body, /"answers"\s*:\s*\{/, `${route} carries an answers object`);
      }
    }
    // The audit trail blanks wellbeing values even for the administrator.
    const audit = (await world.as(admin, 'GET', `${T}/audit`)).json() as {
      entries: { entity: string; old_value: unknown; new_value: unknown }[];
    };
    const wellbeingEntries = audit.entries.filter((entry) => entry.entity === 'wellbeing');
    assert.ok(wellbeingEntries.length >= 6);
    assert.ok(wellbeingEntries.every((entry) => entry.old_value === null && entry.new_value === null));
  });
});
