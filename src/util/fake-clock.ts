/**
 * @module
 * A clock that moves only when a test steps it, like client-go's `testingclock.FakeClock`: sleepers
 * wake in deadline order as `step` passes their deadlines, so backoffs, TTLs and schedules are tested
 * without waiting on wall time.
 */
import type { Clock } from './clock.js';

interface Sleeper {
  readonly deadline: number;
  readonly wake: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  /** Pending sleepers, unordered; `step` wakes those whose deadline has passed. */
  private sleepers: Sleeper[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        deadline: this.time + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener('abort', sleeper.wake);
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  /** Number of sleepers waiting; tests use it to know a component has gone back to sleep. */
  get waiting(): number {
    return this.sleepers.length;
  }

  /**
   * Moves time forward by `ms`, waking each sleeper whose deadline passes, earliest first, and lets
   * the promise jobs they start run before the next one wakes.
   */
  async step(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const due = this.sleepers
        .filter((s) => s.deadline <= target)
        .sort((a, b) => a.deadline - b.deadline)[0];
      if (due === undefined) break;
      this.time = Math.max(this.time, due.deadline);
      due.wake();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** Lets pending promise jobs and immediates run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
