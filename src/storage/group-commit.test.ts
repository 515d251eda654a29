import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupCommit, type Settled } from './group-commit.ts';

describe('createGroupCommit', () => {
  it('takes the calls made together into one batch and answers each with its own result', async () => {
    const batches: number[][] = [];
    const double = createGroupCommit<number, number>(async (jobs) => {
      batches.push([...jobs]);
      return jobs.map((job) => ({ ok: true, value: job * 2 }));
    });
    assert.deepEqual(await Promise.all([double(1), double(2), double(3)]), [2, 4, 6]);
    assert.deepEqual(batches, [[1, 2, 3]]);
  });

  it('queues calls made while a batch runs for the next batch, up to maxBatch each', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    let first = true;
    const run = createGroupCommit<number, number>(
      async (jobs) => {
        batches.push([...jobs]);
        if (first) {
          first = false;
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        }
        return jobs.map((job) => ({ ok: true, value: job }));
      },
      { maxBatch: 2 },
    );
    const started = run(0);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [run(1), run(2), run(3)];
    release();
    assert.deepEqual(await Promise.all([started, ...later]), [0, 1, 2, 3]);
    assert.deepEqual(batches, [[0], [1, 2], [3]]);
  });

  it('refuses one job without refusing the others in its batch', async () => {
    const run = createGroupCommit<number, number>(async (jobs) =>
      jobs.map(
        (job): Settled<number> =>
          job === 2 ? { ok: false, error: new Error('two refused') } : { ok: true, value: job },
      ),
    );
    const results = await Promise.allSettled([run(1), run(2), run(3)]);
    assert.deepEqual(
      results.map((result) =>
        result.status === 'fulfilled' ? result.value : (result.reason as Error).message,
      ),
      [1, 'two refused', 3],
    );
  });

  it('gives every job of a batch the error when the batch itself fails (nothing committed)', async () => {
    const run = createGroupCommit<number, number>(async () => {
      throw new Error('commit failed');
    });
    const results = await Promise.allSettled([run(1), run(2)]);
    assert.deepEqual(
      results.map((result) => result.status === 'rejected' && (result.reason as Error).message),
      ['commit failed', 'commit failed'],
    );
  });

  it('answers only after the batch has returned', async () => {
    const events: string[] = [];
    const run = createGroupCommit<number, number>(async (jobs) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push('committed');
      return jobs.map((job) => ({ ok: true, value: job }));
    });
    await run(1).then(() => events.push('answered'));
    assert.deepEqual(events, ['committed', 'answered']);
  });
});
