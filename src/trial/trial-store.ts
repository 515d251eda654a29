/**
 * The trial store: everything the platform keeps about its trials, behind one asynchronous interface that
 * src/storage implements over SQLite and PostgreSQL. It is declared here, in the domain, so that the
 * server and the CLI depend on this contract and not on a database. docs/reference/storage.md describes
 * the implementation (tables, transactions, durability, exactly-once randomisation).
 *
 * Every write runs in one transaction together with its audit entries: it happens completely, with its
 * audit, or not at all. Access policy (`can(user, action, resource)`) is the caller's job; the store only
 * refuses what is never allowed (a change to a locked trial, a change without its reason, a second
 * randomisation of one participant ...).
 */

import type { FidelityRatingRecord, WellbeingResponseRecord } from './domain/capture-records.ts';
import type { RecruitmentTargetRecord } from './domain/recruitment-target.ts';
import type {
  BaselineRecord,
  ConsentRecord,
  ContactRecord,
  DeathRecord,
  DischargeRecord,
  FollowUpInterview,
  InterventionWithdrawalRecord,
  IsoDateTime,
  Participant,
  ParticipantRecords,
  PeerWorkerAssignment,
  RandomisationRecord,
  Role,
  ScreeningLogEntry,
  SeriousAdverseEvent,
  ServiceUseEvent,
  ServiceUseReview,
  Trial,
  TrialConfig,
  User,
  WithdrawalRecord,
} from './domain/types.ts';
import type {
  WellbeingCollectionRecord,
  WellbeingNormsRecord,
  WellbeingPseudonymKeyRecord,
} from './domain/wellbeing-records.ts';
import type { EmployerType, FidelityIndexDefinition } from './fidelity/types.ts';

/** Who makes a request: a user's id and role (the audit records the id). */
export interface StoreActor {
  readonly userId: string;
  readonly role: Role;
}

/** The trial records saved with {@link TrialStore.saveRecord}, by kind. */
export interface StoredRecordTypes {
  readonly screening: ScreeningLogEntry;
  readonly consent: ConsentRecord;
  readonly baseline: BaselineRecord;
  readonly discharge: DischargeRecord;
  readonly assignment: PeerWorkerAssignment;
  readonly contact: ContactRecord;
  readonly interview: FollowUpInterview;
  readonly service_use_review: ServiceUseReview;
  readonly service_use: ServiceUseEvent;
  readonly sae: SeriousAdverseEvent;
  /** The study withdrawal (scope interviews or all), key participant id. */
  readonly withdrawal: WithdrawalRecord;
  /** A withdrawal from the intervention only, key participant id (reveals the arm: unblinded writers only). */
  readonly intervention_withdrawal: InterventionWithdrawalRecord;
  readonly death: DeathRecord;
  readonly fidelity_rating: FidelityRatingRecord;
  readonly wellbeing: WellbeingResponseRecord;
  readonly wellbeing_norms: WellbeingNormsRecord;
  readonly wellbeing_pseudonym_key: WellbeingPseudonymKeyRecord;
  /** The closed questionnaire collections (one per trial, key `trial`); closing a timepoint is final. */
  readonly wellbeing_collection: WellbeingCollectionRecord;
  /** The trial's own fidelity index (one per trial, key `current`); the shipped template until one is saved. */
  readonly fidelity_index: FidelityIndexDefinition;
  /** The trial's recruitment target (one per trial, key `trial`): total, dates, per-site totals. */
  readonly recruitment_target: RecruitmentTargetRecord;
}

/** A kind of record saved with {@link TrialStore.saveRecord}. */
export type StoredRecordKind = keyof StoredRecordTypes;

/** Every {@link StoredRecordKind}, in the order the audit and the docs list them. */
export const STORED_RECORD_KINDS: readonly StoredRecordKind[] = [
  'screening',
  'consent',
  'baseline',
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
  'fidelity_rating',
  'wellbeing',
  'wellbeing_norms',
  'wellbeing_pseudonym_key',
  'wellbeing_collection',
  'fidelity_index',
  'recruitment_target',
];

/** A record as stored: the record, its key, its version (1 on creation, +1 per change) and who wrote it. */
export interface StoredRecord<K extends StoredRecordKind = StoredRecordKind> {
  readonly kind: K;
  readonly recordId: string;
  readonly version: number;
  readonly data: StoredRecordTypes[K];
  readonly updatedAt: IsoDateTime;
  readonly updatedBy: string;
}

/** What every change carries: who makes it and, for a change after first entry, why (required). */
export interface ChangeContext {
  readonly actor: StoreActor;
  /** Required (non-blank) to change a record that exists; optional on first entry. */
  readonly reason?: string;
  /**
   * Optimistic concurrency: the version the writer last read (0 = the record must not exist yet). When given
   * and the stored version differs, the write is refused with StorageError `store_version_conflict`.
   */
  readonly expectedVersion?: number;
  /**
   * A condition on another record of the trial, checked inside the write's transaction, after every earlier
   * write has committed: `check` throws to refuse the write, which then changes nothing. Used where a check
   * made before the write could be overtaken by a concurrent one (a questionnaire against the closing of its
   * collection).
   */
  readonly guard?: RecordGuard;
}

