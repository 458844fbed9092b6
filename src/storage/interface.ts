/**
 * @module
 * The storage contract: an etcd-shaped, revisioned key-value store. Every write is given the next
 * value of one global revision counter, and that revision is the object's `resourceVersion`. The
 * memory, SQLite and etcd backends implement this interface and pass one conformance suite
 * (`runStorageConformance`).
 *
 * Keys look like `/registry/<group>/<resource>/[<namespace>/]<name>`. Values are UTF-8 text (the API
 * server stores JSON). Semantics follow k8s.io/apiserver pkg/storage/interfaces.go and etcd's API
 * guarantees (etcd-io/website content/en/docs/v3.6/learning/api_guarantees.md).
 */

/** One stored version of a key. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** The revision at which this incarnation of the key was created. */
  readonly createRevision: number;
  /** The revision of the last change to the key: the object's resourceVersion. */
  readonly modRevision: number;
}

/** A change, as delivered to watchers. Events carry the previous value where there was one. */
export type WatchEvent =
  | { readonly type: 'ADDED'; readonly revision: number; readonly kv: KeyValue }
  | { readonly type: 'MODIFIED'; readonly revision: number; readonly kv: KeyValue; readonly prev: KeyValue }
  | { readonly type: 'DELETED'; readonly revision: number; readonly key: string; readonly prev: KeyValue }
  /**
   * A progress notification: every change with a revision at or below `revision` under the watched
   * prefix has already been delivered on this watch. Never ahead of delivered events.
   */
  | { readonly type: 'BOOKMARK'; readonly revision: number };

export type ChangeEvent = Exclude<WatchEvent, { type: 'BOOKMARK' }>;

/** The key a change is about. */
export function eventKey(event: ChangeEvent): string {
  return event.type === 'DELETED' ? event.key : event.kv.key;
}

export interface GetOptions {
  /** Read the key as of this revision (0 or absent: the latest). Compacted or future → error. */
  readonly revision?: number;
}

export interface ListOptions {
  /** At most this many items (0 or absent: all). */
  readonly limit?: number;
  /** The token from a previous page; the page is read at the first page's revision. */
  readonly continue?: string;
  /** List as of this revision (0 or absent: the latest). */
  readonly revision?: number;
}

export interface ListResult {
  /** In key order (bytewise, as etcd). */
  readonly items: readonly KeyValue[];
  /** The revision this list (and every later page of it) reflects. */
  readonly revision: number;
  /** Present when more items remain; pass it back as `continue`. */
  readonly continue?: string;
  /** How many items remain after this page, at the list's revision. */
  readonly remaining: number;
}

export interface WriteOptions {
  /**
   * Delete the key this many seconds after this write (Kubernetes gives Events one hour). The expiry
   * is a delete with its own revision and watch event, and it survives restarts. A later write
   * without a TTL makes the key permanent again.
   */
  readonly ttlSeconds?: number;
}

export interface UpdateOptions extends WriteOptions {
  /** Fail with Conflict unless the key's modRevision is this (absent: unconditional). */
  readonly expectedRevision?: number;
}

export interface DeleteOptions {
  /** Fail with Conflict unless the key's modRevision is this (absent: unconditional). */
  readonly expectedRevision?: number;
}

export interface DeleteResult {
  /** The revision of the delete. */
  readonly revision: number;
  /** What was deleted. */
  readonly prev: KeyValue;
}

export interface WatchOptions {
  /** Ends the watch: the iterator finishes. Breaking out of `for await` ends it too. */
  readonly signal?: AbortSignal;
  /**
   * Deliver periodic BOOKMARK events while the watch is idle (etcd's progress_notify). The interval is
   * the backend's (`progressNotifyIntervalMs` for memory and SQLite; the etcd server's
   * `--experimental-watch-progress-notify-interval` for etcd).
   */
  readonly progressNotify?: boolean;
  /** Cut the watcher off with an Overflow error when it has more than this many undelivered events. */
  readonly maxQueuedEvents?: number;
  /** Likewise for undelivered value bytes. */
  readonly maxQueuedBytes?: number;
}

/**
 * A running watch: an async stream of event batches. A batch holds whole revisions only (the events
 * of one revision are never split across batches). Iteration throws a StorageError on Compacted,
 * Overflow or Unavailable; resume with a new watch from the last revision processed.
 */
export interface Watch extends AsyncIterable<readonly WatchEvent[]> {
  /**
   * Asks for a BOOKMARK at the store's current revision as soon as every earlier event has been
   * delivered (etcd's RequestProgress). Backends that cannot order it safely deliver the next
   * periodic notification instead.
   */
  requestProgress(): void;
  /** Ends the watch; pending and later `next()` calls finish. */
  close(): void;
}

export interface Store {
  /** Which backend this is, for logs and metrics. */
  readonly backend: 'memory' | 'sqlite' | 'etcd';

  /** The key's value, latest or at `revision`; undefined when it does not exist (at that revision). */
  get(key: string, options?: GetOptions): Promise<KeyValue | undefined>;

  /**
   * The keys under `prefix`, in key order. A prefix is a directory: `/registry/pods/ns1` lists
   * `/registry/pods/ns1/…` and never `/registry/pods/ns10/…`.
   */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Creates the key; KeyExists when it exists. */
  create(key: string, value: string, options?: WriteOptions): Promise<KeyValue>;

  /**
   * Replaces the key's value; KeyNotFound when missing, Conflict on an expectedRevision mismatch. An
   * update that changes nothing (same value, no TTL) keeps the revision and emits no event.
   */
  update(key: string, value: string, options?: UpdateOptions): Promise<KeyValue>;

  /** Deletes the key; KeyNotFound when missing, Conflict on an expectedRevision mismatch. */
  delete(key: string, options?: DeleteOptions): Promise<DeleteResult>;

  /**
   * Every change under `prefix` with a revision greater than `fromRevision`, in revision order, with
   * no gaps and no duplicates. A `fromRevision` below the compacted revision fails with Compacted; one
   * in the future waits for it.
   */
  watch(prefix: string, fromRevision: number, options?: WatchOptions): Watch;

  /**
   * Discards history at and below `revision`: reads and watches from below it fail with Compacted
   * afterwards. The latest version of every key is kept.
   */
  compact(revision: number): Promise<void>;

  /** The revision of the latest write. */
  currentRevision(): Promise<number>;

  /** Stops background work, ends every watch and releases the backend. Pending writes finish first. */
  close(): Promise<void>;
}
