/**
 * @module
 * The EventRecorder: controllers report what they did to an object as core/v1 Events, which
 * `kubectl describe` shows — client-go's `tools/record/event.go` (recorder plus the broadcaster's
 * sink writer) in one class.
 *
 * `event()` never blocks and never throws: it builds the Event (named `<object>.<hex unix nanos>`, in
 * the object's namespace or `default` for cluster-scoped objects) and queues it. One writer drains
 * the queue in order: the {@link EventCorrelator} combines, deduplicates and rate-limits; a repeat is
 * a PATCH of the existing Event's count, lastTimestamp and message (a create again if that Event is
 * gone), anything else a create. A write that fails for want of the server (no answer) is tried up
 * to 12 times, 10 s apart (the first wait randomised so clients do not retry in step); one the server
 * rejects is logged and dropped, as upstream. `flush()` waits until the queue is written.
 *
 * The writer starts by itself on the first event, so there is no `run`. Cancellation is the `signal`
 * option, like upstream's broadcaster context: once it aborts, new events are dropped and queued ones
 * get one last try without waiting to retry.
 */
import { format } from 'node:util';
import type { coreV1 } from '../../api/types/index.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { ApiError, isAlreadyExists, isNotFound } from '../errors.js';
import type { KubeClient } from '../kube-client.js';
import type { DeepReadonly, KubeObject } from '../object.js';
import type { ResourceClient } from '../resource-client.js';
import { formatTime } from '../../api/time.js';
import { type CorrelatorOptions, EventCorrelator, EventNamer } from './event-correlator.js';

type Event = coreV1.Event;

/** How often drops on a full queue are reported, at most (see EventRecorder.drop). */
const DROP_REPORT_INTERVAL_MS = 10_000;

export interface EventSource {
  /** The component reporting, e.g. `deployment-controller`. */
  readonly component: string;
  /** The node it runs on, if any. */
  readonly host?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  readonly client: KubeClient;
  readonly source: EventSource;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: Logger;
  /** Stops the recorder: new events are dropped, queued ones get one last try. */
  readonly signal?: AbortSignal;
  /** Events held before new ones are dropped. @defaultValue 1000 (upstream's maxQueuedEvents) */
  readonly maxQueuedEvents?: number;
  /** Writes of one event before giving up. @defaultValue 12 (upstream's maxTriesPerEvent) */
  readonly maxTriesPerEvent?: number;
  /** The wait between tries (the first one random within it). @defaultValue 10000 */
  readonly retryDelayMs?: number;
  /** Tunes the correlator's spam filter and aggregation (see {@link CorrelatorOptions}). */
  readonly correlator?: Omit<CorrelatorOptions, 'clock' | 'namer'>;
}

export class EventRecorder {
  private readonly events: ResourceClient<Event>;
  private readonly source: EventSource;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  private readonly maxQueued: number;
  private readonly maxTries: number;
  private readonly retryDelayMs: number;
  private readonly namer = new EventNamer();
  private readonly correlator: EventCorrelator;
  /** Events waiting for the writer, oldest first. */
  private readonly queue: Event[] = [];
  /** The writer while it runs; undefined iff the queue is empty and nothing is being written. */
  private draining: Promise<void> | undefined;
  /** Events dropped on a full queue since drops were last reported, and when that was. */
  private droppedUnreported = 0;
  private lastDropReport = -Infinity;

  constructor(options: EventRecorderOptions) {
    if (options.source.component === '') throw new RangeError('EventRecorder: source.component must not be empty');
    this.events = options.client.typed('v1/Event');
    this.source = options.source;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? stderrLogger;
    this.signal = options.signal;
    this.maxQueued = options.maxQueuedEvents ?? 1000;
    this.maxTries = options.maxTriesPerEvent ?? 12;
    this.retryDelayMs = options.retryDelayMs ?? 10_000;
    this.correlator = new EventCorrelator({ ...options.correlator, clock: this.clock, namer: this.namer });
  }

  /**
   * Records that `reason` happened to `object` (which needs apiVersion, kind and metadata.name; its
   * namespace, uid and resourceVersion go into the reference when present). Never throws: an event
   * that cannot be made or queued is logged and dropped.
   */
  event(object: DeepReadonly<KubeObject>, type: EventType, reason: string, message: string): void {
    try {
      this.enqueue(object, type, reason, message);
    } catch (error) {
      this.logger.error(`could not record event ${reason}: ${errorMessage(error)}`);
    }
  }

  /** As {@link event}, with the message formatted like printf (`%s`, `%d`, `%v`, `%j`). */
  eventf(object: DeepReadonly<KubeObject>, type: EventType, reason: string, messageFormat: string, ...args: unknown[]): void {
    // Go's catch-all %v has no node:util counterpart; %s prints the same for the usual arguments.
    this.event(object, type, reason, format(messageFormat.replace(/%[%v]/g, (verb) => (verb === '%v' ? '%s' : verb)), ...args));
  }

