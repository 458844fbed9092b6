/**
 * @module
 * The taints the node lifecycle controller puts on unhealthy nodes and the toleration arithmetic of
 * taint-based eviction: upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go
 * (NotReadyTaintTemplate, UnreachableTaintTemplate), k8s.io/api core/v1 toleration.go
 * (ToleratesTaint), pkg/apis/core/v1/helper (GetMatchingTolerations) and
 * pkg/controller/tainteviction/taint_eviction.go (getMinTolerationTime).
 *
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds)
 * gives every pod a not-ready and an unreachable NoExecute toleration of 300 s. kubelite's API server
 * does the same, but a pod stored by another server may lack them, so {@link withDefaultTolerations}
 * supplies them on read with the controller's configured default.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';

type Taint = DeepReadonly<coreV1.Taint>;
type Toleration = DeepReadonly<coreV1.Toleration>;

/** v1.TaintNodeNotReady: the Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** v1.TaintNodeUnreachable: the Ready condition is Unknown (the node stopped reporting). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** The DefaultTolerationSeconds admission plugin's default. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** A NoExecute taint with `key`, stamped with the time it was added (as upstream's templates are). */
export function noExecuteTaint(key: string, addedAt: string): coreV1.Taint {
  return { key, effect: 'NoExecute', timeAdded: addedAt };
}

/** Whether `taints` has one with the key and effect of `template` (taintutils.TaintExists / MatchTaint). */
export function taintExists(taints: readonly Taint[] | undefined, template: { readonly key: string; readonly effect: string }): boolean {
  return (taints ?? []).some((t) => t.key === template.key && t.effect === template.effect);
}

/** The NoExecute taints of a node: those taint-based eviction acts on. */
export function noExecuteTaints(node: DeepReadonly<coreV1.Node>): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** Toleration.ToleratesTaint: effect, key and (for Equal) value match; an empty key with Exists matches all. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      // Lt and Gt are behind a feature gate upstream; an unknown operator tolerates nothing.
      return false;
  }
}

/**
 * GetMatchingTolerations: whether every taint is tolerated, and for each taint the first toleration
 * that tolerates it. When one taint is not tolerated the list is empty.
 */
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (match === undefined) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * getMinTolerationTime, in milliseconds: the shortest tolerationSeconds among `tolerations`; 0 when
 * there are none or one is zero or negative; -1 (forever) when none sets tolerationSeconds.
 */
export function getMinTolerationTimeMs(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Number.POSITIVE_INFINITY ? -1 : min * 1000;
}

/**
 * The pod's tolerations plus, for not-ready and unreachable, a NoExecute toleration of
 * `defaultSeconds` when the pod has none that would match (the admission plugin's rule: a toleration
 * with that key or an empty key, and effect NoExecute or empty).
 */
export function withDefaultTolerations(tolerations: readonly Toleration[] | undefined, defaultSeconds: number): Toleration[] {
  const own = tolerations ?? [];
  const covers = (key: string): boolean => own.some((t) => (t.key === key || t.key === undefined || t.key === '') && (t.effect === 'NoExecute' || t.effect === undefined));
  const added: Toleration[] = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]
    .filter((key) => !covers(key))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultSeconds }));
  return [...own, ...added];
}

/**
 * The NoSchedule taints that follow node conditions (upstream nodeConditionToTaintKeyStatusMap and
 * doNodeProcessingPassWorker; v1.TaintNodeUnschedulable for spec.unschedulable), so the scheduler
 * keeps new pods off an unhealthy node.
 */
const CONDITION_TAINTS: readonly { readonly type: string; readonly status: string; readonly key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NODE_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_NODE_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
];
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const MANAGED_NO_SCHEDULE = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_NODE_UNSCHEDULABLE]);
const MANAGED_NO_EXECUTE = new Set([TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]);

/**
 * The taints a node should carry given its conditions, or undefined when they are right already.
 * Taints the controller does not manage are kept as they are; taints it keeps keep their timeAdded.
 * NoExecute (processTaintBaseEviction): not-ready when Ready is False, unreachable when Unknown
 * (swapping one for the other), neither when True.
 */
export function reconcileNodeTaints(node: DeepReadonly<coreV1.Node>, now: string): coreV1.Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready')?.status;
  const wantNoExecute = ready === 'False' ? TAINT_NODE_NOT_READY : ready === 'Unknown' ? TAINT_NODE_UNREACHABLE : undefined;
  const wantNoSchedule = new Set(CONDITION_TAINTS.filter((c) => conditions.some((n) => n.type === c.type && n.status === c.status)).map((c) => c.key));
  if (node.spec?.unschedulable === true) wantNoSchedule.add(TAINT_NODE_UNSCHEDULABLE);

  const kept = current.filter((t) => {
    if (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key)) return t.key === wantNoExecute;
    if (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) return wantNoSchedule.has(t.key);
    return true;
  });
  const next: coreV1.Taint[] = kept.map((t) => structuredClone(t) as coreV1.Taint);
  for (const key of wantNoSchedule) if (!taintExists(kept, { key, effect: 'NoSchedule' })) next.push({ key, effect: 'NoSchedule' });
  if (wantNoExecute !== undefined && !taintExists(kept, { key: wantNoExecute, effect: 'NoExecute' })) next.push(noExecuteTaint(wantNoExecute, now));
  const changed = next.length !== current.length || kept.length !== current.length;
  return changed ? next : undefined;
}
