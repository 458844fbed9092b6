/**
 * @module
 * The queue controllers use (client-go `util/workqueue/rate_limiting_queue.go`): a delaying queue
 * whose `addRateLimited` asks a {@link RateLimiter} how long the item should wait. The standard
 * worker loop is get → reconcile → on error `addRateLimited`, on success `forget` → `done`.
 */
import { DelayingQueue } from './delaying-queue.js';
import type { QueueOptions } from './queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';

export interface RateLimitingQueueOptions<T> extends QueueOptions {
  /** Default: {@link defaultControllerRateLimiter} on the queue's clock. */
  readonly rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> {
  private readonly rateLimiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>({ clock: this.clock });
  }

  /** Adds `item` after the delay the rate limiter gives it (which counts as one failure). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /**
   * Resets the limiter's failure count for `item`; call it when the item succeeded (or is given up
   * on). It does not replace `done`.
   */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  /** Failures the limiter has counted for `item` since it was last forgotten. */
  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
