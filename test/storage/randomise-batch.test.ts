/**
 * Group-committed randomisation (src/storage/randomise-batch.ts) on SQLite and, when ENRICH_TEST_PG_URL
 * is set, PostgreSQL: concurrent requests share one transaction, a refused request changes nothing while
 * the others in its batch go on, sequence numbers run 1..n without gaps, a person is randomised once, the
 * audit chain verifies, and a batch allocates exactly as the same requests made one at a time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type DatabaseTarget, openDatabase, openTrialStore, StorageError } from '../../src/storage/index.ts';
import {
  type AuditEntry,
  createSeededRandom,
  type RandomisationRecord,
  type TrialStore,
} from '../../src/trial/index.ts';
import { postgresDatabases } from '../server/harness.ts';
import { ADMIN, consent, RESEARCHER, screening, steppingClock, TEST_CONFIG } from './store-fixtures.ts';

const strataOf = (index: number) => ({
  site: `site_${(index % 7) + 1}`,
  diagnosis_group: ['psychosis', 'personality', 'other'][index % 3] as string,
});

async function openStore(target: DatabaseTarget, seed = 11): Promise<TrialStore> {
  return openTrialStore(target, { now: steppingClock(), random: createSeededRandom(seed), migrate: true });
}

/** Trial t1 with S1..Sn screened and consented; S<n+1> screened without consent. */
async function prepare(store: TrialStore, n: number): Promise<void> {
  await store.createTrial('t1', TEST_CONFIG, { actor: ADMIN });
  for (let index = 1; index <= n + 1; index++) {
    const id = `S${index}`;
    const records: { kind: 'screening' | 'consent'; record: unknown }[] = [
      { kind: 'screening', record: screening('t1', id, strataOf(index).site) },
    ];
    if (index <= n) records.push({ kind: 'consent', record: consent(id) });
    await store.saveRecords('t1', records, { actor: RESEARCHER });
  }
}

const request = (index: number) => ({ trialId: 't1', screeningId: `S${index}`, strata: strataOf(index) });

/** The audit entries without their times (the batch shares one time; one-at-a-time does not). */
const auditContent = (entries: readonly AuditEntry[]) =>
  entries.map(
    ({ action, entity, recordId, field, oldValue, newValue, reason, actorId, revealsAllocation }) => ({
      action,
      entity,
      recordId,
      field,
      oldValue,
      newValue: field === 'randomisedAt' ? 'time' : newValue,
      reason,
      actorId,
      revealsAllocation,
    }),
  );

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'ok';
  assert.ok(result.reason instanceof StorageError, `expected StorageError, got ${String(result.reason)}`);
  return result.reason.code;
}

