/**
 * @module
 * A token bucket for client-side rate limiting: `qps` tokens are added per second up to `burst`,
 * and the bucket starts full. The REST client uses it for client-side QPS/burst
 * (client-go `util/flowcontrol/throttle.go`) and the work queue's `BucketRateLimiter` for the
 * overall retry rate.
 *
 * Semantics follow golang.org/x/time/rate `Limiter` (`rate.go`): a reservation always takes a
 * token, even one that will only exist in the future, so the token count goes negative and the
 * caller waits `-tokens / qps` seconds. Reservations therefore queue up behind each other: with
 * 10 qps, once the burst is spent, each further reservation waits 100 ms longer than the last.
 */
import { realClock, type Clock } from '../../util/clock.js';

export interface TokenBucketOptions {
  /** Tokens added per second; > 0, or `Infinity` for no limit. */
  readonly qps: number;
  /** Capacity of the bucket and its initial fill; an integer ≥ 1. */
  readonly burst: number;
  /** Default: the wall clock. */
  readonly clock?: Clock;
}

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Clock;
  /** Tokens at time `last`; negative when reservations were made for tokens not yet added. */
  private tokens: number;
  /** When `tokens` was last brought up to date (ms since epoch). */
  private last: number;
  /** When the latest reservation may act; needed to give tokens back on cancel (x/time/rate). */
  private lastEvent: number;

  constructor(options: TokenBucketOptions) {
    const { qps, burst } = options;
    if (!(qps > 0)) throw new RangeError(`TokenBucket: qps must be > 0, got ${qps}`);
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(`TokenBucket: burst must be an integer >= 1, got ${burst}`);
    }
    this.qps = qps;
    this.burst = burst;
    this.clock = options.clock ?? realClock;
    this.tokens = burst;
    this.last = this.clock.now();
    this.lastEvent = this.last;
  }

  /** Takes a token if one is available now; never waits and never goes into debt (rate.Allow). */
  tryAccept(): boolean {
    if (this.qps === Infinity) return true;
    const now = this.clock.now();
    const tokens = this.tokensAt(now);
    if (tokens < 1) return false;
    this.last = now;
    this.tokens = tokens - 1;
    this.lastEvent = Math.max(this.lastEvent, now);
    return true;
  }

  /**
   * Takes a token now or in the future and returns how many milliseconds the caller must wait
   * before acting (rate.Reserve().Delay()); 0 when a token was available.
   */
  reserve(): number {
    return this.reserveAt(this.clock.now()).delayMs;
  }

  /**
   * Reserves a token and sleeps until it may be used. If `signal` aborts first, the token is given
   * back (as far as later reservations have not already counted on it, like rate.Reservation.Cancel)
   * and the promise rejects with the abort reason, as rate.Limiter.Wait returns the context's error.
   */
  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const reservation = this.reserveAt(this.clock.now());
    if (reservation.delayMs <= 0) return;
    await this.clock.sleep(reservation.delayMs, signal);
    if (signal?.aborted) {
      this.cancel(reservation.actAt);
      signal.throwIfAborted();
    }
  }

  /** Tokens the bucket would hold at `now`, refilled since `last` and capped at `burst`. */
  private tokensAt(now: number): number {
    // A clock that moved backwards adds nothing rather than taking tokens away.
    const elapsed = Math.max(0, now - this.last);
    // elapsed * qps / 1000 rather than elapsed / 1000 * qps keeps whole-token steps exact.
    return Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
  }

  private reserveAt(now: number): { readonly delayMs: number; readonly actAt: number } {
    if (this.qps === Infinity) return { delayMs: 0, actAt: now };
    const tokens = this.tokensAt(now) - 1;
    const delayMs = tokens < 0 ? (-tokens * 1000) / this.qps : 0;
    this.last = now;
    this.tokens = tokens;
    this.lastEvent = now + delayMs;
    return { delayMs, actAt: now + delayMs };
  }

  /**
   * Returns the token of a reservation that will not be used. Reservations made after it already
   * assumed its token was spent, so only the part not yet counted on by them is restored
   * (x/time/rate `Reservation.CancelAt`).
   */
  private cancel(actAt: number): void {
    const now = this.clock.now();
    if (actAt < now) return;
    const restore = 1 - ((this.lastEvent - actAt) * this.qps) / 1000;
    if (restore <= 0) return;
    this.tokens = Math.min(this.burst, this.tokensAt(now) + restore);
    this.last = now;
    if (actAt === this.lastEvent) {
      // This was the latest reservation: the previous one acted one token's time earlier.
      const previous = actAt - 1000 / this.qps;
      if (previous >= now) this.lastEvent = previous;
    }
  }
}
