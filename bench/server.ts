// Times randomisation over HTTP: `enrich serve` as a child process on a loopback port, 50 concurrent
// clients each sending POST /api/participants/:id/randomise with a bearer token, on SQLite (a temporary
// file) and on PostgreSQL (a fresh database through ENRICH_BENCH_PG_URL or ENRICH_TEST_PG_URL, when set).
// Against it, the same database's raw single-row transaction rate, measured in the same run: one client
// looping BEGIN; INSERT one row; COMMIT with the store's durability settings (SQLite WAL + synchronous=FULL;
// PostgreSQL defaults, synchronous_commit on). The store serialises writes (one writer at a time, see
// docs/reference/storage.md), so that sequential loop is the physical limit a randomisation can approach.
// The raw rate is measured just before and just after each round and averaged (on a shared machine the
// disk's fsync time moves a lot from one minute to the next), and the round's ratio is taken to that.
// Prints randomisations/s, p50/p99 latency and the ratio to the raw rate per round, and the medians.
// Run: npm run bench:server [-- ROUNDS PER_ROUND CLIENTS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type DatabaseTarget, openDatabase } from '../src/storage/index.ts';
import { postgresDatabases } from '../test/server/harness.ts';
import { adminToken, prepareTrial, randomiseOverHttp, startServer } from '../test/server/processes.ts';

const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 1000);
const clients = Number(process.argv[4] ?? 50);
const RAW_SECONDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Single-row write transactions per second, one client, for RAW_SECONDS. */
async function rawRate(target: DatabaseTarget): Promise<number> {
  const { db } = openDatabase(target, { poolSize: 1 });
  try {
    await sql`create table if not exists bench_raw (id integer primary key, payload text not null)`.execute(
      db,
    );
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < RAW_SECONDS * 1000) {
      const id = count++;
      await db.transaction().execute(async (trx) => {
        await sql`insert into bench_raw (id, payload) values (${id}, ${`row ${id}`})`.execute(trx);
      });
    }
    const rate = count / ((performance.now() - started) / 1000);
    await sql`drop table bench_raw`.execute(db);
    return rate;
  } finally {
    await db.destroy();
  }
}

interface Round {
  rate: number;
  p50: number;
  p99: number;
  raw: number;
}

async function benchmark(label: string, target: DatabaseTarget): Promise<Round[]> {
  const people = await prepareTrial(target, rounds * perRound, 7);
  const server = await startServer(target);
  const results: Round[] = [];
  try {
    const token = await adminToken(server.url);
    // Warm-up: JIT, connections, the first allocation (which locks the settings).
    for (let index = 0; index < 20; index++) {
      await fetch(`${server.url}/api/health`);
    }
    for (let round = 0; round < rounds; round++) {
      const rawBefore = await rawRate(target);
      const batch = people.slice(round * perRound, (round + 1) * perRound);
      const latencies: number[] = [];
      let next = 0;
      let failures = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < batch.length) {
            const person = batch[next++];
            if (person === undefined) break;
            const result = await randomiseOverHttp(server.url, token, person.screeningId);
            if (result.status !== 200) failures += 1;
            latencies.push(result.ms);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      if (failures > 0) throw new Error(`${label}: ${failures} randomisations failed`);
      const rawAfter = await rawRate(target);
      const raw = (rawBefore + rawAfter) / 2;
      const item = {
        rate: batch.length / seconds,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        raw,
      };
      results.push(item);
      console.log(
        `${label} round ${round + 1}: ${item.rate.toFixed(0)} randomisations/s, p50 ${item.p50.toFixed(1)} ms, p99 ${item.p99.toFixed(1)} ms; raw ${item.raw.toFixed(0)} tx/s (${rawBefore.toFixed(0)} before, ${rawAfter.toFixed(0)} after); ratio ${(item.rate / item.raw).toFixed(2)}`,
      );
    }
  } finally {
    await server.stop();
  }
  return results;
}

function summarise(label: string, results: readonly Round[]): void {
  const rate = median(results.map((item) => item.rate));
  const raw = median(results.map((item) => item.raw));
  const p50 = median(results.map((item) => item.p50));
  const p99 = median(results.map((item) => item.p99));
  const ratio = median(results.map((item) => item.rate / item.raw));
  console.log(
    `${label} median of ${results.length}: ${rate.toFixed(0)} randomisations/s (${clients} clients), p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; raw single-row transactions ${raw.toFixed(0)}/s; HTTP/raw ${ratio.toFixed(2)} (goal >= 0.5: ${ratio >= 0.5 ? 'met' : 'missed'}); p99 < 50 ms: ${p99 < 50 ? 'met' : 'missed'}`,
  );
}

const directory = mkdtempSync(join(tmpdir(), 'enrich-bench-server-'));
try {
  summarise('sqlite', await benchmark('sqlite', { kind: 'sqlite', path: join(directory, 'bench.db') }));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
const pgUrl = process.env.ENRICH_BENCH_PG_URL ?? process.env.ENRICH_TEST_PG_URL;
if (pgUrl === undefined || pgUrl === '') {
  console.log('postgres: skipped (set ENRICH_BENCH_PG_URL or ENRICH_TEST_PG_URL to an admin URL)');
} else {
  const databases = postgresDatabases(pgUrl);
  try {
    summarise('postgres', await benchmark('postgres', await databases.fresh()));
  } finally {
    await databases.cleanup();
  }
}
