/**
 * @module
 * The worker loop every queue-driven controller runs (client-go's sample-controller and
 * kube-controller-manager's controllers: processNextWorkItem): wait for the informers to sync, then
 * `workers` loops each take one key, sync it, and forget it on success or re-add it rate-limited on
 * failure; `done` always follows. The queue keeps one key from being synced by two workers at once.
 */
import { waitForCacheSync } from '../../client/cache/informer-factory.js';
import type { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import type { Clock } from '../../util/clock.js';
import { errorMessage, type Logger } from '../../util/logger.js';

export interface WorkLoopOptions {
  /** Names the controller in log lines. */
  readonly name: string;
  /** What a key names, in log lines (`service`): "sync of service ns/x failed". @defaultValue none */
  readonly subject?: string;
  readonly queue: RateLimitingQueue<string>;
  /** The informer registrations to wait for before the first sync. */
  readonly synced: readonly (() => boolean)[];
  readonly workers: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Syncs one key; `{ requeueAfterMs }` syncs it again that much later; a throw retries with backoff. */
  readonly sync: (key: string) => Promise<{ readonly requeueAfterMs?: number } | void>;
  /** Called once the caches have synced, before the workers start. */
  readonly onSynced?: () => void;
}

/** Runs the workers until `signal` aborts; resolves once every worker has stopped. */
export async function runWorkLoop(options: WorkLoopOptions, signal: AbortSignal): Promise<void> {
  const { queue } = options;
  const stop = (): void => queue.shutDown();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  if (await waitForCacheSync(signal, options.synced, options.clock)) {
    options.onSynced?.();
    await Promise.all(Array.from({ length: options.workers }, () => worker(options)));
  }
  queue.shutDown();
  signal.removeEventListener('abort', stop);
}

async function worker(options: WorkLoopOptions): Promise<void> {
  const { queue } = options;
  for (;;) {
    const next = await queue.get();
    if (next.shutdown) return;
    const key = next.item;
    try {
      const result = await options.sync(key);
      queue.forget(key);
      if (result?.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const subject = options.subject === undefined ? '' : `of ${options.subject} `;
      options.logger.warn(`${options.name}: sync ${subject}${key} failed: ${errorMessage(error)}`);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }
}
