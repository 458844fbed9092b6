/**
 * @module
 * StatefulSet pod identity and health (upstream pkg/controller/statefulset/stateful_set_utils.go):
 * a pod's ordinal is parsed from its name `<set>-<ordinal>`; a pod is made from the template with
 * its stable name, the pod-name and pod-index labels, hostname and subdomain (the governing
 * service), and the revision label: the name of the ControllerRevision whose template it was made from
 * (see stateful-set-history.ts). Each volumeClaimTemplate gives the pod of ordinal n a claim of its own,
 * `<template>-<set>-<n>` (getPersistentVolumeClaims), mounted as a volume named after the template
 * (updateStorage).
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../controller-utils/history.js';
import type { ControllerKind } from '../controller-utils/owner-refs.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-utils.js';

export { CONTROLLER_REVISION_HASH_LABEL };

type StatefulSet = appsV1.StatefulSet;
type Pod = coreV1.Pod;

/** The kind a StatefulSet's controller references name. */
export const STATEFUL_SET_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

export const STATEFUL_SET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal in `name` if it is `<set>-<n>`, else undefined (getParentNameAndOrdinal). */
export function getOrdinal(setName: string, podName: string): number | undefined {
  const prefix = `${setName}-`;
  if (!podName.startsWith(prefix)) return undefined;
  const rest = podName.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** The pod name of ordinal `ordinal` (getPodName). */
export function podName(set: DeepReadonly<StatefulSet>, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** spec.replicas, defaulting to 1. */
export function specReplicas(set: DeepReadonly<StatefulSet>): number {
  return set.spec.replicas ?? 1;
}

/** The first ordinal (spec.ordinals.start), default 0. */
export function startOrdinal(set: DeepReadonly<StatefulSet>): number {
  return set.spec.ordinals?.start ?? 0;
}

/** The name of the ControllerRevision the pod was made from (getPodRevision). */
export function podRevision(pod: DeepReadonly<Pod>): string | undefined {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
}

/** newStatefulSetPod + initIdentity + setPodRevision: the pod of `ordinal` at `revision`. */
export function newStatefulSetPod(set: DeepReadonly<StatefulSet>, ordinal: number, revision: string, controllerRef: OwnerReference): Pod {
  const template = set.spec.template;
  const name = podName(set, ordinal);
  const spec = structuredClone(template.spec ?? { containers: [] }) as coreV1.PodSpec;
  updateStorage(set, ordinal, spec);
  spec.hostname = name;
  if (set.spec.serviceName !== undefined && set.spec.serviceName !== '') spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace ?? '',
      labels: {
        ...template.metadata?.labels,
        [STATEFUL_SET_POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [CONTROLLER_REVISION_HASH_LABEL]: revision,
      },
      ...(template.metadata?.annotations === undefined ? {} : { annotations: { ...template.metadata.annotations } }),
      ownerReferences: [controllerRef],
    },
    spec,
  };
}

/** The kubelet has seen it: it has a phase (isCreated). */
export function isCreated(pod: DeepReadonly<Pod>): boolean {
  return (pod.status?.phase ?? '') !== '';
}

export function isTerminating(pod: DeepReadonly<Pod>): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

export function isFailed(pod: DeepReadonly<Pod>): boolean {
  return pod.status?.phase === 'Failed';
}

/** Running and Ready (isRunningAndReady). */
export function isRunningAndReady(pod: DeepReadonly<Pod>): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Running and available after minReadySeconds (isRunningAndAvailable). */
export function isRunningAndAvailable(pod: DeepReadonly<Pod>, minReadySeconds: number, nowMs: number): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
}

/** Running, Ready and not terminating (isHealthy). */
export function isHealthy(pod: DeepReadonly<Pod>): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** The claim of template `template` for ordinal `ordinal` (getPersistentVolumeClaimName). */
export function claimName(set: DeepReadonly<StatefulSet>, template: string, ordinal: number): string {
  return `${template}-${set.metadata?.name ?? ''}-${ordinal}`;
}

/**
 * The claims of ordinal `ordinal`, in template order (getPersistentVolumeClaims): each template with
 * its name, the set's namespace, and its labels with the selector's matchLabels over them.
 */
export function statefulSetClaims(set: DeepReadonly<StatefulSet>, ordinal: number): coreV1.PersistentVolumeClaim[] {
  const matchLabels = set.spec.selector.matchLabels ?? {};
  return (set.spec.volumeClaimTemplates ?? []).map((template) => {
    const claim = structuredClone(template) as coreV1.PersistentVolumeClaim;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = { ...claim.metadata, name: claimName(set, template.metadata?.name ?? '', ordinal), namespace: set.metadata?.namespace ?? '' };
    claim.metadata.labels = { ...template.metadata?.labels, ...matchLabels };
    delete claim.status;
    return claim;
  });
}

/** The pod's volumes with one per claim template first, naming its claim, then its own (updateStorage). */
function updateStorage(set: DeepReadonly<StatefulSet>, ordinal: number, spec: coreV1.PodSpec): void {
  const templates = (set.spec.volumeClaimTemplates ?? []).map((template) => template.metadata?.name ?? '');
  if (templates.length === 0) return;
  const claims: coreV1.Volume[] = templates.map((template) => ({ name: template, persistentVolumeClaim: { claimName: claimName(set, template, ordinal) } }));
  spec.volumes = [...claims, ...(spec.volumes ?? []).filter((volume) => !templates.includes(volume.name))];
}

/**
 * Whether the set's claims are deleted with it: persistentVolumeClaimRetentionPolicy.whenDeleted is
 * Delete (and a scaled-down ordinal's claim goes with its pod instead when whenScaled is Delete too).
 */
export function claimsDeletedWithSet(set: DeepReadonly<StatefulSet>): boolean {
  return set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
}
