/**
 * Route tests for the user directory (GET /api/users, GET /api/trials/:trialId/peer-workers), the read-only
 * randomisation settings and the HTML analysis report, run once per dialect (directory-sqlite.test.ts always,
 * directory-postgres.test.ts when ENRICH_TEST_PG_URL is set). Role allow/deny is checked against `can()`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PLACEHOLDER_COHORT_MEASURES } from '../../src/analysis/index.ts';
import { buildApp, DEMO_ACCOUNTS, DEMO_TRIAL_ID, seedDemoTrial } from '../../src/server/index.ts';
import { openTrialStore } from '../../src/storage/index.ts';
import { can, createSeededRandom, type TrialStore } from '../../src/trial/index.ts';
import {
  type FreshDatabase,
  type Login,
  openWorld,
  PEOPLE,
  participantRequest,
  type World,
} from './harness.ts';

export function defineDirectorySuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`users, peer workers, randomisation settings on ${dialect}`, () => {
    let world: World;
    const logins: Record<string, Login> = {};

    before(async () => {
      world = await openWorld(fresh);
      for (const username of Object.keys(PEOPLE)) logins[username] = await world.login(username);
      const admin = logins.admin as Login;
      const created = await world.as(admin, 'POST', '/api/trials', { name: 'enrich', template: 'enrich' });
      assert.equal(created.statusCode, 201, created.body);
      for (const code of ['site_1', 'site_2']) {
        const site = await world.as(admin, 'POST', '/api/trials/enrich/sites', {
          code,
          name: `Site ${code}`,
        });
        assert.equal(site.statusCode, 201, site.body);
      }
      for (const [username, sites] of [
        ['pw_site1', ['site_1']],
        ['pw_site2', ['site_2']],
      ] as const) {
        const response = await world.as(admin, 'POST', '/api/users', {
          username,
          password: `${username}-password`,
          role: 'peer_worker',
          site_ids: sites,
        });
        assert.equal(response.statusCode, 201, response.body);
      }
    });
    after(async () => world.close());

    it('GET /api/users lists every user with role and sites (admin), by username', async () => {
      const response = await world.as(logins.admin as Login, 'GET', '/api/users');
      assert.equal(response.statusCode, 200, response.body);
      const users = (
        response.json() as { users: { id: string; username: string; role: string; site_ids: string[] }[] }
      ).users;
      const expected = [
        ...Object.entries(PEOPLE).map(([username, person]) => ({
          username,
          role: person.role,
          site_ids: person.sites,
        })),
        { username: 'pw_site1', role: 'peer_worker', site_ids: ['site_1'] },
        { username: 'pw_site2', role: 'peer_worker', site_ids: ['site_2'] },
      ].sort((a, b) => (a.username < b.username ? -1 : 1));
      assert.deepEqual(
        users.map(({ username, role, site_ids }) => ({ username, role, site_ids })),
        expected,
      );
      assert.equal(users.find((user) => user.username === 'admin')?.id, (logins.admin as Login).userId);
      assert.ok(!response.body.includes('password'), 'no password hash');
    });

    it('GET /api/users is refused (403) to every role but admin, as can(manage_users) says', async () => {
      for (const [username, person] of Object.entries(PEOPLE)) {
        const allowed = can(
          { userId: 'x', username, role: person.role, sites: person.sites },
          'manage_users',
          { kind: 'trial', trialLocked: false },
        );
        const response = await world.as(logins[username] as Login, 'GET', '/api/users');
        assert.equal(response.statusCode, allowed ? 200 : 403, `${username}: ${response.body}`);
        assert.equal(allowed, person.role === 'admin');
      }
    });

    it('GET /api/trials/:trialId/peer-workers: a coordinator sees the peer workers at their sites', async () => {
      const response = await world.as(logins.coordinator1 as Login, 'GET', '/api/trials/enrich/peer-workers');
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json() as { peer_workers: { id: string; username: string }[] };
      assert.deepEqual(
        body.peer_workers.map((worker) => worker.username),
        ['pw_site1'],
      );
      assert.deepEqual(Object.keys(body.peer_workers[0] as object).sort(), ['id', 'username']);
    });

    it('GET /api/trials/:trialId/peer-workers: trial manager and admin see every peer worker; others 403', async () => {
      const expected: Record<string, string[] | 403> = {
        admin: ['peerworker', 'pw_site1', 'pw_site2'],
        manager: ['peerworker', 'pw_site1', 'pw_site2'],
        coordinator1: ['pw_site1'],
        researcher1: 403,
        researcher2: 403,
        peerworker: 403,
        statistician: 403,
        dmc: 403,
      };
      for (const [username, want] of Object.entries(expected)) {
        const response = await world.as(logins[username] as Login, 'GET', '/api/trials/enrich/peer-workers');
        if (want === 403) {
          assert.equal(response.statusCode, 403, `${username}: ${response.body}`);
          assert.equal((response.json() as { error: { code: string } }).error.code, 'forbidden');
          continue;
        }
        assert.equal(response.statusCode, 200, `${username}: ${response.body}`);
        const body = response.json() as { peer_workers: { username: string }[] };
        assert.deepEqual(
          body.peer_workers.map((worker) => worker.username),
          want,
          username,
        );
      }
    });

    it('GET /api/trials/:trialId/randomisation-settings: as configured, unlocked, then locked after the first allocation', async () => {
      const manager = logins.manager as Login;
      const before = await world.as(manager, 'GET', '/api/trials/enrich/randomisation-settings');
      assert.equal(before.statusCode, 200, before.body);
      const trial = await world.store.getTrial('enrich');
      const settings = trial.config.randomisation;
      assert.equal(settings.kind, 'permuted_blocks');
      const body = before.json() as Record<string, unknown>;
      assert.deepEqual(body, {
        trial_id: 'enrich',
        method: 'permuted_blocks',
        arms: trial.config.arms.map((arm) => ({ name: arm.name, ratio: arm.ratio })),
        factors: trial.config.factors.map((factor) => ({
          name: factor.name,
          levels: [...factor.levels],
          ...(factor.weight === undefined ? {} : { weight: factor.weight }),
        })),
        block_sizes: body.block_sizes,
        block_sizes_default: settings.kind === 'permuted_blocks' && settings.blockSizes === undefined,
        locked: false,
        database_locked: false,
      });
      if (settings.kind === 'permuted_blocks' && settings.blockSizes !== undefined) {
        assert.deepEqual(body.block_sizes, settings.blockSizes);
      }

      const researcher = logins.researcher1 as Login;
      const made = await world.as(
        researcher,
        'POST',
        '/api/trials/enrich/participants',
        participantRequest('site_1'),
      );
      assert.equal(made.statusCode, 201, made.body);
      const id = (made.json() as { id: string }).id;
      const randomised = await world.as(researcher, 'POST', `/api/participants/${id}/randomise`);
      assert.equal(randomised.statusCode, 200, randomised.body);

      const after = await world.as(logins.admin as Login, 'GET', '/api/trials/enrich/randomisation-settings');
      assert.equal(after.statusCode, 200, after.body);
      const afterBody = after.json() as Record<string, unknown>;
      assert.equal(afterBody.locked, true);
      assert.deepEqual({ ...afterBody, locked: false }, body);
      // Never the state: no block contents, position or generator state.
      for (const word of ['state', 'position', 'pending', 'seed', 'block_index']) {
        assert.ok(!after.body.includes(word), word);
      }
    });

    it('GET /api/trials/:trialId/randomisation-settings is refused (403) to roles not allowed view_audit', async () => {
      for (const [username, person] of Object.entries(PEOPLE)) {
        const allowed = can({ userId: 'x', username, role: person.role, sites: person.sites }, 'view_audit', {
          kind: 'trial',
          trialLocked: false,
        });
        const response = await world.as(
          logins[username] as Login,
          'GET',
          '/api/trials/enrich/randomisation-settings',
        );
        assert.equal(response.statusCode, allowed ? 200 : 403, `${username}: ${response.body}`);
      }
    });

    it('GET /api/trials/:trialId/analysis-report.html: 422 HTML naming the problem when the dataset cannot be analysed (one participant)', async () => {
      const manager = logins.manager as Login;
      const locked = await world.as(manager, 'POST', '/api/trials/enrich/lock', { reason: 'test' });
      assert.equal(locked.statusCode, 200, locked.body);
      const response = await world.as(
        logins.statistician as Login,
        'GET',
        '/api/trials/enrich/analysis-report.html',
      );
      assert.equal(response.statusCode, 422, response.body);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.ok(response.body.includes('<h1>The analysis report cannot be made from this dataset yet</h1>'));
      assert.ok(response.body.includes('(error analysis_arm_empty)'), response.body);
    });

    it('GET /api/trials/:trialId/audit names each actor by username', async () => {
      const response = await world.as(logins.manager as Login, 'GET', '/api/trials/enrich/audit');
      assert.equal(response.statusCode, 200, response.body);
      const entries = (response.json() as { entries: { actor_id: string; actor_username: string | null }[] })
        .entries;
      const admin = logins.admin as Login;
      const byAdmin = entries.filter((entry) => entry.actor_id === admin.userId);
      assert.ok(byAdmin.length > 0);
      for (const entry of byAdmin) assert.equal(entry.actor_username, 'admin');
    });
  });

  describe(`analysis report on ${dialect}`, () => {
    let store: TrialStore;
    let app: FastifyInstance;
    let now = Date.UTC(2024, 9, 1, 12, 0, 0);
    const cookies: Record<string, { cookie: string; csrf: string }> = {};

    before(async () => {
      store = await openTrialStore(await fresh(), {
        now: () => new Date(now),
        random: createSeededRandom(5),
        migrate: true,
        poolSize: 4,
      });
      await seedDemoTrial(store, createSeededRandom(2024), Date.UTC(2024, 9, 1), (time) => {
        now = time;
      });
      // The demo trial is 22 months old: everyone discharged more than a year ago has the 12-month records
      // review (admissions, crisis, liaison and community contacts), so the default plan has data to analyse.
      const system = { actor: { userId: 'system', role: 'admin' as const } };
      // Six peer workers complete the T1 wellbeing questionnaire in the app (none at T2, T3: suppressed).
      for (let index = 0; index < 6; index++) {
        const worker = await store.createUser(
          { username: `report_pw${index}`, role: 'peer_worker', sites: [], password: 'own answers only' },
          system,
        );
        const answers: Record<string, number> = {};
        for (const measure of PLACEHOLDER_COHORT_MEASURES) {
          for (const [position, item] of measure.items.entries()) {
            answers[item.id] =
              measure.minimum + ((index + position) % (measure.maximum - measure.minimum + 1));
          }
        }
        await store.saveRecord(
          DEMO_TRIAL_ID,
          'wellbeing',
          {
            responseId: `${worker.userId}/1`,
            workerId: worker.userId,
            timepoint: 1,
            answers,
            submitted: true,
          },
          { actor: { userId: worker.userId, role: 'peer_worker' } },
        );
      }
      now = Date.UTC(2024, 9, 1, 12, 0, 0);
      app = await buildApp({ store, clock: () => new Date(now), random: createSeededRandom(99) });
      for (const account of DEMO_ACCOUNTS) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: account.username, password: account.password },
        });
        assert.equal(response.statusCode, 200, response.body);
        cookies[account.username] = {
          cookie: String(response.headers['set-cookie']).split(';')[0] as string,
          csrf: (response.json() as { csrf_token: string }).csrf_token,
        };
      }
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    const get = (username: string) =>
      app.inject({
        method: 'GET',
        url: `/api/trials/${DEMO_TRIAL_ID}/analysis-report.html`,
        headers: { cookie: (cookies[username] as { cookie: string }).cookie },
      });

    it('is refused (403) to the statistician before the lock', async () => {
      const response = await get('statistician');
      assert.equal(response.statusCode, 403, response.body);
      assert.match((response.json() as { error: { code: string } }).error.code, /forbidden$/);
    });

    it('answers the HTML report to the statistician after the lock (default plan: 1000 resamples, seed 1)', async () => {
      const manager = cookies.manager as { cookie: string; csrf: string };
      const locked = await app.inject({
        method: 'POST',
        url: `/api/trials/${DEMO_TRIAL_ID}/lock`,
        headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrf },
        payload: { reason: 'final analysis' },
      });
      assert.equal(locked.statusCode, 200, locked.body);
      const response = await get('statistician');
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(String(response.headers['content-type']), /^text\/html/);
      const trial = await store.getTrial(DEMO_TRIAL_ID);
      assert.ok(response.body.includes(`<title>Trial report: ${trial.config.title}</title>`));
      assert.ok(response.body.includes('1000'));
      // A good share of the demo's participants have the 12-month outcome (records available), so the
      // primary analysis has data: at least a third of those randomised.
      const records = await store.listParticipantRecords(DEMO_TRIAL_ID);
      const withOutcome = records.filter((record) =>
        record.serviceUseReviews.some((review) => review.visitId === 'month_12' && review.recordsAvailable),
      ).length;
      assert.ok(
        withOutcome * 3 >= records.length,
        `${withOutcome} of ${records.length} with 12-month outcomes`,
      );
      assert.match(response.body, /<h2 id="primary-heading">\d+\. Primary outcome<\/h2>/);
      // The in-app wellbeing questionnaires: the cohort section, T1 of 6 shown, T2 and T3 suppressed.
      assert.match(response.body, /<h2 id="cohort-heading">\d+\. Peer worker wellbeing cohort<\/h2>/);
      assert.ok(response.body.includes('T1 6, T2 &lt;5 (suppressed), T3 &lt;5 (suppressed) peer workers'));
      assert.ok(response.body.includes('<table id="cohort-score-0">'));
      const refused = await get('researcher');
      assert.equal(refused.statusCode, 403, refused.body);
    });

    it("the trial manager's report (after the lock) holds no peer worker's id, answers or own score", async () => {
      const response = await get('manager');
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(response.body, /<h2 id="cohort-heading">\d+\. Peer worker wellbeing cohort<\/h2>/);
      const workers = (await store.listUsers()).filter((user) => user.username.startsWith('report_pw'));
      assert.equal(workers.length, 6);
      for (const worker of workers) {
        assert.ok(!response.body.includes(worker.userId), 'the report names a peer worker');
        assert.ok(!response.body.includes(worker.username), 'the report names a peer worker');
      }
      // No item column or answers object; the cohort numbers are the T1 group of 6 (or withheld).
      assert.doesNotMatch(response.body, /\bwb1\b|"answers"/);
      assert.ok(response.body.includes('T1 6, T2 &lt;5 (suppressed), T3 &lt;5 (suppressed) peer workers'));
    });
  });
}