/** See {@link ChangeContext.guard}: the record to read (undefined when absent) and the check on it. */
export interface RecordGuard {
  readonly kind: StoredRecordKind;
  readonly recordId: string;
  check(record: StoredRecord | undefined): void;
}

/** A randomisation request: the screened person and the stratum values the randomiser confirms. */
export interface RandomiseRequest {
  readonly trialId: string;
  readonly screeningId: string;
  /** The stratum values as confirmed at randomisation: factor name -> level. */
  readonly strata: Readonly<Record<string, string>>;
  /** Default `P` and the allocation's sequence number, zero-padded to 4 digits (`P0001`). */
  readonly participantId?: string;
}

/** A new user account; the password is hashed (scrypt) before it is stored. */
export interface NewUser {
  readonly username: string;
  readonly role: Role;
  readonly sites: readonly string[];
  readonly password: string;
}

/** One audit entry as read back; for blinded viewers allocation values are `null` with `redacted: true`. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: IsoDateTime;
  readonly actorId: string;
  readonly trialId: string | null;
  readonly action: string;
  readonly entity: string;
  readonly recordId: string | null;
  readonly field: string | null;
  readonly oldValue: unknown;
  readonly newValue: unknown;
  readonly reason: string | null;
  /** The values reveal an allocation (unblinded roles only). */
  readonly revealsAllocation: boolean;
  /** The values were removed because the viewer is blinded to allocation. */
  readonly redacted: boolean;
}

/** The result of checking the audit chain. */
export type AuditChainCheck =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | { readonly ok: false; readonly entries: number; readonly firstBadSeq: number; readonly problem: string };

/** A trial's recruiting site. Its id (the code) is the `site` stratum level and what users' `sites` list. */
export interface Site {
  readonly trialId: string;
  readonly siteId: string;
  readonly name: string;
  /** Who employs the site's peer workers (NHS or voluntary sector); absent until set. */
  readonly employerType?: EmployerType;
  readonly createdAt: IsoDateTime;
}

/**
 * A server session (cookie) or API token (bearer), stored by the SHA-256 of its secret only. `csrfHash` is
 * the SHA-256 of the session's CSRF token (null for API tokens, which need none).
 */
export interface AuthSession {
  readonly tokenHash: string;
  readonly kind: 'session' | 'api_token';
  readonly userId: string;
  readonly csrfHash: string | null;
  readonly createdAt: IsoDateTime;
  readonly lastSeenAt: IsoDateTime;
}

/** Login throttling: at most `maxFailures` failures per key within `windowMs`, then a lockout of `lockoutMs`. */
export interface LoginThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

/** A throttling key (`account:<username>` or `address:<ip>`) locked out until `until`. */
export interface LoginLockout {
  readonly key: string;
  readonly lockedAt: IsoDateTime;
  readonly until: IsoDateTime;
}

/** The store of trials, users, records, allocations and the audit trail. */
export interface TrialStore {
  /** Which database is behind the store. */
  readonly dialect: 'sqlite' | 'postgres';

  /** Creates a user (audited). @throws StorageError `store_conflict` when the username is taken. */
  createUser(user: NewUser, change: ChangeContext): Promise<User>;
  /** The user with that username, or undefined. */
  findUser(username: string): Promise<User | undefined>;
  /** The user when the password matches their stored hash, otherwise undefined (no hint which part failed). */
  verifyLogin(username: string, password: string): Promise<User | undefined>;

  /** Creates a trial with its configuration and an empty randomisation state (audited). */
  createTrial(trialId: string, config: TrialConfig, change: ChangeContext): Promise<Trial>;
  /** @throws StorageError `store_not_found`. */
  getTrial(trialId: string): Promise<Trial>;
  listTrials(): Promise<Trial[]>;
  /**
   * Replaces a trial's configuration (reason required). After the first allocation the arms, factors and
   * randomisation settings can no longer change (`store_settings_locked`).
   */
  updateTrialConfig(trialId: string, config: TrialConfig, change: ChangeContext): Promise<Trial>;

  /**
   * Creates or changes one record; each changed field is audited with its old and new value. A change to
   * an existing record requires `change.reason`. Saving an identical record changes nothing.
   * @throws StorageError `store_trial_locked`, `store_reason_required`, `store_record_invalid`,
   *   `store_not_found` (unknown trial or participant).
   */
  saveRecord<K extends StoredRecordKind>(
    trialId: string,
    kind: K,
    record: StoredRecordTypes[K],
    change: ChangeContext,
  ): Promise<StoredRecord<K>>;
  /** One record, or undefined. */
  findRecord<K extends StoredRecordKind>(
    trialId: string,
    kind: K,
    recordId: string,
  ): Promise<StoredRecord<K> | undefined>;
  /** All records of a kind in a trial, by key. */
  listRecords<K extends StoredRecordKind>(trialId: string, kind: K): Promise<StoredRecord<K>[]>;

