/**
 * @module
 * Owner references, as controller-runtime's pkg/controller/controllerutil/controllerutil.go
 * (SetControllerReference, SetOwnerReference, HasControllerReference, RemoveOwnerReference) and
 * apimachinery's pkg/apis/meta/v1/controller_ref.go (GetControllerOf, IsControlledBy).
 *
 * An object has at most one controller: setting a second one fails with {@link AlreadyOwnedError}.
 * Two references name the same owner when their API group, kind and name agree (the version may
 * differ), as upstream's referSameObject. A namespaced owner may own only objects of its own
 * namespace; a cluster-scoped owner may own anything (the garbage collector follows the same rule).
 *
 * Go finds an owner's apiVersion and kind through the scheme; here they come from the owner object
 * itself, or from `options.gvk` for objects whose lists omitted them.
 */
import type { DeepReadonly, KubeObject, OwnerReference } from '../client/object.js';

/** An owner's apiVersion and kind, when the object does not carry them. */
export interface OwnerGvk {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface OwnerReferenceOptions {
  readonly gvk?: OwnerGvk;
}

/** The object already has another controller (controllerutil.AlreadyOwnedError). */
export class AlreadyOwnedError extends Error {
  override readonly name = 'AlreadyOwnedError';

  constructor(
    readonly object: DeepReadonly<KubeObject>,
    readonly owner: OwnerReference,
  ) {
    super(`Object ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''} is already owned by another ${owner.kind} controller ${owner.name}`);
  }
}

/**
 * Makes `owner` the controller of `object` (changing `object`): controller and blockOwnerDeletion
 * are true, so the garbage collector deletes `object` with its owner and foreground deletion of
 * the owner waits for it. Replaces an existing reference to the same owner.
 */
export function setControllerReference(owner: DeepReadonly<KubeObject>, object: KubeObject, options: OwnerReferenceOptions = {}): void {
  validateOwner(owner, object);
  const ref: OwnerReference = { ...referenceTo(owner, options), blockOwnerDeletion: true, controller: true };
  const existing = getControllerOf(object);
  if (existing !== undefined && !referSameObject(existing, ref)) throw new AlreadyOwnedError(object, existing);
  upsertOwnerRef(ref, object);
}

/** Adds `owner` as an owner (not the controller) of `object`, or refreshes its reference. */
export function setOwnerReference(owner: DeepReadonly<KubeObject>, object: KubeObject, options: OwnerReferenceOptions = {}): void {
  validateOwner(owner, object);
  upsertOwnerRef(referenceTo(owner, options), object);
}

/** Takes `owner`'s reference off `object`; fails when there is none (as upstream). */
export function removeOwnerReference(owner: DeepReadonly<KubeObject>, object: KubeObject, options: OwnerReferenceOptions = {}): void {
  const owners = object.metadata?.ownerReferences ?? [];
  if (owners.length === 0) throw new Error(`${describe(object)} does not have any owner references`);
  const ref = referenceTo(owner, options);
  const index = owners.findIndex((candidate) => referSameObject(candidate, ref));
  if (index < 0) throw new Error(`${describe(object)} does not have an owner reference for ${ref.kind} ${ref.name}`);
  object.metadata = { ...object.metadata, ownerReferences: owners.filter((_, i) => i !== index) };
}

/** Takes `owner`'s controller reference off `object`; fails unless `owner` is its controller (RemoveControllerReference). */
export function removeControllerReference(owner: DeepReadonly<KubeObject>, object: KubeObject, options: OwnerReferenceOptions = {}): void {
  if (!hasControllerReference(object)) throw new Error(`${describe(object)} does not have a owner reference with controller equals true`);
  const ref = referenceTo(owner, options);
  const owners = object.metadata?.ownerReferences ?? [];
  const index = owners.findIndex((candidate) => referSameObject(candidate, ref));
  if (index < 0) throw new Error(`${describe(object)} does not have an controller reference for ${ref.kind} ${ref.name}`);
  if (owners[index]?.controller !== true) throw new Error(`${ref.kind} ${ref.name} owner is not the controller reference for ${describe(object)}`);
  object.metadata = { ...object.metadata, ownerReferences: owners.filter((_, i) => i !== index) };
}

/** True when `owners` has a reference to `owner` by group, kind and name (HasOwnerReference). */
export function hasOwnerReference(owners: readonly DeepReadonly<OwnerReference>[] | undefined, owner: DeepReadonly<KubeObject>, options: OwnerReferenceOptions = {}): boolean {
  const ref = referenceTo(owner, options);
  return (owners ?? []).some((candidate) => referSameObject(candidate, ref));
}

/** The reference to the object's controller, if it has one (metav1.GetControllerOf). */
export function getControllerOf(object: DeepReadonly<KubeObject>): OwnerReference | undefined {
  const ref = object.metadata?.ownerReferences?.find((candidate) => candidate.controller === true);
  return ref === undefined ? undefined : { ...ref };
}

/** True when the object has a controller (controllerutil.HasControllerReference). */
export function hasControllerReference(object: DeepReadonly<KubeObject>): boolean {
  return getControllerOf(object) !== undefined;
}

/** True when `owner` (by uid) is the controller of `object` (metav1.IsControlledBy). */
export function isControlledBy(object: DeepReadonly<KubeObject>, owner: DeepReadonly<KubeObject>): boolean {
  const ref = getControllerOf(object);
  return ref !== undefined && ref.uid === (owner.metadata?.uid ?? '');
}

function describe(object: DeepReadonly<KubeObject>): string {
  return `${object.kind ?? 'object'} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

function validateOwner(owner: DeepReadonly<KubeObject>, object: DeepReadonly<KubeObject>): void {
  const ownerNamespace = owner.metadata?.namespace ?? '';
  if (ownerNamespace === '') return;
  const objectNamespace = object.metadata?.namespace ?? '';
  if (objectNamespace === '') throw new Error(`cluster-scoped resource must not have a namespace-scoped owner, owner's namespace ${ownerNamespace}`);
  if (ownerNamespace !== objectNamespace) {
    throw new Error(`cross-namespace owner references are disallowed, owner's namespace ${ownerNamespace}, obj's namespace ${objectNamespace}`);
  }
}

function referenceTo(owner: DeepReadonly<KubeObject>, options: OwnerReferenceOptions): OwnerReference {
  const apiVersion = options.gvk?.apiVersion ?? owner.apiVersion ?? '';
  const kind = options.gvk?.kind ?? owner.kind ?? '';
  if (apiVersion === '' || kind === '') throw new Error(`the owner ${owner.metadata?.name ?? ''} has no apiVersion or kind: pass options.gvk`);
  const name = owner.metadata?.name ?? '';
  const uid = owner.metadata?.uid ?? '';
  if (name === '' || uid === '') throw new Error(`the owner must have a name and a uid (was it created yet?), got name "${name}" uid "${uid}"`);
  return { apiVersion, kind, name, uid };
}

function upsertOwnerRef(ref: OwnerReference, object: KubeObject): void {
  const owners = [...(object.metadata?.ownerReferences ?? [])];
  const index = owners.findIndex((candidate) => referSameObject(candidate, ref));
  if (index < 0) owners.push(ref);
  else owners[index] = ref;
  object.metadata = { ...object.metadata, ownerReferences: owners };
}

/** Same group, kind and name; the version does not matter (controllerutil.referSameObject). */
function referSameObject(a: DeepReadonly<OwnerReference>, b: DeepReadonly<OwnerReference>): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
