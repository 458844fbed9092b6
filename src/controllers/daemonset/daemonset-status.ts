/**
 * @module
 * A DaemonSet's status (upstream pkg/controller/daemon/daemon_controller.go updateDaemonSetStatus and
 * storeDaemonSetStatus): per node that should run a daemon pod, whether it has one and whether the
 * oldest is ready, available and of the current revision; per node that should not, whether it has
 * one anyway (misscheduled).
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-utils.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../controller-utils/history.js';

type Pod = DeepReadonly<coreV1.Pod>;

/** One node's verdict and the active daemon pods on it, oldest first. */
export interface NodePods {
  readonly nodeName: string;
  readonly shouldRun: boolean;
  readonly pods: readonly Pod[];
}

/** The status the nodes' pods add up to. */
export function calculateDaemonSetStatus(ds: DeepReadonly<appsV1.DaemonSet>, nodes: readonly NodePods[], hash: string, nowMs: number): appsV1.DaemonSetStatus {
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    if (node.shouldRun) desired++;
    const [pod] = node.pods;
    if (pod === undefined) continue;
    if (!node.shouldRun) {
      misscheduled++;
      continue;
    }
    current++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
    if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) updated++;
  }
  const status: appsV1.DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    numberAvailable: available,
    updatedNumberScheduled: updated,
    numberUnavailable: Math.max(desired - available, 0),
  };
  if (ds.metadata?.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions !== undefined) status.conditions = structuredClone(ds.status.conditions) as appsV1.DaemonSetCondition[];
  return status;
}

/** Whether two statuses differ in a field the controller writes. */
export function statusChanged(old: DeepReadonly<appsV1.DaemonSetStatus> | undefined, cur: appsV1.DaemonSetStatus): boolean {
  const keys = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'numberAvailable', 'updatedNumberScheduled', 'numberUnavailable', 'observedGeneration'] as const;
  return keys.some((k) => (old?.[k] ?? 0) !== (cur[k] ?? 0));
}

/** maxUnavailable as a pod count (GetScaledValueFromIntOrPercent, rounding up); default 1. */
export function maxUnavailable(ds: DeepReadonly<appsV1.DaemonSet>, desired: number): number {
  const value = ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (match === null) return Number.parseInt(value, 10) || 1;
  return Math.ceil((Number(match[1]) * desired) / 100);
}
