/**
 * @module
 * Running the filter plugins for one pod against one node (framework.RunFilterPlugins and
 * RunFilterPluginsWithNominatedPods, pkg/scheduler/framework/runtime/framework.go).
 *
 * A {@link PodContext} holds what the filters need from the pod and the whole cluster, computed once
 * per attempt (upstream's CycleState after PreFilter). Filters run in upstream's order and stop at a
 * node's first rejection.
 *
 * With nominated pods: pods nominated to the node with at least the pod's priority count there as
 * if already placed, and the pod must fit both with them and without them (the second pass matters
 * for pod affinity, which a nominated pod might satisfy only on paper). Nodes with no such pods pay
 * one map lookup, and none at all while nothing is nominated.
 */
import { type NodeInfo, type PodInfo, newPodInfo } from './node-info.js';
import type { PodNominator } from './nominator.js';
import { interPodAffinityFilter, interPodAffinityPreFilter } from './plugins/inter-pod-affinity.js';
import { RequiredNodeAffinity, nodeAffinityFilter } from './plugins/node-affinity.js';
import { nodeNameFilter } from './plugins/node-name.js';
import { nodeResourcesFitFilter } from './plugins/node-resources-fit.js';
import { nodeUnschedulableFilter } from './plugins/node-unschedulable.js';
import { podTopologySpreadFilter, podTopologySpreadPreFilter } from './plugins/pod-topology-spread.js';
import type { Status } from './plugins/status.js';
import { taintTolerationFilter } from './plugins/taint-toleration.js';
import { podPriority } from './priority.js';
import type { Pod } from './resources.js';

/** What one pod's filters need, computed once per attempt (upstream's CycleState). */
export interface PodContext {
  readonly pod: Pod;
  readonly info: PodInfo;
  readonly required: RequiredNodeAffinity;
  readonly interPodAffinity: ReturnType<typeof interPodAffinityPreFilter>;
  readonly topologySpread: ReturnType<typeof podTopologySpreadPreFilter>;
}

/** PreFilter: `nodes` is every node, `nodesWithAntiAffinity` those holding pods with required anti-affinity. */
export function newPodContext(pod: Pod, nodes: () => Iterable<NodeInfo>, nodesWithAntiAffinity: () => Iterable<NodeInfo>, info: PodInfo = newPodInfo(pod)): PodContext {
  const required = new RequiredNodeAffinity(pod);
  return {
    pod,
    info,
    required,
    interPodAffinity: interPodAffinityPreFilter(info, nodes(), nodesWithAntiAffinity()),
    topologySpread: podTopologySpreadPreFilter(pod, required, nodes()),
  };
}

/** Whether the context depends on other nodes' pods (pod affinity or spreading), so it goes stale when pods move. */
export function dependsOnOtherPods(ctx: PodContext): boolean {
  return ctx.interPodAffinity !== undefined || ctx.topologySpread !== undefined;
}

export function runFilters(ctx: PodContext, nodeInfo: NodeInfo): Status {
  const { pod } = ctx;
  let s = nodeUnschedulableFilter(pod, nodeInfo);
  if (s.code !== 'Success') return s;
  s = nodeNameFilter(pod, nodeInfo);
  if (s.code !== 'Success') return s;
  s = taintTolerationFilter(pod.spec?.tolerations, nodeInfo);
  if (s.code !== 'Success') return s;
  s = nodeAffinityFilter(ctx.required, nodeInfo);
  if (s.code !== 'Success') return s;
  s = nodeResourcesFitFilter(ctx.info.requests, nodeInfo);
  if (s.code !== 'Success') return s;
  s = podTopologySpreadFilter(ctx.topologySpread, nodeInfo);
  if (s.code !== 'Success') return s;
  return interPodAffinityFilter(ctx.interPodAffinity, nodeInfo);
}

/**
 * The node with the pods nominated to it that are at least as important as `pod` (other than the
 * pod itself) added (addGENominatedPods); undefined when there are none.
 */
export function withNominatedPods(pod: Pod, nodeInfo: NodeInfo, nominator: PodNominator | undefined): NodeInfo | undefined {
  if (nominator === undefined || nominator.size === 0 || nodeInfo.node === undefined) return undefined;
  let out: NodeInfo | undefined;
  const priority = podPriority(pod);
  const uid = pod.metadata?.uid;
  for (const nominated of nominator.nominatedPodsForNode(nodeInfo.name)) {
    if (podPriority(nominated.pod) < priority || nominated.pod.metadata?.uid === uid) continue;
    out ??= nodeInfo.clone();
    out.addPod(nominated);
  }
  return out;
}

/** RunFilterPluginsWithNominatedPods. */
export function runFiltersWithNominatedPods(ctx: PodContext, nodeInfo: NodeInfo, nominator: PodNominator | undefined): Status {
  const withNominated = withNominatedPods(ctx.pod, nodeInfo, nominator);
  if (withNominated === undefined) return runFilters(ctx, nodeInfo);
  const status = runFilters(ctx, withNominated);
  if (status.code !== 'Success') return status;
  return runFilters(ctx, nodeInfo);
}
