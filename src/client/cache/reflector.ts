/**
 * @module
 * The Reflector: keeps a store equal to the server's state of one resource by ListAndWatch, as
 * client-go's tools/cache/reflector.go does.
 *
 * - **List** the current state (paged when asked, or when reading consistently with RV=""), put it in
 *   the store with `replace`, and remember the list's resourceVersion. The first list asks for RV="0"
 *   (any server cache may answer); later relists ask for the last resourceVersion seen, so the state
 *   never goes back in time; when that one is gone (410), for RV="" — the newest state.
 * - **Watch** from that resourceVersion with bookmarks and a random server timeout in [5, 10) min;
 *   each event advances the resourceVersion. A watch the server ends is started again from there.
 * - **410 Gone/Expired** (the server no longer has that resourceVersion) means relist: the store's
 *   `replace` turns objects that vanished meanwhile into deletes (tombstones in a DeltaFIFO).
 * - **Every other failure** waits a jittered exponential backoff (800 ms → 30 s, reset after 2 min):
 *   a watch that cannot start or breaks is retried from the last resourceVersion; a list that fails
 *   is retried. Nothing ever stops the reflector except its AbortSignal (the JavaScript client's
 *   informer stops on the first unexpected error, kubernetes-client/javascript #447, #1496).
 * - **Streaming list** (KEP-3157, on unless `useWatchList: false`): one watch with
 *   sendInitialEvents=true brings the state as ADDED events ended by a bookmark annotated
 *   `k8s.io/initial-events-end`; any error falls back to a regular list.
 */
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { ApiError, isGone, isResourceExpired } from '../errors.js';
import type { KubeObject, ObjectList } from '../object.js';
import type { ListOptions, WatchOptions } from '../resource-client.js';
import type { WatchEvent } from '../rest/watch-stream.js';
import { Backoff, type BackoffOptions } from './backoff.js';

/** A source of watch events that can be closed early. */
export interface WatchSource<T extends KubeObject> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
  /** The events in batches as they arrive (a WatchStream's, one per chunk read); optional. */
  batches?(): AsyncIterable<readonly WatchEvent<T>[]>;
  /** Pushes each batch to `sink` as it arrives, until the watch ends; optional (a WatchStream's). */
  forEachBatch?(sink: (events: readonly WatchEvent<T>[]) => void): Promise<void>;
}

/** An open watch being read: its batches, and events of a batch still to apply. */
interface OpenWatch<T extends KubeObject> {
  readonly source: WatchSource<T>;
  readonly batches: AsyncIterator<readonly WatchEvent<T>[]>;
  readonly pending: readonly WatchEvent<T>[];
}

/** How the reflector lists and watches (a ResourceClient is one). */
export interface ListerWatcher<T extends KubeObject> {
  list(options: ListOptions): Promise<ObjectList<T>>;
  watch(options: WatchOptions): Promise<WatchSource<T>>;
}

/** The slice of a store the reflector writes (a DeltaFIFO, or an Indexer directly). */
export interface ReflectorStore<T> {
  add(object: T): void;
  update(object: T): void;
  delete(object: T): void;
  replace(objects: T[], resourceVersion: string): void;
}

export interface ReflectorOptions<T extends KubeObject> {
  /** Names the reflector in logs, e.g. the resource. */
  readonly name: string;
  readonly listerWatcher: ListerWatcher<T>;
  readonly store: ReflectorStore<T>;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly backoff?: BackoffOptions;
  /** Page size of lists. @defaultValue 500 for RV="0" and RV="" lists, none for an exact older RV (client-go) */
  readonly pageSize?: number;
  /** Watches last a random time in [this, 2×this) seconds. @defaultValue 300 */
  readonly minWatchTimeoutSeconds?: number;
  /**
   * List with a streaming watch (sendInitialEvents, KEP-3157) instead of LIST, falling back to LIST
   * when the server refuses or cannot (client-go's WatchListClient, on by default from 1.35). The
   * state arrives as it is read, so memory peaks at one event and parsing overlaps the server's
   * work. @defaultValue true
   */
  readonly useWatchList?: boolean;
  /** Called with every failure before the reflector backs off (client-go's WatchErrorHandler). */
  readonly onError?: (error: unknown) => void;
}

/** Counts of what the reflector asked of the server; tests use them to see there is no storm. */
export interface ReflectorStats {
  /** Times the state was read afresh, by LIST or a streaming list. */
  relists: number;
  /** LIST requests (pages included). */
  lists: number;
  watches: number;
  errors: number;
}

