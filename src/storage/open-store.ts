import type { TrialStore } from '../trial/index.ts';
import { type DatabaseTarget, describeTarget, openDatabase } from './database.ts';
import { StorageError } from './errors.ts';
import { isSchemaCurrent, migrateToLatest } from './migrations.ts';
import { createSqlTrialStore, type TrialStoreOptions } from './sql-trial-store.ts';

/** Options of {@link openTrialStore}. */
export interface OpenTrialStoreOptions extends TrialStoreOptions {
  /** Create or update the schema (as `enrich init`); otherwise the schema must already be current. */
  readonly migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
}

/**
 * Opens the trial store on a SQLite file or a PostgreSQL database, checking (or, with `migrate`, creating)
 * the schema first.
 *
 * @throws StorageError `store_unavailable` when the database cannot be reached or was never initialised.
 * @example
 * const store = await openTrialStore({ kind: 'sqlite', path: 'enrich.db' },
 *   { now: () => new Date(), random: createSecureRandom() });
 */
export async function openTrialStore(
  target: DatabaseTarget,
  options: OpenTrialStoreOptions,
): Promise<TrialStore> {
  const database = openDatabase(target, {
    mustExist: options.migrate !== true,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
  try {
    if (options.migrate === true) {
      await migrateToLatest(database.db as never);
    } else if (!(await isSchemaCurrent(database.db as never))) {
      throw new StorageError(
        'store_unavailable',
        `database ${describeTarget(target)} requires a schema made by enrich init (got none or an older one; run enrich init)`,
      );
    }
  } catch (error) {
    await database.db.destroy();
    if (error instanceof StorageError) throw error;
    throw new StorageError(
      'store_unavailable',
      `database ${describeTarget(target)} requires a reachable database (got ${(error as Error).message})`,
    );
  }
  return createSqlTrialStore(database, options);
}
