/**
 * @module
 * The preemption PostFilter over the scheduler's cache (pkg/scheduler/framework/preemption/
 * preemption.go Evaluator.Preempt and findCandidates, defaultpreemption PostFilter): run after a
 * FitError, it decides — without writing anything — whether the pod may preempt, on which node, and
 * whom. The scheduler then carries the decision out (prepareCandidate, scheduler.ts).
 *
 * Only nodes whose rejection was plain Unschedulable are tried (an UnschedulableAndUnresolvable one —
 * node affinity, an untolerated taint, another nodeName — cannot be helped by removing pods), and
 * nothing is computed when none of them holds a less important pod. Otherwise the PreFilters run
 * once over the cluster; each node tried gets a copy of that state which follows every pod taken
 * off or put back (the RemovePod/AddPod extensions), and runs the same filters as scheduling, with
 * the pods nominated to that node counted, on a copy of the node.
 *
 * Messages are upstream's, prefixed "preemption: " as the DefaultPreemption plugin does, e.g.
 * `preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for
 * incoming pod.`; a nomination carries no message.
 */
import type { SchedulerCache } from './cache.js';
import { type PodContext, addPodToContext, clonePodContext, newPodContext, removePodFromContext, runFiltersWithNominatedPods } from './filter.js';
import { type FitError, NO_VICTIMS, PREEMPTION_NOT_HELPFUL, fitReasonsMessage } from './fit-error.js';
import type { NodeInfo } from './node-info.js';
import type { PodNominator } from './nominator.js';
import { type Rejection, unresolvable } from './plugins/status.js';
import { type Candidate, type DisruptionBudget, type NodeSimulation, calculateNumCandidates, dryRunPreemption, hasLowerPriorityPod, pickOneNodeForPreemption, podEligibleToPreemptOthers } from './preemption.js';
import { podPriority } from './priority.js';
import type { Pod } from './resources.js';

export type PreemptionResult =
  /** Preempt `victims` on `nodeName` and nominate the pod there; `lowerPriorityNominated` lose their nomination to it. */
  | { readonly kind: 'Nominate'; readonly nodeName: string; readonly victims: readonly Pod[]; readonly lowerPriorityNominated: readonly Pod[] }
  /** No preemption. `clearNomination`: the pod's current nomination is void (no candidate anywhere). */
  | { readonly kind: 'Unschedulable'; readonly message: string; readonly clearNomination: boolean };

export interface PreemptionEvaluatorOptions {
  readonly cache: SchedulerCache;
  readonly nominator?: PodNominator;
  /** @defaultValue Math.random (the dry run's starting offset) */
  readonly random?: () => number;
  /** The PodDisruptionBudgets; @defaultValue none, every victim non-violating */
  readonly pdbs?: () => readonly DisruptionBudget[];
}

export class PreemptionEvaluator {
  private readonly cache: SchedulerCache;
  private readonly nominator: PodNominator | undefined;
  private readonly random: () => number;
  private readonly pdbs: () => readonly DisruptionBudget[];
  private built = 0;

  constructor(options: PreemptionEvaluatorOptions) {
    this.cache = options.cache;
    this.nominator = options.nominator;
    this.random = options.random ?? Math.random;
    this.pdbs = options.pdbs ?? (() => []);
  }

  /** How many times preemption has run the PreFilters over the cluster: at most once per preempt, never per node or victim. */
  get contextsBuilt(): number {
    return this.built;
  }

  /** Evaluator.Preempt for `pod` (its latest version) after `fit`. */
  preempt(pod: Pod, fit: FitError): PreemptionResult {
    const nominated = pod.status?.nominatedNodeName ?? '';
    const reason = podEligibleToPreemptOthers(pod, fit.nodeToStatus.get(nominated), nominated === '' ? undefined : this.cache.nodeInfo(nominated));
    if (reason !== undefined) return { kind: 'Unschedulable', message: `preemption: ${reason}`, clearNomination: false };

    const all = [...this.cache.nodeInfoList()];
    // nodesWherePreemptionMightHelp: rejected as Unschedulable (a node absent from the diagnosis was not rejected by a filter).
    const potential = all.filter((n) => fit.nodeToStatus.get(n.name)?.code !== 'UnschedulableAndUnresolvable');
    const candidates = this.findCandidates(pod, all, potential);
    if (candidates.candidates.length === 0) {
      const message = fitReasonsMessage(all.length, candidates.nodeStatuses, unresolvable('DefaultPreemption', PREEMPTION_NOT_HELPFUL));
      return { kind: 'Unschedulable', message: `preemption: ${message}`, clearNomination: true };
    }
    const best = pickOneNodeForPreemption(candidates.candidates);
    if (best === undefined) return { kind: 'Unschedulable', message: 'preemption: no candidate node for preemption', clearNomination: false };
    return { kind: 'Nominate', nodeName: best.nodeName, victims: best.victims.pods, lowerPriorityNominated: this.lowerPriorityNominatedPods(pod, best.nodeName) };
  }

  private findCandidates(pod: Pod, all: readonly NodeInfo[], potential: readonly NodeInfo[]): { candidates: readonly Candidate[]; nodeStatuses: ReadonlyMap<string, Rejection> } {
    // No less important pod anywhere: no victims, and no filter state to build (the common case).
    if (!potential.some((n) => hasLowerPriorityPod(pod, n))) {
      return { candidates: [], nodeStatuses: new Map(potential.map((n) => [n.name, unresolvable('DefaultPreemption', NO_VICTIMS)])) };
    }
    const offset = Math.floor(this.random() * potential.length) % potential.length;
    // PreFilter once over the whole cluster; each node tried gets a copy that follows its removals.
    const base = newPodContext(pod, () => all, () => this.cache.nodesWithRequiredAntiAffinity());
    this.built++;
    return dryRunPreemption(pod, potential, offset, calculateNumCandidates(potential.length), () => nodeSimulation(base, this.nominator), this.pdbs());
  }

  /** getLowerPriorityNominatedPods. */
  private lowerPriorityNominatedPods(pod: Pod, nodeName: string): Pod[] {
    if (this.nominator === undefined) return [];
    const priority = podPriority(pod);
    const out: Pod[] = [];
    for (const info of this.nominator.nominatedPodsForNode(nodeName)) {
      if (podPriority(info.pod) < priority && info.pod.metadata?.uid !== pod.metadata?.uid) out.push(info.pod);
    }
    return out;
  }
}

/**
 * The filters for the pod on one node while preemption moves pods (a copy of `base` per node, kept
 * current through the RemovePod/AddPod PreFilter extensions); nominated pods counted as when
 * scheduling.
 */
export function nodeSimulation(base: PodContext, nominator: PodNominator | undefined): NodeSimulation {
  const ctx = clonePodContext(base);
  return {
    removePod: (info, nodeInfo) => removePodFromContext(ctx, info, nodeInfo),
    addPod: (info, nodeInfo) => addPodToContext(ctx, info, nodeInfo),
    fits: (nodeInfo) => runFiltersWithNominatedPods(ctx, nodeInfo, nominator),
  };
}
