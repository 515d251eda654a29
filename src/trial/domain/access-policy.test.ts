import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ACTION_DESCRIPTIONS,
  ACTIONS,
  type Action,
  accessMatrix,
  can,
  explainDenial,
  formatAccessMatrixMarkdown,
  isBlinded,
  type ParticipantResource,
} from './access-policy.ts';
import { ROLES, type Role, type User } from './types.ts';

/**
 * The policy as the protocol states it, one row per action, columns in ROLES order (admin, trial_manager,
 * researcher, pw_coordinator, peer_worker, statistician, dmc). Each cell says where the answer is yes:
 * everywhere, at own sites, for own caseload, and whether only before or only after the database lock.
 */
const EXPECTED: Readonly<Record<Action, readonly string[]>> = {
  read_participant: ['yes', 'yes', 'own sites', 'own sites', 'own caseload', 'no', 'no'],
  write_participant: ['before lock', 'before lock', 'own sites, before lock', 'no', 'no', 'no', 'no'],
  randomise: ['before lock', 'before lock', 'own sites, before lock', 'no', 'no', 'no', 'no'],
  view_allocation: ['yes', 'after lock', 'no', 'own sites', 'own caseload', 'no', 'no'],
  assign_peer_worker: ['before lock', 'no', 'no', 'own sites, before lock', 'no', 'no', 'no'],
  view_contacts: ['yes', 'after lock', 'no', 'own sites', 'own caseload', 'no', 'no'],
  log_contact: ['before lock', 'no', 'no', 'own sites, before lock', 'own caseload, before lock', 'no', 'no'],
  withdraw_from_intervention: ['before lock', 'no', 'no', 'own sites, before lock', 'no', 'no', 'no'],
  record_follow_up: ['before lock', 'before lock', 'own sites, before lock', 'no', 'no', 'no', 'no'],
  report_sae: [
    'before lock',
    'before lock',
    'own sites, before lock',
    'own sites, before lock',
    'own caseload, before lock',
    'no',
    'no',
  ],
  view_sae: ['yes', 'yes', 'own sites', 'own sites', 'no', 'no', 'no'],
  emergency_unblind: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  view_aggregate_by_arm: ['yes', 'after lock', 'no', 'no', 'no', 'after lock', 'yes'],
  view_audit: ['yes', 'yes', 'no', 'no', 'no', 'no', 'no'],
  view_audit_allocations: ['yes', 'after lock', 'no', 'no', 'no', 'no', 'no'],
  export_blinded: ['yes', 'yes', 'no', 'no', 'no', 'yes', 'no'],
  export_unblinded: ['yes', 'after lock', 'no', 'no', 'no', 'after lock', 'no'],
  lock_database: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  configure_trial: ['before lock', 'no', 'no', 'no', 'no', 'no', 'no'],
  manage_users: ['yes', 'no', 'no', 'no', 'no', 'no', 'no'],
  manage_sites: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  rate_fidelity: ['before lock', 'no', 'before lock', 'no', 'no', 'no', 'no'],
  fidelity_consensus: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  export_fidelity: ['yes', 'yes', 'no', 'no', 'no', 'yes', 'no'],
  manage_fidelity_index: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  complete_wellbeing: ['before lock', 'no', 'no', 'no', 'before lock', 'no', 'no'],
  view_wellbeing_aggregate: ['yes', 'yes', 'no', 'yes', 'no', 'no', 'no'],
  manage_wellbeing_norms: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  manage_recruitment_target: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
  export_wellbeing: ['no', 'no', 'no', 'no', 'no', 'yes', 'no'],
  close_wellbeing_collection: ['before lock', 'before lock', 'no', 'no', 'no', 'no', 'no'],
};

const user = (role: Role): User => ({ userId: 'u1', username: 'someone', role, sites: ['site_1', 'site_2'] });
const participant = (site: string, peerWorkerIds: string[], trialLocked: boolean): ParticipantResource => ({
  kind: 'participant',
  trialLocked,
  site,
  peerWorkerIds,
});

