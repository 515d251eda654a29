import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openTrialStore } from '../storage/index.ts';
import { createSeededRandom, type TrialStore } from '../trial/index.ts';
import { buildApp } from './app.ts';
import type { WebAssets } from './web-app.ts';

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>app</title>',
  'assets/app-1234.js': 'console.log(1)',
  'favicon.svg': '<svg/>',
};
const memoryAssets: WebAssets = {
  read: async (path) => (path in FILES ? new TextEncoder().encode(FILES[path]) : undefined),
};

let directory: string;
let store: TrialStore;
let app: FastifyInstance;
let apiOnly: FastifyInstance;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'enrich-web-app-'));
  const clock = () => new Date('2024-06-01T10:00:00Z');
  store = await openTrialStore(
    { kind: 'sqlite', path: join(directory, 'web.db') },
    { now: clock, random: createSeededRandom(1), migrate: true },
  );
  app = await buildApp({ store, clock, random: createSeededRandom(2), webAssets: memoryAssets });
  apiOnly = await buildApp({ store, clock, random: createSeededRandom(3) });
});

after(async () => {
  await app.close();
  await apiOnly.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

test('the web app: index.html at / and at any page path (SPA fallback), with a content security policy', async () => {
  for (const url of ['/', '/screening', '/participants/S-1234?tab=baseline', '/x.html']) {
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, url);
    assert.equal(response.body, FILES['index.html']);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
  }
});

test('the web app: hashed assets are cached for a year, other files revalidate, missing files 404', async () => {
  const script = await app.inject({ method: 'GET', url: '/assets/app-1234.js' });
  assert.equal(script.statusCode, 200);
  assert.equal(script.body, 'console.log(1)');
  assert.match(String(script.headers['content-type']), /^text\/javascript/);
  assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
  const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
  assert.equal(icon.headers['content-type'], 'image/svg+xml');
  assert.equal(icon.headers['cache-control'], 'no-cache');
  const missing = await app.inject({ method: 'GET', url: '/assets/gone.js' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.body, 'not found');
});

test('the web app: paths that climb out of the root are answered with the app, never a file', async () => {
  const read: string[] = [];
  const spying = await buildApp({
    store,
    clock: () => new Date('2024-06-01T10:00:00Z'),
    random: createSeededRandom(4),
    webAssets: {
      read: async (path) => {
        read.push(path);
        return memoryAssets.read(path);
      },
    },
  });
  try {
    const response = await spying.inject({ method: 'GET', url: '/assets/%2e%2e/%2e%2e/etc/passwd' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, FILES['index.html']);
    assert.deepEqual(read, ['index.html']);
  } finally {
    await spying.close();
  }
});

test('the web app: unknown /api paths stay JSON 404s and API routes are unchanged', async () => {
  const unknown = await app.inject({ method: 'GET', url: '/api/nothing-here' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.code, 'not_found');
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  assert.equal(health.statusCode, 200);
  assert.equal(health.json().status, 'ok');
});

test('the web app: its catch-all route is not in the OpenAPI document, and without webAssets / is an API error, not a page', async () => {
  const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  assert.deepEqual(
    Object.keys(document.paths).filter((path) => !path.startsWith('/api/')),
    [],
  );
  const withApp = Object.keys(document.paths).sort();
  const without = Object.keys(
    (await apiOnly.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths,
  );
  assert.deepEqual(withApp, without.sort());
  const root = await apiOnly.inject({ method: 'GET', url: '/' });
  assert.notEqual(root.statusCode, 200);
  assert.equal(root.json().error.code === undefined, false);
});

test('the web app: an unbuilt app answers a page that says how to build it', async () => {
  const unbuilt = await buildApp({
    store,
    clock: () => new Date('2024-06-01T10:00:00Z'),
    random: createSeededRandom(5),
    webAssets: { read: async () => undefined },
  });
  try {
    const response = await unbuilt.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /npm run build:web/);
  } finally {
    await unbuilt.close();
  }
});
