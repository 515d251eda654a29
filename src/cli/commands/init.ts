import {
  createSecureRandom,
  type DatabaseTarget,
  describeTarget,
  openTrialStore,
  resolveDatabaseTarget,
  StorageError,
} from '../../storage/index.ts';
import type { TrialStore } from '../../trial/index.ts';
import { findTrialTemplate, TRIAL_TEMPLATES } from '../../trial/index.ts';
import { optionalChoice, parseCommandArguments } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';

export const INIT_USAGE =
  'enrich init [--db PATH | DATABASE_URL=postgres://...] [--template enrich] [--admin-password P | ENRICH_ADMIN_PASSWORD=P]';

/** The database a command works on: `--db`, else `DATABASE_URL`, else ./enrich.db. */
export function databaseTargetOf(dbOption: string | boolean | undefined): DatabaseTarget {
  return resolveDatabaseTarget(typeof dbOption === 'string' ? dbOption : undefined, process.env);
}

/** Opens the store of an initialised database for a CLI command (live clock, secure random source). */
export function openCliStore(target: DatabaseTarget, migrate = false): Promise<TrialStore> {
  return openTrialStore(target, {
    now: () => new Date(),
    random: createSecureRandom(),
    migrate,
    poolSize: 2,
  });
}

async function runInit(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArguments(
    argv,
    { db: { type: 'string' }, template: { type: 'string' }, 'admin-password': { type: 'string' } },
    INIT_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${INIT_USAGE}`);
  }
  const templateName = optionalChoice(
    parsed,
    'template',
    TRIAL_TEMPLATES.map((template) => template.name),
    INIT_USAGE,
  );
  const optionPassword = parsed.values['admin-password'];
  const password = typeof optionPassword === 'string' ? optionPassword : process.env.ENRICH_ADMIN_PASSWORD;
  if (password === undefined || password === '') {
    throw new UsageError(`--admin-password or ENRICH_ADMIN_PASSWORD is required\nusage: ${INIT_USAGE}`);
  }
  if (password.length < 8) {
    throw new UsageError(`the admin password requires at least 8 characters (got ${password.length})`);
  }
  const target = databaseTargetOf(parsed.values.db);
  const store = await openCliStore(target, true);
  try {
    if ((await store.findUser('admin')) !== undefined) {
      throw new StorageError(
        'store_conflict',
        `enrich init requires a database without an admin account (got one in ${describeTarget(target)}: it is already initialised)`,
      );
    }
    const system = { userId: 'system', role: 'admin' } as const;
    const admin = await store.createUser(
      { username: 'admin', role: 'admin', sites: [], password },
      { actor: system, reason: 'enrich init' },
    );
    const lines = [
      `initialised ${describeTarget(target)} (${store.dialect}): schema, admin account "admin" (scrypt hash)`,
    ];
    if (templateName !== undefined) {
      const template = findTrialTemplate(templateName);
      if (template === undefined)
        throw new UsageError(`unknown template "${templateName}"\nusage: ${INIT_USAGE}`);
      await store.createTrial(template.name, template.config, {
        actor: { userId: admin.userId, role: 'admin' },
        reason: `enrich init --template ${template.name}`,
      });
      lines.push(`trial "${template.name}" created from template ${template.name}: ${template.title}`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `enrich init`: creates the schema, the admin account and optionally a trial from a template. */
export const initCommand: CliCommand = {
  name: 'init',
  usage: INIT_USAGE,
  summary: 'create a trial database (SQLite file or PostgreSQL) with an admin account',
  run: runInit,
};
