/**
 * @module
 * The Indexer: an informer's local cache of objects by key, plus secondary indexes (client-go's
 * cache.Indexer over threadSafeMap, tools/cache/thread_safe_store.go, store.go and index.go). An
 * index is a named function from an object to the values it is filed under — its namespace, its
 * controller's uid, its node — and the Indexer keeps, per index, a map from each value to the keys
 * filed under it, so "every pod on node n" is one lookup instead of a scan of 100,000 pods.
 *
 * Objects are stored as given, without a copy, and handed out as `DeepReadonly<T>`: callers must not
 * change them (STYLE.md rule 8). A change made in place would not be re-indexed and would be seen by
 * every other reader of the cache; clone, change the clone, and write it through the client.
 *
 * JavaScript runs one event at a time, so the lock upstream takes around each method is not needed:
 * each method runs to completion before any other sees the store.
 */
import type { DeepReadonly, KubeObject } from '../object.js';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, type KeyFunc } from './keys.js';

/**
 * The values an object is filed under in one index. Several values file it under each; none leaves
 * it out of that index. Must be deterministic: the values an object had when stored are recomputed
 * to take it out again.
 */
export type IndexFunc<T> = (obj: DeepReadonly<T>) => string[];

/** Index functions by index name. */
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** The name of the built-in index by namespace (cache.NamespaceIndex). */
export const NAMESPACE_INDEX = 'namespace';

/** MetaNamespaceIndexFunc: files an object under its namespace; a cluster-scoped one under `''`. */
export function metaNamespaceIndexFunc(obj: DeepReadonly<KubeObject>): string[] {
  return [obj.metadata?.namespace ?? ''];
}

export interface IndexerOptions<T> {
  /** Default {@link metaNamespaceKeyFunc}. Listers assume that default. */
  readonly keyFunc?: KeyFunc<DeepReadonly<T>>;
  /**
   * Indexes to maintain besides the namespace index, which is always there (under
   * {@link NAMESPACE_INDEX}) unless one of these replaces it under the same name.
   */
  readonly indexers?: Indexers<T>;
}

/** The values of an object absent on one side of a reindex. */
const NO_VALUES: readonly string[] = [];

/** index value → the keys of the objects filed under it. A value with no keys is removed. */
type Index = Map<string, Set<string>>;

/** One index: its function and its contents, kept together so updates walk one array. */
interface IndexEntry<T> {
  readonly name: string;
  readonly fn: IndexFunc<T>;
  index: Index;
}

export class Indexer<T extends KubeObject> {
  private readonly keyFunc: KeyFunc<DeepReadonly<T>>;
  private items = new Map<string, DeepReadonly<T>>();
  /**
   * Invariant: for every entry e and every stored (key, obj), key ∈ e.index.get(v) iff
   * v ∈ e.fn(obj); and no set in any index is empty.
   */
  private readonly entries: IndexEntry<T>[] = [];
  private readonly entriesByName = new Map<string, IndexEntry<T>>();
  private resourceVersion = '';

  constructor(options: IndexerOptions<T> = {}) {
    this.keyFunc = options.keyFunc ?? metaNamespaceKeyFunc;
    this.addIndexers({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc, ...options.indexers });
  }

  /** The number of stored objects. */
  get size(): number {
    return this.items.size;
  }

  /** Stores `obj` under its key, replacing (and re-indexing) whatever was there. */
  add(obj: T | DeepReadonly<T>): void {
    this.put(obj as DeepReadonly<T>);
  }

  /** Same as {@link add}: the store does not distinguish an add from an update. */
  update(obj: T | DeepReadonly<T>): void {
    this.put(obj as DeepReadonly<T>);
  }

  /**
   * Removes the object with `obj`'s key, if any. A tombstone removes the key it carries, which is
   * what an informer's delete handling passes on (DeletionHandlingMetaNamespaceKeyFunc).
   */
  delete(obj: T | DeepReadonly<T> | DeletedFinalStateUnknown<unknown>): void {
    const key = obj instanceof DeletedFinalStateUnknown ? obj.key : this.keyFunc(obj as DeepReadonly<T>);
    const old = this.items.get(key);
    if (old === undefined) return;
    const oldValues = this.indexValues(old);
    this.items.delete(key);
    this.reindex(key, oldValues, undefined);
  }

  /** The stored object with `obj`'s key. */
  get(obj: T | DeepReadonly<T>): DeepReadonly<T> | undefined {
    return this.items.get(this.keyFunc(obj as DeepReadonly<T>));
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    return this.items.get(key);
  }

  /** Every stored object, in no promised order. */
  list(): DeepReadonly<T>[] {
    return Array.from(this.items.values());
  }

  listKeys(): string[] {
    return Array.from(this.items.keys());
  }

  /**
   * Makes `objs` the whole contents and rebuilds every index (a relist). The new contents are built
   * aside and swapped in, so an index function that throws leaves the store as it was.
   */
  replace(objs: readonly (T | DeepReadonly<T>)[], resourceVersion: string): void {
    const items = new Map<string, DeepReadonly<T>>();
    for (const obj of objs) items.set(this.keyFunc(obj as DeepReadonly<T>), obj as DeepReadonly<T>);
    const indices = this.entries.map(() => new Map<string, Set<string>>());
    for (const [key, obj] of items) {
      this.entries.forEach((entry, i) => {
        const index = indices[i];
        if (index !== undefined) for (const value of entry.fn(obj)) addKey(index, value, key);
      });
    }
    this.items = items;
    this.entries.forEach((entry, i) => {
      entry.index = indices[i] ?? new Map();
    });
    this.resourceVersion = resourceVersion;
  }

