/**
 * @module
 * InterPodAffinity, required terms (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go).
 * PreFilter counts, once per pod, pods per topology pair (`key=value` of the nodes they run on):
 *
 * - existing pods whose required anti-affinity terms select the incoming pod, by their term's
 *   topology key (only nodes holding pods with anti-affinity are visited);
 * - existing pods matching all the incoming pod's affinity terms, by each term's key;
 * - existing pods matching each of its anti-affinity terms, by that term's key.
 *
 * Filter then reads the node's labels against those counts: affinity unmet is
 * UnschedulableAndUnresolvable; the incoming pod's anti-affinity, or an existing pod's, Unschedulable.
 * A pod whose affinity terms match no pod anywhere may still go where the topology keys exist if it
 * matches its own terms (the first pod of a group that wants to be together).
 *
 * The AddPod/RemovePod PreFilter extensions keep a state's counts current as one pod at a time is
 * placed or removed (nominated pods, preemption's victims), without a recount.
 */
import { type AffinityTerm, type NodeInfo, type PodInfo, termMatches } from '../node-info.js';
import { SUCCESS, type Status, unresolvable, unschedulable } from './status.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

export interface InterPodAffinityState {
  readonly pod: PodInfo;
  /** `key=value` → existing pods whose anti-affinity rejects the pod there. */
  readonly existingAntiAffinityCounts: Map<string, number>;
  readonly affinityCounts: Map<string, number>;
  readonly antiAffinityCounts: Map<string, number>;
}

const pair = (key: string, value: string): string => `${key}=${value}`;

/** Adds `delta` to the pair's count; a count back at 0 is dropped (satisfiesAffinity reads the map's size). */
function bump(counts: Map<string, number>, key: string, value: string | undefined, delta = 1): void {
  if (value === undefined) return;
  const p = pair(key, value);
  const n = (counts.get(p) ?? 0) + delta;
  if (n === 0) counts.delete(p);
  else counts.set(p, n);
}

/** PreFilter; undefined when nothing can reject (no terms here, and no existing pod with anti-affinity). */
export function interPodAffinityPreFilter(pod: PodInfo, nodes: Iterable<NodeInfo>, nodesWithAntiAffinity: Iterable<NodeInfo>): InterPodAffinityState | undefined {
  const state: InterPodAffinityState = { pod, existingAntiAffinityCounts: new Map(), affinityCounts: new Map(), antiAffinityCounts: new Map() };
  let any = false;
  for (const nodeInfo of nodesWithAntiAffinity) {
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    for (const existing of nodeInfo.podsWithRequiredAntiAffinity.values()) {
      for (const term of existing.requiredAntiAffinityTerms) {
        if (termMatches(term, pod.pod)) {
          bump(state.existingAntiAffinityCounts, term.topologyKey, labels[term.topologyKey]);
          any = true;
        }
      }
    }
  }
  const affinity = pod.requiredAffinityTerms;
  const anti = pod.requiredAntiAffinityTerms;
  if (affinity.length === 0 && anti.length === 0) return any ? state : undefined;
  for (const nodeInfo of nodes) {
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    for (const existing of nodeInfo.pods.values()) {
      if (affinity.length > 0 && affinity.every((t) => termMatches(t, existing.pod))) {
        for (const t of affinity) bump(state.affinityCounts, t.topologyKey, labels[t.topologyKey]);
      }
      for (const t of anti) if (termMatches(t, existing.pod)) bump(state.antiAffinityCounts, t.topologyKey, labels[t.topologyKey]);
    }
  }
  return state;
}

/** A copy whose counts can change without touching `state` (CycleState.Clone). */
export function cloneInterPodAffinityState(state: InterPodAffinityState): InterPodAffinityState {
  return { pod: state.pod, existingAntiAffinityCounts: new Map(state.existingAntiAffinityCounts), affinityCounts: new Map(state.affinityCounts), antiAffinityCounts: new Map(state.antiAffinityCounts) };
}

/**
 * The AddPod (delta 1) and RemovePod (delta −1) PreFilter extensions (updateWithPod): `existing`
 * placed on, or taken off, `nodeInfo` changes the counts exactly as a new PreFilter over the changed
 * cluster would, at the cost of that one pod. `state` must be a clone. Returns the state to use:
 * an absent one (nothing could reject) is created when an added pod's anti-affinity selects the
 * incoming pod.
 */
export function interPodAffinityUpdateWithPod(state: InterPodAffinityState | undefined, incoming: PodInfo, existing: PodInfo, nodeInfo: NodeInfo, delta: 1 | -1): InterPodAffinityState | undefined {
  const labels = nodeInfo.node?.metadata?.labels ?? {};
  let out = state;
  for (const term of existing.requiredAntiAffinityTerms) {
    if (!termMatches(term, incoming.pod)) continue;
    if (out === undefined) {
      if (delta < 0) continue; // not counted when the state was built: nothing to take back
      out = { pod: incoming, existingAntiAffinityCounts: new Map(), affinityCounts: new Map(), antiAffinityCounts: new Map() };
    }
    bump(out.existingAntiAffinityCounts, term.topologyKey, labels[term.topologyKey], delta);
  }
  // Without a state the incoming pod has no terms of its own: nothing more is counted.
  if (out === undefined) return undefined;
  const affinity = incoming.requiredAffinityTerms;
  if (affinity.length > 0 && affinity.every((t) => termMatches(t, existing.pod))) {
    for (const t of affinity) bump(out.affinityCounts, t.topologyKey, labels[t.topologyKey], delta);
  }
  for (const t of incoming.requiredAntiAffinityTerms) if (termMatches(t, existing.pod)) bump(out.antiAffinityCounts, t.topologyKey, labels[t.topologyKey], delta);
  return out;
}

function satisfiesAffinity(state: InterPodAffinityState, labels: Readonly<Record<string, string>>): boolean {
  const terms: readonly AffinityTerm[] = state.pod.requiredAffinityTerms;
  if (terms.length === 0) return true;
  let podsExist = true;
  for (const t of terms) {
    const value = labels[t.topologyKey];
    if (value === undefined) return false;
    if ((state.affinityCounts.get(pair(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // No pod matches anywhere: allowed when the pod would match its own terms.
  return state.affinityCounts.size === 0 && terms.every((t) => termMatches(t, state.pod.pod));
}

export function interPodAffinityFilter(state: InterPodAffinityState | undefined, nodeInfo: NodeInfo): Status {
  if (state === undefined) return SUCCESS;
  const labels = nodeInfo.node?.metadata?.labels ?? {};
  if (!satisfiesAffinity(state, labels)) return unresolvable(INTER_POD_AFFINITY, ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  for (const t of state.pod.requiredAntiAffinityTerms) {
    const value = labels[t.topologyKey];
    if (value !== undefined && (state.antiAffinityCounts.get(pair(t.topologyKey, value)) ?? 0) > 0) return unschedulable(INTER_POD_AFFINITY, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  }
  if (state.existingAntiAffinityCounts.size > 0) {
    for (const [key, value] of Object.entries(labels)) {
      if ((state.existingAntiAffinityCounts.get(pair(key, value)) ?? 0) > 0) return unschedulable(INTER_POD_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
  }
  return SUCCESS;
}
