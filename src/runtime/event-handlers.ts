/**
 * @module
 * How informer events become requests (controller-runtime pkg/handler): enqueue the object itself,
 * enqueue its controlling owner of a given kind, or enqueue whatever a map function says. The
 * controller feeds these keys to its work queue, where repeated keys collapse.
 */
import type { DeepReadonly, KubeObject } from '../client/object.js';
import type { Request } from './reconciler.js';

/** Maps one object to the requests it should trigger. */
export type MapFunc<T extends KubeObject = KubeObject> = (object: DeepReadonly<T>) => readonly Request[];

/** The object's own namespace and name (EnqueueRequestForObject). */
export function requestForObject(object: DeepReadonly<KubeObject>): Request[] {
  const name = object.metadata?.name;
  return name === undefined ? [] : [{ namespace: object.metadata?.namespace ?? '', name }];
}

/**
 * The object's controller owner, if it is of `ownerKind` in `ownerGroup`
 * (EnqueueRequestForOwner with OnlyControllerOwner): a ReplicaSet's pods map to the ReplicaSet.
 * Owners live in the object's namespace (or are cluster-scoped, when the object is).
 */
export function requestForOwner(ownerGroup: string, ownerKind: string): MapFunc {
  return (object) => {
    for (const reference of object.metadata?.ownerReferences ?? []) {
      if (reference.controller !== true || reference.kind !== ownerKind) continue;
      const slash = reference.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : reference.apiVersion.slice(0, slash);
      if (group === ownerGroup) return [{ namespace: object.metadata?.namespace ?? '', name: reference.name }];
    }
    return [];
  };
}
