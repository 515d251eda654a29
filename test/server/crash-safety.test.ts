/**
 * Crash safety: `enrich serve` is killed with SIGKILL in the middle of a burst of writes (randomisations
 * and screening-log entries over HTTP). After a restart every write that was acknowledged (2xx) is there,
 * the allocations are still gap-free, `enrich audit verify` passes and the server takes new writes. SQLite
 * always; PostgreSQL when ENRICH_TEST_PG_URL is set.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSecureRandom, type DatabaseTarget, openTrialStore } from '../../src/storage/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { type FreshDatabase, postgresDatabases, sqliteDatabases } from './harness.ts';
import { adminToken, dbArgument, prepareTrial, randomiseOverHttp, startServer } from './processes.ts';

const PEOPLE = 240;
const KILL_AFTER_ACKS = 60;
const CONCURRENCY = 16;

async function crashDuringBurst(target: DatabaseTarget): Promise<void> {
  const people = await prepareTrial(target, PEOPLE);
  const server = await startServer(target);
  const token = await adminToken(server.url);
  const acknowledgedRandomisations = new Map<string, number>();
  const acknowledgedScreenings: string[] = [];
  let killed = false;
  let failures = 0;
  const kill = () => {
    if (killed) return;
    killed = true;
    server.child.kill('SIGKILL');
  };
  const acknowledged = () => acknowledgedRandomisations.size + acknowledgedScreenings.length;
  let next = 0;
  const worker = async (lane: number) => {
    while (next < people.length) {
      const person = people[next++];
      if (person === undefined) break;
      try {
        if (lane % 4 === 0) {
          const response = await fetch(`${server.url}/api/trials/enrich/screening-log`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ site_id: person.site, outcome: 'declined', outcome_detail: 'crash test' }),
          });
          const body = (await response.json()) as { id?: string };
          if (response.status === 201) acknowledgedScreenings.push(body.id as string);
        } else {
          const result = await randomiseOverHttp(server.url, token, person.screeningId);
          if (result.status === 200) {
            acknowledgedRandomisations.set(person.screeningId, result.body.sequence_number as number);
          }
        }
      } catch {
        failures += 1; // the connection died with the server: not acknowledged
        if (killed) break;
      }
      if (acknowledged() >= KILL_AFTER_ACKS) kill();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, lane) => worker(lane)));
  kill();
  assert.equal(await server.exited, 'SIGKILL');
  assert.ok(acknowledged() >= KILL_AFTER_ACKS, `acknowledged ${acknowledged()}`);
  assert.ok(failures > 0 || next < people.length, 'the kill interrupted the burst');

  const store = await openTrialStore(target, { now: () => new Date(), random: createSecureRandom() });
  try {
    for (const [screeningId, sequence] of acknowledgedRandomisations) {
      const screening = await store.findRecord('enrich', 'screening', screeningId);
      assert.equal(screening?.data.outcome, 'randomised', screeningId);
      const allocation = await store.findRandomisation('enrich', screening?.data.participantId as string);
      assert.equal(allocation?.sequence, sequence, screeningId);
    }
    for (const id of acknowledgedScreenings) {
      assert.equal((await store.findRecord('enrich', 'screening', id))?.data.outcome, 'declined', id);
    }
    const sequences = (await store.listParticipants('enrich')).length;
    const records = await store.listParticipantRecords('enrich');
    assert.deepEqual(
      records.map((record) => record.randomisation.sequence).sort((a, b) => a - b),
      Array.from({ length: sequences }, (_, index) => index + 1),
    );
  } finally {
    await store.close();
  }
  const verify = await runCli(['audit', 'verify', '--db', dbArgument(target)]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);

  const restarted = await startServer(target);
  try {
    const token2 = await adminToken(restarted.url);
    const untouched = people.find(
      (person, index) => index % 4 !== 0 && !acknowledgedRandomisations.has(person.screeningId),
    );
    if (untouched !== undefined) {
      const result = await randomiseOverHttp(restarted.url, token2, untouched.screeningId);
      assert.ok(result.status === 200 || result.status === 409, JSON.stringify(result));
    }
  } finally {
    assert.equal(await restarted.stop(), 0);
  }
}

function defineCrashTest(dialect: string, databases: { fresh: FreshDatabase; cleanup: () => Promise<void> }) {
  after(databases.cleanup);
  describe(`crash safety on ${dialect}`, () => {
    it('kill -9 during a burst of writes: every acknowledged write survives; audit verify passes', async () => {
      await crashDuringBurst(await databases.fresh());
    });
  });
}

defineCrashTest('sqlite', sqliteDatabases());
const adminUrl = process.env.ENRICH_TEST_PG_URL;
if (adminUrl === undefined || adminUrl === '') {
  it('crash safety on PostgreSQL', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL crash test did not run (.ci/run sets it)');
  });
} else {
  defineCrashTest('postgres', postgresDatabases(adminUrl));
}
