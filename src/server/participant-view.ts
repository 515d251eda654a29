import {
  type ConsentRecord,
  can,
  type DiagnosisGroup,
  type ParticipantResource,
  type RandomisationRecord,
  type ScreeningLogEntry,
  type StoredRecord,
  type Trial,
  type TrialStore,
  type User,
} from '../trial/index.ts';
import { participantNotFound } from './access.ts';
import { HttpError } from './errors.ts';

/** A participant as the routes work with it: the screening entry (the API's `id`), consent, allocation. */
export interface LoadedParticipant {
  readonly id: string;
  readonly trial: Trial;
  readonly screening: StoredRecord<'screening'>;
  readonly consent: StoredRecord<'consent'> | undefined;
  /** Unblinded (holds the arm): never serialise it without {@link participantBody}. */
  readonly randomisation: RandomisationRecord | undefined;
  readonly resource: ParticipantResource;
}

/** The exclusion codes of the participant body and the screening criteria they set. */
export const EXCLUSIONS = [
  'organic_mental_disorder',
  'learning_disability',
  'eating_disorder',
  'substance_dependency',
] as const;

/** The screening criterion that carries the stratification diagnosis group. */
export function diagnosisGroupOf(screening: ScreeningLogEntry): DiagnosisGroup {
  const stored = screening.criteria.diagnosisGroup;
  if (stored === 'psychosis' || stored === 'personality' || stored === 'other') return stored;
  if (screening.criteria.primaryDiagnosis === 'psychosis') return 'psychosis';
  if (screening.criteria.primaryDiagnosis === 'personality_disorder') return 'personality';
  return 'other';
}

/** The peer workers ever assigned to a participant (their caseload), from the assignment records. */
async function peerWorkersOf(store: TrialStore, trialId: string, participantId: string | undefined) {
  if (participantId === undefined) return [];
  const assignments = await store.listRecords(trialId, 'assignment');
  return assignments
    .filter((record) => record.data.participantId === participantId)
    .map((record) => record.data.peerWorkerId);
}

/**
 * Loads a participant by the API id (the screening id) with the access-policy resource for it.
 *
 * @throws HttpError 404 when no trial holds it, 409 when several do.
 */
export async function loadParticipant(store: TrialStore, id: string): Promise<LoadedParticipant> {
  const trialIds = await store.findTrialsWithRecord('screening', id);
  if (trialIds.length === 0) throw participantNotFound(id);
  if (trialIds.length > 1) {
    throw new HttpError(
      409,
      'conflict',
      `participant "${id}" requires a unique id (got one in ${trialIds.length} trials)`,
    );
  }
  const trialId = trialIds[0] as string;
  // Three independent reads at once: on PostgreSQL each is a round trip (every participant route pays them).
  const [trial, screening, consent] = await Promise.all([
    store.getTrial(trialId),
    store.findRecord(trialId, 'screening', id),
    store.findRecord(trialId, 'consent', id),
  ]);
  if (screening === undefined) throw participantNotFound(id);
  const participantId = screening.data.participantId;
  const randomisation =
    participantId === undefined ? undefined : await store.findRandomisation(trial.trialId, participantId);
  return {
    id,
    trial,
    screening,
    consent,
    randomisation,
    resource: {
      kind: 'participant',
      trialLocked: trial.lockedAt !== undefined,
      site: screening.data.site,
      peerWorkerIds: await peerWorkersOf(store, trial.trialId, participantId),
    },
  };
}

/** The API status of a screened person: `eligible` (awaiting randomisation), `randomised`, or the outcome. */
export function participantStatus(screening: ScreeningLogEntry): string {
  return screening.outcome === 'pending' ? 'eligible' : screening.outcome;
}

/**
 * A participant as `user` may see it (snake_case). The key `arm` is present only when `can(user,
 * 'view_allocation', ...)` allows (null before randomisation); blinded users never get it.
 */
export function participantBody(
  user: User,
  participant: Pick<
    LoadedParticipant,
    'id' | 'trial' | 'screening' | 'consent' | 'randomisation' | 'resource'
  >,
): Record<string, unknown> {
  const entry = participant.screening.data;
  const criteria = entry.criteria;
  const exclusions = EXCLUSIONS.filter((code) =>
    code === 'organic_mental_disorder'
      ? criteria.organicMentalDisorder === true
      : criteria.primaryDiagnosis === code,
  );
  const consent: ConsentRecord | undefined = participant.consent?.data;
  const body: Record<string, unknown> = {
    id: participant.id,
    trial_id: participant.trial.trialId,
    site_id: entry.site,
    participant_id: entry.participantId ?? null,
    status: participantStatus(entry),
    version: participant.screening.version,
    screened_date: entry.screenedDate,
    age: criteria.ageYears ?? null,
    gender: criteria.gender ?? null,
    ethnicity: criteria.ethnicity ?? null,
    first_language: criteria.firstLanguage ?? null,
    diagnosis_group: diagnosisGroupOf(entry),
    admissions_prior_2y: criteria.admissionsPrior2y ?? null,
    detained_at_index: criteria.detainedAtIndex ?? null,
    exclusions,
    consent_given: consent !== undefined,
    consent_date: consent?.consentDate ?? null,
    sequence_number: participant.randomisation?.sequence ?? null,
    randomised_at: participant.randomisation?.randomisedAt ?? null,
  };
  if (can(user, 'view_allocation', participant.resource)) body.arm = participant.randomisation?.arm ?? null;
  return body;
}
