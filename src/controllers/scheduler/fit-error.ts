/**
 * @module
 * FitError: why no node fitted, in upstream's words (pkg/scheduler/framework/types.go FitError.Error).
 * The filter reasons are counted over the nodes and listed as `<count> <reason>`, sorted as strings.
 * That is the FitError's message; the scheduler appends the PostFilter's (preemption's) verdict with
 * upstream's SeparatorFormat " %v." (scheduler.ts), e.g.
 *
 *   0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
 *   2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
 *   scheduling, 2 No preemption victims found for incoming pod..
 */
import type { Rejection } from './plugins/status.js';

/** ErrNoNodesAvailable's message. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

export class FitError extends Error {
  override readonly name = 'FitError';

  constructor(
    readonly numAllNodes: number,
    /** Each rejected node's status (the Diagnosis' NodeToStatusMap). */
    readonly nodeToStatus: ReadonlyMap<string, Rejection>,
    /** A PreFilter's rejection (the Diagnosis' PreFilterMsg), which replaces the nodes' reasons. */
    preFilterMessage?: string,
  ) {
    super(preFilterMessage === undefined ? fitReasonsMessage(numAllNodes, nodeToStatus) : `0/${numAllNodes} nodes are available: ${preFilterMessage}.`);
  }

  /** A PreFilter rejected the pod: every node has its status. */
  static preFilter(nodeNames: readonly string[], rejection: Rejection): FitError {
    return new FitError(nodeNames.length, new Map(nodeNames.map((name) => [name, rejection])), rejection.reasons.join(', '));
  }

  /** The plugins that rejected some node, for the queue's re-queueing decisions. */
  get unschedulablePlugins(): Set<string> {
    return new Set([...this.nodeToStatus.values()].map((s) => s.plugin));
  }
}

function histogram(counts: Map<string, number>): string {
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

/**
 * `0/N nodes are available: <count> <reason>, ….` (FitError.Error without the PostFilter part): each
 * node's reasons counted, nodes absent from `nodeToStatus` counted under `absent`'s reasons.
 */
export function fitReasonsMessage(numAllNodes: number, nodeToStatus: ReadonlyMap<string, Rejection>, absent?: Rejection): string {
  const reasons = new Map<string, number>();
  for (const status of nodeToStatus.values()) {
    for (const reason of status.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const missing = numAllNodes - nodeToStatus.size;
  if (absent !== undefined && missing > 0) for (const reason of absent.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + missing);
  let message = `0/${numAllNodes} nodes are available:`;
  if (reasons.size > 0) message += ` ${histogram(reasons)}.`;
  return message;
}
