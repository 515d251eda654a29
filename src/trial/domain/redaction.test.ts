import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AuditEntryFields,
  BLINDED_EXPORT_EXCLUDED_COLUMNS,
  blindAnalysisRows,
  RECORD_KINDS,
  redactAuditEntry,
  redactForUser,
  redactParticipantRecords,
  revealsAllocation,
  stripAllocationFields,
} from './redaction.ts';
import { sampleTrial } from './trial-records.test-support.ts';
import { ROLES, type Role } from './types.ts';

const OPEN = { trialLocked: false };
const LOCKED = { trialLocked: true };
const ARMS = ['peer_support', 'usual_care'];

/** Fails when any string anywhere in `value` is an arm name. */
function assertNoArm(value: unknown, where: string): void {
  const text = JSON.stringify(value) ?? '';
  for (const arm of ARMS) assert.ok(!text.includes(arm), `${where} leaks "${arm}": ${text}`);
}

describe('redactForUser', () => {
  const records = sampleTrial()[0];
  assert.ok(records);

  it('strips the arm from the randomisation record for blinded users only', () => {
    const researcher = redactForUser({ role: 'researcher' }, 'randomisation', records.randomisation, OPEN);
    assert.deepEqual(Object.keys(researcher ?? {}).includes('arm'), false);
    assert.equal(researcher?.sequence, 1);
    assert.equal(
      redactForUser({ role: 'pw_coordinator' }, 'randomisation', records.randomisation, OPEN),
      records.randomisation,
    );
    assert.equal(
      redactForUser({ role: 'statistician' }, 'randomisation', records.randomisation, LOCKED),
      records.randomisation,
    );
    assertNoArm(
      redactForUser({ role: 'statistician' }, 'randomisation', records.randomisation, OPEN),
      'statistician',
    );
  });

  it('withholds contacts and assignments and an intervention-only withdrawal; hides SAE relatedness', () => {
    assert.equal(redactForUser({ role: 'researcher' }, 'contact', records.contacts[0], OPEN), undefined);
    assert.equal(
      redactForUser({ role: 'trial_manager' }, 'assignment', records.assignments[0], OPEN),
      undefined,
    );
    const withdrawal = sampleTrial()[4]?.interventionWithdrawal;
    assert.equal(withdrawal?.scope, 'intervention');
    assert.equal(
      redactForUser({ role: 'researcher' }, 'intervention_withdrawal', withdrawal, OPEN),
      undefined,
    );
    assert.equal(
      redactForUser({ role: 'pw_coordinator' }, 'intervention_withdrawal', withdrawal, OPEN),
      withdrawal,
    );
    // An older store's withdrawal record with scope intervention is withheld too.
    assert.equal(redactForUser({ role: 'researcher' }, 'withdrawal', withdrawal, OPEN), undefined);
    const full = sampleTrial()[2]?.withdrawal;
    assert.deepEqual(redactForUser({ role: 'researcher' }, 'withdrawal', full, OPEN), full);
    const sae = redactForUser({ role: 'researcher' }, 'sae', records.seriousAdverseEvents[0], OPEN);
    assert.equal(sae !== undefined && 'relatedness' in sae, false);
    assert.equal(sae?.category, 'hospitalisation');
    assert.equal(redactForUser({ role: 'admin' }, 'contact', records.contacts[0], OPEN), records.contacts[0]);
  });

  it('treats an unknown role as blinded', () => {
    assert.equal(
      redactForUser({ role: 'visitor' as Role }, 'contact', records.contacts[0], LOCKED),
      undefined,
    );
  });

  it('strips allocation fields at any depth', () => {
    assert.deepEqual(
      stripAllocationFields({ a: 1, arm: 'x', list: [{ arm: 'y', b: 2 }], nested: { arm: 'z' } }),
      {
        a: 1,
        list: [{ b: 2 }],
        nested: {},
      },
    );
    assert.equal(stripAllocationFields(null), null);
  });
});

describe('redactParticipantRecords', () => {
  it('leaves nothing that reveals the arm for every blinded role, open and locked', () => {
    for (const records of sampleTrial()) {
      for (const role of ROLES) {
        for (const context of [OPEN, LOCKED]) {
          const redacted = redactParticipantRecords({ role }, records, context);
          const blinded =
            role === 'researcher' ||
            (!context.trialLocked && (role === 'trial_manager' || role === 'statistician'));
          if (!blinded) {
            assert.equal(redacted, records);
            continue;
          }
          assertNoArm(redacted, `${role} ${records.participant.participantId}`);
          assert.deepEqual(redacted.contacts, []);
          assert.deepEqual(redacted.assignments, []);
          if (records.withdrawal?.scope === 'intervention') assert.equal(redacted.withdrawal, undefined);
          assert.equal('interventionWithdrawal' in redacted, false, `${role}: no intervention withdrawal`);
          assert.ok(!JSON.stringify(redacted).includes('"intervention"'), role);
          if (records.withdrawal?.scope === 'all') assert.deepEqual(redacted.withdrawal, records.withdrawal);
          for (const event of redacted.seriousAdverseEvents) assert.equal('relatedness' in event, false);
        }
      }
    }
  });
});

