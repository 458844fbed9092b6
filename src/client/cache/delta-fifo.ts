/**
 * @module
 * DeltaFIFO: the queue between a Reflector (the producer) and an informer (the consumer), after
 * client-go tools/cache/delta_fifo.go. It holds, per object key, every change ("delta") not yet
 * processed, and hands out one key at a time with all of its deltas, so the consumer sees everything
 * that happened to an object since it last looked, and each change at most once. Keys leave in the
 * order they first arrived; a key that gains deltas while queued keeps its place.
 *
 * A relist (`replace`) also infers deletions the watch missed: every key the consumer knows (the
 * `knownObjects`, normally the informer's Indexer) or the queue holds that the new list lacks gets a
 * Deleted delta carrying a {@link DeletedFinalStateUnknown} tombstone.
 *
 * Differences from upstream, all from JavaScript having no threads:
 * - `pop` returns a Promise instead of blocking, and resolves `undefined` once the FIFO is closed and
 *   empty (upstream returns ErrFIFOClosed). A pop that finds a key queued and no other pop in flight
 *   calls `process` before it returns, so draining a long queue costs no promise chain per key.
 * - Upstream calls `process` under the FIFO's lock. Here pops are serialized (a pop starts after the
 *   previous one's `process` settles), but producers cannot be held off while an async `process`
 *   awaits; the synchronous part of `process` runs with nothing interleaved.
 * - An error thrown by `process` rejects the pop; the popped deltas are not requeued (no ErrRequeue).
 */
import type { DeepReadonly, KubeObject } from '../object.js';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, type KeyFunc } from './keys.js';

/**
 * Added, Updated and Deleted come from watch events; Replaced from a relist (or Sync, when
 * `emitDeltaTypeReplaced` is off); Sync from a periodic resync.
 */
export type DeltaType = 'Added' | 'Updated' | 'Deleted' | 'Replaced' | 'Sync';

/**
 * One change and the object's state after it — or, for Deleted, its last known state, which is a
 * tombstone when the deletion was inferred from a relist.
 */
export interface Delta<T> {
  readonly type: DeltaType;
  readonly object: T | DeletedFinalStateUnknown<T>;
}

/**
 * The slice of the Indexer a DeltaFIFO needs (KeyListerGetter): what the consumer already knows, to
 * find deletions on relist and the objects to resync.
 */
export interface KnownObjects<T> {
  listKeys(): Iterable<string>;
  getByKey(key: string): T | DeepReadonly<T> | undefined;
}

/** Called by {@link DeltaFIFO.pop} with one key and all its deltas, oldest first. */
export type PopProcessFunc<T> = (
  key: string,
  deltas: readonly Delta<T>[],
  isInInitialList: boolean,
) => void | Promise<void>;

/** What a pop took out of the queue. */
export interface Popped<T> {
  readonly key: string;
  readonly deltas: readonly Delta<T>[];
}

export interface DeltaFIFOOptions<T> {
  /** Default {@link metaNamespaceKeyFunc}; should match the Indexer's. */
  readonly keyFunc?: KeyFunc<DeepReadonly<T>>;
  /**
   * What the consumer already holds. Without it, `replace` finds deletions only among queued keys,
   * `delete` of a key not queued is dropped, and `resync` does nothing.
   */
  readonly knownObjects?: KnownObjects<T>;
  /**
   * Emit Replaced (true, the default) or Sync (false, upstream's default for old consumers) for the
   * objects of a `replace`. Ours defaults on because our informer understands Replaced.
   */
  readonly emitDeltaTypeReplaced?: boolean;
  /**
   * Called on each object before it is queued (TransformFunc), typically to drop fields nobody reads
   * (managedFields) and save memory. It may change the object in place and return it. It is not
   * called on a tombstone or on a tombstone's inner object, nor on the objects `resync` takes from
   * `knownObjects`: those came through the queue, so they are already transformed. It is called on
   * every object given to `replace`, so if those can be objects it already transformed (the cache's
   * own), it must be idempotent. It runs for every event: keep it cheap.
   */
  readonly transform?: (obj: T) => T;
}

export class DeltaFIFO<T extends KubeObject> {
  private readonly keyFunc: KeyFunc<DeepReadonly<T>>;
  private readonly knownObjects: KnownObjects<T> | undefined;
  private readonly emitDeltaTypeReplaced: boolean;
  private readonly transform: ((obj: T) => T) | undefined;

  /** key → its deltas, oldest first. Each list has at least one delta. */
  private readonly items = new Map<string, Delta<T>[]>();
  /**
   * The keys in FIFO order, from `head` on. A key is in `queue[head..]` iff it is in `items`, and at
   * most once: keys are appended only when new to `items` and leave both only in a pop. The popped
   * prefix is dropped in bulk once it is the larger half, so a pop is O(1) amortized.
   */
  private queue: string[] = [];
  private head = 0;

