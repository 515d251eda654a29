/**
 * `enrich export --wellbeing-out FILE.csv`: the pseudonymised wellbeing questionnaire file from a database, as
 * GET .../exports/wellbeing.csv answers it (export_wellbeing only, HMAC pseudonyms under the trial's key,
 * audited), read by `enrich cohort`.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PLACEHOLDER_COHORT_MEASURES } from '../../src/analysis/index.ts';
import { openTrialStore } from '../../src/storage/index.ts';
import { createSeededRandom } from '../../src/trial/index.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-export-wellbeing-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('enrich export --wellbeing-out', () => {
  it('writes the pseudonymised questionnaire file for statisticians only, and enrich cohort reads it', async () => {
    const path = join(directory, 'trial.db');
    const init = await runCli([
      'init',
      '--db',
      path,
      '--template',
      'enrich',
      '--admin-password',
      'correct horse',
    ]);
    assert.equal(init.code, 0, init.stderr);
    const store = await openTrialStore(
      { kind: 'sqlite', path },
      { now: () => new Date(), random: createSeededRandom(4) },
    );
    const system = { actor: { userId: 'system', role: 'admin' as const } };
    await store.createUser(
      { username: 'stats', role: 'statistician', sites: [], password: 'numbers only' },
      system,
    );
    await store.createUser(
      { username: 'coord', role: 'pw_coordinator', sites: [], password: 'sites only' },
      system,
    );
    const workerIds: string[] = [];
    for (let index = 0; index < 6; index++) {
      const worker = await store.createUser(
        { username: `pw${index}`, role: 'peer_worker', sites: [], password: 'own answers' },
        system,
      );
      workerIds.push(worker.userId);
      const answers: Record<string, number> = {};
      for (const measure of PLACEHOLDER_COHORT_MEASURES) {
        for (const [position, item] of measure.items.entries()) {
          answers[item.id] = measure.minimum + ((index + position) % (measure.maximum - measure.minimum + 1));
        }
      }
      await store.saveRecord(
        'enrich',
        'wellbeing',
        { responseId: `${worker.userId}/1`, workerId: worker.userId, timepoint: 1, answers, submitted: true },
        { actor: { userId: worker.userId, role: 'peer_worker' } },
      );
    }
    await store.close();

    const out = join(directory, 'wellbeing.csv');
    const refused = await runCli([
      'export',
      '--db',
      path,
      '--trial',
      'enrich',
      '--wellbeing-out',
      out,
      '--as',
      'coord',
    ]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^enrich: error \[store_forbidden\]: export_wellbeing requires a role allowed to export wellbeing \(got a peer worker coordinator\)\n$/,
    );

    const run = await runCli([
      'export',
      '--db',
      path,
      '--trial',
      'enrich',
      '--wellbeing-out',
      out,
      '--as',
      'stats',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `wrote 6 wellbeing questionnaires of 6 pseudonymised peer workers to ${out}\n`);
    const csv = readFileSync(out, 'utf8');
    const reopened = await openTrialStore(
      { kind: 'sqlite', path },
      { now: () => new Date(), random: createSeededRandom(5) },
    );
    const key = (await reopened.findRecord('enrich', 'wellbeing_pseudonym_key', 'trial'))?.data.key as string;
    const audit = await reopened.listAudit({ trialId: 'enrich', viewer: { role: 'admin' } });
    await reopened.close();
    const pseudonym = (userId: string) =>
      `pw-${createHmac('sha256', Buffer.from(key, 'base64url')).update(`enrich:${userId}`).digest('hex').slice(0, 16)}`;
    const ids = csv
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    assert.deepEqual([...ids].sort(), workerIds.map(pseudonym).sort());
    for (const id of workerIds) assert.ok(!csv.includes(id));
    assert.ok(
      audit.some(
        (entry) => entry.action === 'export' && entry.newValue === 'wellbeing questionnaires (pseudonymised)',
      ),
    );
    // A second export gives the same pseudonyms (the key is kept).
    const second = join(directory, 'again.csv');
    assert.equal(
      (
        await runCli([
          'export',
          '--db',
          path,
          '--trial',
          'enrich',
          '--wellbeing-out',
          second,
          '--as',
          'stats',
        ])
      ).code,
      0,
    );
    assert.equal(readFileSync(second, 'utf8'), csv);

    const cohort = await runCli(['cohort', out, '--norms', fixturePath('data/cohort-norms.csv'), '--json']);
    assert.equal(cohort.code, 0, cohort.stderr);
    assert.deepEqual((JSON.parse(cohort.stdout) as { participants: unknown[] }).participants[0], {
      timepoint: 1,
      n: 6,
      suppressed: null,
    });
    assert.match(
      (await runCli(['export', '--db', path, '--trial', 'enrich', '--wellbeing-out', ''])).stderr,
      /--wellbeing-out requires a file name/,
    );
  });
});