describe('redactAuditEntry', () => {
  const entry = (
    entity: string,
    field: string | null,
    oldValue: string | null,
    newValue: string | null,
  ): AuditEntryFields => ({
    entity,
    field,
    old_value: oldValue,
    new_value: newValue,
  });

  it('blanks allocation values, withholds revealing entities, keeps the rest', () => {
    const arm = entry('randomisation', 'arm', null, 'peer_support');
    assert.deepEqual(redactAuditEntry({ role: 'trial_manager' }, arm, OPEN), { ...arm, new_value: null });
    assert.equal(
      redactAuditEntry({ role: 'trial_manager' }, entry('contact', 'minutes', '20', '30'), OPEN),
      undefined,
    );
    assert.equal(
      redactAuditEntry(
        { role: 'trial_manager' },
        entry('withdrawal', null, null, '{"scope":"intervention"}'),
        OPEN,
      ),
      undefined,
    );
    const plain = entry('baseline', 'ageYears', '40', '41');
    assert.equal(redactAuditEntry({ role: 'trial_manager' }, plain, OPEN), plain);
    const flagged = { ...entry('participant', 'note', 'a', 'b'), reveals_allocation: 1 };
    assert.deepEqual(redactAuditEntry({ role: 'trial_manager' }, flagged, OPEN), {
      ...flagged,
      old_value: null,
      new_value: null,
    });
  });

  it('rewrites whole-record entries without the arm or SAE relatedness', () => {
    const whole = entry(
      'randomisation',
      null,
      null,
      JSON.stringify({ participantId: 'P001', sequence: 1, arm: 'usual_care' }),
    );
    assert.deepEqual(redactAuditEntry({ role: 'researcher' }, whole, OPEN), {
      ...whole,
      new_value: JSON.stringify({ participantId: 'P001', sequence: 1 }),
    });
    const sae = entry('sae', null, null, JSON.stringify({ saeId: 'S1', relatedness: 'possibly' }));
    assert.deepEqual(redactAuditEntry({ role: 'researcher' }, sae, OPEN), {
      ...sae,
      new_value: JSON.stringify({ saeId: 'S1' }),
    });
    const broken = entry('randomisation', null, 'not json', '"peer_support"');
    assert.deepEqual(redactAuditEntry({ role: 'researcher' }, broken, OPEN), {
      ...broken,
      old_value: null,
      new_value: null,
    });
  });

  it('shows allocations to administrators always and to trial managers after the lock', () => {
    const arm = entry('randomisation', 'arm', null, 'peer_support');
    assert.equal(redactAuditEntry({ role: 'admin' }, arm, OPEN), arm);
    assert.equal(redactAuditEntry({ role: 'trial_manager' }, arm, LOCKED), arm);
    assert.deepEqual(redactAuditEntry({ role: 'statistician' }, arm, LOCKED), { ...arm, new_value: null });
  });

  it('flags what reveals an allocation', () => {
    assert.deepEqual(
      RECORD_KINDS.filter((kind) => revealsAllocation(kind)),
      ['randomisation', 'assignment', 'contact', 'withdrawal', 'intervention_withdrawal'],
    );
    assert.equal(revealsAllocation('sae', 'relatedness'), true);
    assert.equal(revealsAllocation('sae', 'outcome'), false);
    assert.equal(revealsAllocation('baseline', 'arm'), true);
    assert.equal(revealsAllocation('withdrawal', 'scope', 'all'), false);
    assert.equal(revealsAllocation('withdrawal', null, { scope: 'intervention' }), true);
    assert.equal(revealsAllocation('intervention_withdrawal', 'withdrawalDate'), true);
  });
});

describe('blindAnalysisRows', () => {
  it('drops arm and the intervention-received columns', () => {
    const rows = blindAnalysisRows([
      { participant_id: 'P1', arm: 'peer_support', pw_contacts_hospital: 2, age: 30 },
    ]);
    assert.deepEqual(rows, [{ participant_id: 'P1', age: 30 }]);
    assert.deepEqual(BLINDED_EXPORT_EXCLUDED_COLUMNS, [
      'arm',
      'pw_contacts_hospital',
      'pw_contacts_community',
      'first_contact_minutes',
      'first_contact_relationship_activities',
    ]);
  });
});
