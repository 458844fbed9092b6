/**
 * @module
 * Which of a ReplicaSet's pods go when it has too many (upstream
 * pkg/controller/replicaset/replica_set.go getPodsToDelete and
 * getPodsRankedByRelatedPodsOnSameNode): the pods are ranked by how many pods of related
 * ReplicaSets (those with the same controlling Deployment) share their node, so that a rollout's
 * scale-down spreads the survivors, and then ordered by the shared deletion ranking
 * (controller-utils/pod-ranking.ts): unscheduled, pending, not ready, cheap, doubled up, recently
 * ready, crashing and young pods go first.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { ranksByRelatedPodsOnSameNode, sortPodsForDeletion } from '../controller-utils/pod-ranking.js';

type Pod = DeepReadonly<coreV1.Pod>;

/** The first `diff` of `activePods` in deletion order; `relatedPods` only inform the ranks. */
export function getPodsToDelete(activePods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number): Pod[] {
  // Upstream skips the sort when every pod goes anyway.
  if (diff >= activePods.length) return [...activePods];
  const ranks = ranksByRelatedPodsOnSameNode(activePods, relatedPods);
  return sortPodsForDeletion(activePods, ranks, nowMs).slice(0, diff);
}
