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
 * if already placed — on a copy of the node and of the context, whose pod affinity and spreading
 * counts take each of them in through the AddPod PreFilter extension (addGENominatedPods) — and the
 * pod must fit both with them and without them (the second pass matters for pod affinity, which a
 * nominated pod might satisfy only on paper). As upstream, a pod nominated to another node is not
 * counted, also when that node shares the topology domain. Nodes with no such pods pay one map
 * lookup, and none at all while nothing is nominated.
 *
 * {@link clonePodContext}, {@link addPodToContext} and {@link removePodFromContext} are
 * upstream's CycleState.Clone and RunPreFilterExtensionAddPod/RemovePod: preemption uses them to
 * try removing pods from a node at the cost of the pods moved, not of a recount of the cluster.
 */
import { type NodeInfo, type PodInfo, newPodInfo } from './node-info.js';
import type { PodNominator } from './nominator.js';
import { cloneInterPodAffinityState, interPodAffinityFilter, interPodAffinityPreFilter, interPodAffinityUpdateWithPod } from './plugins/inter-pod-affinity.js';
import { RequiredNodeAffinity, nodeAffinityFilter } from './plugins/node-affinity.js';
import { nodeNameFilter } from './plugins/node-name.js';
import { nodeResourcesFitFilter } from './plugins/node-resources-fit.js';
import { nodeUnschedulableFilter } from './plugins/node-unschedulable.js';
import { cloneTopologySpreadState, podTopologySpreadFilter, podTopologySpreadPreFilter, podTopologySpreadUpdateWithPod } from './plugins/pod-topology-spread.js';
import type { Status } from './plugins/status.js';
import { taintTolerationFilter } from './plugins/taint-toleration.js';
import { podPriority } from './priority.js';
import type { Pod } from './resources.js';

/** What one pod's filters need, computed once per attempt (upstream's CycleState). */
export interface PodContext {
  readonly pod: Pod;
  readonly info: PodInfo;
  readonly required: RequiredNodeAffinity;
  /** Replaced only on a clone, by {@link addPodToContext}. */
  interPodAffinity: ReturnType<typeof interPodAffinityPreFilter>;
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

/** A copy that {@link addPodToContext} and {@link removePodFromContext} may change (CycleState.Clone). */
export function clonePodContext(ctx: PodContext): PodContext {
  return {
    pod: ctx.pod,
    info: ctx.info,
    required: ctx.required,
    interPodAffinity: ctx.interPodAffinity === undefined ? undefined : cloneInterPodAffinityState(ctx.interPodAffinity),
    topologySpread: ctx.topologySpread === undefined ? undefined : cloneTopologySpreadState(ctx.topologySpread),
  };
}

/** RunPreFilterExtensionAddPod: `added` is now on `nodeInfo`. Only on a clone. */
export function addPodToContext(ctx: PodContext, added: PodInfo, nodeInfo: NodeInfo): void {
  updateWithPod(ctx, added, nodeInfo, 1);
}

/** RunPreFilterExtensionRemovePod: `removed` is no longer on `nodeInfo`. Only on a clone. */
export function removePodFromContext(ctx: PodContext, removed: PodInfo, nodeInfo: NodeInfo): void {
  updateWithPod(ctx, removed, nodeInfo, -1);
}

function updateWithPod(ctx: PodContext, changed: PodInfo, nodeInfo: NodeInfo, delta: 1 | -1): void {
  ctx.interPodAffinity = interPodAffinityUpdateWithPod(ctx.interPodAffinity, ctx.info, changed, nodeInfo, delta);
  if (ctx.topologySpread !== undefined) podTopologySpreadUpdateWithPod(ctx.topologySpread, ctx.pod, ctx.required, changed.pod, nodeInfo, delta);
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

/** What {@link nominatedPodsToAdd} answers for most nodes: shared, so the filter path allocates nothing. */
const NONE: readonly PodInfo[] = [];

/** The pods nominated to the node that are at least as important as `pod`, other than the pod itself. */
function nominatedPodsToAdd(pod: Pod, nodeInfo: NodeInfo, nominator: PodNominator | undefined): readonly PodInfo[] {
  if (nominator === undefined || nominator.size === 0 || nodeInfo.node === undefined) return NONE;
  let out: PodInfo[] | undefined;
  const priority = podPriority(pod);
  const uid = pod.metadata?.uid;
  for (const nominated of nominator.nominatedPodsForNode(nodeInfo.name)) {
    if (podPriority(nominated.pod) >= priority && nominated.pod.metadata?.uid !== uid) (out ??= []).push(nominated);
  }
  return out ?? NONE;
}

/** RunFilterPluginsWithNominatedPods, the nominated pods added as addGENominatedPods does. */
export function runFiltersWithNominatedPods(ctx: PodContext, nodeInfo: NodeInfo, nominator: PodNominator | undefined): Status {
  const nominated = nominatedPodsToAdd(ctx.pod, nodeInfo, nominator);
  if (nominated.length === 0) return runFilters(ctx, nodeInfo);
  const node = nodeInfo.clone();
  const state = clonePodContext(ctx);
  for (const info of nominated) {
    node.addPod(info);
    addPodToContext(state, info, node);
  }
  const status = runFilters(state, node);
  if (status.code !== 'Success') return status;
  return runFilters(ctx, nodeInfo);
}
