/**
 * @module
 * The Reflector's backoff between failed attempts: exponential from 800 ms by ×2 up to 30 s, each
 * wait stretched by up to 100 % random jitter, and back to the start once 2 minutes pass without a
 * backoff — client-go's `NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0)` in
 * tools/cache/reflector.go (apimachinery wait/backoff.go). Against a server that stays down this
 * settles near one attempt every 45 s on average; it never becomes a request storm.
 */
import type { Clock } from '../../util/clock.js';

export interface BackoffOptions {
  /** @defaultValue 800 */
  readonly initialMs?: number;
  /** @defaultValue 30000 */
  readonly maxMs?: number;
  /** @defaultValue 2 */
  readonly factor?: number;
  /** Each wait is d + random × jitter × d. @defaultValue 1 */
  readonly jitter?: number;
  /** Quiet time after which the next wait starts from `initialMs` again. @defaultValue 120000 */
  readonly resetAfterMs?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private currentMs: number;
  /** When the last wait began; undefined before the first. */
  private lastStart: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    options: BackoffOptions = {},
  ) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 1;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    if (!(this.initialMs > 0 && this.maxMs >= this.initialMs && this.factor >= 1 && this.jitter >= 0)) {
      throw new Error('backoff needs 0 < initialMs ≤ maxMs, factor ≥ 1 and jitter ≥ 0');
    }
    this.currentMs = this.initialMs;
  }

  /** The next wait in ms (and the one after it grows). */
  next(): number {
    const now = this.clock.now();
    if (this.lastStart !== undefined && now - this.lastStart > this.resetAfterMs) this.currentMs = this.initialMs;
    this.lastStart = now;
    const base = this.currentMs;
    this.currentMs = Math.min(this.maxMs, this.currentMs * this.factor);
    return base + this.random() * this.jitter * base;
  }

  /** Waits the next backoff (or until `signal` aborts). */
  wait(signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(this.next(), signal);
  }
}
