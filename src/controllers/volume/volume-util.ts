/**
 * @module
 * What the volume controllers share: upstream's annotation, finalizer and event-reason names
 * (k8s.io/component-helpers storage/volume/pv_helpers.go, pkg/controller/volume/events/event.go,
 * pkg/volume/util/finalizer.go), and the small helpers around them — the class of a claim or a
 * volume, whether a volume is bound to a claim, the reference a volume keeps to its claim, the
 * default StorageClass (pkg/volume/util GetDefaultClass) and whether a pod has terminated
 * (pkg/volume/util IsPodTerminated).
 */
import { Quantity } from '../../api/quantity.js';
import type { coreV1, storageV1 } from '../../api/types/index.js';
import type { Lister } from '../../client/cache/listers.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';

type PV = coreV1.PersistentVolume;
type PVC = coreV1.PersistentVolumeClaim;
type StorageClass = storageV1.StorageClass;

/** Set on a claim once the controller has bound it; its absence sends the claim to syncUnboundClaim. */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** Set on a volume or claim the controller (not the user) bound. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** The node the scheduler chose for a WaitForFirstConsumer claim. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The provisioner that created a volume. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** The provisioner asked to provision a claim (set by the PV controller). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** A volume handed to a CSI driver by migration: the PV controller leaves its reclaim alone. */
export const ANN_MIGRATED_TO = 'pv.kubernetes.io/migrated-to';
/** The class of a claim or volume in its annotation form, read before spec.storageClassName. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
export const IS_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** The event reasons the volume controllers report (pkg/controller/volume/events). */
export const VolumeEventReason = {
  FailedBinding: 'FailedBinding',
  VolumeMismatch: 'VolumeMismatch',
  VolumeFailedRecycle: 'VolumeFailedRecycle',
  VolumeFailedDelete: 'VolumeFailedDelete',
  VolumeUnknownReclaimPolicy: 'VolumeUnknownReclaimPolicy',
  ExternalProvisioning: 'ExternalProvisioning',
  ProvisioningFailed: 'ProvisioningFailed',
  Provisioning: 'Provisioning',
  ProvisioningSucceeded: 'ProvisioningSucceeded',
  WaitForFirstConsumer: 'WaitForFirstConsumer',
  WaitForPodScheduled: 'WaitForPodScheduled',
  ClaimLost: 'ClaimLost',
  ClaimMisbound: 'ClaimMisbound',
} as const;

