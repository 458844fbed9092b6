/**
 * @module
 * The resource scores (pkg/scheduler/framework/plugins/noderesources least_allocated.go,
 * balanced_allocation.go, resource_allocation.go), cpu and memory weighted 1 each, 0..100:
 *
 * - NodeResourcesLeastAllocated: the share left free after placing the pod, per resource
 *   `(allocatable − requested) × 100 / allocatable` in integers, averaged. Requests here are the
 *   non-zero ones (a container without a request counts 100m cpu and 200 MiB).
 * - NodeResourcesBalancedAllocation: `(1 − std) × 100` of the requested fractions (each at most 1),
 *   with the pod's plain requests: nodes whose cpu and memory fill evenly score higher.
 */
import type { NodeInfo } from '../node-info.js';
import type { Resource } from '../resources.js';
import { MAX_NODE_SCORE } from './status.js';

function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(podNonZero: { readonly milliCPU: number; readonly memory: number }, nodeInfo: NodeInfo): number {
  const cpu = leastRequestedScore(nodeInfo.nonZeroRequested.milliCPU + podNonZero.milliCPU, nodeInfo.allocatable.milliCPU);
  const memory = leastRequestedScore(nodeInfo.nonZeroRequested.memory + podNonZero.memory, nodeInfo.allocatable.memory);
  return Math.floor((cpu + memory) / 2);
}

export function balancedAllocationScore(podRequest: Resource, nodeInfo: NodeInfo): number {
  const { allocatable, requested } = nodeInfo;
  // With cpu and memory only, the standard deviation of two fractions is half their difference; a
  // node without one of them has nothing to balance (std 0). No arrays: this runs for every node
  // scored for every pod.
  if (allocatable.milliCPU === 0 || allocatable.memory === 0) return MAX_NODE_SCORE;
  const cpu = Math.min(1, (requested.milliCPU + podRequest.milliCPU) / allocatable.milliCPU);
  const memory = Math.min(1, (requested.memory + podRequest.memory) / allocatable.memory);
  const std = Math.abs((cpu - memory) / 2);
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

/**
 * helper.DefaultNormalizeScore: scales raw scores so the largest is 100 (reversed: the largest is 0).
 * Only the first `length` scores count (all by default), so a caller may pass a reused buffer.
 */
export function defaultNormalizeScore(scores: number[], reverse: boolean, length = scores.length): void {
  let max = 0;
  for (let i = 0; i < length; i++) if ((scores[i] ?? 0) > max) max = scores[i] ?? 0;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE, 0, length);
    return;
  }
  for (let i = 0; i < length; i++) {
    const s = Math.floor(((scores[i] ?? 0) * MAX_NODE_SCORE) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}

