/**
 * @module
 * Work queue metrics, after client-go `util/workqueue/metrics.go` and the Prometheus names that
 * controller-runtime registers for it (`pkg/metrics/workqueue.go`). The queue reports four events
 * through {@link WorkQueueMetrics}; {@link InMemoryWorkQueueMetrics} turns them into depth, adds,
 * queue latency, work duration, unfinished work, longest running processor and retries, and
 * renders them in the Prometheus text format.
 *
 * Unlike client-go, unfinished work is computed when read rather than refreshed by a 500 ms
 * ticker, so a queue with metrics starts no timer.
 */
import { realClock, type Clock } from '../../util/clock.js';

/** What a queue reports. Items are compared with SameValueZero, as the queue compares them. */
export interface WorkQueueMetrics {
  /** An item became dirty (a real add, not one collapsed into an item already waiting). */
  add(item: unknown): void;
  /** A worker took the item. */
  get(item: unknown): void;
  /** A worker finished the item. */
  done(item: unknown): void;
  /** `addAfter` was called (client-go counts every delayed or rate-limited add as a retry). */
  retry(): void;
}

/** Reports nothing; the default when a queue is given no metrics. */
export const noopWorkQueueMetrics: WorkQueueMetrics = {
  add: () => undefined,
  get: () => undefined,
  done: () => undefined,
  retry: () => undefined,
};

/** Histogram buckets in seconds: controller-runtime's ExponentialBuckets(10e-9, 10, 12). */
const BUCKETS: readonly number[] = Array.from({ length: 12 }, (_, i) => 10 ** (i - 8));

export interface HistogramSnapshot {
  readonly count: number;
  /** Seconds. */
  readonly sum: number;
  /** Cumulative counts per upper bound in {@link BUCKETS} order (Prometheus `le`). */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

class Histogram {
  count = 0;
  sum = 0;
  /** Non-cumulative: counts[i] holds observations in (BUCKETS[i-1], BUCKETS[i]]. */
  private readonly counts = BUCKETS.map(() => 0);

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    const index = BUCKETS.findIndex((le) => seconds <= le);
    if (index >= 0) this.counts[index] = (this.counts[index] ?? 0) + 1;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const buckets = BUCKETS.map((le, i) => {
      running += this.counts[i] ?? 0;
      return { le, count: running };
    });
    return { count: this.count, sum: this.sum, buckets };
  }
}

export interface InMemoryWorkQueueMetricsOptions {
  /** The `name` label; client-go's queue name. */
  readonly name: string;
  /** Default: the wall clock. */
  readonly clock?: Clock;
}

export class InMemoryWorkQueueMetrics implements WorkQueueMetrics {
  readonly name: string;
  private readonly clock: Clock;
  private depthValue = 0;
  private addsValue = 0;
  private retriesValue = 0;
  private readonly latency = new Histogram();
  private readonly workDuration = new Histogram();
  /** When each waiting item was first added; an add of a waiting item keeps the first time. */
  private readonly addTimes = new Map<unknown, number>();
  /** When each item being processed was taken. */
  private readonly processingStartTimes = new Map<unknown, number>();

  constructor(options: InMemoryWorkQueueMetricsOptions) {
    this.name = options.name;
    this.clock = options.clock ?? realClock;
  }

  add(item: unknown): void {
    this.addsValue++;
    this.depthValue++;
    if (!this.addTimes.has(item)) this.addTimes.set(item, this.clock.now());
  }

  get(item: unknown): void {
    this.depthValue--;
    const now = this.clock.now();
    this.processingStartTimes.set(item, now);
    const addedAt = this.addTimes.get(item);
    if (addedAt !== undefined) {
      this.latency.observe((now - addedAt) / 1000);
      this.addTimes.delete(item);
    }
  }

  done(item: unknown): void {
    const startedAt = this.processingStartTimes.get(item);
    if (startedAt === undefined) return;
    this.workDuration.observe((this.clock.now() - startedAt) / 1000);
    this.processingStartTimes.delete(item);
  }

  retry(): void {
    this.retriesValue++;
  }

