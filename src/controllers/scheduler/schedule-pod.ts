/**
 * @module
 * One scheduling attempt (pkg/scheduler/schedule_one.go schedulePod, findNodesThatFitPod,
 * prioritizeNodes, selectHost): prefilter once per pod (the VolumeBinding PreFilter first: a pod whose
 * claims are missing or unbound fits nowhere), filter nodes, ask the extenders, score, and
 * pick the best.
 *
 * The filter pass walks the cache's nodes round-robin from where the last attempt stopped and stops
 * once it has found numFeasibleNodesToFind nodes — all of them below 100 nodes, else
 * percentageOfNodesToScore percent (adaptive by default: 50 % less 1 % per 125 nodes, at least 5 %
 * and 100 nodes) — so a pod costs a bounded slice of a large cluster. Node sums come from the cache,
 * kept incrementally, so nothing here re-reads every pod except the pod (anti-)affinity and spread
 * prefilters, and only for pods that have such terms.
 *
 * A pod nominated to a node (by preemption) is first tried on that node alone and goes there if it
 * fits (evaluateNominatedNode). Filters (filter.ts) run in upstream's order and stop at a node's
 * first rejection; pods nominated to a node with at least this pod's priority count there. Scores, each 0..100, are
 * weighted as upstream's defaults: TaintToleration 3, NodeAffinity 2, NodeResourcesFit (least
 * allocated) 1, NodeResourcesBalancedAllocation 1; extenders add score × weight × 10.
 */
import type { SchedulerCache } from './cache.js';
import type { Extender } from './extender.js';
import { type PodContext, newPodContext, runFiltersWithNominatedPods } from './filter.js';
import { FitError, NO_NODES_AVAILABLE } from './fit-error.js';
import type { NodeInfo } from './node-info.js';
import type { PodNominator } from './nominator.js';
import { preferredNodeAffinityScore } from './plugins/node-affinity.js';
import { balancedAllocationScore, defaultNormalizeScore, leastAllocatedScore } from './plugins/resource-scores.js';
import type { Rejection } from './plugins/status.js';
import { intolerablePreferNoScheduleTaints } from './plugins/taint-toleration.js';
import type { Pod } from './resources.js';
import { BIND_CONFLICT, type VolumeLookup, selectedNodeOf, volumeBindingPreFilter } from './plugins/volume-binding.js';
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';

export interface ScheduleResult {
  readonly nodeName: string;
  /** Claims whose volume waits for the pod's node (WaitForFirstConsumer): named on them before the pod is bound. */
  readonly delayedClaims: readonly DeepReadonly<coreV1.PersistentVolumeClaim>[];
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
}

export interface GenericSchedulerOptions {
  /** Percent of nodes to find feasible before scoring; 0 is adaptive. @defaultValue 0 */
  readonly percentageOfNodesToScore?: number;
  readonly random?: () => number;
  readonly extenders?: readonly Extender[];
  /** Pods nominated to nodes, counted there when filtering less important pods. */
  readonly nominator?: PodNominator;
  /** Claims and StorageClasses, for the VolumeBinding PreFilter. @defaultValue none: pods' claims are not checked */
  readonly volumes?: VolumeLookup;
}

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** MaxNodeScore / MaxExtenderPriority. */
const EXTENDER_SCALE = 10;

/** numFeasibleNodesToFind. */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.floor(numAllNodes / 125));
  const numNodes = Math.floor((numAllNodes * percentage) / 100);
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, numNodes);
}

export class GenericScheduler {
  private readonly percentage: number;
  private readonly random: () => number;
  private readonly extenders: readonly Extender[];
  private readonly nominator: PodNominator | undefined;
  private readonly volumes: VolumeLookup | undefined;
  /** Where the next filter pass starts, so successive pods look at different nodes. */
  private nextStartNodeIndex = 0;
  /** Raw per-node scores of the plugins normalized over all nodes, reused by every pod's scoring. */
  private readonly scoreBuffers: { readonly taint: number[]; readonly affinity: number[]; readonly total: number[] } = { taint: [], affinity: [], total: [] };