/** Whether a cell allows the action for a participant in a given relation to the user, open or locked. */
function expectedAllowed(
  cell: string,
  relation: 'caseload' | 'own_site' | 'other_site',
  locked: boolean,
): boolean {
  if (cell === 'no') return false;
  if (cell.includes('before lock') && locked) return false;
  if (cell.includes('after lock') && !locked) return false;
  if (cell.includes('own sites')) return relation === 'own_site';
  if (cell.includes('own caseload')) return relation === 'caseload';
  return true;
}

describe('can: every role x action', () => {
  for (const action of ACTIONS) {
    for (const [column, role] of ROLES.entries()) {
      const cell = EXPECTED[action][column] as string;
      it(`${role} ${action}: ${cell}`, () => {
        const participantAction = ![
          'view_aggregate_by_arm',
          'view_audit',
          'view_audit_allocations',
          'export_blinded',
          'export_unblinded',
          'lock_database',
          'configure_trial',
          'manage_users',
          'manage_sites',
          'rate_fidelity',
          'fidelity_consensus',
          'export_fidelity',
          'manage_fidelity_index',
          'complete_wellbeing',
          'view_wellbeing_aggregate',
          'manage_wellbeing_norms',
          'export_wellbeing',
          'manage_recruitment_target',
          'close_wellbeing_collection',
        ].includes(action);
        for (const locked of [false, true]) {
          if (participantAction) {
            // caseload: on the user's caseload at another site; own_site: at the user's site, not on it.
            const cases = [
              ['caseload', participant('site_9', ['u1'], locked)],
              ['own_site', participant('site_2', ['someone_else'], locked)],
              ['other_site', participant('site_9', [], locked)],
            ] as const;
            for (const [relation, resource] of cases) {
              assert.equal(
                can(user(role), action, resource),
                expectedAllowed(cell, relation, locked),
                `${relation}, ${locked ? 'locked' : 'open'}`,
              );
            }
            assert.equal(
              can(user(role), action, { kind: 'trial', trialLocked: locked }),
              false,
              'trial resource',
            );
          } else {
            assert.equal(
              can(user(role), action, { kind: 'trial', trialLocked: locked }),
              expectedAllowed(cell, 'other_site', locked),
              locked ? 'locked' : 'open',
            );
            assert.equal(
              can(user(role), action, participant('site_1', ['u1'], locked)),
              false,
              'participant resource',
            );
          }
        }
      });
    }
  }

  it('accessMatrix gives the same table', () => {
    for (const row of accessMatrix()) {
      assert.deepEqual(
        ROLES.map((role) => row.cells[role]),
        EXPECTED[row.action],
        row.action,
      );
    }
    assert.equal(accessMatrix().length, ACTIONS.length);
  });

  it('no blinded role may see an allocation or contacts while blinded', () => {
    for (const role of ROLES) {
      for (const locked of [false, true]) {
        if (!isBlinded({ role }, locked)) continue;
        for (const action of [
          'view_allocation',
          'view_contacts',
          'log_contact',
          'assign_peer_worker',
        ] as const) {
          assert.equal(
            can(user(role), action, participant('site_1', ['u1'], locked)),
            false,
            `${role} ${action}`,
          );
        }
        for (const action of [
          'export_unblinded',
          'view_audit_allocations',
          'view_aggregate_by_arm',
        ] as const) {
          assert.equal(
            can(user(role), action, { kind: 'trial', trialLocked: locked }),
            false,
            `${role} ${action}`,
          );
        }
      }
    }
  });

  it('blinding: researchers always; trial managers and statisticians until the lock; others never', () => {
    assert.deepEqual(
      ROLES.map((role) => [isBlinded({ role }, false), isBlinded({ role }, true)]),
      [
        [false, false],
        [true, false],
        [true, true],
        [false, false],
        [false, false],
        [true, false],
        [false, false],
      ],
    );
    assert.equal(isBlinded({ role: 'intruder' as Role }, false), true);
  });

  it('refuses unknown roles, actions and resource kinds', () => {
    const resource = participant('site_1', [], false);
    assert.equal(can({ ...user('admin'), role: 'root' as Role }, 'read_participant', resource), false);
    assert.equal(can(user('admin'), 'drop_tables' as Action, resource), false);
    assert.equal(
      can(user('admin'), 'read_participant', { kind: 'site' } as unknown as ParticipantResource),
      false,
    );
    assert.equal(can(user('admin'), 'read_participant', null as unknown as ParticipantResource), false);
    assert.equal(can(null as unknown as User, 'read_participant', resource), false);
  });

  it('a researcher with no sites reaches no participant', () => {
    const nobody: User = { ...user('researcher'), sites: [] };
    assert.equal(can(nobody, 'read_participant', participant('site_1', [], false)), false);
  });
});

