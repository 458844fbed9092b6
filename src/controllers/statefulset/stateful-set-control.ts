/**
 * @module
 * One round of a StatefulSet's update (upstream pkg/controller/statefulset/stateful_set_control.go
 * updateStatefulSet / processReplica / processCondemned, and updateStatefulSetStatus /
 * completeRollingUpdate): pods are sorted into `replicas` (ordinals start..start+replicas-1) and
 * `condemned` (the rest, highest first).
 *
 * - OrderedReady: at most one pod is created or deleted per round, and nothing proceeds past a pod
 *   that is not Running and Ready — ordinal i is created only once 0..i-1 are; scale-down removes
 *   the highest ordinal first and waits for it to be gone.
 * - Parallel: every missing pod is created and every condemned pod deleted in one round.
 * - RollingUpdate: once all replicas are healthy, the highest-ordinal pod of an old revision at or
 *   above `partition` is deleted (one at a time); its replacement is created at the update revision.
 * - A missing pod below the partition is created from the current revision's template, one at or
 *   above it from the update revision's (newVersionedStatefulSetPod); the revisions come from
 *   stateful-set-history.ts.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import {
  getOrdinal,
  isCreated,
  isFailed,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  newStatefulSetPod,
  podRevision,
  specReplicas,
  startOrdinal,
} from './stateful-set-utils.js';
import type { StatefulPodControl } from './stateful-pod-control.js';
import { applyRevision } from './stateful-set-history.js';

type StatefulSet = appsV1.StatefulSet;
type Pod = DeepReadonly<coreV1.Pod>;
type Revision = DeepReadonly<appsV1.ControllerRevision>;

export interface UpdateStatefulSetOptions {
  /** The reference the pods it creates carry. */
  readonly controllerRef: OwnerReference;
  readonly nowMs: number;
  /** The revision pods below the partition are kept at. */
  readonly currentRevision: Revision;
  /** The revision of the set's template now. */
  readonly updateRevision: Revision;
  /** Written to status.collisionCount. */
  readonly collisionCount: number;
}

/** Runs one round for `set` over its claimed `pods`; returns the status it leads to. */
export async function updateStatefulSet(
  set: DeepReadonly<StatefulSet>,
  pods: readonly Pod[],
  control: StatefulPodControl,
  options: UpdateStatefulSetOptions,
): Promise<appsV1.StatefulSetStatus> {
  const { controllerRef, nowMs } = options;
  const name = set.metadata?.name ?? '';
  const currentSet = applyRevision(set, options.currentRevision);
  const updateSet = applyRevision(set, options.updateRevision);
  const updateRev = options.updateRevision.metadata?.name ?? '';
  const currentRev = options.currentRevision.metadata?.name ?? '';
  const replicaCount = specReplicas(set);
  const start = startOrdinal(set);
  const monotonic = set.spec.podManagementPolicy !== 'Parallel';
  const minReady = set.spec.minReadySeconds ?? 0;

  const replicas: (Pod | undefined)[] = Array.from({ length: replicaCount }, () => undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ord = getOrdinal(name, pod.metadata?.name ?? '');
    if (ord === undefined) continue;
    if (ord >= start && ord < start + replicaCount) replicas[ord - start] = pod;
    else condemned.push(pod);
  }
  condemned.sort((a, b) => (getOrdinal(name, b.metadata?.name ?? '') ?? 0) - (getOrdinal(name, a.metadata?.name ?? '') ?? 0));

  const status = computeStatus(set, pods, currentRev, updateRev, minReady, nowMs);
  status.collisionCount = options.collisionCount;
  const done = (): appsV1.StatefulSetStatus => completeRollingUpdate(set, status);

  if (set.metadata?.deletionTimestamp !== undefined) return done();

  // Replicas, lowest ordinal first (processReplica).
  for (let i = 0; i < replicas.length; i++) {
    const pod = replicas[i];
    if (pod !== undefined && isFailed(pod) && !isTerminating(pod)) {
      // A failed pod is deleted and recreated under the same name once it is gone.
      await deleteIgnoringNotFound(control, set, pod);
      if (monotonic) return done();
      continue;
    }
    if (pod === undefined) {
      try {
        const created = isCurrentRevisionNeeded(currentSet, start + i)
          ? newStatefulSetPod(currentSet, start + i, currentRev, controllerRef)
          : newStatefulSetPod(updateSet, start + i, updateRev, controllerRef);
        await control.createStatefulPod(set, created);
      } catch (error) {
        // A stale cache: the pod exists already and will show up; the next round sees it.
        if (!isAlreadyExists(error)) throw error;
      }
      if (monotonic) return done();
      continue;
    }
    // OrderedReady waits for every predecessor to be Running and Ready before going on.
    if (monotonic && (!isCreated(pod) || isTerminating(pod) || !isRunningAndReady(pod))) return done();
  }

  // Condemned, highest ordinal first (processCondemned).
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return done();
      continue;
    }
    await control.releaseClaimsOfCondemned(set, pod);
    await deleteIgnoringNotFound(control, set, pod);
    if (monotonic) return done();
  }

  // RollingUpdate, highest ordinal first, down to the partition.
  const strategy = set.spec.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') return done();
  const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  // The partition counts replicas from the first ordinal (upstream's updateMin is an index).
  for (let i = replicas.length - 1; i >= partition && i >= 0; i--) {
    const pod = replicas[i];
    if (pod === undefined) return done();
    if (podRevision(pod) !== updateRev && !isTerminating(pod)) {
      await deleteIgnoringNotFound(control, set, pod);
      return done();
    }
    // Wait for the replacement before updating the next lower ordinal.
    if (!isHealthy(pod)) return done();
  }
  return done();
}