  /** workqueue_depth: items added and not yet taken by a worker. */
  get depth(): number {
    return this.depthValue;
  }

  /** workqueue_adds_total. */
  get adds(): number {
    return this.addsValue;
  }

  /** workqueue_retries_total. */
  get retries(): number {
    return this.retriesValue;
  }

  /** workqueue_queue_duration_seconds: time from add to get. */
  get queueLatency(): HistogramSnapshot {
    return this.latency.snapshot();
  }

  /** workqueue_work_duration_seconds: time from get to done. */
  get workDurationSeconds(): HistogramSnapshot {
    return this.workDuration.snapshot();
  }

  /** workqueue_unfinished_work_seconds: summed age of the work in progress. */
  get unfinishedWorkSeconds(): number {
    const now = this.clock.now();
    let total = 0;
    for (const startedAt of this.processingStartTimes.values()) total += (now - startedAt) / 1000;
    return total;
  }

  /** workqueue_longest_running_processor_seconds: age of the oldest work in progress. */
  get longestRunningProcessorSeconds(): number {
    const now = this.clock.now();
    let oldest = 0;
    for (const startedAt of this.processingStartTimes.values()) {
      oldest = Math.max(oldest, (now - startedAt) / 1000);
    }
    return oldest;
  }

  /** This queue's metrics in the Prometheus text format. */
  render(): string {
    return renderWorkQueueMetrics([this]);
  }
}

type Family = {
  readonly name: string;
  readonly type: 'gauge' | 'counter' | 'histogram';
  readonly help: string;
  readonly value: (m: InMemoryWorkQueueMetrics) => number | HistogramSnapshot;
};

const FAMILIES: readonly Family[] = [
  { name: 'workqueue_depth', type: 'gauge', help: 'Current depth of workqueue', value: (m) => m.depth },
  {
    name: 'workqueue_adds_total',
    type: 'counter',
    help: 'Total number of adds handled by workqueue',
    value: (m) => m.adds,
  },
  {
    name: 'workqueue_queue_duration_seconds',
    type: 'histogram',
    help: 'How long in seconds an item stays in workqueue before being requested',
    value: (m) => m.queueLatency,
  },
  {
    name: 'workqueue_work_duration_seconds',
    type: 'histogram',
    help: 'How long in seconds processing an item from workqueue takes',
    value: (m) => m.workDurationSeconds,
  },
  {
    name: 'workqueue_unfinished_work_seconds',
    type: 'gauge',
    help:
      "How many seconds of work has been done that is in progress and hasn't been observed by work_duration",
    value: (m) => m.unfinishedWorkSeconds,
  },
  {
    name: 'workqueue_longest_running_processor_seconds',
    type: 'gauge',
    help: 'How many seconds has the longest running processor for workqueue been running',
    value: (m) => m.longestRunningProcessorSeconds,
  },
  {
    name: 'workqueue_retries_total',
    type: 'counter',
    help: 'Total number of retries handled by workqueue',
    value: (m) => m.retries,
  },
];

/**
 * Several queues' metrics in the Prometheus text format, one HELP/TYPE header per family (the
 * format forbids repeating them, so queues are rendered together rather than concatenated).
 */
export function renderWorkQueueMetrics(queues: Iterable<InMemoryWorkQueueMetrics>): string {
  const all = [...queues];
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const queue of all) {
      const label = `name="${escapeLabel(queue.name)}"`;
      const value = family.value(queue);
      if (typeof value === 'number') {
        lines.push(`${family.name}{${label}} ${formatNumber(value)}`);
        continue;
      }
      for (const bucket of value.buckets) {
        const le = formatNumber(bucket.le);
        lines.push(`${family.name}_bucket{${label},le="${le}"} ${bucket.count}`);
      }
      lines.push(`${family.name}_bucket{${label},le="+Inf"} ${value.count}`);
      lines.push(`${family.name}_sum{${label}} ${formatNumber(value.sum)}`);
      lines.push(`${family.name}_count{${label}} ${value.count}`);
    }
  }
  return lines.join('\n') + '\n';
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}
