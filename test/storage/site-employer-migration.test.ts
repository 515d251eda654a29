/**
 * Migration 0003_site_employer_type on a database made before it (SQLite always, PostgreSQL when
 * ENRICH_TEST_PG_URL is set): the sites keep working with no employer type, and one can then be set.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Kysely, Migrator } from 'kysely';
import { type DatabaseTarget, MIGRATIONS, openDatabase, openTrialStore } from '../../src/storage/index.ts';
import { createSeededRandom } from '../../src/trial/index.ts';
import { type FreshDatabase, postgresDatabases, sqliteDatabases } from '../server/harness.ts';

/** A database as the release before migration 0003 left it: migrations 0001-0002, a trial and a site. */
async function databaseBefore0003(target: DatabaseTarget): Promise<void> {
  const { db } = openDatabase(target);
  try {
    const earlier = { '0001_initial': MIGRATIONS['0001_initial'], '0002_server': MIGRATIONS['0002_server'] };
    const migrator = new Migrator({
      db: db as unknown as Kysely<unknown>,
      provider: { getMigrations: async () => earlier as never },
    });
    const { error } = await migrator.migrateToLatest();
    assert.equal(error, undefined);
    const at = '2024-01-01T00:00:00.000Z';
    const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw
      .insertInto('trials')
      .values({ trial_id: 'old', config: '{}', created_at: at, created_by: 'system' })
      .execute();
    await raw
      .insertInto('sites')
      .values({ trial_id: 'old', site_id: 'leeds', name: 'Leeds', created_at: at, created_by: 'system' })
      .execute();
  } finally {
    await db.destroy();
  }
}

function defineMigrationTest(dialect: string, fresh: FreshDatabase): void {
  describe(`migration 0003_site_employer_type on ${dialect}`, () => {
    it('keeps existing sites (no employer type) and lets one be set afterwards', async () => {
      const target = await fresh();
      await databaseBefore0003(target);
      const store = await openTrialStore(target, {
        now: () => new Date('2024-02-01T00:00:00.000Z'),
        random: createSeededRandom(1),
        migrate: true,
      });
      try {
        assert.deepEqual(await store.listSites('old'), [
          { trialId: 'old', siteId: 'leeds', name: 'Leeds', createdAt: '2024-01-01T00:00:00.000Z' },
        ]);
        const actor = { userId: 'system', role: 'admin' as const };
        await assert.rejects(
          store.updateSite('old', 'leeds', { employerType: 'voluntary' }, { actor }),
          /changing site "leeds" requires a reason for the change \(got none\)/,
        );
        await assert.rejects(
          store.updateSite('old', 'leeds', { employerType: 'private' as never }, { actor, reason: 'x' }),
          /site employer type requires nhs or voluntary \(got "private"\)/,
        );
        const updated = await store.updateSite(
          'old',
          'leeds',
          { employerType: 'voluntary' },
          { actor, reason: 'set after the upgrade' },
        );
        assert.equal(updated.employerType, 'voluntary');
        assert.equal((await store.listSites('old'))[0]?.employerType, 'voluntary');
        const audit = await store.listAudit({ trialId: 'old', viewer: { role: 'admin' } });
        assert.deepEqual(
          audit.map((entry) => [entry.entity, entry.field, entry.oldValue, entry.newValue, entry.reason]),
          [['site', 'employer_type', null, 'voluntary', 'set after the upgrade']],
        );
      } finally {
        await store.close();
      }
    });
  });
}

const sqlite = sqliteDatabases();
after(sqlite.cleanup);
defineMigrationTest('sqlite', sqlite.fresh);

const adminUrl = process.env.ENRICH_TEST_PG_URL;
if (adminUrl === undefined || adminUrl === '') {
  it('migration 0003_site_employer_type on PostgreSQL', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL case did not run (.ci/run sets it)');
  });
} else {
  const postgres = postgresDatabases(adminUrl);
  after(postgres.cleanup);
  defineMigrationTest('postgres', postgres.fresh);
}
