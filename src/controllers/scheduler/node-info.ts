/**
 * @module
 * NodeInfo: one node and what the scheduler knows is placed on it — bound pods and assumed ones —
 * with the sums the filters and scores read kept up to date as pods come and go, so no plugin ever
 * re-adds a node's pods (pkg/scheduler/framework/types.go NodeInfo, PodInfo, AffinityTerm).
 *
 * A PodInfo parses a pod once: its requests and its required (anti-)affinity terms with their label
 * selectors, so that matching pods against terms in the filter pass costs no parsing.
 */
import { type LabelSelector, selectorFromLabelSelector } from '../../api/labels.js';
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { type Node, type Pod, type Resource, addResource, emptyResource, podNonZeroRequests, podRequests, resourceFromList } from './resources.js';

/** A required (anti-)affinity term, parsed (framework.AffinityTerm). */
export interface AffinityTerm {
  readonly topologyKey: string;
  /** The namespaces whose pods the term selects; `all` for an empty namespaceSelector. */
  readonly namespaces: ReadonlySet<string> | 'all';
  readonly selector: LabelSelector;
}

export interface PodInfo {
  readonly pod: Pod;
  readonly key: string;
  readonly requests: Resource;
  readonly nonZero: { readonly milliCPU: number; readonly memory: number };
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  const affinity = pod.spec?.affinity;
  return {
    pod,
    key: podKey(pod),
    requests: podRequests(pod),
    nonZero: podNonZeroRequests(pod),
    requiredAffinityTerms: parseTerms(pod, affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinityTerms: parseTerms(pod, affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
  };
}

function parseTerms(pod: Pod, terms: readonly DeepReadonly<coreV1.PodAffinityTerm>[] | undefined): AffinityTerm[] {
  if (terms === undefined) return [];
  const out: AffinityTerm[] = [];
  for (const term of terms) {
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(term.labelSelector);
    } catch {
      continue; // validation rejects such pods; a bad term selects nothing
    }
    // getNamespacesFromPodAffinityTerm: no namespaces and no namespaceSelector means the pod's own;
    // an empty namespaceSelector means all. A non-empty namespaceSelector would need the namespaces'
    // labels, which this scheduler does not watch: it adds no namespace.
    const selectorIsEmpty = term.namespaceSelector !== undefined && (term.namespaceSelector.matchLabels === undefined || Object.keys(term.namespaceSelector.matchLabels).length === 0) && (term.namespaceSelector.matchExpressions ?? []).length === 0;
    const namespaces: ReadonlySet<string> | 'all' = selectorIsEmpty
      ? 'all'
      : new Set(term.namespaces !== undefined && term.namespaces.length > 0 ? term.namespaces : term.namespaceSelector === undefined ? [pod.metadata?.namespace ?? ''] : []);
    out.push({ topologyKey: term.topologyKey, namespaces, selector });
  }
  return out;
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match. */
export function termMatches(term: AffinityTerm, pod: Pod): boolean {
  if (term.namespaces !== 'all' && !term.namespaces.has(pod.metadata?.namespace ?? '')) return false;
  return term.selector.matches(pod.metadata?.labels);
}

export class NodeInfo {
  node: Node | undefined;
  allocatable: Resource = emptyResource();
  /** Invariant: the sum of `pods`' requests, and a count of them in allowedPodNumber. */
  readonly requested: Resource = emptyResource();
  /** Invariant: the sum of `pods`' non-zero cpu and memory requests (what scoring uses). */
  readonly nonZeroRequested = { milliCPU: 0, memory: 0 };
  readonly pods = new Map<string, PodInfo>();
  /** The pods of `pods` that have required pod anti-affinity terms. */
  readonly podsWithRequiredAntiAffinity = new Map<string, PodInfo>();
  /** The pods of `pods` that have any required (anti-)affinity terms. */
  readonly podsWithAffinity = new Map<string, PodInfo>();
  /** Bumped on every change. */
  generation = 0;

  constructor(node?: Node) {
    if (node !== undefined) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable);
    this.generation++;
  }

  addPod(info: PodInfo): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, info);
    addResource(this.requested, info.requests);
    this.requested.allowedPodNumber++;
    this.nonZeroRequested.milliCPU += info.nonZero.milliCPU;
    this.nonZeroRequested.memory += info.nonZero.memory;
    if (info.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.set(info.key, info);
    if (info.requiredAffinityTerms.length > 0 || info.requiredAntiAffinityTerms.length > 0) this.podsWithAffinity.set(info.key, info);
    this.generation++;
  }

  /** A copy whose pod set can change without touching this one (NodeInfo.Snapshot); PodInfos are shared, being immutable. */
  clone(): NodeInfo {
    const copy = new NodeInfo();
    copy.node = this.node;
    copy.allocatable = this.allocatable;
    for (const info of this.pods.values()) copy.addPod(info);
    return copy;
  }

  /** Removes the pod; false if it was not here. */
  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (info === undefined) return false;
    this.pods.delete(key);
    addResource(this.requested, info.requests, -1);
    this.requested.allowedPodNumber--;
    this.nonZeroRequested.milliCPU -= info.nonZero.milliCPU;
    this.nonZeroRequested.memory -= info.nonZero.memory;
    this.podsWithRequiredAntiAffinity.delete(key);
    this.podsWithAffinity.delete(key);
    this.generation++;
    return true;
  }
}
