/**
 * @module
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go and
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity): the pod's spec.nodeSelector (every pair
 * must be a node label) and its required node affinity (any term, each the AND of its expressions
 * on labels and of its matchFields on metadata.name) filter nodes; preferred terms add their weights
 * to a node's score, normalized so the best node scores 100.
 */
import type { coreV1 } from '../../../api/types/index.js';
import type { DeepReadonly } from '../../../client/object.js';
import type { Node, Pod } from '../resources.js';
import type { NodeInfo } from '../node-info.js';
import { SUCCESS, type Status, unresolvable } from './status.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

type Term = DeepReadonly<coreV1.NodeSelectorTerm>;
type Requirement = DeepReadonly<coreV1.NodeSelectorRequirement>;

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0] ?? '', 10);
      if (!/^-?\d+$/.test(value) || Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A node selector term matches: it has some requirement, and all of them hold. */
export function termMatches(term: Term, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of expressions) if (!requirementMatches(r, labels[r.key])) return false;
  for (const r of fields) {
    if (r.key !== 'metadata.name') return false;
    if (!requirementMatches(r, node.metadata?.name)) return false;
  }
  return true;
}

/** GetRequiredNodeAffinity(pod).Match: nodeSelector and required node affinity, built once per pod. */
export class RequiredNodeAffinity {
  private readonly selector: readonly (readonly [string, string])[];
  private readonly terms: readonly Term[] | undefined;

  constructor(pod: Pod) {
    this.selector = Object.entries(pod.spec?.nodeSelector ?? {});
    this.terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  }

  get isEmpty(): boolean {
    return this.selector.length === 0 && this.terms === undefined;
  }

  matches(node: Node): boolean {
    const labels = node.metadata?.labels ?? {};
    for (const [k, v] of this.selector) if (labels[k] !== v) return false;
    if (this.terms === undefined) return true;
    return this.terms.some((t) => termMatches(t, node));
  }
}

export function nodeAffinityFilter(required: RequiredNodeAffinity, nodeInfo: NodeInfo): Status {
  const node = nodeInfo.node;
  if (node === undefined) return unresolvable(NODE_AFFINITY, 'node not found');
  return required.matches(node) ? SUCCESS : unresolvable(NODE_AFFINITY, ERR_REASON_POD);
}

/** The raw score: the sum of the weights of the preferred terms the node matches. */
export function preferredNodeAffinityScore(pod: Pod, nodeInfo: NodeInfo): number {
  const node = nodeInfo.node;
  if (node === undefined) return 0;
  let score = 0;
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (p.weight !== 0 && termMatches(p.preference, node)) score += p.weight;
  }
  return score;
}
