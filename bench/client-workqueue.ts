/**
 * @module
 * The `client` suite's work-queue figure: items/s through kubelite's RateLimitingQueue (what
 * controllers use; `add` and `get`/`done` are the base WorkQueue's), against a plain JavaScript array
 * used as a FIFO, in the same process and run, taking turns round after round.
 *
 * Each pass adds N distinct keys (`namespace/name` strings built before the clock), then takes every
 * one out — kubelite: `await get()` then `done(item)`, as a worker does; the array: `shift()`. The
 * queue pays for what the array does not do (dedup in a Set, the processing set, a Promise per get),
 * which is what the figure shows.
 */
import { RateLimitingQueue } from '../src/client/workqueue/rate-limiting-queue.js';
import { median } from './measure.js';
import { type Figure, versus } from './report.js';

export interface QueuePlan {
  /** Distinct keys per pass; one figure per size. */
  readonly sizes: readonly number[];
  /** Alternations of the two (odd, so the median is a measured round). */
  readonly rounds: number;
}

/** kubelite's queue: N adds, then N get + done. Items per second. */
async function workQueuePass(keys: readonly string[]): Promise<number> {
  const queue = new RateLimitingQueue<string>();
  const start = performance.now();
  for (const key of keys) queue.add(key);
  for (let i = 0; i < keys.length; i++) {
    const got = await queue.get();
    if (got.shutdown) throw new Error('the queue shut down while items were queued');
    queue.done(got.item);
  }
  const seconds = (performance.now() - start) / 1000;
  // Not a timing assertion: every key came out once and nothing is left.
  if (queue.len() !== 0) throw new Error(`${queue.len()} items left in the work queue`);
  queue.shutDown();
  return keys.length / seconds;
}

/** The anchor: N push, then N shift. Items per second. */
function arrayPass(keys: readonly string[]): number {
  const queue: string[] = [];
  const start = performance.now();
  for (const key of keys) queue.push(key);
  let taken = 0;
  while (queue.length > 0) {
    // Counting what comes out keeps the loop from being optimized away.
    if (queue.shift() !== undefined) taken++;
  }
  const seconds = (performance.now() - start) / 1000;
  if (taken !== keys.length) throw new Error(`the array gave ${taken} items, not ${keys.length}`);
  return keys.length / seconds;
}

export async function workQueueFigures(plan: QueuePlan, log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const size of plan.sizes) {
    const keys = Array.from({ length: size }, (_, i) => `default/pod-${i}`);
    const n = size.toLocaleString('en-US');
    // A discarded pass of each first: both start with optimized code.
    await workQueuePass(keys);
    arrayPass(keys);
    const rates = { queue: [] as number[], array: [] as number[] };
    for (let round = 1; round <= plan.rounds; round++) {
      rates.queue.push(await workQueuePass(keys));
      rates.array.push(arrayPass(keys));
      log(`workqueue, ${n} keys, round ${round}: RateLimitingQueue ${rate(rates.queue)}, array ${rate(rates.array)}`);
    }
    figures.push(
      versus(`workqueue add+get throughput (${n} keys)`, 'items/s', median(rates.queue), {
        name: 'plain JS array as FIFO (push, shift)',
        value: median(rates.array),
      }),
    );
  }
  return figures;
}

function rate(values: readonly number[]): string {
  return `${Math.round(values[values.length - 1] ?? Number.NaN).toLocaleString('en-US')}/s`;
}
