/**
 * @module
 * Slow-start batches (upstream pkg/controller/replicaset/replica_set.go slowStartBatch, with
 * controller_utils.go's SlowStartInitialBatchSize). Creating many pods that would all fail the same
 * way (quota, admission) floods the API server and the event stream; so calls are made in batches
 * that start at `initialBatchSize` and double while every call of a batch succeeds. The first batch
 * with a failure ends the run once all its calls have settled; the later batches are never started.
 */

/** Upstream's SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export interface SlowStartResult {
  /** Calls that succeeded. Calls never made (skipped batches) are neither successes nor failures. */
  readonly successes: number;
  /** The first failure of the failing batch, if one failed. */
  readonly error?: unknown;
}

/**
 * Calls `fn` up to `count` times: batches of 1, 2, 4, … (from `initialBatchSize`), each batch's calls
 * concurrently. Never throws: a failure is reported in the result.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batchSize }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batchSize - failures.length;
    const first = failures[0];
    if (first !== undefined) return { successes, error: first.reason };
    remaining -= batchSize;
  }
  return { successes };
}
