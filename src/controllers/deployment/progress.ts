/**
 * @module
 * The Progressing condition of a rollout (upstream pkg/controller/deployment/progress.go):
 * NewReplicaSetAvailable once complete, ReplicaSetUpdated while pods move, ProgressDeadlineExceeded
 * when nothing moved for progressDeadlineSeconds; ReplicaFailure copied from the ReplicaSets; and a
 * requeue at the deadline of a rollout that stopped moving, since no event would wake it then.
 */
import type { appsV1 } from '../../api/types/index.js';
import { hasProgressDeadline } from './deployment-util.js';
import {
  calculateStatus,
  DEPLOYMENT_PROGRESSING,
  DEPLOYMENT_REPLICA_FAILURE,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  newDeploymentCondition,
  Reasons,
  removeDeploymentCondition,
  setDeploymentCondition,
  statusEqual,
} from './deployment-status.js';
import { type SyncContext, updateDeploymentStatus } from './sync.js';

type Deployment = appsV1.Deployment;
type DeploymentStatus = appsV1.DeploymentStatus;
type DeploymentCondition = appsV1.DeploymentCondition;
type ReplicaSet = appsV1.ReplicaSet;

/** Writes the rollout's status with its Progressing and ReplicaFailure conditions (syncRolloutStatus). */
export async function syncRolloutStatus(ctx: SyncContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = ctx.now();
  const newStatus = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, DEPLOYMENT_PROGRESSING);
  const currentCond = getDeploymentCondition(d.status, DEPLOYMENT_PROGRESSING);
  // A rollout already complete is only resynced: there is no progress to estimate.
  const isCompleteDeployment = newStatus.replicas === newStatus.updatedReplicas && currentCond?.reason === Reasons.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const subject = newRS === undefined ? `Deployment "${d.metadata?.name ?? ''}"` : `ReplicaSet "${newRS.metadata?.name ?? ''}"`;
    if (deploymentComplete(d, newStatus)) {
      setDeploymentCondition(newStatus, newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'True', Reasons.NewReplicaSetAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, newStatus)) {
      // Progress refreshes lastUpdateTime even with the same reason, so the deadline restarts.
      const condition = newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'True', Reasons.ReplicaSetUpdated, `${subject} is progressing.`, now);
      if (currentCond !== undefined) {
        if (currentCond.status === 'True' && currentCond.lastTransitionTime !== undefined) condition.lastTransitionTime = currentCond.lastTransitionTime;
        removeDeploymentCondition(newStatus, DEPLOYMENT_PROGRESSING);
      }
      setDeploymentCondition(newStatus, condition);
    } else if (deploymentTimedOut(d, newStatus, now)) {
      setDeploymentCondition(newStatus, newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'False', Reasons.TimedOut, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = getReplicaFailures(allRSs, newRS)[0];
  if (failure !== undefined) setDeploymentCondition(newStatus, failure);
  else removeDeploymentCondition(newStatus, DEPLOYMENT_REPLICA_FAILURE);

  if (statusEqual(d.status, newStatus)) {
    requeueStuckDeployment(ctx, d, newStatus);
    return;
  }
  d.status = newStatus;
  await updateDeploymentStatus(ctx, d);
}

/** ReplicaFailure conditions of the new ReplicaSet, else of the others (getReplicaFailures). */
function getReplicaFailures(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const toDeployment = (rs: ReplicaSet | undefined): DeploymentCondition[] =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === DEPLOYMENT_REPLICA_FAILURE)
      .map((c) => ({
        type: c.type ?? DEPLOYMENT_REPLICA_FAILURE,
        ...(c.status === undefined ? {} : { status: c.status }),
        ...(c.lastTransitionTime === undefined ? {} : { lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime }),
        ...(c.reason === undefined ? {} : { reason: c.reason }),
        ...(c.message === undefined ? {} : { message: c.message }),
      }));
  const fromNew = toDeployment(newRS);
  if (fromNew.length > 0) return fromNew;
  return allRSs.flatMap(toDeployment);
}

/**
 * Requeues a rollout that made no progress for when its deadline passes (requeueStuckDeployment);
 * returns the delay in ms, or -1 when no check is due.
 */
export function requeueStuckDeployment(ctx: SyncContext, d: Deployment, newStatus: DeploymentStatus): number {
  const currentCond = getDeploymentCondition(d.status, DEPLOYMENT_PROGRESSING);
  if (!hasProgressDeadline(d) || currentCond === undefined) return -1;
  if (deploymentComplete(d, newStatus) || currentCond.reason === Reasons.TimedOut) return -1;
  const lastUpdate = Date.parse(currentCond.lastUpdateTime ?? '');
  if (Number.isNaN(lastUpdate)) return -1;
  const after = lastUpdate + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - ctx.now();
  if (after < 1000) {
    ctx.enqueueRateLimited(d);
    return 0;
  }
  ctx.enqueueAfter(d, after);
  return after;
}
