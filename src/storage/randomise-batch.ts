import type { Kysely } from 'kysely';
import type {
  DiagnosisGroup,
  RandomisationRecord,
  RandomiseRequest,
  ScreeningLogEntry,
  StoreActor,
  TrialConfig,
} from '../trial/index.ts';
import {
  allocate,
  DIAGNOSIS_GROUPS,
  evaluateEligibility,
  type RandomisationState,
  type RandomSource,
  randomisationConfigOf,
  revealsAllocation,
} from '../trial/index.ts';
import type { PendingAuditEntry } from './audit-chain.ts';
import { canonicalJson } from './canonical-json.ts';
import { StorageError } from './errors.ts';
import type { Settled } from './group-commit.ts';
import type { DatabaseSchema, RecordsTable, TrialsTable } from './schema.ts';
import { requireTrialRow, requireUnlockedTrialRow } from './trial-guards.ts';

type Db = Kysely<DatabaseSchema>;

/** What a batch needs from the store's write transaction (see `write` in sql-trial-store.ts). */
export interface BatchWriteContext {
  readonly db: Db;
  readonly at: string;
  audit(entry: PendingAuditEntry): Promise<void>;
  /** The same transaction with another actor on its audit entries. */
  as(actor: StoreActor): BatchWriteContext;
}

/** One caller's randomisation in a batch. */
export interface RandomiseJob {
  readonly request: RandomiseRequest;
  readonly actor: StoreActor;
}

const PARTICIPANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Rows per multi-row INSERT (at most 10 columns: well under both databases' parameter limits). */
const INSERT_CHUNK = 200;

/** Freezes a parsed value and everything in it, so a shared copy cannot be changed by one of its users. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

let lastConfigText = '';
let lastConfig: TrialConfig | undefined;

/**
 * A trial's configuration parsed from its stored text, kept (frozen) for the next call with the same text:
 * every API request and every randomisation reads it, and parsing it cost about 0.1 ms each time.
 */
export function parseConfig(text: string): TrialConfig {
  if (lastConfig === undefined || text !== lastConfigText) {
    lastConfig = deepFreeze(JSON.parse(text) as TrialConfig);
    lastConfigText = text;
  }
  return lastConfig;
}

function chunks<T>(rows: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    result.push(rows.slice(start, start + INSERT_CHUNK));
  }
  return result;
}

/** What one trial looks like inside a batch: read once, then changed in memory job by job. */
interface TrialInBatch {
  readonly row: TrialsTable;
  readonly config: TrialConfig;
  state: RandomisationState;
  stateChanged: boolean;
  settingsLocked: boolean;
}

/**
 * Randomises a batch of requests inside one open write transaction, with a fixed number of statements
 * whatever the batch size: the trials, their randomisation states (PostgreSQL: `FOR UPDATE`), the
 * screening and consent records, and the participants already made are read with one query each; every
 * request is then checked and allocated in memory in arrival order (each seeing the ones before it: a
 * person sent twice is refused the second time, sequence numbers follow on); and the new participants,
 * allocations, screening updates, states and audit entries are written with one multi-row statement
 * each. A refused request changes nothing (every check comes before its first write), so the others
 * go on. The checks, their order and their messages are those of a single randomisation.
 *
 * @returns one outcome per job, in order. Throws only when a statement fails (the caller then rolls the
 *   whole transaction back).
 */
