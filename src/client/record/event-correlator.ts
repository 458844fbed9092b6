/**
 * @module
 * The EventCorrelator: what an event recorder does to each event before it reaches the API server,
 * so that a controller in a hot loop cannot flood it — client-go's `tools/record/events_cache.go`.
 * No I/O; the caches are bounded LRUs (4096 keys each).
 *
 * 1. **Aggregation** (EventAggregator): events alike but for their message (same source, object,
 *    type and reason) are counted per distinct message over a sliding 10-minute window; from the 10th
 *    distinct message on, they become one event "(combined from similar events): <latest message>".
 * 2. **Deduplication** (eventLogger): an event identical to one already written (same source, object,
 *    type, reason, message) is not created again; the existing Event's `count`, `lastTimestamp` and
 *    `message` are patched, keeping its name and firstTimestamp.
 * 3. **Spam filter** (EventSourceObjectSpamFilter): a token bucket per source and object, burst 25,
 *    refilled at one event per 5 minutes; events beyond it are dropped (still counted, as upstream,
 *    so the next written count includes them).
 */
import type { coreV1 } from '../../api/types/index.js';
import type { Clock } from '../../util/clock.js';
import { TokenBucket } from '../flowcontrol/token-bucket.js';
import { formatTime } from '../../api/time.js';

type Event = coreV1.Event;

export interface CorrelatorOptions {
  readonly clock: Clock;
  /** Keys kept by each cache. @defaultValue 4096 */
  readonly lruCacheSize?: number;
  /** Events a source may send about one object at once. @defaultValue 25 */
  readonly burst?: number;
  /** Refill of that budget, per second. @defaultValue 1/300 (one per 5 minutes) */
  readonly qps?: number;
  /** Distinct messages within the interval at which similar events are combined. @defaultValue 10 */
  readonly maxEvents?: number;
  /** How long a group of similar events stays open after its last event. @defaultValue 600000 */
  readonly maxIntervalMs?: number;
  /** Names new Events; @defaultValue a fresh {@link EventNamer} */
  readonly namer?: EventNamer;
}

/** The merge of an existing Event with a repeat of it (the strategic patch upstream computes). */
export interface EventPatch {
  readonly count: number;
  readonly lastTimestamp: string;
  readonly message: string;
}

export type CorrelateResult =
  | { readonly skip: true }
  | {
      readonly skip: false;
      readonly event: Event;
      /** The cache key to report the server's answer under (`updateState`). */
      readonly key: string;
      /** Set when the event repeats one already written: patch that Event instead of creating. */
      readonly patch: EventPatch | undefined;
    };

/** What was last written for a key (upstream's eventLog). */
interface Observation {
  readonly count: number;
  readonly firstTimestamp: string;
  readonly name: string;
  readonly resourceVersion: string;
}

/** A group of similar events: the distinct messages seen and when the latest came. */
interface AggregateRecord {
  readonly localKeys: Set<string>;
  lastTimestamp: number;
}

export const COMBINED_PREFIX = '(combined from similar events): ';

export class EventCorrelator {
  private readonly clock: Clock;
  private readonly namer: EventNamer;
  private readonly burst: number;
  private readonly qps: number;
  private readonly maxEvents: number;
  private readonly maxIntervalMs: number;
  private readonly aggregates: Lru<AggregateRecord>;
  private readonly observations: Lru<Observation>;
  private readonly spam: Lru<TokenBucket>;

  constructor(options: CorrelatorOptions) {
    const size = options.lruCacheSize ?? 4096;
    this.clock = options.clock;
    this.namer = options.namer ?? new EventNamer();
    this.burst = options.burst ?? 25;
    this.qps = options.qps ?? 1 / 300;
    this.maxEvents = options.maxEvents ?? 10;
    this.maxIntervalMs = options.maxIntervalMs ?? 600_000;
    if (!(size >= 1 && this.burst >= 1 && this.qps > 0 && this.maxEvents >= 1 && this.maxIntervalMs > 0)) {
      throw new RangeError('EventCorrelator: sizes, burst, qps, maxEvents and maxIntervalMs must be positive');
    }
    this.aggregates = new Lru(size);
    this.observations = new Lru(size);
    this.spam = new Lru(size);
  }

  /** Aggregates, deduplicates and filters `event` (EventCorrelate). */
  correlate(event: Event): CorrelateResult {
    const { event: aggregated, key } = this.aggregate(event);
    const { event: observed, patch } = this.observe(aggregated, key);
    if (this.isSpam(observed)) return { skip: true };
    return { skip: false, event: observed, key, patch };
  }

