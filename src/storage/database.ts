import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { StorageError } from './errors.ts';
import type { DatabaseSchema } from './schema.ts';

/** Where the data lives: a SQLite file (the default) or a PostgreSQL database. */
export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = './enrich.db';

/**
 * How long a SQLite writer waits for another process's write lock before giving up (ms). Write
 * transactions are short (one allocation, one record), so 30 s only runs out when something is stuck.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

/**
 * Chooses the database: `--db PATH` wins, then `DATABASE_URL` (a `postgres://` or `postgresql://` URL),
 * then `./enrich.db`. A `--db` that is a postgres URL is taken as PostgreSQL too.
 *
 * @throws StorageError `store_unavailable` for a DATABASE_URL that is neither PostgreSQL nor a file path.
 * @example
 * resolveDatabaseTarget(undefined, { DATABASE_URL: 'postgres://localhost/enrich' }).kind; // 'postgres'
 */
export function resolveDatabaseTarget(
  dbOption: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): DatabaseTarget {
  const chosen = dbOption ?? env.DATABASE_URL;
  if (chosen === undefined || chosen === '') return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (/^postgres(ql)?:\/\//i.test(chosen)) return { kind: 'postgres', url: chosen };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(chosen)) {
    throw new StorageError(
      'store_unavailable',
      `database requires a file path or a postgres:// URL (got a ${chosen.split(':')[0]}: URL)`,
    );
  }
  return { kind: 'sqlite', path: chosen.startsWith('sqlite:') ? chosen.slice('sqlite:'.length) : chosen };
}

/** Prepared SQLite statements kept per connection (by SQL text), oldest dropped first. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The SQLite connection as the query layer sees it, with prepared statements kept by their SQL text:
 * kysely prepares every query afresh, and preparing cost more than running the statement on the
 * randomise path (about 25 µs of 40). A kept statement is reused only after its previous run has
 * finished (better-sqlite3 runs synchronously; the store streams no query).
 */
function keepStatements(database: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string): Database.Statement {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value as string);
        }
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** An open database: the query layer, its dialect and how to close it. */
export interface OpenDatabase {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: 'sqlite' | 'postgres';
  readonly target: DatabaseTarget;
}

/**
 * Opens the database through one query layer (kysely). SQLite: WAL journal, `synchronous = FULL` (a
 * committed transaction is on disk before the commit returns, also in WAL mode), foreign keys on, a
 * 30 s busy timeout; with `mustExist` a missing file is an error rather than a new empty database. PostgreSQL: a pool of up to `poolSize` connections (default 10), values as text.
 *
 * @throws StorageError `store_unavailable` when the SQLite file cannot be opened (or, with `mustExist`, is
 *   missing). A PostgreSQL server that cannot be reached is reported by the first query.
 * @example
 * const { db, dialect } = openDatabase({ kind: 'sqlite', path: 'enrich.db' }); // dialect 'sqlite'
 */
export function openDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number; mustExist?: boolean } = {},
): OpenDatabase {
  if (target.kind === 'sqlite') {
    let database: Database.Database;
    try {
      database = new Database(target.path, {
        timeout: SQLITE_BUSY_TIMEOUT_MS,
        fileMustExist: options.mustExist === true,
      });
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = FULL');
      database.pragma('foreign_keys = ON');
    } catch (error) {
      const missing =
        options.mustExist === true && /does not exist|unable to open/i.test((error as Error).message);
      throw new StorageError(
        'store_unavailable',
        missing
          ? `database ${target.path} requires an existing SQLite file (got no such file; run enrich init)`
          : `database ${target.path} requires a SQLite file that can be opened for writing (got ${(error as Error).message})`,
      );
    }
    return {
      db: new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: keepStatements(database) }) }),
      dialect: 'sqlite',
      target,
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
  // An idle client's error (the server went away) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return {
    db: new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) }),
    dialect: 'postgres',
    target,
  };
}

/**
 * Names a target for messages without its password.
 *
 * @example
 * describeTarget({ kind: 'postgres', url: 'postgres://me:secret@host/db' }); // 'postgres://me:***@host/db'
 */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return target.path;
  try {
    const url = new URL(target.url);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres database';
  }
}
