/** The outcome of one job in a batch: its value, or the error that refused it (the others still commit). */
export type Settled<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: unknown };

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** The most jobs one batch takes (the rest wait for the next batch). Default 64. */
  readonly maxBatch?: number;
}

/**
 * Group commit: concurrent calls queue up while a batch is being written, and the next batch takes every
 * queued job (up to `maxBatch`) into one `runBatch` call, which runs them in one transaction and commits
 * once. Each caller's promise settles only after `runBatch` has returned, that is after the commit: an
 * answer is never given for a write that is not yet durable. `runBatch` settles each job on its own (a
 * refused job does not refuse the others); if `runBatch` itself throws (the transaction or the commit
 * failed), nothing of the batch was committed and every job in it gets that error.
 *
 * A batch starts on the next turn of the event loop after a job arrives (`setImmediate`), so the requests
 * that arrived together are taken together; with no other job waiting this adds no measurable delay. One
 * batch runs at a time per store.
 *
 * @example
 * const save = createGroupCommit<number, number>(async (jobs) => jobs.map((job) => ({ ok: true, value: job * 2 })));
 * await Promise.all([save(1), save(2)]); // [2, 4], one batch
 */
export function createGroupCommit<J, R>(
  runBatch: (jobs: readonly J[]) => Promise<readonly Settled<R>[]>,
  options: GroupCommitOptions = {},
): (job: J) => Promise<R> {
  const maxBatch = options.maxBatch ?? 64;
  interface Waiting {
    readonly job: J;
    readonly resolve: (value: R) => void;
    readonly reject: (error: unknown) => void;
  }
  const queue: Waiting[] = [];
  let running = false;
  let scheduled = false;

  function schedule(): void {
    if (running || scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void run();
    });
  }

  async function run(): Promise<void> {
    running = true;
    const batch = queue.splice(0, maxBatch);
    try {
      const results = await runBatch(batch.map((item) => item.job));
      batch.forEach((item, index) => {
        const result = results[index];
        if (result === undefined) {
          item.reject(new Error(`group commit: batch of ${batch.length} returned ${results.length} results`));
        } else if (result.ok) {
          item.resolve(result.value);
        } else {
          item.reject(result.error);
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    } finally {
      running = false;
      schedule();
    }
  }

  return (job: J) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      schedule();
    });
}
