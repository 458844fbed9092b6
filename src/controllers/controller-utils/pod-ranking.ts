/**
 * @module
 * Which pods to delete first when scaling down (upstream pkg/controller/controller_utils.go
 * ActivePodsWithRanks.Less, with the PodDeletionCost and LogarithmicScaleDown behaviours on, as
 * they are by default). Pods that matter least come first:
 *
 * 1. unscheduled before scheduled (no spec.nodeName);
 * 2. Pending before Unknown before Running;
 * 3. not ready before ready;
 * 4. lower `controller.kubernetes.io/pod-deletion-cost` before higher;
 * 5. higher rank before lower (the caller's rank: for a ReplicaSet, how many related pods share the
 *    node — doubled-up pods go first);
 * 6. of two ready pods, the one ready for less time first — compared on a log2 scale of the time
 *    since, so pods that became ready at about the same time tie (and are ordered by uid, which is
 *    random, so scale-down does not always pick the newest);
 * 7. more container restarts before fewer;
 * 8. younger (later creationTimestamp) before older, on the same log2 scale.
 *
 * A missing time counts as newest (empty before any time), as upstream's afterOrZero.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { isPodActive, isPodReady, parseTime, podReadyTime } from './pod-utils.js';

type Pod = DeepReadonly<coreV1.Pod>;

/** The annotation whose integer value orders pods for deletion (lower goes first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** A pod and the rank its controller gave it. */
export interface RankedPod<P extends Pod = Pod> {
  readonly pod: P;
  readonly rank: number;
}

/**
 * Whether `a` should be deleted before `b` (ActivePodsWithRanks.Less). `nowMs` enables the
 * logarithmic comparison of ready and creation times; without it they compare exactly.
 */
export function deletesBefore(a: RankedPod, b: RankedPod, nowMs: number | undefined): boolean {
  const pi = a.pod;
  const pj = b.pod;
  // 1. Unassigned < assigned.
  const nodeI = pi.spec?.nodeName ?? '';
  const nodeJ = pj.spec?.nodeName ?? '';
  if (nodeI !== nodeJ && (nodeI === '' || nodeJ === '')) return nodeI === '';
  // 2. Pending < Unknown < Running.
  const phaseI = PHASE_ORDINAL[pi.status?.phase ?? ''] ?? 0;
  const phaseJ = PHASE_ORDINAL[pj.status?.phase ?? ''] ?? 0;
  if (phaseI !== phaseJ) return phaseI < phaseJ;
  // 3. Not ready < ready.
  const readyI = isPodReady(pi);
  const readyJ = isPodReady(pj);
  if (readyI !== readyJ) return !readyI;
  // 4. Lower deletion cost < higher.
  const costI = podDeletionCost(pi);
  const costJ = podDeletionCost(pj);
  if (costI !== costJ) return costI < costJ;
  // 5. Doubled up (higher rank) < not doubled up.
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready for less time < more time.
  if (readyI && readyJ) {
    const before = newerFirst(podReadyTime(pi), podReadyTime(pj), pi, pj, nowMs);
    if (before !== undefined) return before;
  }
  // 7. More restarts < fewer.
  const restartsI = maxContainerRestarts(pi);
  const restartsJ = maxContainerRestarts(pj);
  if (restartsI !== restartsJ) return restartsI > restartsJ;
  // 8. Younger < older.
  const createdI = parseTime(pi.metadata?.creationTimestamp);
  const createdJ = parseTime(pj.metadata?.creationTimestamp);
  return newerFirst(createdI, createdJ, pi, pj, nowMs) ?? false;
}

/** A comparator for Array#sort from {@link deletesBefore}: pods to delete first sort first. */
export function compareForDeletion(nowMs: number | undefined): (a: RankedPod, b: RankedPod) => number {
  return (a, b) => (deletesBefore(a, b, nowMs) ? -1 : deletesBefore(b, a, nowMs) ? 1 : 0);
}

/** `pods` ordered for deletion with their `ranks` (same indexes; a missing rank is 0). A new array. */
export function sortPodsForDeletion<P extends Pod>(pods: readonly P[], ranks: readonly number[], nowMs: number | undefined): P[] {
  const ranked: RankedPod<P>[] = pods.map((pod, i) => ({ pod, rank: ranks[i] ?? 0 }));
  ranked.sort(compareForDeletion(nowMs));
  return ranked.map((r) => r.pod);
}

/**
 * Per pod, how many active pods of `relatedPods` share its node (getPodsRankedByRelatedPodsOnSameNode's
 * ranks; unscheduled pods share the node ''). `relatedPods` should include `pods` themselves.
 */
export function ranksByRelatedPodsOnSameNode(pods: readonly Pod[], relatedPods: readonly Pod[]): number[] {
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    const node = pod.spec?.nodeName ?? '';
    if (isPodActive(pod)) podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0);
}

/** The pod's deletion cost annotation as an integer; 0 when absent or not an int32. */
export function podDeletionCost(pod: Pod): number {
  const value = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || !/^[-+]?\d+$/.test(value.trim())) return 0;
  const cost = Number(value.trim());
  return cost >= -2147483648 && cost <= 2147483647 ? cost : 0;
}

/** The highest restartCount among the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const status of pod.status?.containerStatuses ?? []) max = Math.max(max, status.restartCount ?? 0);
  return max;
}

/**
 * Whether the pod with time `ti` goes before the one with `tj` (the newer first); undefined when
 * they tie. Missing times are newest (afterOrZero). With `nowMs`, times within the same power-of-two
 * distance from now tie and are ordered by uid (logarithmicRankDiff).
 */
function newerFirst(ti: number | undefined, tj: number | undefined, pi: Pod, pj: Pod, nowMs: number | undefined): boolean | undefined {
  if (ti === tj) return undefined;
  if (ti === undefined || tj === undefined) return ti === undefined;
  if (nowMs === undefined) return ti > tj;
  const diff = logRank(nowMs - ti) - logRank(nowMs - tj);
  if (diff === 0) return (pi.metadata?.uid ?? '') < (pj.metadata?.uid ?? '');
  return diff < 0;
}

/** floor(log2(age in ns)), or -1 for an age that is not positive (upstream measures Durations in ns). */
function logRank(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}
