/**
 * @module
 * One client's watch on the watch cache: its filter, the initial items (current state or replayed
 * events), then live items in a bounded queue. A client that stops reading fills its queue and is
 * dropped — its stream ends, it re-watches from the last revision it saw — so it never holds up the
 * cache or other watchers (the cacher's "forcing watcher close due to unresponsiveness").
 */
import { AsyncQueue } from '../../util/async-queue.js';
import type { ChangeType, ObjectFilter } from './cache-event.js';
import type { CachedObject } from './cached-object.js';

export type WatchItem =
  | {
      readonly kind: 'event';
      readonly type: ChangeType;
      readonly object: CachedObject;
      /** The JSON line of this event, shared with other watchers. */
      readonly line: Uint8Array;
    }
  | { readonly kind: 'bookmark'; readonly revision: number; readonly initialEventsEnd: boolean };

/** A running watch on the cache, read in batches with `for await`. */
export interface CacheWatch extends AsyncIterable<WatchItem[]> {
  /** Ends the watch (the client went away). */
  close(): void;
  /** Resolves when the watch has ended, for whatever reason (a writer blocked on a slow client wakes up). */
  readonly ended: Promise<void>;
}

/** How many initial items one read hands out, so a large initial state streams in slices. */
const INITIAL_SLICE = 500;

export class CacheWatcher implements CacheWatch {
  private initial: WatchItem[] = [];
  private initialIndex = 0;
  /** Live items at or below this revision were covered by the initial items. */
  private position = 0;
  private lastSent = 0;
  private readonly queue: AsyncQueue<WatchItem>;
  readonly ended: Promise<void>;

  constructor(
    readonly filter: ObjectFilter,
    capacity: number,
    private readonly bookmarks: boolean,
    onEnd: () => void,
  ) {
    let resolveEnded: () => void = () => undefined;
    this.ended = new Promise((resolve) => {
      resolveEnded = resolve;
    });
    this.queue = new AsyncQueue(capacity, () => {
      onEnd();
      resolveEnded();
    });
  }

  /** Sets what the watch starts with, and the revision it covers. */
  setInitial(items: WatchItem[], position: number): void {
    this.initial = items;
    this.initialIndex = 0;
    this.position = position;
    this.lastSent = position;
  }

  /** Queues a live item; a watcher whose queue is full is dropped. */
  deliver(item: WatchItem, revision: number): void {
    if (revision <= this.position) return;
    this.lastSent = revision;
    if (!this.queue.push(item)) this.queue.end();
  }

  /**
   * Queues a bookmark at `revision` if the watcher asked for bookmarks and has nothing queued. A quiet
   * watch gets one at the same revision again: like kube-apiserver's periodic bookmarks (cacher.go),
   * it tells the client the connection is alive, so clients that time out silent watches keep it.
   */
  bookmark(revision: number): void {
    if (!this.bookmarks || revision < this.lastSent || this.queue.length > 0) return;
    this.lastSent = revision;
    if (!this.queue.push({ kind: 'bookmark', revision, initialEventsEnd: false })) this.queue.end();
  }

  end(): void {
    this.queue.end();
  }

  close(): void {
    this.initial = [];
    this.queue.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchItem[]> {
    const live = this.queue[Symbol.asyncIterator]();
    return {
      next: () => {
        if (this.initialIndex < this.initial.length) {
          const slice = this.initial.slice(this.initialIndex, this.initialIndex + INITIAL_SLICE);
          this.initialIndex += slice.length;
          return Promise.resolve({ value: slice, done: false });
        }
        return live.next();
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
