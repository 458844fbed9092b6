/**
 * @module
 * The watch cache of one resource, after kube-apiserver's cacher (staging/src/k8s.io/apiserver/pkg/
 * storage/cacher): one storage watch keeps the current state of every object and a window of recent
 * events in memory; lists, gets at a resourceVersion and every client watch are served from it, so
 * storage sees one watch per resource however many clients there are.
 *
 * Invariants: `revision` is the storage revision the cache reflects — every change at or below it
 * is applied; `objects` and `sortedKeys` hold the same keys; the event window holds every event
 * with a revision above `windowStart`, so a watch from any revision at or above it can be served
 * without a gap, and one from below gets 410 Expired.
 */
import { StatusError, resourceExpired } from '../../api/status.js';
import { isStorageError } from '../../storage/errors.js';
import type { JsonObject } from '../../api/json.js';
import type { KeyValue, Store, Watch, WatchEvent } from '../../storage/interface.js';
import { compareKeys, prefixEnd } from '../../storage/keys.js';
import type { Clock } from '../../util/clock.js';
import { type Logger, errorMessage } from '../../util/logger.js';
import { runPeriodically } from '../../util/periodic.js';
import { CacheEvent, type ObjectFilter, addedLine, filterAccepts } from './cache-event.js';
import { type CacheWatch, CacheWatcher, type WatchItem } from './cache-watcher.js';
import { type CachedObject, type FieldsOf, type FromStorage, fromKeyValue, fromWritten } from './cached-object.js';
import { SortedKeys } from './sorted-keys.js';

/** Writes expected at once (expectWrite) before the map of them is dropped: far more than are ever in flight. */
const WRITTEN_LIMIT = 10_000;

export interface WatchCacheOptions {
  readonly store: Store;
  /** The resource's storage prefix (ends with "/"). */
  readonly prefix: string;
  readonly fieldsOf: FieldsOf;
  /** Converts stored objects when the resource shares another's storage. */
  readonly fromStorage?: FromStorage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Events kept for watches that resume from a past revision. @defaultValue 10000 */
  readonly capacity?: number;
  /** Events a watcher may leave unread before it is dropped. @defaultValue 10000 */
  readonly watcherCapacity?: number;
  /** How long a read at a revision the cache has not reached yet may wait. @defaultValue 3000 */
  readonly freshnessTimeoutMs?: number;
  /** How often watchers that allow bookmarks get one. @defaultValue 60000 */
  readonly bookmarkIntervalMs?: number;
  /** Paged-list snapshots kept for continue tokens. @defaultValue 16 */
  readonly snapshots?: number;
}

export interface WatchFrom {
  /** Send the current state as ADDED events first (resourceVersion unset or "0", or sendInitialEvents). */
  readonly initialState: boolean;
  /** Without initial state: deliver every change after this revision. */
  readonly revision: number;
  readonly bookmarks: boolean;
  /** After the initial state, a bookmark marked k8s.io/initial-events-end. */
  readonly initialEventsEnd: boolean;
}

interface FreshnessWaiter {
  readonly revision: number;
  readonly resolve: () => void;
}

/** A page of a list: objects in key order and the key to continue from, if more remain. */
export interface CachePage {
  readonly items: readonly CachedObject[];
  readonly revision: number;
  /** The first key of the next page, when more matching objects remain. */
  readonly nextKey: string | undefined;
  /** Matching objects after this page, when counted (only for unfiltered lists). */
  readonly remaining: number | undefined;
}

export class WatchCache {
  private readonly objects = new Map<string, CachedObject>();
  /**
   * Objects this server is writing, by storage key, with the text they are stored as (expectWrite):
   * the event storage sends back for such a write is cached from the object, not by parsing the text
   * again. Keyed by the short storage key, not the text, which Map would hash in full. Entries of
   * writes that fail are never taken; the map is cleared when it grows past WRITTEN_LIMIT.
   */
  private readonly written = new Map<string, { readonly value: string; readonly object: JsonObject }>();
  private readonly keys = new SortedKeys();
  private events: CacheEvent[] = [];
  private windowStart = 0;
  private revision_ = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private waiters: FreshnessWaiter[] = [];
  private storageWatch: Watch | undefined;
  private readonly snapshotCache = new Map<number, readonly CachedObject[]>();
  private readonly stop = new AbortController();
  private running: Promise<unknown> = Promise.resolve();
  private readonly capacity: number;

