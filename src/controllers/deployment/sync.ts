/**
 * @module
 * What every Deployment sync shares (upstream pkg/controller/deployment/sync.go): finding or creating
 * the new ReplicaSet and syncing revisions, proportional scaling, scaling one ReplicaSet with its
 * event, cleaning up old ReplicaSets beyond revisionHistoryLimit, the paused conditions, and status.
 *
 * Functions take a {@link SyncContext} (the narrow reads and writes a sync makes) and a mutable copy
 * of the Deployment, which they update in place as upstream does, and ReplicaSets the sync owns
 * (copies of the cached ones).
 */
import type { appsV1 } from '../../api/types/index.js';
import { ApiError, isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import { errorMessage } from '../../util/logger.js';
import { type ControllerKind, getControllerOf, newControllerRef } from '../controller-utils/owner-refs.js';
import {
  bySizeNewer,
  bySizeOlder,
  byRevision,
  deploymentReplicas,
  desiredReplicasAnnotation,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  newRSNewReplicas,
  replicaCount,
  replicaSetProportion,
  replicasAnnotationsNeedUpdate,
  REVISION_ANNOTATION,
  rsReplicas,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './deployment-util.js';
import {
  calculateStatus,
  DEPLOYMENT_PROGRESSING,
  getDeploymentCondition,
  newDeploymentCondition,
  Reasons,
  setDeploymentCondition,
  statusEqual,
} from './deployment-status.js';
import { DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, computeHash, equalIgnoreHash } from './pod-template-hash.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;

/** The kind a ReplicaSet's controller reference names. */
export const DEPLOYMENT_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

/** How a sync writes ReplicaSets (upstream's client.AppsV1().ReplicaSets() plus RSControlInterface). */
export interface ReplicaSetControl {
  create(rs: ReplicaSet): Promise<ReplicaSet>;
  update(rs: ReplicaSet): Promise<ReplicaSet>;
  delete(namespace: string, name: string): Promise<void>;
  /** A strategic merge patch (adopting and releasing). */
  patch(namespace: string, name: string, patch: object): Promise<void>;
}

/** How a sync reads a Deployment fresh and writes its status. */
export interface DeploymentClient {
  get(namespace: string, name: string): Promise<Deployment>;
  /** Writes the status and the revision annotation (upstream's UpdateStatus persists both). */
  updateStatus(d: Deployment): Promise<Deployment>;
}

/** What a sync reads and writes besides the Deployment and its ReplicaSets. */
export interface SyncContext {
  readonly rsControl: ReplicaSetControl;
  readonly dClient: DeploymentClient;
  /** The cached ReplicaSet `name`, to recognise our own on AlreadyExists. */
  getCachedReplicaSet(namespace: string, name: string): DeepReadonly<ReplicaSet> | undefined;
  event(obj: DeepReadonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string): void;
  now(): number;
  enqueueAfter(d: DeepReadonly<Deployment>, ms: number): void;
  enqueueRateLimited(d: DeepReadonly<Deployment>): void;
}

/** Writes the Deployment's status, carrying the new resourceVersion into `d` so later writes do not conflict. */
export async function updateDeploymentStatus(ctx: SyncContext, d: Deployment): Promise<void> {
  const updated = await ctx.dClient.updateStatus(d);
  const rv = updated.metadata?.resourceVersion;
  if (rv !== undefined) (d.metadata ??= {}).resourceVersion = rv;
}

/** The new ReplicaSet (created when `create` and missing) and all old ones (getAllReplicaSetsAndSyncRevision). */
export async function getAllReplicaSetsAndSyncRevision(
  ctx: SyncContext,
  d: Deployment,
  rsList: readonly ReplicaSet[],
  create: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const oldRSs = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, create);
  return { newRS, oldRSs };
}

/**
 * The ReplicaSet whose template matches the Deployment's, with its revision brought to max(old)+1
 * and the Deployment's annotations and minReadySeconds; when none matches and `create`, a new one
 * named `<deployment>-<pod-template-hash>` (getNewReplicaSet).
 */
async function getNewReplicaSet(ctx: SyncContext, d: Deployment, rsList: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing !== undefined) {
    const rsCopy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadySecondsNeedsUpdate = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      rsCopy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      return ctx.rsControl.update(rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
    // A Deployment that never had a Progressing condition starts being tracked from this sync.
    if (hasProgressDeadline(d) && getDeploymentCondition(d.status, DEPLOYMENT_PROGRESSING) === undefined) {
      const msg = `Found new replica set "${rsCopy.metadata?.name ?? ''}"`;
      setDeploymentCondition((d.status ??= {}), newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'True', Reasons.FoundNewReplicaSet, msg, ctx.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(ctx, d);
    return rsCopy;
  }
  if (!create) return undefined;

  const namespace = d.metadata?.namespace ?? '';
  const template = structuredClone(d.spec.template);
  const hash = computeHash(template, d.status?.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name ?? ''}-${hash}`,
      namespace,
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
      labels: { ...(template.metadata.labels ?? {}) },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  const newReplicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = newReplicas;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await ctx.rsControl.create(newRS);
  } catch (error) {
    if (isAlreadyExists(error)) {
      const rs = ctx.getCachedReplicaSet(namespace, newRS.metadata?.name ?? '');
      if (rs !== undefined && getControllerOf(rs)?.uid === d.metadata?.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) {
        created = structuredClone(rs) as ReplicaSet;
        alreadyExists = true;
      } else {
        // A ReplicaSet of that name with another template: hash again with a bumped collisionCount.
        const status = (d.status ??= {});
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await updateDeploymentStatus(ctx, d);
        throw error;
      }
    } else {
      // Every create into a terminating namespace fails; there is nothing to report.
      if (error instanceof ApiError && (error.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')) throw error;
      const msg = `Failed to create new replica set "${newRS.metadata?.name ?? ''}": ${errorMessage(error)}`;
      if (hasProgressDeadline(d)) {
        setDeploymentCondition((d.status ??= {}), newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'False', Reasons.FailedReplicaSetCreate, msg, ctx.now()));
        await updateDeploymentStatus(ctx, d).catch(() => undefined);
      }
      ctx.event(d, 'Warning', 'FailedCreate', msg);
      throw error;
    }
  }
  if (!alreadyExists && newReplicas > 0) {
    ctx.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name ?? ''} from 0 to ${newReplicas}`);
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    const msg = `Created new replica set "${created.metadata?.name ?? ''}"`;
    setDeploymentCondition((d.status ??= {}), newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'True', Reasons.NewReplicaSet, msg, ctx.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(ctx, d);
  return created;
}

/**
 * Scales `rs` to `newScale` and refreshes its replicas annotations; records ScalingReplicaSet when
 * the size changed (scaleReplicaSet). Returns the ReplicaSet as written.
 */
export async function scaleReplicaSet(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const oldScale = rsReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const desired = deploymentReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const rsCopy = structuredClone(rs);
  rsCopy.spec.replicas = newScale;
  setReplicasAnnotations(rsCopy, desired, max);
  const updated = await ctx.rsControl.update(rsCopy);
  if (sizeNeedsUpdate) ctx.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata?.name ?? ''} from ${oldScale} to ${newScale}`);
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** {@link scaleReplicaSet} when the size differs, naming the direction (scaleReplicaSetAndRecordEvent). */
export async function scaleReplicaSetAndRecordEvent(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (rsReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d, rsReplicas(rs) < newScale ? 'up' : 'down');
}

/**
 * Brings the ReplicaSets to the Deployment's replicas after it was scaled (scale): the one active
 * ReplicaSet takes all; a saturated new one leaves the old at 0; during a rolling update the change
 * is spread across the active ReplicaSets in proportion to their size, leftovers to the largest.
 */
export async function scale(ctx: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const replicas = deploymentReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest !== undefined) {
    if (rsReplicas(activeOrLatest) === replicas) return;
    await scaleReplicaSetAndRecordEvent(ctx, activeOrLatest, replicas, d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allowedSize = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(allRSs);
  let operation = '';
  if (toAdd > 0) {
    allRSs.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    allRSs.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const nameToSize = new Map<string, number>();
  for (const rs of allRSs) {
    const proportion = toAdd === 0 ? 0 : replicaSetProportion(rs, d, toAdd, added);
    nameToSize.set(rs.metadata?.name ?? '', rsReplicas(rs) + proportion);
    added += proportion;
  }
  for (const [i, rs] of allRSs.entries()) {
    const name = rs.metadata?.name ?? '';
    let size = nameToSize.get(name) ?? 0;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await scaleReplicaSet(ctx, rs, size, d, operation);
  }
}

/** Whether the Deployment's replicas differ from what its active ReplicaSets were last scaled for (isScalingEvent). */
export async function isScalingEvent(ctx: SyncContext, d: Deployment, rsList: readonly ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== deploymentReplicas(d)) return true;
  }
  return false;
}

/**
 * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit that are fully scaled down and
 * observed so (cleanupDeployment).
 */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: readonly ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs.metadata?.deletionTimestamp === undefined);
  const diff = cleanable.length - (d.spec.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await ctx.rsControl.delete(rs.metadata?.namespace ?? '', rs.metadata?.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/** Writes the calculated status if it changed (syncDeploymentStatus). */
export async function syncDeploymentStatus(ctx: SyncContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const newStatus = calculateStatus(allRSs, newRS, d, ctx.now());
  if (statusEqual(d.status, newStatus)) return;
  d.status = newStatus;
  await updateDeploymentStatus(ctx, d);
}

/**
 * Reconciles a paused Deployment or a scaling event: no rollout, only scaling, cleanup while paused,
 * and status (sync).
 */
export async function sync(ctx: SyncContext, d: Deployment, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec.paused === true) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/** Sets Progressing Unknown DeploymentPaused / DeploymentResumed as spec.paused changes (checkPausedConditions). */
export async function checkPausedConditions(ctx: SyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getDeploymentCondition(d.status, DEPLOYMENT_PROGRESSING);
  if (cond?.reason === Reasons.TimedOut) return;
  const pausedCondExists = cond?.reason === Reasons.PausedDeploy;
  const paused = d.spec.paused === true;
  if (paused && !pausedCondExists) {
    setDeploymentCondition((d.status ??= {}), newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'Unknown', Reasons.PausedDeploy, 'Deployment is paused', ctx.now()));
  } else if (!paused && pausedCondExists) {
    setDeploymentCondition((d.status ??= {}), newDeploymentCondition(DEPLOYMENT_PROGRESSING, 'Unknown', Reasons.ResumedDeploy, 'Deployment is resumed', ctx.now()));
  } else {
    return;
  }
  await updateDeploymentStatus(ctx, d);
}
