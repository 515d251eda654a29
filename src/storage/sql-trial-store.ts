import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type {
  AuditChainCheck,
  AuditEntry,
  ChangeContext,
  DiagnosisGroup,
  NewUser,
  Participant,
  ParticipantRecords,
  RandomisationRecord,
  RandomiseRequest,
  ScreeningLogEntry,
  StoreActor,
  StoredRecord,
  StoredRecordKind,
  StoredRecordTypes,
  Trial,
  TrialConfig,
  TrialStore,
  User,
} from '../trial/index.ts';
import {
  createRandomisationState,
  type RandomSource,
  ROLES,
  randomisationConfigOf,
  redactAuditEntry,
  revealsAllocation,
  STORED_RECORD_KINDS,
  validateBaseline,
  validateConsent,
  validateContact,
  validateDeath,
  validateDischarge,
  validateFidelityIndex,
  validateFidelityRating,
  validateInterventionWithdrawal,
  validateInterview,
  validatePeerWorkerAssignment,
  validateRecruitmentTarget,
  validateScreeningEntry,
  validateSeriousAdverseEvent,
  validateServiceUseEvent,
  validateServiceUseReview,
  validateTrialConfig,
  validateWellbeingCollection,
  validateWellbeingNorms,
  validateWellbeingPseudonymKey,
  validateWellbeingResponse,
  validateWithdrawal,
} from '../trial/index.ts';
import {
  auditEntryHash,
  type PendingAuditEntry,
  type StoredAuditEntry,
  verifyAuditEntries,
} from './audit-chain.ts';
import { canonicalJson } from './canonical-json.ts';
import type { OpenDatabase } from './database.ts';
import { StorageError } from './errors.ts';
import { createGroupCommit, type Settled } from './group-commit.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { parseConfig, type RandomiseJob, randomiseBatch } from './randomise-batch.ts';
import type { DatabaseSchema, RecordsTable, TrialsTable } from './schema.ts';
import { createServerTables } from './server-tables.ts';
import { requireTrialRow, requireUnlockedTrialRow } from './trial-guards.ts';

type Db = Kysely<DatabaseSchema>;

/** What the store needs from outside: a clock and, for live allocation, a random source. */
export interface TrialStoreOptions {
  /** The clock every audit entry and record timestamp reads. */
  readonly now: () => Date;
  /** The random source for allocation: `createSecureRandom()` in production, a seeded one in tests. */
  readonly random: RandomSource;
}

/** The context of one write transaction: its connection, time, actor and audit appender. */
interface WriteContext {
  readonly db: Db;
  readonly at: string;
  /** Numbers, chains and queues an audit entry; the queued entries are inserted just before the commit. */
  audit(entry: PendingAuditEntry): Promise<void>;
  /** The same transaction with another actor on its audit entries (one batch, several callers). */
  as(actor: StoreActor): WriteContext;
}

/** Audit rows per multi-row INSERT (14 columns: well under SQLite's and PostgreSQL's parameter limits). */
const AUDIT_INSERT_CHUNK = 200;

const TRIAL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

function fieldValue(record: unknown, field: string): unknown {
  return record !== null && typeof record === 'object' && Object.hasOwn(record, field)
    ? (record as Record<string, unknown>)[field]
    : undefined;
}

function requireText(kind: string, record: unknown, field: string): string {
  const value = fieldValue(record, field);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StorageError(
      'store_record_invalid',
      `${kind} record requires ${field} as non-empty text (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`,
    );
  }
  return value;
}

/** The key of a record and the participant it belongs to (null for screening-level records). */
function recordKey(
  kind: StoredRecordKind,
  record: unknown,
): { recordId: string; participantId: string | null } {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new StorageError(
      'store_record_invalid',
      `${kind} record requires an object (got ${typeof record})`,
    );
  }
  switch (kind) {
    case 'screening':
      return { recordId: requireText(kind, record, 'screeningId'), participantId: null };
    case 'consent':
      return { recordId: requireText(kind, record, 'screeningId'), participantId: null };
    case 'baseline':
    case 'discharge':
    case 'withdrawal':
    case 'intervention_withdrawal':
    case 'death': {
      const participantId = requireText(kind, record, 'participantId');
      return { recordId: participantId, participantId };
    }
    case 'interview':
    case 'service_use_review': {
      const participantId = requireText(kind, record, 'participantId');
      return { recordId: `${participantId}/${requireText(kind, record, 'visitId')}`, participantId };
    }
    case 'assignment':
      return {
        recordId: requireText(kind, record, 'assignmentId'),
        participantId: requireText(kind, record, 'participantId'),
      };
    case 'contact':
      return {
        recordId: requireText(kind, record, 'contactId'),
        participantId: requireText(kind, record, 'participantId'),
      };
    case 'service_use':
      return {
        recordId: requireText(kind, record, 'eventId'),
        participantId: requireText(kind, record, 'participantId'),
      };
    case 'sae':
      return {
        recordId: requireText(kind, record, 'saeId'),
        participantId: requireText(kind, record, 'participantId'),
      };
    case 'fidelity_rating':
      return { recordId: requireText(kind, record, 'ratingId'), participantId: null };
    case 'wellbeing':
      return { recordId: requireText(kind, record, 'responseId'), participantId: null };
    case 'wellbeing_norms':
      return { recordId: requireText(kind, record, 'normsId'), participantId: null };
    case 'wellbeing_pseudonym_key':
      return { recordId: requireText(kind, record, 'keyId'), participantId: null };
    case 'wellbeing_collection':
      return { recordId: requireText(kind, record, 'collectionId'), participantId: null };
    case 'fidelity_index':
      // One per trial: the trial's own index replaces the shipped template.
      return { recordId: 'current', participantId: null };
    case 'recruitment_target':
      return { recordId: requireText(kind, record, 'targetId'), participantId: null };
  }
  throw new StorageError(
    'store_record_invalid',
    `record kind requires one of ${STORED_RECORD_KINDS.join(', ')} (got ${JSON.stringify(kind)})`,
  );
}