  constructor(
    private readonly cache: SchedulerCache,
    options: GenericSchedulerOptions = {},
  ) {
    this.percentage = options.percentageOfNodesToScore ?? 0;
    if (this.percentage < 0 || this.percentage > 100) throw new RangeError('percentageOfNodesToScore must be within 0..100');
    this.random = options.random ?? Math.random;
    this.extenders = options.extenders ?? [];
    this.nominator = options.nominator;
    this.volumes = options.volumes;
  }

  /** Picks a node for the pod; throws a {@link FitError} when none fits, or an Error. */
  async schedule(pod: Pod): Promise<ScheduleResult> {
    const cache = this.cache;
    const numAll = cache.nodeCount;
    if (numAll === 0) throw new Error(NO_NODES_AVAILABLE);
    const volumes = this.volumes === undefined ? undefined : volumeBindingPreFilter(pod, this.volumes);
    if (volumes?.rejection !== undefined) throw FitError.preFilter(cache.nodeNames, volumes.rejection);
    const delayedClaims = volumes?.delayed ?? [];
    // A waiting claim already given a node (an earlier pod's, or an earlier attempt's) holds the pod there.
    const selectedNode = selectedNodeOf(delayedClaims);
    const ctx = newPodContext(pod, () => cache.nodeInfoList(), () => cache.nodesWithRequiredAntiAffinity());
    const diagnosis = new Map<string, Rejection>();
    // Most pods have no nomination: they pay one lookup, not a promise.
    const nominatedName = this.nominator?.nominatedNodeName(pod) ?? pod.status?.nominatedNodeName ?? '';
    const nominated = nominatedName === '' ? undefined : await this.evaluateNominatedNode(ctx, nominatedName, diagnosis);
    if (nominated !== undefined) return { nodeName: nominated, delayedClaims, evaluatedNodes: 1, feasibleNodes: 1 };
    const toFind = numFeasibleNodesToFind(numAll, this.percentage);
    // Sized once: grown by push, hundreds of nodes a pod would be copied over and over.
    let feasible = new Array<NodeInfo>(toFind);
    let found = 0;
    const names = cache.nodeNames;
    let processed = 0;
    for (; processed < numAll && found < toFind; processed++) {
      const index = (this.nextStartNodeIndex + processed) % numAll;
      const nodeInfo = cache.nodeInfoAt(index);
      if (nodeInfo?.node === undefined) continue;
      const status = selectedNode !== undefined && nodeInfo.name !== selectedNode ? BIND_CONFLICT : runFiltersWithNominatedPods(ctx, nodeInfo, this.nominator);
      if (status.code === 'Success') feasible[found++] = nodeInfo;
      else diagnosis.set(names[index] as string, status);
    }
    feasible.length = found;
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % numAll;

    if (this.extenders.length > 0) feasible = await this.findNodesThatPassExtenders(pod, feasible, diagnosis);

    if (feasible.length === 0) throw new FitError(numAll, diagnosis);
    const only = feasible[0];
    if (feasible.length === 1 && only !== undefined) return { nodeName: only.name, delayedClaims, evaluatedNodes: processed, feasibleNodes: 1 };
    // Without extenders the scores are chosen from at once, so they go to a buffer kept from pod to pod.
    const scores = this.extenders.length === 0 ? this.score(ctx, feasible, this.scoreBuffers.total) : await this.prioritizeWithExtenders(ctx, feasible);
    return { nodeName: this.selectHost(feasible, scores), delayedClaims, evaluatedNodes: processed, feasibleNodes: feasible.length };
  }

  /**
   * evaluateNominatedNode: a pod nominated to node `name` (by the nominator's record, set at once, or
   * its status.nominatedNodeName) is sent there if it passes the filters and extenders, before any other
   * node is looked at — the room preemption made for it is where it goes. Its rejection, if any,
   * is left in `diagnosis` (the full pass that follows overwrites it).
   */
  private async evaluateNominatedNode(ctx: PodContext, name: string, diagnosis: Map<string, Rejection>): Promise<string | undefined> {
    const nodeInfo = this.cache.nodeInfo(name);
    if (nodeInfo?.node === undefined) return undefined;
    const status = runFiltersWithNominatedPods(ctx, nodeInfo, this.nominator);
    if (status.code !== 'Success') {
      diagnosis.set(name, status);
      return undefined;
    }
    const feasible = await this.findNodesThatPassExtenders(ctx.pod, [nodeInfo], diagnosis);
    return feasible[0]?.name;
  }

