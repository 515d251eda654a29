/**
 * The database tables as the query layer (kysely) sees them. One definition for both dialects: text,
 * integer and nothing else, so SQLite and PostgreSQL store and return the same values (JSON documents as
 * text, instants as ISO 8601 text, booleans as 0/1). docs/reference/storage.md describes each table.
 */

/** `users`: accounts; `sites` is a JSON array of site names. */
export interface UsersTable {
  user_id: string;
  username: string;
  role: string;
  sites: string;
  password_hash: string;
  created_at: string;
}

/** `trials`: one row per trial; `config` is the TrialConfig as JSON. */
export interface TrialsTable {
  trial_id: string;
  config: string;
  created_at: string;
  created_by: string;
  /** Set at the first real allocation: the randomisation settings cannot change afterwards. */
  settings_locked_at: string | null;
  locked_at: string | null;
  locked_by: string | null;
}

/** `randomisation_states`: the engine state per trial (SECRET: never shown to anyone, never audited). */
export interface RandomisationStatesTable {
  trial_id: string;
  state: string;
  updated_at: string;
}

/** `participants`: randomised people (created by randomisation only). */
export interface ParticipantsTable {
  trial_id: string;
  participant_id: string;
  screening_id: string;
  site: string;
  diagnosis_group: string;
  created_at: string;
}

/** `allocations`: one per participant, one per sequence number (both enforced by the database). */
export interface AllocationsTable {
  trial_id: string;
  participant_id: string;
  sequence: number;
  arm: string;
  stratum: string;
  strata: string;
  method: string;
  randomised_date: string;
  randomised_at: string;
  randomised_by: string;
}

/** `records`: every other trial record, one JSON document per (trial, kind, key). */
export interface RecordsTable {
  trial_id: string;
  kind: string;
  record_id: string;
  participant_id: string | null;
  data: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** `audit_log`: append-only, hash-chained (see audit-chain.ts). */
export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string;
  trial_id: string | null;
  action: string;
  entity: string;
  record_id: string | null;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  reveals_allocation: number;
  prev_hash: string;
  hash: string;
}

/** `audit_head`: one row (id 1): the last entry's number and hash. Every write transaction locks it first. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** `sites`: a trial's recruiting sites; `site_id` is the code, also the `site` stratum level (migration 0002). */
export interface SitesTable {
  trial_id: string;
  site_id: string;
  name: string;
  /** `nhs` | `voluntary`: who employs the site's peer workers; null until set (migration 0003). */
  employer_type: string | null;
  created_at: string;
  created_by: string;
}

/**
 * `auth_sessions`: server sessions (cookie) and API tokens (bearer), keyed by the SHA-256 of the secret token;
 * the token itself is never stored. `csrf_hash` is the SHA-256 of the session's CSRF token (null for API
 * tokens). Shared by every server instance on the database (migration 0002).
 */
export interface AuthSessionsTable {
  token_hash: string;
  kind: string;
  user_id: string;
  csrf_hash: string | null;
  created_at: string;
  last_seen_at: string;
}

/** `login_failures`: one row per failed login, per throttling key (`account:<name>`, `address:<ip>`). */
export interface LoginFailuresTable {
  key: string;
  at: string;
}

/** `login_lockouts`: a key locked out after too many failures, until `until`; `ended_at` once its end is audited. */
export interface LoginLockoutsTable {
  key: string;
  locked_at: string;
  until: string;
  ended_at: string | null;
}

/** All tables. */
export interface DatabaseSchema {
  users: UsersTable;
  trials: TrialsTable;
  randomisation_states: RandomisationStatesTable;
  participants: ParticipantsTable;
  allocations: AllocationsTable;
  records: RecordsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  sites: SitesTable;
  auth_sessions: AuthSessionsTable;
  login_failures: LoginFailuresTable;
  login_lockouts: LoginLockoutsTable;
}