/** The slice of EventRecorder the volume controllers use; tests pass a recorder of their own. */
export interface EventSink {
  event(object: DeepReadonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export function annotation(object: DeepReadonly<KubeObject>, key: string): string | undefined {
  return object.metadata?.annotations?.[key];
}

export function hasAnnotation(object: DeepReadonly<KubeObject>, key: string): boolean {
  return annotation(object, key) !== undefined;
}

/** `namespace/name` of a claim: its work-queue key. */
export function claimKey(claim: DeepReadonly<PVC>): string {
  return `${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''}`;
}

/** `namespace/name` of the claim a volume's claimRef names. */
export function claimRefKey(ref: DeepReadonly<coreV1.ObjectReference>): string {
  return `${ref.namespace ?? ''}/${ref.name ?? ''}`;
}

/** The claim's class: the beta annotation, else spec.storageClassName, else '' (GetPersistentVolumeClaimClass). */
export function claimClass(claim: DeepReadonly<PVC>): string {
  return annotation(claim, BETA_STORAGE_CLASS_ANNOTATION) ?? claim.spec?.storageClassName ?? '';
}

/** The volume's class, read as the claim's (GetPersistentVolumeClass). */
export function volumeClass(volume: DeepReadonly<PV>): string {
  return annotation(volume, BETA_STORAGE_CLASS_ANNOTATION) ?? volume.spec?.storageClassName ?? '';
}

/** Whether the user chose a class, even the empty one (PersistentVolumeClaimHasClass). */
export function claimHasClass(claim: DeepReadonly<PVC>): boolean {
  return hasAnnotation(claim, BETA_STORAGE_CLASS_ANNOTATION) || claim.spec?.storageClassName !== undefined;
}

/** Whether the volume's claimRef names the claim, and its uid too when the ref carries one (IsVolumeBoundToClaim). */
export function isVolumeBoundToClaim(volume: DeepReadonly<PV>, claim: DeepReadonly<PVC>): boolean {
  const ref = volume.spec?.claimRef;
  if (ref === undefined) return false;
  if (ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace) return false;
  return (ref.uid ?? '') === '' || ref.uid === claim.metadata?.uid;
}

/** The reference a volume keeps to its claim (reference.GetReference of a claim). */
export function claimReference(claim: DeepReadonly<PVC>): coreV1.ObjectReference {
  const meta = claim.metadata;
  return {
    kind: 'PersistentVolumeClaim',
    namespace: meta?.namespace ?? '',
    name: meta?.name ?? '',
    uid: meta?.uid ?? '',
    apiVersion: 'v1',
    ...(meta?.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
  };
}

/** The `storage` amount of a capacity or request map; a missing one is zero, as an absent Go map entry. */
export function storageAmount(resources: DeepReadonly<Record<string, string>> | undefined): Quantity {
  const text = resources?.['storage'];
  return text === undefined ? Quantity.fromValue(0) : Quantity.parse(text);
}

/** Whether claim and volume disagree on volumeMode, a missing one meaning Filesystem (CheckVolumeModeMismatches). */
export function volumeModeMismatch(claim: DeepReadonly<PVC>, volume: DeepReadonly<PV>): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (volume.spec?.volumeMode ?? 'Filesystem');
}

/** Whether `available` holds every mode in `requested` (ContainsAllAccessModes). */
export function containsAllAccessModes(available: readonly string[] | undefined, requested: readonly string[] | undefined): boolean {
  return (requested ?? []).every((mode) => (available ?? []).includes(mode));
}

/**
 * Whether the claim's class delays binding until a pod is scheduled (IsDelayBindingMode): false
 * without a class or for a class that does not exist; an error for a class without a binding mode.
 */
export function isDelayBindingMode(claim: DeepReadonly<PVC>, classes: Lister<StorageClass>): boolean {
  const name = claimClass(claim);
  if (name === '') return false;
  const cls = classes.get(name);
  if (cls === undefined) return false;
  if (cls.volumeBindingMode === undefined) throw new Error(`VolumeBindingMode not set for StorageClass ${JSON.stringify(name)}`);
  return cls.volumeBindingMode === 'WaitForFirstConsumer';
}

/** Whether a delayed claim has its node chosen, so it may be provisioned (IsDelayBindingProvisioning). */
export function isDelayBindingProvisioning(claim: DeepReadonly<PVC>): boolean {
  return (annotation(claim, ANN_SELECTED_NODE) ?? '') !== '';
}

export function isDefaultStorageClass(cls: DeepReadonly<StorageClass>): boolean {
  return annotation(cls, IS_DEFAULT_STORAGE_CLASS_ANNOTATION) === 'true' || annotation(cls, BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION) === 'true';
}

/** The default StorageClass: of several, the newest, ties broken by name (GetDefaultClass). */
export function defaultStorageClass(classes: Lister<StorageClass>): DeepReadonly<StorageClass> | undefined {
  const created = (cls: DeepReadonly<StorageClass>): number => Date.parse(cls.metadata?.creationTimestamp ?? '') || 0;
  const name = (cls: DeepReadonly<StorageClass>): string => cls.metadata?.name ?? '';
  const defaults = classes.list().filter(isDefaultStorageClass);
  defaults.sort((a, b) => created(b) - created(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return defaults[0];
}

/**
 * Whether a pod is done with its volumes (IsPodTerminated): Succeeded or Failed, or deleted with no
 * container still running.
 */
export function isPodTerminated(pod: DeepReadonly<coreV1.Pod>): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  if (pod.metadata?.deletionTimestamp === undefined) return false;
  const status = pod.status;
  const statuses = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? []), ...(status?.ephemeralContainerStatuses ?? [])];
  return statuses.every((s) => s.state?.terminated !== undefined || s.state?.waiting !== undefined);
}

/** Deleted but held by `finalizer`: the protection controller decides when to let go (protectionutil.IsDeletionCandidate). */
export function isDeletionCandidate(object: DeepReadonly<KubeObject>, finalizer: string): boolean {
  return object.metadata?.deletionTimestamp !== undefined && (object.metadata.finalizers ?? []).includes(finalizer);
}

/** Live and missing `finalizer`: an object from before admission added it (protectionutil.NeedToAddFinalizer). */
export function needToAddFinalizer(object: DeepReadonly<KubeObject>, finalizer: string): boolean {
  return object.metadata?.deletionTimestamp === undefined && !(object.metadata?.finalizers ?? []).includes(finalizer);
}
