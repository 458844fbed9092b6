/**
 * @module
 * A controller: informers feed a rate-limited work queue of object keys, and N workers take one key
 * at a time and reconcile it — the loop every Kubernetes controller runs (client-go's
 * sample-controller; controller-runtime pkg/internal/controller). processNextWorkItem:
 *
 *   get a key → reconcile → on error addRateLimited, on a terminal error forget,
 *   on requeueAfter forget + addAfter, on success forget → done(key).
 *
 * The queue guarantees one key is never reconciled by two workers at once, and keys added while
 * one is being reconciled are reconciled once more afterwards. Workers start only after every
 * watched informer has synced, so a reconcile never acts on a half-filled cache.
 */
import { type Clock, realClock } from '../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../util/logger.js';
import type { HandlerRegistration, SharedIndexInformer } from '../client/cache/shared-informer.js';
import { waitForCacheSync } from '../client/cache/informer-factory.js';
import { deletedObject } from '../client/cache/keys.js';
import type { DeepReadonly, KubeObject } from '../client/object.js';
import { InMemoryWorkQueueMetrics } from '../client/workqueue/metrics.js';
import { RateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from '../client/workqueue/rate-limiters.js';
import { type MapFunc, requestForObject } from './event-handlers.js';
import type { Predicate } from './predicates.js';
import { type Reconciler, type Request, TerminalError, requestFromKey, requestKey } from './reconciler.js';

export interface ControllerOptions {
  readonly name: string;
  readonly reconciler: Reconciler;
  /** Workers reconciling at once (different keys). @defaultValue 1 */
  readonly maxConcurrentReconciles?: number;
  /** @defaultValue max of per-key exponential 5 ms → 1000 s and a 10 qps / 100 burst bucket */
  readonly rateLimiter?: RateLimiter<string>;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface WatchSpec<T extends KubeObject> {
  readonly informer: SharedIndexInformer<T>;
  /** @defaultValue the object itself */
  readonly map?: MapFunc<T>;
  readonly predicates?: readonly Predicate<T>[];
}

/** Counts like controller-runtime's controller_runtime_reconcile_* metrics. */
export interface ReconcileCounts {
  success: number;
  error: number;
  requeue: number;
  requeueAfter: number;
  terminal: number;
  /** Seconds spent reconciling, summed. */
  seconds: number;
}

export class Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue<string>;
  readonly queueMetrics: InMemoryWorkQueueMetrics;
  readonly counts: ReconcileCounts = { success: 0, error: 0, requeue: 0, requeueAfter: 0, terminal: 0, seconds: 0 };
  private readonly registrations: HandlerRegistration[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private started = false;

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.queueMetrics = new InMemoryWorkQueueMetrics({ name: options.name, clock: this.clock });
    this.queue = new RateLimitingQueue<string>({
      name: options.name,
      clock: this.clock,
      metrics: this.queueMetrics,
      rateLimiter: options.rateLimiter ?? defaultControllerRateLimiter<string>({ clock: this.clock }),
    });
  }

  /** Reconciles the requests that `spec.map` makes of each event of `spec.informer` that passes the predicates. */
  watch<T extends KubeObject>(spec: WatchSpec<T>): void {
    const map: MapFunc<T> = spec.map ?? requestForObject;
    const predicates = spec.predicates ?? [];
    const enqueue = (requests: readonly Request[]): void => {
      for (const request of requests) this.queue.add(requestKey(request));
    };
    this.registrations.push(
      spec.informer.addEventHandler({
        onAdd: (object) => {
          if (predicates.every((p) => p.create?.(object) ?? true)) enqueue(map(object));
        },
        onUpdate: (oldObject, newObject) => {
          if (!predicates.every((p) => p.update?.(oldObject, newObject) ?? true)) return;
          enqueue(map(newObject));
          // An owner or mapped target may have changed: the old one must hear of it too.
          if (spec.map !== undefined) enqueue(map(oldObject));
        },
        onDelete: (deleted) => {
          const object = deletedObject(deleted);
          if (object === undefined) return;
          if (predicates.every((p) => p.delete?.(object as DeepReadonly<T>) ?? true)) enqueue(map(object as DeepReadonly<T>));
        },
      }),
    );
  }

  /** Waits for the watched informers to sync, then reconciles until `signal` aborts; resolves once every worker has stopped. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} was already started`);
    this.started = true;
    const stop = (): void => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    const synced = await waitForCacheSync(signal, this.registrations.map((r) => () => r.hasSynced()), this.clock);
    if (!synced) return;
    const workers = Array.from({ length: Math.max(1, this.options.maxConcurrentReconciles ?? 1) }, () => this.worker(signal));
    await Promise.all(workers);
    signal.removeEventListener('abort', stop);
  }

  private async worker(signal: AbortSignal): Promise<void> {
    while (await this.processNextWorkItem(signal)) {
      // One key per turn.
    }
  }

  /** Takes one key and reconciles it; false once the queue has shut down. */
  private async processNextWorkItem(signal: AbortSignal): Promise<boolean> {
    const next = await this.queue.get();
    if (next.shutdown) return false;
    const key = next.item;
    const started = performance.now();
    try {
      const result = (await this.options.reconciler.reconcile(requestFromKey(key), signal)) ?? {};
      if (result.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
        this.counts.requeueAfter++;
        this.queue.forget(key);
        this.queue.addAfter(key, result.requeueAfterMs);
      } else if (result.requeue === true) {
        this.counts.requeue++;
        this.queue.addRateLimited(key);
      } else {
        this.counts.success++;
        this.queue.forget(key);
      }
    } catch (error) {
      if (error instanceof TerminalError) {
        this.counts.terminal++;
        this.queue.forget(key);
        this.logger.warn(`${this.name}: reconcile of ${key} failed for good: ${errorMessage(error.error)}`);
      } else {
        this.counts.error++;
        this.queue.addRateLimited(key);
        if (!signal.aborted) this.logger.warn(`${this.name}: reconcile of ${key} failed (will retry): ${errorMessage(error)}`);
      }
    } finally {
      this.counts.seconds += (performance.now() - started) / 1000;
      this.queue.done(key);
    }
    return true;
  }
}
