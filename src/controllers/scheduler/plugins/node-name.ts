/**
 * @module
 * NodeName filter (pkg/scheduler/framework/plugins/nodename/node_name.go): a pod that names its node
 * fits only that node.
 */
import type { NodeInfo } from '../node-info.js';
import type { Pod } from '../resources.js';
import { SUCCESS, type Status, unresolvable } from './status.js';

export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeNameFilter(pod: Pod, nodeInfo: NodeInfo): Status {
  const wanted = pod.spec?.nodeName;
  if (wanted === undefined || wanted === '' || wanted === nodeInfo.name) return SUCCESS;
  return unresolvable(NODE_NAME, ERR_REASON_NODE_NAME);
}
