/**
 * @module
 * Node health as the node lifecycle controller sees it (upstream
 * pkg/controller/nodelifecycle/node_lifecycle_controller.go: nodeHealthData, tryUpdateNodeHealth).
 * Liveness is judged by the controller's own clock, never by the kubelet's timestamps: each time the
 * controller observes a new Ready heartbeat (lastHeartbeatTime changed) or a renewed kube-node-lease
 * Lease (renewTime later than the last seen), it stamps `probeTimestamp = now`. When `now` passes
 * `probeTimestamp + grace` (nodeMonitorGracePeriod, or nodeStartupGracePeriod for a node that never
 * posted a Ready condition), Ready and the pressure conditions become Unknown with reason
 * NodeStatusUnknown ("Kubelet stopped posting node status."), or NodeStatusNeverUpdated when missing.
 *
 * Pure: `tryUpdateNodeHealth` returns the new health record and, when the stored status must change,
 * the node to write; the caller writes it and keeps the record.
 */
import type { coordinationV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { formatTime } from '../../api/time.js';

type Node = coreV1.Node;
type NodeCondition = coreV1.NodeCondition;

/** The conditions set to Unknown when a node goes silent (upstream's nodeConditionTypes). */
export const MONITORED_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** What the controller remembers of a node between passes (nodeHealthData). */
export interface NodeHealthData {
  /** When (controller clock) the controller last saw the node alive: a new heartbeat or renewal. */
  readonly probeTimestamp: number;
  /** When (controller clock) the controller saw Ready last change. */
  readonly readyTransitionTimestamp: number;
  /** The Ready condition as last observed; its heartbeat tells a new status post apart. */
  readonly readyCondition: DeepReadonly<NodeCondition> | undefined;
  /** The renewTime (ms) of the node's Lease as last observed. */
  readonly leaseRenewTime: number | undefined;
}

export interface NodeHealthOptions {
  readonly nodeMonitorGracePeriodMs: number;
  readonly nodeStartupGracePeriodMs: number;
}

export interface NodeHealthResult {
  readonly health: NodeHealthData;
  /** The Ready condition as stored when the pass began (Unknown, when the node never posted one). */
  readonly observedReady: DeepReadonly<NodeCondition>;
  /** The Ready condition after this pass: the observed one, or Unknown when the grace ran out. */
  readonly currentReady: DeepReadonly<NodeCondition> | undefined;
  /** The node with its conditions set to Unknown, to write through the status subresource. */
  readonly update: Node | undefined;
}

/** The condition of `type` on a node. */
export function getNodeCondition(node: DeepReadonly<Node>, type: string): DeepReadonly<NodeCondition> | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * One node's health check (tryUpdateNodeHealth): refreshes the probe timestamp from what is newly
 * observed on the node and its Lease, then, past the grace period, marks the conditions Unknown.
 */
export function tryUpdateNodeHealth(
  node: DeepReadonly<Node>,
  lease: DeepReadonly<coordinationV1.Lease> | undefined,
  saved: NodeHealthData | undefined,
  now: number,
  options: NodeHealthOptions,
): NodeHealthResult {
  const created = parseTime(node.metadata?.creationTimestamp) ?? now;
  const currentReady = getNodeCondition(node, 'Ready');
  let observedReady: DeepReadonly<NodeCondition>;
  let gracePeriodMs: number;
  let health: NodeHealthData;
  if (currentReady === undefined) {
    // The kubelet never posted status: measure from the node's creation, with the startup grace.
    const creation = node.metadata?.creationTimestamp ?? formatTime(created);
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: creation, lastTransitionTime: creation };
    gracePeriodMs = options.nodeStartupGracePeriodMs;
    health = saved ?? { probeTimestamp: created, readyTransitionTimestamp: created, readyCondition: undefined, leaseRenewTime: undefined };
  } else {
    observedReady = currentReady;
    gracePeriodMs = options.nodeMonitorGracePeriodMs;
    if (saved === undefined || saved.readyCondition === undefined) {
      health = { probeTimestamp: now, readyTransitionTimestamp: now, readyCondition: currentReady, leaseRenewTime: saved?.leaseRenewTime };
    } else if (saved.readyCondition.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
      const transitioned = saved.readyCondition.lastTransitionTime !== currentReady.lastTransitionTime;
      health = { probeTimestamp: now, readyTransitionTimestamp: transitioned ? now : saved.readyTransitionTimestamp, readyCondition: currentReady, leaseRenewTime: saved.leaseRenewTime };
    } else {
      health = saved;
    }
  }
  // A renewed Lease is a heartbeat too (KEP-589): it is what keeps a quiet node alive.
  const renewTime = parseTime(lease?.spec?.renewTime);
  if (renewTime !== undefined && (health.leaseRenewTime === undefined || health.leaseRenewTime < renewTime)) {
    health = { ...health, leaseRenewTime: renewTime, probeTimestamp: now };
  }

  if (!(now > health.probeTimestamp + gracePeriodMs)) return { health, observedReady, currentReady, update: undefined };

  const stamp = formatTime(now);
  const updated = structuredClone(node) as Node;
  const conditions = [...(updated.status?.conditions ?? [])];
  for (const type of MONITORED_CONDITION_TYPES) {
    const index = conditions.findIndex((c) => c.type === type);
    const condition = conditions[index];
    if (condition === undefined) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp ?? formatTime(created),
        lastTransitionTime: stamp,
      });
    } else if (condition.status !== 'Unknown') {
      conditions[index] = { ...condition, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: stamp };
    }
  }
  updated.status = { ...updated.status, conditions };
  const newReady = conditions.find((c) => c.type === 'Ready');
  if (newReady !== undefined && JSON.stringify(newReady) !== JSON.stringify(observedReady)) {
    return {
      health: { ...health, readyTransitionTimestamp: now, readyCondition: newReady },
      observedReady,
      currentReady: newReady,
      update: updated,
    };
  }
  return { health, observedReady, currentReady: newReady, update: undefined };
}
