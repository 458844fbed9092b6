/**
 * @module
 * Rate limiters decide how long a failed item waits before it is retried; they follow client-go
 * `util/workqueue/default_rate_limiters.go`. Per-item limiters count an item's failures until
 * `forget` (call it when the item succeeds); the bucket limiter bounds the overall retry rate.
 * All delays are milliseconds.
 */
import type { Clock } from '../../util/clock.js';
import { TokenBucket } from '../flowcontrol/token-bucket.js';

export interface RateLimiter<T> {
  /** How long `item` should wait before its next try; counts as a failure of `item`. */
  when(item: T): number;
  /** Stops tracking `item`: its failures are reset (on success, or when giving up on it). */
  forget(item: T): void;
  /** How many failures `item` has had since it was last forgotten. */
  numRequeues(item: T): number;
}

function requireDelay(what: string, ms: number): void {
  if (!(ms >= 0) || !Number.isFinite(ms)) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${ms}`);
  }
}

/** Delay = baseMs × 2^failures, capped at maxMs, per item. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {
    requireDelay('ItemExponentialFailureRateLimiter baseMs', baseMs);
    requireDelay('ItemExponentialFailureRateLimiter maxMs', maxMs);
  }

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    if (this.baseMs === 0) return 0;
    // 2 ** exp overflows to Infinity after ~1024 failures; the cap still applies.
    const backoff = this.baseMs * 2 ** exp;
    return backoff > this.maxMs ? this.maxMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface BucketRateLimiterOptions {
  readonly qps: number;
  readonly burst: number;
  readonly clock?: Clock;
}

/**
 * One token bucket shared by all items: after `burst` immediate retries, retries are spaced
 * 1/qps apart. It tracks no items, so `numRequeues` is always 0 (as upstream).
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly bucket: TokenBucket;

  constructor(options: BucketRateLimiterOptions) {
    this.bucket = new TokenBucket(options);
  }

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** `fastMs` for an item's first `maxFastAttempts` failures, then `slowMs`. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly fastMs: number,
    private readonly slowMs: number,
    private readonly maxFastAttempts: number,
  ) {
    requireDelay('ItemFastSlowRateLimiter fastMs', fastMs);
    requireDelay('ItemFastSlowRateLimiter slowMs', slowMs);
    if (!Number.isInteger(maxFastAttempts) || maxFastAttempts < 0) {
      throw new RangeError(
        `ItemFastSlowRateLimiter maxFastAttempts must be an integer >= 0, got ${maxFastAttempts}`,
      );
    }
  }

  when(item: T): number {
    const failures = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, failures);
    return failures <= this.maxFastAttempts ? this.fastMs : this.slowMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * The worst case of several limiters. Every child's `when` is called, so each records the
 * failure (and the bucket spends a token) even when another child's delay wins.
 */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: readonly RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const limiter of this.limiters) max = Math.max(max, limiter.when(item));
    return max;
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const limiter of this.limiters) max = Math.max(max, limiter.numRequeues(item));
    return max;
  }
}

/** Caps another limiter's delay at `maxMs`. */
export class WithMaxWaitRateLimiter<T> implements RateLimiter<T> {
  constructor(
    private readonly limiter: RateLimiter<T>,
    private readonly maxMs: number,
  ) {
    requireDelay('WithMaxWaitRateLimiter maxMs', maxMs);
  }

  when(item: T): number {
    return Math.min(this.limiter.when(item), this.maxMs);
  }

  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}

export interface DefaultControllerRateLimiterOptions {
  /** The bucket's clock. Default: the wall clock. */
  readonly clock?: Clock;
}

/**
 * client-go's DefaultControllerRateLimiter: per item exponential from 5 ms to 1000 s, and overall
 * a 10 qps bucket with burst 100 (only the retry rate; first adds are not limited).
 */
export function defaultControllerRateLimiter<T>(
  options: DefaultControllerRateLimiterOptions = {},
): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(5, 1_000_000),
    new BucketRateLimiter<T>({ qps: 10, burst: 100, ...(options.clock ? { clock: options.clock } : {}) }),
  );
}
