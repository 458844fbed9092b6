/**
 * @module
 * The arithmetic and bookkeeping of rollouts (upstream
 * pkg/controller/deployment/util/deployment_util.go): maxSurge / maxUnavailable resolution,
 * revision and replica annotations, finding the new and old ReplicaSets, replica counts over
 * ReplicaSets, and the orderings the controller sorts by.
 */
import type { appsV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { equalIgnoreHash } from './pod-template-hash.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;
type RD = DeepReadonly<Deployment>;
type RRS = DeepReadonly<ReplicaSet>;

/** The revision of a ReplicaSet (and of its Deployment, the newest). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The earlier revisions a ReplicaSet had, comma-separated, when it was rolled back to. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** The Deployment's replicas when the ReplicaSet was last scaled for it. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** The Deployment's replicas plus maxSurge when the ReplicaSet was last scaled for it. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The reason of a change, which kubectl records and `rollout history` shows. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The longest revision-history annotation kept (maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
/** Go's MaxInt32: a progressDeadlineSeconds or revisionHistoryLimit that means "none". */
const MAX_INT32 = 2147483647;

/** Deployment annotations never copied to ReplicaSets (annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** spec.replicas with its default of 1. */
export function deploymentReplicas(d: RD): number {
  return d.spec.replicas ?? 1;
}

/** A ReplicaSet's spec.replicas (defaulted to 1 by the API server). */
export function rsReplicas(rs: RRS): number {
  return rs.spec.replicas ?? 1;
}

export function isRollingUpdate(d: RD): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * An int-or-percent scaled against `total` (intstr.GetScaledValueFromIntOrPercent): "25%" of 10 is
 * 3 rounding up, 2 rounding down. Throws for a string that is not a percentage.
 */
export function scaledValueFromIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(-?\d+)%$/.exec(value);
  if (match === null) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * maxSurge and maxUnavailable as numbers of pods for `desired` replicas (ResolveFenceposts): surge
 * rounds up, unavailability down, and when both come to 0 one pod may be unavailable, so that a
 * rollout can always make progress.
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** The pods a rolling update may run above the replicas; 0 for Recreate (MaxSurge). */
export function maxSurge(d: RD): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', deploymentReplicas(d)).surge;
}

/** The pods a rolling update may have unavailable, at most the replicas; 0 for Recreate (MaxUnavailable). */
export function maxUnavailable(d: RD): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', replicas);
  return Math.min(unavailable, replicas);
}

/** Whether a progress deadline applies (HasProgressDeadline): set and not MaxInt32. */
export function hasProgressDeadline(d: RD): boolean {
  const s = d.spec.progressDeadlineSeconds;
  return s !== undefined && s !== MAX_INT32;
}

/** Whether old ReplicaSets are cleaned up (HasRevisionHistoryLimit). */
export function hasRevisionHistoryLimit(d: RD): boolean {
  const l = d.spec.revisionHistoryLimit;
  return l !== undefined && l !== MAX_INT32;
}