  /** True once the first replace, or any add, update or delete, has been made. */
  private populated = false;
  /** Pops still to come before the first replace's items have all been handed out. */
  private initialPopulationCount = 0;
  private closed = false;
  /** Resolves the pop waiting for an item or close; pops are serialized, so there is at most one. */
  private wake: (() => void) | undefined;
  /** Settles when the last pop started has finished; the next pop starts after it. */
  private popTail: Promise<void> = Promise.resolve();
  /** Pops started and not yet settled. At 0, `popTail` has settled and a pop may start at once. */
  private popsInFlight = 0;
  private readonly popSettled = (): void => {
    this.popsInFlight--;
  };

  constructor(options: DeltaFIFOOptions<T> = {}) {
    this.keyFunc = options.keyFunc ?? metaNamespaceKeyFunc;
    this.knownObjects = options.knownObjects;
    this.emitDeltaTypeReplaced = options.emitDeltaTypeReplaced ?? true;
    this.transform = options.transform;
  }

  /** The number of keys queued. */
  get length(): number {
    return this.items.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The queued keys, in the order they will be popped. */
  listKeys(): string[] {
    return this.queue.slice(this.head);
  }

  /**
   * True once the first `replace` has been made and all it queued has been popped — or when an add,
   * update or delete came first (upstream's populated && initialPopulationCount == 0).
   */
  hasSynced(): boolean {
    return this.populated && this.initialPopulationCount === 0;
  }

  add(obj: T): void {
    this.populated = true;
    this.queueAction('Added', obj, true);
  }

  update(obj: T): void {
    this.populated = true;
    this.queueAction('Updated', obj, true);
  }

  /**
   * Queues a Deleted delta — unless the key is neither queued nor known, which means a relist has
   * already reported this deletion with a tombstone: it is not reported twice.
   */
  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    const key = this.keyOf(obj);
    this.populated = true;
    if (!this.items.has(key) && this.knownObjects?.getByKey(key) === undefined) return;
    this.queueAction('Deleted', obj, true);
  }

  /**
   * A relist: queues Replaced (or Sync) for each object in `list`, then a Deleted tombstone for every
   * key that is queued or known but absent from `list`. A tombstone carries the newest queued object
   * of its key, or else the known one. Keys whose newest delta is already a Deleted get nothing more.
   * `resourceVersion` is not used here, as upstream; the Indexer records it.
   */
  replace(list: readonly T[], resourceVersion: string): void {
    void resourceVersion;
    const action: DeltaType = this.emitDeltaTypeReplaced ? 'Replaced' : 'Sync';
    // Read before queueing (queueing does not change what the consumer knows).
    const knownKeys = this.knownObjects === undefined ? [] : asArray(this.knownObjects.listKeys());

    if (this.items.size === 0 && knownKeys.length === 0) {
      // Nothing queued and nothing known (the first list): no key can be missing from `list`, so
      // there is no need to remember which keys it had.
      for (const obj of list) this.queueAction(action, obj, true);
    } else {
      const listed = new Set<string>();
      for (const obj of list) listed.add(this.queueAction(action, obj, true));

      for (const [key, deltas] of this.items) {
        if (listed.has(key)) continue;
        const newest = deltas[deltas.length - 1];
        if (newest === undefined || newest.type === 'Deleted') continue;
        const last = newest.object instanceof DeletedFinalStateUnknown ? newest.object.obj : newest.object;
        this.queueAction('Deleted', new DeletedFinalStateUnknown(key, last), false);
      }

      for (const key of knownKeys) {
        if (listed.has(key) || this.items.has(key)) continue;
        const known = this.knownObjects?.getByKey(key);
        // Listed keys always resolve in a single-threaded store; upstream's tombstone without an
        // object (for a key that vanished in between) cannot arise, so there is nothing to report.
        if (known === undefined) continue;
        this.queueAction('Deleted', new DeletedFinalStateUnknown(key, known as T), false);
      }
    }

    if (!this.populated) {
      this.populated = true;
      // Every key now queued came from this replace (add, update and delete set `populated`).
      this.initialPopulationCount = this.items.size;
    }
  }

  /**
   * Queues a Sync delta for every known object whose key has nothing queued; a key with queued
   * deltas is skipped, since the known object is older than what is queued. Without knownObjects
   * it does nothing.
   */
  resync(): void {
    if (this.knownObjects === undefined) return;
    for (const key of this.knownObjects.listKeys()) {
      const known = this.knownObjects.getByKey(key);
      if (known === undefined) continue;
      // The known objects are the cache's own, already transformed (see `transform`).
      const obj = known as T;
      if (this.items.has(this.keyOf(obj))) continue;
      this.queueAction('Sync', obj, false);
    }
  }