  /** Resolves once every event queued so far has been written, dropped or given up on. */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private enqueue(object: DeepReadonly<KubeObject>, type: EventType, reason: string, message: string): void {
    if (this.signal?.aborted === true) {
      this.logger.warn(`event recorder is stopped: dropped event ${reason} (${message})`);
      return;
    }
    if (type !== 'Normal' && type !== 'Warning') throw new Error(`unsupported event type ${String(type)}`);
    if (this.queue.length >= this.maxQueued) {
      this.drop(reason, object);
      return;
    }
    const reference = referenceTo(object);
    const now = this.clock.now();
    const time = formatTime(now);
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.namer.next(reference.name ?? '', now), namespace: reference.namespace ?? 'default' },
      involvedObject: reference,
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      source: { component: this.source.component, ...(this.source.host === undefined ? {} : { host: this.source.host }) },
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    this.queue.push(event);
    this.draining ??= this.drain();
  }

  /**
   * Drops an event because the queue is full, as upstream's broadcaster does. Upstream logs every
   * drop; a large rollout drops thousands of events a second, so the first drop is logged at once
   * and the rest are counted, reported at most every {@link DROP_REPORT_INTERVAL_MS} and when the
   * queue has drained.
   */
  private drop(reason: string, object: DeepReadonly<KubeObject>): void {
    this.droppedUnreported++;
    const now = this.clock.now();
    if (now - this.lastDropReport < DROP_REPORT_INTERVAL_MS) return;
    const others = this.droppedUnreported - 1;
    this.logger.error(
      `unable to record event: too many queued events (${this.maxQueued}), dropped ${reason} on ${object.kind ?? ''}/${object.metadata?.name ?? ''}` +
        (others > 0 ? ` and ${others} other event${others === 1 ? '' : 's'} since the last report` : ''),
    );
    this.droppedUnreported = 0;
    this.lastDropReport = now;
  }

  private async drain(): Promise<void> {
    // Let `this.draining` be assigned before the loop can end and clear it.
    await Promise.resolve();
    try {
      for (let event = this.queue.shift(); event !== undefined; event = this.queue.shift()) await this.record(event);
    } finally {
      // Synchronous with the loop's last check: an event queued after it starts a new writer.
      this.draining = undefined;
      if (this.droppedUnreported > 0) {
        this.logger.error(`unable to record event: dropped ${this.droppedUnreported} more event${this.droppedUnreported === 1 ? '' : 's'} while the queue was full`);
        this.droppedUnreported = 0;
      }
    }
  }

  /** recordToSink: correlate, then write with retries. */
  private async record(event: Event): Promise<void> {
    const result = this.correlator.correlate(event);
    if (result.skip) return;
    for (let tries = 1; ; tries++) {
      if (await this.write(result.event, result.patch, result.key)) return;
      if (tries >= this.maxTries) {
        this.logger.error(`unable to write event ${describe(event)} (retry limit exceeded!)`);
        return;
      }
      if (this.signal?.aborted === true) {
        this.logger.error(`unable to write event ${describe(event)} (recorder is stopped)`);
        return;
      }
      // The first wait is random so that clients that lost the server together do not return together.
      await this.clock.sleep(tries === 1 ? this.retryDelayMs * this.random() : this.retryDelayMs, this.signal);
    }
  }

  /** One try (recordEvent): true when the event is written or not worth retrying. */
  private async write(event: Event, patch: object | undefined, key: string): Promise<boolean> {
    const namespace = event.metadata.namespace ?? 'default';
    const events = this.events.namespace(namespace);
    try {
      let written: Event | undefined;
      if (patch !== undefined) {
        try {
          written = await events.patch(event.metadata.name ?? '', patch, 'strategic');
        } catch (error) {
          // The Event may have been deleted (events have a TTL): create it again.
          if (!isNotFound(error)) throw error;
        }
      }
      if (written === undefined) {
        // A create carries no resourceVersion (a repeat's is that of the Event that vanished).
        const metadata = { ...event.metadata };
        delete metadata.resourceVersion;
        written = await events.create({ ...event, metadata });
      }
      this.correlator.updateState(key, written);
      return true;
    } catch (error) {
      if (error instanceof ApiError) {
        // The server answered and refused: the same request would be refused again.
        if (!isAlreadyExists(error)) this.logger.error(`server rejected event ${describe(event)} (will not retry!): ${error.message}`);
        return true;
      }
      this.logger.warn(`unable to write event ${describe(event)} (may retry after sleeping): ${errorMessage(error)}`);
      return false;
    }
  }
}

/** The ObjectReference of an object (client-go's tools/reference GetReference). */
export function referenceTo(object: DeepReadonly<KubeObject>): coreV1.ObjectReference {
  const { apiVersion, kind } = object;
  const meta = object.metadata;
  if (kind === undefined || kind === '' || apiVersion === undefined || apiVersion === '') {
    throw new Error('the object has no kind or apiVersion to refer to it by');
  }
  if (meta?.name === undefined || meta.name === '') throw new Error(`the ${kind} has no metadata.name`);
  return {
    kind,
    apiVersion,
    name: meta.name,
    ...(meta.namespace === undefined || meta.namespace === '' ? {} : { namespace: meta.namespace }),
    ...(meta.uid === undefined ? {} : { uid: meta.uid }),
    ...(meta.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
  };
}

function describe(event: Event): string {
  const o = event.involvedObject;
  return `${event.reason ?? ''} on ${o.kind ?? ''} ${o.namespace === undefined ? '' : `${o.namespace}/`}${o.name ?? ''}`;
}
