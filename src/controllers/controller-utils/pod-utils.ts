/**
 * @module
 * Pod predicates controllers share: whether a pod is active, ready, available (upstream
 * pkg/controller/controller_utils.go IsPodActive / FilterActivePods / PodKey and
 * pkg/api/v1/pod/util.go IsPodReady / IsPodAvailable / GetPodReadyCondition).
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';

type Pod = DeepReadonly<coreV1.Pod>;
type PodCondition = DeepReadonly<coreV1.PodCondition>;

/** A pod counts toward its controller's replicas: not Succeeded, not Failed, not terminating. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata?.deletionTimestamp === undefined;
}

/** The active pods of `pods`, in order. */
export function filterActivePods<P extends Pod>(pods: readonly P[]): P[] {
  return pods.filter((pod) => isPodActive(pod));
}

/** A pod being deleted: it has a deletionTimestamp. */
export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

/** The pod's condition of `type`, if it has one. */
export function getPodCondition(pod: Pod, type: string): PodCondition | undefined {
  const conditions = pod.status?.conditions;
  if (conditions === undefined) return undefined;
  for (const condition of conditions) if (condition.type === type) return condition;
  return undefined;
}

/** The pod's Ready condition, if it has one. */
export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return getPodCondition(pod, 'Ready');
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/**
 * Ready, and Ready for at least `minReadySeconds` before `nowMs` (IsPodAvailable). With a
 * minReadySeconds of 0, ready is available; a Ready condition without a lastTransitionTime is never
 * available when minReadySeconds > 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(getPodReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** When the pod became Ready; undefined when it is not ready or the time is unknown (podReadyTime). */
export function podReadyTime(pod: Pod): number | undefined {
  if (!isPodReady(pod)) return undefined;
  return parseTime(getPodReadyCondition(pod)?.lastTransitionTime);
}

/** The `namespace/name` key expectations track pods by (PodKey). */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** An RFC 3339 time as epoch ms; undefined for a missing or unparseable one (a zero metav1.Time). */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
