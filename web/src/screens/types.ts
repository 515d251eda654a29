/** A participant as `GET /api/participants/:id` answers it (the key `arm` only for unblinded callers). */
export interface Participant {
  readonly id: string;
  readonly trial_id: string;
  readonly site_id: string;
  readonly participant_id: string | null;
  readonly status: string;
  readonly version: number;
  readonly screened_date: string;
  readonly age: number | null;
  readonly gender: string | null;
  readonly ethnicity: string | null;
  readonly first_language: string | null;
  readonly diagnosis_group: string;
  readonly admissions_prior_2y: number | null;
  readonly detained_at_index: boolean | null;
  readonly exclusions: readonly string[];
  readonly consent_given: boolean;
  readonly consent_date: string | null;
  readonly sequence_number: number | null;
  readonly randomised_at: string | null;
  readonly arm?: string | null;
}

/** One audit trail entry. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor_id: string;
  /** The actor's username (null for the server itself or an unknown id). */
  readonly actor_username?: string | null;
  readonly trial_id: string | null;
  readonly action: string;
  readonly entity: string;
  readonly record_id: string | null;
  readonly field: string | null;
  readonly old_value: unknown;
  readonly new_value: unknown;
  readonly reason: string | null;
  readonly redacted: boolean;
}
