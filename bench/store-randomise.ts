// Times the store's randomisation without HTTP: N eligible, consented people (the bench:server trial) on
// SQLite (a temporary file) or PostgreSQL (a fresh database through ENRICH_TEST_PG_URL), randomised by
// CONCURRENCY callers at once (1: one at a time, each its own transaction; more: the group commit takes
// the waiting callers into one transaction). Prints randomisations/s and checks the audit chain after.
// Run: node --import tsx bench/store-randomise.ts [sqlite|postgres] [N] [CONCURRENCY]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureRandom, type DatabaseTarget, openTrialStore } from '../src/storage/index.ts';
import { postgresDatabases } from '../test/server/harness.ts';
import { prepareTrial } from '../test/server/processes.ts';

const dialect = process.argv[2] ?? 'sqlite';
const count = Number(process.argv[3] ?? 1000);
const concurrency = Number(process.argv[4] ?? 50);

let target: DatabaseTarget;
let cleanup = async () => {};
if (dialect === 'sqlite') {
  const directory = mkdtempSync(join(tmpdir(), 'enrich-bench-store-'));
  target = { kind: 'sqlite', path: join(directory, 'bench.db') };
  cleanup = async () => rmSync(directory, { recursive: true, force: true });
} else {
  const url = process.env.ENRICH_BENCH_PG_URL ?? process.env.ENRICH_TEST_PG_URL;
  if (url === undefined || url === '') throw new Error('postgres requires ENRICH_TEST_PG_URL (an admin URL)');
  const databases = postgresDatabases(url);
  target = await databases.fresh();
  cleanup = () => databases.cleanup();
}
try {
  const people = await prepareTrial(target, count, 7);
  const store = await openTrialStore(target, { now: () => new Date(), random: createSecureRandom() });
  try {
    const actor = { userId: 'system', role: 'admin' as const };
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < people.length) {
          const person = people[next++];
          if (person === undefined) break;
          await store.randomise(
            {
              trialId: 'enrich',
              screeningId: person.screeningId,
              strata: { site: person.site, diagnosis_group: person.diagnosisGroup },
            },
            actor,
          );
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const audit = await store.verifyAudit();
    console.log(
      `${dialect}, ${concurrency} callers: ${(count / seconds).toFixed(0)} randomisations/s; audit chain ${audit.ok ? `intact (${audit.entries} entries)` : 'BROKEN'}`,
    );
  } finally {
    await store.close();
  }
} finally {
  await cleanup();
}
