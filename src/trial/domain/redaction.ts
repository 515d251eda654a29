/**
 * What a blinded user may see of a record. Blinded users (`isBlinded`: researchers always; trial managers
 * and statisticians until the lock) never receive an allocation through any path:
 * - the arm (`ALLOCATION_FIELDS`) is removed from randomisation records and from any object they receive;
 * - records whose existence reveals the arm are withheld: peer worker assignments, contacts, and a
 *   withdrawal from the intervention only (kind `intervention_withdrawal`; only the peer support arm has an
 *   intervention to stop; an older store's `withdrawal` record with scope `intervention` is withheld too);
 * - a serious adverse event loses `relatedness` (related to peer support implies the arm);
 * - audit entries about those withheld records are withheld, and allocation values in any other entry
 *   are blanked;
 * - the analysis dataset loses `arm` and the intervention-received columns.
 * Unblinded users get every record unchanged.
 */

import { can, isBlinded } from './access-policy.ts';
import {
  ALLOCATION_FIELDS,
  type ParticipantRecords,
  type SeriousAdverseEvent,
  type User,
  type WithdrawalRecord,
} from './types.ts';

/** The kinds of trial record (also the `kind`/`entity` names storage uses for them). */
export const RECORD_KINDS = [
  'screening',
  'consent',
  'participant',
  'baseline',
  'randomisation',
  'discharge',
  'assignment',
  'contact',
  'interview',
  'service_use_review',
  'service_use',
  'sae',
  'withdrawal',
  'intervention_withdrawal',
  'death',
  'unblinding',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Record kinds whose mere existence reveals an allocation (only the peer support arm has them). */
export const ALLOCATION_REVEALING_KINDS: readonly RecordKind[] = [
  'assignment',
  'contact',
  'intervention_withdrawal',
];

/** Analysis-dataset columns a blinded export leaves out. */
export const BLINDED_EXPORT_EXCLUDED_COLUMNS = [
  'arm',
  'pw_contacts_hospital',
  'pw_contacts_community',
  'first_contact_minutes',
  'first_contact_relationship_activities',
] as const;

/** Whether a change to this record kind and field reveals an allocation (storage sets `reveals_allocation`). */
export function revealsAllocation(kind: string, field?: string | null, value?: unknown): boolean {
  if ((ALLOCATION_REVEALING_KINDS as readonly string[]).includes(kind)) return true;
  if (field !== undefined && field !== null && (ALLOCATION_FIELDS as readonly string[]).includes(field)) {
    return true;
  }
  if (kind === 'sae' && field === 'relatedness') return true;
  if (kind === 'randomisation' && (field === undefined || field === null)) return true;
  if (kind === 'withdrawal' && (field === 'scope' || field === undefined || field === null)) {
    return value === undefined || hasInterventionScope(value);
  }
  return false;
}

function hasInterventionScope(value: unknown): boolean {
  if (typeof value === 'string') return value === 'intervention' || value.includes('"intervention"');
  return (
    value !== null && typeof value === 'object' && (value as { scope?: unknown }).scope === 'intervention'
  );
}

/** Removes allocation fields from an object and the objects and arrays nested in it (returns copies). */
export function stripAllocationFields<T>(value: T): T {
  if (Array.isArray(value)) return value.map((element) => stripAllocationFields(element)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if ((ALLOCATION_FIELDS as readonly string[]).includes(key)) continue;
    copy[key] = stripAllocationFields(field);
  }
  return copy as T;
}

/** Context for redaction: the trial's lock decides whether trial managers and statisticians are blinded. */
export interface RedactionContext {
  readonly trialLocked: boolean;
}

/**
 * The record as `user` may see it, or `undefined` when a blinded user may not see it at all (see the module
 * comment). Unblinded users get the record itself.
 *
 * @example
 * redactForUser(researcher, 'randomisation', allocation, { trialLocked: false }); // no `arm` field
 * redactForUser(researcher, 'contact', contact, { trialLocked: false }); // undefined
 */
export function redactForUser<T>(
  user: Pick<User, 'role'>,
  kind: RecordKind,
  record: T,
  context: RedactionContext,
): T | undefined {
  if (!isBlinded(user, context.trialLocked)) return record;
  if (ALLOCATION_REVEALING_KINDS.includes(kind)) return undefined;
  if (kind === 'withdrawal' && hasInterventionScope(record)) return undefined;
  const stripped = stripAllocationFields(record);
  if (kind === 'sae' && stripped !== null && typeof stripped === 'object') {
    const { relatedness: _hidden, ...rest } = stripped as unknown as SeriousAdverseEvent;
    return rest as unknown as T;
  }
  return stripped;
}

/** A participant's records as a blinded user may see them: `randomisation` without `arm`, and so on. */
export type BlindedParticipantRecords = Omit<ParticipantRecords, 'randomisation' | 'seriousAdverseEvents'> & {
  readonly randomisation: Omit<ParticipantRecords['randomisation'], 'arm'>;
  readonly seriousAdverseEvents: readonly Omit<SeriousAdverseEvent, 'relatedness'>[];
};

/**
 * A participant's whole record set as `user` may see it: for blinded users without the arm, assignments,
 * contacts, SAE relatedness or a withdrawal from the intervention only.
 *
 * @example
 * redactParticipantRecords(researcher, records, { trialLocked: false }).contacts; // []
 */
export function redactParticipantRecords(
  user: Pick<User, 'role'>,
  records: ParticipantRecords,
  context: RedactionContext,
): ParticipantRecords | BlindedParticipantRecords {
  if (!isBlinded(user, context.trialLocked)) return records;
  const { withdrawal, interventionWithdrawal: _hidden, ...rest } = records;
  const visibleWithdrawal: WithdrawalRecord | undefined =
    withdrawal === undefined ? undefined : redactForUser(user, 'withdrawal', withdrawal, context);
  const redacted = {
    ...stripAllocationFields(rest),
    assignments: [],
    contacts: [],
    seriousAdverseEvents: records.seriousAdverseEvents.map(
      (event) => redactForUser(user, 'sae', event, context) as Omit<SeriousAdverseEvent, 'relatedness'>,
    ),
  };
  return visibleWithdrawal === undefined ? redacted : { ...redacted, withdrawal: visibleWithdrawal };
}

/** The fields of an audit entry that redaction reads (storage's `audit_log` row). */
export interface AuditEntryFields {
  readonly entity: string;
  readonly field: string | null;
  readonly old_value: string | null;
  readonly new_value: string | null;
  /** Set by storage when the entry was written; redaction also decides from entity and field itself. */
  readonly reveals_allocation?: number | boolean;
  /** Who, which record and why: withheld from every viewer for wellbeing questionnaires. */
  readonly actor_id?: string;
  readonly record_id?: string | null;
  readonly reason?: string | null;
}

/** The actor id shown for an audit entry whose author is withheld (wellbeing questionnaires). */
export const WITHHELD_ACTOR = 'withheld';

/**
 * An audit entry as `user` may see it: unchanged for users who may see allocations in the audit
 * (`view_audit_allocations`: administrators; trial managers after the lock); otherwise withheld when its
 * record kind reveals the arm (assignments, contacts, a withdrawal from the intervention), and with
 * `old_value`/`new_value` blanked (null) when it carries an allocation.
 *
 * @example
 * redactAuditEntry(trialManager, { entity: 'randomisation', field: 'arm', old_value: null, new_value: 'peer_support' }, { trialLocked: false });
 * // { entity: 'randomisation', field: 'arm', old_value: null, new_value: null }
 */
export function redactAuditEntry<T extends AuditEntryFields>(
  user: Pick<User, 'role'>,
  entry: T,
  context: RedactionContext,
): T | undefined {
  // Wellbeing answers are confidential to the peer worker, and the pseudonym key is a secret: no viewer
  // reads either in the audit trail. Who wrote the entry, its record id (`<worker id>/<timepoint>`) and the
  // reason for a change are withheld too: with them, an aggregate seen before and after one worker's
  // submission, or the export's pattern of timepoints, would point to that worker's answers.
  if (entry.entity === 'wellbeing' || entry.entity === 'wellbeing_pseudonym_key') {
    return {
      ...entry,
      old_value: null,
      new_value: null,
      actor_id: WITHHELD_ACTOR,
      record_id: null,
      reason: null,
    };
  }
  const probe: User = { userId: '', username: '', role: user.role, sites: [] };
  if (can(probe, 'view_audit_allocations', { kind: 'trial', trialLocked: context.trialLocked })) return entry;
  if ((ALLOCATION_REVEALING_KINDS as readonly string[]).includes(entry.entity)) return undefined;
  if (
    entry.entity === 'withdrawal' &&
    (hasInterventionScope(entry.new_value) || hasInterventionScope(entry.old_value))
  ) {
    return undefined;
  }
  const flagged =
    entry.reveals_allocation === true ||
    entry.reveals_allocation === 1 ||
    revealsAllocation(entry.entity, entry.field);
  if (entry.field !== null) return flagged ? { ...entry, old_value: null, new_value: null } : entry;
  if (!flagged && entry.entity !== 'sae') return entry;
  // A whole-record entry (field null): keep what it says, without the allocation-revealing fields.
  return {
    ...entry,
    old_value: redactJsonRecord(entry.entity, entry.old_value),
    new_value: redactJsonRecord(entry.entity, entry.new_value),
  };
}

/** A record stored as JSON text, without allocation fields (and SAE relatedness); null if not an object. */
function redactJsonRecord(entity: string, value: string | null): string | null {
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const stripped = stripAllocationFields(parsed) as Record<string, unknown>;
  if (entity === 'sae') delete stripped.relatedness;
  return JSON.stringify(stripped);
}

/**
 * Analysis-dataset rows without `arm` and the intervention-received columns (the blinded export).
 *
 * @example
 * blindAnalysisRows(rows)[0]?.arm; // undefined
 */
export function blindAnalysisRows<T extends Readonly<Record<string, unknown>>>(
  rows: readonly T[],
): Record<string, unknown>[] {
  return rows.map((row) => {
    const copy: Record<string, unknown> = { ...row };
    for (const column of BLINDED_EXPORT_EXCLUDED_COLUMNS) delete copy[column];
    return copy;
  });
}
