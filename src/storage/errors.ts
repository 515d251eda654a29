/** Errors raised by the storage layer; `code` values are listed in docs/reference/errors.md. */

/** Every storage error code and when it is raised (the errors doc lists the same). */
export const STORAGE_ERROR_CODES = [
  { code: 'store_unavailable', when: 'the database cannot be opened or reached, or was never initialised' },
  { code: 'store_not_found', when: 'a trial, participant or referenced record does not exist' },
  { code: 'store_conflict', when: 'a username, trial id or participant id is already taken' },
  { code: 'store_record_invalid', when: 'a record lacks its key fields or sets what only the store may set' },
  { code: 'store_reason_required', when: 'a change after first entry (or an unblinding) has no reason' },
  { code: 'store_trial_locked', when: 'a change to a trial whose database is locked' },
  { code: 'store_settings_locked', when: 'a change to arms, factors or method after the first allocation' },
  { code: 'store_forbidden', when: 'an action the role may never take (locking by a non-manager)' },
  {
    code: 'store_randomisation_refused',
    when: 'randomising someone not pending, ineligible, unconsented or with unconfirmed strata',
  },
  { code: 'store_already_randomised', when: 'randomising a screened person a second time' },
  {
    code: 'store_version_conflict',
    when: 'a change based on an older version of a record than the stored one (optimistic concurrency)',
  },
] as const;

/** The stable codes of {@link StorageError}. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number]['code'];

/**
 * A storage request that cannot be carried out: the database cannot be opened, a record is missing or
 * already exists, a change lacks its reason, the trial is locked, a randomisation is refused. A refused
 * request changes nothing (its transaction is rolled back). Messages never contain an allocation.
 */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
  }
}
