/**
 * The HTTP route tests, run once per dialect (sqlite.test.ts always, postgres.test.ts when
 * ENRICH_TEST_PG_URL is set), in-process through `app.inject`. Statuses and whole bodies are asserted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ACTIONS, can, type ParticipantResource, ROLES, type User } from '../../src/trial/index.ts';
import {
  type FreshDatabase,
  type Login,
  openWorld,
  PEOPLE,
  participantRequest,
  password,
  type World,
} from './harness.ts';

const ARMS = ['peer_support', 'usual_care'];

/** Whether a serialized body shows an allocation: an `arm` key or an arm name. */
function showsAllocation(body: string): boolean {
  return /"arm"\s*:/.test(body) || ARMS.some((arm) => body.includes(arm));
}

/** An audit body without the trial configuration entries (they name the arms, which is no allocation). */
function withoutConfigEntries(body: string): string {
  const parsed = JSON.parse(body) as { entries?: { field: string | null }[] };
  if (!Array.isArray(parsed.entries)) return body;
  return JSON.stringify({
    entries: parsed.entries.filter((entry) => !String(entry.field).startsWith('config')),
  });
}

export function defineServerSuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`HTTP API on ${dialect}`, () => {
    let world: World;
    const logins: Record<string, Login> = {};
    /** Participant ids (screening ids) made in `before`. */
    let siteOneRandomised: string;
    let siteOnePending: string;
    let siteTwoRandomised: string;

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
      const make = async (login: Login, site: string) => {
        const response = await world.as(
          login,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest(site),
        );
        assert.equal(response.statusCode, 201, response.body);
        return (response.json() as { id: string }).id;
      };
      siteOneRandomised = await make(logins.researcher1 as Login, 'site_1');
      siteOnePending = await make(logins.researcher1 as Login, 'site_1');
      siteTwoRandomised = await make(logins.researcher2 as Login, 'site_2');
      for (const [login, id] of [
        [logins.researcher1, siteOneRandomised],
        [logins.researcher2, siteTwoRandomised],
      ] as const) {
        const response = await world.as(login as Login, 'POST', `/api/participants/${id}/randomise`);
        assert.equal(response.statusCode, 200, response.body);
      }
    });
    after(async () => world.close());

    describe('system', () => {
      it('GET /api/health answers ok with the dialect', async () => {
        const response = await world.app.inject({ method: 'GET', url: '/api/health' });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), { status: 'ok', version: '0.1.0', database: dialect });
      });

      it('GET /api/openapi.json lists every registered route with its method', async () => {
        const response = await world.app.inject({ method: 'GET', url: '/api/openapi.json' });
        assert.equal(response.statusCode, 200);
        const document = response.json() as {
          openapi: string;
          paths: Record<string, Record<string, unknown>>;
        };
        assert.equal(document.openapi, '3.1.0');
        // fastify's own route table, independent of the collector that feeds the document.
        const registered = new Set<string>();
        // Its tree: each line is a path segment under the line above it with one indent (4 characters) less;
        // a segment starts with "/" or, for a suffix of its parent (`/fidelity/index` -> `.json`), with ".".
        const tree = world.app.printRoutes({ commonPrefix: false });
        const stack: string[] = [];
        for (const line of tree.split('\n')) {
          const match = /^(.*?)([/.]\S*) \(([^)]+)\)/.exec(line);
          if (match === null) continue;
          const depth = ((match[1] as string).length - 4) / 4;
          stack.length = depth;
          const path = `${stack.join('')}${match[2] as string}`;
          stack.push(match[2] as string);
          for (const method of (match[3] as string).split(',').map((item) => item.trim())) {
            if (method !== 'HEAD' && method !== 'OPTIONS') {
              registered.add(`${method.toLowerCase()} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
            }
          }
        }
        const documented = new Set(
          Object.entries(document.paths).flatMap(([path, methods]) =>
            Object.keys(methods).map((method) => `${method} ${path}`),
          ),
        );
        assert.ok(registered.size >= 17, `found ${registered.size} routes: ${[...registered].join(', ')}`);
        assert.deepEqual([...documented].sort(), [...registered].sort());
        for (const contract of [
          'post /api/auth/login',
          'post /api/auth/logout',
          'post /api/auth/tokens',
          'post /api/users',
          'post /api/trials',
          'post /api/trials/{trialId}/sites',
          'post /api/trials/{trialId}/participants',
          'post /api/participants/{id}/randomise',
          'get /api/participants/{id}',
          'get /api/trials/{trialId}/participants',
          'post /api/trials/{trialId}/lock',
          'get /api/trials/{trialId}/analysis-dataset.csv',
          'get /api/trials/{trialId}/audit',
          'get /api/openapi.json',
          'get /api/health',
        ]) {
          assert.ok(documented.has(contract), contract);
        }
      });

      it('an unknown route answers 404 in the error shape', async () => {
        const response = await world.app.inject({ method: 'GET', url: '/api/nothing?x=1' });
        assert.equal(response.statusCode, 404);
        assert.deepEqual(response.json(), {
          error: { code: 'not_found', message: 'GET /api/nothing requires a known route (got none)' },
        });
      });

      it('malformed JSON answers 400 request_invalid', async () => {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: '{"username": ',
        });
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().error.code, 'request_invalid');
      });
    });

    describe('authentication', () => {
      it('login answers the user and a CSRF token and sets a strict HttpOnly cookie', async () => {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'manager', password: password('manager') },
        });
        assert.equal(response.statusCode, 200);
        const body = response.json();
        assert.deepEqual(Object.keys(body).sort(), ['csrf_token', 'user']);
        assert.deepEqual(body.user, {
          id: logins.manager?.userId,
          username: 'manager',
          role: 'trial_manager',
        });
        assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
        const cookie = String(response.headers['set-cookie']);
        assert.match(cookie, /^enrich_session=[A-Za-z0-9_-]{43}; Path=\/api; HttpOnly; SameSite=Strict$/);
        assert.ok(!response.body.includes(password('manager')));
      });

      it('a wrong password answers 401 without saying which part was wrong', async () => {
        for (const username of ['manager', 'nobody']) {
          const response = await world.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username, password: 'wrong-password' },
            remoteAddress: '10.9.9.9',
          });
          assert.equal(response.statusCode, 401);
          assert.deepEqual(response.json(), {
            error: {
              code: 'login_failed',
              message: 'login requires a known username and its password (got no match)',
            },
          });
        }
      });

      it('a login body missing both fields lists both issues', async () => {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { extra: 1 },
        });
        assert.equal(response.statusCode, 400);
        assert.deepEqual(response.json(), {
          error: {
            code: 'request_invalid',
            message: 'request requires a valid body (got 3 problems)',
            issues: [
              { path: 'username', message: 'is required' },
              { path: 'password', message: 'is required' },
              { path: 'extra', message: 'is not a known field' },
            ],
          },
        });
      });

      it('no credentials answers 401; a garbage cookie or token too', async () => {
        const expected = {
          error: {
            code: 'authentication_required',
            message: 'this request requires a session cookie or a bearer API token',
          },
        };
        for (const headers of [
          {},
          { cookie: 'enrich_session=nope' },
          { authorization: 'Bearer nope' },
          { authorization: 'Basic x' },
        ]) {
          const response = await world.app.inject({ method: 'GET', url: '/api/trials', headers });
          assert.equal(response.statusCode, 401);
          assert.deepEqual(response.json(), expected);
        }
      });

      it('a cookie-authenticated change without or with a wrong x-csrf-token answers 403 and changes nothing', async () => {
        const admin = logins.admin as Login;
        for (const csrf of [false, 'wrong-token', logins.manager?.csrf as string] as const) {
          const response = await world.as(
            admin,
            'POST',
            '/api/trials',
            { name: 'csrf-trial', template: 'enrich' },
            { csrf },
          );
          assert.equal(response.statusCode, 403);
          assert.deepEqual(response.json(), {
            error: {
              code: 'csrf_token_invalid',
              message:
                'a change made with a session cookie requires the x-csrf-token header with the csrf_token from the login response',
            },
          });
        }
        await assert.rejects(world.store.getTrial('csrf-trial'), { code: 'store_not_found' });
      });

      it('a GET needs no CSRF token', async () => {
        const response = await world.as(logins.admin as Login, 'GET', '/api/trials/enrich', undefined, {
          csrf: false,
        });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), {
          id: 'enrich',
          name: 'enrich',
          title: 'ENRICH: peer support for discharge from psychiatric hospital',
          created_at: '2024-03-01T09:00:00.000Z',
          locked_at: null,
        });
      });

      it('POST /api/auth/tokens answers 201 {token}; the bearer token works without CSRF; logout revokes it', async () => {
        const created = await world.as(logins.admin as Login, 'POST', '/api/auth/tokens');
        assert.equal(created.statusCode, 201);
        const { token } = created.json() as { token: string };
        assert.deepEqual(Object.keys(created.json()), ['token']);
        assert.match(token, /^enrich_[A-Za-z0-9_-]{43}$/);
        const bearer = { authorization: `Bearer ${token}` };
        const trial = await world.app.inject({
          method: 'POST',
          url: '/api/trials',
          headers: bearer,
          payload: { name: 'bearer-trial', template: 'enrich' },
        });
        assert.equal(trial.statusCode, 201);
        assert.deepEqual(trial.json(), { id: 'bearer-trial' });
        const logout = await world.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer });
        assert.equal(logout.statusCode, 204);
        assert.equal(logout.body, '');
        const again = await world.app.inject({ method: 'GET', url: '/api/trials', headers: bearer });
        assert.equal(again.statusCode, 401);
      });

      it('logout ends the session and clears the cookie', async () => {
        const login = await world.login('dmc');
        const logout = await world.as(login, 'POST', '/api/auth/logout');
        assert.equal(logout.statusCode, 204);
        assert.equal(
          String(logout.headers['set-cookie']),
          'enrich_session=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0',
        );
        const after = await world.as(login, 'GET', '/api/trials');
        assert.equal(after.statusCode, 401);
        assert.equal(after.json().error.code, 'authentication_required');
      });
    });

    describe('users', () => {
      it('an admin creates a user: 201 {id}, and the user can log in', async () => {
        const response = await world.as(logins.admin as Login, 'POST', '/api/users', {
          username: 'newresearcher',
          password: 'long-enough-1',
          role: 'researcher',
          site_ids: ['site_2'],
        });
        assert.equal(response.statusCode, 201);
        const { id } = response.json() as { id: string };
        assert.deepEqual(response.json(), { id });
        assert.deepEqual(await world.store.findUser('newresearcher'), {
          userId: id,
          username: 'newresearcher',
          role: 'researcher',
          sites: ['site_2'],
        });
        const login = await world.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'newresearcher', password: 'long-enough-1' },
        });
        assert.equal(login.statusCode, 200);
      });

      it('every invalid field is listed', async () => {
        const response = await world.as(logins.admin as Login, 'POST', '/api/users', {
          username: 'bad name',
          password: 'short',
          role: 'king',
          site_ids: 'site_1',
        });
        assert.equal(response.statusCode, 400);
        assert.deepEqual(response.json(), {
          error: {
            code: 'request_invalid',
            message: 'request requires a valid body (got 4 problems)',
            issues: [
              { path: 'username', message: 'must match pattern "^[A-Za-z0-9_.@-]{1,64}$"' },
              { path: 'password', message: 'must NOT have fewer than 8 characters' },
              {
                path: 'role',
                message:
                  'must be one of admin, trial_manager, researcher, pw_coordinator, peer_worker, statistician, dmc',
              },
              { path: 'site_ids', message: 'must be array' },
            ],
          },
        });
      });

      it('a taken username answers 409; a trial manager is refused 403', async () => {
        const taken = await world.as(logins.admin as Login, 'POST', '/api/users', {
          username: 'manager',
          password: 'long-enough-1',
          role: 'dmc',
          site_ids: [],
        });
        assert.equal(taken.statusCode, 409);
        assert.deepEqual(taken.json(), {
          error: { code: 'store_conflict', message: 'username "manager" requires a name not yet taken' },
        });
        const refused = await world.as(logins.manager as Login, 'POST', '/api/users', {
          username: 'someone',
          password: 'long-enough-1',
          role: 'dmc',
          site_ids: [],
        });
        assert.equal(refused.statusCode, 403);
        assert.deepEqual(refused.json(), {
          error: {
            code: 'forbidden',
            message: 'manage_users requires a role allowed to manage users (got a trial manager)',
          },
        });
      });
    });

    describe('trials and sites', () => {
      it('POST /api/trials: 201, 400 (every issue), 403 (not admin), 409 (taken)', async () => {
        const admin = logins.admin as Login;
        const created = await world.as(admin, 'POST', '/api/trials', { name: 'second', template: 'enrich' });
        assert.equal(created.statusCode, 201);
        assert.deepEqual(created.json(), { id: 'second' });
        const invalid = await world.as(admin, 'POST', '/api/trials', { name: '-bad', template: 'other' });
        assert.equal(invalid.statusCode, 400);
        assert.deepEqual(invalid.json().error.issues, [
          { path: 'name', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"' },
          { path: 'template', message: 'must be one of enrich' },
        ]);
        const refused = await world.as(logins.manager as Login, 'POST', '/api/trials', {
          name: 'third',
          template: 'enrich',
        });
        assert.equal(refused.statusCode, 403);
        assert.deepEqual(refused.json(), {
          error: {
            code: 'forbidden',
            message: 'configure_trial requires a role allowed to configure trial (got a trial manager)',
          },
        });
        const taken = await world.as(admin, 'POST', '/api/trials', { name: 'second', template: 'enrich' });
        assert.equal(taken.statusCode, 409);
        assert.deepEqual(taken.json(), {
          error: { code: 'store_conflict', message: 'trial "second" requires an id not yet used' },
        });
      });

      it('POST sites: 201 for admin and trial manager; 403 researcher; 404 unknown trial; 409 taken; 400 invalid', async () => {
        const manager = logins.manager as Login;
        const created = await world.as(manager, 'POST', '/api/trials/enrich/sites', {
          code: 'site_3',
          name: 'Third',
        });
        assert.equal(created.statusCode, 201);
        assert.deepEqual(created.json(), { id: 'site_3' });
        const extra = await world.as(logins.admin as Login, 'POST', '/api/trials/second/sites', {
          code: 'leeds',
          name: 'Leeds',
        });
        assert.equal(extra.statusCode, 201);
        const trial = await world.store.getTrial('second');
        assert.ok(trial.config.factors.find((factor) => factor.name === 'site')?.levels.includes('leeds'));
        const refused = await world.as(logins.researcher1 as Login, 'POST', '/api/trials/enrich/sites', {
          code: 'site_4',
          name: 'x',
        });
        assert.equal(refused.statusCode, 403);
        assert.deepEqual(refused.json(), {
          error: {
            code: 'forbidden',
            message: 'manage_sites requires a role allowed to manage sites (got a researcher)',
          },
        });
        const unknown = await world.as(manager, 'POST', '/api/trials/nope/sites', {
          code: 'site_4',
          name: 'x',
        });
        assert.equal(unknown.statusCode, 404);
        assert.deepEqual(unknown.json(), {
          error: { code: 'store_not_found', message: 'trial "nope" requires an existing trial (got none)' },
        });
        const taken = await world.as(manager, 'POST', '/api/trials/enrich/sites', {
          code: 'site_3',
          name: 'Again',
        });
        assert.equal(taken.statusCode, 409);
        assert.deepEqual(taken.json(), {
          error: {
            code: 'store_conflict',
            message: 'site "site_3" requires an id not yet used in trial "enrich"',
          },
        });
        const invalid = await world.as(manager, 'POST', '/api/trials/enrich/sites', { code: '', name: '' });
        assert.equal(invalid.statusCode, 400);
        assert.deepEqual(invalid.json().error.issues, [
          { path: 'code', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"' },
          { path: 'name', message: 'must NOT have fewer than 1 characters' },
        ]);
        const sites = await world.as(manager, 'GET', '/api/trials/enrich/sites');
        assert.deepEqual(sites.json(), {
          sites: [
            { id: 'site_1', code: 'site_1', name: 'Site site_1', employer_type: null },
            { id: 'site_2', code: 'site_2', name: 'Site site_2', employer_type: null },
            { id: 'site_3', code: 'site_3', name: 'Third', employer_type: null },
          ],
        });
      });
    });

    describe('participants', () => {
      it('a researcher creates an eligible participant at their site: 201 {id, participant_id, status}', async () => {
        const response = await world.as(
          logins.researcher1 as Login,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_1'),
        );
        assert.equal(response.statusCode, 201);
        const { id } = response.json() as { id: string };
        assert.match(id, /^S-[0-9A-Z]{10}$/);
        assert.deepEqual(response.json(), { id, participant_id: null, status: 'eligible' });
        const screening = await world.store.findRecord('enrich', 'screening', id);
        assert.equal(screening?.data.site, 'site_1');
        assert.ok((await world.store.findRecord('enrich', 'consent', id)) !== undefined);
      });

      it('an ineligible participant answers 422 with every rule not met, and nothing is stored', async () => {
        const before = (await world.store.listRecords('enrich', 'screening')).length;
        const response = await world.as(
          logins.researcher1 as Login,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_1', {
            age: 17,
            admissions_prior_2y: 0,
            consent_given: false,
            exclusions: ['organic_mental_disorder', 'eating_disorder'],
          }),
        );
        assert.equal(response.statusCode, 422);
        const issues = [
          {
            path: 'age',
            code: 'age_18_or_over',
            message: 'Aged 18 or over: requires ageYears >= 18 (got 17)',
          },
          {
            path: 'admissions_prior_2y',
            code: 'admission_in_previous_2_years',
            message:
              'At least one psychiatric admission in the previous 2 years: requires admissionsPrior2y >= 1 (got 0)',
          },
          {
            path: 'exclusions',
            code: 'no_organic_mental_disorder',
            message: 'No organic mental disorder: requires organicMentalDisorder false (got true)',
          },
          {
            path: 'exclusions',
            code: 'primary_diagnosis_not_excluded',
            message:
              'Primary diagnosis is not learning disability, eating disorder or drug/alcohol dependency: requires primaryDiagnosis not one of learning_disability, eating_disorder, substance_dependency (got "eating_disorder")',
          },
          {
            path: 'consent_given',
            code: 'consent_recorded',
            message: 'Written informed consent recorded: requires a consent record (got none)',
          },
        ];
        assert.deepEqual(response.json(), {
          error: {
            code: 'participant_ineligible',
            message: 'participant requires every eligibility rule to be met (got 5 not met)',
            issues,
          },
          issues,
        });
        assert.equal((await world.store.listRecords('enrich', 'screening')).length, before);
      });

      it('every invalid field of a participant body is listed (400)', async () => {
        const response = await world.as(
          logins.researcher1 as Login,
          'POST',
          '/api/trials/enrich/participants',
          {
            site_id: 'site_1',
            age: 'old',
            gender: 'x',
            ethnicity: 'White',
            first_language: 'English',
            diagnosis_group: 'psychosis',
            detained_at_index: 'no',
            consent_given: true,
            exclusions: ['flu'],
          },
        );
        assert.equal(response.statusCode, 400);
        assert.deepEqual(response.json(), {
          error: {
            code: 'request_invalid',
            message: 'request requires a valid body (got 5 problems)',
            issues: [
              { path: 'admissions_prior_2y', message: 'is required' },
              { path: 'age', message: 'must be integer' },
              { path: 'gender', message: 'must be one of female, male, other' },
              { path: 'detained_at_index', message: 'must be boolean' },
              {
                path: 'exclusions.0',
                message:
                  'must be one of organic_mental_disorder, learning_disability, eating_disorder, substance_dependency',
              },
            ],
          },
        });
      });

      it('a researcher may not create one at another site (403); an unknown site answers 422', async () => {
        const other = await world.as(
          logins.researcher1 as Login,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_2'),
        );
        assert.equal(other.statusCode, 403);
        assert.deepEqual(other.json(), {
          error: {
            code: 'forbidden',
            message: 'write_participant requires a participant at one of your sites (got site "site_2")',
          },
        });
        const unknown = await world.as(
          logins.admin as Login,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_9'),
        );
        assert.equal(unknown.statusCode, 422);
        assert.deepEqual(unknown.json(), {
          error: {
            code: 'unprocessable',
            message: 'site_id requires a site of trial "enrich" (got "site_9")',
            issues: [{ path: 'site_id', message: 'is not a site of this trial' }],
          },
        });
      });

      it('randomise: 200 {sequence_number} without arm for a blinded researcher; 409 the second time', async () => {
        const researcher = logins.researcher1 as Login;
        const made = await world.as(
          researcher,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_1'),
        );
        const id = made.json().id as string;
        const first = await world.as(researcher, 'POST', `/api/participants/${id}/randomise`);
        assert.equal(first.statusCode, 200);
        const { sequence_number } = first.json() as { sequence_number: number };
        assert.deepEqual(first.json(), { sequence_number });
        assert.ok(!showsAllocation(first.body));
        const second = await world.as(researcher, 'POST', `/api/participants/${id}/randomise`);
        assert.equal(second.statusCode, 409);
        const participantId = (await world.store.findRecord('enrich', 'screening', id))?.data.participantId;
        assert.deepEqual(second.json(), {
          error: {
            code: 'store_already_randomised',
            message: `screening entry "${id}" was already randomised as participant "${participantId}": a person is randomised at most once`,
          },
        });
        assert.ok(!showsAllocation(second.body));
      });

      it('randomise: an unblinded caller (admin) gets the arm', async () => {
        const made = await world.as(
          logins.admin as Login,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_2'),
        );
        const id = made.json().id as string;
        const response = await world.as(logins.admin as Login, 'POST', `/api/participants/${id}/randomise`);
        assert.equal(response.statusCode, 200);
        const body = response.json() as { sequence_number: number; arm: string };
        const screening = await world.store.findRecord('enrich', 'screening', id);
        const allocation = await world.store.findRandomisation(
          'enrich',
          screening?.data.participantId as string,
        );
        assert.deepEqual(body, { sequence_number: allocation?.sequence, arm: allocation?.arm });
      });

      it('GET participant: a researcher at its site gets it without "arm"; a coordinator with it', async () => {
        const screening = await world.store.findRecord('enrich', 'screening', siteOneRandomised);
        const participantId = screening?.data.participantId as string;
        const allocation = await world.store.findRandomisation('enrich', participantId);
        const expected = {
          id: siteOneRandomised,
          trial_id: 'enrich',
          site_id: 'site_1',
          participant_id: participantId,
          status: 'randomised',
          version: 2,
          screened_date: '2024-03-01',
          age: 34,
          gender: 'female',
          ethnicity: 'White',
          first_language: 'English',
          diagnosis_group: 'psychosis',
          admissions_prior_2y: 2,
          detained_at_index: false,
          exclusions: [],
          consent_given: true,
          consent_date: '2024-03-01',
          sequence_number: allocation?.sequence,
          randomised_at: allocation?.randomisedAt,
        };
        const blinded = await world.as(
          logins.researcher1 as Login,
          'GET',
          `/api/participants/${siteOneRandomised}`,
        );
        assert.equal(blinded.statusCode, 200);
        assert.deepEqual(blinded.json(), expected);
        assert.ok(!showsAllocation(blinded.body));
        const unblinded = await world.as(
          logins.coordinator1 as Login,
          'GET',
          `/api/participants/${siteOneRandomised}`,
        );
        assert.equal(unblinded.statusCode, 200);
        assert.deepEqual(unblinded.json(), { ...expected, arm: allocation?.arm });
        const pending = await world.as(
          logins.coordinator1 as Login,
          'GET',
          `/api/participants/${siteOnePending}`,
        );
        assert.equal(pending.json().arm, null);
        assert.equal(pending.json().status, 'eligible');
      });

      it('a participant of another site answers 404 exactly like one that does not exist', async () => {
        const researcher = logins.researcher1 as Login;
        const notFound = (id: string) => ({
          error: {
            code: 'not_found',
            message: `participant "${id}" requires an existing participant (got none)`,
          },
        });
        for (const [method, suffix] of [
          ['GET', ''],
          ['POST', '/randomise'],
          ['PATCH', ''],
        ] as const) {
          const payload = method === 'PATCH' ? { version: 2, reason: 'typo', age: 35 } : undefined;
          const other = await world.as(
            researcher,
            method,
            `/api/participants/${siteTwoRandomised}${suffix}`,
            payload,
          );
          assert.equal(other.statusCode, 404, `${method} ${suffix}`);
          assert.deepEqual(other.json(), notFound(siteTwoRandomised));
          const missing = await world.as(
            researcher,
            method,
            `/api/participants/S-NOSUCHONE0${suffix}`,
            payload,
          );
          assert.equal(missing.statusCode, 404);
          assert.deepEqual(missing.json(), notFound('S-NOSUCHONE0'));
        }
      });

      it("the list holds only the caller's sites (and arms only for unblinded callers)", async () => {
        const researcher = await world.as(
          logins.researcher1 as Login,
          'GET',
          '/api/trials/enrich/participants',
        );
        assert.equal(researcher.statusCode, 200);
        const sites = (researcher.json().participants as { site_id: string }[]).map((item) => item.site_id);
        assert.ok(sites.length >= 2);
        assert.deepEqual([...new Set(sites)], ['site_1']);
        assert.ok(!showsAllocation(researcher.body));
        const admin = await world.as(logins.admin as Login, 'GET', '/api/trials/enrich/participants');
        const all = admin.json().participants as { id: string; site_id: string; arm?: string | null }[];
        assert.deepEqual([...new Set(all.map((item) => item.site_id))].sort(), ['site_1', 'site_2']);
        assert.ok(all.every((item) => 'arm' in item));
        const ids = all.map((item) => item.id);
        for (const id of [siteOneRandomised, siteOnePending, siteTwoRandomised]) assert.ok(ids.includes(id));
        const statistician = await world.as(
          logins.statistician as Login,
          'GET',
          '/api/trials/enrich/participants',
        );
        assert.equal(statistician.statusCode, 403);
        assert.deepEqual(statistician.json(), {
          error: {
            code: 'forbidden',
            message: 'read_participant requires a role allowed to read participant (got a statistician)',
          },
        });
      });

      it('PATCH with the current version changes the record (version + 1); a stale version answers 409', async () => {
        const researcher = logins.researcher1 as Login;
        const made = await world.as(
          researcher,
          'POST',
          '/api/trials/enrich/participants',
          participantRequest('site_1'),
        );
        const id = made.json().id as string;
        const first = await world.as(researcher, 'PATCH', `/api/participants/${id}`, {
          version: 1,
          reason: 'age misread',
          age: 44,
        });
        assert.equal(first.statusCode, 200);
        assert.equal(first.json().age, 44);
        assert.equal(first.json().version, 2);
        const stale = await world.as(researcher, 'PATCH', `/api/participants/${id}`, {
          version: 1,
          reason: 'other edit',
          age: 45,
        });
        assert.equal(stale.statusCode, 409);
        assert.deepEqual(stale.json(), {
          error: {
            code: 'store_version_conflict',
            message: `screening record "${id}" requires version 1 to change (got version 2: someone changed it since it was read)`,
          },
        });
        assert.equal((await world.store.findRecord('enrich', 'screening', id))?.data.criteria.ageYears, 44);
        const missing = await world.as(researcher, 'PATCH', `/api/participants/${id}`, { age: 45 });
        assert.equal(missing.statusCode, 400);
        assert.deepEqual(missing.json().error.issues, [
          { path: 'version', message: 'is required' },
          { path: 'reason', message: 'is required' },
        ]);
      });
    });

    describe('audit, lock and export', () => {
      it('the audit of a trial: allocations blanked for a blinded trial manager, shown to the admin', async () => {
        const manager = await world.as(logins.manager as Login, 'GET', '/api/trials/enrich/audit');
        assert.equal(manager.statusCode, 200);
        const entries = manager.json().entries as {
          entity: string;
          field: string;
          new_value: unknown;
          redacted: boolean;
        }[];
        const arms = entries.filter((entry) => entry.entity === 'randomisation' && entry.field === 'arm');
        assert.ok(arms.length >= 2);
        assert.ok(arms.every((entry) => entry.new_value === null && entry.redacted));
        assert.ok(!showsAllocation(withoutConfigEntries(manager.body)));
        const admin = await world.as(logins.admin as Login, 'GET', '/api/trials/enrich/audit');
        const adminArms = (admin.json().entries as typeof entries).filter(
          (entry) => entry.entity === 'randomisation' && entry.field === 'arm',
        );
        assert.ok(adminArms.every((entry) => ARMS.includes(entry.new_value as string) && !entry.redacted));
        const researcher = await world.as(logins.researcher1 as Login, 'GET', '/api/trials/enrich/audit');
        assert.equal(researcher.statusCode, 403);
        assert.deepEqual(researcher.json(), {
          error: {
            code: 'forbidden',
            message: 'view_audit requires a role allowed to view audit (got a researcher)',
          },
        });
      });

      it('lock: researcher 403; manager 200; afterwards no change (403) and the statistician gets the unblinded CSV', async () => {
        const admin = logins.admin as Login;
        await world.as(admin, 'POST', '/api/trials', { name: 'locking', template: 'enrich' });
        await world.as(admin, 'POST', '/api/trials/locking/sites', { code: 'site_1', name: 'One' });
        const made = await world.as(
          logins.researcher1 as Login,
          'POST',
          '/api/trials/locking/participants',
          participantRequest('site_1'),
        );
        const id = made.json().id as string;
        await world.as(logins.researcher1 as Login, 'POST', `/api/participants/${id}/randomise`);
        const before = await world.as(
          logins.statistician as Login,
          'GET',
          '/api/trials/locking/analysis-dataset.csv',
        );
        assert.equal(before.statusCode, 403);
        assert.deepEqual(before.json(), {
          error: {
            code: 'store_forbidden',
            message:
              'export_unblinded requires a role allowed to export unblinded after the lock (got a statistician); before the database lock only the blinded export is available',
          },
        });
        const blinded = await world.as(
          logins.statistician as Login,
          'GET',
          '/api/trials/locking/analysis-dataset.csv?blinded=true',
        );
        assert.equal(blinded.statusCode, 200);
        assert.equal(blinded.headers['content-type'], 'text/csv; charset=utf-8');
        assert.ok(!blinded.body.split('\n')[0]?.split(',').includes('arm'));
        assert.ok(!ARMS.some((arm) => blinded.body.includes(arm)));
        const refused = await world.as(logins.researcher1 as Login, 'POST', '/api/trials/locking/lock', {});
        assert.equal(refused.statusCode, 403);
        const locked = await world.as(logins.manager as Login, 'POST', '/api/trials/locking/lock', {
          reason: 'last follow-up done',
        });
        assert.equal(locked.statusCode, 200);
        assert.deepEqual(locked.json(), {
          id: 'locking',
          name: 'locking',
          title: 'ENRICH: peer support for discharge from psychiatric hospital',
          created_at: locked.json().created_at,
          locked_at: world.now().toISOString(),
        });
        const change = await world.as(
          logins.researcher1 as Login,
          'POST',
          '/api/trials/locking/participants',
          participantRequest('site_1'),
        );
        assert.equal(change.statusCode, 403);
        assert.deepEqual(change.json(), {
          error: {
            code: 'forbidden',
            message:
              'write_participant requires an unlocked database (got a locked database: no change is accepted)',
          },
        });
        const again = await world.as(logins.manager as Login, 'POST', '/api/trials/locking/lock', {});
        assert.equal(again.statusCode, 403);
        const csv = await world.as(
          logins.statistician as Login,
          'GET',
          '/api/trials/locking/analysis-dataset.csv',
        );
        assert.equal(csv.statusCode, 200);
        assert.equal(
          csv.headers['content-disposition'],
          'attachment; filename="locking-analysis-dataset.csv"',
        );
        const [header, row] = csv.body.trim().split('\n');
        assert.ok(header?.split(',').includes('arm'));
        assert.ok(ARMS.some((arm) => row?.includes(arm)));
        const audit = await world.store.listAudit({ trialId: 'locking', viewer: { role: 'admin' } });
        assert.deepEqual(
          audit.filter((entry) => entry.action === 'export').map((entry) => entry.newValue),
          ['analysis dataset (blinded)', 'analysis dataset and SAE file (unblinded)'],
        );
      });
    });

    describe('role x endpoint matrix', () => {
      /** Every endpoint, the action can() decides it by, and a request that does not consume shared state. */
      type Case = {
        name: string;
        action: (typeof ACTIONS)[number];
        resource: (user: User) => ParticipantResource | { kind: 'trial'; trialLocked: boolean };
        request: (login: Login) => Promise<{ statusCode: number; body: string }>;
        /** A refusal by scope answers 404 rather than 403. */
        hidden?: boolean;
      };
      const site = (name: string): ParticipantResource => ({
        kind: 'participant',
        trialLocked: false,
        site: name,
        peerWorkerIds: [],
      });
      const open = { kind: 'trial', trialLocked: false } as const;
      let counter = 0;
      const cases: Case[] = [
        {
          name: 'GET participant (site_1)',
          action: 'read_participant',
          resource: () => site('site_1'),
          request: (login) => world.as(login, 'GET', `/api/participants/${siteOneRandomised}`),
          hidden: true,
        },
        {
          name: 'GET participant (site_2)',
          action: 'read_participant',
          resource: () => site('site_2'),
          request: (login) => world.as(login, 'GET', `/api/participants/${siteTwoRandomised}`),
          hidden: true,
        },
        {
          name: 'POST participant (site_1)',
          action: 'write_participant',
          resource: () => site('site_1'),
          request: (login) =>
            world.as(login, 'POST', '/api/trials/enrich/participants', participantRequest('site_1')),
        },
        {
          name: 'randomise (site_1)',
          action: 'randomise',
          resource: () => site('site_1'),
          request: async (login) => {
            const made = await world.as(
              logins.admin as Login,
              'POST',
              '/api/trials/enrich/participants',
              participantRequest('site_1'),
            );
            return world.as(login, 'POST', `/api/participants/${made.json().id}/randomise`);
          },
          hidden: true,
        },
        {
          name: 'list participants',
          action: 'read_participant',
          resource: (user) => ({ ...site(user.sites[0] ?? ''), peerWorkerIds: [user.userId] }),
          request: (login) => world.as(login, 'GET', '/api/trials/enrich/participants'),
        },
        {
          name: 'audit',
          action: 'view_audit',
          resource: () => open,
          request: (login) => world.as(login, 'GET', '/api/trials/enrich/audit'),
        },
        {
          name: 'analysis dataset (unblinded)',
          action: 'export_unblinded',
          resource: () => open,
          request: (login) => world.as(login, 'GET', '/api/trials/enrich/analysis-dataset.csv'),
        },
        {
          name: 'analysis dataset (blinded)',
          action: 'export_blinded',
          resource: () => open,
          request: (login) => world.as(login, 'GET', '/api/trials/enrich/analysis-dataset.csv?blinded=true'),
        },
        {
          name: 'create site',
          action: 'manage_sites',
          resource: () => open,
          request: async (login) => {
            const name = `sites-${++counter}`;
            await world.as(logins.admin as Login, 'POST', '/api/trials', { name, template: 'enrich' });
            return world.as(login, 'POST', `/api/trials/${name}/sites`, { code: 'new_site', name: 'New' });
          },
        },
        {
          name: 'create user',
          action: 'manage_users',
          resource: () => open,
          request: (login) =>
            world.as(login, 'POST', '/api/users', {
              username: `matrix${++counter}`,
              password: 'long-enough-1',
              role: 'dmc',
              site_ids: [],
            }),
        },
        {
          name: 'create trial',
          action: 'configure_trial',
          resource: () => open,
          request: (login) =>
            world.as(login, 'POST', '/api/trials', { name: `matrix-${++counter}`, template: 'enrich' }),
        },
        {
          name: 'lock',
          action: 'lock_database',
          resource: () => open,
          request: async (login) => {
            const name = `lock-${++counter}`;
            await world.as(logins.admin as Login, 'POST', '/api/trials', { name, template: 'enrich' });
            return world.as(login, 'POST', `/api/trials/${name}/lock`, {});
          },
        },
      ];

      for (const role of ROLES) {
        for (const item of cases) {
          it(`${role}: ${item.name}`, async () => {
            const username = Object.entries(PEOPLE).find(
              ([name, person]) => person.role === role && name !== 'researcher2',
            )?.[0] as string;
            const login = logins[username] as Login;
            const user: User = { userId: login.userId, username, role, sites: PEOPLE[username]?.sites ?? [] };
            const allowed = can(user, item.action, item.resource(user));
            const response = await item.request(login);
            if (allowed) {
              assert.ok(
                response.statusCode >= 200 && response.statusCode < 300,
                `${response.statusCode} ${response.body}`,
              );
            } else {
              // A participant outside the caller's sites or caseload is hidden (404) when the same caller,
              // were it inside them, could read it or take the action; every other refusal is 403.
              const resource = item.resource(user) as ParticipantResource;
              const probe: User = { ...user, sites: [...user.sites, resource.site] };
              const inside = { ...resource, peerWorkerIds: [user.userId] };
              const inScopeElsewhere =
                item.hidden === true &&
                ((!can(user, 'read_participant', resource) && can(probe, 'read_participant', inside)) ||
                  can(probe, item.action, inside));
              assert.equal(response.statusCode, inScopeElsewhere ? 404 : 403, response.body);
            }
            const blinded = !can(user, 'view_allocation', site('site_1'));
            if (blinded) {
              const body = item.name === 'audit' ? withoutConfigEntries(response.body) : response.body;
              assert.ok(!showsAllocation(body), `${role} ${item.name}: ${response.body.slice(0, 400)}`);
            }
          });
        }
      }
    });
  });

  describe(`sessions and login throttling on ${dialect}`, () => {
    let world: World;
    before(async () => {
      world = await openWorld(fresh, { sessionTimeoutMs: 30 * 60_000 });
    });
    after(async () => world.close());

    it('a session unused for longer than the timeout answers 401 session_expired; activity keeps it alive', async () => {
      const active = await world.login('manager');
      const idle = await world.login('dmc');
      for (let step = 0; step < 3; step++) {
        world.advance(20 * 60_000);
        const response = await world.as(active, 'GET', '/api/trials');
        assert.equal(response.statusCode, 200, `after ${(step + 1) * 20} minutes`);
      }
      const expired = await world.as(idle, 'GET', '/api/trials');
      assert.equal(expired.statusCode, 401);
      assert.deepEqual(expired.json(), {
        error: {
          code: 'session_expired',
          message: 'session requires activity within 30 minutes (got none for 60 minutes); log in again',
        },
      });
      const again = await world.as(idle, 'GET', '/api/trials');
      assert.equal(again.json().error.code, 'authentication_required');
    });

    it('5 failed logins lock the account out (429, Retry-After), audited; the end is audited too', async () => {
      const attempt = (pass: string, address = '10.0.0.1') =>
        world.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'researcher1', password: pass },
          remoteAddress: address,
        });
      for (let failure = 0; failure < 5; failure++) {
        const response = await attempt('wrong-password', `10.0.0.${failure + 10}`);
        assert.equal(response.statusCode, 401);
      }
      const until = new Date(world.now().getTime() + 15 * 60_000).toISOString();
      const locked = await attempt(password('researcher1'), '10.0.0.99');
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.headers['retry-after'], '900');
      assert.deepEqual(locked.json(), {
        error: {
          code: 'login_rate_limited',
          message: `login requires fewer than 5 failed attempts within 15 minutes (got too many; try again after ${until})`,
        },
      });
      const admin = await world.login('admin', '10.1.1.1');
      const audit = await world.as(admin, 'GET', '/api/audit');
      const lockouts = (
        audit.json().entries as {
          action: string;
          record_id: string;
          new_value: unknown;
          reason: string;
          actor_id: string;
        }[]
      ).filter((entry) => entry.action === 'lockout');
      assert.deepEqual(
        lockouts.map((entry) => ({
          record_id: entry.record_id,
          new_value: entry.new_value,
          reason: entry.reason,
          actor_id: entry.actor_id,
        })),
        [
          {
            record_id: 'account:researcher1',
            new_value: until,
            reason: '5 failed logins within 15 minutes',
            actor_id: 'system',
          },
        ],
      );
      world.advance(15 * 60_000 + 1000);
      const after = await attempt(password('researcher1'), '10.0.0.99');
      assert.equal(after.statusCode, 200);
      const ended = await world.as(await world.login('admin', '10.1.1.2'), 'GET', '/api/audit');
      const ends = (
        ended.json().entries as { action: string; record_id: string; old_value: unknown }[]
      ).filter((entry) => entry.action === 'lockout_end');
      assert.deepEqual(
        ends.map((entry) => ({ record_id: entry.record_id, old_value: entry.old_value })),
        [{ record_id: 'account:researcher1', old_value: until }],
      );
    });

    it('5 failures from one address lock that address out for every account, not other addresses', async () => {
      for (let failure = 0; failure < 5; failure++) {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `ghost${failure}`, password: 'x' },
          remoteAddress: '192.0.2.7',
        });
        assert.equal(response.statusCode, 401);
      }
      const blocked = await world.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'manager', password: password('manager') },
        remoteAddress: '192.0.2.7',
      });
      assert.equal(blocked.statusCode, 429);
      assert.equal(blocked.json().error.code, 'login_rate_limited');
      const elsewhere = await world.login('manager', '192.0.2.8');
      assert.equal(elsewhere.role, 'trial_manager');
    });

    it('the cookie is Secure behind a trusted proxy that says https', async () => {
      const { buildApp } = await import('../../src/server/index.ts');
      const { createSeededRandom } = await import('../../src/trial/index.ts');
      const proxied = await buildApp({
        store: world.store,
        clock: world.now,
        random: createSeededRandom(5),
        config: { trustProxy: true },
      });
      const response = await proxied.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'statistician', password: password('statistician') },
        remoteAddress: '10.2.2.2',
      });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['set-cookie']), /; HttpOnly; SameSite=Strict; Secure$/);
      await proxied.close();
    });
  });
}
