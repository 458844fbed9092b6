/**
 * @module
 * DefaultPreemption's decisions, as pure functions over NodeInfos
 * (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
 * pkg/scheduler/framework/preemption/preemption.go):
 *
 * - {@link podEligibleToPreemptOthers}: not with preemptionPolicy Never, nor while a lower-priority
 *   pod the scheduler preempted is still terminating on the pod's nominated node.
 * - {@link selectVictimsOnNode}: remove every lower-priority pod; if the pod then fits, add them back
 *   one at a time, most important first — PDB-violating ones before the others — keeping each that
 *   still lets the pod fit (the "reprieve"); the rest are the victims, most important first.
 * - {@link dryRunPreemption}: victims per node from a random offset, until enough candidates
 *   ({@link calculateNumCandidates}: 10 % of the nodes, at least 100) with one not violating a PDB.
 * - {@link pickOneNodeForPreemption}: the candidate with the fewest PDB violations, then the lowest
 *   highest-priority victim, the lowest sum of priorities, the fewest victims, the latest start of
 *   its highest-priority victims, then the first.
 */
import { type LabelSelector, selectorFromLabelSelector } from '../../api/labels.js';
import type { policyV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import { type Rejection, type Status, unresolvable } from './plugins/status.js';
import { NO_VICTIMS } from './fit-error.js';
import { byImportance, podPriority, podStartTime } from './priority.js';
import type { Pod } from './resources.js';

/** minCandidateNodesPercentage and minCandidateNodesAbsolute, upstream's defaults. */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

/** v1.DisruptionTarget's reason when the scheduler preempts (v1.PodReasonPreemptionByScheduler). */
export const REASON_PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';

export interface Victims {
  /** Most important first. */
  readonly pods: readonly Pod[];
  readonly numPDBViolations: number;
}

export interface Candidate {
  readonly nodeName: string;
  readonly victims: Victims;
}

/**
 * The filters for the pod on one node while preemption takes pods off it and puts them back: a
 * per-node copy of the pod's filter state that follows each move (upstream's CycleState clone with
 * the RemovePod/AddPod PreFilter extensions), so a check costs the pods moved, not a recount.
 */
export interface NodeSimulation {
  /** `info` was just removed from `nodeInfo`. */
  removePod(info: PodInfo, nodeInfo: NodeInfo): void;
  /** `info` was just added to `nodeInfo`. */
  addPod(info: PodInfo, nodeInfo: NodeInfo): void;
  /** Whether the pod fits `nodeInfo` as it now is (the filters, with nominated pods). */
  fits(nodeInfo: NodeInfo): Status;
}

/** A PodDisruptionBudget as preemption reads it. */
export interface DisruptionBudget {
  readonly namespace: string;
  /** undefined for a nil or empty selector, which matches nothing. */
  readonly selector: LabelSelector | undefined;
  readonly disruptionsAllowed: number;
  /** Pods whose eviction the API server already counted. */
  readonly disruptedPods: ReadonlySet<string>;
}

export function disruptionBudget(pdb: DeepReadonly<policyV1.PodDisruptionBudget>): DisruptionBudget {
  const s = pdb.spec?.selector;
  const empty = s === undefined || s === null || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
  let selector: LabelSelector | undefined;
  if (!empty) {
    try {
      selector = selectorFromLabelSelector(s);
    } catch {
      selector = undefined; // an invalid selector matches no pod
    }
  }
  return { namespace: pdb.metadata?.namespace ?? '', selector, disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0, disruptedPods: new Set(Object.keys(pdb.status?.disruptedPods ?? {})) };
}

/** PodEligibleToPreemptOthers: undefined when eligible, else the reason. */
export function podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Rejection | undefined, nominatedNode: NodeInfo | undefined): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  if ((pod.status?.nominatedNodeName ?? '') === '') return undefined;
  // The nominated node no longer suits the pod at all: it may preempt elsewhere.
  if (nominatedNodeStatus?.code === 'UnschedulableAndUnresolvable') return undefined;
  if (nominatedNode === undefined) return undefined;
  const priority = podPriority(pod);
  for (const p of nominatedNode.pods.values()) {
    if (podPriority(p.pod) < priority && podTerminatingByPreemption(p.pod)) return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/** A pod being deleted that carries the DisruptionTarget condition preemption sets. */
export function podTerminatingByPreemption(pod: Pod): boolean {
  if (pod.metadata?.deletionTimestamp === undefined) return false;
  const c = pod.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  return c?.status === 'True' && c.reason === REASON_PREEMPTION_BY_SCHEDULER;
}

/** filterPodsWithPDBViolation: stable, so a sorted input gives sorted groups. */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly DisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const info of pods) {
    const labels = info.pod.metadata?.labels;
    let violated = false;
    if (labels !== undefined && Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== (info.pod.metadata?.namespace ?? '') || pdb.selector === undefined || !pdb.selector.matches(labels)) return;
        if (pdb.disruptedPods.has(info.pod.metadata?.name ?? '')) return;
        allowed[i] = (allowed[i] ?? 0) - 1;
        if ((allowed[i] ?? 0) < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(info);
  }
  return { violating, nonViolating };
}

export type VictimsOutcome = { readonly ok: true; readonly victims: Victims } | { readonly ok: false; readonly status: Rejection };

