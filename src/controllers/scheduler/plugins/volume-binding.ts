/**
 * @module
 * The VolumeBinding plugin's PreFilter (pkg/scheduler/framework/plugins/volumebinding
 * volume_binding.go PreFilter, binder.go GetPodVolumeClaims): a pod's PersistentVolumeClaims —
 * named by its `persistentVolumeClaim` volumes, or `<pod>-<volume>` for ephemeral ones — must exist,
 * not be deleting or Lost, and be bound, unless their StorageClass binds WaitForFirstConsumer: such
 * a claim waits for the pod, and the scheduler names the chosen node on it
 * (volume.kubernetes.io/selected-node) before binding the pod, so its volume is provisioned there.
 * Each refusal is UnschedulableAndUnresolvable, in upstream's words; a change to a claim or a class
 * sends the pod back to the queue.
 *
 * Simplified: no unbound PersistentVolume is matched to a waiting claim by the scheduler (the volume
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
    const ephemeral = volume.ephemeral !== undefined;
    const name = ephemeral ? `${pod.metadata?.name ?? ''}-${volume.name}` : volume.persistentVolumeClaim?.claimName;
    if (name === undefined) continue;
    const claim = lookup.claim(namespace, name);
    if (claim === undefined) {
      return reject(ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`);
    }
    if (claim.metadata?.deletionTimestamp !== undefined) return reject(`persistentvolumeclaim "${name}" is being deleted`);
    if (claim.status?.phase === 'Lost') return reject(`persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${claim.spec?.volumeName ?? ''}"`);
    const volumeName = claim.spec?.volumeName ?? '';
    if (volumeName !== '' && claim.metadata?.annotations?.[BIND_COMPLETED_ANNOTATION] !== undefined) continue;
    if (volumeName === '' && waitsForConsumer(claim, lookup)) delayed.push(claim);
    else immediate = true;
  }
  return immediate ? reject('pod has unbound immediate PersistentVolumeClaims') : { delayed };
}

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
function waitsForConsumer(claim: Claim, lookup: VolumeLookup): boolean {
  const className = claim.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? claim.spec?.storageClassName ?? '';
  return className !== '' && lookup.storageClass(className)?.volumeBindingMode === 'WaitForFirstConsumer';
}

function reject(reason: string): VolumeBindingResult {
  return { rejection: unresolvable(VOLUME_BINDING, reason) };
}
