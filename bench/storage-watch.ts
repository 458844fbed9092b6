/**
 * @module
 * The storage suite's watch figure: deliveries per second to 100 watchers of one prefix. Every change
 * event that reaches one watcher counts once, so one write seen by all 100 counts 100. The clock runs
 * from the first timed write to the last delivery of the last one; the writes come from many
 * concurrent writers, so the figure is what the backend sustains while writing and fanning out at once.
 * There is no anchor: no raw equivalent does the same fan-out.
 */
import type { Store } from '../src/storage/interface.js';
import { withTimeout } from './measure.js';
import { pod, podKey } from './pods.js';
import type { Figure } from './report.js';

export const WATCHERS = 100;
const WATCH_PREFIX = '/registry/pods/bench-watch/';
/** Long enough for a slow backend to drain, short enough that a lost event fails the run, not hangs it. */
const DRAIN_TIMEOUT_MS = 60_000;

export interface WatchPlan {
  readonly warmupMs: number;
  /** How long the writers write while the clock runs. */
  readonly watchMs: number;
  /** Concurrent writers. */
  readonly writers: number;
}

export async function watchDeliveries(backend: string, store: Store, plan: WatchPlan): Promise<Figure> {
  const from = await store.currentRevision();
  const count = new DeliveryCount();
  let stopping = false;
  const watches = Array.from({ length: WATCHERS }, () => store.watch(WATCH_PREFIX, from));
  const consumers = Promise.all(
    watches.map(async (watch) => {
      for await (const batch of watch) {
        let changes = 0;
        for (const event of batch) if (event.type !== 'BOOKMARK') changes++;
        count.add(changes);
      }
    }),
  );
  // A watch that ends or fails before we stop it (Overflow, say) fails the figure instead of hanging it.
  const endedEarly = consumers.then(() => {
    if (!stopping) throw new Error(`${backend}: a watch ended before the benchmark stopped it`);
  });
  endedEarly.catch(() => undefined);
  const delivered = (writes: number): Promise<unknown> =>
    withTimeout(Promise.race([count.reached(WATCHERS * writes), endedEarly]), DRAIN_TIMEOUT_MS, `${backend} watch deliveries`);

  let written = 0;
  const writeFor = async (ms: number): Promise<void> => {
    const deadline = performance.now() + ms;
    const loop = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const i = written++;
        await store.create(podKey(WATCH_PREFIX, i), pod(i));
      }
    };
    await Promise.all(Array.from({ length: plan.writers }, loop));
  };

  try {
    // Warm-up: every watcher live (etcd's streams open), code paths hot, before the clock starts.
    await writeFor(plan.warmupMs);
    await delivered(written);
    const before = written;
    const start = performance.now();
    await writeFor(plan.watchMs);
    await delivered(written);
    const seconds = (performance.now() - start) / 1000;
    return {
      name: `${backend} watch deliveries/s, ${WATCHERS} watchers`,
      value: (WATCHERS * (written - before)) / seconds,
      unit: 'events/s',
    };
  } finally {
    stopping = true;
    for (const watch of watches) watch.close();
    await consumers.catch(() => undefined);
  }
}

/** Counts deliveries and wakes the one waiter when the count reaches its target. */
class DeliveryCount {
  private total = 0;
  private waiter: { readonly target: number; readonly resolve: () => void } | undefined;

  add(n: number): void {
    this.total += n;
    if (this.waiter !== undefined && this.total >= this.waiter.target) {
      this.waiter.resolve();
      this.waiter = undefined;
    }
  }

  reached(target: number): Promise<void> {
    if (this.total >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = { target, resolve };
    });
  }
}
