/**
 * @module
 * NodeUnschedulable filter (pkg/scheduler/framework/plugins/nodeunschedulable): a cordoned node
 * (spec.unschedulable) takes only pods that tolerate the node.kubernetes.io/unschedulable NoSchedule
 * taint.
 */
import type { NodeInfo } from '../node-info.js';
import type { Pod } from '../resources.js';
import { SUCCESS, type Status, unresolvable } from './status.js';
import { tolerates } from './taint-toleration.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

export function nodeUnschedulableFilter(pod: Pod, nodeInfo: NodeInfo): Status {
  if (nodeInfo.node?.spec?.unschedulable !== true) return SUCCESS;
  if (tolerates(pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return SUCCESS;
  return unresolvable(NODE_UNSCHEDULABLE, ERR_REASON_UNSCHEDULABLE);
}
