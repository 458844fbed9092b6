/**
 * @module
 * NodeResourcesFit filter (pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest): the
 * node must have room for one more pod, and for the pod's requests on top of what its pods already
 * request — cpu, memory, ephemeral storage and every other requested resource. Every shortfall is a
 * reason ("Too many pods", "Insufficient cpu", …); all are Unschedulable (preemption could free room).
 */
import type { NodeInfo } from '../node-info.js';
import type { Resource } from '../resources.js';
import { SUCCESS, type Status, unschedulable } from './status.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

/** The reasons the node cannot take a pod requesting `request`; empty when it can. */
export function insufficientResources(request: Resource, nodeInfo: NodeInfo): string[] {
  const reasons: string[] = [];
  const allocatable = nodeInfo.allocatable;
  const requested = nodeInfo.requested;
  if (nodeInfo.pods.size + 1 > allocatable.allowedPodNumber) reasons.push('Too many pods');
  if (request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && allZero(request.scalar)) return reasons;
  if (request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - requested.milliCPU) reasons.push('Insufficient cpu');
  if (request.memory > 0 && request.memory > allocatable.memory - requested.memory) reasons.push('Insufficient memory');
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  for (const [name, amount] of request.scalar) {
    if (amount === 0) continue;
    if (amount > (allocatable.scalar.get(name) ?? 0) - (requested.scalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

export function nodeResourcesFitFilter(request: Resource, nodeInfo: NodeInfo): Status {
  // Most nodes fit: decide without building the list of reasons, which only a misfit needs.
  if (fits(request, nodeInfo)) return SUCCESS;
  return unschedulable(NODE_RESOURCES_FIT, ...insufficientResources(request, nodeInfo));
}

/** Whether insufficientResources would find nothing, without allocating. */
function fits(request: Resource, nodeInfo: NodeInfo): boolean {
  const { allocatable, requested } = nodeInfo;
  if (nodeInfo.pods.size + 1 > allocatable.allowedPodNumber) return false;
  if (request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - requested.milliCPU) return false;
  if (request.memory > 0 && request.memory > allocatable.memory - requested.memory) return false;
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) return false;
  if (request.scalar.size === 0) return true;
  for (const [name, amount] of request.scalar) {
    if (amount > 0 && amount > (allocatable.scalar.get(name) ?? 0) - (requested.scalar.get(name) ?? 0)) return false;
  }
  return true;
}

function allZero(scalar: ReadonlyMap<string, number>): boolean {
  for (const v of scalar.values()) if (v !== 0) return false;
  return true;
}