  constructor(private readonly options: WatchCacheOptions) {
    this.capacity = options.capacity ?? 10_000;
  }

  /** The revision the cache reflects. */
  get revision(): number {
    return this.revision_;
  }

  get size(): number {
    return this.objects.size;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Lists the current state from storage and starts following it; resolves when the cache is ready. */
  async start(): Promise<void> {
    await this.relist();
    const { signal } = this.stop;
    this.running = Promise.all([
      this.follow(signal),
      runPeriodically(() => this.sendBookmarks(), {
        clock: this.options.clock,
        logger: this.options.logger,
        signal,
        intervalMs: this.options.bookmarkIntervalMs ?? 60_000,
        name: 'watch bookmarks',
      }),
    ]);
  }

  /** Stops following storage and ends every watcher. */
  async close(): Promise<void> {
    this.stop.abort();
    this.storageWatch?.close();
    for (const watcher of [...this.watchers]) watcher.end();
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    await this.running;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /**
   * Resolves once the cache reflects `revision`; rejects after the freshness timeout with 504
   * "Too large resource version", as kube-apiserver does.
   */
  waitFresh(revision: number): Promise<void> {
    if (revision <= this.revision_) return Promise.resolve();
    const timeoutMs = this.options.freshnessTimeoutMs ?? 3000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(tooLargeResourceVersion(revision, this.revision_));
      }, timeoutMs);
      const waiter: FreshnessWaiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
      this.storageWatch?.requestProgress();
    });
  }

  /**
   * The revision of a consistent read ("most recent"): the store's current revision, once the cache
   * has caught up with it. Undefined when it cannot catch up quickly (the caller reads storage).
   */
  async consistentRevision(): Promise<number | undefined> {
    const current = await this.options.store.currentRevision();
    try {
      await this.waitFresh(current);
    } catch {
      return undefined;
    }
    return this.revision_;
  }

  /**
   * A page of the objects under `keyPrefix` (a directory of the resource's prefix) that match
   * `filter`, at the cache's current revision, starting at `startKey`.
   */
  listPage(keyPrefix: string, filter: ObjectFilter, limit: number, startKey?: string): CachePage {
    const keys = this.keys.range(startKey ?? keyPrefix, prefixEnd(keyPrefix));
    return pageOf(
      keys.map((key) => this.objects.get(key) as CachedObject),
      filter,
      limit,
      this.revision_,
    );
  }

  /**
   * A later page of a list whose first page was served at `revision`, from the snapshot taken then;
   * undefined when that snapshot is gone (the caller reads storage at that revision).
   */
  continuePage(keyPrefix: string, filter: ObjectFilter, limit: number, revision: number, startKey: string): CachePage | undefined {
    const snapshot = this.snapshotCache.get(revision);
    if (snapshot === undefined) return undefined;
    const from = lowerBound(snapshot, startKey);
    const to = lowerBound(snapshot, prefixEnd(keyPrefix));
    return pageOf(snapshot.slice(from, to), filter, limit, revision);
  }

  /** Starts a watch; throws 410 Expired when the revision is older than the event window. */
  watch(filter: ObjectFilter, from: WatchFrom): CacheWatch {
    const watcher = new CacheWatcher(filter, this.options.watcherCapacity ?? 10_000, from.bookmarks, () =>
      this.watchers.delete(watcher),
    );
    if (from.initialState) {
      const initial: WatchItem[] = [];
      for (const key of this.keys.all()) {
        const object = this.objects.get(key);
        if (object !== undefined && filterAccepts(filter, object)) {
          initial.push({ kind: 'event', type: 'ADDED', object, line: addedLine(object) });
        }
      }
      if (from.initialEventsEnd) initial.push({ kind: 'bookmark', revision: this.revision_, initialEventsEnd: true });
      watcher.setInitial(initial, this.revision_);
    } else {
      if (from.revision < this.windowStart) {
        throw resourceExpired(`too old resource version: ${from.revision} (${this.windowStart})`);
      }
      const replay: WatchItem[] = [];
      for (let i = this.firstEventAfter(from.revision); i < this.events.length; i++) {
        const item = itemFor(this.events[i] as CacheEvent, filter);
        if (item !== undefined) replay.push(item);
      }
      watcher.setInitial(replay, Math.max(this.revision_, from.revision));
    }
    this.watchers.add(watcher);
    return watcher;
  }

  /** Takes a snapshot of the current state for the continue tokens of a paged list at this revision. */
  rememberSnapshot(): void {
    if (this.snapshotCache.has(this.revision_)) return;
    const snapshot = this.keys.all().map((key) => this.objects.get(key) as CachedObject);
    this.snapshotCache.set(this.revision_, snapshot);
    const max = this.options.snapshots ?? 16;
    for (const revision of this.snapshotCache.keys()) {
      if (this.snapshotCache.size <= max) break;
      this.snapshotCache.delete(revision);
    }
  }

  /** Follows storage from the cache's revision until stopped, relisting after compaction. */
  private async follow(signal: AbortSignal): Promise<void> {
    let backoffMs = 100;
    while (!signal.aborted) {
      const watch = this.options.store.watch(this.options.prefix, this.revision_, { progressNotify: true, signal });
      this.storageWatch = watch;
      try {
        for await (const batch of watch) {
          this.apply(batch);
          backoffMs = 100;
        }
      } catch (error) {
        if (signal.aborted) break;
        if (isStorageError(error, 'Compacted')) {
          this.options.logger.warn(`watch cache ${this.options.prefix}: history compacted past the cache; relisting`);
          await this.relist().catch((e: unknown) => this.options.logger.error(`watch cache relist failed: ${errorMessage(e)}`));
        } else {
          this.options.logger.warn(`watch cache ${this.options.prefix}: storage watch failed (${errorMessage(error)}); resuming`);
          await this.options.clock.sleep(backoffMs, signal);
          backoffMs = Math.min(backoffMs * 2, 5000);
        }
      }
    }
  }

  /** Applies one storage batch: state, event window, watchers, then waiters. */
  private apply(batch: readonly WatchEvent[]): void {
    for (const event of batch) {
      if (event.type === 'BOOKMARK') {
        this.advance(event.revision);
        continue;
      }
      let change: CacheEvent;
      try {
        change = this.toCacheEvent(event);
      } catch (error) {
        this.options.logger.error(`watch cache ${this.options.prefix}: skipping revision ${event.revision}: ${errorMessage(error)}`);
        this.advance(event.revision);
        continue;
      }
      if (change.type === 'DELETED') {
        this.objects.delete(change.object.key);
        this.keys.delete(change.object.key);
      } else {
        if (!this.objects.has(change.object.key)) this.keys.insert(change.object.key);
        this.objects.set(change.object.key, change.object);
      }
      this.record(change);
      for (const watcher of this.watchers) {
        const item = itemFor(change, watcher.filter);
        if (item !== undefined) watcher.deliver(item, change.revision);
      }
      this.advance(change.revision);
    }
  }

  /**
   * Says that `object` is about to be stored as `value` (encodeForStorage's form), so that its event
   * needs no parsing. Ignored for a resource stored as another (fromStorage), whose stored form is not
   * the object.
   */
  expectWrite(key: string, value: string, object: JsonObject): void {
    if (this.options.fromStorage !== undefined) return;
    if (this.written.size >= WRITTEN_LIMIT) this.written.clear();
    this.written.set(key, { value, object });
  }

  /** The cached form of a value storage sent: from the object written, when this server wrote it. */
  private decode(kv: KeyValue): CachedObject {
    const { fieldsOf, fromStorage } = this.options;
    const written = this.written.get(kv.key);
    // Another write of the same key may have taken the entry's place: then the text tells which.
    if (written === undefined || written.value !== kv.value) return fromKeyValue(kv, fieldsOf, fromStorage);
    this.written.delete(kv.key);
    return fromWritten(kv, written.object, fieldsOf);
  }

  private toCacheEvent(event: Exclude<WatchEvent, { type: 'BOOKMARK' }>): CacheEvent {
    const { fieldsOf, fromStorage } = this.options;
    switch (event.type) {
      case 'ADDED':
        return new CacheEvent('ADDED', event.revision, this.decode(event.kv), undefined, fieldsOf);
      case 'MODIFIED': {
        const prev = this.objects.get(event.kv.key) ?? fromKeyValue(event.prev, fieldsOf, fromStorage);
        return new CacheEvent('MODIFIED', event.revision, this.decode(event.kv), prev, fieldsOf);
      }
      case 'DELETED': {
        const prev = this.objects.get(event.key) ?? fromKeyValue(event.prev, fieldsOf, fromStorage);
        const deleted = fromKeyValue({ ...event.prev, modRevision: event.revision }, fieldsOf, fromStorage);
        return new CacheEvent('DELETED', event.revision, deleted, prev, fieldsOf);
      }
      default: {
        const never: never = event;
        throw new Error(`unknown event ${String(never)}`);
      }
    }
  }

  private record(event: CacheEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity * 2) {
      const dropped = this.events.length - this.capacity;
      this.windowStart = (this.events[dropped - 1] as CacheEvent).revision;
      this.events = this.events.slice(dropped);
    }
  }

  private advance(revision: number): void {
    if (revision <= this.revision_) return;
    this.revision_ = revision;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.revision <= revision);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.revision > revision);
    for (const waiter of ready) waiter.resolve();
  }

  private sendBookmarks(): void {
    for (const watcher of this.watchers) watcher.bookmark(this.revision_);
  }

  /** Replaces the state with a fresh list from storage; watchers must start over (they get an end). */
  private async relist(): Promise<void> {
    const { store, prefix, fieldsOf, fromStorage } = this.options;
    const listed: CachedObject[] = [];
    let page = await store.list(prefix, { limit: 1000 });
    const revision = page.revision;
    for (;;) {
      for (const kv of page.items) {
        try {
          listed.push(fromKeyValue(kv, fieldsOf, fromStorage));
        } catch (error) {
          this.options.logger.error(`watch cache ${prefix}: skipping ${kv.key}: ${errorMessage(error)}`);
        }
      }
      if (page.continue === undefined) break;
      page = await store.list(prefix, { limit: 1000, continue: page.continue });
    }
    this.objects.clear();
    this.keys.reset(listed.map((o) => o.key));
    for (const object of listed) this.objects.set(object.key, object);
    this.events = [];
    this.snapshotCache.clear();
    this.windowStart = revision;
    for (const watcher of [...this.watchers]) watcher.end();
    this.revision_ = Math.max(this.revision_, revision);
    this.advance(revision);
  }

  /** The index of the first event with a revision above `revision`. */
  private firstEventAfter(revision: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[mid] as CacheEvent).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The first `limit` matching objects of `objects` (in key order), and where the next page starts. */
function pageOf(objects: readonly CachedObject[], filter: ObjectFilter, limit: number, revision: number): CachePage {
  const items: CachedObject[] = [];
  let i = 0;
  for (; i < objects.length; i++) {
    const object = objects[i] as CachedObject;
    if (!filterAccepts(filter, object)) continue;
    if (limit > 0 && items.length === limit) break;
    items.push(object);
  }
  const last = items[items.length - 1];
  const more = i < objects.length && last !== undefined;
  return {
    items,
    revision,
    nextKey: more ? `${last.key}\0` : undefined,
    // Only an unfiltered list knows how many remain without looking at each.
    remaining: more && filter.matches === undefined && filter.namespace === undefined ? objects.length - i : undefined,
  };
}

function itemFor(event: CacheEvent, filter: ObjectFilter): WatchItem | undefined {
  const type = event.typeFor(filter);
  if (type === undefined) return undefined;
  return event.item(type);
}

/** kube-apiserver's NewTooLargeResourceVersionError: 504 Timeout with a ResourceVersionTooLarge cause. */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError('Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    details: { retryAfterSeconds: 1, causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] },
  });
}

function lowerBound(objects: readonly CachedObject[], key: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys((objects[mid] as CachedObject).key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
