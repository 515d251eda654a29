import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { formatDataDictionaryCsv, openDatabase, openTrialStore } from '../../src/storage/index.ts';
import { parseCsv } from '../../src/table/index.ts';
import { sampleTrial } from '../../src/trial/domain/trial-records.test-support.ts';
import type { StoreActor, TrialStore } from '../../src/trial/index.ts';
import {
  ANALYSIS_DATASET_COLUMNS,
  createSeededRandom,
  deriveAnalysisDataset,
  ENRICH_TRIAL_CONFIG,
  formatAnalysisCsv,
  type ParticipantRecords,
  readAnalysisDataset,
  readSaeDataset,
} from '../../src/trial/index.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-cli-store-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let count = 0;
const dbPath = () => join(directory, `db-${++count}.db`);

const ADMIN: StoreActor = { userId: 'admin-cli-test', role: 'admin' };

/** Runs with environment variables set for the duration of one CLI run. */
async function withEnv<T>(env: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await body();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

async function initialised(): Promise<string> {
  const path = dbPath();
  const run = await runCli([
    'init',
    '--db',
    path,
    '--template',
    'enrich',
    '--admin-password',
    'correct horse',
  ]);
  assert.equal(run.code, 0, run.stderr);
  return path;
}

const clock = () => {
  let tick = 0;
  return () => new Date(Date.UTC(2024, 0, 2, 8, 0, tick++));
};

/** Loads the domain's six-participant sample into the store through the store's API, as the app would. */
async function loadSample(store: TrialStore, trialId: string): Promise<void> {
  for (const records of sampleTrial()) {
    const { participant } = records;
    const screeningId = participant.screeningId;
    await store.saveRecord(
      trialId,
      'screening',
      {
        screeningId,
        trialId,
        site: participant.site,
        screenedDate: '2024-01-02',
        screenedBy: 'researcher_1',
        criteria: {
          ageYears: 41,
          admissionsPrior2y: 2,
          organicMentalDisorder: false,
          primaryDiagnosis: 'psychosis',
        },
        outcome: 'pending',
      },
      { actor: ADMIN },
    );
    await store.saveRecord(
      trialId,
      'consent',
      records.consent ?? {
        screeningId,
        consentDate: '2024-01-02',
        consentFormVersion: '1',
        takenBy: 'researcher_1',
        recordsAccess: true,
        recordsAfterWithdrawal: true,
      },
      { actor: ADMIN },
    );
    await store.randomise(
      {
        trialId,
        screeningId,
        participantId: participant.participantId,
        strata: { site: participant.site, diagnosis_group: participant.diagnosisGroup },
      },
      ADMIN,
    );
    const save = async <K extends Parameters<TrialStore['saveRecord']>[1]>(
      kind: K,
      record: Parameters<TrialStore['saveRecord']>[2] | undefined,
    ) => {
      if (record !== undefined) await store.saveRecord(trialId, kind, record as never, { actor: ADMIN });
    };
    await save('baseline', records.baseline);
    await save('discharge', records.discharge);
    for (const item of records.assignments) await save('assignment', item);
    for (const item of records.contacts) await save('contact', item);
    for (const item of records.interviews) await save('interview', item);
    for (const item of records.serviceUseReviews) await save('service_use_review', item);
    for (const item of records.serviceUseEvents) await save('service_use', item);
    for (const item of records.seriousAdverseEvents) await save('sae', item);
    await save('withdrawal', records.withdrawal);
    await save('intervention_withdrawal', records.interventionWithdrawal);
    await save('death', records.death);
  }
}

describe('enrich init', () => {
  it('creates the schema, an admin account with a scrypt hash, and the template trial', async () => {
    const path = dbPath();
    const run = await runCli([
      'init',
      '--db',
      path,
      '--template',
      'enrich',
      '--admin-password',
      'correct horse',
    ]);
    assert.deepEqual(run, {
      code: 0,
      stdout: `initialised ${path} (sqlite): schema, admin account "admin" (scrypt hash)\ntrial "enrich" created from template enrich: ENRICH: peer support for discharge from psychiatric hospital\n`,
      stderr: '',
    });
    const store = await openTrialStore(
      { kind: 'sqlite', path },
      { now: clock(), random: createSeededRandom(1) },
    );
    try {
      assert.equal((await store.verifyLogin('admin', 'correct horse'))?.role, 'admin');
      assert.equal(await store.verifyLogin('admin', 'wrong horse'), undefined);
      assert.deepEqual(
        (await store.getTrial('enrich')).config,
        JSON.parse(JSON.stringify(ENRICH_TRIAL_CONFIG)),
      );
    } finally {
      await store.close();
    }
  });

  it('takes the password from ENRICH_ADMIN_PASSWORD and the database from DATABASE_URL', async () => {
    const path = dbPath();
    const run = await withEnv({ ENRICH_ADMIN_PASSWORD: 'from the environment', DATABASE_URL: path }, () =>
      runCli(['init']),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^initialised ${path} \\(sqlite\\)`));
    const store = await openTrialStore(
      { kind: 'sqlite', path },
      { now: clock(), random: createSeededRandom(1) },
    );
    assert.equal((await store.verifyLogin('admin', 'from the environment'))?.username, 'admin');
    assert.deepEqual(await store.listTrials(), [], 'no template, no trial');
    await store.close();
  });

  it('refuses a second init, a missing or short password, an unknown template and a non-database URL', async () => {
    const path = await initialised();
    assert.deepEqual(await runCli(['init', '--db', path, '--admin-password', 'another one']), {
      code: 2,
      stdout: '',
      stderr: `enrich: error [store_conflict]: enrich init requires a database without an admin account (got one in ${path}: it is already initialised)\n`,
    });
    const missing = await withEnv({ ENRICH_ADMIN_PASSWORD: undefined }, () =>
      runCli(['init', '--db', dbPath()]),
    );
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^enrich: error \[usage\]: --admin-password or ENRICH_ADMIN_PASSWORD is required/,
    );
    const short = await runCli(['init', '--db', dbPath(), '--admin-password', 'short']);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /the admin password requires at least 8 characters \(got 5\)/);
    const template = await runCli([
      'init',
      '--db',
      dbPath(),
      '--template',
      'other',
      '--admin-password',
      'long enough',
    ]);
    assert.equal(template.code, 2);
    assert.match(template.stderr, /--template requires one of enrich \(got "other"\)/);
    const url = await runCli(['init', '--db', 'mysql://localhost/x', '--admin-password', 'long enough']);
    assert.equal(url.code, 2);
    assert.match(
      url.stderr,
      /\[store_unavailable\]: database requires a file path or a postgres:\/\/ URL \(got a mysql: URL\)/,
    );
    const extra = await runCli(['init', 'extra', '--admin-password', 'long enough']);
    assert.match(extra.stderr, /unexpected argument "extra"/);
  });
});

describe('enrich audit verify', () => {
  it('reports an intact chain with its entry count (exit 0) and a tampered one naming the entry (exit 1)', async () => {
    const path = await initialised();
    const intact = await runCli(['audit', 'verify', '--db', path]);
    assert.equal(intact.code, 0);
    assert.match(
      intact.stdout,
      new RegExp(`^audit trail of ${path} intact: 4 entries, head hash [0-9a-f]{64}\\n$`),
    );
    const json = await runCli(['audit', 'verify', '--db', path, '--json']);
    assert.equal(json.code, 0);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ['ok', 'entries', 'head_hash']);
    const { db } = openDatabase({ kind: 'sqlite', path });
    await sql`update audit_log set reason = 'rewritten' where seq = 2`.execute(db);
    await db.destroy();
    const broken = await runCli(['audit', 'verify', '--db', path]);
    assert.deepEqual(broken, {
      code: 1,
      stdout: '',
      stderr: `enrich: audit trail of ${path} broken at entry 2: audit entry 2 was changed after it was written (its hash does not match)\n`,
    });
    const brokenJson = await runCli(['audit', 'verify', '--db', path, '--json']);
    assert.equal(brokenJson.code, 1);
    assert.deepEqual(JSON.parse(brokenJson.stdout), {
      ok: false,
      entries: 4,
      first_bad_entry: 2,
      problem: 'audit entry 2 was changed after it was written (its hash does not match)',
    });
  });

  it('refuses a missing database and a bad subcommand', async () => {
    const missing = join(directory, 'missing.db');
    assert.deepEqual(await runCli(['audit', 'verify', '--db', missing]), {
      code: 2,
      stdout: '',
      stderr: `enrich: error [store_unavailable]: database ${missing} requires an existing SQLite file (got no such file; run enrich init)\n`,
    });
    assert.match((await runCli(['audit'])).stderr, /a subcommand is required \(subcommands: verify\)/);
    assert.match((await runCli(['audit', 'list'])).stderr, /unknown audit subcommand "list"/);
    assert.match((await runCli(['audit', 'verify', 'x'])).stderr, /unexpected argument "x"/);
  });
});

describe('enrich export', () => {
  it('writes the analysis dataset, SAE file and data dictionary derived from the stored records', async () => {
    const path = await initialised();
    const store = await openTrialStore(
      { kind: 'sqlite', path },
      { now: clock(), random: createSeededRandom(3) },
    );
    await loadSample(store, 'enrich');
    await store.createUser(
      { username: 'stats', role: 'statistician', sites: [], password: 'numbers only' },
      { actor: ADMIN },
    );
    const stored = await store.listParticipantRecords('enrich');
    await store.close();

    const out = join(directory, 'analysis.csv');
    const saeOut = join(directory, 'sae.csv');
    const dictionaryOut = join(directory, 'dictionary.csv');
    const early = await runCli(['export', '--db', path, '--trial', 'enrich', '--out', out, '--as', 'stats']);
    assert.equal(early.code, 2);
    assert.match(
      early.stderr,
      /^enrich: error \[store_forbidden\]: export_unblinded requires .*; before the database lock only the blinded export is available\n$/,
    );
    const blinded = await runCli([
      'export',
      '--db',
      path,
      '--trial',
      'enrich',
      '--out',
      out,
      '--as',
      'stats',
      '--blinded',
    ]);
    assert.equal(blinded.code, 0, blinded.stderr);
    const blindedHeader = readFileSync(out, 'utf8').split('\n')[0]?.split(',');
    assert.ok(blindedHeader !== undefined && !blindedHeader.includes('arm'));
    assert.ok(!blindedHeader.includes('pw_contacts_hospital'));

    const lockStore = await openTrialStore(
      { kind: 'sqlite', path },
      { now: clock(), random: createSeededRandom(3) },
    );
    await lockStore.lockTrial('enrich', {
      actor: { userId: 'manager', role: 'trial_manager' },
      reason: 'final',
    });
    await lockStore.close();

    const run = await runCli([
      'export',
      '--db',
      path,
      '--trial',
      'enrich',
      '--out',
      out,
      '--sae-out',
      saeOut,
      '--dictionary-out',
      dictionaryOut,
      '--as',
      'stats',
    ]);
    assert.deepEqual(run, {
      code: 0,
      stdout: `wrote the analysis dataset of trial "enrich" to ${out}: 6 participants\nwrote 1 serious adverse events to ${saeOut}\nwrote the data dictionary to ${dictionaryOut}\n`,
      stderr: '',
    });
    // The export equals the domain's derivation from the sample records with the stored allocations: every
    // record went into the store and came back unchanged.
    const armOf = new Map(stored.map((record) => [record.participant.participantId, record.randomisation]));
    const expected: ParticipantRecords[] = sampleTrial().map((records) => ({
      ...records,
      participant: { ...records.participant, trialId: 'enrich' },
      randomisation: armOf.get(records.participant.participantId) as ParticipantRecords['randomisation'],
    }));
    const text = readFileSync(out, 'utf8');
    assert.equal(text, formatAnalysisCsv(deriveAnalysisDataset(ENRICH_TRIAL_CONFIG, expected)));
    const dataset = readAnalysisDataset(parseCsv(readFileSync(out), out));
    assert.deepEqual(dataset.participantIds, ['P001', 'P002', 'P003', 'P004', 'P005', 'P006']);
    assert.deepEqual(
      dataset.columns.map((column) => column.name),
      ANALYSIS_DATASET_COLUMNS.map((spec) => spec.name),
    );
    const sae = readSaeDataset(parseCsv(readFileSync(saeOut), saeOut), dataset);
    assert.deepEqual(sae.participantIds, ['P001']);
    assert.equal(
      readFileSync(saeOut, 'utf8'),
      'participant_id,onset_date,category,related\nP001,2024-06-01,hospitalisation,0\n',
    );
    assert.equal(readFileSync(dictionaryOut, 'utf8'), formatDataDictionaryCsv());

    const audit = await runCli(['audit', 'verify', '--db', path, '--json']);
    assert.equal(JSON.parse(audit.stdout).ok, true);
  });

  it('reports usage, unknown users and trials, and unwritable files', async () => {
    const path = await initialised();
    const out = join(directory, 'x.csv');
    assert.match((await runCli(['export', '--db', path, '--out', out])).stderr, /--trial is required/);
    assert.match((await runCli(['export', '--db', path, '--trial', 'enrich'])).stderr, /--out is required/);
    assert.match(
      (
        await runCli([
          'export',
          '--db',
          path,
          '--trial',
          'enrich',
          '--out',
          out,
          '--blinded',
          '--sae-out',
          out,
        ])
      ).stderr,
      /--sae-out requires the unblinded export/,
    );
    assert.deepEqual(
      await runCli(['export', '--db', path, '--trial', 'enrich', '--out', out, '--as', 'ghost']),
      {
        code: 2,
        stdout: '',
        stderr: 'enrich: error [store_not_found]: --as requires an existing user (got "ghost")\n',
      },
    );
    assert.deepEqual(await runCli(['export', '--db', path, '--trial', 'nope', '--out', out]), {
      code: 2,
      stdout: '',
      stderr: 'enrich: error [store_not_found]: trial "nope" requires an existing trial (got none)\n',
    });
    const unwritable = await runCli([
      'export',
      '--db',
      path,
      '--trial',
      'enrich',
      '--out',
      join(directory, 'no/such/dir.csv'),
    ]);
    assert.equal(unwritable.code, 2);
    assert.match(
      unwritable.stderr,
      /\[file_unreadable\]: analysis dataset .*no\/such\/dir\.csv requires a writable path/,
    );
    assert.match(
      (await runCli(['export', 'x', '--trial', 'enrich', '--out', out])).stderr,
      /unexpected argument "x"/,
    );
  });
});

const pgUrl = process.env.ENRICH_TEST_PG_URL;
describe('enrich init and audit verify on PostgreSQL (DATABASE_URL)', () => {
  if (pgUrl === undefined || pgUrl === '') {
    it('PostgreSQL CLI tests', (context) => {
      context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL CLI tests did not run (.ci/run sets it)');
    });
    return;
  }
  it('initialises a PostgreSQL database and verifies its audit trail', async () => {
    const name = `enrich_test_cli_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(pgUrl);
      url.pathname = `/${name}`;
      const databaseUrl = url.toString();
      const init = await withEnv({ DATABASE_URL: databaseUrl, ENRICH_ADMIN_PASSWORD: 'postgres admin' }, () =>
        runCli(['init', '--template', 'enrich']),
      );
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /\(postgres\): schema, admin account "admin"/);
      const verify = await withEnv({ DATABASE_URL: databaseUrl }, () => runCli(['audit', 'verify']));
      assert.equal(verify.code, 0, verify.stderr);
      assert.match(verify.stdout, /intact: 4 entries/);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
