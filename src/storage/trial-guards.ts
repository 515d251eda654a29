import { StorageError } from './errors.ts';

/** The lock columns of a `trials` row. */
interface TrialLockColumns {
  readonly locked_at: string | null;
  readonly locked_by: string | null;
}

/**
 * The trial's row, or the store's "no such trial" error.
 * @throws StorageError `store_not_found` when `row` is undefined.
 */
export function requireTrialRow<T>(trialId: string, row: T | undefined): T {
  if (row === undefined) {
    throw new StorageError('store_not_found', `trial "${trialId}" requires an existing trial (got none)`);
  }
  return row;
}

/**
 * The trial's row when it exists and is not locked: every write checks this inside its transaction.
 * @throws StorageError `store_not_found`, or `store_trial_locked` naming when and by whom it was locked.
 */
export function requireUnlockedTrialRow<T extends TrialLockColumns>(trialId: string, row: T | undefined): T {
  const trial = requireTrialRow(trialId, row);
  if (trial.locked_at !== null) {
    throw new StorageError(
      'store_trial_locked',
      `trial "${trialId}" is locked (database lock at ${trial.locked_at} by ${trial.locked_by}): no change is accepted`,
    );
  }
  return trial;
}
