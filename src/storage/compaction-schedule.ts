/**
 * @module
 * Compaction on a schedule, as kube-apiserver runs it against etcd (etcd3/compact.go: every five
 * minutes, compact to the revision seen one interval earlier) — etcd fills its space quota without
 * it, and SQLite's history would grow without bound. History younger than the window is kept, so
 * watchers and paged lists within it never see 410.
 */
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { runPeriodically } from '../util/periodic.js';
import type { Store } from './interface.js';

export interface ScheduledCompaction {
  /** How often to compact. */
  readonly intervalMs: number;
  /** How much history to keep, by age. @defaultValue intervalMs */
  readonly windowMs?: number;
}

export const DEFAULT_COMPACTION: ScheduledCompaction = { intervalMs: 5 * 60_000 };

interface Sample {
  readonly at: number;
  readonly revision: number;
}

/**
 * Samples the current revision every interval and compacts to the newest sample at least one window
 * old. Resolves when `signal` aborts. `false` disables it (resolves at once).
 */
export async function runCompactionSchedule(
  store: Pick<Store, 'compact' | 'currentRevision'>,
  config: ScheduledCompaction | false | undefined,
  context: { readonly clock: Clock; readonly logger: Logger; readonly signal: AbortSignal },
): Promise<void> {
  if (config === false) return;
  const { intervalMs, windowMs = intervalMs } = config ?? DEFAULT_COMPACTION;
  let samples: Sample[] = [];
  let compactedTo = 0;
  await runPeriodically(
    async () => {
      const now = context.clock.now();
      samples.push({ at: now, revision: await store.currentRevision() });
      const due = samples.filter((s) => s.at <= now - windowMs);
      const target = due[due.length - 1];
      if (target === undefined) return;
      samples = samples.filter((s) => s.at > target.at);
      if (target.revision <= compactedTo) return;
      await store.compact(target.revision);
      compactedTo = target.revision;
    },
    { ...context, intervalMs, name: 'scheduled compaction', runFirst: true },
  );
}
