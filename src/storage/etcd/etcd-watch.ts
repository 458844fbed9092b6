/**
 * @module
 * One storage watch on etcd: its own gRPC watch stream (so one slow consumer never holds up another's
 * stream), events with previous values, converted and pushed into a {@link WatchChannel}.
 *
 * Our `fromRevision` is exclusive and etcd's `start_revision` inclusive; the watch asks etcd to start
 * *at* its position and drops events at or below it. That makes "compacted" mean the same as on the
 * other backends (position below the compacted revision) and lets a broken stream be reopened at the
 * last delivered revision without a gap or a duplicate.
 *
 * Bookmarks come from etcd's periodic progress notifications, which etcd sends through the same
 * channel as events and only to synced watchers, so they never run ahead of events. etcd's
 * RequestProgress answer could overtake events before 3.4.31 / 3.5.13 (etcd-io/etcd#15220); on those
 * versions `requestProgress()` waits for the next periodic notification instead.
 */
import type { Etcd3, IDuplexStream, IKeyValue, IWatchRequest, IWatchResponse } from 'etcd3';
import type { Logger } from '../../util/logger.js';
import { compacted, unavailable } from '../errors.js';
import type { ChangeEvent, KeyValue, Watch, WatchEvent, WatchOptions } from '../interface.js';
import { WatchChannel } from '../watch-channel.js';
import { fromEtcdError } from './etcd-errors.js';

export interface EtcdWatchContext {
  readonly client: Etcd3;
  readonly logger: Logger;
  /** Physical key prefix of the store (isolation on a shared etcd); stripped from keys. */
  readonly keyPrefix: string;
  /** Whether etcd orders RequestProgress answers after pending events. */
  readonly progressRequestsAreSafe: boolean;
  readonly maxQueuedEvents?: number;
  readonly maxQueuedBytes?: number;
  /** Called once when the watch ends. */
  readonly onEnd?: (watch: EtcdWatch) => void;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

export class EtcdWatch {
  readonly channel: WatchChannel;
  /** Every event at or below this revision has been delivered (or was not for us). */
  private position: number;
  private lastSent: number;
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private progressRequested = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private readonly progressNotify: boolean;

  constructor(
    private readonly context: EtcdWatchContext,
    private readonly start: Buffer,
    private readonly end: Buffer,
    fromRevision: number,
    options: WatchOptions,
  ) {
    this.position = Math.max(0, fromRevision);
    this.lastSent = this.position;
    this.progressNotify = options.progressNotify ?? false;
    const maxQueuedEvents = options.maxQueuedEvents ?? context.maxQueuedEvents;
    const maxQueuedBytes = options.maxQueuedBytes ?? context.maxQueuedBytes;
    this.channel = new WatchChannel({
      ...(maxQueuedEvents === undefined ? {} : { maxQueuedEvents }),
      ...(maxQueuedBytes === undefined ? {} : { maxQueuedBytes }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onRequestProgress: () => this.requestProgress(),
      onClose: () => {
        this.closeStream();
        context.onEnd?.(this);
      },
    });
    void this.open();
  }

  get watch(): Watch {
    return this.channel;
  }

  private async open(): Promise<void> {
    if (this.channel.closed) return;
    let stream: IDuplexStream<IWatchRequest, IWatchResponse>;
    try {
      stream = await this.context.client.watchClient.watch();
    } catch (error) {
      this.scheduleReconnect(error);
      return;
    }
    if (this.channel.closed) {
      stream.cancel();
      return;
    }
    this.stream = stream;
    stream.on('data', (response) => this.onResponse(response));
    stream.on('error', (error) => this.onBroken(stream, error));
    stream.on('end', () => this.onBroken(stream, new Error('the watch stream ended')));
    stream.write({
      create_request: {
        key: this.start,
        range_end: this.end,
        start_revision: Math.max(1, this.position),
        prev_kv: true,
        progress_notify: true,
      },
    });
  }

  private onResponse(response: IWatchResponse): void {
    if (this.channel.closed) return;
    if (response.canceled) {
      const compactRevision = Number(response.compact_revision);
      this.channel.fail(
        compactRevision > 0
          ? compacted(this.position, compactRevision)
          : unavailable(`etcd cancelled the watch: ${response.cancel_reason || 'no reason given'}`),
      );
      return;
    }
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (response.created) return;
    const batch: WatchEvent[] = [];
    for (const event of response.events) {
      const revision = Number(event.kv.mod_revision);
      if (revision <= this.position) continue;
      batch.push(this.toEvent(event.type, event.kv, event.prev_kv, revision));
    }
    const last = batch[batch.length - 1];
    if (last !== undefined) {
      this.position = last.revision;
      this.lastSent = last.revision;
      this.channel.push(batch);
      return;
    }
    if (response.events.length === 0) this.onProgress(Number(response.header.revision));
  }

  /** A response without events: all events up to `revision` have been sent on this stream. */
  private onProgress(revision: number): void {
    const at = Math.max(revision, this.position);
    const wanted = this.progressRequested || (this.progressNotify && at > this.lastSent);
    this.position = at;
    if (!wanted) return;
    this.progressRequested = false;
    this.lastSent = at;
    this.channel.push([{ type: 'BOOKMARK', revision: at }]);
  }

  private requestProgress(): void {
    this.progressRequested = true;
    if (this.context.progressRequestsAreSafe) this.stream?.write({ progress_request: {} });
  }

  private toEvent(type: 'Put' | 'Delete', kv: IKeyValue, prev: IKeyValue | null | undefined, revision: number): ChangeEvent {
    const key = this.logicalKey(kv.key);
    const previous = prev === null || prev === undefined ? undefined : this.toKeyValue(key, prev);
    if (type === 'Delete') {
      if (previous === undefined) throw unavailable(`etcd sent a delete of ${key} without its previous value`);
      return { type: 'DELETED', revision, key, prev: previous };
    }
    const current = this.toKeyValue(key, kv);
    if (current.createRevision === revision || previous === undefined) return { type: 'ADDED', revision, kv: current };
    return { type: 'MODIFIED', revision, kv: current, prev: previous };
  }

  private toKeyValue(key: string, kv: IKeyValue): KeyValue {
    return {
      key,
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  private logicalKey(physical: Buffer): string {
    return physical.toString('utf8').slice(this.context.keyPrefix.length);
  }

  private onBroken(stream: IDuplexStream<IWatchRequest, IWatchResponse>, error: unknown): void {
    if (this.stream !== stream || this.channel.closed) return;
    this.stream = undefined;
    stream.cancel();
    this.scheduleReconnect(error);
  }

  /** Reopens the stream at the last delivered revision after a backoff; the consumer sees no break. */
  private scheduleReconnect(error: unknown): void {
    if (this.channel.closed) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(RECONNECT_MAX_MS, delay * 2);
    this.context.logger.warn(`${fromEtcdError(error, 'watch stream').message}; reopening from revision ${this.position} in ${delay} ms`);
    setTimeout(() => void this.open(), delay).unref();
  }

  private closeStream(): void {
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }
}
