/**
 * @module
 * The PersistentVolume the simulated provisioner creates for a claim: local-path's Provision
 * (rancher/local-path-provisioner provisioner.go provisionFor) plus what
 * sig-storage-lib-external-provisioner adds to every volume (claimRef, provisioned-by, class).
 * A pure function of claim, class and node, so it is tested as input → output.
 */
import type { coreV1, storageV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { ANN_DYNAMICALLY_PROVISIONED, claimClass, claimReference } from './volume-util.js';

type PV = coreV1.PersistentVolume;

/** The node label the volume's node affinity names (local-path's KeyNode). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface VolumeRequest {
  readonly claim: DeepReadonly<coreV1.PersistentVolumeClaim>;
  readonly storageClass: DeepReadonly<storageV1.StorageClass>;
  /** `pvc-<claim uid>`. */
  readonly volumeName: string;
  /** The directory on the node the volume directories go under. */
  readonly basePath: string;
  /** The node the scheduler selected for the claim, if its class waits for the first consumer. */
  readonly node: DeepReadonly<coreV1.Node> | undefined;
}

export type BuildResult = { readonly ok: true; readonly volume: PV } | { readonly ok: false; readonly error: string };

/** The volume for the request, or why the claim cannot have one. */
export function buildVolume(request: VolumeRequest): BuildResult {
  const { claim, storageClass, volumeName, node } = request;
  // A volume is made for the claim, so there is nothing to select from (local-path refuses too).
  if (claim.spec?.selector !== undefined) return { ok: false, error: 'claim.Spec.Selector is not supported' };
  const storage = claim.spec?.resources?.requests?.['storage'];
  if (storage === undefined) return { ok: false, error: 'claim.Spec.Resources.Requests.storage is not set' };
  const namespace = claim.metadata?.namespace ?? '';
  const name = claim.metadata?.name ?? '';
  const spec: coreV1.PersistentVolumeSpec = {
    persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
    accessModes: [...(claim.spec?.accessModes ?? [])],
    volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    capacity: { storage },
    hostPath: { path: `${request.basePath.replace(/\/+$/, '')}/${volumeName}_${namespace}_${name}`, type: 'DirectoryOrCreate' },
    claimRef: claimReference(claim),
    storageClassName: claimClass(claim),
  };
  if (node !== undefined) {
    const hostname = node.metadata?.labels?.[HOSTNAME_LABEL] ?? node.metadata?.name ?? '';
    spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }] } };
  }
  return {
    ok: true,
    volume: {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volumeName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: storageClass.provisioner } },
      spec,
    },
  };
}
