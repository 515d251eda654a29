/**
 * Two `enrich serve` processes on one fresh PostgreSQL database behave as one: 400 randomisations sent at
 * once across both over HTTP (bearer token) randomise every participant exactly once, with sequence
 * numbers 1..400 (unique, no gap) and the permuted-block balance bound in every stratum. Runs when
 * ENRICH_TEST_PG_URL is set (.ci/run sets it).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSecureRandom, openTrialStore } from '../../src/storage/index.ts';
import { postgresDatabases } from './harness.ts';
import { adminToken, prepareTrial, randomiseOverHttp, runningImbalance, startServer } from './processes.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;
const COUNT = 400;

if (adminUrl === undefined || adminUrl === '') {
  it('two server processes on one PostgreSQL database', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the multi-process test did not run (.ci/run sets it)');
  });
} else {
  const databases = postgresDatabases(adminUrl);
  after(databases.cleanup);
  describe('two server processes on one PostgreSQL database', () => {
    it(`${COUNT} concurrent randomisations across both: each participant once, sequence 1..${COUNT}, blocks balanced`, async () => {
      const target = await databases.fresh();
      const people = await prepareTrial(target, COUNT);
      const servers = await Promise.all([startServer(target), startServer(target)]);
      try {
        const token = await adminToken(servers[0]?.url as string);
        // Each person is sent twice (once to each server), all at once: exactly one may win.
        const results = await Promise.all(
          people.flatMap((person, index) => [
            randomiseOverHttp(servers[index % 2]?.url as string, token, person.screeningId),
            randomiseOverHttp(servers[(index + 1) % 2]?.url as string, token, person.screeningId),
          ]),
        );
        const statuses = new Map<number, number>();
        for (const result of results) statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        assert.deepEqual(Object.fromEntries(statuses), { 200: COUNT, 409: COUNT });
        const sequences = results
          .filter((result) => result.status === 200)
          .map((result) => result.body.sequence_number as number)
          .sort((a, b) => a - b);
        assert.deepEqual(
          sequences,
          Array.from({ length: COUNT }, (_, index) => index + 1),
        );
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
      const store = await openTrialStore(target, { now: () => new Date(), random: createSecureRandom() });
      try {
        const records = await store.listParticipantRecords('enrich');
        assert.equal(records.length, COUNT);
        assert.equal(new Set(records.map((record) => record.participant.screeningId)).size, COUNT);
        const allocations = records.map((record) => record.randomisation);
        assert.deepEqual(
          allocations.map((allocation) => allocation.sequence).sort((a, b) => a - b),
          Array.from({ length: COUNT }, (_, index) => index + 1),
        );
        // Blocks of 2, 4 or 6 at 1:1: the arms of a stratum never differ by more than 3 at any point.
        const worst = runningImbalance(allocations);
        assert.equal(worst.size, 9);
        for (const [stratum, imbalance] of worst) assert.ok(imbalance <= 3, `${stratum}: ${imbalance}`);
        const check = await store.verifyAudit();
        assert.equal(check.ok, true);
      } finally {
        await store.close();
      }
    });
  });
}
