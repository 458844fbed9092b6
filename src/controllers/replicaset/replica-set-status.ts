/**
 * @module
 * A ReplicaSet's status from its pods, and writing it (upstream
 * pkg/controller/replicaset/replica_set_utils.go calculateStatus, updateReplicaSetStatus and the
 * condition helpers). `replicas` counts the active pods the ReplicaSet owns; `fullyLabeledReplicas`
 * those that carry every label of the template; `readyReplicas` the ready ones; `availableReplicas`
 * those ready for at least minReadySeconds. A failed create or delete sets the ReplicaFailure
 * condition (FailedCreate / FailedDelete); a later sync without failure removes it.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-utils.js';
import { errorMessage } from '../../util/logger.js';
import { formatTime } from '../../api/time.js';

type ReplicaSet = appsV1.ReplicaSet;
type ReplicaSetStatus = appsV1.ReplicaSetStatus;
type ReplicaSetCondition = appsV1.ReplicaSetCondition;
type Pod = DeepReadonly<coreV1.Pod>;

/** The condition type set when pods cannot be created or deleted. */
export const REPLICA_FAILURE = 'ReplicaFailure';

/** spec.replicas with its default of 1. */
export function specReplicas(rs: DeepReadonly<ReplicaSet>): number {
  return rs.spec.replicas ?? 1;
}

/** Whether `labels` has every one of `wanted`. */
function hasLabels(labels: Readonly<Record<string, string>> | undefined, wanted: readonly (readonly [string, string])[]): boolean {
  for (const [key, value] of wanted) if (labels?.[key] !== value) return false;
  return true;
}

/**
 * The status the ReplicaSet should have, given its active claimed pods and the error of this sync's
 * create/delete round (calculateStatus). observedGeneration is left as it was: it is set when written.
 */
export function calculateStatus(rs: DeepReadonly<ReplicaSet>, activePods: readonly Pod[], manageReplicasError: unknown, nowMs: number): ReplicaSetStatus {
  const newStatus = structuredClone(rs.status ?? { replicas: 0 }) as ReplicaSetStatus;
  const templateLabels = Object.entries(rs.spec.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  // Once per pod of the ReplicaSet on every sync: no closure per pod, and the Ready condition is
  // looked up again only when minReadySeconds needs its time.
  for (const pod of activePods) {
    if (hasLabels(pod.metadata?.labels, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (minReadySeconds <= 0 || isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }
  const failure = getCondition(newStatus, REPLICA_FAILURE);
  if (manageReplicasError !== undefined && failure === undefined) {
    const diff = activePods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setCondition(newStatus, newCondition(REPLICA_FAILURE, 'True', reason, errorMessage(manageReplicasError), nowMs));
  } else if (manageReplicasError === undefined && failure !== undefined) {
    removeCondition(newStatus, REPLICA_FAILURE);
  }
  newStatus.replicas = activePods.length;
  newStatus.fullyLabeledReplicas = fullyLabeled;
  newStatus.readyReplicas = ready;
  newStatus.availableReplicas = available;
  return newStatus;
}

/** The slice of a ReplicaSet client that writes status. */
export interface ReplicaSetStatusClient {
  updateStatus(rs: ReplicaSet): Promise<ReplicaSet>;
  get(namespace: string, name: string): Promise<ReplicaSet>;
}

/** Upstream's statusUpdateRetries: one retry after a failed write, on a fresh read. */
const STATUS_UPDATE_RETRIES = 1;

/**
 * Writes `newStatus` (with observedGeneration = generation) unless the ReplicaSet already has it
 * (updateReplicaSetStatus). A failed write is retried once on a fresh read; the last error is thrown.
 */
export async function updateReplicaSetStatus(client: ReplicaSetStatusClient, rs: DeepReadonly<ReplicaSet>, newStatus: ReplicaSetStatus): Promise<DeepReadonly<ReplicaSet>> {
  const generation = rs.metadata?.generation;
  if (statusCountsEqual(rs.status, newStatus) && conditionsEqual(rs.status?.conditions, newStatus.conditions) && rs.status?.observedGeneration === generation) {
    return rs;
  }
  const status: ReplicaSetStatus = { ...newStatus, ...(generation === undefined ? {} : { observedGeneration: generation }) };
  let current = structuredClone(rs) as ReplicaSet;
  let lastError: unknown;
  for (let attempt = 0; attempt <= STATUS_UPDATE_RETRIES; attempt++) {
    if (attempt > 0) {
      current = await client.get(rs.metadata?.namespace ?? '', rs.metadata?.name ?? '');
    }
    current.status = status;
    try {
      return await client.updateStatus(current);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function statusCountsEqual(a: DeepReadonly<ReplicaSetStatus> | undefined, b: ReplicaSetStatus): boolean {
  return (
    (a?.replicas ?? 0) === b.replicas &&
    (a?.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a?.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a?.availableReplicas ?? 0) === (b.availableReplicas ?? 0)
  );
}

function conditionsEqual(a: DeepReadonly<ReplicaSetCondition[]> | undefined, b: ReplicaSetCondition[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** A condition stamped `nowMs` (NewReplicaSetCondition). */
export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): ReplicaSetCondition {
  return { type, status, lastTransitionTime: formatTime(nowMs), reason, message };
}

/** The status' condition of `type`. */
export function getCondition(status: DeepReadonly<ReplicaSetStatus> | undefined, type: string): DeepReadonly<ReplicaSetCondition> | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets `condition`, replacing one of its type; a condition with the same status and reason as the
 * existing one changes nothing (SetCondition).
 */
export function setCondition(status: ReplicaSetStatus, condition: ReplicaSetCondition): void {
  const current = status.conditions?.find((c) => c.type === condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}

/** Removes the condition of `type` (RemoveCondition); no conditions left leaves the field out. */
export function removeCondition(status: ReplicaSetStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length === 0) delete status.conditions;
  else status.conditions = rest;
}
