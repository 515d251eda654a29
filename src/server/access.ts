import {
  type Action,
  can,
  explainDenial,
  type ParticipantResource,
  type Resource,
  type Trial,
  type User,
} from '../trial/index.ts';
import { HttpError } from './errors.ts';

/** The access-policy resource of a trial as a whole. */
export function trialResource(trial: Trial): Resource {
  return { kind: 'trial', trialLocked: trial.lockedAt !== undefined };
}

/**
 * Refuses with 403 `forbidden` (the policy's own words, never an allocation) unless `can()` allows.
 *
 * @throws HttpError 403.
 */
export function authorize(user: User, action: Action, resource: Resource): void {
  if (can(user, action, resource)) return;
  throw new HttpError(403, 'forbidden', explainDenial(user, action, resource) ?? `${action} is not allowed`);
}

/**
 * Whether `can()` refuses only because the participant is outside the user's sites or caseload: the same
 * user, were the participant at one of their sites and on their caseload, would be allowed.
 */
export function outsideScope(user: User, action: Action, resource: ParticipantResource): boolean {
  if (can(user, action, resource)) return false;
  const probe: User = { ...user, sites: [...user.sites, resource.site] };
  return can(probe, action, { ...resource, peerWorkerIds: [...resource.peerWorkerIds, user.userId] });
}

/** 404 for a participant the user may not know about (another site, not on the caseload). */
export function participantNotFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `participant "${id}" requires an existing participant (got none)`);
}

/**
 * Like {@link authorize} for a participant, but a participant outside the user's sites or caseload
 * answers 404 `not_found`, so its existence is not revealed.
 *
 * @throws HttpError 404 or 403.
 */
export function authorizeParticipant(
  user: User,
  action: Action,
  resource: ParticipantResource,
  id: string,
): void {
  if (can(user, action, resource)) return;
  if (outsideScope(user, 'read_participant', resource) || outsideScope(user, action, resource)) {
    throw participantNotFound(id);
  }
  authorize(user, action, resource);
}
