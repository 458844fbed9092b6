/**
 * @module
 * Watch for the backends that own their write path (memory, SQLite). Events are pushed from the write
 * path: after a commit the backend calls {@link LocalWatchHub.dispatch} with the committed events, in
 * the same synchronous turn that made them visible, so there is no polling and no gap to fill.
 *
 * A watcher starts in catch-up: each time its consumer runs dry it reads the next page of history
 * (revision > its position) from the backend. When a page comes back short, history is exhausted up
 * to the current revision, and in that same synchronous turn the watcher joins the live set. Because
 * commits and dispatch also happen in one synchronous turn, no event can fall between the last page
 * and the first live batch: the stream is ordered, gap-free and duplicate-free by construction.
 *
 * Invariants: a live watcher has seen (queued or skipped as out of range) every event up to the
 * source's revision; `position` only grows.
 */
import type { Clock } from '../util/clock.js';
import { type Logger, errorMessage } from '../util/logger.js';
import { runPeriodically } from '../util/periodic.js';
import { compacted, isStorageError, unavailable } from './errors.js';
import { type ChangeEvent, type Watch, type WatchEvent, type WatchOptions, eventKey } from './interface.js';
import { normalizePrefix, prefixEnd } from './keys.js';
import { WatchChannel } from './watch-channel.js';

/** The backend's side of watch: its committed state and a way to read history. */
export interface EventSource {
  /** The revision of the latest committed and dispatched write. */
  readonly revision: number;
  /** History at and below this revision is gone. */
  readonly compactRevision: number;
  /** Change events with revision > `after` for keys in [start, end), ascending, at most `limit`. */
  readEvents(start: string, end: string, after: number, limit: number): ChangeEvent[];
}

export interface LocalWatchHubOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often idle watchers that asked for progress notifications get a BOOKMARK. */
  readonly progressNotifyIntervalMs: number;
  /** History events read per catch-up page. @defaultValue 1000 */
  readonly pageSize?: number;
  /** Defaults for each watch's queue limits. */
  readonly maxQueuedEvents?: number;
  readonly maxQueuedBytes?: number;
}

interface Watcher {
  readonly prefix: string;
  readonly channel: WatchChannel;
  readonly progressNotify: boolean;
  /** Every event at or below this revision has been queued or was not for this watcher. */
  position: number;
  /** The revision of the last event or bookmark queued, for deciding whether a bookmark says anything new. */
  lastSent: number;
  /** A progress request arrived during catch-up; answer it on going live. */
  progressPending: boolean;
}

export class LocalWatchHub {
  private readonly live = new Set<Watcher>();
  private readonly pageSize: number;
  private closed = false;

  constructor(
    private readonly source: EventSource,
    private readonly options: LocalWatchHubOptions,
  ) {
    this.pageSize = options.pageSize ?? 1000;
  }

  /** Number of watchers that have caught up (for metrics and tests). */
  get liveWatchers(): number {
    return this.live.size;
  }

  watch(prefix: string, fromRevision: number, options: WatchOptions = {}): Watch {
    const normalized = normalizePrefix(prefix);
    const end = prefixEnd(normalized);
    let watcher: Watcher | undefined;
    const channel = new WatchChannel({
      ...limits(options.maxQueuedEvents ?? this.options.maxQueuedEvents, options.maxQueuedBytes ?? this.options.maxQueuedBytes),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      pull: () => (watcher === undefined ? undefined : this.catchUp(watcher, end)),
      onRequestProgress: () => {
        if (watcher === undefined) return;
        if (this.live.has(watcher)) this.bookmark(watcher);
        else watcher.progressPending = true;
      },
      onClose: () => {
        if (watcher !== undefined) this.live.delete(watcher);
      },
    });
    watcher = {
      prefix: normalized,
      channel,
      progressNotify: options.progressNotify ?? false,
      position: Math.max(0, fromRevision),
      lastSent: Math.max(0, fromRevision),
      progressPending: false,
    };
    if (this.closed) channel.fail(unavailable('the store is closed'));
    return channel;
  }

  /**
   * Delivers committed events (ascending revisions) to every live watcher whose prefix they fall
   * under. Call it in the same synchronous turn that made them visible to reads.
   */
  dispatch(events: readonly ChangeEvent[]): void {
    const last = events[events.length - 1];
    if (last === undefined) return;
    for (const watcher of this.live) {
      let batch: ChangeEvent[] | undefined;
      for (const event of events) {
        if (event.revision <= watcher.position || !eventKey(event).startsWith(watcher.prefix)) continue;
        (batch ??= []).push(event);
      }
      watcher.position = Math.max(watcher.position, last.revision);
      if (batch !== undefined) {
        watcher.lastSent = last.revision;
        watcher.channel.push(batch);
      }
    }
  }

  /** Sends a BOOKMARK to idle live watchers that asked for progress notifications, until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runPeriodically(
      () => {
        for (const watcher of this.live) {
          if (watcher.progressNotify && this.source.revision > watcher.lastSent) this.bookmark(watcher);
        }
      },
      { ...this.options, intervalMs: this.options.progressNotifyIntervalMs, signal, name: 'watch progress notification' },
    );
  }

  /** Ends every watch (the store is closing). */
  closeAll(): void {
    this.closed = true;
    for (const watcher of [...this.live]) watcher.channel.finish();
    this.live.clear();
  }

  private catchUp(watcher: Watcher, end: string): readonly WatchEvent[] | undefined {
    if (this.closed) {
      watcher.channel.finish();
      return undefined;
    }
    const { compactRevision } = this.source;
    if (watcher.position < compactRevision) {
      watcher.channel.fail(compacted(watcher.position, compactRevision));
      return undefined;
    }
    let page: ChangeEvent[];
    try {
      page = this.source.readEvents(watcher.prefix, end, watcher.position, this.pageSize);
    } catch (error) {
      watcher.channel.fail(isStorageError(error) ? error : unavailable(`reading watch history failed: ${errorMessage(error)}`, error));
      return undefined;
    }
    const last = page[page.length - 1];
    if (last !== undefined) {
      watcher.position = last.revision;
      watcher.lastSent = last.revision;
    }
    if (page.length === this.pageSize) return page;
    // History is exhausted up to the current revision: go live in this same turn.
    watcher.position = Math.max(watcher.position, this.source.revision);
    watcher.channel.stopPulling();
    if (watcher.channel.closed) return page;
    this.live.add(watcher);
    if (watcher.progressPending) {
      watcher.progressPending = false;
      if (page.length === 0) this.bookmark(watcher);
      else return [...page, this.bookmarkEvent(watcher)];
    }
    return page;
  }

  private bookmark(watcher: Watcher): void {
    watcher.channel.push([this.bookmarkEvent(watcher)]);
  }

  private bookmarkEvent(watcher: Watcher): WatchEvent {
    const revision = Math.max(watcher.position, this.source.revision);
    watcher.lastSent = revision;
    return { type: 'BOOKMARK', revision };
  }
}

function limits(maxQueuedEvents: number | undefined, maxQueuedBytes: number | undefined) {
  return {
    ...(maxQueuedEvents === undefined ? {} : { maxQueuedEvents }),
    ...(maxQueuedBytes === undefined ? {} : { maxQueuedBytes }),
  };
}
