/**
 * @module
 * Which nodes a DaemonSet's pods belong on, and how its pods are made (upstream
 * pkg/controller/daemon/daemon_controller.go NodeShouldRunDaemonPod / predicates, and
 * pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations,
 * ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName). A daemon pod carries upstream's
 * default tolerations, so not-ready, unreachable, pressured and cordoned nodes still run it; it is
 * pinned to its node by a required node affinity on `metadata.name`, so the scheduler places it.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { RequiredNodeAffinity } from '../scheduler/plugins/node-affinity.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../controller-utils/history.js';
import { tolerates } from '../scheduler/plugins/taint-toleration.js';

type DaemonSet = appsV1.DaemonSet;
type Pod = coreV1.Pod;
type Node = coreV1.Node;
type Toleration = coreV1.Toleration;


/** The tolerations every daemon pod gets (AddOrUpdateDaemonPodTolerations). */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const tolerations: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) tolerations.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return tolerations;
}

/** `tolerations` plus each default whose key and effect none of them has already (AddOrUpdateTolerationInPod). */
export function withDaemonPodTolerations(tolerations: readonly DeepReadonly<Toleration>[] | undefined, hostNetwork: boolean): Toleration[] {
  const result = (tolerations ?? []).map((t) => structuredClone(t) as Toleration);
  for (const def of daemonPodTolerations(hostNetwork)) {
    if (!result.some((t) => t.key === def.key && t.effect === def.effect)) result.push(def);
  }
  return result;
}

/**
 * The pod the DaemonSet would run on `nodeName` (NewPod + the create path's additions): the template
 * with the revision label, default tolerations, and a required node affinity naming only that node.
 */
export function newDaemonPodTemplate(ds: DeepReadonly<DaemonSet>, nodeName: string, hash: string): coreV1.PodTemplateSpec {
  const template = structuredClone(ds.spec.template) as coreV1.PodTemplateSpec;
  const spec: coreV1.PodSpec = template.spec ?? { containers: [] };
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } };
  spec.tolerations = withDaemonPodTolerations(spec.tolerations, spec.hostNetwork === true);
  spec.affinity = replaceNodeNameNodeAffinity(spec.affinity, nodeName);
  template.spec = spec;
  return template;
}

/**
 * The affinity with its required node terms replaced by one term `metadata.name In [nodeName]`
 * (ReplaceDaemonSetPodNodeNameNodeAffinity): the controller has already checked the other terms.
 */
export function replaceNodeNameNodeAffinity(affinity: coreV1.Affinity | undefined, nodeName: string): coreV1.Affinity {
  const term: coreV1.NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return {
    ...affinity,
    nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } },
  };
}

/**
 * The node a daemon pod is for (GetTargetNodeName): its spec.nodeName once bound, before that the
 * one node its `metadata.name` affinity names.
 */
export function targetNodeName(pod: DeepReadonly<Pod>): string | undefined {
  if (pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '') return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) return field.values[0];
    }
  }
  return undefined;
}

/** Whether a daemon pod should be created on a node, and whether an existing one may stay. */
export interface NodeShouldRun {
  readonly shouldRun: boolean;
  readonly shouldContinueRunning: boolean;
}

/**
 * NodeShouldRunDaemonPod: the pod fits the node's name (if the template names one), nodeSelector and
 * required node affinity, and tolerates its taints — every NoSchedule and NoExecute taint to be
 * started there, only the NoExecute ones to keep running. Unschedulable nodes qualify (the default
 * tolerations cover their taint; spec.unschedulable itself is not checked, as upstream).
 */
export function nodeShouldRunDaemonPod(node: DeepReadonly<Node>, ds: DeepReadonly<DaemonSet>): NodeShouldRun {
  const name = node.metadata?.name ?? '';
  const spec = ds.spec.template.spec;
  const fitsName = spec?.nodeName === undefined || spec.nodeName === '' || spec.nodeName === name;
  const fitsAffinity = new RequiredNodeAffinity({ spec: spec ?? { containers: [] } } as Pod).matches(node as Node);
  if (!fitsName || !fitsAffinity) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonPodTolerations(spec?.tolerations, spec?.hostNetwork === true);
  let shouldRun = true;
  let shouldContinueRunning = true;
  for (const taint of node.spec?.taints ?? []) {
    if (tolerates(tolerations, taint)) continue;
    if (taint.effect === 'NoSchedule') shouldRun = false;
    if (taint.effect === 'NoExecute') {
      shouldRun = false;
      shouldContinueRunning = false;
    }
  }
  return { shouldRun, shouldContinueRunning };
}
