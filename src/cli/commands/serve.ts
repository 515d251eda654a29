import { existsSync } from 'node:fs';
import { buildApp, DEMO_ACCOUNTS, DEMO_TRIAL_ID, seedDemoTrial } from '../../server/index.ts';
import { createSecureRandom, describeTarget, openTrialStore } from '../../storage/index.ts';
import { createSeededRandom, type TrialStore } from '../../trial/index.ts';
import { parseCommandArguments } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { createDirectoryAssets } from '../web-assets.ts';
import { databaseTargetOf, openCliStore } from './init.ts';

export const SERVE_USAGE =
  'enrich serve [--db PATH | DATABASE_URL=postgres://...] [--port 3000] [--host 127.0.0.1] [--demo] [--trust-proxy]';

/** The demo database `enrich serve --demo` creates when it is absent. */
export const DEMO_DATABASE = './enrich-demo.db';

function portOf(value: string | boolean | undefined): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65535) {
    throw new UsageError(
      `--port requires a whole number from 0 to 65535 (got "${String(value)}")\nusage: ${SERVE_USAGE}`,
    );
  }
  return port;
}

/** Creates the demo database (schema, accounts, a running trial) when it does not exist yet. */
async function prepareDemo(path: string, io: CommandIo): Promise<void> {
  if (existsSync(path)) return;
  let now = Date.now();
  const store = await openTrialStore(
    { kind: 'sqlite', path },
    { now: () => new Date(now), random: createSecureRandom(), migrate: true },
  );
  try {
    io.stdout.write(`creating the demo database ${path} ...\n`);
    await seedDemoTrial(store, createSeededRandom(2024), Date.now(), (time) => {
      now = time;
    });
  } finally {
    await store.close();
  }
}

async function runServe(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArguments(
    argv,
    {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean' },
      'trust-proxy': { type: 'boolean' },
    },
    SERVE_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${SERVE_USAGE}`);
  }
  const port = portOf(parsed.values.port);
  const host = typeof parsed.values.host === 'string' ? parsed.values.host : '127.0.0.1';
  const demo = parsed.values.demo === true;
  let store: TrialStore;
  if (demo) {
    const path = typeof parsed.values.db === 'string' ? parsed.values.db : DEMO_DATABASE;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      throw new UsageError(`--demo requires a SQLite file for --db (got a URL)\nusage: ${SERVE_USAGE}`);
    }
    await prepareDemo(path, io);
    store = await openTrialStore(
      { kind: 'sqlite', path },
      { now: () => new Date(), random: createSecureRandom(), migrate: true },
    );
  } else {
    store = await openCliStore(databaseTargetOf(parsed.values.db));
  }
  const app = await buildApp({
    store,
    clock: () => new Date(),
    random: createSecureRandom(),
    logger: { level: process.env.ENRICH_LOG_LEVEL ?? 'info', stream: process.stderr },
    config: { trustProxy: parsed.values['trust-proxy'] === true },
    webAssets: createDirectoryAssets(),
  });
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (error) {
    await app.close();
    await store.close();
    throw new UsageError(`enrich serve requires a free port (got ${(error as Error).message})`);
  }
  const url = address.replace('0.0.0.0', '127.0.0.1');
  const where = demo
    ? typeof parsed.values.db === 'string'
      ? parsed.values.db
      : DEMO_DATABASE
    : describeTarget(databaseTargetOf(parsed.values.db));
  io.stdout.write(`enrich serving ${where} (${store.dialect}) at ${url}\n`);
  io.stdout.write(`open the app: ${url}/\n`);
  io.stdout.write(`API: ${url}/api/health, ${url}/api/openapi.json\n`);
  if (demo) {
    io.stdout.write(`demo trial "${DEMO_TRIAL_ID}"; accounts (username / password / role):\n`);
    for (const account of DEMO_ACCOUNTS) {
      io.stdout.write(`  ${account.username.padEnd(13)} ${account.password.padEnd(18)} ${account.role}\n`);
    }
  }
  io.stdout.write('stop with Ctrl-C (requests in flight finish first)\n');
  // Graceful shutdown: stop accepting, let requests in flight finish, then close the database.
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.stderr.write(`enrich serve: ${signal} again, exiting now\n`);
        resolve(1);
        return;
      }
      stopping = true;
      io.stderr.write(`enrich serve: ${signal}: finishing requests in flight\n`);
      void (async () => {
        try {
          await app.close();
          await store.close();
          resolve(0);
        } catch (error) {
          io.stderr.write(`enrich serve: shutdown failed: ${(error as Error).message}\n`);
          resolve(1);
        }
      })();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** `enrich serve`: the HTTP API on a database (or, with `--demo`, on a demo trial it creates). */
export const serveCommand: CliCommand = {
  name: 'serve',
  usage: SERVE_USAGE,
  summary: 'serve the HTTP API (with --demo: a demo trial and one account per role)',
  run: runServe,
};
