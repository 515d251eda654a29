import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  canonicalJson,
  createSecureRandom,
  dataDictionaryRows,
  describeTarget,
  formatDataDictionaryCsv,
  hashPassword,
  openDatabase,
  openTrialStore,
  resolveDatabaseTarget,
  StorageError,
  verifyPassword,
} from '../../src/storage/index.ts';
import {
  ANALYSIS_DATASET_COLUMNS,
  createSeededRandom,
  SAE_COLUMNS,
  TrialConfigError,
} from '../../src/trial/index.ts';
import { ADMIN, TEST_CONFIG } from './store-fixtures.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-storage-units-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('resolveDatabaseTarget', () => {
  it('prefers --db, then DATABASE_URL, then ./enrich.db', () => {
    assert.deepEqual(resolveDatabaseTarget(undefined, {}), { kind: 'sqlite', path: './enrich.db' });
    assert.deepEqual(resolveDatabaseTarget(undefined, { DATABASE_URL: '' }), {
      kind: 'sqlite',
      path: './enrich.db',
    });
    assert.deepEqual(resolveDatabaseTarget('trial.db', { DATABASE_URL: 'postgres://h/db' }), {
      kind: 'sqlite',
      path: 'trial.db',
    });
    assert.deepEqual(resolveDatabaseTarget(undefined, { DATABASE_URL: 'postgresql://u@h:5432/db' }), {
      kind: 'postgres',
      url: 'postgresql://u@h:5432/db',
    });
    assert.deepEqual(resolveDatabaseTarget('sqlite:/data/t.db', {}), { kind: 'sqlite', path: '/data/t.db' });
    assert.throws(
      () => resolveDatabaseTarget('mysql://h/db', {}),
      (error: unknown) =>
        error instanceof StorageError &&
        error.code === 'store_unavailable' &&
        error.message === 'database requires a file path or a postgres:// URL (got a mysql: URL)',
    );
  });

  it('names a target without its password', () => {
    assert.equal(
      describeTarget({ kind: 'postgres', url: 'postgres://me:secret@h:5432/db' }),
      'postgres://me:***@h:5432/db',
    );
    assert.equal(describeTarget({ kind: 'postgres', url: 'postgres://me@h/db' }), 'postgres://me@h/db');
    assert.equal(describeTarget({ kind: 'postgres', url: 'postgres://[bad' }), 'postgres database');
    assert.equal(describeTarget({ kind: 'sqlite', path: 'a.db' }), 'a.db');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    assert.equal(
      canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], e: undefined }),
      '{"a":[2,{"c":4,"d":3}],"b":1}',
    );
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson('x'), '"x"');
  });
});

describe('passwords', () => {
  it('hashes with scrypt and a random salt, verifies in constant time, rejects malformed hashes', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    assert.notEqual(first, second, 'a fresh salt each time');
    assert.equal(await verifyPassword('correct horse', first), true);
    assert.equal(await verifyPassword('correct horse ', first), false);
    for (const bad of [
      '',
      'scrypt$1$2',
      'bcrypt$1$8$1$AA==$AA==',
      'scrypt$x$8$1$AA==$AA==',
      first.slice(0, -8),
    ]) {
      assert.equal(await verifyPassword('correct horse', bad), false, bad);
    }
    await assert.rejects(
      hashPassword(''),
      (error: unknown) => error instanceof RangeError && /non-empty password/.test(error.message),
    );
  });
});

describe('createSecureRandom', () => {
  it('draws 32-bit words, refilling its buffer', () => {
    const random = createSecureRandom();
    const words = Array.from({ length: 600 }, () => random.nextUint32());
    assert.ok(words.every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32));
    assert.ok(new Set(words).size > 590, 'no repeated buffer');
  });
});

describe('data dictionary', () => {
  it('has one row per analysis and SAE column, in export order, REDCap-style', () => {
    const rows = dataDictionaryRows();
    assert.deepEqual(
      rows.map((row) => row.variable),
      [...ANALYSIS_DATASET_COLUMNS, ...SAE_COLUMNS].map((spec) => spec.name),
    );
    assert.ok(rows.every((row) => row.form !== 'other' && row.label !== row.variable));
    const byName = (variable: string, form: string) =>
      rows.find((row) => row.variable === variable && row.form === form);
    assert.deepEqual(byName('arm', 'design'), {
      variable: 'arm',
      form: 'design',
      type: 'categorical',
      allowedValues: 'usual_care | peer_support',
      label: 'Randomised arm (usual_care is the reference level)',
    });
    assert.equal(byName('days_to_readmission', 'outcomes_12m')?.allowedValues, '> 0');
    assert.equal(byName('days_to_readmission', 'outcomes_12m')?.type, 'integer');
    assert.equal(byName('eq5d_4m', 'outcomes_4m')?.allowedValues, '<= 1');
    assert.equal(byName('related', 'serious_adverse_events')?.type, 'yesno');
    const csv = formatDataDictionaryCsv();
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], 'variable,form,type,allowed_values,label');
    assert.equal(lines.length, rows.length + 1);
    assert.ok(
      lines.includes(
        'ethnicity,baseline,categorical,Asian | Black | Mixed | White | Other,Ethnicity (pre-specified subgroup: Black against all others)',
      ),
    );
    assert.ok(
      lines.includes(
        'days_to_readmission,outcomes_12m,integer,> 0,"Days from discharge to first readmission or censoring (365, death or withdrawal)"',
      ),
    );
  });
});

describe('opening a store', () => {
  const options = { now: () => new Date(0), random: createSeededRandom(1) };

  it('reports an unreachable PostgreSQL server', async () => {
    await assert.rejects(
      openTrialStore({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }, options),
      (error: unknown) =>
        error instanceof StorageError &&
        error.code === 'store_unavailable' &&
        /^database postgres:\/\/postgres@127\.0\.0\.1:1\/none requires a reachable database \(got /.test(
          error.message,
        ),
    );
  });

  it('reports a SQLite path that cannot be created', async () => {
    await assert.rejects(
      openTrialStore(
        { kind: 'sqlite', path: join(directory, 'no/such/dir/t.db') },
        { ...options, migrate: true },
      ),
      (error: unknown) =>
        error instanceof StorageError &&
        error.code === 'store_unavailable' &&
        /requires a SQLite file that can be opened for writing/.test(error.message),
    );
  });

  it('reports a migration that cannot run and keeps nothing of it', async () => {
    const path = join(directory, 'clash.db');
    const { db } = openDatabase({ kind: 'sqlite', path });
    await sql`create table users (x integer)`.execute(db);
    await db.destroy();
    await assert.rejects(
      openTrialStore({ kind: 'sqlite', path }, { ...options, migrate: true }),
      (error: unknown) =>
        error instanceof StorageError &&
        error.code === 'store_unavailable' &&
        /database migration requires a database it can change \(got .*users.*already exists/.test(
          error.message,
        ),
    );
  });

  it('refuses an invalid trial configuration with the domain error', async () => {
    const store = await openTrialStore(
      { kind: 'sqlite', path: join(directory, 'config.db') },
      { ...options, migrate: true },
    );
    try {
      await assert.rejects(
        store.createTrial('t1', { ...TEST_CONFIG, arms: [] }, { actor: ADMIN }),
        (error: unknown) => error instanceof TrialConfigError,
      );
      await assert.rejects(
        store.listParticipants('t9'),
        (error: unknown) => error instanceof StorageError && error.code === 'store_not_found',
      );
      assert.deepEqual(await store.listTrials(), []);
    } finally {
      await store.close();
    }
  });
});
