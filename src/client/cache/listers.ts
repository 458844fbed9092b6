/**
 * @module
 * Listers: the read-only face of an informer's Indexer that controllers use (client-go
 * tools/cache/listers.go: ListAll, ListAllByNamespace, GenericLister, GenericNamespaceLister).
 * Listing a namespace goes through the namespace index, so it costs the size of that namespace, not
 * of the cache. Nothing here throws for a missing object: `get` returns `undefined` (upstream returns
 * a NotFound error). Results are the cache's own objects, read-only (STYLE.md rule 8).
 *
 * Keys are assumed to be the Indexer's default `namespace/name` (metaNamespaceKeyFunc).
 */
import type { Labels, LabelSelector } from '../../api/labels.js';
import type { DeepReadonly, KubeObject } from '../object.js';
import { NAMESPACE_INDEX, type Indexers } from './thread-safe-store.js';

/** The slice of the Indexer a Lister reads. */
export interface ListerSource<T> {
  list(): DeepReadonly<T>[];
  getByKey(key: string): DeepReadonly<T> | undefined;
  byIndex(indexName: string, indexedValue: string): DeepReadonly<T>[];
  getIndexers(): Indexers<T>;
}

/** Reads one namespace (GenericNamespaceLister). */
export interface NamespaceLister<T> {
  /** The namespace's objects whose labels match `selector`; all of them without one. */
  list(selector?: LabelSelector): DeepReadonly<T>[];
  /** The object `name` in this namespace, or `undefined`. */
  get(name: string): DeepReadonly<T> | undefined;
}

export class Lister<T extends KubeObject> {
  constructor(private readonly indexer: ListerSource<T>) {}

  /** Every cached object whose labels match `selector` (ListAll); all of them without one. */
  list(selector?: LabelSelector): DeepReadonly<T>[] {
    return filterByLabels(this.indexer.list(), selector);
  }

  /** A cluster-scoped object by name, or `undefined`. */
  get(name: string): DeepReadonly<T> | undefined {
    return this.indexer.getByKey(name);
  }

  /**
   * A lister for namespace `ns` (ByNamespace). `''` is NamespaceAll for `list`, and for `get` looks
   * a name up as cluster-scoped (its key has no namespace part).
   */
  namespace(ns: string): NamespaceLister<T> {
    const indexer = this.indexer;
    return {
      list: (selector) => {
        if (ns === '') return filterByLabels(indexer.list(), selector);
        // ListAllByNamespace falls back to a scan when the namespace index is missing; ours is
        // built in, but a caller's own ListerSource may lack it.
        const inNamespace =
          indexer.getIndexers()[NAMESPACE_INDEX] !== undefined
            ? indexer.byIndex(NAMESPACE_INDEX, ns)
            : indexer.list().filter((obj) => (obj.metadata?.namespace ?? '') === ns);
        return filterByLabels(inNamespace, selector);
      },
      get: (name) => indexer.getByKey(ns === '' ? name : `${ns}/${name}`),
    };
  }
}

/** Keeps the objects whose labels match; an absent or empty selector keeps all (a fresh array). */
function filterByLabels<T extends KubeObject>(
  objects: DeepReadonly<T>[],
  selector: LabelSelector | undefined,
): DeepReadonly<T>[] {
  if (selector === undefined || selector.empty) return objects;
  return objects.filter((obj) => selector.matches(labelsOf(obj)));
}

function labelsOf(obj: DeepReadonly<KubeObject>): Labels | undefined {
  return obj.metadata?.labels;
}
