/**
 * @module
 * Pod priority as the scheduler reads it (k8s.io/component-helpers/scheduling/corev1 PodPriority,
 * pkg/scheduler/util/utils.go MoreImportantPod and GetPodStartTime): spec.priority, 0 when unset
 * (the API server's Priority admission fills it in from the PriorityClass).
 */
import type { Pod } from './resources.js';

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** When the pod started, ms since the epoch; a pod not started yet counts as starting now, after every started one (+Infinity). */
export function podStartTime(pod: Pod): number {
  const text = pod.status?.startTime;
  const t = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** MoreImportantPod: higher priority first; at equal priority the one that has run longer. */
export function moreImportantPod(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a) < podStartTime(b);
}

/** A comparator for Array.prototype.sort putting more important pods first. */
export function byImportance(a: Pod, b: Pod): number {
  if (moreImportantPod(a, b)) return -1;
  if (moreImportantPod(b, a)) return 1;
  return 0;
}
