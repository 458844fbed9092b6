/**
 * @module
 * Measurement primitives the suites share: throughput of concurrent loops, per-operation latency
 * samples, percentiles and medians, all timed with `performance.now()`. Nothing here asserts on time;
 * a suite reports what it measured and BENCHMARKS.md compares it with the target.
 */

/** An operation under measurement; a promise (or thenable) result is awaited. */
export type Operation = (i: number) => unknown;

export interface ThroughputOptions {
  /** Operations kept in flight at once, each by its own async loop. */
  readonly concurrency: number;
  readonly durationMs: number;
  /** Run this long first and discard the result (JIT, caches, connections, file growth). */
  readonly warmupMs: number;
}

/**
 * Completed operations per second of `op` run from `concurrency` loops for `durationMs`, after a
 * warm-up. The operation's argument is a counter unique across the warm-up and the measurement, so
 * callers can make unique keys from it. Operations in flight at the deadline finish and count, and so
 * does the time they take.
 */
export async function throughput(op: Operation, options: ThroughputOptions): Promise<number> {
  let next = 0;
  const run = async (durationMs: number): Promise<number> => {
    let done = 0;
    const start = performance.now();
    const deadline = start + durationMs;
    const loop = async (): Promise<void> => {
      while (performance.now() < deadline) {
        await op(next++);
        done++;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, loop));
    return done / ((performance.now() - start) / 1000);
  };
  await run(options.warmupMs);
  return run(options.durationMs);
}

export interface LatencyOptions {
  readonly durationMs: number;
  /**
   * Keep sampling past `durationMs` until there are this many samples (a p99 of fewer than 100
   * samples is just the maximum), but never past 5 × `durationMs`. @defaultValue 0
   */
  readonly minSamples?: number;
  /** @defaultValue 200,000 */
  readonly maxSamples?: number;
}

/**
 * Latencies in milliseconds of `op`, run one at a time. A synchronous operation is timed without an
 * await, so a raw synchronous anchor is not charged for a microtask it does not need.
 */
export async function latencies(op: Operation, options: LatencyOptions): Promise<number[]> {
  const { durationMs, minSamples = 0, maxSamples = 200_000 } = options;
  const samples: number[] = [];
  const begin = performance.now();
  const enough = (now: number): boolean =>
    samples.length >= maxSamples || now - begin >= 5 * durationMs || (now - begin >= durationMs && samples.length >= minSamples);
  for (let i = 0; ; i++) {
    const start = performance.now();
    if (enough(start)) return samples;
    const result = op(i);
    if (isThenable(result)) await result;
    samples.push(performance.now() - start);
  }
}

/** The `p`th percentile (nearest rank) of `samples`; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Rejects with a clear message when `promise` takes longer than `ms` (a benchmark must not hang). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';
}

/**
 * Waits for `done`; fails as soon as one of `failures` rejects, or after `timeoutMs` with the message
 * `timedOut()` gives then (so it can say how far the work got).
 */
export async function untilDone(done: Promise<void>, failures: readonly Promise<never>[], timeoutMs: number, timedOut: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      done,
      ...failures,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(timedOut())), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