function defineBatchSuite(dialect: string, fresh: () => Promise<DatabaseTarget>): void {
  describe(`group-committed randomisation on ${dialect}`, () => {
    it('randomises concurrent requests in one transaction; the refused ones change nothing, the others commit', async () => {
      const store = await openStore(await fresh());
      try {
        const n = 30;
        await prepare(store, n);
        const auditBefore = (await store.listAudit({ viewer: ADMIN })).length;
        const calls = [
          ...Array.from({ length: n }, (_, index) => store.randomise(request(index + 1), RESEARCHER)),
          store.randomise(request(3), RESEARCHER), // the same person again
          store.randomise(request(n + 1), RESEARCHER), // screened, no consent
          store.randomise({ trialId: 't1', screeningId: 'S999', strata: strataOf(1) }, RESEARCHER),
          store.randomise({ ...request(5), strata: { ...strataOf(5), site: 'site_9' } }, RESEARCHER),
        ];
        const results = await Promise.allSettled(calls);
        const codes = results.map(codeOf);
        // S3 and S5 are each asked twice: exactly one of each pair succeeds.
        assert.deepEqual(codes.slice(n), [
          'store_already_randomised',
          'store_randomisation_refused',
          'store_not_found',
          'store_already_randomised',
        ]);
        assert.deepEqual(codes.slice(0, n), Array(n).fill('ok'));
        const records = results
          .filter((result) => result.status === 'fulfilled')
          .map((result) => (result as PromiseFulfilledResult<RandomisationRecord>).value);
        assert.deepEqual(
          records.map((record) => record.sequence).sort((a, b) => a - b),
          Array.from({ length: n }, (_, index) => index + 1),
        );
        // One transaction: the stepping clock was read once for all of them.
        assert.equal(new Set(records.map((record) => record.randomisedAt)).size, 1);
        const participants = await store.listParticipants('t1');
        assert.deepEqual(
          participants.map((participant) => participant.screeningId).sort(),
          Array.from({ length: n }, (_, index) => `S${index + 1}`).sort(),
        );
        const s3 = await store.findRecord('t1', 'screening', 'S3');
        assert.equal(s3?.data.participantId, records[2]?.participantId);
        assert.equal(s3?.version, 2);
        const unconsented = await store.findRecord('t1', 'screening', `S${n + 1}`);
        assert.equal(unconsented?.data.outcome, 'pending');
        assert.equal(unconsented?.version, 1);
        // Ten audit entries per randomisation (participant 3, randomisation 5, screening 2), none for the refused.
        assert.equal((await store.listAudit({ viewer: ADMIN })).length, auditBefore + 10 * n);
        const verified = await store.verifyAudit();
        assert.equal(verified.ok, true);
        assert.equal(verified.entries, auditBefore + 10 * n);
        // Stratum balance: blocks of 2, 4 or 6 keep each stratum within 3 of equal.
        const byStratum = new Map<string, Map<string, number>>();
        for (const record of records) {
          const stratum = `${record.strata.site}/${record.strata.diagnosis_group}`;
          const arms = byStratum.get(stratum) ?? new Map<string, number>();
          arms.set(record.arm, (arms.get(record.arm) ?? 0) + 1);
          byStratum.set(stratum, arms);
        }
        for (const [stratum, arms] of byStratum) {
          const counts = TEST_CONFIG.arms.map((arm) => arms.get(arm.name) ?? 0);
          assert.equal(
            counts.reduce((sum, count) => sum + count, 0),
            [...arms.values()].reduce((sum, count) => sum + count, 0),
          );
          assert.ok(Math.max(...counts) - Math.min(...counts) <= 3, `${stratum}: ${counts.join(' vs ')}`);
        }
        // The next request continues the sequence.
        await store.saveRecords(
          't1',
          [
            { kind: 'screening', record: screening('t1', 'S100', strataOf(100).site) },
            { kind: 'consent', record: consent('S100') },
          ],
          { actor: RESEARCHER },
        );
        const next = await store.randomise(request(100), RESEARCHER);
        assert.equal(next.sequence, n + 1);
      } finally {
        await store.close();
      }
    });

    it('allocates in a batch exactly as the same requests made one at a time', async () => {
      const one = await openStore(await fresh(), 5);
      const batch = await openStore(await fresh(), 5);
      try {
        const n = 24;
        await prepare(one, n);
        await prepare(batch, n);
        const sequential: RandomisationRecord[] = [];
        for (let index = 1; index <= n; index++)
          sequential.push(await one.randomise(request(index), RESEARCHER));
        const together = await Promise.all(
          Array.from({ length: n }, (_, index) => batch.randomise(request(index + 1), RESEARCHER)),
        );
        const summary = (records: readonly RandomisationRecord[]) =>
          records.map(({ participantId, sequence, arm, strata }) => ({
            participantId,
            sequence,
            arm,
            strata,
          }));
        assert.deepEqual(summary(together), summary(sequential));
        assert.deepEqual(
          auditContent(await batch.listAudit({ viewer: ADMIN })),
          auditContent(await one.listAudit({ viewer: ADMIN })),
        );
        assert.equal((await batch.verifyAudit()).ok, true);
      } finally {
        await one.close();
        await batch.close();
      }
    });

    it('retries each request alone when a statement of the batch fails, so only the failing one is refused', async () => {
      const target = await fresh();
      const store = await openStore(target);
      try {
        await prepare(store, 5);
        // A trigger refuses S2's participant row: the batch's multi-row insert fails as a whole.
        const { db } = openDatabase(target);
        try {
          const statements =
            target.kind === 'sqlite'
              ? [
                  "create trigger refuse_s2 before insert on participants when new.screening_id = 'S2' begin select raise(abort, 'refused by test trigger'); end",
                ]
              : [
                  "create function refuse_s2() returns trigger language plpgsql as $$ begin if new.screening_id = 'S2' then raise exception 'refused by test trigger'; end if; return new; end $$",
                  'create trigger refuse_s2 before insert on participants for each row execute function refuse_s2()',
                ];
          for (const statement of statements) await sql.raw(statement).execute(db);
        } finally {
          await db.destroy();
        }
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, index) => store.randomise(request(index + 1), RESEARCHER)),
        );
        assert.deepEqual(
          results.map((result) => result.status),
          ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
        );
        assert.match(String((results[1] as PromiseRejectedResult).reason), /refused by test trigger/);
        assert.deepEqual(
          results
            .filter((result) => result.status === 'fulfilled')
            .map((result) => (result as PromiseFulfilledResult<RandomisationRecord>).value.sequence),
          [1, 2, 3, 4],
        );
        assert.equal((await store.findRecord('t1', 'screening', 'S2'))?.data.outcome, 'pending');
        assert.equal((await store.listParticipants('t1')).length, 4);
        assert.equal((await store.verifyAudit()).ok, true);
      } finally {
        await store.close();
      }
    });

    it('keeps every person to one allocation with two stores batching on one database', async () => {
      const target = await fresh();
      const first = await openStore(target, 1);
      const second = await openTrialStore(target, { now: () => new Date(), random: createSeededRandom(2) });
      try {
        const n = 40;
        await prepare(first, n);
        // Every person is asked for by both stores at once.
        const results = await Promise.allSettled(
          Array.from({ length: n }, (_, index) => [
            first.randomise(request(index + 1), RESEARCHER),
            second.randomise(request(index + 1), RESEARCHER),
          ]).flat(),
        );
        const codes = results.map(codeOf);
        for (let index = 0; index < n; index++) {
          assert.deepEqual(
            [codes[2 * index], codes[2 * index + 1]].sort(),
            ['ok', 'store_already_randomised'],
            `S${index + 1}: ${codes[2 * index]}, ${codes[2 * index + 1]}`,
          );
        }
        const sequences = results
          .filter((result) => result.status === 'fulfilled')
          .map((result) => (result as PromiseFulfilledResult<RandomisationRecord>).value.sequence)
          .sort((a, b) => a - b);
        assert.deepEqual(
          sequences,
          Array.from({ length: n }, (_, index) => index + 1),
        );
        assert.equal((await first.listParticipants('t1')).length, n);
        assert.equal((await second.verifyAudit()).ok, true);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
}

const directory = mkdtempSync(join(tmpdir(), 'enrich-batch-'));
let files = 0;
after(() => rmSync(directory, { recursive: true, force: true }));
defineBatchSuite('SQLite', async () => ({ kind: 'sqlite', path: join(directory, `batch-${++files}.db`) }));

const pgUrl = process.env.ENRICH_TEST_PG_URL;
if (pgUrl === undefined || pgUrl === '') {
  it('group-committed randomisation on PostgreSQL', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL batch tests did not run (.ci/run sets it)');
  });
} else {
  const databases = postgresDatabases(pgUrl);
  after(() => databases.cleanup());
  defineBatchSuite('PostgreSQL', databases.fresh);
}
