/**
 * Which roles see which participant controls. The web app may import only types from src/trial, so these
 * lists repeat what the access policy `can()` allows while the trial is open; test/web/permissions.test.ts
 * checks each list against `can()` for every role. The server decides in the end: a hidden control is
 * a courtesy, a refused request is still shown as refused.
 */
import type { Role } from '../../src/trial/index.ts';

/** Roles that may reveal one participant's arm in an emergency (`emergency_unblind`). */
export const EMERGENCY_UNBLIND_ROLES = ['admin', 'trial_manager'] as const satisfies readonly Role[];

/** Roles that may enter and correct baseline, discharge, withdrawal and death (`write_participant`). */
export const WRITE_PARTICIPANT_ROLES = [
  'admin',
  'trial_manager',
  'researcher',
] as const satisfies readonly Role[];

/**
 * Roles that may record and correct a withdrawal from the intervention only (`withdraw_from_intervention`;
 * it reveals the arm, so only roles that know the allocation; they also see it on the participant page).
 */
export const WITHDRAW_FROM_INTERVENTION_ROLES = [
  'admin',
  'pw_coordinator',
] as const satisfies readonly Role[];

/** Roles that may enter and correct interviews and service use (`record_follow_up`). */
export const RECORD_FOLLOW_UP_ROLES = [
  'admin',
  'trial_manager',
  'researcher',
] as const satisfies readonly Role[];

/** Whether `role` is in `roles` (a typed `includes`). */
export function roleIn(roles: readonly Role[], role: Role): boolean {
  return roles.includes(role);
}

/** Roles that may set the wellbeing cohort's population norms (`manage_wellbeing_norms`, trial action). */
export const WELLBEING_NORMS_ROLES = ['admin', 'trial_manager'] as const satisfies readonly Role[];

/** Roles that may close a wellbeing timepoint's collection (`close_wellbeing_collection`, trial action). */
export const CLOSE_WELLBEING_COLLECTION_ROLES = ['admin', 'trial_manager'] as const satisfies readonly Role[];