  /**
   * Waits until a key is queued, removes it with all its deltas and calls `process` with them;
   * resolves what was popped once `process` has settled, or `undefined` once the FIFO is closed and
   * empty. An error from `process` rejects the pop. Concurrent pops are served one after another.
   */
  pop(process: PopProcessFunc<T>): Promise<Popped<T> | undefined> {
    // An informer pops in a loop, and while it catches up (the initial list) a key is always
    // queued: then the pop runs now, without a chain of promises per key.
    if (this.popsInFlight === 0 && this.items.size > 0) return this.popNow(process);
    this.popsInFlight++;
    const run = this.popsInFlight === 1 ? this.popOne(process) : this.popTail.then(() => this.popOne(process));
    this.popTail = run.then(this.popSettled, this.popSettled);
    return run;
  }

  /** Closes the FIFO: a waiting pop resolves `undefined`; queued keys can still be popped. */
  close(): void {
    this.closed = true;
    this.signal();
  }

  /** Waits until a key is queued (or the FIFO is closed and empty), then pops it. */
  private async popOne(process: PopProcessFunc<T>): Promise<Popped<T> | undefined> {
    while (this.items.size === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const { key, deltas, isInInitialList } = this.take();
    const processed = process(key, deltas, isInInitialList);
    if (processed instanceof Promise) await processed;
    return { key, deltas };
  }

  /**
   * Pops a queued key now; no other pop is in flight. A synchronous `process` settles the pop
   * before this returns; an async one holds later pops until it settles, as in `popOne`.
   */
  private popNow(process: PopProcessFunc<T>): Promise<Popped<T>> {
    const { key, deltas, isInInitialList } = this.take();
    let processed: void | Promise<void>;
    try {
      processed = process(key, deltas, isInInitialList);
    } catch (error) {
      return Promise.reject(error);
    }
    const popped: Popped<T> = { key, deltas };
    if (!(processed instanceof Promise)) return Promise.resolve(popped);
    this.popsInFlight++;
    const run = processed.then(() => popped);
    this.popTail = run.then(this.popSettled, this.popSettled);
    return run;
  }

  /** Removes the oldest key with all its deltas. Requires a queued key. */
  private take(): { readonly key: string; readonly deltas: Delta<T>[]; readonly isInInitialList: boolean } {
    const isInInitialList = !this.hasSynced();
    const key = this.queue[this.head];
    if (key === undefined) throw new Error('DeltaFIFO invariant broken: items without a queue');
    this.queue[this.head] = '';
    this.head++;
    if (this.head === this.queue.length) {
      // Emptied (a watch's usual single key): start over without copying anything.
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.initialPopulationCount > 0) this.initialPopulationCount--;
    const deltas = this.items.get(key) ?? [];
    this.items.delete(key);
    return { key, deltas, isInInitialList };
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** KeyOf: a tombstone's key is the one it carries. */
  private keyOf(obj: T | DeletedFinalStateUnknown<T>): string {
    return obj instanceof DeletedFinalStateUnknown ? obj.key : this.keyFunc(obj as DeepReadonly<T>);
  }

  /**
   * Appends a delta to its key's list (queueActionLocked), queueing the key if it is new, and returns
   * the key. The key is computed before the transform, as upstream. Two Deleted deltas in a row
   * collapse into one: the older, unless it is a tombstone and the newer is not (isDeletionDup keeps
   * the one that knows most).
   */
  private queueAction(type: DeltaType, obj: T | DeletedFinalStateUnknown<T>, transform: boolean): string {
    const key = this.keyOf(obj);
    const object =
      transform && this.transform !== undefined && !(obj instanceof DeletedFinalStateUnknown) ? this.transform(obj) : obj;
    const delta: Delta<T> = { type, object };
    const deltas = this.items.get(key);
    if (deltas === undefined) {
      this.items.set(key, [delta]);
      this.queue.push(key);
      this.signal();
      return key;
    }
    const last = deltas.length - 1;
    const previous = deltas[last];
    if (type === 'Deleted' && previous?.type === 'Deleted') {
      if (previous.object instanceof DeletedFinalStateUnknown) deltas[last] = delta;
    } else {
      deltas.push(delta);
    }
    return key;
  }
}

/** `keys` as an array, without copying one that already is. */
function asArray(keys: Iterable<string>): readonly string[] {
  return Array.isArray(keys) ? (keys as string[]) : Array.from(keys);
}