  /** findNodesThatPassExtenders: each extender narrows the feasible nodes in turn; its rejections join `diagnosis`. */
  private async findNodesThatPassExtenders(pod: Pod, nodes: NodeInfo[], diagnosis: Map<string, Rejection>): Promise<NodeInfo[]> {
    let feasible = nodes;
    for (const extender of this.extenders) {
      if (feasible.length === 0) break;
      const result = await extender.filter(pod, feasible.map((n) => n.node).filter((n) => n !== undefined));
      if (result === undefined) continue; // ignorable and failed
      const kept = new Set(result.nodeNames);
      for (const [name, message] of result.failedAndUnresolvable) diagnosis.set(name, { code: 'UnschedulableAndUnresolvable', plugin: 'Extender', reasons: [message] });
      for (const [name, message] of result.failed) if (!diagnosis.has(name)) diagnosis.set(name, { code: 'Unschedulable', plugin: 'Extender', reasons: [message] });
      feasible = feasible.filter((n) => kept.has(n.name));
    }
    return feasible;
  }

  /** The plugins' weighted scores of `nodes`, written to the first `nodes.length` of `total`, which is returned. */
  private score(ctx: PodContext, nodes: readonly NodeInfo[], total: number[]): number[] {
    const n = nodes.length;
    const tolerations = ctx.pod.spec?.tolerations;
    // The two normalized plugins' raw scores go to buffers kept from pod to pod.
    const { taint, affinity } = this.scoreBuffers;
    for (let i = 0; i < n; i++) {
      const node = nodes[i] as NodeInfo;
      taint[i] = intolerablePreferNoScheduleTaints(tolerations, node);
      affinity[i] = preferredNodeAffinityScore(ctx.pod, node);
    }
    defaultNormalizeScore(taint, true, n);
    defaultNormalizeScore(affinity, false, n);
    for (let i = 0; i < n; i++) {
      const node = nodes[i] as NodeInfo;
      total[i] = 3 * (taint[i] ?? 0) + 2 * (affinity[i] ?? 0) + leastAllocatedScore(ctx.info.nonZero, node) + balancedAllocationScore(ctx.info.requests, node);
    }
    return total;
  }

  /** The plugins' scores plus the extenders' prioritize answers, weighted (in an array of its own: the extenders are awaited). */
  private async prioritizeWithExtenders(ctx: PodContext, nodes: readonly NodeInfo[]): Promise<number[]> {
    const total = this.score(ctx, nodes, new Array<number>(nodes.length));
    const index = new Map(nodes.map((n, i) => [n.name, i]));
    const lists = await Promise.all(this.extenders.map((e) => e.prioritize(ctx.pod, nodes.map((n) => n.node).filter((n) => n !== undefined))));
    lists.forEach((list, e) => {
      const weight = this.extenders[e]?.weight ?? 0;
      for (const { host, score } of list ?? []) {
        const i = index.get(host);
        if (i !== undefined) total[i] = (total[i] ?? 0) + score * weight * EXTENDER_SCALE;
      }
    });
    return total;
  }

  /**
   * The highest score; ties broken at random, each tied node equally likely. Upstream draws once per
   * tie as it goes (reservoir sampling); this counts the ties first and draws once, the same
   * distribution for one draw instead of hundreds when every node scores the same. A draw of 0 picks
   * the last tie, as reservoir sampling's draws of 0 would.
   */
  private selectHost(nodes: readonly NodeInfo[], scores: ArrayLike<number>): string {
    let best = -Infinity;
    let ties = 0;
    for (let i = 0; i < nodes.length; i++) {
      const s = scores[i] ?? 0;
      if (s > best) {
        best = s;
        ties = 1;
      } else if (s === best) {
        ties++;
      }
    }
    // The k-th tie from the end, k uniform in 0..ties-1.
    let skip = Math.min(ties - 1, Math.floor(this.random() * ties));
    for (let i = nodes.length - 1; i >= 0; i--) {
      if ((scores[i] ?? 0) !== best) continue;
      if (skip === 0) return nodes[i]?.name ?? '';
      skip--;
    }
    return '';
  }
}
