/**
 * A fresh server world for the route tests: a migrated store on the dialect under test, `buildApp` on it
 * with a clock the test moves, and helpers to log in and send requests as any user.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type ServerConfig } from '../../src/server/index.ts';
import { type DatabaseTarget, openTrialStore } from '../../src/storage/index.ts';
import { createSeededRandom, type Role, type TrialStore } from '../../src/trial/index.ts';

/** Makes a fresh empty database. */
export type FreshDatabase = () => Promise<DatabaseTarget>;

/** Fresh SQLite files in a temporary directory; `cleanup` removes them. */
export function sqliteDatabases(): { fresh: FreshDatabase; cleanup: () => Promise<void> } {
  const directory = mkdtempSync(join(tmpdir(), 'enrich-server-'));
  let count = 0;
  return {
    fresh: async () => ({ kind: 'sqlite', path: join(directory, `server-${++count}.db`) }),
    cleanup: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** Fresh PostgreSQL databases (enrich_srv_<random>_<n>) through an admin URL; `cleanup` drops them. */
export function postgresDatabases(adminUrl: string): { fresh: FreshDatabase; cleanup: () => Promise<void> } {
  const prefix = `enrich_srv_${randomBytes(4).toString('hex')}`;
  const created: string[] = [];
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    fresh: async () => {
      const name = `${prefix}_${created.length + 1}`;
      await admin(`create database ${name}`);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return { kind: 'postgres', url: url.toString() };
    },
    cleanup: async () => {
      for (const name of created) await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A logged-in user: cookie and CSRF token (and the user's id). */
export interface Login {
  readonly userId: string;
  readonly role: Role;
  readonly cookie: string;
  readonly csrf: string;
}

/** The demo-like people of a test world: username -> role and sites. */
export const PEOPLE: Readonly<Record<string, { role: Role; sites: string[] }>> = {
  admin: { role: 'admin', sites: [] },
  manager: { role: 'trial_manager', sites: [] },
  researcher1: { role: 'researcher', sites: ['site_1'] },
  researcher2: { role: 'researcher', sites: ['site_2'] },
  coordinator1: { role: 'pw_coordinator', sites: ['site_1'] },
  peerworker: { role: 'peer_worker', sites: [] },
  statistician: { role: 'statistician', sites: [] },
  dmc: { role: 'dmc', sites: [] },
};

/** Every person's password in the test world. */
export const password = (username: string) => `${username}-password`;

/** One server world. */
export interface World {
  readonly store: TrialStore;
  readonly app: FastifyInstance;
  /** Moves the clock (sessions, throttling and the store read it). */
  advance(ms: number): void;
  now(): Date;
  /** Logs a person in through the API. */
  login(username: string, address?: string): Promise<Login>;
  /** A request as a logged-in user (cookie + CSRF header unless `csrf: false`). */
  as(
    login: Login,
    method: string,
    url: string,
    payload?: unknown,
    options?: { csrf?: false | string; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Opens a world: store, app, the people of {@link PEOPLE} created in the store (not through the API). */
export async function openWorld(fresh: FreshDatabase, config: Partial<ServerConfig> = {}): Promise<World> {
  let now = Date.UTC(2024, 2, 1, 9, 0, 0);
  const clock = () => new Date(now);
  const store = await openTrialStore(await fresh(), {
    now: clock,
    random: createSeededRandom(11),
    migrate: true,
    poolSize: 4,
  });
  for (const [username, person] of Object.entries(PEOPLE)) {
    await store.createUser(
      { username, password: password(username), role: person.role, sites: person.sites },
      { actor: { userId: 'system', role: 'admin' } },
    );
  }
  const app = await buildApp({ store, clock, random: createSeededRandom(99), config });
  return {
    store,
    app,
    advance(ms) {
      now += ms;
    },
    now: clock,
    async login(username, address = '127.0.0.1') {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: password(username) },
        remoteAddress: address,
      });
      if (response.statusCode !== 200)
        throw new Error(`login ${username}: ${response.statusCode} ${response.body}`);
      const body = response.json() as { user: { id: string; role: Role }; csrf_token: string };
      const cookie = String(response.headers['set-cookie']).split(';')[0] as string;
      return { userId: body.user.id, role: body.user.role, cookie, csrf: body.csrf_token };
    },
    as(login, method, url, payload, options = {}) {
      const headers: Record<string, string> = { cookie: login.cookie, ...options.headers };
      if (options.csrf !== false) headers['x-csrf-token'] = options.csrf ?? login.csrf;
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A participant body for POST /api/trials/:trialId/participants: eligible unless fields say otherwise. */
export function participantRequest(site: string, fields: Record<string, unknown> = {}) {
  return {
    site_id: site,
    age: 34,
    gender: 'female',
    ethnicity: 'White',
    first_language: 'English',
    diagnosis_group: 'psychosis',
    admissions_prior_2y: 2,
    detained_at_index: false,
    consent_given: true,
    exclusions: [],
    ...fields,
  };
}
