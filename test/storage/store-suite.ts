/**
 * The storage test suite, run once per dialect (sqlite.test.ts always, postgres.test.ts when
 * ENRICH_TEST_PG_URL is set). Each test gets a fresh, migrated database from `fresh()`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import {
  type DatabaseTarget,
  openDatabase,
  openTrialStore,
  StorageError,
  verifyPassword,
} from '../../src/storage/index.ts';
import type { TrialStore } from '../../src/trial/index.ts';
import {
  createSeededRandom,
  type RandomisationState,
  RandomisationStratumError,
  RecordValidationError,
} from '../../src/trial/index.ts';
import {
  ADMIN,
  consent,
  MANAGER,
  RESEARCHER,
  screening,
  steppingClock,
  TEST_CONFIG,
} from './store-fixtures.ts';

/** Makes a fresh empty database and returns where it is. */
export type FreshDatabase = () => Promise<DatabaseTarget>;

async function openStore(target: DatabaseTarget): Promise<TrialStore> {
  return openTrialStore(target, { now: steppingClock(), random: createSeededRandom(7), migrate: true });
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StorageError, `expected StorageError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

/** A trial with `n` screened, consented people S1..Sn at sites site_1..site_7. */
async function trialWithScreened(store: TrialStore, trialId: string, n: number): Promise<void> {
  await store.createTrial(trialId, TEST_CONFIG, { actor: ADMIN });
  for (let index = 1; index <= n; index++) {
    const id = `S${index}`;
    await store.saveRecord(trialId, 'screening', screening(trialId, id, `site_${(index % 7) + 1}`), {
      actor: RESEARCHER,
    });
    await store.saveRecord(trialId, 'consent', consent(id), { actor: RESEARCHER });
  }
}

const strataOf = (index: number) => ({
  site: `site_${(index % 7) + 1}`,
  diagnosis_group: ['psychosis', 'personality', 'other'][index % 3] as string,
});

/** Runs a raw statement on the database behind a store (to tamper with it, as an attacker with file access could). */
async function tamper(target: DatabaseTarget, statements: string[]): Promise<void> {
  const { db } = openDatabase(target);
  try {
    for (const statement of statements) await sql.raw(statement).execute(db);
  } finally {
    await db.destroy();
  }
}

export function defineStoreSuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`TrialStore on ${dialect}`, () => {
    it('refuses a database without the schema, then migrates idempotently', async () => {
      const target = await fresh();
      await rejectsWith(
        openTrialStore(target, { now: steppingClock(), random: createSeededRandom(1) }),
        'store_unavailable',
        /run enrich init/,
      );
      const store = await openStore(target);
      await store.close();
      const again = await openStore(target);
      assert.equal(again.dialect, dialect);
      await again.close();
    });

    it('is durable: an acknowledged commit is on disk', async () => {
      const target = await fresh();
      const store = await openStore(target);
      await store.close();
      const { db } = openDatabase(target);
      try {
        if (dialect === 'sqlite') {
          const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
          assert.equal(journal.rows[0]?.journal_mode, 'wal');
          const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
          assert.equal(synchronous.rows[0]?.synchronous, 2, 'synchronous = FULL');
        } else {
          const commit = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
          assert.equal(commit.rows[0]?.synchronous_commit, 'on');
          const fsync = await sql<{ fsync: string }>`show fsync`.execute(db);
          assert.equal(fsync.rows[0]?.fsync, 'on');
        }
      } finally {
        await db.destroy();
      }
    });

    it('creates users with scrypt hashes and checks logins', async () => {
      const target = await fresh();
      const store = await openStore(target);
      try {
        const user = await store.createUser(
          { username: 'admin', role: 'admin', sites: [], password: 'a long secret' },
          { actor: ADMIN },
        );
        assert.equal(user.username, 'admin');
        assert.deepEqual(await store.verifyLogin('admin', 'a long secret'), user);
        assert.equal(await store.verifyLogin('admin', 'a long secreT'), undefined);
        assert.equal(await store.verifyLogin('nobody', 'a long secret'), undefined);
        assert.deepEqual(await store.findUser('admin'), user);
        const { db } = openDatabase(target);
        const row = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
        await db.destroy();
        assert.match(row.password_hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
        assert.ok(!row.password_hash.includes('a long secret'));
        assert.equal(await verifyPassword('a long secret', row.password_hash), true);
        assert.equal(await verifyPassword('a long secret', 'md5$abc'), false);
        await rejectsWith(
          store.createUser(
            { username: 'admin', role: 'researcher', sites: [], password: '12345678' },
            { actor: ADMIN },
          ),
          'store_conflict',
          /username "admin" requires a name not yet taken/,
        );
        await rejectsWith(
          store.createUser(
            { username: 'x', role: 'boss' as never, sites: [], password: '12345678' },
            { actor: ADMIN },
          ),
          'store_record_invalid',
          /user role requires one of admin, trial_manager/,
        );
        await rejectsWith(
          store.createUser({ username: 'x', role: 'dmc', sites: [], password: 'short' }, { actor: ADMIN }),
          'store_record_invalid',
          /password requires at least 8 characters \(got 5\)/,
        );
        await rejectsWith(
          store.createUser(
            { username: 'bad name', role: 'dmc', sites: [], password: '12345678' },
            { actor: ADMIN },
          ),
          'store_record_invalid',
          /username requires/,
        );
        await rejectsWith(
          store.createUser(
            { username: 'y', role: 'dmc', sites: 'all' as never, password: '12345678' },
            { actor: ADMIN },
          ),
          'store_record_invalid',
          /user sites require a list/,
        );
      } finally {
        await store.close();
      }
    });

    it('creates trials and reports missing and duplicate ones', async () => {
      const store = await openStore(await fresh());
      try {
        const trial = await store.createTrial('t1', TEST_CONFIG, { actor: ADMIN });
        assert.deepEqual(await store.getTrial('t1'), trial);
        assert.deepEqual(
          (await store.listTrials()).map((item) => item.trialId),
          ['t1'],
        );
        await rejectsWith(
          store.createTrial('t1', TEST_CONFIG, { actor: ADMIN }),
          'store_conflict',
          /not yet used/,
        );
        await rejectsWith(
          store.createTrial('bad id', TEST_CONFIG, { actor: ADMIN }),
          'store_record_invalid',
          /trial id/,
        );
        await rejectsWith(
          store.getTrial('nope'),
          'store_not_found',
          /trial "nope" requires an existing trial/,
        );
      } finally {
        await store.close();
      }
    });

    it('audits record changes field by field and requires a reason after first entry', async () => {
      const store = await openStore(await fresh());
      try {
        await store.createTrial('t1', TEST_CONFIG, { actor: ADMIN });
        const first = await store.saveRecord('t1', 'screening', screening('t1', 'S1'), { actor: RESEARCHER });
        assert.equal(first.version, 1);
        const changed = { ...screening('t1', 'S1'), screenedDate: '2024-03-04' };
        await rejectsWith(
          store.saveRecord('t1', 'screening', changed, { actor: RESEARCHER }),
          'store_reason_required',
          /changing screening record "S1" requires a reason for the change \(got none\)/,
        );
        await rejectsWith(
          store.saveRecord('t1', 'screening', changed, { actor: RESEARCHER, reason: '   ' }),
          'store_reason_required',
          /requires a reason/,
        );
        const second = await store.saveRecord('t1', 'screening', changed, {
          actor: RESEARCHER,
          reason: 'date typed wrongly',
        });
        assert.equal(second.version, 2);
        const same = await store.saveRecord('t1', 'screening', changed, { actor: RESEARCHER });
        assert.equal(same.version, 2, 'saving an identical record changes nothing');
        const audit = await store.listAudit({ trialId: 't1', viewer: RESEARCHER });
        const update = audit.filter((entry) => entry.action === 'update');
        assert.deepEqual(
          update.map((entry) => [
            entry.entity,
            entry.recordId,
            entry.field,
            entry.oldValue,
            entry.newValue,
            entry.reason,
            entry.actorId,
          ]),
          [
            [
              'screening',
              'S1',
              'screenedDate',
              '2024-03-01',
              '2024-03-04',
              'date typed wrongly',
              RESEARCHER.userId,
            ],
          ],
        );
        const creates = audit.filter((entry) => entry.action === 'create' && entry.entity === 'screening');
        assert.deepEqual(
          creates.map((entry) => entry.field),
          ['criteria', 'outcome', 'screenedBy', 'screenedDate', 'screeningId', 'site', 'trialId'],
        );
        assert.ok(
          creates.every((entry) => entry.oldValue === null && entry.at.startsWith('2024-03-01T09:00:')),
        );
        assert.deepEqual((await store.findRecord('t1', 'screening', 'S1'))?.data, changed);
        assert.equal(await store.findRecord('t1', 'screening', 'S9'), undefined);
        assert.equal((await store.listRecords('t1', 'screening')).length, 1);
      } finally {
        await store.close();
      }
    });

    it('checks a guard record inside the write transaction: a throwing check refuses the write', async () => {
      const store = await openStore(await fresh());
      try {
        await store.createTrial('t1', TEST_CONFIG, { actor: ADMIN });
        const seen: (number | undefined)[] = [];
        class Refused extends Error {}
        const guard = {
          kind: 'screening' as const,
          recordId: 'S1',
          check(record: { version: number } | undefined) {
            seen.push(record?.version);
            if (record !== undefined) throw new Refused('S1 exists');
          },
        };
        // The guard record is absent: the check sees undefined and the write goes ahead.
        const saved = await store.saveRecord('t1', 'screening', screening('t1', 'S2'), {
          actor: RESEARCHER,
          guard,
        });
        assert.equal(saved.version, 1);
        // Written by an earlier, committed transaction: the check sees it, throws, and nothing is written.
        await store.saveRecord('t1', 'screening', screening('t1', 'S1'), { actor: RESEARCHER });
        await assert.rejects(
          store.saveRecord('t1', 'screening', screening('t1', 'S3'), { actor: RESEARCHER, guard }),
          Refused,
        );
        assert.deepEqual(seen, [undefined, 1]);
        assert.equal(await store.findRecord('t1', 'screening', 'S3'), undefined);
        const audit = await store.listAudit({ trialId: 't1', viewer: ADMIN });
        assert.ok(!audit.some((entry) => entry.recordId === 'S3'), 'a refused write leaves no audit entry');
      } finally {
        await store.close();
      }
    });

    it('rejects invalid records and changes nothing', async () => {
      const store = await openStore(await fresh());
      try {
        await store.createTrial('t1', TEST_CONFIG, { actor: ADMIN });
        const before = (await store.listAudit({ viewer: ADMIN })).length;
        await rejectsWith(
          store.saveRecord(
            't1',
            'screening',
            { ...screening('t1', 'S1'), trialId: 't2' },
            { actor: RESEARCHER },
          ),
          'store_record_invalid',
          /screening record requires trialId "t1" \(got "t2"\)/,
        );
        await rejectsWith(
          store.saveRecord(
            't1',
            'screening',
            { ...screening('t1', 'S1'), outcome: 'randomised', participantId: 'P0009' },
            { actor: RESEARCHER },
          ),
          'store_record_invalid',
          /set by randomisation only/,
        );
        await rejectsWith(
          store.saveRecord(
            't1',
            'screening',
            { ...screening('t1', ''), screeningId: '' },
            { actor: RESEARCHER },
          ),
          'store_record_invalid',
          /screening record requires screeningId as non-empty text \(got ""\)/,
        );
        await assert.rejects(
          store.saveRecord(
            't1',
            'screening',
            { ...screening('t1', 'S1'), screenedDate: 'yesterday' },
            { actor: RESEARCHER },
          ),
          (error: unknown) => error instanceof RecordValidationError && /screenedDate/.test(error.message),
        );
        await rejectsWith(
          store.saveRecord('t1', 'consent', consent('S404'), { actor: RESEARCHER }),
          'store_not_found',
          /consent record requires a screening entry "S404"/,
        );
        await rejectsWith(
          store.saveRecord(
            't1',
            'discharge',
            { participantId: 'P404', dischargeDate: '2024-04-01', recordedBy: 'x' },
            { actor: RESEARCHER },
          ),
          'store_not_found',
          /participant "P404" requires a randomised participant of trial "t1"/,
        );
        await rejectsWith(
          store.saveRecord('t1', 'nonsense' as never, {} as never, { actor: RESEARCHER }),
          'store_record_invalid',
          /record kind requires one of screening/,
        );
        await rejectsWith(
          store.saveRecord('t1', 'death', null as never, { actor: RESEARCHER }),
          'store_record_invalid',
          /death record requires an object/,
        );
        await rejectsWith(
          store.saveRecord('t9', 'screening', screening('t9', 'S1'), { actor: RESEARCHER }),
          'store_not_found',
          /trial "t9" requires an existing trial/,
        );
        assert.equal((await store.listAudit({ viewer: ADMIN })).length, before);
      } finally {
        await store.close();
      }
    });

    it('randomises a person once, confirms strata, and refuses the ineligible and unconsented', async () => {
      const store = await openStore(await fresh());
      try {
        await trialWithScreened(store, 't1', 3);
        const record = await store.randomise(
          { trialId: 't1', screeningId: 'S1', strata: { site: 'site_2', diagnosis_group: 'psychosis' } },
          RESEARCHER,
        );
        assert.equal(record.participantId, 'P0001');
        assert.equal(record.sequence, 1);
        assert.deepEqual(record.strata, { site: 'site_2', diagnosis_group: 'psychosis' });
        assert.ok(['peer_support', 'usual_care'].includes(record.arm));
        assert.equal((await store.findRecord('t1', 'screening', 'S1'))?.data.outcome, 'randomised');
        await rejectsWith(
          store.randomise({ trialId: 't1', screeningId: 'S1', strata: strataOf(1) }, RESEARCHER),
          'store_already_randomised',
          /screening entry "S1" was already randomised as participant "P0001"/,
        );
        await store.saveRecord('t1', 'screening', screening('t1', 'S10'), { actor: RESEARCHER });
        await store.saveRecord(
          't1',
          'screening',
          { ...screening('t1', 'S11'), outcome: 'not_eligible', ineligibilityReasons: ['age_18_or_over'] },
          { actor: RESEARCHER },
        );
        await store.saveRecord('t1', 'consent', consent('S11'), { actor: RESEARCHER });
        await store.saveRecord(
          't1',
          'screening',
          { ...screening('t1', 'S12'), criteria: { ...screening('t1', 'S12').criteria, ageYears: 17 } },
          { actor: RESEARCHER },
        );
        await store.saveRecord('t1', 'consent', consent('S12'), { actor: RESEARCHER });
        const audit = await store.listAudit({ trialId: 't1', viewer: ADMIN });
        await rejectsWith(
          store.randomise(
            { trialId: 't1', screeningId: 'S2', strata: { site: 'site_1', diagnosis_group: 'other' } },
            RESEARCHER,
          ),
          'store_randomisation_refused',
          /confirmed site to match the screening site "site_3" \(got "site_1"\)/,
        );
        await rejectsWith(
          store.randomise(
            { trialId: 't1', screeningId: 'S2', strata: { site: 'site_3', diagnosis_group: 'unknown' } },
            RESEARCHER,
          ),
          'store_randomisation_refused',
          /confirmed diagnosis_group of psychosis, personality, other \(got "unknown"\)/,
        );
        await assert.rejects(
          store.randomise(
            {
              trialId: 't1',
              screeningId: 'S2',
              strata: { site: 'site_3', diagnosis_group: 'other', ward: 'x' },
            },
            RESEARCHER,
          ),
          RandomisationStratumError,
        );
        await rejectsWith(
          store.randomise({ trialId: 't1', screeningId: 'S10', strata: strataOf(0) }, RESEARCHER),
          'store_randomisation_refused',
          /randomisation requires recorded consent \(got none for "S10"\)/,
        );
        await rejectsWith(
          store.randomise({ trialId: 't1', screeningId: 'S11', strata: strataOf(0) }, RESEARCHER),
          'store_randomisation_refused',
          /screening outcome of pending \(got "not_eligible" for "S11"\)/,
        );
        await rejectsWith(
          store.randomise({ trialId: 't1', screeningId: 'S12', strata: strataOf(0) }, RESEARCHER),
          'store_randomisation_refused',
          /eligible person \(got "S12" not meeting age_18_or_over \(not_met\)\)/,
        );
        await rejectsWith(
          store.randomise({ trialId: 't1', screeningId: 'S404', strata: strataOf(0) }, RESEARCHER),
          'store_not_found',
          /screening entry "S404"/,
        );
        await rejectsWith(
          store.randomise(
            { trialId: 't1', screeningId: 'S2', strata: strataOf(2), participantId: 'P0001' },
            RESEARCHER,
          ),
          'store_conflict',
          /participant id "P0001" requires an id not yet used/,
        );
        await rejectsWith(
          store.randomise(
            { trialId: 't1', screeningId: 'S2', strata: strataOf(2), participantId: 'P 2' },
            RESEARCHER,
          ),
          'store_record_invalid',
          /participant id requires/,
        );
        const after = await store.listAudit({ trialId: 't1', viewer: ADMIN });
        assert.equal(after.length, audit.length, 'refused randomisations write nothing');
        const second = await store.randomise(
          { trialId: 't1', screeningId: 'S2', strata: strataOf(2) },
          RESEARCHER,
        );
        assert.equal(second.sequence, 2, 'a refused request uses no allocation slot');
        assert.deepEqual(
          (await store.listParticipants('t1')).map((participant) => participant.participantId),
          ['P0001', 'P0002'],
        );
      } finally {
        await store.close();
      }
    });

    it('locks the randomisation settings at the first allocation', async () => {
      const store = await openStore(await fresh());
      try {
        await trialWithScreened(store, 't1', 1);
        const minimisation = { ...TEST_CONFIG, randomisation: { kind: 'minimisation' as const } };
        await rejectsWith(
          store.updateTrialConfig('t1', minimisation, { actor: MANAGER }),
          'store_reason_required',
          /changing the configuration of trial "t1" requires a reason/,
        );
        const changed = await store.updateTrialConfig('t1', minimisation, {
          actor: MANAGER,
          reason: 'protocol v2',
        });
        assert.equal(changed.config.randomisation.kind, 'minimisation');
        const back = await store.updateTrialConfig('t1', TEST_CONFIG, {
          actor: MANAGER,
          reason: 'protocol v3',
        });
        assert.equal(back.config.randomisation.kind, 'permuted_blocks');
        await store.randomise({ trialId: 't1', screeningId: 'S1', strata: strataOf(1) }, RESEARCHER);
        await rejectsWith(
          store.updateTrialConfig('t1', minimisation, { actor: MANAGER, reason: 'protocol v4' }),
          'store_settings_locked',
          /trial "t1" randomisation settings \(arms, factors, method\) are locked since the first allocation/,
        );
        const retitled = await store.updateTrialConfig(
          't1',
          { ...TEST_CONFIG, title: 'Renamed' },
          { actor: MANAGER, reason: 'title' },
        );
        assert.equal(retitled.config.title, 'Renamed');
      } finally {
        await store.close();
      }
    });

    it('unblinds one participant with a reason, audited and hidden from blinded readers', async () => {
      const store = await openStore(await fresh());
      try {
        await trialWithScreened(store, 't1', 1);
        const record = await store.randomise(
          { trialId: 't1', screeningId: 'S1', strata: strataOf(1) },
          RESEARCHER,
        );
        await rejectsWith(
          store.unblind('t1', 'P0001', { actor: MANAGER }),
          'store_reason_required',
          /emergency unblinding of participant "P0001" requires a reason/,
        );
        await rejectsWith(
          store.unblind('t1', 'P0404', { actor: MANAGER, reason: 'x' }),
          'store_not_found',
          /unblinding requires a randomised participant "P0404"/,
        );
        const revealed = await store.unblind('t1', 'P0001', {
          actor: MANAGER,
          reason: 'SAE: treating clinician asks',
        });
        assert.equal(revealed.arm, record.arm);
        const unblinded = await store.listAudit({ trialId: 't1', viewer: ADMIN });
        const blinded = await store.listAudit({ trialId: 't1', viewer: RESEARCHER });
        const unblinding = unblinded.find((entry) => entry.action === 'unblind');
        assert.deepEqual(
          [unblinding?.newValue, unblinding?.reason, unblinding?.actorId, unblinding?.revealsAllocation],
          [record.arm, 'SAE: treating clinician asks', MANAGER.userId, true],
        );
        const revealing = blinded.filter((entry) => entry.revealsAllocation);
        assert.equal(revealing.length, 2, 'the allocation and the unblinding');
        assert.ok(
          revealing.every((entry) => entry.redacted && entry.newValue === null && entry.oldValue === null),
        );
        assert.ok(
          !JSON.stringify(blinded.filter((entry) => entry.entity === 'randomisation')).includes(record.arm),
          'no blinded randomisation entry names the arm',
        );
        assert.ok(blinded.filter((entry) => !entry.revealsAllocation).every((entry) => !entry.redacted));
      } finally {
        await store.close();
      }
    });

    it('locks the database: no change afterwards, exports still audited', async () => {
      const store = await openStore(await fresh());
      try {
        await trialWithScreened(store, 't1', 2);
        await store.randomise({ trialId: 't1', screeningId: 'S1', strata: strataOf(1) }, RESEARCHER);
        await rejectsWith(
          store.lockTrial('t1', { actor: RESEARCHER }),
          'store_forbidden',
          /locking trial "t1" requires the trial_manager or admin role \(got researcher\)/,
        );
        const locked = await store.lockTrial('t1', { actor: MANAGER, reason: 'last participant out' });
        assert.equal(locked.lockedBy, MANAGER.userId);
        assert.match(locked.lockedAt ?? '', /^2024-03-01T09:/);
        const lockMessage =
          /trial "t1" is locked \(database lock at 2024-03-01T09:\d\d:\d\d\.000Z by manager-1\): no change is accepted/;
        await rejectsWith(
          store.saveRecord('t1', 'screening', screening('t1', 'S9'), { actor: RESEARCHER }),
          'store_trial_locked',
          lockMessage,
        );
        await rejectsWith(
          store.randomise({ trialId: 't1', screeningId: 'S2', strata: strataOf(2) }, RESEARCHER),
          'store_trial_locked',
          lockMessage,
        );
        await rejectsWith(
          store.updateTrialConfig('t1', { ...TEST_CONFIG, title: 'x' }, { actor: MANAGER, reason: 'x' }),
          'store_trial_locked',
          lockMessage,
        );
        await rejectsWith(store.lockTrial('t1', { actor: MANAGER }), 'store_trial_locked', lockMessage);
        await store.recordExport('t1', 'analysis dataset', MANAGER);
        const last = (await store.listAudit({ trialId: 't1', viewer: RESEARCHER })).at(-1);
        assert.deepEqual([last?.action, last?.newValue], ['export', 'analysis dataset']);
        assert.equal((await store.getTrial('t1')).lockedBy, MANAGER.userId);
      } finally {
        await store.close();
      }
    });

    it('exposes every participant record for the analysis dataset', async () => {
      const store = await openStore(await fresh());
      try {
        await trialWithScreened(store, 't1', 2);
        const record = await store.randomise(
          { trialId: 't1', screeningId: 'S1', strata: strataOf(1) },
          RESEARCHER,
        );
        await store.saveRecord(
          't1',
          'discharge',
          { participantId: 'P0001', dischargeDate: '2024-04-01', recordedBy: RESEARCHER.userId },
          { actor: RESEARCHER },
        );
        const contact = {
          contactId: 'C1',
          participantId: 'P0001',
          peerWorkerId: 'pw1',
          contactDate: '2024-03-20',
          phase: 'before_discharge' as const,
          setting: 'ward' as const,
          mode: 'face_to_face' as const,
          minutes: 45,
          activities: ['getting_to_know' as const],
        };
        await store.saveRecord('t1', 'contact', contact, { actor: RESEARCHER });
        const [participant] = await store.listParticipantRecords('t1');
        assert.deepEqual(participant?.randomisation, record);
        assert.deepEqual(participant?.consent, consent('S1'));
        assert.deepEqual(participant?.contacts, [contact]);
        assert.equal(participant?.discharge?.dischargeDate, '2024-04-01');
        assert.deepEqual(participant?.participant, {
          participantId: 'P0001',
          trialId: 't1',
          screeningId: 'S1',
          site: 'site_2',
          diagnosisGroup: 'personality',
        });
      } finally {
        await store.close();
      }
    });

    describe('audit chain', () => {
      async function auditedDatabase(): Promise<{ target: DatabaseTarget; entries: number }> {
        const target = await fresh();
        const store = await openStore(target);
        await trialWithScreened(store, 't1', 2);
        await store.saveRecord(
          't1',
          'screening',
          { ...screening('t1', 'S2', 'site_3'), screenedDate: '2024-03-05' },
          {
            actor: RESEARCHER,
            reason: 'correction',
          },
        );
        const check = await store.verifyAudit();
        assert.equal(check.ok, true);
        const entries = check.entries;
        assert.ok(entries > 10);
        await store.close();
        return { target, entries };
      }

      async function verify(target: DatabaseTarget) {
        const store = await openStore(target);
        try {
          return await store.verifyAudit();
        } finally {
          await store.close();
        }
      }

      it('verifies an intact chain', async () => {
        const { target, entries } = await auditedDatabase();
        const check = await verify(target);
        assert.deepEqual(check.ok && check.entries, entries);
        assert.match(check.ok ? check.headHash : '', /^[0-9a-f]{64}$/);
      });

      it('detects an edited entry', async () => {
        const { target } = await auditedDatabase();
        await tamper(target, [`update audit_log set new_value = '"2024-03-09"' where seq = 5`]);
        assert.deepEqual(await verify(target), {
          ok: false,
          entries: (await verify(target)).entries,
          firstBadSeq: 5,
          problem: 'audit entry 5 was changed after it was written (its hash does not match)',
        });
      });

      it('detects an edited reason or actor', async () => {
        const { target, entries } = await auditedDatabase();
        await tamper(target, [`update audit_log set actor_id = 'someone-else' where seq = ${entries}`]);
        const check = await verify(target);
        assert.equal(check.ok ? 0 : check.firstBadSeq, entries);
      });

      it('detects a deleted entry', async () => {
        const { target } = await auditedDatabase();
        await tamper(target, ['delete from audit_log where seq = 7']);
        const check = await verify(target);
        assert.equal(check.ok, false);
        assert.equal(check.ok ? 0 : check.firstBadSeq, 7);
        assert.match(check.ok ? '' : check.problem, /audit entry 7 is missing \(the next entry found is 8\)/);
      });

      it('detects a deleted last entry', async () => {
        const { target, entries } = await auditedDatabase();
        await tamper(target, [`delete from audit_log where seq = ${entries}`]);
        const check = await verify(target);
        assert.equal(check.ok ? 0 : check.firstBadSeq, entries);
        assert.match(check.ok ? '' : check.problem, /missing \(the chain head records/);
      });

      it('detects reordered entries', async () => {
        const { target } = await auditedDatabase();
        await tamper(target, [
          'update audit_log set seq = -4 where seq = 4',
          'update audit_log set seq = 4 where seq = 5',
          'update audit_log set seq = 5 where seq = -4',
        ]);
        const check = await verify(target);
        assert.equal(check.ok ? 0 : check.firstBadSeq, 4);
        assert.match(check.ok ? '' : check.problem, /audit entry 4 does not follow entry 3/);
      });
    });

    it('allocates exactly once under 200 concurrent requests from 4 processes', {
      timeout: 240_000,
    }, async () => {
      const target = await fresh();
      const store = await openStore(target);
      const n = 200;
      await trialWithScreened(store, 'c1', n);
      const auditBefore = (await store.verifyAudit()).entries;
      await store.close();
      const processes = 4;
      // Each process gets its share of S1..S200 and, to race on the same people, 10 ids of the next process.
      const shares = Array.from({ length: processes }, (_, worker) => {
        const own = Array.from({ length: n }, (_, index) => index + 1).filter(
          (index) => index % processes === worker,
        );
        const stolen = own.slice(0, 10).map((index) => (index % n) + 1);
        return [...own, ...stolen].map((index) => `S${index}`);
      });
      const worker = fileURLToPath(new URL('./randomise-worker.ts', import.meta.url));
      const results = await Promise.all(
        shares.map(
          (ids) =>
            new Promise<
              {
                screeningId: string;
                participantId?: string;
                sequence?: number;
                arm?: string;
                error?: string;
              }[]
            >((resolve, reject) => {
              const child = spawn(
                process.execPath,
                ['--import', 'tsx', worker, JSON.stringify(target), 'c1', JSON.stringify(ids)],
                {
                  stdio: ['ignore', 'pipe', 'pipe'],
                },
              );
              let out = '';
              let err = '';
              child.stdout.on('data', (chunk) => (out += chunk));
              child.stderr.on('data', (chunk) => (err += chunk));
              child.on('close', (code) =>
                code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`)),
              );
            }),
        ),
      );
      const outcomes = results.flat();
      assert.equal(outcomes.length, n + processes * 10);
      const successes = outcomes.filter((outcome) => outcome.error === undefined);
      const failures = outcomes.filter((outcome) => outcome.error !== undefined);
      assert.equal(successes.length, n, 'every person randomised');
      assert.deepEqual(
        [...new Set(failures.map((outcome) => outcome.error))],
        failures.length > 0 ? ['store_already_randomised'] : [],
      );
      assert.equal(failures.length, processes * 10, 'every duplicate request refused');
      assert.deepEqual(
        successes.map((outcome) => outcome.sequence).sort((a, b) => (a as number) - (b as number)),
        Array.from({ length: n }, (_, index) => index + 1),
        'sequence numbers 1..200: none used twice, none skipped',
      );
      assert.equal(new Set(successes.map((outcome) => outcome.screeningId)).size, n, 'each person once');
      const check = await openStore(target);
      try {
        const records = await check.listParticipantRecords('c1');
        assert.equal(records.length, n);
        const { db } = openDatabase(target);
        const stateRow = await db.selectFrom('randomisation_states').selectAll().executeTakeFirstOrThrow();
        await db.destroy();
        const state = JSON.parse(stateRow.state) as RandomisationState;
        assert.equal(state.sequence, n);
        // The stored state's counts agree with the stored allocations, factor by factor.
        TEST_CONFIG.factors.forEach((factor, factorIndex) => {
          factor.levels.forEach((level, levelIndex) => {
            const arms = TEST_CONFIG.arms.map(
              (arm) =>
                records.filter(
                  (record) =>
                    record.randomisation.strata[factor.name] === level &&
                    record.randomisation.arm === arm.name,
                ).length,
            );
            assert.deepEqual(state.levelCounts[factorIndex]?.[levelIndex], arms);
          });
        });
        // Permuted blocks of at most 6 keep every stratum within 3 of balance.
        const strata = new Map<string, number>();
        for (const record of records) {
          const label = `${record.randomisation.strata.site}/${record.randomisation.strata.diagnosis_group}`;
          strata.set(
            label,
            (strata.get(label) ?? 0) + (record.randomisation.arm === 'peer_support' ? 1 : -1),
          );
        }
        for (const difference of strata.values()) assert.ok(Math.abs(difference) <= 3);
        const audit = await check.verifyAudit();
        assert.equal(audit.ok, true);
        assert.ok(audit.entries > auditBefore + n * 8);
      } finally {
        await check.close();
      }
    });
  });
}
