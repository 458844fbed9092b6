/**
 * @module
 * The pod index by claim (upstream pkg/controller/volume/common PodPVCIndexFunc, "pod-pvc-index"):
 * each pod is filed under `namespace/claim` for every claim its volumes use — a
 * `persistentVolumeClaim` volume's claimName, or for a generic ephemeral volume the claim named
 * `<pod>-<volume>` (component-helpers storage/ephemeral VolumeClaimName). The PV controller reads it
 * to name the pods a WaitForFirstConsumer claim waits for; the PVC protection controller to find the
 * pods that still use a deleting claim.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { Indexers } from '../../client/cache/thread-safe-store.js';
import type { DeepReadonly } from '../../client/object.js';

type Pod = coreV1.Pod;

/** The index name (upstream common.PodPVCIndex). */
export const POD_PVC_INDEX = 'pod-pvc-index';

/** The claim a generic ephemeral volume of the pod uses: `<pod>-<volume>` (VolumeClaimName). */
export function ephemeralClaimName(pod: DeepReadonly<Pod>, volume: DeepReadonly<coreV1.Volume>): string {
  return `${pod.metadata?.name ?? ''}-${volume.name}`;
}

/** The claim a pod volume uses, or undefined for a volume of another kind. */
export function volumeClaimName(pod: DeepReadonly<Pod>, volume: DeepReadonly<coreV1.Volume>): string | undefined {
  if (volume.persistentVolumeClaim !== undefined) return volume.persistentVolumeClaim.claimName;
  if (volume.ephemeral !== undefined) return ephemeralClaimName(pod, volume);
  return undefined;
}

/** `namespace/claim` for each claim the pod's volumes use: the index function. */
export function podPvcIndexFunc(pod: DeepReadonly<Pod>): string[] {
  const keys: string[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    const claim = volumeClaimName(pod, volume);
    if (claim !== undefined && claim !== '') keys.push(`${pod.metadata?.namespace ?? ''}/${claim}`);
  }
  return keys;
}

/**
 * Adds the index to a pod informer's indexer unless another controller sharing the informer already
 * did (upstream common.AddPodPVCIndexerIfNotPresent). Call before the informer starts.
 */
export function addPodPvcIndexer(indexer: { getIndexers(): Indexers<Pod>; addIndexers(indexers: Indexers<Pod>): void }): void {
  if (indexer.getIndexers()[POD_PVC_INDEX] !== undefined) return;
  indexer.addIndexers({ [POD_PVC_INDEX]: podPvcIndexFunc });
}
