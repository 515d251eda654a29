import { createHmac } from 'node:crypto';
import { PLACEHOLDER_COHORT_MEASURES } from '../analysis/index.ts';
import { StorageError } from '../storage/index.ts';
import {
  can,
  explainDenial,
  type RandomSource,
  type StoreActor,
  type Trial,
  type TrialStore,
  type User,
  WELLBEING_TRIAL_RECORD_ID,
} from '../trial/index.ts';
import { randomToken } from './secrets.ts';

/** The measures of the in-app questionnaires (placeholders until the licensed measures replace them). */
const MEASURES = PLACEHOLDER_COHORT_MEASURES;

/**
 * A worker's pseudonym in the wellbeing export: `pw-` and the first 16 hex digits (64 bits) of
 * HMAC-SHA256(trial key, `<trialId>:<workerId>`). Stable for a trial (the key is stored once), and without
 * the key nobody can tell which user it stands for, even knowing every user id.
 * @example pseudonymOf(key, 'enrich', 'U-0123456789').length; // 19
 */
export function pseudonymOf(key: string, trialId: string, workerId: string): string {
  const digest = createHmac('sha256', Buffer.from(key, 'base64url'))
    .update(`${trialId}:${workerId}`, 'utf8')
    .digest('hex');
  return `pw-${digest.slice(0, 16)}`;
}

/**
 * The trial's pseudonym key, made (32 random bytes, audited, its value blanked in the audit) when missing.
 * The first questionnaire makes it, so it exists before the lock; two first writers at once both end up with
 * the one stored key. `undefined` when it is missing and the trial is locked (a locked trial takes no record).
 */
export async function ensureWellbeingPseudonymKey(
  store: TrialStore,
  trial: Trial,
  actor: StoreActor,
  random: RandomSource,
): Promise<string | undefined> {
  const existing = await store.findRecord(
    trial.trialId,
    'wellbeing_pseudonym_key',
    WELLBEING_TRIAL_RECORD_ID,
  );
  if (existing !== undefined) return existing.data.key;
  if (trial.lockedAt !== undefined) return undefined;
  try {
    const saved = await store.saveRecord(
      trial.trialId,
      'wellbeing_pseudonym_key',
      { keyId: WELLBEING_TRIAL_RECORD_ID, key: randomToken(random, 32) },
      { actor, expectedVersion: 0 },
    );
    return saved.data.key;
  } catch (error) {
    if (!(error instanceof StorageError && error.code === 'store_version_conflict')) throw error;
    const stored = await store.findRecord(
      trial.trialId,
      'wellbeing_pseudonym_key',
      WELLBEING_TRIAL_RECORD_ID,
    );
    return stored?.data.key;
  }
}

/** The pseudonymised questionnaire file and what it holds. */
export interface WellbeingExport {
  readonly csv: string;
  /** Questionnaires (worker × timepoint rows). */
  readonly questionnaires: number;
  /** Distinct peer workers. */
  readonly workers: number;
}

/** The columns of `enrich cohort`'s questionnaire file: worker_id, timepoint, then every item id. */
export const WELLBEING_EXPORT_COLUMNS: readonly string[] = [
  'worker_id',
  'timepoint',
  ...MEASURES.flatMap((measure) => measure.items.map((item) => item.id)),
];

/**
 * The submitted in-app wellbeing questionnaires as the questionnaire file `enrich cohort` reads (one row per
 * worker × timepoint, one column per item, an unanswered item empty), with each worker id replaced by
 * {@link pseudonymOf}; rows sorted by pseudonym and timepoint so their order says nothing about who joined
 * when. Allowed by `export_wellbeing` (statistician, administrator) only, and audited (who, when).
 * @throws StorageError `store_forbidden` naming the rule; `store_not_found` for an unknown trial;
 *   `store_trial_locked` when questionnaires exist without a key and the trial is locked.
 * @example const { csv } = await exportWellbeingCsv(store, 'enrich', statistician, random);
 */
export async function exportWellbeingCsv(
  store: TrialStore,
  trialId: string,
  viewer: User,
  random: RandomSource,
): Promise<WellbeingExport> {
  const trial = await store.getTrial(trialId);
  const resource = { kind: 'trial', trialLocked: trial.lockedAt !== undefined } as const;
  if (!can(viewer, 'export_wellbeing', resource)) {
    throw new StorageError(
      'store_forbidden',
      explainDenial(viewer, 'export_wellbeing', resource) ?? 'export_wellbeing',
    );
  }
  const actor = { userId: viewer.userId, role: viewer.role };
  const records = (await store.listRecords(trialId, 'wellbeing')).filter((record) => record.data.submitted);
  let rows: string[][] = [];
  if (records.length > 0) {
    const key = await ensureWellbeingPseudonymKey(store, trial, actor, random);
    if (key === undefined) {
      throw new StorageError(
        'store_trial_locked',
        `the wellbeing export requires the trial's pseudonym key, made with the first questionnaire (got none, and trial "${trialId}" is locked: no key can be added)`,
      );
    }
    const items = WELLBEING_EXPORT_COLUMNS.slice(2);
    rows = records
      .map((record) => [
        pseudonymOf(key, trialId, record.data.workerId),
        String(record.data.timepoint),
        ...items.map((item) => {
          const answer = record.data.answers[item];
          return answer === null || answer === undefined ? '' : String(answer);
        }),
      ])
      .sort((a, b) =>
        (a[0] as string) < (b[0] as string)
          ? -1
          : (a[0] as string) > (b[0] as string)
            ? 1
            : Number(a[1]) - Number(b[1]),
      );
  }
  await store.recordExport(trialId, 'wellbeing questionnaires (pseudonymised)', actor);
  return {
    csv: `${[WELLBEING_EXPORT_COLUMNS, ...rows].map((row) => row.join(',')).join('\n')}\n`,
    questionnaires: rows.length,
    workers: new Set(rows.map((row) => row[0])).size,
  };
}
