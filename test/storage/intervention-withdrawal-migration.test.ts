/**
 * Migration 0005_intervention_withdrawal on a database holding withdrawals in the older format (one
 * `withdrawal` record per participant, scope `intervention` included), SQLite always and PostgreSQL when
 * ENRICH_TEST_PG_URL is set: a withdrawal from the intervention moves to its own kind with its version and
 * data; a study withdrawal stays; a blinded first entry of a study withdrawal then succeeds.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { type DatabaseTarget, openDatabase, openTrialStore } from '../../src/storage/index.ts';
import { createSeededRandom } from '../../src/trial/index.ts';
import { type FreshDatabase, postgresDatabases, sqliteDatabases } from '../server/harness.ts';
import { ADMIN, consent, RESEARCHER, screening, steppingClock, TEST_CONFIG } from './store-fixtures.ts';

const open = (target: DatabaseTarget) =>
  openTrialStore(target, { now: steppingClock(), random: createSeededRandom(3), migrate: true });

type Raw = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Puts an older-format intervention withdrawal (kind `withdrawal`, version 2) in place for `participantId`
 * and marks migration 0005 as not yet applied, as a database from the release before it would be.
 */
async function olderFormat(target: DatabaseTarget, participantId: string): Promise<void> {
  const { db } = openDatabase(target);
  const raw = db as unknown as Raw;
  try {
    const at = '2024-04-02T00:00:00.000Z';
    await raw
      .insertInto('records')
      .values({
        trial_id: 't1',
        kind: 'withdrawal',
        record_id: participantId,
        participant_id: participantId,
        data: JSON.stringify({
          dataUse: 'collected_and_records',
          initiatedBy: 'participant',
          participantId,
          recordedBy: 'coordinator-1',
          scope: 'intervention',
          withdrawalDate: '2024-04-01',
        }),
        version: 2,
        created_at: at,
        created_by: 'coordinator-1',
        updated_at: at,
        updated_by: 'coordinator-1',
      })
      .execute();
    // Its audit entries as the older release wrote them (entity `withdrawal`, one entry per field of the
    // create, the scope among them; then a correction of the date alone). The chain is not checked here.
    const last = await raw.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirst();
    let seq = Number(last?.seq ?? 0);
    const entry = (when: string, action: string, field: string, oldValue: unknown, newValue: unknown) => ({
      seq: ++seq,
      at: when,
      actor_id: 'coordinator-1',
      trial_id: 't1',
      action,
      entity: 'withdrawal',
      record_id: participantId,
      field,
      old_value: oldValue === undefined ? null : JSON.stringify(oldValue),
      new_value: JSON.stringify(newValue),
      reason: action === 'update' ? 'date on the letter' : null,
      reveals_allocation: field === 'scope' ? 1 : 0,
      prev_hash: 'older',
      hash: `older-${seq}`,
    });
    await raw
      .insertInto('audit_log')
      .values([
        entry(at, 'create', 'dataUse', undefined, 'collected_and_records'),
        entry(at, 'create', 'initiatedBy', undefined, 'participant'),
        entry(at, 'create', 'participantId', undefined, participantId),
        entry(at, 'create', 'recordedBy', undefined, 'coordinator-1'),
        entry(at, 'create', 'scope', undefined, 'intervention'),
        entry(at, 'create', 'withdrawalDate', undefined, '2024-03-31'),
        entry('2024-04-03T00:00:00.000Z', 'update', 'withdrawalDate', '2024-03-31', '2024-04-01'),
      ])
      .execute();
    await raw
      .updateTable('audit_head')
      .set({ seq, hash: `older-${seq}` })
      .where('id', '=', 1)
      .execute();
    const removed = await raw
      .deleteFrom('kysely_migration')
      .where('name', '=', '0005_intervention_withdrawal')
      .executeTakeFirst();
    assert.equal(Number(removed.numDeletedRows), 1);
  } finally {
    await db.destroy();
  }
}

