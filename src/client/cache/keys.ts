/**
 * @module
 * Store keys, as client-go computes them (tools/cache/store.go): a namespaced object's key is
 * `namespace/name`, a cluster-scoped object's is `name`. Every cache in this directory keys its
 * objects this way by default, which is what lets a Lister turn `namespace(ns).get(name)` back into a
 * key. Also here is the tombstone a DeltaFIFO hands out for an object whose deletion was inferred
 * from a relist (`DeletedFinalStateUnknown`, tools/cache/delta_fifo.go).
 */
import type { DeepReadonly, KubeObject } from '../object.js';

/** Computes an object's store key; must be deterministic (the same object always gets the same key). */
export type KeyFunc<T> = (obj: T) => string;

/**
 * Placed in a DeltaFIFO when an object was deleted but the watch event for it was missed (seen only
 * as its absence from a relist). Its final state is unknown, so `obj` is the last state the cache
 * knew and may be stale, or `undefined` when even that was not known.
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

/** MetaNamespaceKeyFunc: `namespace/name`, or `name` when the object has no namespace. */
export function metaNamespaceKeyFunc(obj: KubeObject | DeepReadonly<KubeObject>): string {
  const meta = obj.metadata;
  const name = meta?.name ?? '';
  const namespace = meta?.namespace ?? '';
  return namespace.length > 0 ? `${namespace}/${name}` : name;
}

/**
 * DeletionHandlingMetaNamespaceKeyFunc: a tombstone's key is the key it was made for (its object may
 * be stale or absent); anything else goes to {@link metaNamespaceKeyFunc}. Event handlers use this
 * because `onDelete` may receive either.
 */
export function deletionHandlingMetaNamespaceKeyFunc(
  obj: KubeObject | DeepReadonly<KubeObject> | DeletedFinalStateUnknown<unknown>,
): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  return metaNamespaceKeyFunc(obj);
}

/**
 * The object an informer's `onDelete` was given: the deleted object itself, or the last state a
 * tombstone carries (undefined when the informer never saw one). Every delete handler unwraps it.
 */
export function deletedObject<T>(obj: T | DeletedFinalStateUnknown<T | undefined>): T | undefined {
  return obj instanceof DeletedFinalStateUnknown ? (obj.obj as T | undefined) : obj;
}

/**
 * SplitMetaNamespaceKey: the inverse of {@link metaNamespaceKeyFunc}. A key without `/` is a
 * cluster-scoped name (namespace `''`). Throws on a key with more than one `/`, as upstream returns
 * "unexpected key format" — no valid namespace or name contains one.
 */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: '', name: key };
  if (key.indexOf('/', slash + 1) >= 0) throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