describe('explainDenial', () => {
  const open = participant('site_1', [], false);
  it('is undefined when allowed', () => {
    assert.equal(explainDenial(user('researcher'), 'read_participant', open), undefined);
  });

  it('names the role, never an allocation', () => {
    assert.equal(
      explainDenial(user('researcher'), 'view_allocation', open),
      'view_allocation requires a role allowed to view allocation (got a researcher)',
    );
    assert.equal(
      explainDenial(user('statistician'), 'export_unblinded', { kind: 'trial', trialLocked: false }),
      'export_unblinded requires a role allowed to export unblinded after the lock (got a statistician)',
    );
    assert.equal(
      explainDenial(user('dmc'), 'read_participant', open),
      'read_participant requires a role allowed to read participant (got a data monitoring committee member)',
    );
  });

  it('names the lock, the site or the caseload', () => {
    assert.equal(
      explainDenial(user('researcher'), 'write_participant', participant('site_1', [], true)),
      'write_participant requires an unlocked database (got a locked database: no change is accepted)',
    );
    assert.equal(
      explainDenial(user('trial_manager'), 'export_unblinded', { kind: 'trial', trialLocked: false }),
      'export_unblinded requires a role allowed to export unblinded after the lock (got a trial manager)',
    );
    assert.equal(
      explainDenial(user('trial_manager'), 'emergency_unblind', participant('site_1', [], true)),
      'emergency_unblind requires an unlocked database (got a locked database: no change is accepted)',
    );
    assert.equal(
      explainDenial(user('researcher'), 'read_participant', participant('site_7', [], false)),
      'read_participant requires a participant at one of your sites (got site "site_7")',
    );
    assert.equal(
      explainDenial(user('peer_worker'), 'log_contact', participant('site_1', ['other'], false)),
      'log_contact requires a participant on your caseload (got one who is not)',
    );
  });

  it('names a wrong resource kind and an unknown role', () => {
    assert.equal(
      explainDenial(user('admin'), 'export_blinded', participant('site_1', [], false)),
      'export_blinded requires a trial (got "participant")',
    );
    assert.equal(
      explainDenial(user('admin'), 'read_participant', { kind: 'trial', trialLocked: false }),
      'read_participant requires a participant (got "trial")',
    );
    assert.equal(
      explainDenial({ ...user('admin'), role: 'root' as Role }, 'read_participant', open),
      'read_participant requires a known role and action (got role "root")',
    );
  });

  it("gives the same message whatever the participant's arm could be (the resource has no arm)", () => {
    const withArm = { ...open, arm: 'peer_support' } as ParticipantResource;
    const withOther = { ...open, arm: 'usual_care' } as ParticipantResource;
    for (const action of ACTIONS) {
      assert.equal(
        explainDenial(user('researcher'), action, withArm),
        explainDenial(user('researcher'), action, withOther),
      );
    }
  });
});

/** A Markdown table with cell padding removed, so the comparison survives the formatter's alignment. */
function normalizeTable(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .map((cell) => (/^:?-+:?$/.test(cell) ? '---' : cell))
        .join('|'),
    )
    .join('\n');
}

describe('docs/reference/access-policy.md', () => {
  const doc = normalizeTable(
    readFileSync(fileURLToPath(new URL('../../../docs/reference/access-policy.md', import.meta.url)), 'utf8'),
  );

  it('prints the matrix the policy function computes', () => {
    const match = /<!-- access-matrix:start -->\n([\s\S]*?)\n<!-- access-matrix:end -->/.exec(doc);
    assert.ok(match, 'the doc has the access-matrix markers');
    assert.equal(match[1], normalizeTable(formatAccessMatrixMarkdown()));
  });

  it('describes every action', () => {
    for (const action of ACTIONS) {
      assert.ok(doc.includes(`|\`${action}\`|${ACTION_DESCRIPTIONS[action]}|`), action);
    }
  });
});