function defineMigrationTest(dialect: string, fresh: FreshDatabase): void {
  describe(`migration 0005_intervention_withdrawal on ${dialect}`, () => {
    it('moves a withdrawal from the intervention to its own kind; a study withdrawal stays', async () => {
      const target = await fresh();
      const store = await open(target);
      const ids: string[] = [];
      try {
        await store.createTrial('t1', TEST_CONFIG, { actor: ADMIN });
        for (const id of ['S1', 'S2']) {
          await store.saveRecord('t1', 'screening', screening('t1', id), { actor: RESEARCHER });
          await store.saveRecord('t1', 'consent', consent(id), { actor: RESEARCHER });
          const randomised = await store.randomise(
            { trialId: 't1', screeningId: id, strata: { site: 'site_1', diagnosis_group: 'psychosis' } },
            RESEARCHER,
          );
          ids.push(randomised.participantId);
        }
        await store.saveRecord(
          't1',
          'withdrawal',
          {
            participantId: ids[1] as string,
            withdrawalDate: '2024-05-01',
            initiatedBy: 'participant',
            scope: 'all',
            dataUse: 'collected_only',
            recordedBy: 'researcher-1',
          },
          { actor: RESEARCHER },
        );
      } finally {
        await store.close();
      }
      const [older, study] = ids as [string, string];
      await olderFormat(target, older);

      const migrated = await open(target);
      try {
        assert.equal(await migrated.findRecord('t1', 'withdrawal', older), undefined);
        const moved = await migrated.findRecord('t1', 'intervention_withdrawal', older);
        assert.deepEqual(
          [moved?.version, moved?.data.scope, moved?.data.withdrawalDate, moved?.updatedBy],
          [2, 'intervention', '2024-04-01', 'coordinator-1'],
        );
        const kept = await migrated.findRecord('t1', 'withdrawal', study);
        assert.deepEqual([kept?.version, kept?.data.scope], [1, 'all']);
        const records = await migrated.listParticipantRecords('t1');
        const olderRecords = records.find((entry) => entry.participant.participantId === older);
        assert.equal(olderRecords?.withdrawal, undefined);
        assert.equal(olderRecords?.interventionWithdrawal?.scope, 'intervention');
        const studyRecords = records.find((entry) => entry.participant.participantId === study);
        assert.equal(studyRecords?.withdrawal?.scope, 'all');
        assert.equal(studyRecords?.interventionWithdrawal, undefined);
        // A blinded first entry of a study withdrawal (expected version 0) no longer meets the moved record.
        const first = await migrated.saveRecord(
          't1',
          'withdrawal',
          {
            participantId: older,
            withdrawalDate: '2024-06-01',
            initiatedBy: 'participant',
            scope: 'interviews',
            dataUse: 'collected_and_records',
            recordedBy: 'researcher-1',
          },
          { actor: RESEARCHER, expectedVersion: 0 },
        );
        assert.equal(first.version, 1);
        assert.equal((await migrated.findRecord('t1', 'intervention_withdrawal', older))?.version, 2);
        // The audit: a blinded viewer sees the new study withdrawal of this participant, and none of the older
        // entries about the withdrawal from the intervention (not even the date correction); an
        // administrator sees them all.
        const aboutOlder = (entries: Awaited<ReturnType<typeof migrated.listAudit>>) =>
          entries
            .filter((entry) => entry.entity === 'withdrawal' && entry.recordId === older)
            .map((entry) => [entry.action, entry.field, entry.newValue]);
        const blinded = aboutOlder(
          await migrated.listAudit({ trialId: 't1', viewer: { role: 'trial_manager' } }),
        );
        // (a withdrawal's scope value is blanked for blinded viewers whatever it is)
        assert.deepEqual(
          blinded.map(([, field, value]) => [field, value]),
          [
            ['dataUse', 'collected_and_records'],
            ['initiatedBy', 'participant'],
            ['participantId', older],
            ['recordedBy', 'researcher-1'],
            ['scope', null],
            ['withdrawalDate', '2024-06-01'],
          ],
        );
        assert.ok(
          !blinded.some(
            ([, , value]) => value === 'intervention' || value === '2024-04-01' || value === '2024-03-31',
          ),
        );
        assert.ok(!blinded.some(([, , value]) => value === 'coordinator-1'));
        const everything = aboutOlder(await migrated.listAudit({ trialId: 't1', viewer: { role: 'admin' } }));
        assert.equal(everything.length, blinded.length + 7);
        // The store refuses scope intervention on the study withdrawal kind, and any other on the new kind.
        await assert.rejects(
          migrated.saveRecord(
            't1',
            'withdrawal',
            { ...first.data, scope: 'intervention' },
            { actor: RESEARCHER, reason: 'x', expectedVersion: 1 },
          ),
          /withdrawal\.scope requires interviews or all/,
        );
        await assert.rejects(
          migrated.saveRecord(
            't1',
            'intervention_withdrawal',
            { ...(moved?.data as NonNullable<typeof moved>['data']), scope: 'all' as never },
            { actor: ADMIN, reason: 'x', expectedVersion: 2 },
          ),
          /intervention_withdrawal\.scope requires intervention \(got all\)/,
        );
      } finally {
        await migrated.close();
      }
    });
  });
}

const sqlite = sqliteDatabases();
after(sqlite.cleanup);
defineMigrationTest('sqlite', sqlite.fresh);

const adminUrl = process.env.ENRICH_TEST_PG_URL;
if (adminUrl === undefined || adminUrl === '') {
  it('migration 0005_intervention_withdrawal on PostgreSQL', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL case did not run (.ci/run sets it)');
  });
} else {
  const postgres = postgresDatabases(adminUrl);
  after(postgres.cleanup);
  defineMigrationTest('postgres', postgres.fresh);
}