  /**
   * Records the Event as the server returned it, so the next repeat patches it by name. Upstream
   * files it under the key of the returned event; we use the key it was correlated under, which is
   * the same except for combined events (whose returned message would give a key nobody asks for).
   */
  updateState(key: string, written: Event): void {
    this.observations.set(key, {
      count: written.count ?? 1,
      firstTimestamp: written.firstTimestamp ?? '',
      name: written.metadata.name ?? '',
      resourceVersion: written.metadata.resourceVersion ?? '',
    });
  }

  private aggregate(event: Event): { event: Event; key: string } {
    const now = this.clock.now();
    const eventKey = eventKeyOf(event);
    const aggregateKey = aggregateKeyOf(event);
    let record = this.aggregates.get(aggregateKey);
    if (record === undefined || now - record.lastTimestamp > this.maxIntervalMs) {
      record = { localKeys: new Set(), lastTimestamp: now };
    }
    record.localKeys.add(event.message ?? '');
    record.lastTimestamp = now;
    this.aggregates.set(aggregateKey, record);
    if (record.localKeys.size < this.maxEvents) return { event, key: eventKey };
    // Keep the set below the threshold's size (upstream pops an arbitrary one; we pop the oldest).
    const oldest = record.localKeys.values().next();
    if (oldest.done !== true) record.localKeys.delete(oldest.value);
    const time = formatTime(now);
    const combined: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.namer.next(event.involvedObject.name ?? '', now), namespace: event.metadata.namespace ?? 'default' },
      involvedObject: event.involvedObject,
      reason: event.reason ?? '',
      message: COMBINED_PREFIX + (event.message ?? ''),
      type: event.type ?? '',
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      ...(event.source === undefined ? {} : { source: event.source }),
      ...(event.reportingComponent === undefined ? {} : { reportingComponent: event.reportingComponent }),
      ...(event.reportingInstance === undefined ? {} : { reportingInstance: event.reportingInstance }),
    };
    return { event: combined, key: aggregateKey };
  }

  /** eventObserve: a repeat takes the name, firstTimestamp and next count of what was written. */
  private observe(event: Event, key: string): { event: Event; patch: EventPatch | undefined } {
    const last = this.observations.get(key);
    let observed = event;
    let patch: EventPatch | undefined;
    if (last !== undefined && last.count > 0) {
      observed = {
        ...event,
        metadata: { ...event.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      };
      patch = { count: last.count + 1, lastTimestamp: event.lastTimestamp ?? '', message: event.message ?? '' };
    }
    this.observations.set(key, {
      count: observed.count ?? 1,
      firstTimestamp: observed.firstTimestamp ?? '',
      name: observed.metadata.name ?? '',
      resourceVersion: observed.metadata.resourceVersion ?? '',
    });
    return { event: observed, patch };
  }

  private isSpam(event: Event): boolean {
    const key = spamKeyOf(event);
    let bucket = this.spam.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket({ qps: this.qps, burst: this.burst, clock: this.clock });
    }
    this.spam.set(key, bucket);
    return !bucket.tryAccept();
  }
}

/**
 * Names Events `<object name>.<hex nanoseconds since the epoch>` as upstream's makeEvent. Our clock
 * has milliseconds, so names are kept strictly increasing: two events in one millisecond must not
 * collide (the second create would fail with AlreadyExists and be lost).
 */
export class EventNamer {
  private lastNanos = 0n;

  next(objectName: string, nowMs: number): string {
    let nanos = BigInt(Math.floor(nowMs)) * 1_000_000n;
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

// The keys join fields with NUL, which no field contains, so different fields cannot run together
// into the same key (upstream joins with "").

/** getEventKey: everything that makes two events the same event. */
function eventKeyOf(event: Event): string {
  const o = event.involvedObject;
  return join(event.source?.component, event.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, event.type, event.reason, event.message);
}

/** EventAggregatorByReasonFunc's aggregate key: the event key without message and field path. */
function aggregateKeyOf(event: Event): string {
  const o = event.involvedObject;
  return join(event.source?.component, event.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, event.type, event.reason, event.reportingComponent, event.reportingInstance);
}

/** getSpamKey: the source and the object. */
function spamKeyOf(event: Event): string {
  const o = event.involvedObject;
  return join(event.source?.component, event.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion);
}

function join(...parts: (string | undefined)[]): string {
  return parts.map((p) => p ?? '').join('\u0000');
}

/** A least-recently-used map: reading or writing a key makes it the newest; the oldest goes first. */
class Lru<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
