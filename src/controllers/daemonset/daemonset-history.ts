/**
 * @module
 * A DaemonSet's ControllerRevisions, which `kubectl rollout history daemonset/x` lists and `kubectl
 * rollout undo` applies (upstream pkg/controller/daemon/update.go constructHistory, dedupCurHistories,
 * snapshot, cleanupHistory, Match and getPatch).
 *
 * Each revision holds the patch that puts its pod template back, and is labelled with the template's
 * hash (ComputeHash with the DaemonSet's collisionCount), which is also the `controller-revision-hash`
 * of the pods made from it and the revision's name, `<daemonset>-<hash>`. The DaemonSet's own
 * annotations are copied onto the revision it creates, so `kubernetes.io/change-cause` shows in the
 * history. A sync finds the revision whose data matches the current template — or creates it, one
 * number above the other revisions — and a revision that matches again (a rollback) is renumbered
 * to the top. Revisions no pod uses are deleted, oldest first, beyond `revisionHistoryLimit`.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { isAlreadyExists } from '../../client/errors.js';
import type { DeepReadonly } from '../../client/object.js';
import { canonicalJson, computeHash } from '../controller-utils/hash.js';
import { CONTROLLER_REVISION_HASH_LABEL, nextRevision, sortControllerRevisions, templatePatch } from '../controller-utils/history.js';
import { newControllerRef, type ControllerKind } from '../controller-utils/owner-refs.js';

type DaemonSet = appsV1.DaemonSet;
type ControllerRevision = appsV1.ControllerRevision;
type Pod = coreV1.Pod;

/** How revisions are written (a ControllerRevision client in the controller; a recorder in tests). */
export interface RevisionControl {
  create(revision: ControllerRevision): Promise<ControllerRevision>;
  get(namespace: string, name: string): Promise<ControllerRevision>;
  update(revision: ControllerRevision): Promise<ControllerRevision>;
  delete(namespace: string, name: string): Promise<void>;
  /** A strategic merge patch (adopting or releasing a revision). */
  patch(namespace: string, name: string, patch: object): Promise<void>;
}

/** What constructing the history writes besides revisions. */
export interface HistoryWriters {
  readonly revisions: RevisionControl;
  /** Reads the DaemonSet fresh and writes its status (the collisionCount). */
  readonly daemonSets: {
    get(namespace: string, name: string): Promise<DaemonSet>;
    updateStatus(ds: DaemonSet): Promise<DaemonSet>;
  };
  /** Relabels a pod of a duplicate revision (a strategic merge patch). */
  readonly patchPod: (namespace: string, name: string, patch: object) => Promise<void>;
}

/** Match: a test of whether a revision holds the DaemonSet's current template (computed once for many revisions). */
export function templateMatcher(ds: DeepReadonly<DaemonSet>): (revision: DeepReadonly<ControllerRevision>) => boolean {
  const wanted = canonicalJson(templatePatch(ds.spec.template));
  return (revision) => canonicalJson(revision.data) === wanted;
}

/** The revision's hash label (the pods' controller-revision-hash), or its name for a revision without one. */
export function revisionHash(revision: DeepReadonly<ControllerRevision>): string {
  return revision.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? revision.metadata?.name ?? '';
}

/**
 * The hash a DaemonSet being deleted reports its pods against, without writing anything: that of
 * the revision matching its template, else the template's own.
 */
export function hashWithoutWriting(ds: DeepReadonly<DaemonSet>, revisions: readonly DeepReadonly<ControllerRevision>[]): string {
  const current = revisions.find(templateMatcher(ds));
  return current === undefined ? computeHash(ds.spec.template, ds.status?.collisionCount) : revisionHash(current);
}

/**
 * constructHistory: the current revision (found, deduplicated and renumbered, or created) and the
 * others. Throws after bumping the collisionCount on a hash collision, so the sync is retried with
 * the new count, as upstream.
 */
