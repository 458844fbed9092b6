/**
 * @module
 * A Deployment's status from its ReplicaSets, its conditions, and the predicates on rollout progress
 * (upstream pkg/controller/deployment/sync.go calculateStatus and
 * pkg/controller/deployment/util/deployment_util.go: NewDeploymentCondition,
 * SetDeploymentCondition, DeploymentComplete, DeploymentProgressing, DeploymentTimedOut). The
 * reasons and messages are upstream's verbatim: `kubectl rollout status` reads them.
 */
import type { appsV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  deploymentReplicas,
  hasProgressDeadline,
  maxUnavailable,
  readyReplicaCount,
  replicaCount,
} from './deployment-util.js';
import { formatTime } from '../../api/time.js';

type Deployment = appsV1.Deployment;
type DeploymentStatus = appsV1.DeploymentStatus;
type DeploymentCondition = appsV1.DeploymentCondition;
type RRS = DeepReadonly<appsV1.ReplicaSet>;

export const DEPLOYMENT_AVAILABLE = 'Available';
export const DEPLOYMENT_PROGRESSING = 'Progressing';
export const DEPLOYMENT_REPLICA_FAILURE = 'ReplicaFailure';

/** Progressing reasons and Available reasons (deployment_util.go's reason constants). */
export const Reasons = {
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  FailedReplicaSetCreate: 'ReplicaSetCreateError',
  TimedOut: 'ProgressDeadlineExceeded',
  PausedDeploy: 'DeploymentPaused',
  ResumedDeploy: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** A condition stamped `nowMs` for both times (NewDeploymentCondition). */
export function newDeploymentCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, nowMs: number): DeploymentCondition {
  const now = formatTime(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getDeploymentCondition(status: DeepReadonly<DeploymentStatus> | undefined, type: string): DeepReadonly<DeploymentCondition> | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets `condition`, unless one of its type already has the same status and reason; keeps the
 * lastTransitionTime when only the reason changes (SetDeploymentCondition).
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getDeploymentCondition(status, condition.type ?? '');
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current !== undefined && current.status === condition.status && current.lastTransitionTime !== undefined) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  if (status.conditions === undefined) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/**
 * The status the Deployment should have given its ReplicaSets (calculateStatus): counts summed over
 * them, `updatedReplicas` those of the new one, and Available True while at least
 * replicas − maxUnavailable pods are available. Other conditions are carried over.
 */
export function calculateStatus(allRSs: readonly (RRS | undefined)[], newRS: RRS | undefined, d: DeepReadonly<Deployment>, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = replicaCount(allRSs);
  const status: DeploymentStatus = {
    ...(d.metadata?.generation === undefined ? {} : { observedGeneration: d.metadata.generation }),
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount === undefined ? {} : { collisionCount: d.status.collisionCount }),
  };
  const conditions = (d.status?.conditions ?? []).map((c) => ({ ...c }));
  if (conditions.length > 0) status.conditions = conditions;
  if (available >= deploymentReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition(DEPLOYMENT_AVAILABLE, 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setDeploymentCondition(status, newDeploymentCondition(DEPLOYMENT_AVAILABLE, 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Every replica updated and available, no old ones, and the spec observed (DeploymentComplete). */
export function deploymentComplete(d: DeepReadonly<Deployment>, status: DeepReadonly<DeploymentStatus> | undefined): boolean {
  const replicas = deploymentReplicas(d);
  return (
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.replicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas &&
    (status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** `status` shows progress over the Deployment's current status (DeploymentProgressing). */
export function deploymentProgressing(d: DeepReadonly<Deployment>, status: DeepReadonly<DeploymentStatus>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The Progressing condition was last updated more than progressDeadlineSeconds ago (DeploymentTimedOut). */
export function deploymentTimedOut(d: DeepReadonly<Deployment>, status: DeepReadonly<DeploymentStatus>, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(status, DEPLOYMENT_PROGRESSING);
  if (condition === undefined) return false;
  if (condition.reason === Reasons.NewReplicaSetAvailable) return false;
  if (condition.reason === Reasons.TimedOut) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** Whether two statuses are the same (reflect.DeepEqual over the JSON shape). */
export function statusEqual(a: DeepReadonly<DeploymentStatus> | undefined, b: DeepReadonly<DeploymentStatus> | undefined): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(s: DeepReadonly<DeploymentStatus> | undefined): unknown {
  if (s === undefined) return {};
  const keys = Object.keys(s).sort() as (keyof DeploymentStatus)[];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = s[k];
    if (v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = k === 'conditions' && Array.isArray(v) ? v.map((c: DeepReadonly<DeploymentCondition>) => sortKeys(c)) : v;
  }
  return out;
}

function sortKeys(c: DeepReadonly<DeploymentCondition>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(c).sort()) out[k] = (c as Record<string, unknown>)[k];
  return out;
}
