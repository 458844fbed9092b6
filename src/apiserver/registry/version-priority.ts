/**
 * @module
 * The order of API versions within a group, as Kubernetes sorts a CRD's versions for discovery
 * (apimachinery pkg/version/helpers.go, CompareKubeAwareVersionStrings): "Kube-like" versions (v,
 * a major number, optionally alpha or beta and a minor number) come first, GA before beta before
 * alpha, higher numbers first; other versions follow in lexical order. So v2, v1, v1beta2, v1alpha1,
 * foo1. The first version is the group's preferred one.
 */

const KUBE_LIKE = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/;
const STABILITY: Readonly<Record<string, number>> = { '': 2, beta: 1, alpha: 0 };

/** Negative when `a` sorts before `b`. */
export function compareVersions(a: string, b: string): number {
  const x = KUBE_LIKE.exec(a);
  const y = KUBE_LIKE.exec(b);
  if (x === null || y === null) {
    if (x !== null) return -1;
    if (y !== null) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = (STABILITY[y[2] ?? ''] ?? 0) - (STABILITY[x[2] ?? ''] ?? 0);
  if (stability !== 0) return stability;
  const major = Number(y[1]) - Number(x[1]);
  if (major !== 0) return major;
  return Number(y[3] ?? 0) - Number(x[3] ?? 0);
}
