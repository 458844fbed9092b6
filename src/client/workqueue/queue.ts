/**
 * @module
 * The base work queue of client-go (`util/workqueue/queue.go`): fair (FIFO), stingy (an item added
 * many times before it is taken is processed once) and never hands one item to two workers at once
 * (an item re-added while processing waits until `done`). Controllers add keys ("namespace/name"),
 * workers loop `get` → reconcile → `done`.
 *
 * Items are compared with SameValueZero (they are `Set` members), so use strings or other
 * primitives as keys.
 */
import { realClock, type Clock } from '../../util/clock.js';
import { noopWorkQueueMetrics, type WorkQueueMetrics } from './metrics.js';

export interface QueueOptions {
  /** Names the queue in logs and errors; the metrics carry their own name label. Default "". */
  readonly name?: string;
  /** Default: the wall clock. The base queue does not read it; delaying queues wait on it. */
  readonly clock?: Clock;
  /** Default: reports nothing. */
  readonly metrics?: WorkQueueMetrics;
}

export type GetResult<T> = { readonly item: T; readonly shutdown: false } | { readonly shutdown: true };

const SHUTDOWN: GetResult<never> = Object.freeze({ shutdown: true });

export class WorkQueue<T> {
  readonly name: string;
  protected readonly clock: Clock;
  protected readonly metrics: WorkQueueMetrics;

  /**
   * The order in which items are handed out. Every item in `queue` is in `dirty` and not in
   * `processing`, and appears once.
   */
  private queue: (T | undefined)[] = [];
  /**
   * `queue[head..]` are the items waiting; slots before `head` were handed out and cleared. Taking
   * advances `head` (Array#shift is O(n) on large arrays); the handed-out prefix is dropped once it
   * is the larger half, so a take is O(1) amortized.
   */
  private head = 0;
  /** Items that need processing: those in `queue`, plus processing items re-added meanwhile. */
  private readonly dirty = new Set<T>();
  /** Items handed out by `get` and not yet `done`. */
  private readonly processing = new Set<T>();
  /**
   * Pending `get` callers, served in call order. Non-empty only while `queue` is empty and the
   * queue is not shutting down: whatever makes an item available hands it straight to a waiter.
   */
  private readonly waiters: ((result: GetResult<T>) => void)[] = [];
  private stopping = false;
  /** Resolvers of `shutDownWithDrain` calls still waiting for `processing` to empty. */
  private readonly drainWaiters: (() => void)[] = [];

  constructor(options: QueueOptions = {}) {
    this.name = options.name ?? '';
    this.clock = options.clock ?? realClock;
    this.metrics = options.metrics ?? noopWorkQueueMetrics;
  }

  /** Marks `item` as needing processing; a no-op after shutdown or if it is already waiting. */
  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.metrics.add(item);
    this.dirty.add(item);
    // A processing item is queued again by `done`, so no two workers ever hold it at once.
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.dispatch();
  }

  /**
   * The next item to process, waiting until there is one; `{shutdown: true}` once the queue is shut
   * down and empty, when the worker should exit. Call `done(item)` when finished with it.
   */
  get(): Promise<GetResult<T>> {
    if (this.queue.length > this.head) return Promise.resolve(this.take());
    if (this.stopping) return Promise.resolve(SHUTDOWN);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `item` as processed; if it was added again meanwhile, it is queued now. */
  done(item: T): void {
    this.metrics.done(item);
    this.processing.delete(item);
    // As upstream, this happens even while shutting down: the item was added before the shutdown.
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.dispatch();
    }
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  /** Items waiting to be handed out (not counting those being processed). Informational only. */
  len(): number {
    return this.queue.length - this.head;
  }

  /**
   * Ignores further adds; `get` hands out what is queued, then `{shutdown: true}`. Also ends any
   * `shutDownWithDrain` wait early (upstream: ShutDown after ShutDownWithDrain forces it).
   */
  shutDown(): void {
    this.beginShutdown();
    this.releaseDrainWaiters();
  }

  /**
   * Like `shutDown`, then resolves once every item handed out has been `done`. Workers must keep
   * calling `done` or this never resolves; a later `shutDown` resolves it at once.
   */
  shutDownWithDrain(): Promise<void> {
    this.beginShutdown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private beginShutdown(): void {
    this.stopping = true;
    // The waiters invariant says `queue` is empty, so every waiter is told to exit.
    for (const resolve of this.waiters.splice(0)) resolve(SHUTDOWN);
  }

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Hands queued items to waiting `get` callers, oldest caller first. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > this.head) {
      const resolve = this.waiters.shift();
      resolve?.(this.take());
    }
  }

  /** Moves the head of `queue` to `processing`. Requires a non-empty queue. */
  private take(): GetResult<T> {
    const item = this.queue[this.head] as T;
    this.queue[this.head] = undefined;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.metrics.get(item);
    this.processing.add(item);
    this.dirty.delete(item);
    return { item, shutdown: false };
  }
}