/** What ended a watch: the server's 410 (relist), or the watch simply ended (watch again). */
type WatchEnd = 'relist' | 'ended';

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export class Reflector<T extends KubeObject> {
  readonly stats: ReflectorStats = { relists: 0, lists: 0, watches: 0, errors: 0 };
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly backoff: Backoff;
  private lastSyncRV = '';
  /** The last resourceVersion was refused (410) on list: the next list must read the newest state. */
  private lastSyncRVUnavailable = false;

  constructor(private readonly options: ReflectorOptions<T>) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? stderrLogger;
    this.backoff = new Backoff(this.clock, this.random, options.backoff);
  }

  /** The resourceVersion of the newest state put in the store ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.lastSyncRV;
  }

  /** Lists and watches until `signal` aborts; resolves once it has stopped. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (error) {
        if (signal.aborted) break;
        this.report(error, 'list and watch');
      }
      if (signal.aborted) break;
      await this.backoff.wait(signal);
    }
  }

  /** One list followed by watches, until a watch needs a relist (returns) or a list fails (throws). */
  private async listAndWatch(signal: AbortSignal): Promise<void> {
    let stream: OpenWatch<T> | undefined;
    this.stats.relists++;
    if (this.options.useWatchList !== false) {
      try {
        stream = await this.streamingList(signal);
      } catch (error) {
        if (signal.aborted) return;
        // KEP-3157: "for safety reasons … will always fallback" to a regular list.
        this.logger.info(`${this.options.name}: the streaming list failed (${errorMessage(error)}); listing instead`);
      }
    }
    if (stream === undefined) await this.list(signal);
    for (;;) {
      if (signal.aborted) return;
      const end = stream === undefined ? await this.watchOnce(signal) : await this.consume(stream, signal);
      stream = undefined;
      if (end === 'relist') return;
    }
  }

  /** Lists everything (following continue tokens) and replaces the store's contents with it. */
  private async list(signal: AbortSignal): Promise<void> {
    const resourceVersion = this.lastSyncRVUnavailable ? '' : this.lastSyncRV === '' ? '0' : this.lastSyncRV;
    // client-go's pager asks for pages of 500 unless an exact older resourceVersion is wanted; a
    // server that serves RV="0" from its cache may answer in one piece anyway. Pages keep the
    // client's peak memory to one page of text instead of the whole list's.
    const pageSize = this.options.pageSize ?? (resourceVersion === '' || resourceVersion === '0' ? 500 : undefined);
    const items: T[] = [];
    let listRV = '';
    let continueToken: string | undefined;
    try {
      do {
        this.stats.lists++;
        const page = await this.options.listerWatcher.list({
          ...(continueToken === undefined ? { resourceVersion } : { continue: continueToken }),
          ...(pageSize === undefined ? {} : { limit: pageSize }),
          signal,
        });
        for (const item of page.items) items.push(item);
        listRV = page.metadata?.resourceVersion ?? '';
        continueToken = page.metadata?.continue === undefined || page.metadata.continue === '' ? undefined : page.metadata.continue;
      } while (continueToken !== undefined);
    } catch (error) {
      if ((isResourceExpired(error) || isGone(error)) && resourceVersion !== '') {
        // The resourceVersion (or a continue token) is compacted away: read the newest state.
        this.lastSyncRVUnavailable = true;
        return this.list(signal);
      }
      throw error;
    }
    this.lastSyncRVUnavailable = false;
    this.options.store.replace(items, listRV);
    this.lastSyncRV = listRV;
  }

  /** Starts a watch from the last resourceVersion and reads it to its end. */
  private async watchOnce(signal: AbortSignal): Promise<WatchEnd> {
    let source: WatchSource<T>;
    try {
      this.stats.watches++;
      source = await this.options.listerWatcher.watch(this.watchOptions(signal, {}));
    } catch (error) {
      if (signal.aborted) return 'ended';
      if (isResourceExpired(error) || isGone(error)) return 'relist';
      if (!isRetryable(error)) throw error;
      this.report(error, 'watch');
      await this.backoff.wait(signal);
      return 'ended';
    }
    if (source.forEachBatch !== undefined) return this.consumePushed(source as WatchSource<T> & Required<Pick<WatchSource<T>, 'forEachBatch'>>, signal);
    return this.consume({ source, batches: batchesOf(source), pending: [] }, signal);
  }

  /** The same as `consume`, for a source that pushes its batches: no promise per batch. */
  private async consumePushed(source: WatchSource<T> & Required<Pick<WatchSource<T>, 'forEachBatch'>>, signal: AbortSignal): Promise<WatchEnd> {
    const started = this.clock.now();
    let count = 0;
    const abort = (): void => source.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await source.forEachBatch((events) => {
        count += events.length;
        for (const event of events) this.apply(event);
      });
    } catch (error) {
      return this.watchFailed(error, signal);
    } finally {
      signal.removeEventListener('abort', abort);
      source.close();
    }
    return this.watchEnded(count, started, signal);
  }

  /** Applies a watch's events to the store until it ends; backs off when it broke. */
  private async consume(watch: OpenWatch<T>, signal: AbortSignal): Promise<WatchEnd> {
    const { source, batches } = watch;
    const started = this.clock.now();
    let count = watch.pending.length;
    const abort = (): void => source.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      for (const event of watch.pending) this.apply(event);
      for (;;) {
        const next = await batches.next();
        if (next.done === true) break;
        count += next.value.length;
        // A batch is applied in one synchronous run: its events reach the store together.
        for (const event of next.value) this.apply(event);
      }
    } catch (error) {
      return this.watchFailed(error, signal);
    } finally {
      signal.removeEventListener('abort', abort);
      source.close();
    }
    return this.watchEnded(count, started, signal);
  }

  /** A watch broke: 410 means relist; anything else backs off, then watches again. */
  private async watchFailed(error: unknown, signal: AbortSignal): Promise<WatchEnd> {
    if (signal.aborted) return 'ended';
    if (isResourceExpired(error) || isGone(error)) return 'relist';
    this.report(error, 'watch');
    await this.backoff.wait(signal);
    return 'ended';
  }

  /** The server ended a watch: watch again, unless it ended at once with nothing in it. */
  private watchEnded(count: number, started: number, signal: AbortSignal): WatchEnd {
    if (count === 0 && this.clock.now() - started < 1000 && !signal.aborted) {
      // A watch that ends at once with nothing in it points at a server problem (client-go's
      // "very short watch"): relist after a backoff rather than loop.
      throw new Error('very short watch: the server ended it at once without events');
    }
    return 'ended';
  }

  private apply(event: WatchEvent<T>): void {
    const { store } = this.options;
    switch (event.type) {
      case 'ADDED':
        store.add(event.object);
        break;
      case 'MODIFIED':
        store.update(event.object);
        break;
      case 'DELETED':
        store.delete(event.object);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        throw ApiError.fromResponse(statusCode(event.object), JSON.stringify(event.object), undefined);
      default: {
        const never: never = event.type;
        throw new Error(`unknown watch event type ${String(never)}`);
      }
    }
    const resourceVersion = event.object.metadata?.resourceVersion;
    if (resourceVersion !== undefined && resourceVersion !== '') this.lastSyncRV = resourceVersion;
  }

  /**
   * Streaming list: collects the initial ADDED events until the bookmark that ends them, replaces
   * the store with them, and hands back the open watch to go on reading.
   */
  private async streamingList(signal: AbortSignal): Promise<OpenWatch<T>> {
    this.stats.watches++;
    const source = await this.options.listerWatcher.watch(
      this.watchOptions(signal, { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', resourceVersion: this.lastSyncRVUnavailable ? '' : this.lastSyncRV }),
    );
    const batches = batchesOf(source);
    const initial = new Map<string, T>();
    // Until the initial events are in, an abort must end this watch (later, `consume` takes over).
    const abort = (): void => source.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      for (;;) {
        const next = await batches.next();
        if (next.done === true) throw new Error('the watch ended before the initial events did');
        const batch = next.value;
        for (let i = 0; i < batch.length; i++) {
          const { type, object } = batch[i] as WatchEvent<T>;
          if (type === 'ERROR') throw ApiError.fromResponse(statusCode(object), JSON.stringify(object), undefined);
          if (type === 'BOOKMARK') {
            if (object.metadata?.annotations?.[INITIAL_EVENTS_END] !== 'true') {
              // A server streaming the initial state sends no other bookmark before the end one
              // (cacher.go holds them back); an older one, ignoring sendInitialEvents, does: fall back.
              throw new Error('the server sent a bookmark without initial-events-end: it does not stream lists');
            }
            const resourceVersion = object.metadata.resourceVersion ?? '';
            this.options.store.replace([...initial.values()], resourceVersion);
            this.lastSyncRV = resourceVersion;
            this.lastSyncRVUnavailable = false;
            return { source, batches, pending: batch.slice(i + 1) };
          }
          const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
          if (type === 'DELETED') initial.delete(key);
          else initial.set(key, object);
        }
      }
    } catch (error) {
      source.close();
      throw error;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  private watchOptions(signal: AbortSignal, extra: WatchOptions): WatchOptions {
    const min = this.options.minWatchTimeoutSeconds ?? 300;
    return {
      resourceVersion: this.lastSyncRV,
      timeoutSeconds: Math.floor(min * (1 + this.random())),
      allowWatchBookmarks: true,
      ...extra,
      signal,
    };
  }

  private report(error: unknown, what: string): void {
    this.stats.errors++;
    if (this.options.onError !== undefined) this.options.onError(error);
    else this.logger.warn(`${this.options.name}: ${what} failed: ${errorMessage(error)}`);
  }
}

/** The source's batches, or its events one per batch when it has none. */
function batchesOf<T extends KubeObject>(source: WatchSource<T>): AsyncIterator<readonly WatchEvent<T>[]> {
  if (source.batches !== undefined) return source.batches()[Symbol.asyncIterator]();
  const events = source[Symbol.asyncIterator]();
  return {
    next: async () => {
      const next = await events.next();
      return next.done === true ? { done: true, value: undefined } : { done: false, value: [next.value] };
    },
  };
}

/** Failures worth retrying the watch for without a relist: the network, overload, server errors. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.code === 429 || error.code >= 500;
}

function statusCode(object: unknown): number {
  const code = (object as { code?: unknown }).code;
  return typeof code === 'number' ? code : 500;
}