/** Whether the node holds a pod less important than `pod` (one preemption could evict). */
export function hasLowerPriorityPod(pod: Pod, nodeInfo: NodeInfo): boolean {
  const priority = podPriority(pod);
  for (const info of nodeInfo.pods.values()) if (podPriority(info.pod) < priority) return true;
  return false;
}

/**
 * SelectVictimsOnNode: the fewest pods of lower priority than `pod` whose removal lets it fit.
 * `nodeInfo` is not changed (a copy is worked on, and only when some pod is less important);
 * `simulation` follows every pod taken off or put back on that copy.
 */
export function selectVictimsOnNode(pod: Pod, nodeInfo: NodeInfo, simulation: NodeSimulation, pdbs: readonly DisruptionBudget[] = []): VictimsOutcome {
  const priority = podPriority(pod);
  const potential: PodInfo[] = [];
  for (const info of nodeInfo.pods.values()) if (podPriority(info.pod) < priority) potential.push(info);
  if (potential.length === 0) return { ok: false, status: unresolvable('DefaultPreemption', NO_VICTIMS) };
  const copy = nodeInfo.clone();
  for (const info of potential) {
    copy.removePod(info.key);
    simulation.removePod(info, copy);
  }
  const all = simulation.fits(copy);
  if (all.code !== 'Success') return { ok: false, status: all };
  potential.sort((a, b) => byImportance(a.pod, b.pod));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (info: PodInfo): boolean => {
    copy.addPod(info);
    simulation.addPod(info, copy);
    if (simulation.fits(copy).code === 'Success') return true;
    copy.removePod(info.key);
    simulation.removePod(info, copy);
    victims.push(info);
    return false;
  };
  for (const info of violating) if (!reprieve(info)) numPDBViolations++;
  for (const info of nonViolating) reprieve(info);
  if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => byImportance(a.pod, b.pod));
  return { ok: true, victims: { pods: victims.map((v) => v.pod), numPDBViolations } };
}

/** calculateNumCandidates: how many candidates the dry run looks for. */
export function calculateNumCandidates(numNodes: number, percentage = MIN_CANDIDATE_NODES_PERCENTAGE, absolute = MIN_CANDIDATE_NODES_ABSOLUTE): number {
  const n = Math.max(Math.floor((numNodes * percentage) / 100), absolute);
  return Math.min(n, numNodes);
}

export interface DryRunResult {
  /** Non-violating candidates first, then violating ones. */
  readonly candidates: readonly Candidate[];
  /** Why each node tried found no candidate. */
  readonly nodeStatuses: ReadonlyMap<string, Rejection>;
}

/**
 * DryRunPreemption over `potentialNodes`, walked from `offset`, stopping once `numCandidates` are
 * found (one of them non-violating). `simulate` is asked only for nodes holding a less important pod.
 */
export function dryRunPreemption(pod: Pod, potentialNodes: readonly NodeInfo[], offset: number, numCandidates: number, simulate: (nodeInfo: NodeInfo) => NodeSimulation, pdbs: readonly DisruptionBudget[] = []): DryRunResult {
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  const nodeStatuses = new Map<string, Rejection>();
  for (let i = 0; i < potentialNodes.length; i++) {
    const nodeInfo = potentialNodes[(offset + i) % potentialNodes.length];
    if (nodeInfo === undefined) continue;
    const outcome: VictimsOutcome = hasLowerPriorityPod(pod, nodeInfo) ? selectVictimsOnNode(pod, nodeInfo, simulate(nodeInfo), pdbs) : { ok: false, status: unresolvable('DefaultPreemption', NO_VICTIMS) };
    if (!outcome.ok) {
      nodeStatuses.set(nodeInfo.name, outcome.status);
      continue;
    }
    if (outcome.victims.pods.length === 0) {
      // The pod fits as the node is: nothing to preempt here (upstream treats it as an error).
      nodeStatuses.set(nodeInfo.name, unresolvable('DefaultPreemption', `expected at least one victim pod on node "${nodeInfo.name}"`));
      continue;
    }
    (outcome.victims.numPDBViolations === 0 ? nonViolating : violating).push({ nodeName: nodeInfo.name, victims: outcome.victims });
    if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
  }
  return { candidates: [...nonViolating, ...violating], nodeStatuses };
}

/** pickOneNodeForPreemption with upstream's default score functions, each breaking the previous one's ties. */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const highest = (c: Candidate): number => podPriority(c.victims.pods[0] ?? {});
  const scores: ((c: Candidate) => number)[] = [
    (c) => -c.victims.numPDBViolations,
    (c) => -highest(c),
    // MaxInt32+1 is added to each priority so that negative priorities still sum up as costs.
    (c) => -c.victims.pods.reduce((sum, p) => sum + podPriority(p) + 2 ** 31, 0),
    (c) => -c.victims.pods.length,
    (c) => earliestStartOfHighestPriority(c.victims.pods),
  ];
  let remaining = [...candidates];
  for (const score of scores) {
    let best = Number.NEGATIVE_INFINITY;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        selected = [c];
      } else if (s === best) {
        selected.push(c);
      }
    }
    if (selected.length === 1) return selected[0];
    remaining = selected;
  }
  return remaining[0];
}

/** GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
function earliestStartOfHighestPriority(pods: readonly Pod[]): number {
  const first = pods[0];
  if (first === undefined) return Number.NEGATIVE_INFINITY;
  const top = podPriority(first);
  let earliest = podStartTime(first);
  for (const p of pods) if (podPriority(p) === top) earliest = Math.min(earliest, podStartTime(p));
  return earliest;
}