export async function constructHistory(
  ds: DeepReadonly<DaemonSet>,
  kind: ControllerKind,
  revisions: readonly DeepReadonly<ControllerRevision>[],
  pods: readonly DeepReadonly<Pod>[],
  writers: HistoryWriters,
): Promise<{ current: DeepReadonly<ControllerRevision>; old: DeepReadonly<ControllerRevision>[] }> {
  const currents: DeepReadonly<ControllerRevision>[] = [];
  const old: DeepReadonly<ControllerRevision>[] = [];
  const matches = templateMatcher(ds);
  for (const revision of revisions) (matches(revision) ? currents : old).push(revision);
  const top = nextRevision(old);
  if (currents.length === 0) return { current: await snapshot(ds, kind, top, writers), old };
  let current = await dedupCurrent(currents, pods, writers);
  if ((current.revision ?? 0) < top) current = await writers.revisions.update({ ...(structuredClone(current) as ControllerRevision), revision: top });
  return { current, old };
}

/** dedupCurHistories: keeps the newest of several matching revisions, moving pods of the others to it. */
async function dedupCurrent(currents: readonly DeepReadonly<ControllerRevision>[], pods: readonly DeepReadonly<Pod>[], writers: HistoryWriters): Promise<DeepReadonly<ControllerRevision>> {
  const sorted = sortControllerRevisions(currents);
  const keep = sorted[sorted.length - 1] as DeepReadonly<ControllerRevision>;
  const keepHash = revisionHash(keep);
  for (const duplicate of sorted.slice(0, -1)) {
    const duplicateHash = revisionHash(duplicate);
    for (const pod of pods) {
      if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== duplicateHash) continue;
      await writers.patchPod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: keepHash } } });
    }
    await writers.revisions.delete(duplicate.metadata?.namespace ?? '', duplicate.metadata?.name ?? '');
  }
  return keep;
}

/** snapshot: creates the revision of the current template, numbered `revision`. */
async function snapshot(ds: DeepReadonly<DaemonSet>, kind: ControllerKind, revision: number, writers: HistoryWriters): Promise<ControllerRevision> {
  const namespace = ds.metadata?.namespace ?? '';
  const hash = computeHash(ds.spec.template, ds.status?.collisionCount);
  const name = `${ds.metadata?.name ?? ''}-${hash}`;
  const created: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace,
      labels: { ...ds.spec.template.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(ds.metadata?.annotations === undefined ? {} : { annotations: { ...ds.metadata.annotations } }),
      ownerReferences: [newControllerRef(ds, kind)],
    },
    data: templatePatch(ds.spec.template),
    revision,
  };
  try {
    return await writers.revisions.create(created);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const existing = await writers.revisions.get(namespace, name);
    if (templateMatcher(ds)(existing)) return existing;
    // Another template hashed to the same name. Only a collisionCount that is not stale is bumped.
    const fresh = await writers.daemonSets.get(namespace, ds.metadata?.name ?? '');
    if ((fresh.status?.collisionCount ?? 0) !== (ds.status?.collisionCount ?? 0)) {
      throw new Error(`found a stale collision count of DaemonSet ${namespace}/${ds.metadata?.name ?? ''}; will retry once it is updated`);
    }
    fresh.status = { ...(fresh.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 }), collisionCount: (fresh.status?.collisionCount ?? 0) + 1 };
    await writers.daemonSets.updateStatus(fresh);
    throw error;
  }
}

/** cleanupHistory: deletes the oldest revisions no pod uses, beyond `revisionHistoryLimit` (default 10). */
export async function cleanupHistory(
  ds: DeepReadonly<DaemonSet>,
  old: readonly DeepReadonly<ControllerRevision>[],
  pods: readonly DeepReadonly<Pod>[],
  revisions: RevisionControl,
): Promise<void> {
  let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set<string>();
  for (const pod of pods) {
    const hash = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    if (hash !== undefined && hash !== '') live.add(hash);
  }
  for (const revision of sortControllerRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(revisionHash(revision))) continue;
    await revisions.delete(revision.metadata?.namespace ?? '', revision.metadata?.name ?? '');
    toKill--;
  }
}
