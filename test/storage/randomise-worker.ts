/**
 * A separate process for the concurrency test: opens the store on the database given in argv[2] (JSON
 * target), fires one randomisation per screening id in argv[4] (JSON list) all at once, and prints one
 * JSON line: the successes and the error codes.
 */

import type { DatabaseTarget } from '../../src/storage/index.ts';
import { createSecureRandom, openTrialStore, StorageError } from '../../src/storage/index.ts';

const [targetJson, trialId, idsJson] = process.argv.slice(2);
const target = JSON.parse(targetJson as string) as DatabaseTarget;
const screeningIds = JSON.parse(idsJson as string) as string[];
const store = await openTrialStore(target, {
  now: () => new Date(),
  random: createSecureRandom(),
  poolSize: 10,
});
const outcomes = await Promise.all(
  screeningIds.map(async (screeningId) => {
    const site = `site_${(Number(screeningId.slice(1)) % 7) + 1}`;
    const diagnosisGroup = ['psychosis', 'personality', 'other'][Number(screeningId.slice(1)) % 3] as string;
    try {
      const record = await store.randomise(
        { trialId: trialId as string, screeningId, strata: { site, diagnosis_group: diagnosisGroup } },
        { userId: `worker-${process.pid}`, role: 'researcher' },
      );
      return { screeningId, participantId: record.participantId, sequence: record.sequence, arm: record.arm };
    } catch (error) {
      return { screeningId, error: error instanceof StorageError ? error.code : String(error) };
    }
  }),
);
await store.close();
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