  /**
   * Randomises one screened, eligible, consented person exactly once: runs the trial's randomisation
   * engine on the stored state inside one serialised transaction and stores the participant, the
   * allocation and the next state together. The first allocation locks the randomisation settings.
   * @throws StorageError `store_already_randomised`, `store_randomisation_refused` (not eligible, no
   *   consent, strata not confirmed), `store_trial_locked`, `store_not_found`; RandomisationStratumError for
   *   strata that do not match the factors.
   */
  randomise(request: RandomiseRequest, actor: StoreActor): Promise<RandomisationRecord>;
  /** The participants of a trial, by sequence. */
  listParticipants(trialId: string): Promise<Participant[]>;
  /** Every record of every participant (the input of the analysis dataset). Unblinded: holds the allocations. */
  listParticipantRecords(trialId: string): Promise<ParticipantRecords[]>;
  /**
   * Emergency unblinding of one participant: returns their arm and audits who, when and why.
   * @throws StorageError `store_reason_required`, `store_not_found`.
   */
  unblind(trialId: string, participantId: string, change: ChangeContext): Promise<{ arm: string }>;

  /** Locks the trial's database: afterwards no change to its data is accepted. Trial manager or admin only. */
  lockTrial(trialId: string, change: ChangeContext): Promise<Trial>;
  /** Records an export of trial data in the audit (allowed after lock). */
  recordExport(trialId: string, what: string, actor: StoreActor): Promise<void>;

  /**
   * Audit entries in order, as `viewer` may see them (`redactAuditEntry`: blinded viewers get allocation
   * values blanked and entries about allocation-revealing records withheld).
   */
  listAudit(options: {
    readonly trialId?: string;
    readonly viewer: Pick<User, 'role'>;
  }): Promise<AuditEntry[]>;
  /** Checks the whole audit chain (see docs/reference/audit-trail.md). */
  verifyAudit(): Promise<AuditChainCheck>;

  /**
   * Saves several records in one transaction (all or none), each as {@link saveRecord} would, e.g. a
   * screening entry with its consent.
   */
  saveRecords(
    trialId: string,
    records: readonly { readonly kind: StoredRecordKind; readonly record: unknown }[],
    change: ChangeContext,
  ): Promise<StoredRecord[]>;

  /**
   * Adds a site to a trial (audited). When the trial has a `site` factor without this level, the level is
   * added to it (only before the first allocation: `store_settings_locked` afterwards).
   * @throws StorageError `store_conflict` (site id taken), `store_not_found`, `store_trial_locked`.
   */
  createSite(
    trialId: string,
    site: { readonly siteId: string; readonly name: string; readonly employerType?: EmployerType },
    change: ChangeContext,
  ): Promise<Site>;
  /**
   * Changes a site's name and/or employer type (audited per changed field; reason required).
   * @throws StorageError `store_not_found`, `store_trial_locked`, `store_reason_required`, `store_record_invalid`.
   */
  updateSite(
    trialId: string,
    siteId: string,
    changes: { readonly name?: string; readonly employerType?: EmployerType },
    change: ChangeContext,
  ): Promise<Site>;
  /** The sites of a trial, by id. */
  listSites(trialId: string): Promise<Site[]>;
  /** The allocation of one participant, or undefined (unblinded: holds the arm). */
  findRandomisation(trialId: string, participantId: string): Promise<RandomisationRecord | undefined>;
  /** The ids of the trials holding a record of this kind and key (for URLs that carry no trial id). */
  findTrialsWithRecord(kind: StoredRecordKind, recordId: string): Promise<string[]>;
  /** The user with that id, or undefined. */
  findUserById(userId: string): Promise<User | undefined>;
  /** Every user (id, username, role, sites; never a password hash), by username. */
  listUsers(): Promise<User[]>;

  /** Stores a new session or API token (not audited: it changes no trial data). */
  createSession(session: AuthSession): Promise<void>;
  /** The session with that token hash and its user (current role and sites), or undefined. */
  findSession(tokenHash: string): Promise<{ session: AuthSession; user: User } | undefined>;
  /** Records activity on a session (inactivity expiry counts from `lastSeenAt`). */
  touchSession(tokenHash: string, at: IsoDateTime): Promise<void>;
  /** Ends a session or revokes a token. */
  deleteSession(tokenHash: string): Promise<void>;

  /**
   * Records one failed login for each key; a key that reaches `policy.maxFailures` failures within
   * `policy.windowMs` is locked out for `policy.lockoutMs` (audited: action `lockout`). Returns the new lockouts.
   */
  recordLoginFailure(keys: readonly string[], policy: LoginThrottlePolicy): Promise<LoginLockout[]>;
  /**
   * The latest-ending active lockout among `keys`, or undefined. Lockouts that have run out are closed
   * here, each with an audit entry (action `lockout_end`).
   */
  findLoginLockout(keys: readonly string[]): Promise<LoginLockout | undefined>;
  /** Forgets the failures of a key (after a successful login to that account). */
  clearLoginFailures(key: string): Promise<void>;

  /** Closes the connection(s). */
  close(): Promise<void>;
}
