/**
 * @module
 * PodTopologySpread, DoNotSchedule constraints (pkg/scheduler/framework/plugins/podtopologyspread/
 * filtering.go). PreFilter counts, per constraint, the pods matching its selector in the pod's
 * namespace on each topology domain, over the nodes that could take the pod by its node affinity
 * and selector (nodeAffinityPolicy Honor, the default) and carry every constraint's key; the
 * smallest count is the domain minimum (0 when fewer domains than minDomains). Filter: placing the
 * pod in the node's domain must keep `count + self − minimum ≤ maxSkew`, where self is 1 when the pod
 * matches its own selector. A node without a constraint's key cannot take the pod at all.
 * The AddPod/RemovePod PreFilter extensions keep a state current as one pod at a time is placed or
 * removed (nominated pods, preemption's victims), without a recount.
 */
import { type LabelSelector, selectorFromLabelSelector } from '../../../api/labels.js';
import type { NodeInfo } from '../node-info.js';
import type { Node, Pod } from '../resources.js';
import type { RequiredNodeAffinity } from './node-affinity.js';
import { SUCCESS, type Status, unresolvable, unschedulable } from './status.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly minDomains: number;
  readonly selector: LabelSelector;
  readonly honorAffinity: boolean;
}

export interface TopologySpreadState {
  readonly constraints: readonly Constraint[];
  /** Per constraint: domain value → matching pods. */
  readonly counts: readonly Map<string, number>[];
  /** Per constraint: the smallest count over its domains (0 with fewer than minDomains domains). */
  readonly minimums: number[];
  /** Per constraint: whether the pod matches its own selector. */
  readonly selfMatch: readonly number[];
}

function constraintsOf(pod: Pod): Constraint[] {
  const out: Constraint[] = [];
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(c.labelSelector);
    } catch {
      continue;
    }
    // matchLabelKeys: the pod's own values of those keys narrow the selector.
    const extra = (c.matchLabelKeys ?? []).filter((k) => pod.metadata?.labels?.[k] !== undefined);
    if (extra.length > 0) {
      const base = selector;
      const labels = pod.metadata?.labels ?? {};
      selector = { ...base, matches: (l) => base.matches(l) && extra.every((k) => l?.[k] === labels[k]) };
    }
    out.push({ maxSkew: c.maxSkew, topologyKey: c.topologyKey, minDomains: c.minDomains ?? 1, selector, honorAffinity: c.nodeAffinityPolicy !== 'Ignore' });
  }
  return out;
}

/** PreFilter; undefined when the pod has no DoNotSchedule constraint. */
export function podTopologySpreadPreFilter(pod: Pod, required: RequiredNodeAffinity, nodes: Iterable<NodeInfo>): TopologySpreadState | undefined {
  const constraints = constraintsOf(pod);
  if (constraints.length === 0) return undefined;
  const namespace = pod.metadata?.namespace ?? '';
  const counts = constraints.map(() => new Map<string, number>());
  for (const nodeInfo of nodes) {
    const node = nodeInfo.node;
    if (node === undefined) continue;
    const labels = node.metadata?.labels ?? {};
    if (!constraints.every((c) => labels[c.topologyKey] !== undefined)) continue;
    let affinityChecked: boolean | undefined;
    constraints.forEach((c, i) => {
      if (c.honorAffinity) {
        affinityChecked ??= required.matches(node);
        if (!affinityChecked) return;
      }
      const value = labels[c.topologyKey] ?? '';
      let n = 0;
      for (const existing of nodeInfo.pods.values()) {
        const p = existing.pod;
        if ((p.metadata?.namespace ?? '') !== namespace || p.metadata?.deletionTimestamp !== undefined) continue;
        if (c.selector.matches(p.metadata?.labels)) n++;
      }
      const domain = counts[i] as Map<string, number>;
      domain.set(value, (domain.get(value) ?? 0) + n);
    });
  }
  const minimums = constraints.map((c, i) => domainMinimum(c, counts[i] as Map<string, number>));
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.metadata?.labels) ? 1 : 0));
  return { constraints, counts, minimums, selfMatch };
}

function domainMinimum(c: Constraint, domain: ReadonlyMap<string, number>): number {
  if (domain.size < c.minDomains) return 0;
  let min = Infinity;
  for (const v of domain.values()) if (v < min) min = v;
  return min === Infinity ? 0 : min;
}

/** Whether PreFilter counts pods on this node for constraint `c` (its domain is one of the pod's). */
function nodeCounts(state: TopologySpreadState, required: RequiredNodeAffinity, node: Node, c: Constraint): boolean {
  const labels = node.metadata?.labels ?? {};
  if (!state.constraints.every((x) => labels[x.topologyKey] !== undefined)) return false;
  return !c.honorAffinity || required.matches(node);
}

/** A copy whose counts can change without touching `state` (CycleState.Clone). */
export function cloneTopologySpreadState(state: TopologySpreadState): TopologySpreadState {
  return { constraints: state.constraints, counts: state.counts.map((m) => new Map(m)), minimums: [...state.minimums], selfMatch: state.selfMatch };
}

/**
 * The AddPod (delta 1) and RemovePod (delta −1) PreFilter extensions (updateWithPod): `existing`
 * placed on, or taken off, `nodeInfo` changes the counts and domain minimums as a new PreFilter
 * over the changed cluster would, counting by the same rules (same namespace, not terminating,
 * selector matches, an eligible node). `state` must be a clone. A minimum is recomputed only when
 * a domain at the minimum grows.
 */
export function podTopologySpreadUpdateWithPod(state: TopologySpreadState, incoming: Pod, required: RequiredNodeAffinity, existing: Pod, nodeInfo: NodeInfo, delta: 1 | -1): void {
  const node = nodeInfo.node;
  if (node === undefined) return;
  if ((existing.metadata?.namespace ?? '') !== (incoming.metadata?.namespace ?? '') || existing.metadata?.deletionTimestamp !== undefined) return;
  state.constraints.forEach((c, i) => {
    if (!c.selector.matches(existing.metadata?.labels) || !nodeCounts(state, required, node, c)) return;
    const domain = state.counts[i] as Map<string, number>;
    const value = node.metadata?.labels?.[c.topologyKey] ?? '';
    const before = domain.get(value);
    const after = (before ?? 0) + delta;
    domain.set(value, after);
    const min = state.minimums[i] ?? 0;
    if (before === undefined || domain.size < c.minDomains) state.minimums[i] = domainMinimum(c, domain);
    else if (after < min) state.minimums[i] = after;
    else if (before === min && after > before) state.minimums[i] = domainMinimum(c, domain);
  });
}

export function podTopologySpreadFilter(state: TopologySpreadState | undefined, nodeInfo: NodeInfo): Status {
  if (state === undefined) return SUCCESS;
  const labels = nodeInfo.node?.metadata?.labels ?? {};
  for (let i = 0; i < state.constraints.length; i++) {
    const c = state.constraints[i] as Constraint;
    const value = labels[c.topologyKey];
    if (value === undefined) return unresolvable(POD_TOPOLOGY_SPREAD, ERR_REASON_NODE_LABEL_NOT_MATCH);
    const count = state.counts[i]?.get(value) ?? 0;
    const skew = count + (state.selfMatch[i] ?? 0) - (state.minimums[i] ?? 0);
    if (skew > c.maxSkew) return unschedulable(POD_TOPOLOGY_SPREAD, ERR_REASON_CONSTRAINTS_NOT_MATCH);
  }
  return SUCCESS;
}
