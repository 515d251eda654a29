/**
 * Helpers shared by the workflow routes (consent, baseline, discharge, peer support, follow-up, safety,
 * summaries): the participant a record belongs to, record envelopes in snake_case, versioned saves, and a
 * trial-wide snapshot for lists and summaries. Access decisions stay with `can()` (src/server/access.ts).
 */
import {
  type Action,
  can,
  type ParticipantRecords,
  type ParticipantResource,
  type RecordGuard,
  type ScreeningLogEntry,
  type StoredRecord,
  type StoredRecordKind,
  type StoredRecordTypes,
  type Trial,
  type TrialStore,
  type User,
} from '../trial/index.ts';
import { HttpError } from './errors.ts';
import type { LoadedParticipant } from './participant-view.ts';

/** An ISO date `YYYY-MM-DD` in a schema. */
export const DATE_SCHEMA = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/** `version` in a change body: the version read (absent = first entry, the record must not exist yet). */
export const versionProperty = {
  type: 'integer',
  minimum: 1,
  description: 'the version you read; omit on first entry (a stale version gets 409 store_version_conflict)',
} as const;

/** Free-form JSON object in a response (item responses, scores): kept as is by the serialiser. */
export const anyObject = { type: 'object', additionalProperties: true } as const;

/** The envelope every stored record answers with, plus its fields. */
export const recordEnvelopeProperties = {
  version: { type: 'integer' },
  updated_at: { type: 'string' },
  updated_by: { type: 'string' },
} as const;

/** A record answer schema: the envelope plus `properties`, anything else kept (`additionalProperties`). */
export function recordSchema(properties: Readonly<Record<string, unknown>> = {}) {
  return {
    type: 'object',
    additionalProperties: true,
    properties: { ...recordEnvelopeProperties, ...properties },
  } as const;
}

/** The store's actor for a user. */
export function actorOf(user: User) {
  return { userId: user.userId, role: user.role };
}

/** Today's date (UTC) by the server clock. */
export function todayOf(clock: () => Date): string {
  return clock().toISOString().slice(0, 10);
}

const KEEP_KEYS_UNDER = new Set(['responses', 'scores', 'subscales', 'strata', 'criteria', 'decrements']);

/** camelCase -> snake_case for one key. */
export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * A record's data with snake_case keys, recursively, except the keys inside item responses, scores,
 * strata and criteria (item and instrument ids are data, not field names).
 */
export function toSnake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnake);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[snakeKey(key)] = KEEP_KEYS_UNDER.has(key) ? field : toSnake(field);
  }
  return copy;
}

/** A stored record as the API answers it: snake_case fields plus `version`, `updated_at`, `updated_by`. */
export function recordBody<K extends StoredRecordKind>(
  stored: StoredRecord<K>,
  data: unknown = stored.data,
): Record<string, unknown> {
  return {
    ...(toSnake(data) as Record<string, unknown>),
    version: stored.version,
    updated_at: stored.updatedAt,
    updated_by: stored.updatedBy,
  };
}

/**
 * The participant id of a randomised participant.
 *
 * @throws HttpError 409 `conflict` when the participant is not randomised yet (records after randomisation
 *   are keyed by the participant id).
 */
export function requireRandomised(participant: LoadedParticipant, what: string): string {
  const participantId = participant.screening.data.participantId;
  if (participantId === undefined) {
    throw new HttpError(
      409,
      'conflict',
      `${what} requires a randomised participant (got status ${participant.screening.data.outcome === 'pending' ? 'eligible' : participant.screening.data.outcome})`,
    );
  }
  return participantId;
}

/**
 * Saves one record with optimistic concurrency: `version` absent = first entry (the record must not exist:
 * expected version 0), else the version read. A change after first entry requires `reason` (the store
 * refuses without: 422 `store_reason_required`); a stale version gets 409 `store_version_conflict`. `guard`:
 * a check on another record made inside the store's transaction ({@link ChangeContext.guard}).
 */