  /** The resourceVersion given to the last {@link replace}; `''` before the first. */
  lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  /**
   * The stored objects filed under any of the values `obj` is filed under in `indexName` (Index):
   * "the objects that share this one's namespace". Each object once. Throws for an unknown index.
   */
  index(indexName: string, obj: T | DeepReadonly<T>): DeepReadonly<T>[] {
    const entry = this.entry(indexName);
    const values = entry.fn(obj as DeepReadonly<T>);
    if (values.length === 1 && values[0] !== undefined) return this.objectsOf(entry.index.get(values[0]));
    const keys = new Set<string>();
    for (const value of values) for (const key of entry.index.get(value) ?? []) keys.add(key);
    return this.objectsOf(keys);
  }

  /** The stored objects filed under `indexedValue` in `indexName`. Throws for an unknown index. */
  byIndex(indexName: string, indexedValue: string): DeepReadonly<T>[] {
    return this.objectsOf(this.entry(indexName).index.get(indexedValue));
  }

  /** The keys of the objects filed under `indexedValue` in `indexName`. Throws for an unknown index. */
  indexKeys(indexName: string, indexedValue: string): string[] {
    const keys = this.entry(indexName).index.get(indexedValue);
    return keys === undefined ? [] : Array.from(keys);
  }

  /** The values that have at least one object in `indexName`; none for an unknown index. */
  listIndexFuncValues(indexName: string): string[] {
    const entry = this.entriesByName.get(indexName);
    return entry === undefined ? [] : Array.from(entry.index.keys());
  }

  /** A copy of the index functions by name. */
  getIndexers(): Indexers<T> {
    const indexers: Indexers<T> = {};
    for (const entry of this.entries) indexers[entry.name] = entry.fn;
    return indexers;
  }

  /**
   * Adds indexes. Allowed only while the store is empty, as client-go's older threadSafeMap
   * ("cannot add indexers to running index"): an informer's indexes are declared before it starts.
   * A name already in use is an error ("indexer conflict"), checked before anything is added.
   */
  addIndexers(indexers: Indexers<T>): void {
    if (this.items.size > 0) {
      throw new Error(`cannot add indexers to running index (the store already holds ${this.items.size} objects)`);
    }
    const conflicts = Object.keys(indexers).filter((name) => this.entriesByName.has(name));
    if (conflicts.length > 0) throw new Error(`indexer conflict: ${conflicts.join(', ')}`);
    for (const [name, fn] of Object.entries(indexers)) {
      const entry: IndexEntry<T> = { name, fn, index: new Map() };
      this.entries.push(entry);
      this.entriesByName.set(name, entry);
    }
  }

  /**
   * Stores `obj` and moves its key from the index values of the object it replaces to its own. All
   * index functions run before anything changes, so one that throws leaves the store as it was.
   */
  private put(obj: DeepReadonly<T>): void {
    const key = this.keyFunc(obj);
    const old = this.items.get(key);
    const newValues = this.indexValues(obj);
    const oldValues = old === undefined ? undefined : this.indexValues(old);
    this.items.set(key, obj);
    this.reindex(key, oldValues, newValues);
  }

  /** Per index (in `entries` order), the values `obj` is filed under. */
  private indexValues(obj: DeepReadonly<T>): string[][] {
    // Plain loops: this runs once or twice per event an informer handles.
    const values: string[][] = new Array<string[]>(this.entries.length);
    for (let i = 0; i < this.entries.length; i++) values[i] = (this.entries[i] as IndexEntry<T>).fn(obj);
    return values;
  }

  /** Moves `key` from `oldValues` to `newValues` in every index (updateIndices). */
  private reindex(key: string, oldValues: string[][] | undefined, newValues: string[][] | undefined): void {
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i] as IndexEntry<T>;
      const before = oldValues?.[i] ?? NO_VALUES;
      const after = newValues?.[i] ?? NO_VALUES;
      // The common case, as upstream notes: one value, unchanged (a pod updated on the same node).
      if (before.length === 1 && after.length === 1 && before[0] === after[0]) continue;
      for (const value of before) deleteKey(entry.index, value, key);
      for (const value of after) addKey(entry.index, value, key);
    }
  }

  private entry(indexName: string): IndexEntry<T> {
    const entry = this.entriesByName.get(indexName);
    if (entry === undefined) throw new Error(`Index with name ${indexName} does not exist`);
    return entry;
  }

  private objectsOf(keys: Iterable<string> | undefined): DeepReadonly<T>[] {
    const objects: DeepReadonly<T>[] = [];
    if (keys === undefined) return objects;
    for (const key of keys) {
      const obj = this.items.get(key);
      // Always defined by the index invariant; the check only satisfies the type.
      if (obj !== undefined) objects.push(obj);
    }
    return objects;
  }
}

function addKey(index: Index, value: string, key: string): void {
  let keys = index.get(value);
  if (keys === undefined) {
    keys = new Set();
    index.set(value, keys);
  }
  keys.add(key);
}

/** Drops an emptied set, so short-lived values (pod uids) do not pile up (kubernetes#84959). */
function deleteKey(index: Index, value: string, key: string): void {
  const keys = index.get(value);
  if (keys === undefined) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}
