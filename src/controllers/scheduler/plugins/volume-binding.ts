/**
 * @module
 * The VolumeBinding plugin's PreFilter (pkg/scheduler/framework/plugins/volumebinding
 * volume_binding.go PreFilter, binder.go GetPodVolumeClaims): the PersistentVolumeClaims a pod's
 * `persistentVolumeClaim` volumes name must exist,
 * not be deleting or Lost, and be bound, unless their StorageClass binds WaitForFirstConsumer: such
 * a claim waits for the pod, and the scheduler names the chosen node on it
 * (volume.kubernetes.io/selected-node) before binding the pod, so its volume is provisioned there;
 * a claim already given a node holds the pod to that node (every other node is a bind conflict).
 * Each refusal is UnschedulableAndUnresolvable, in upstream's words; a change to a claim or a class
 * sends the pod back to the queue.
 *
 * Simplified: generic ephemeral volumes are not looked at (no controller creates their claims
 * here, so requiring them would hold such pods forever), no unbound PersistentVolume is matched to a waiting claim by the scheduler (the volume
 * controller provisions one for the node), PersistentVolumes' node affinity is not filtered, and the
 * pod is bound without waiting for its claims to be bound (the simulated kubelet needs no disk).
 */
import type { coreV1, storageV1 } from '../../../api/types/index.js';
import type { DeepReadonly } from '../../../client/object.js';
import type { Pod } from '../resources.js';
import { type Rejection, unresolvable } from './status.js';

export const VOLUME_BINDING = 'VolumeBinding';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

type Claim = DeepReadonly<coreV1.PersistentVolumeClaim>;

/** Where the plugin reads claims and classes (the informers' listers). */
export interface VolumeLookup {
  claim(namespace: string, name: string): Claim | undefined;
  storageClass(name: string): DeepReadonly<storageV1.StorageClass> | undefined;
}

/** The PreFilter's verdict: a rejection, or the claims that wait for this pod's node. */
export type VolumeBindingResult = { readonly rejection: Rejection } | { readonly rejection?: undefined; readonly delayed: readonly Claim[] };

const NO_CLAIMS: VolumeBindingResult = { delayed: [] };

export function volumeBindingPreFilter(pod: Pod, lookup: VolumeLookup): VolumeBindingResult {
  const volumes = pod.spec?.volumes;
  if (volumes === undefined || volumes.length === 0) return NO_CLAIMS;
  const namespace = pod.metadata?.namespace ?? '';
  const delayed: Claim[] = [];
  let immediate = false;
  for (const volume of volumes) {
    const name = volume.persistentVolumeClaim?.claimName;
    if (name === undefined) continue;
    const claim = lookup.claim(namespace, name);
    if (claim === undefined) return reject(`persistentvolumeclaim "${name}" not found`);
    if (claim.status?.phase === 'Lost') return reject(`persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${claim.spec?.volumeName ?? ''}"`);
    if (claim.metadata?.deletionTimestamp !== undefined) return reject(`persistentvolumeclaim "${name}" is being deleted`);
    const volumeName = claim.spec?.volumeName ?? '';
    if (volumeName !== '' && claim.metadata?.annotations?.[BIND_COMPLETED_ANNOTATION] !== undefined) continue;
    if (volumeName === '' && waitsForConsumer(claim, lookup)) delayed.push(claim);
    else immediate = true;
  }
  return immediate ? reject('pod has unbound immediate PersistentVolumeClaims') : { delayed };
}

/** Upstream's ErrReasonBindConflict: the node is not the one a waiting claim was given. */
export const BIND_CONFLICT: Rejection = unresolvable(VOLUME_BINDING, "node(s) didn't find available persistent volumes to bind");

/** The node a waiting claim was already given (volume.kubernetes.io/selected-node), if any. */
export function selectedNodeOf(claims: readonly Claim[]): string | undefined {
  for (const claim of claims) {
    const node = claim.metadata?.annotations?.[SELECTED_NODE_ANNOTATION];
    if (node !== undefined && node !== '') return node;
  }
  return undefined;
}

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
function waitsForConsumer(claim: Claim, lookup: VolumeLookup): boolean {
  const className = claim.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? claim.spec?.storageClassName ?? '';
  return className !== '' && lookup.storageClass(className)?.volumeBindingMode === 'WaitForFirstConsumer';
}

function reject(reason: string): VolumeBindingResult {
  return { rejection: unresolvable(VOLUME_BINDING, reason) };
}
