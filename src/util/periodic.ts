/**
 * @module
 * A background loop that runs a task every interval until its signal aborts. A failing run is logged
 * and the loop goes on: a background duty that stops silently after one error (kine's compactor after
 * `database is locked`, k3s-io/kine#414) is worse than one that complains and retries.
 */
import type { Clock } from './clock.js';
import { type Logger, errorMessage } from './logger.js';

export interface PeriodicOptions {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** What the task is, for the log line when it fails. */
  readonly name: string;
  /** Run once before the first sleep. @defaultValue false */
  readonly runFirst?: boolean;
}

/** Resolves when the signal has aborted and the current run, if any, has finished. */
export async function runPeriodically(task: () => Promise<void> | void, options: PeriodicOptions): Promise<void> {
  const { clock, intervalMs, signal, logger, name } = options;
  let first = options.runFirst ?? false;
  while (!signal.aborted) {
    if (!first) await clock.sleep(intervalMs, signal);
    first = false;
    if (signal.aborted) break;
    try {
      await task();
    } catch (error) {
      logger.warn(`${name} failed (will retry in ${intervalMs} ms): ${errorMessage(error)}`);
    }
  }
}