export async function randomiseBatch(
  context: BatchWriteContext,
  jobs: readonly RandomiseJob[],
  random: RandomSource,
  dialect: 'sqlite' | 'postgres',
): Promise<Settled<RandomisationRecord>[]> {
  const { db, at } = context;
  const valid = jobs.filter(
    (job) => typeof job.request.trialId === 'string' && typeof job.request.screeningId === 'string',
  );
  const trialIds = [...new Set(valid.map((job) => job.request.trialId))];
  const screeningIds = [...new Set(valid.map((job) => job.request.screeningId))];
  const trials = new Map<string, TrialInBatch>();
  const screenings = new Map<string, RecordsTable>();
  const consents = new Set<string>();
  const consentData = new Map<string, unknown>();
  const earlier = new Map<string, string>();
  const taken = new Set<string>();
  const key = (trialId: string, id: string) => `${trialId}\u0000${id}`;
  if (trialIds.length > 0) {
    const trialRows = await db.selectFrom('trials').selectAll().where('trial_id', 'in', trialIds).execute();
    const stateQuery = db.selectFrom('randomisation_states').selectAll().where('trial_id', 'in', trialIds);
    // The audit head lock already serialises every writer; on PostgreSQL the state rows are locked as
    // well, so the allocation stays exactly-once even if a future write path skipped the head.
    const stateRows = await (dialect === 'postgres' ? stateQuery.forUpdate() : stateQuery).execute();
    const states = new Map(stateRows.map((row) => [row.trial_id, row.state]));
    for (const row of trialRows) {
      const state = states.get(row.trial_id);
      if (state === undefined) continue;
      trials.set(row.trial_id, {
        row,
        config: parseConfig(row.config),
        state: JSON.parse(state) as RandomisationState,
        stateChanged: false,
        settingsLocked: row.settings_locked_at !== null,
      });
    }
    const records = await db
      .selectFrom('records')
      .selectAll()
      .where('trial_id', 'in', trialIds)
      .where('kind', 'in', ['screening', 'consent'])
      .where('record_id', 'in', screeningIds)
      .execute();
    for (const row of records) {
      if (row.kind === 'screening') screenings.set(key(row.trial_id, row.record_id), row);
      else {
        consents.add(key(row.trial_id, row.record_id));
        consentData.set(key(row.trial_id, row.record_id), JSON.parse(row.data));
      }
    }
    const already = await db
      .selectFrom('participants')
      .select(['trial_id', 'participant_id', 'screening_id'])
      .where('trial_id', 'in', trialIds)
      .where('screening_id', 'in', screeningIds)
      .execute();
    for (const row of already) earlier.set(key(row.trial_id, row.screening_id), row.participant_id);
    // The ids the batch may give: the next sequence numbers' default ids and any requested ones.
    const candidates = new Set<string>();
    for (const [trialId, trial] of trials) {
      const count = valid.filter((job) => job.request.trialId === trialId).length;
      for (let offset = 1; offset <= count; offset++) {
        candidates.add(`P${String(trial.state.sequence + offset).padStart(4, '0')}`);
      }
    }
    for (const job of valid) {
      if (typeof job.request.participantId === 'string') candidates.add(job.request.participantId);
    }
    if (candidates.size > 0) {
      const rows = await db
        .selectFrom('participants')
        .select(['trial_id', 'participant_id'])
        .where('trial_id', 'in', trialIds)
        .where('participant_id', 'in', [...candidates])
        .execute();
      for (const row of rows) taken.add(key(row.trial_id, row.participant_id));
    }
  }

  const participants: DatabaseSchema['participants'][] = [];
  const allocations: DatabaseSchema['allocations'][] = [];
  const screeningUpdates: RecordsTable[] = [];
  const results: Settled<RandomisationRecord>[] = [];
  for (const job of jobs) {
    let outcome: ReturnType<typeof randomiseOne>;
    try {
      outcome = randomiseOne(job);
    } catch (error) {
      results.push({ ok: false, error });
      continue;
    }
    await writeAudit(job.actor, outcome.record, outcome.screening, outcome.before, outcome.after);
    results.push({ ok: true, value: outcome.record });
  }

  function randomiseOne(job: RandomiseJob) {
    const { request, actor } = job;
    const { trialId, screeningId } = request;
    const refuse = (message: string): never => {
      throw new StorageError('store_randomisation_refused', message);
    };
    const trial = requireTrialRow(trialId, typeof trialId === 'string' ? trials.get(trialId) : undefined);
    requireUnlockedTrialRow(trialId, trial.row);
    const { config } = trial;
    const screeningRow = screenings.get(key(trialId, screeningId));
    if (screeningRow === undefined) {
      throw new StorageError(
        'store_not_found',
        `randomisation requires a screening entry "${screeningId}" in trial "${trialId}" (got none)`,
      );
    }
    const screening = JSON.parse(screeningRow.data) as ScreeningLogEntry;
    const earlierId = earlier.get(key(trialId, screeningId));
    if (earlierId !== undefined || screening.outcome === 'randomised') {
      throw new StorageError(
        'store_already_randomised',
        `screening entry "${screeningId}" was already randomised as participant "${earlierId ?? screening.participantId}": a person is randomised at most once`,
      );
    }
    if (screening.outcome !== 'pending') {
      refuse(
        `randomisation requires a screening outcome of pending (got "${screening.outcome}" for "${screeningId}")`,
      );
    }
    if (!consents.has(key(trialId, screeningId))) {
      refuse(`randomisation requires recorded consent (got none for "${screeningId}")`);
    }
    const eligibility = evaluateEligibility(
      config,
      screening,
      consentData.get(key(trialId, screeningId)) as Parameters<typeof evaluateEligibility>[2],
    );
    if (!eligibility.eligible) {
      refuse(
        `randomisation requires an eligible person (got "${screeningId}" not meeting ${eligibility.reasons.map((reason) => `${reason.ruleId} (${reason.status})`).join(', ')})`,
      );
    }
    const strata = request.strata;
    const hasFactor = (name: string) => config.factors.some((factor) => factor.name === name);
    if (
      hasFactor('site') &&
      strata !== null &&
      typeof strata === 'object' &&
      strata.site !== screening.site
    ) {
      refuse(
        `randomisation requires the confirmed site to match the screening site "${screening.site}" (got ${JSON.stringify(strata.site)})`,
      );
    }
    let diagnosisGroup: DiagnosisGroup = 'other';
    if (hasFactor('diagnosis_group')) {
      const value = strata?.diagnosis_group;
      if (!(DIAGNOSIS_GROUPS as readonly unknown[]).includes(value)) {
        refuse(
          `randomisation requires a confirmed diagnosis_group of ${DIAGNOSIS_GROUPS.join(', ')} (got ${JSON.stringify(value)})`,
        );
      }
      diagnosisGroup = value as DiagnosisGroup;
    }
    const step = allocate(randomisationConfigOf(config), trial.state, strata, random);
    const sequence = step.allocation.sequence;
    const participantId = request.participantId ?? `P${String(sequence).padStart(4, '0')}`;
    if (typeof participantId !== 'string' || !PARTICIPANT_ID.test(participantId)) {
      throw new StorageError(
        'store_record_invalid',
        `participant id requires 1-64 letters, digits, _ or - (got ${JSON.stringify(participantId)})`,
      );
    }
    if (taken.has(key(trialId, participantId))) {
      throw new StorageError(
        'store_conflict',
        `participant id "${participantId}" requires an id not yet used`,
      );
    }
    // Accepted: from here on nothing can refuse it. The batch's view of the trial moves on.
    trial.state = step.nextState;
    trial.stateChanged = true;
    taken.add(key(trialId, participantId));
    earlier.set(key(trialId, screeningId), participantId);
    const randomisedDate = at.slice(0, 10);
    const strataCopy = Object.fromEntries(
      config.factors.map((factor) => [factor.name, strata[factor.name] as string]),
    );
    participants.push({
      trial_id: trialId,
      participant_id: participantId,
      screening_id: screeningId,
      site: screening.site,
      diagnosis_group: diagnosisGroup,
      created_at: at,
    });
    allocations.push({
      trial_id: trialId,
      participant_id: participantId,
      sequence,
      arm: step.allocation.arm,
      stratum: step.allocation.stratum,
      strata: canonicalJson(strataCopy),
      method: config.randomisation.kind,
      randomised_date: randomisedDate,
      randomised_at: at,
      randomised_by: actor.userId,
    });
    const before = JSON.parse(canonicalJson(screening)) as Record<string, unknown>;
    const after = JSON.parse(canonicalJson({ ...screening, outcome: 'randomised', participantId })) as Record<
      string,
      unknown
    >;
    const updated: RecordsTable = {
      ...screeningRow,
      data: canonicalJson(after),
      version: Number(screeningRow.version) + 1,
      participant_id: null,
      updated_at: at,
      updated_by: actor.userId,
    };
    screeningUpdates.push(updated);
    screenings.set(key(trialId, screeningId), updated);
    const record: RandomisationRecord = {
      participantId,
      sequence,
      randomisedDate,
      randomisedAt: at,
      randomisedBy: actor.userId,
      strata: strataCopy,
      method: config.randomisation.kind,
      arm: step.allocation.arm,
    };
    return {
      record,
      screening: { trialId, screeningId, site: screening.site, diagnosisGroup },
      before,
      after,
    };
  }

  /** The audit entries of one randomisation, in the order a single randomisation has always written them. */
  async function writeAudit(
    actor: StoreActor,
    record: RandomisationRecord,
    screening: { trialId: string; screeningId: string; site: string; diagnosisGroup: DiagnosisGroup },
    before: Record<string, unknown>,
    after: Record<string, unknown>,
  ): Promise<void> {
    const audit = context.as(actor);
    const { trialId, screeningId } = screening;
    for (const [field, value] of Object.entries({
      screeningId,
      site: screening.site,
      diagnosisGroup: screening.diagnosisGroup,
    })) {
      await audit.audit({
        trialId,
        action: 'create',
        entity: 'participant',
        recordId: record.participantId,
        field,
        oldValue: undefined,
        newValue: value,
        reason: null,
      });
    }
    for (const field of ['sequence', 'strata', 'method', 'randomisedAt', 'arm'] as const) {
      await audit.audit({
        trialId,
        action: 'randomise',
        entity: 'randomisation',
        recordId: record.participantId,
        field,
        oldValue: undefined,
        newValue: record[field],
        reason: null,
        revealsAllocation: revealsAllocation('randomisation', field),
      });
    }
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const field of fields) {
      const oldValue = before[field];
      const newValue = after[field];
      if (canonicalJson(oldValue) === canonicalJson(newValue)) continue;
      await audit.audit({
        trialId,
        action: 'update',
        entity: 'screening',
        recordId: screeningId,
        field,
        oldValue,
        newValue,
        reason: 'randomised',
        revealsAllocation:
          revealsAllocation('screening', field, oldValue) || revealsAllocation('screening', field, newValue),
      });
    }
  }

  for (const rows of chunks(participants)) await db.insertInto('participants').values(rows).execute();
  for (const rows of chunks(allocations)) await db.insertInto('allocations').values(rows).execute();
  // A person is in a batch at most once (a second request was refused above), so each row is updated once.
  for (const rows of chunks(screeningUpdates)) {
    await db
      .insertInto('records')
      .values(rows)
      .onConflict((conflict) =>
        conflict.columns(['trial_id', 'kind', 'record_id']).doUpdateSet((update) => ({
          data: update.ref('excluded.data'),
          version: update.ref('excluded.version'),
          participant_id: update.ref('excluded.participant_id'),
          updated_at: update.ref('excluded.updated_at'),
          updated_by: update.ref('excluded.updated_by'),
        })),
      )
      .execute();
  }
  for (const [trialId, trial] of trials) {
    if (!trial.stateChanged) continue;
    await db
      .updateTable('randomisation_states')
      .set({ state: JSON.stringify(trial.state), updated_at: at })
      .where('trial_id', '=', trialId)
      .execute();
    if (!trial.settingsLocked) {
      await db
        .updateTable('trials')
        .set({ settings_locked_at: at })
        .where('trial_id', '=', trialId)
        .execute();
    }
  }
  return results;
}
