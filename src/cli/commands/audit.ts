import { describeTarget } from '../../storage/index.ts';
import { parseCommandArguments } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { databaseTargetOf, openCliStore } from './init.ts';

export const AUDIT_USAGE = 'enrich audit verify [--db PATH | DATABASE_URL=postgres://...] [--json]';

async function runAudit(argv: readonly string[], io: CommandIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'verify') {
    throw new UsageError(
      `${subcommand === undefined || subcommand.startsWith('-') ? 'a subcommand is required' : `unknown audit subcommand "${subcommand}"`} (subcommands: verify)\nusage: ${AUDIT_USAGE}`,
    );
  }
  const parsed = parseCommandArguments(
    rest,
    { db: { type: 'string' }, json: { type: 'boolean' } },
    AUDIT_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${AUDIT_USAGE}`);
  }
  const target = databaseTargetOf(parsed.values.db);
  const store = await openCliStore(target);
  let check: Awaited<ReturnType<typeof store.verifyAudit>>;
  try {
    check = await store.verifyAudit();
  } finally {
    await store.close();
  }
  if (parsed.values.json === true) {
    io.stdout.write(
      formatJson(
        check.ok
          ? { ok: true, entries: check.entries, headHash: check.headHash }
          : { ok: false, entries: check.entries, firstBadEntry: check.firstBadSeq, problem: check.problem },
      ),
    );
    return check.ok ? 0 : 1;
  }
  if (check.ok) {
    io.stdout.write(
      `audit trail of ${describeTarget(target)} intact: ${check.entries} entries, head hash ${check.headHash}\n`,
    );
    return 0;
  }
  io.stderr.write(
    `enrich: audit trail of ${describeTarget(target)} broken at entry ${check.firstBadSeq}: ${check.problem}\n`,
  );
  return 1;
}

/** `enrich audit verify`: checks the hash chain of the audit trail (exit 1 naming the first bad entry). */
export const auditCommand: CliCommand = {
  name: 'audit',
  usage: AUDIT_USAGE,
  summary: 'verify the hash-chained audit trail (detects edited, deleted or reordered entries)',
  run: runAudit,
};