function requireReason(change: ChangeContext, what: string): string {
  const reason = change.reason;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new StorageError('store_reason_required', `${what} requires a reason for the change (got none)`);
  }
  return reason.trim();
}

/**
 * Whether an error says the database could not be used at all (SQLite busy past its timeout; PostgreSQL
 * connection exceptions 08xxx, shutdown 57Pxx; a socket error), rather than refusing one statement.
 */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(SQLITE_BUSY|SQLITE_LOCKED|08|57P|E[A-Z]+$)/.test(code);
}

function toTrial(row: TrialsTable): Trial {
  return {
    trialId: row.trial_id,
    config: parseConfig(row.config),
    createdAt: row.created_at,
    ...(row.locked_at === null ? {} : { lockedAt: row.locked_at }),
    ...(row.locked_by === null ? {} : { lockedBy: row.locked_by }),
  };
}

function toStoredRecord<K extends StoredRecordKind>(row: RecordsTable): StoredRecord<K> {
  return {
    kind: row.kind as K,
    recordId: row.record_id,
    version: Number(row.version),
    data: JSON.parse(row.data) as StoredRecordTypes[K],
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toUser(row: { user_id: string; username: string; role: string; sites: string }): User {
  return {
    userId: row.user_id,
    username: row.username,
    role: row.role as User['role'],
    sites: JSON.parse(row.sites) as string[],
  };
}

/** Top-level fields whose canonical JSON differs, in sorted order, with old and new values. */
function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { field: string; oldValue: unknown; newValue: unknown }[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: { field: string; oldValue: unknown; newValue: unknown }[] = [];
  for (const field of fields) {
    const oldValue = before[field];
    const newValue = after[field];
    if (canonicalJson(oldValue) !== canonicalJson(newValue)) changes.push({ field, oldValue, newValue });
  }
  return changes;
}

/**
 * Checks a record with the domain's validator for its kind (every problem at once) and returns it.
 * @throws RecordValidationError.
 */
function validateRecord(
  kind: StoredRecordKind,
  config: TrialConfig,
  record: unknown,
  dischargeDate: string | undefined,
): unknown {
  switch (kind) {
    case 'screening':
      return validateScreeningEntry(record);
    case 'consent':
      return validateConsent(record);
    case 'baseline':
      return validateBaseline(config, record);
    case 'discharge':
      return validateDischarge(record);
    case 'assignment':
      return validatePeerWorkerAssignment(record);
    case 'contact':
      return validateContact(record, dischargeDate);
    case 'interview':
      return validateInterview(config, record);
    case 'service_use_review':
      return validateServiceUseReview(config, record);
    case 'service_use':
      return validateServiceUseEvent(record);
    case 'sae':
      return validateSeriousAdverseEvent(record);
    case 'withdrawal':
      return validateWithdrawal(record);
    case 'intervention_withdrawal':
      return validateInterventionWithdrawal(record);
    case 'death':
      return validateDeath(record);
    case 'fidelity_rating':
      return validateFidelityRating(record);
    case 'wellbeing':
      return validateWellbeingResponse(record);
    case 'wellbeing_norms':
      return validateWellbeingNorms(record);
    case 'wellbeing_pseudonym_key':
      return validateWellbeingPseudonymKey(record);
    case 'wellbeing_collection':
      return validateWellbeingCollection(record);
    case 'fidelity_index':
      return validateFidelityIndex(record);
    case 'recruitment_target':
      return validateRecruitmentTarget(record);
  }
}

/**
 * The TrialStore over an open database (SQLite or PostgreSQL, one query layer). Every write runs in one
 * serialised transaction: SQLite `BEGIN IMMEDIATE` (the database write lock, taken before anything is
 * read), PostgreSQL `SELECT ... FOR UPDATE` on the audit chain's head row (one writer at a time, across
 * processes). Inside it the store reads, checks, writes the data and appends the audit entries; any error
 * rolls all of it back.
 *
 * @example
 * const store = createSqlTrialStore(openDatabase({ kind: 'sqlite', path: 'trial.db' }),
 *   { now: () => new Date(), random: createSecureRandom() });
 */
export function createSqlTrialStore(database: OpenDatabase, options: TrialStoreOptions): TrialStore {
  const { db, dialect } = database;

  async function write<T>(actor: StoreActor, body: (context: WriteContext) => Promise<T>): Promise<T> {
    return db.connection().execute(async (connection) => {
      await sql.raw(dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(connection);
      try {
        let head = await (dialect === 'postgres'
          ? connection.selectFrom('audit_head').selectAll().where('id', '=', 1).forUpdate()
          : connection.selectFrom('audit_head').selectAll().where('id', '=', 1)
        ).executeTakeFirst();
        if (head === undefined) {
          throw new StorageError(
            'store_unavailable',
            'database requires the audit chain head (run enrich init)',
          );
        }
        const at = options.now().toISOString();
        const startSeq = Number(head.seq);
        // Entries are chained as they are made and inserted together before the commit (one multi-row
        // INSERT per AUDIT_INSERT_CHUNK entries instead of one statement each); nothing reads audit_log
        // inside a write.
        const pending: StoredAuditEntry[] = [];
        const contextFor = (who: StoreActor): WriteContext => ({
          db: connection,
          at,
          async audit(entry) {
            const current = head as { seq: number; hash: string };
            const content: Omit<StoredAuditEntry, 'hash'> = {
              seq: Number(current.seq) + 1,
              at,
              actor_id: who.userId,
              trial_id: entry.trialId,
              action: entry.action,
              entity: entry.entity,
              record_id: entry.recordId,
              field: entry.field,
              old_value: entry.oldValue === undefined ? null : canonicalJson(entry.oldValue),
              new_value: entry.newValue === undefined ? null : canonicalJson(entry.newValue),
              reason: entry.reason,
              reveals_allocation: entry.revealsAllocation === true ? 1 : 0,
              prev_hash: current.hash,
            };
            const hash = auditEntryHash(content);
            pending.push({ ...content, hash });
            head = { id: 1, seq: content.seq, hash };
          },
          as: contextFor,
        });
        const context = contextFor(actor);
        const result = await body(context);
        for (let start = 0; start < pending.length; start += AUDIT_INSERT_CHUNK) {
          await connection
            .insertInto('audit_log')
            .values(pending.slice(start, start + AUDIT_INSERT_CHUNK))
            .execute();
        }
        if (Number(head.seq) !== startSeq) {
          await connection
            .updateTable('audit_head')
            .set({ seq: head.seq, hash: head.hash })
            .where('id', '=', 1)
            .execute();
        }
        await sql.raw('commit').execute(connection);
        return result;
      } catch (error) {
        try {
          await sql.raw('rollback').execute(connection);
        } catch {
          // The transaction is already gone (connection lost); the original error says why.
        }
        throw error;
      }
    });
  }

  async function trialRow(source: Db, trialId: string): Promise<TrialsTable> {
    const row = await source
      .selectFrom('trials')
      .selectAll()
      .where('trial_id', '=', trialId)
      .executeTakeFirst();
    return requireTrialRow(trialId, row);
  }

  async function unlockedTrial(source: Db, trialId: string): Promise<TrialsTable> {
    return requireUnlockedTrialRow(trialId, await trialRow(source, trialId));
  }

  async function requireParticipant(source: Db, trialId: string, participantId: string): Promise<void> {
    const row = await source
      .selectFrom('participants')
      .select('participant_id')
      .where('trial_id', '=', trialId)
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (row === undefined) {
      throw new StorageError(
        'store_not_found',
        `participant "${participantId}" requires a randomised participant of trial "${trialId}" (got none)`,
      );
    }
  }

  async function findRecordRow(source: Db, trialId: string, kind: string, recordId: string) {
    return source
      .selectFrom('records')
      .selectAll()
      .where('trial_id', '=', trialId)
      .where('kind', '=', kind)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
  }

  /** Writes a record (insert or update) with one audit entry per changed field; returns the stored row. */
  async function putRecord(
    context: WriteContext,
    trialId: string,
    kind: string,
    recordId: string,
    participantId: string | null,
    data: Record<string, unknown>,
    actor: StoreActor,
    reason: string | null,
    existing: RecordsTable | undefined,
  ): Promise<RecordsTable> {
    const text = canonicalJson(data);
    if (existing === undefined) {
      const row: RecordsTable = {
        trial_id: trialId,
        kind,
        record_id: recordId,
        participant_id: participantId,
        data: text,
        version: 1,
        created_at: context.at,
        created_by: actor.userId,
        updated_at: context.at,
        updated_by: actor.userId,
      };
      await context.db.insertInto('records').values(row).execute();
      for (const field of Object.keys(data).sort()) {
        if (data[field] === undefined) continue;
        await context.audit({
          trialId,
          action: 'create',
          entity: kind,
          recordId,
          field,
          oldValue: undefined,
          newValue: data[field],
          reason,
          revealsAllocation: revealsAllocation(kind, field, data[field]),
        });
      }
      return row;
    }
    const before = JSON.parse(existing.data) as Record<string, unknown>;
    const changes = changedFields(before, data);
    if (changes.length === 0) return existing;
    const version = Number(existing.version) + 1;
    await context.db
      .updateTable('records')
      .set({
        data: text,
        version,
        participant_id: participantId,
        updated_at: context.at,
        updated_by: actor.userId,
      })
      .where('trial_id', '=', trialId)
      .where('kind', '=', kind)
      .where('record_id', '=', recordId)
      .execute();
    for (const change of changes) {
      await context.audit({
        trialId,
        action: 'update',
        entity: kind,
        recordId,
        field: change.field,
        oldValue: change.oldValue,
        newValue: change.newValue,
        reason,
        revealsAllocation:
          revealsAllocation(kind, change.field, change.oldValue) ||
          revealsAllocation(kind, change.field, change.newValue),
      });
    }
    return { ...existing, data: text, version, updated_at: context.at, updated_by: actor.userId };
  }

  /** One record write inside an open transaction (saveRecord, saveRecords). */
  async function saveRecordIn<K extends StoredRecordKind>(
    context: WriteContext,
    trialId: string,
    kind: K,
    record: StoredRecordTypes[K],
    change: ChangeContext,
  ): Promise<StoredRecord<K>> {
    const { recordId, participantId } = recordKey(kind, record);
    const trial = await unlockedTrial(context.db, trialId);
    if (change.guard !== undefined) {
      const guarded = await findRecordRow(context.db, trialId, change.guard.kind, change.guard.recordId);
      change.guard.check(guarded === undefined ? undefined : toStoredRecord(guarded));
    }
    if (participantId !== null) await requireParticipant(context.db, trialId, participantId);
    const discharge =
      kind === 'contact' && participantId !== null
        ? await findRecordRow(context.db, trialId, 'discharge', participantId)
        : undefined;
    const dischargeDate =
      discharge === undefined
        ? undefined
        : (JSON.parse(discharge.data) as { dischargeDate: string }).dischargeDate;
    const validated = validateRecord(kind, JSON.parse(trial.config) as TrialConfig, record, dischargeDate);
    const data = JSON.parse(canonicalJson(validated)) as Record<string, unknown>;
    const existing = await findRecordRow(context.db, trialId, kind, recordId);
    if (change.expectedVersion !== undefined) {
      const storedVersion = existing === undefined ? 0 : Number(existing.version);
      if (storedVersion !== change.expectedVersion) {
        throw new StorageError(
          'store_version_conflict',
          `${kind} record "${recordId}" requires version ${change.expectedVersion} to change (got version ${storedVersion}: someone changed it since it was read)`,
        );
      }
    }
    if (kind === 'screening') {
      const entry = data as unknown as ScreeningLogEntry;
      if (entry.trialId !== trialId) {
        throw new StorageError(
          'store_record_invalid',
          `screening record requires trialId "${trialId}" (got ${JSON.stringify(entry.trialId)})`,
        );
      }
      const stored = existing === undefined ? undefined : (JSON.parse(existing.data) as ScreeningLogEntry);
      if (
        (entry.outcome === 'randomised' ||
          entry.participantId !== undefined ||
          stored?.outcome === 'randomised') &&
        (stored?.outcome !== entry.outcome || stored?.participantId !== entry.participantId)
      ) {
        throw new StorageError(
          'store_record_invalid',
          `screening record "${recordId}" requires outcome "randomised" and participantId to be set by randomisation only`,
        );
      }
    }
    if (
      kind === 'consent' &&
      (await findRecordRow(context.db, trialId, 'screening', recordId)) === undefined
    ) {
      throw new StorageError(
        'store_not_found',
        `consent record requires a screening entry "${recordId}" in trial "${trialId}" (got none)`,
      );
    }
    let reason: string | null = change.reason?.trim() || null;
    if (existing !== undefined && changedFields(JSON.parse(existing.data), data).length > 0) {
      reason = requireReason(change, `changing ${kind} record "${recordId}"`);
    }
    const row = await putRecord(
      context,
      trialId,
      kind,
      recordId,
      participantId,
      data,
      change.actor,
      reason,
      existing,
    );
    return toStoredRecord<K>(row);
  }

  /**
   * Randomisations from concurrent callers are group-committed: while one batch is being written, the
   * next callers queue, and the next batch randomises all of them (in arrival order) in one serialised
   * transaction with one commit (one fsync on SQLite; one lock of the audit head on PostgreSQL) and a
   * fixed number of statements (see randomiseBatch). A refused request changes nothing and the others go
   * on; every caller gets its answer after the commit. Should a statement of the batch fail, nothing of it
   * was committed and each request is tried again alone, in its own transaction.
   */
  const runBatch = (jobs: readonly RandomiseJob[]) =>
    write((jobs[0] as RandomiseJob).actor, (context) =>
      randomiseBatch(context, jobs, options.random, dialect),
    );
  const randomiseQueue = createGroupCommit<RandomiseJob, RandomisationRecord>(async (jobs) => {
    if (jobs.length === 1) return runBatch(jobs);
    try {
      return await runBatch(jobs);
    } catch (batchError) {
      const results: Settled<RandomisationRecord>[] = [];
      let shared: unknown;
      for (const job of jobs) {
        if (shared !== undefined) {
          results.push({ ok: false, error: shared });
          continue;
        }
        try {
          const [result] = await runBatch([job]);
          results.push(result as Settled<RandomisationRecord>);
        } catch (error) {
          results.push({ ok: false, error });
          // A lock timeout or a lost connection is not this request's: the others get it too rather
          // than each waiting for it again.
          if (isUnavailable(error) && isUnavailable(batchError)) shared = error;
        }
      }
      return results;
    }
  });

  const store: TrialStore = {
    dialect,

    async createUser(user: NewUser, change: ChangeContext): Promise<User> {
      if (typeof user.username !== 'string' || !/^[A-Za-z0-9_.@-]{1,64}$/.test(user.username)) {
        throw new StorageError(
          'store_record_invalid',
          `username requires 1-64 letters, digits or _.@- (got ${JSON.stringify(user.username)})`,
        );
      }
      if (!(ROLES as readonly string[]).includes(user.role)) {
        throw new StorageError(
          'store_record_invalid',
          `user role requires one of ${ROLES.join(', ')} (got ${JSON.stringify(user.role)})`,
        );
      }
      if (!Array.isArray(user.sites) || !user.sites.every((site) => typeof site === 'string')) {
        throw new StorageError('store_record_invalid', 'user sites require a list of site names');
      }
      if (typeof user.password !== 'string' || user.password.length < 8) {
        throw new StorageError(
          'store_record_invalid',
          `password requires at least 8 characters (got ${typeof user.password === 'string' ? user.password.length : 'none'})`,
        );
      }
      const passwordHash = await hashPassword(user.password);
      return write(change.actor, async (context) => {
        const taken = await context.db
          .selectFrom('users')
          .select('user_id')
          .where('username', '=', user.username)
          .executeTakeFirst();
        if (taken !== undefined) {
          throw new StorageError(
            'store_conflict',
            `username "${user.username}" requires a name not yet taken`,
          );
        }
        const row = {
          user_id: randomUUID(),
          username: user.username,
          role: user.role,
          sites: JSON.stringify([...user.sites]),
          password_hash: passwordHash,
          created_at: context.at,
        };
        await context.db.insertInto('users').values(row).execute();
        for (const field of ['username', 'role', 'sites'] as const) {
          await context.audit({
            trialId: null,
            action: 'create',
            entity: 'user',
            recordId: row.user_id,
            field,
            oldValue: undefined,
            newValue: field === 'sites' ? user.sites : user[field],
            reason: change.reason ?? null,
          });
        }
        return toUser(row);
      });
    },

    async findUser(username: string): Promise<User | undefined> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },

    async verifyLogin(username: string, password: string): Promise<User | undefined> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      // An unknown user costs one scrypt too, so timing does not tell which usernames exist.
      const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      return row !== undefined && matches ? toUser(row) : undefined;
    },

    async createTrial(trialId: string, config: TrialConfig, change: ChangeContext): Promise<Trial> {
      if (typeof trialId !== 'string' || !TRIAL_ID.test(trialId)) {
        throw new StorageError(
          'store_record_invalid',
          `trial id requires 1-64 letters, digits, _ or - starting with a letter or digit (got ${JSON.stringify(trialId)})`,
        );
      }
      validateTrialConfig(config);
      const randomisationConfig = randomisationConfigOf(config);
      const state = createRandomisationState(randomisationConfig);
      return write(change.actor, async (context) => {
        const exists = await context.db
          .selectFrom('trials')
          .select('trial_id')
          .where('trial_id', '=', trialId)
          .executeTakeFirst();
        if (exists !== undefined) {
          throw new StorageError('store_conflict', `trial "${trialId}" requires an id not yet used`);
        }
        const row: TrialsTable = {
          trial_id: trialId,
          config: canonicalJson(config),
          created_at: context.at,
          created_by: change.actor.userId,
          settings_locked_at: null,
          locked_at: null,
          locked_by: null,
        };
        await context.db.insertInto('trials').values(row).execute();
        await context.db
          .insertInto('randomisation_states')
          .values({ trial_id: trialId, state: JSON.stringify(state), updated_at: context.at })
          .execute();
        await context.audit({
          trialId,
          action: 'create',
          entity: 'trial',
          recordId: trialId,
          field: 'config',
          oldValue: undefined,
          newValue: config,
          reason: change.reason ?? null,
        });
        return toTrial(row);
      });
    },

    async getTrial(trialId: string): Promise<Trial> {
      return toTrial(await trialRow(db, trialId));
    },

    async listTrials(): Promise<Trial[]> {
      const rows = await db.selectFrom('trials').selectAll().orderBy('trial_id').execute();
      return rows.map(toTrial);
    },

    async updateTrialConfig(trialId: string, config: TrialConfig, change: ChangeContext): Promise<Trial> {
      const reason = requireReason(change, `changing the configuration of trial "${trialId}"`);
      validateTrialConfig(config);
      const randomisationConfig = randomisationConfigOf(config);
      return write(change.actor, async (context) => {
        const row = await unlockedTrial(context.db, trialId);
        const before = JSON.parse(row.config) as TrialConfig;
        const settings = (value: TrialConfig) =>
          canonicalJson({ arms: value.arms, factors: value.factors, randomisation: value.randomisation });
        const settingsChanged = settings(before) !== settings(config);
        if (settingsChanged && row.settings_locked_at !== null) {
          throw new StorageError(
            'store_settings_locked',
            `trial "${trialId}" randomisation settings (arms, factors, method) are locked since the first allocation at ${row.settings_locked_at}`,
          );
        }
        const changes = changedFields(
          before as unknown as Record<string, unknown>,
          config as unknown as Record<string, unknown>,
        );
        if (changes.length === 0) return toTrial(row);
        await context.db
          .updateTable('trials')
          .set({ config: canonicalJson(config) })
          .where('trial_id', '=', trialId)
          .execute();
        if (settingsChanged) {
          await context.db
            .updateTable('randomisation_states')
            .set({
              state: JSON.stringify(createRandomisationState(randomisationConfig)),
              updated_at: context.at,
            })
            .where('trial_id', '=', trialId)
            .execute();
        }
        for (const item of changes) {
          await context.audit({
            trialId,
            action: 'update',
            entity: 'trial',
            recordId: trialId,
            field: `config.${item.field}`,
            oldValue: item.oldValue,
            newValue: item.newValue,
            reason,
          });
        }
        return toTrial({ ...row, config: canonicalJson(config) });
      });
    },

    async saveRecord<K extends StoredRecordKind>(
      trialId: string,
      kind: K,
      record: StoredRecordTypes[K],
      change: ChangeContext,
    ): Promise<StoredRecord<K>> {
      if (!STORED_RECORD_KINDS.includes(kind)) {
        throw new StorageError(
          'store_record_invalid',
          `record kind requires one of ${STORED_RECORD_KINDS.join(', ')} (got ${JSON.stringify(kind)})`,
        );
      }
      return write(change.actor, (context) => saveRecordIn(context, trialId, kind, record, change));
    },

    async saveRecords(
      trialId: string,
      records: readonly { readonly kind: StoredRecordKind; readonly record: unknown }[],
      change: ChangeContext,
    ): Promise<StoredRecord[]> {
      for (const item of records) {
        if (!STORED_RECORD_KINDS.includes(item.kind)) {
          throw new StorageError(
            'store_record_invalid',
            `record kind requires one of ${STORED_RECORD_KINDS.join(', ')} (got ${JSON.stringify(item.kind)})`,
          );
        }
      }
      return write(change.actor, async (context) => {
        const saved: StoredRecord[] = [];
        for (const item of records) {
          saved.push(
            await saveRecordIn(
              context,
              trialId,
              item.kind,
              item.record as StoredRecordTypes[StoredRecordKind],
              change,
            ),
          );
        }
        return saved;
      });
    },

    ...createServerTables({ db, dialect, now: options.now, write }),

    async findRecord<K extends StoredRecordKind>(
      trialId: string,
      kind: K,
      recordId: string,
    ): Promise<StoredRecord<K> | undefined> {
      const row = await findRecordRow(db, trialId, kind, recordId);
      return row === undefined ? undefined : toStoredRecord<K>(row);
    },

    async listRecords<K extends StoredRecordKind>(trialId: string, kind: K): Promise<StoredRecord<K>[]> {
      const rows = await db
        .selectFrom('records')
        .selectAll()
        .where('trial_id', '=', trialId)
        .where('kind', '=', kind)
        .orderBy('record_id')
        .execute();
      return rows.map((row) => toStoredRecord<K>(row));
    },

    async randomise(request: RandomiseRequest, actor: StoreActor): Promise<RandomisationRecord> {
      return randomiseQueue({ request, actor });
    },

    async listParticipants(trialId: string): Promise<Participant[]> {
      await trialRow(db, trialId);
      const rows = await db
        .selectFrom('participants')
        .innerJoin('allocations', (join) =>
          join
            .onRef('allocations.trial_id', '=', 'participants.trial_id')
            .onRef('allocations.participant_id', '=', 'participants.participant_id'),
        )
        .select([
          'participants.participant_id',
          'participants.screening_id',
          'participants.site',
          'participants.diagnosis_group',
        ])
        .where('participants.trial_id', '=', trialId)
        .orderBy('allocations.sequence')
        .execute();
      return rows.map((row) => ({
        participantId: row.participant_id,
        trialId,
        screeningId: row.screening_id,
        site: row.site,
        diagnosisGroup: row.diagnosis_group as DiagnosisGroup,
      }));
    },

    async listParticipantRecords(trialId: string): Promise<ParticipantRecords[]> {
      const participants = await store.listParticipants(trialId);
      const allocations = await db
        .selectFrom('allocations')
        .selectAll()
        .where('trial_id', '=', trialId)
        .execute();
      const records = await db
        .selectFrom('records')
        .selectAll()
        .where('trial_id', '=', trialId)
        .orderBy('kind')
        .orderBy('record_id')
        .execute();
      const allocationOf = new Map(allocations.map((row) => [row.participant_id, row]));
      const byParticipant = new Map<string, Map<string, unknown[]>>();
      const consentByScreening = new Map<string, unknown>();
      for (const row of records) {
        const data = JSON.parse(row.data) as unknown;
        if (row.kind === 'consent') consentByScreening.set(row.record_id, data);
        if (row.participant_id === null) continue;
        let kinds = byParticipant.get(row.participant_id);
        if (kinds === undefined) {
          kinds = new Map();
          byParticipant.set(row.participant_id, kinds);
        }
        const list = kinds.get(row.kind) ?? [];
        list.push(data);
        kinds.set(row.kind, list);
      }
      return participants.map((participant) => {
        const allocation = allocationOf.get(participant.participantId);
        if (allocation === undefined)
          throw new Error(`participant ${participant.participantId} has no allocation`);
        const kinds = byParticipant.get(participant.participantId) ?? new Map<string, unknown[]>();
        const all = <T>(kind: string) => (kinds.get(kind) ?? []) as T[];
        const one = <T>(kind: string) => all<T>(kind)[0];
        const consent = consentByScreening.get(participant.screeningId);
        const baseline = one<NonNullable<ParticipantRecords['baseline']>>('baseline');
        const discharge = one<NonNullable<ParticipantRecords['discharge']>>('discharge');
        const withdrawal = one<NonNullable<ParticipantRecords['withdrawal']>>('withdrawal');
        const interventionWithdrawal =
          one<NonNullable<ParticipantRecords['interventionWithdrawal']>>('intervention_withdrawal');
        const death = one<NonNullable<ParticipantRecords['death']>>('death');
        return {
          participant,
          ...(consent === undefined
            ? {}
            : { consent: consent as NonNullable<ParticipantRecords['consent']> }),
          ...(baseline === undefined ? {} : { baseline }),
          randomisation: {
            participantId: participant.participantId,
            sequence: Number(allocation.sequence),
            randomisedDate: allocation.randomised_date,
            randomisedAt: allocation.randomised_at,
            randomisedBy: allocation.randomised_by,
            strata: JSON.parse(allocation.strata) as Record<string, string>,
            method: allocation.method as RandomisationRecord['method'],
            arm: allocation.arm,
          },
          ...(discharge === undefined ? {} : { discharge }),
          assignments: all('assignment'),
          contacts: all('contact'),
          interviews: all('interview'),
          serviceUseReviews: all('service_use_review'),
          serviceUseEvents: all('service_use'),
          seriousAdverseEvents: all('sae'),
          ...(withdrawal === undefined ? {} : { withdrawal }),
          ...(interventionWithdrawal === undefined ? {} : { interventionWithdrawal }),
          ...(death === undefined ? {} : { death }),
        };
      });
    },

    async unblind(trialId: string, participantId: string, change: ChangeContext): Promise<{ arm: string }> {
      const reason = requireReason(change, `emergency unblinding of participant "${participantId}"`);
      return write(change.actor, async (context) => {
        await trialRow(context.db, trialId);
        const allocation = await context.db
          .selectFrom('allocations')
          .select('arm')
          .where('trial_id', '=', trialId)
          .where('participant_id', '=', participantId)
          .executeTakeFirst();
        if (allocation === undefined) {
          throw new StorageError(
            'store_not_found',
            `unblinding requires a randomised participant "${participantId}" in trial "${trialId}" (got none)`,
          );
        }
        await context.db
          .insertInto('records')
          .values({
            trial_id: trialId,
            kind: 'unblinding',
            record_id: `${participantId}/${context.at}/${randomUUID()}`,
            participant_id: participantId,
            data: canonicalJson({
              participantId,
              requestedBy: change.actor.userId,
              requestedAt: context.at,
              reason,
            }),
            version: 1,
            created_at: context.at,
            created_by: change.actor.userId,
            updated_at: context.at,
            updated_by: change.actor.userId,
          })
          .execute();
        await context.audit({
          trialId,
          action: 'unblind',
          entity: 'randomisation',
          recordId: participantId,
          field: 'arm',
          oldValue: undefined,
          newValue: allocation.arm,
          reason,
          revealsAllocation: true,
        });
        return { arm: allocation.arm };
      });
    },

    async lockTrial(trialId: string, change: ChangeContext): Promise<Trial> {
      if (change.actor.role !== 'trial_manager' && change.actor.role !== 'admin') {
        throw new StorageError(
          'store_forbidden',
          `locking trial "${trialId}" requires the trial_manager or admin role (got ${change.actor.role})`,
        );
      }
      return write(change.actor, async (context) => {
        const row = await unlockedTrial(context.db, trialId);
        await context.db
          .updateTable('trials')
          .set({ locked_at: context.at, locked_by: change.actor.userId })
          .where('trial_id', '=', trialId)
          .execute();
        await context.audit({
          trialId,
          action: 'lock',
          entity: 'trial',
          recordId: trialId,
          field: 'locked_at',
          oldValue: undefined,
          newValue: context.at,
          reason: change.reason ?? null,
        });
        return toTrial({ ...row, locked_at: context.at, locked_by: change.actor.userId });
      });
    },

    async recordExport(trialId: string, what: string, actor: StoreActor): Promise<void> {
      await write(actor, async (context) => {
        await trialRow(context.db, trialId);
        await context.audit({
          trialId,
          action: 'export',
          entity: 'trial',
          recordId: trialId,
          field: null,
          oldValue: undefined,
          newValue: what,
          reason: null,
        });
      });
    },

    async listAudit(query: {
      readonly trialId?: string;
      readonly viewer: Pick<User, 'role'>;
    }): Promise<AuditEntry[]> {
      let select = db.selectFrom('audit_log').selectAll().orderBy('seq');
      if (query.trialId !== undefined) select = select.where('trial_id', '=', query.trialId);
      const rows = await select.execute();
      const trials = await db.selectFrom('trials').select(['trial_id', 'locked_at']).execute();
      const locked = new Map(trials.map((row) => [row.trial_id, row.locked_at !== null]));
      const olderInterventionWithdrawal = olderInterventionWithdrawalEntries(rows);
      const entries: AuditEntry[] = [];
      for (const row of rows) {
        const context = { trialLocked: row.trial_id !== null && locked.get(row.trial_id) === true };
        // An entry about a withdrawal from the intervention written before migration 0005 (entity
        // `withdrawal`) is judged as the `intervention_withdrawal` record it was.
        const judged = olderInterventionWithdrawal.has(Number(row.seq))
          ? { ...row, entity: 'intervention_withdrawal' }
          : row;
        const visible =
          redactAuditEntry(query.viewer, judged, context) === undefined
            ? undefined
            : redactAuditEntry(query.viewer, row, context);
        if (visible === undefined) continue;
        const redacted =
          visible.old_value !== row.old_value ||
          visible.new_value !== row.new_value ||
          visible.actor_id !== row.actor_id;
        entries.push({
          seq: Number(row.seq),
          at: row.at,
          actorId: visible.actor_id,
          trialId: row.trial_id,
          action: row.action,
          entity: row.entity,
          recordId: visible.record_id,
          field: row.field,
          oldValue: visible.old_value === null ? null : (JSON.parse(visible.old_value) as unknown),
          newValue: visible.new_value === null ? null : (JSON.parse(visible.new_value) as unknown),
          reason: visible.reason,
          revealsAllocation: Number(row.reveals_allocation) === 1,
          redacted,
        });
      }
      return entries;
    },

    async verifyAudit(): Promise<AuditChainCheck> {
      const entries = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
      return verifyAuditEntries(entries, head ?? { seq: 0, hash: '' });
    },

    async close(): Promise<void> {
      await db.destroy();
    },
  };
  return store;
}

/**
 * The audit entries (by `seq`) about a withdrawal from the intervention stored before migration 0005 moved
 * it to its own kind: entity `withdrawal` while the record's scope was `intervention`. One write's entries
 * share their time, so a write that set the scope counts as of that scope for all its fields (a create lists
 * `dataUse` and `initiatedBy` before `scope`).
 */
function olderInterventionWithdrawalEntries(
  rows: readonly {
    seq: number | string | bigint;
    at: string;
    trial_id: string | null;
    entity: string;
    record_id: string | null;
    field: string | null;
    new_value: string | null;
  }[],
): Set<number> {
  const withdrawals = rows.filter((row) => row.entity === 'withdrawal');
  const writeKey = (row: (typeof withdrawals)[number]) =>
    `${row.trial_id}\u0000${row.record_id}\u0000${row.at}`;
  const scopeOfWrite = new Map<string, string | null>();
  for (const row of withdrawals) {
    if (row.field === 'scope') scopeOfWrite.set(writeKey(row), row.new_value);
    if (row.field === null && row.new_value !== null) {
      try {
        const scope = (JSON.parse(row.new_value) as { scope?: unknown } | null)?.scope;
        if (typeof scope === 'string') scopeOfWrite.set(writeKey(row), JSON.stringify(scope));
      } catch {
        // not a record: no scope
      }
    }
  }
  const scopeOfRecord = new Map<string, string | null>();
  const older = new Set<number>();
  for (const row of withdrawals) {
    const record = `${row.trial_id}\u0000${row.record_id}`;
    const key = writeKey(row);
    const scope = scopeOfWrite.has(key)
      ? (scopeOfWrite.get(key) ?? null)
      : (scopeOfRecord.get(record) ?? null);
    scopeOfRecord.set(record, scope);
    if (scope?.includes('"intervention"')) older.add(Number(row.seq));
  }
  return older;
}
