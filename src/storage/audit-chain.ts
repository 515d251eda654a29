import { createHash } from 'node:crypto';

/** The `prev_hash` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** One audit entry as a write appends it, before the store numbers and chains it. */
export interface PendingAuditEntry {
  readonly trialId: string | null;
  readonly action: string;
  readonly entity: string;
  readonly recordId: string | null;
  readonly field: string | null;
  readonly oldValue: unknown;
  readonly newValue: unknown;
  readonly reason: string | null;
  readonly revealsAllocation?: boolean;
}

/** One stored audit entry, as in the `audit_log` table. */
export interface StoredAuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor_id: string;
  readonly trial_id: string | null;
  readonly action: string;
  readonly entity: string;
  readonly record_id: string | null;
  readonly field: string | null;
  readonly old_value: string | null;
  readonly new_value: string | null;
  readonly reason: string | null;
  readonly reveals_allocation: number;
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * The canonical serialisation that an entry's hash covers: a JSON array of every column except `hash`, in a
 * fixed order (so no key ordering or whitespace question arises). Values are hashed exactly as stored.
 */
export function canonicalAuditEntry(entry: Omit<StoredAuditEntry, 'hash'>): string {
  return JSON.stringify([
    entry.seq,
    entry.at,
    entry.actor_id,
    entry.trial_id,
    entry.action,
    entry.entity,
    entry.record_id,
    entry.field,
    entry.old_value,
    entry.new_value,
    entry.reason,
    Number(entry.reveals_allocation),
    entry.prev_hash,
  ]);
}

/**
 * SHA-256 (hex) of an entry's canonical serialisation.
 *
 * @example
 * auditEntryHash({ ...entry, seq: 1, prev_hash: GENESIS_HASH }); // 64 hex digits
 */
export function auditEntryHash(entry: Omit<StoredAuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditEntry(entry), 'utf8').digest('hex');
}

/** The outcome of checking the chain: intact with its entry count and head hash, or the first bad entry. */
export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly entries: number;
      /** The number (`seq`) of the first entry that fails, or of the missing one. */
      readonly firstBadSeq: number;
      readonly problem: string;
    };

/**
 * Checks entries (in the order read, by `seq`) against the chain: numbers run 1, 2, 3 ... without gaps,
 * each entry's `prev_hash` is the previous entry's hash (the first: {@link GENESIS_HASH}), each `hash`
 * matches the entry's content, and the head (last number and hash, kept in `audit_head`) matches the last
 * entry. An edited entry fails its own hash; a deleted one leaves a gap (or a short head); a reordered one
 * breaks the link from its successor. Reports the first failure only. O(entries).
 *
 * @example
 * verifyAuditEntries(rows, head); // { ok: true, entries: 412, headHash: '5639ff...' }
 */
export function verifyAuditEntries(
  entries: readonly StoredAuditEntry[],
  head: { readonly seq: number; readonly hash: string },
): AuditVerification {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    const seq = Number(entry.seq);
    const fail = (firstBadSeq: number, problem: string): AuditVerification => ({
      ok: false,
      entries: entries.length,
      firstBadSeq,
      problem,
    });
    if (seq !== expectedSeq) {
      return fail(expectedSeq, `audit entry ${expectedSeq} is missing (the next entry found is ${seq})`);
    }
    if (entry.prev_hash !== previousHash) {
      return fail(
        seq,
        `audit entry ${seq} does not follow entry ${seq - 1} (its previous-entry hash differs)`,
      );
    }
    const { hash, ...content } = entry;
    if (auditEntryHash(content) !== hash) {
      return fail(seq, `audit entry ${seq} was changed after it was written (its hash does not match)`);
    }
    previousHash = hash;
    expectedSeq += 1;
  }
  const lastSeq = expectedSeq - 1;
  if (Number(head.seq) !== lastSeq || head.hash !== previousHash) {
    return {
      ok: false,
      entries: entries.length,
      firstBadSeq: Math.min(Number(head.seq), lastSeq) + 1,
      problem:
        Number(head.seq) > lastSeq
          ? `audit entries ${lastSeq + 1} to ${head.seq} are missing (the chain head records ${head.seq} entries)`
          : `the audit chain head does not match entry ${lastSeq} (it records ${head.seq} entries)`,
    };
  }
  return { ok: true, entries: entries.length, headHash: previousHash };
}
