// The web app's role lists (web/src/permissions.ts) repeat what `can()` allows, because the app may import
// only types from src/trial. Each list must equal the roles `can()` allows for its action on an open trial,
// at the user's own site, so a control is never shown to a role the server refuses (or hidden from one it allows).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Action, can, type ParticipantResource, ROLES, type Role } from '../../src/trial/index.ts';
import {
  CLOSE_WELLBEING_COLLECTION_ROLES,
  EMERGENCY_UNBLIND_ROLES,
  RECORD_FOLLOW_UP_ROLES,
  WELLBEING_NORMS_ROLES,
  WITHDRAW_FROM_INTERVENTION_ROLES,
  WRITE_PARTICIPANT_ROLES,
} from '../../web/src/permissions.ts';

function allowed(action: Action, trialLocked: boolean): Role[] {
  return ROLES.filter((role) => {
    const userId = `u-${role}`;
    const resource: ParticipantResource = {
      kind: 'participant',
      trialLocked,
      site: 'site_1',
      peerWorkerIds: [userId],
    };
    return can({ userId, username: role, role, sites: ['site_1'] }, action, resource);
  });
}

/** The roles `can()` allows a trial-level action (norms, closing a collection). */
function allowedOnTrial(action: Action, trialLocked: boolean): Role[] {
  return ROLES.filter((role) =>
    can({ userId: `u-${role}`, username: role, role, sites: ['site_1'] }, action, {
      kind: 'trial',
      trialLocked,
    }),
  );
}

describe('the web app role lists agree with can()', () => {
  for (const [action, list] of [
    ['emergency_unblind', EMERGENCY_UNBLIND_ROLES],
    ['write_participant', WRITE_PARTICIPANT_ROLES],
    ['record_follow_up', RECORD_FOLLOW_UP_ROLES],
    ['withdraw_from_intervention', WITHDRAW_FROM_INTERVENTION_ROLES],
  ] as const) {
    it(`${action}: the roles shown the control are exactly the roles can() allows (open trial)`, () => {
      assert.deepEqual([...list].sort(), allowed(action, false).sort());
    });
    it(`${action}: nobody may once the trial is locked (the app hides the control then)`, () => {
      assert.deepEqual(allowed(action, true), []);
    });
  }
});

describe('the wellbeing screen role lists agree with can() (trial actions)', () => {
  for (const [action, list] of [
    ['manage_wellbeing_norms', WELLBEING_NORMS_ROLES],
    ['close_wellbeing_collection', CLOSE_WELLBEING_COLLECTION_ROLES],
  ] as const) {
    it(`${action}: the roles shown the control are exactly the roles can() allows (open trial)`, () => {
      assert.deepEqual([...list].sort(), allowedOnTrial(action, false).sort());
    });
    it(`${action}: nobody may once the trial is locked (the app hides the control then)`, () => {
      assert.deepEqual(allowedOnTrial(action, true), []);
    });
  }
});