async function deleteIgnoringNotFound(control: StatefulPodControl, set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void> {
  try {
    await control.deleteStatefulPod(set, pod);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** The counts of the pods as they were when the round started (upstream counts before acting). */
function computeStatus(set: DeepReadonly<StatefulSet>, pods: readonly Pod[], currentRev: string, updateRev: string, minReady: number, nowMs: number): appsV1.StatefulSetStatus {
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    if (getOrdinal(set.metadata?.name ?? '', pod.metadata?.name ?? '') === undefined) continue;
    if (isCreated(pod) && !isTerminating(pod)) {
      replicas++;
      if (isRunningAndReady(pod)) ready++;
      if (isRunningAndAvailable(pod, minReady, nowMs)) available++;
      if (podRevision(pod) === currentRev) current++;
      if (podRevision(pod) === updateRev) updated++;
    }
  }
  const status: appsV1.StatefulSetStatus = {
    replicas,
    readyReplicas: ready,
    availableReplicas: available,
    currentReplicas: current,
    updatedReplicas: updated,
    currentRevision: currentRev,
    updateRevision: updateRev,
  };
  if (set.metadata?.generation !== undefined) status.observedGeneration = set.metadata.generation;
  return status;
}

/**
 * Whether the missing pod of `ordinal` is made at the current revision (newVersionedStatefulSetPod):
 * under RollingUpdate, when it is below the partition — or, with no rollingUpdate block, below the
 * count of pods already at the current revision. OnDelete recreates deleted pods at the update revision.
 */
function isCurrentRevisionNeeded(currentSet: DeepReadonly<StatefulSet>, ordinal: number): boolean {
  const strategy = currentSet.spec.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return false;
  const start = startOrdinal(currentSet);
  if (strategy?.rollingUpdate === undefined) return ordinal < start + (currentSet.status?.currentReplicas ?? 0);
  return ordinal < start + (strategy.rollingUpdate.partition ?? 0);
}

/** Once every replica is updated and ready, the update revision becomes current (completeRollingUpdate). */
function completeRollingUpdate(set: DeepReadonly<StatefulSet>, status: appsV1.StatefulSetStatus): appsV1.StatefulSetStatus {
  const strategy = set.spec.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas && status.replicas === specReplicas(set)) {
    return { ...status, currentRevision: status.updateRevision ?? '', currentReplicas: status.updatedReplicas ?? 0 };
  }
  return status;
}