/** The revision annotation as a number; 0 when absent, undefined when unparseable (Revision). */
export function revision(obj: { readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> } | undefined }): number | undefined {
  const value = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (value === undefined || value === '') return 0;
  return /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** The highest revision among `rss` (MaxRevision). */
export function maxRevision(rss: readonly RRS[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, revision(rs) ?? 0);
  return max;
}

function creationMs(rs: RRS): number {
  const t = Date.parse(rs.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** Oldest first, ties by name (ReplicaSetsByCreationTimestamp). */
export function byCreationTimestamp(a: RRS, b: RRS): number {
  return creationMs(a) - creationMs(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Lowest revision first, ties oldest first (ReplicaSetsByRevision). */
export function byRevision(a: RRS, b: RRS): number {
  return (revision(a) ?? 0) - (revision(b) ?? 0) || byCreationTimestamp(a, b);
}

/** Largest first, ties oldest first (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: RRS, b: RRS): number {
  return rsReplicas(b) - rsReplicas(a) || byCreationTimestamp(a, b);
}

/** Largest first, ties newest first (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: RRS, b: RRS): number {
  return rsReplicas(b) - rsReplicas(a) || byCreationTimestamp(b, a);
}

/** The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash (FindNewReplicaSet). */
export function findNewReplicaSet<T extends RRS>(d: RD, rsList: readonly T[]): T | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** Every ReplicaSet but the new one (FindOldReplicaSets' allOldRSs). */
export function findOldReplicaSets<T extends RRS>(d: RD, rsList: readonly T[]): T[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => newRS === undefined || rs.metadata?.uid !== newRS.metadata?.uid);
}

/** The ReplicaSets with replicas (FilterActiveReplicaSets). */
export function filterActiveReplicaSets<T extends RRS>(rss: readonly (T | undefined)[]): T[] {
  return rss.filter((rs): rs is T => rs !== undefined && rsReplicas(rs) > 0);
}

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export function replicaCount(rss: readonly (RRS | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs === undefined ? 0 : rsReplicas(rs)), 0);
}

/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export function actualReplicaCount(rss: readonly (RRS | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas (GetReadyReplicaCountForReplicaSets). */
export function readyReplicaCount(rss: readonly (RRS | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas (GetAvailableReplicaCountForReplicaSets). */
export function availableReplicaCount(rss: readonly (RRS | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

function intAnnotation(rs: RRS, key: string): number | undefined {
  const value = rs.metadata?.annotations?.[key];
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** The desired-replicas annotation (GetDesiredReplicasAnnotation). */
export function desiredReplicasAnnotation(rs: RRS): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

/** Sets the desired- and max-replicas annotations; true if either changed (SetReplicasAnnotations). */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata ??= {};
  const annotations = (rs.metadata.annotations ??= {});
  let updated = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    updated = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    updated = true;
  }
  return updated;
}

/** Whether the replicas annotations differ from these values (ReplicasAnnotationsNeedUpdate). */
export function replicasAnnotationsNeedUpdate(rs: RRS, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations;
  return a?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** Copies the Deployment's annotations (except the controller's own) to the ReplicaSet; true if any changed. */
function copyDeploymentAnnotationsToReplicaSet(d: RD, rs: ReplicaSet): boolean {
  rs.metadata ??= {};
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata?.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/**
 * Gives the new ReplicaSet the Deployment's annotations and `newRevision`; a ReplicaSet rolled back
 * to keeps its former revisions in revision-history, trimmed from the oldest to fit
 * {@link MAX_REV_HISTORY_LENGTH_IN_CHARS}. A ReplicaSet about to be created (`exists` false) also gets
 * the replicas annotations. True if anything changed (SetNewReplicaSetAnnotations).
 */
export function setNewReplicaSetAnnotations(d: RD, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const annotations = (rs.metadata ??= {}).annotations ?? {};
  rs.metadata.annotations = annotations;
  const oldRevision = annotations[REVISION_ANNOTATION];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) return false;
    oldRevisionInt = Number(oldRevision);
  }
  if (oldRevisionInt < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') {
        annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
      } else {
        const oldRevisions = history.split(',');
        let totalLength = history.length + oldRevision.length + 1;
        let start = 0;
        while (totalLength > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < oldRevisions.length) {
          totalLength -= (oldRevisions[start]?.length ?? 0) + 1;
          start++;
        }
        if (totalLength <= MAX_REV_HISTORY_LENGTH_IN_CHARS) {
          annotations[REVISION_HISTORY_ANNOTATION] = [...oldRevisions.slice(start), oldRevision].join(',');
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, deploymentReplicas(d), deploymentReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation; true if it changed (SetDeploymentRevision). */
export function setDeploymentRevision(d: Deployment, value: string): boolean {
  d.metadata ??= {};
  const annotations = (d.metadata.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === value) return false;
  annotations[REVISION_ANNOTATION] = value;
  return true;
}

/** The replicas the new ReplicaSet should scale to now (NewRSNewReplicas). */
export function newRSNewReplicas(d: RD, allRSs: readonly (RRS | undefined)[], newRS: RRS): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = scaledValueFromIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
  const current = replicaCount(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

/** The new ReplicaSet has all the replicas, all available, for the current spec (IsSaturated). */
export function isSaturated(d: RD, rs: RRS | undefined): boolean {
  if (rs === undefined) return false;
  const replicas = deploymentReplicas(d);
  return desiredReplicasAnnotation(rs) === replicas && rsReplicas(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** The only active ReplicaSet, or the newest if none is active; undefined if several are (FindActiveOrLatest). */
export function findActiveOrLatest<T extends RRS>(newRS: T | undefined, oldRSs: readonly T[]): T | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/**
 * How many of `toAdd` replicas (negative: removed) this ReplicaSet takes in a proportional scaling,
 * given `added` so far (GetReplicaSetProportion / getReplicaSetFraction).
 */
export function replicaSetProportion(rs: RRS | undefined, d: RD, toAdd: number, added: number): number {
  if (rs === undefined || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: RRS, d: RD): number {
  const replicas = rsReplicas(rs);
  if (deploymentReplicas(d) === 0) return -replicas;
  const deploymentMax = deploymentReplicas(d) + maxSurge(d);
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAwayFromZero((replicas * deploymentMax) / annotated) - replicas;
}

/** math.Round: halves away from zero (JavaScript's Math.round rounds -2.5 to -2). */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