export function saveVersioned<K extends StoredRecordKind>(
  store: TrialStore,
  trial: Trial,
  kind: K,
  record: StoredRecordTypes[K],
  user: User,
  body: { version?: number; reason?: string },
  guard?: RecordGuard,
): Promise<StoredRecord<K>> {
  return store.saveRecord(trial.trialId, kind, record, {
    actor: actorOf(user),
    expectedVersion: body.version ?? 0,
    ...(body.reason === undefined ? {} : { reason: body.reason }),
    ...(guard === undefined ? {} : { guard }),
  });
}

/** The record of a kind for a participant, filtered from the trial's records. */
export async function recordsOf<K extends StoredRecordKind>(
  store: TrialStore,
  trialId: string,
  kind: K,
  participantId: string,
): Promise<StoredRecord<K>[]> {
  const records = await store.listRecords(trialId, kind);
  return records.filter(
    (record) => (record.data as { participantId?: string }).participantId === participantId,
  );
}

/** A 404 for a record of a participant (or one the caller may not know about). */
export function recordNotFound(what: string, id: string): HttpError {
  return new HttpError(404, 'not_found', `${what} "${id}" requires an existing record (got none)`);
}

/** Everything a trial-wide list or summary reads, loaded once (unblinded: callers must redact). */
export interface TrialSnapshot {
  readonly trial: Trial;
  readonly locked: boolean;
  readonly screenings: readonly StoredRecord<'screening'>[];
  readonly consents: ReadonlyMap<string, StoredRecord<'consent'>>;
  /** By participant id. */
  readonly records: ReadonlyMap<string, ParticipantRecords>;
  /** Peer workers ever assigned, by participant id. */
  readonly peerWorkers: ReadonlyMap<string, readonly string[]>;
}

/** Loads a {@link TrialSnapshot}. */
export async function loadSnapshot(store: TrialStore, trialId: string): Promise<TrialSnapshot> {
  const trial = await store.getTrial(trialId);
  const [screenings, consents, records] = await Promise.all([
    store.listRecords(trial.trialId, 'screening'),
    store.listRecords(trial.trialId, 'consent'),
    store.listParticipantRecords(trial.trialId),
  ]);
  const peerWorkers = new Map<string, string[]>();
  for (const record of records) {
    peerWorkers.set(
      record.participant.participantId,
      record.assignments.map((assignment) => assignment.peerWorkerId),
    );
  }
  return {
    trial,
    locked: trial.lockedAt !== undefined,
    screenings,
    consents: new Map(consents.map((consent) => [consent.recordId, consent])),
    records: new Map(records.map((record) => [record.participant.participantId, record])),
    peerWorkers,
  };
}

/** The access-policy resource of one screening entry in a snapshot. */
export function resourceIn(snapshot: TrialSnapshot, entry: ScreeningLogEntry): ParticipantResource {
  return {
    kind: 'participant',
    trialLocked: snapshot.locked,
    site: entry.site,
    peerWorkerIds:
      entry.participantId === undefined ? [] : (snapshot.peerWorkers.get(entry.participantId) ?? []),
  };
}

/**
 * Whether the role may do `action` on some participant at all (a probe at the user's own site, on their
 * caseload): 403 for roles that never may, so a list is not silently empty for them.
 *
 * @throws HttpError 403 `forbidden`.
 */
export function requireParticipantRole(user: User, action: Action, trialLocked: boolean): void {
  const probe: ParticipantResource = {
    kind: 'participant',
    trialLocked,
    site: user.sites[0] ?? '',
    peerWorkerIds: [user.userId],
  };
  if (can(user, action, probe)) return;
  throw new HttpError(
    403,
    'forbidden',
    `${action} requires a role allowed to ${action.replaceAll('_', ' ')}${trialLocked ? ' (the trial is locked)' : ''} (got ${user.role})`,
  );
}

/** Query `site_id` filter schema piece. */
export const siteQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    site_id: { type: 'string', minLength: 1, maxLength: 64 },
    on: DATE_SCHEMA,
  },
} as const;
