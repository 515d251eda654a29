import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { GENESIS_HASH } from './audit-chain.ts';
import { StorageError } from './errors.ts';

/**
 * The one set of migrations for every dialect. They use only kysely's schema builder with the types
 * `text` and `integer` (the same on SQLite and PostgreSQL); no dialect-specific SQL. Add a migration as a
 * new entry with the next number; never edit one that has shipped.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('user_id', 'text', (column) => column.primaryKey())
        .addColumn('username', 'text', (column) => column.notNull().unique())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('sites', 'text', (column) => column.notNull())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('trials')
        .addColumn('trial_id', 'text', (column) => column.primaryKey())
        .addColumn('config', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addColumn('settings_locked_at', 'text')
        .addColumn('locked_at', 'text')
        .addColumn('locked_by', 'text')
        .execute();
      await db.schema
        .createTable('randomisation_states')
        .addColumn('trial_id', 'text', (column) => column.primaryKey().references('trials.trial_id'))
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('participants')
        .addColumn('trial_id', 'text', (column) => column.notNull().references('trials.trial_id'))
        .addColumn('participant_id', 'text', (column) => column.notNull())
        .addColumn('screening_id', 'text', (column) => column.notNull())
        .addColumn('site', 'text', (column) => column.notNull())
        .addColumn('diagnosis_group', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('participants_pk', ['trial_id', 'participant_id'])
        .addUniqueConstraint('participants_screening_unique', ['trial_id', 'screening_id'])
        .execute();
      await db.schema
        .createTable('allocations')
        .addColumn('trial_id', 'text', (column) => column.notNull())
        .addColumn('participant_id', 'text', (column) => column.notNull())
        .addColumn('sequence', 'integer', (column) => column.notNull())
        .addColumn('arm', 'text', (column) => column.notNull())
        .addColumn('stratum', 'text', (column) => column.notNull())
        .addColumn('strata', 'text', (column) => column.notNull())
        .addColumn('method', 'text', (column) => column.notNull())
        .addColumn('randomised_date', 'text', (column) => column.notNull())
        .addColumn('randomised_at', 'text', (column) => column.notNull())
        .addColumn('randomised_by', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('allocations_pk', ['trial_id', 'participant_id'])
        .addUniqueConstraint('allocations_sequence_unique', ['trial_id', 'sequence'])
        .addForeignKeyConstraint(
          'allocations_participant_fk',
          ['trial_id', 'participant_id'],
          'participants',
          ['trial_id', 'participant_id'],
        )
        .execute();
      await db.schema
        .createTable('records')
        .addColumn('trial_id', 'text', (column) => column.notNull().references('trials.trial_id'))
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('record_id', 'text', (column) => column.notNull())
        .addColumn('participant_id', 'text')
        .addColumn('data', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('updated_by', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('records_pk', ['trial_id', 'kind', 'record_id'])
        .execute();
      await db.schema
        .createIndex('records_participant_index')
        .on('records')
        .columns(['trial_id', 'participant_id'])
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (column) => column.primaryKey())
        .addColumn('at', 'text', (column) => column.notNull())
        .addColumn('actor_id', 'text', (column) => column.notNull())
        .addColumn('trial_id', 'text')
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('entity', 'text', (column) => column.notNull())
        .addColumn('record_id', 'text')
        .addColumn('field', 'text')
        .addColumn('old_value', 'text')
        .addColumn('new_value', 'text')
        .addColumn('reason', 'text')
        .addColumn('reveals_allocation', 'integer', (column) => column.notNull())
        .addColumn('prev_hash', 'text', (column) => column.notNull())
        .addColumn('hash', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (column) => column.primaryKey())
        .addColumn('seq', 'integer', (column) => column.notNull())
        .addColumn('hash', 'text', (column) => column.notNull())
        .execute();
      await (db as Kysely<{ audit_head: { id: number; seq: number; hash: string } }>)
        .insertInto('audit_head')
        .values({ id: 1, seq: 0, hash: GENESIS_HASH })
        .execute();
    },
  },
  '0002_server': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sites')
        .addColumn('trial_id', 'text', (column) => column.notNull().references('trials.trial_id'))
        .addColumn('site_id', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('sites_pk', ['trial_id', 'site_id'])
        .execute();
      await db.schema
        .createTable('auth_sessions')
        .addColumn('token_hash', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.user_id'))
        .addColumn('csrf_hash', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('last_seen_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('login_failures')
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('login_failures_key_index')
        .on('login_failures')
        .columns(['key', 'at'])
        .execute();
      await db.schema
        .createTable('login_lockouts')
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('locked_at', 'text', (column) => column.notNull())
        .addColumn('until', 'text', (column) => column.notNull())
        .addColumn('ended_at', 'text')
        .addPrimaryKeyConstraint('login_lockouts_pk', ['key', 'locked_at'])
        .execute();
    },
  },
  '0003_site_employer_type': {
    // Who employs a site's peer workers (nhs | voluntary); null on sites made before this migration.
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sites').addColumn('employer_type', 'text').execute();
    },
  },
  '0004_records_by_id': {
    // Finding a record by kind and id without its trial (the API's participant ids are screening ids):
    // the primary key (trial_id, kind, record_id) cannot serve it, so every such lookup read the whole table.
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('records_kind_id_index')
        .on('records')
        .columns(['kind', 'record_id'])
        .execute();
    },
  },
  '0005_intervention_withdrawal': {
    // A withdrawal from the intervention only becomes its own record kind (`intervention_withdrawal`, same
    // key and data), so a blinded user's write to the study withdrawal never meets it. The record keeps its
    // version and history; the audit trail is hash-chained and is not rewritten (redaction withholds the old
    // `withdrawal` entries of moved records: see redactAuditEntry).
    async up(db: Kysely<unknown>): Promise<void> {
      const raw = db as unknown as Kysely<{
        records: { trial_id: string; kind: string; record_id: string; data: string };
      }>;
      const rows = await raw
        .selectFrom('records')
        .select(['trial_id', 'record_id', 'data'])
        .where('kind', '=', 'withdrawal')
        .execute();
      for (const row of rows) {
        const data = JSON.parse(row.data) as { scope?: unknown };
        if (data.scope !== 'intervention') continue;
        await raw
          .updateTable('records')
          .set({ kind: 'intervention_withdrawal' })
          .where('trial_id', '=', row.trial_id)
          .where('kind', '=', 'withdrawal')
          .where('record_id', '=', row.record_id)
          .execute();
      }
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/**
 * Brings the database's schema up to date (creating it on an empty database); idempotent. Returns the
 * names of the migrations applied now.
 *
 * @throws StorageError `store_unavailable` when a migration fails (nothing of it is kept).
 * @example
 * await migrateToLatest(openDatabase({ kind: 'sqlite', path: 'enrich.db' }).db); // ['0001_initial'] the first time
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new StorageError(
      'store_unavailable',
      `database migration requires a database it can change (got ${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/**
 * Whether every migration has been applied (a database made by `enrich init`).
 *
 * @example
 * await isSchemaCurrent(db); // false on an empty database
 */
export async function isSchemaCurrent(db: Kysely<unknown>): Promise<boolean> {
  const migrator = new Migrator({ db, provider });
  const migrations = await migrator.getMigrations();
  return migrations.every((migration) => migration.executedAt !== undefined);
}
