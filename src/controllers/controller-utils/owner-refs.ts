/**
 * @module
 * Controller references (apimachinery pkg/apis/meta/v1/controller_ref.go: GetControllerOf,
 * NewControllerRef, IsControlledBy) and the strategic merge patches that add or remove one
 * (pkg/controller/controller_ref_manager.go ownerRefControllerPatch and
 * GenerateDeleteOwnerRefStrategicMergeBytes). ownerReferences merge by `uid` in a strategic merge
 * patch, so these touch only the one reference; the object's own `uid` in the patch makes it fail
 * if the object was replaced by another of the same name.
 */
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';

/** What a controller reference names: the owner's apiVersion and kind. */
export interface ControllerKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** The object's controller reference (the owner reference with controller: true), if any. */
export function getControllerOf(obj: DeepReadonly<KubeObject>): DeepReadonly<OwnerReference> | undefined {
  // A loop, not find(): every controller asks this of every object it looks at.
  const refs = obj.metadata?.ownerReferences;
  if (refs === undefined) return undefined;
  for (const ref of refs) if (ref.controller === true) return ref;
  return undefined;
}

/** Whether two (controller) references are the same, field by field; two missing ones are. */
export function sameOwnerReference(a: DeepReadonly<OwnerReference> | undefined, b: DeepReadonly<OwnerReference> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}

/** Whether `owner` (by uid) is the controller of `obj`. */
export function isControlledBy(obj: DeepReadonly<KubeObject>, owner: DeepReadonly<KubeObject>): boolean {
  const ref = getControllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

/** A reference making `owner` the controller of what carries it, blocking the owner's foreground deletion. */
export function newControllerRef(owner: DeepReadonly<KubeObject>, kind: ControllerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The strategic merge patch that adds `owner` as the controller of the object with uid `objectUid`. */
export function ownerRefControllerPatch(owner: DeepReadonly<KubeObject>, kind: ControllerKind, objectUid: string): object {
  return { metadata: { ownerReferences: [newControllerRef(owner, kind)], uid: objectUid } };
}

/** The strategic merge patch that removes the owner references with `ownerUids` from the object `objectUid`. */
export function deleteOwnerRefPatch(objectUid: string, ownerUids: readonly string[]): object {
  return { metadata: { ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })), uid: objectUid } };
}
