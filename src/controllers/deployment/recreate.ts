/**
 * @module
 * The Recreate strategy (upstream pkg/controller/deployment/recreate.go): scale every old ReplicaSet
 * to 0, wait until no old pod is running, then create or scale up the new ReplicaSet.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { actualReplicaCount, deploymentReplicas, filterActiveReplicaSets, rsReplicas } from './deployment-util.js';
import { deploymentComplete } from './deployment-status.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent, type SyncContext } from './sync.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;

/** Pods by the uid of the ReplicaSet controlling them (getPodMapForDeployment). */
export type PodMap = ReadonlyMap<string, readonly DeepReadonly<coreV1.Pod>[]>;

/** One step of a Recreate rollout (rolloutRecreate). */
export async function rolloutRecreate(ctx: SyncContext, d: Deployment, rsList: readonly ReplicaSet[], podMap: PodMap): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  if (await scaleDownOldReplicaSetsForRecreate(ctx, filterActiveReplicaSets(oldRSs), d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (newRS === undefined) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS !== undefined) await scaleReplicaSetAndRecordEvent(ctx, newRS, deploymentReplicas(d), d);
  if (deploymentComplete(d, d.status)) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

/** Scales the active old ReplicaSets to 0; true if any scaled (scaleDownOldReplicaSetsForRecreate). */
async function scaleDownOldReplicaSetsForRecreate(ctx: SyncContext, oldRSs: readonly ReplicaSet[], d: Deployment): Promise<boolean> {
  let scaled = false;
  for (const rs of oldRSs) {
    if (rsReplicas(rs) === 0) continue;
    if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d)).scaled) scaled = true;
  }
  return scaled;
}

/** Whether an old ReplicaSet still has pods, or any pod not of the new one may still run (oldPodsRunning). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== undefined && newRS.metadata?.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
