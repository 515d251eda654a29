/**
 * The error handler's last resort: an unexpected fault is logged with the request id and answered with a
 * plain 500; a database that cannot be reached answers 503. Neither reveals the fault.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { buildApp } from '../../src/server/index.ts';
import { StorageError } from '../../src/storage/index.ts';
import { createSeededRandom, type TrialStore } from '../../src/trial/index.ts';
import { openWorld, sqliteDatabases, type World } from './harness.ts';

const databases = sqliteDatabases();
let world: World;
before(async () => {
  world = await openWorld(databases.fresh);
});
after(async () => {
  await world.close();
  await databases.cleanup();
});

/** The world's store with `listTrials` failing as given. */
function failingStore(error: Error): TrialStore {
  return new Proxy(world.store, {
    get(target, property, receiver) {
      if (property === 'listTrials') return async () => Promise.reject(error);
      return Reflect.get(target, property, receiver);
    },
  });
}

it('an unexpected error answers a plain 500 and is logged with the request id', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({
    store: failingStore(new Error('secret detail: connection string postgres://me:pw@db')),
    clock: world.now,
    random: createSeededRandom(3),
    logger: { level: 'error', stream },
  });
  const response = await app.inject({ method: 'GET', url: '/api/health' });
  assert.equal(response.statusCode, 500);
  assert.deepEqual(response.json(), { error: { code: 'internal_error', message: 'internal server error' } });
  assert.ok(!response.body.includes('secret'));
  const logged = lines.map(
    (line) => JSON.parse(line) as { reqId?: string; msg: string; err?: { message: string } },
  );
  const failure = logged.find((line) => line.msg === 'request failed');
  assert.ok(failure !== undefined, lines.join(''));
  assert.match(failure.reqId ?? '', /^req-[0-9A-Z]{10}$/);
  assert.equal(failure.err?.message, 'secret detail: connection string postgres://me:pw@db');
  await app.close();
});

it('a database that cannot be reached answers 503 service_unavailable', async () => {
  const app = await buildApp({
    store: failingStore(
      new StorageError('store_unavailable', 'database x requires a reachable database (got ECONNREFUSED)'),
    ),
    clock: world.now,
    random: createSeededRandom(4),
  });
  const response = await app.inject({ method: 'GET', url: '/api/health' });
  assert.equal(response.statusCode, 503);
  assert.deepEqual(response.json(), {
    error: { code: 'service_unavailable', message: 'the database is unavailable' },
  });
  await app.close();
});

it('passwords and tokens never appear in the request log', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({
    store: world.store,
    clock: world.now,
    random: createSeededRandom(8),
    logger: { level: 'info', stream },
  });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'admin-password' },
    remoteAddress: '10.3.3.3',
  });
  assert.equal(login.statusCode, 200);
  const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
  await app.inject({ method: 'GET', url: '/api/trials', headers: { cookie } });
  const log = lines.join('');
  assert.ok(log.includes('"reqId"'));
  assert.ok(!log.includes('admin-password'));
  assert.ok(!log.includes(cookie.split('=')[1] as string));
  assert.ok(!log.includes(login.json().csrf_token));
  await app.close();
});
