/**
 * @module
 * How the StatefulSet controller writes pods (upstream pkg/controller/statefulset/stateful_pod_control.go
 * StatefulPodControl): it creates pods under their stable names — unlike {@link PodControl}, which
 * generates names — and deletes them, recording upstream's events. A pod's claims from the set's
 * volumeClaimTemplates are created before it (createPersistentVolumeClaims): an existing claim is
 * kept as it is, one being deleted stops the pod's creation. A claim of a set whose
 * persistentVolumeClaimRetentionPolicy.whenDeleted is Delete is created with the set as its
 * controller, so the garbage collector deletes it with the set; with whenScaled: Delete, a pod
 * removed by a scale-down becomes its claims' controller first, so they go with it. The narrow
 * interface lets unit tests record what a sync did.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { errorMessage } from '../../util/logger.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { type ControllerKind, newControllerRef } from '../controller-utils/owner-refs.js';
import type { PodControl } from '../controller-utils/pod-control.js';
import { STATEFUL_SET_KIND, claimsDeletedWithSet, getOrdinal, statefulSetClaims } from './stateful-set-utils.js';

type StatefulSet = appsV1.StatefulSet;
type Pod = coreV1.Pod;

const POD_KIND: ControllerKind = { apiVersion: 'v1', kind: 'Pod' };

export interface StatefulPodControl extends Pick<PodControl, 'patchPod'> {
  /** Creates `pod` (already named, labelled and owned). Rejects with the API's error. */
  createStatefulPod(set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void>;
  /**
   * Before a scaled-down pod is deleted: with whenScaled: Delete its claims get the pod as their
   * controller instead of the set, so they go with it (fixPodClaim, updateClaimOwnerRefForSetAndPod).
   */
  releaseClaimsOfCondemned(set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void>;
  /** Deletes `pod`; rejects with the API's error (NotFound included). */
  deleteStatefulPod(set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void>;
}

export class RealStatefulPodControl implements StatefulPodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly recorder?: EventRecorder,
  ) {}

  async createStatefulPod(set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void> {
    const what = `Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''}`;
    try {
      await this.createClaims(set, pod);
      await this.client.typed('v1/Pod').namespace(set.metadata?.namespace ?? '').create(pod);
      this.recorder?.event(set, 'Normal', 'SuccessfulCreate', `create ${what} successful`);
    } catch (error) {
      this.recorder?.event(set, 'Warning', 'FailedCreate', `create ${what} failed error: ${errorMessage(error)}`);
      throw error;
    }
  }

  /** createPersistentVolumeClaims: the pod's missing claims, with upstream's claim events. */
  private async createClaims(set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void> {
    const podName = pod.metadata?.name ?? '';
    const ordinal = getOrdinal(set.metadata?.name ?? '', podName);
    if (ordinal === undefined) return;
    const claims = this.client.typed('v1/PersistentVolumeClaim').namespace(set.metadata?.namespace ?? '');
    const failures: string[] = [];
    for (const claim of statefulSetClaims(set, ordinal)) {
      const name = claim.metadata?.name ?? '';
      const existing = await claims.get(name).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        failures.push(`failed to retrieve PVC ${name}: ${errorMessage(error)}`);
        return null;
      });
      if (existing === null) continue;
      if (existing !== undefined) {
        if (existing.metadata?.deletionTimestamp !== undefined) failures.push(`pvc ${name} is being deleted`);
        continue;
      }
      if (claimsDeletedWithSet(set) && claim.metadata !== undefined) claim.metadata.ownerReferences = [newControllerRef(set, STATEFUL_SET_KIND)];
      const what = `Claim ${name} Pod ${podName} in StatefulSet ${set.metadata?.name ?? ''}`;
      try {
        await claims.create(claim);
        this.recorder?.event(set, 'Normal', 'SuccessfulCreate', `create ${what} success`);
      } catch (error) {
        if (isAlreadyExists(error)) continue;
        failures.push(`failed to create PVC ${name}: ${errorMessage(error)}`);
        this.recorder?.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${errorMessage(error)}`);
      }
    }
    if (failures.length === 1) throw new Error(failures[0]);
    if (failures.length > 1) throw new Error(`[${failures.join(', ')}]`);
  }

  async releaseClaimsOfCondemned(set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void> {
    if (set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    const ordinal = getOrdinal(set.metadata?.name ?? '', pod.metadata?.name ?? '');
    if (ordinal === undefined) return;
    const claims = this.client.typed('v1/PersistentVolumeClaim').namespace(set.metadata?.namespace ?? '');
    const podRef = newControllerRef(pod, POD_KIND);
    for (const claim of statefulSetClaims(set, ordinal)) {
      const name = claim.metadata?.name ?? '';
      const current = await claims.get(name).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      const refs = current?.metadata?.ownerReferences ?? [];
      if (current === undefined || refs.some((ref) => ref.uid === podRef.uid)) continue;
      // Another controller (not this set) keeps the claim: upstream then leaves the retention policy aside.
      if (refs.some((ref) => ref.controller === true && ref.uid !== set.metadata?.uid)) continue;
      const ownerReferences = [...refs.filter((ref) => ref.uid !== set.metadata?.uid), podRef];
      await claims.patch(name, { metadata: { ownerReferences, resourceVersion: current.metadata?.resourceVersion } }, 'merge');
    }
  }

  async deleteStatefulPod(set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void> {
    const what = `Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''}`;
    try {
      await this.client.typed('v1/Pod').namespace(set.metadata?.namespace ?? '').delete(pod.metadata?.name ?? '');
      this.recorder?.event(set, 'Normal', 'SuccessfulDelete', `delete ${what} successful`);
    } catch (error) {
      this.recorder?.event(set, 'Warning', 'FailedDelete', `delete ${what} failed error: ${errorMessage(error)}`);
      throw error;
    }
  }

  async patchPod(namespace: string, name: string, patch: object): Promise<void> {
    await this.client.typed('v1/Pod').namespace(namespace).patch(name, patch, 'strategic');
  }
}
