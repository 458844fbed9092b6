/**
 * @module
 * The RollingUpdate strategy (upstream pkg/controller/deployment/rolling.go): scale the new
 * ReplicaSet up as far as maxSurge allows, scale old ones down as far as maxUnavailable allows —
 * unhealthy old replicas first — and clean up old ReplicaSets once the rollout is complete.
 */
import type { appsV1 } from '../../api/types/index.js';
import {
  availableReplicaCount,
  byCreationTimestamp,
  deploymentReplicas,
  filterActiveReplicaSets,
  maxUnavailable,
  newRSNewReplicas,
  replicaCount,
  rsReplicas,
} from './deployment-util.js';
import { deploymentComplete } from './deployment-status.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent, type SyncContext } from './sync.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;

/** One step of a rolling update (rolloutRolling). */
export async function rolloutRolling(ctx: SyncContext, d: Deployment, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  if (newRS === undefined) throw new Error('rolling update: no new ReplicaSet');
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(ctx, allRSs, newRS, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ctx, allRSs, filterActiveReplicaSets(oldRSs), newRS, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (deploymentComplete(d, d.status)) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

/** Scales the new ReplicaSet towards the replicas within maxSurge; true if it scaled (reconcileNewReplicaSet). */
export async function reconcileNewReplicaSet(ctx: SyncContext, allRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const replicas = deploymentReplicas(d);
  if (rsReplicas(newRS) === replicas) return false;
  if (rsReplicas(newRS) > replicas) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, replicas, d)).scaled;
  const newReplicas = newRSNewReplicas(d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, newReplicas, d)).scaled;
}

/**
 * Scales old ReplicaSets down as far as keeping replicas − maxUnavailable available allows, counting
 * the new ReplicaSet's unavailable pods against it; true if any scaled (reconcileOldReplicaSets).
 */
export async function reconcileOldReplicaSets(ctx: SyncContext, allRSs: readonly ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const allPodsCount = replicaCount(allRSs);
  const minAvailable = deploymentReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  return cleaned.cleanedUp + scaledDown > 0;
}

/**
 * Scales old ReplicaSets down by their unavailable replicas, oldest first, at most
 * `maxCleanupCount` in all: these pods serve nothing, so removing them costs no availability
 * (cleanupUnhealthyReplicas).
 */
export async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: readonly ReplicaSet[], d: Deployment, maxCleanupCount: number): Promise<{ oldRSs: ReplicaSet[]; cleanedUp: number }> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (const [i, target] of sorted.entries()) {
    if (total >= maxCleanupCount) break;
    const replicas = rsReplicas(target);
    const available = target.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanupCount - total, replicas - available);
    const newReplicas = replicas - count;
    if (newReplicas > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${target.metadata?.name ?? ''} ${replicas} -> ${newReplicas}`);
    sorted[i] = (await scaleReplicaSetAndRecordEvent(ctx, target, newReplicas, d)).rs;
    total += count;
  }
  return { oldRSs: sorted, cleanedUp: total };
}

/** Scales old ReplicaSets down, oldest first, by the available pods above the minimum (scaleDownOldReplicaSetsForRollingUpdate). */
export async function scaleDownOldReplicaSetsForRollingUpdate(ctx: SyncContext, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = deploymentReplicas(d) - maxUnavailable(d);
  const availablePods = availableReplicaCount(allRSs);
  if (availablePods <= minAvailable) return 0;
  const totalToScaleDown = availablePods - minAvailable;
  let total = 0;
  for (const target of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= totalToScaleDown) break;
    const replicas = rsReplicas(target);
    if (replicas === 0) continue;
    const count = Math.min(replicas, totalToScaleDown - total);
    await scaleReplicaSetAndRecordEvent(ctx, target, replicas - count, d);
    total += count;
  }
  return total;
}
