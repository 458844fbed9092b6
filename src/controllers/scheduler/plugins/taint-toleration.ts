/**
 * @module
 * TaintToleration (pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go and
 * k8s.io/api core/v1 toleration.go): a node whose NoSchedule or NoExecute taint the pod does not
 * tolerate is filtered out; PreferNoSchedule taints the pod does not tolerate lower the node's score
 * (normalized in reverse: the node with the most scores 0).
 */
import type { coreV1 } from '../../../api/types/index.js';
import type { DeepReadonly } from '../../../client/object.js';
import type { NodeInfo } from '../node-info.js';
import { SUCCESS, type Status, unresolvable } from './status.js';

export const TAINT_TOLERATION = 'TaintToleration';

type Taint = DeepReadonly<coreV1.Taint>;
type Toleration = DeepReadonly<coreV1.Toleration>;

/** Toleration.ToleratesTaint. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  // The wire may carry an empty effect or key, meaning any.
  const effect: string = toleration.effect ?? '';
  if (effect !== '' && effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

export function taintTolerationFilter(tolerations: readonly Toleration[] | undefined, nodeInfo: NodeInfo): Status {
  for (const taint of nodeInfo.node?.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(tolerations, taint)) return unresolvable(TAINT_TOLERATION, `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }
  return SUCCESS;
}

/** The raw score: how many PreferNoSchedule taints the pod does not tolerate (normalized by the caller, reversed). */
export function intolerablePreferNoScheduleTaints(tolerations: readonly Toleration[] | undefined, nodeInfo: NodeInfo): number {
  const taints = nodeInfo.node?.spec?.taints;
  if (taints === undefined || taints.length === 0) return 0;
  // Only tolerations with an empty or PreferNoSchedule effect count here (getAllTolerationPreferNoSchedule).
  const relevant = (tolerations ?? []).filter((t) => (t.effect ?? '') === '' || t.effect === 'PreferNoSchedule');
  let count = 0;
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && !tolerates(relevant, taint)) count++;
  }
  return count;
}
