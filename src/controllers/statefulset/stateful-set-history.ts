/**
 * @module
 * A StatefulSet's ControllerRevisions (upstream pkg/controller/statefulset/stateful_set_control.go
 * ListRevisions / getStatefulSetRevisions / truncateHistory, and stateful_set_utils.go newRevision /
 * ApplyRevision). Each distinct pod template the set has had is one revision, named
 * `<set>-<hash>`; pods carry that name in their `controller-revision-hash` label, and the set's
 * status names its current and update revisions. `kubectl rollout history` lists these revisions
 * and `kubectl rollout undo` patches the set with one's data; the next sync then finds the equal,
 * older revision and renumbers it as the newest instead of creating a twin.
 *
 * Which revisions are the set's is decided by the controller, which claims them as it claims its
 * pods: those its controller reference names and whose labels match its selector, and orphans the
 * selector matches, adopted (upstream's AdoptOrphanRevisions).
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { isNotFound } from '../../client/errors.js';
import type { DeepReadonly } from '../../client/object.js';
import {
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  revisionTemplate,
  templatePatch,
  updateControllerRevision,
  type ControllerRevisionClient,
} from '../controller-utils/history.js';
import { STATEFUL_SET_KIND, podRevision } from './stateful-set-utils.js';

type StatefulSet = appsV1.StatefulSet;
type ControllerRevision = appsV1.ControllerRevision;
type Revision = DeepReadonly<ControllerRevision>;


/** spec.revisionHistoryLimit's default (apps/v1 SetDefaults_StatefulSet). */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;


/** newRevision: the revision `revision` of the set's template, carrying the set's annotations (kubectl's CHANGE-CAUSE). */
export function newRevision(set: DeepReadonly<StatefulSet>, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision(set, STATEFUL_SET_KIND, set.spec.template.metadata?.labels, templatePatch(set.spec.template), revision, collisionCount);
  const metadata = cr.metadata ?? {};
  cr.metadata = { ...metadata, annotations: { ...metadata.annotations, ...set.metadata?.annotations } };
  return cr;
}

/** ApplyRevision: the set with the pod template `revision` holds. Throws if the revision holds none. */
export function applyRevision(set: DeepReadonly<StatefulSet>, revision: Revision): DeepReadonly<StatefulSet> {
  const template = revisionTemplate(revision);
  if (template === undefined) throw new Error(`ControllerRevision ${revision.metadata?.name ?? ''} holds no pod template`);
  return { ...set, spec: { ...set.spec, template } };
}

export interface StatefulSetRevisions {
  /** The revision the pods below the partition are at (status.currentRevision). */
  readonly current: Revision;
  /** The revision of the set's template now (status.updateRevision). */
  readonly update: Revision;
  /** status.collisionCount after any name collision creating `update`. */
  readonly collisionCount: number;
}

/**
 * getStatefulSetRevisions: finds or makes the update revision — the newest revision if it holds the
 * set's template; else an older equal one, renumbered as the newest (a rollback); else a new one —
 * and finds the current revision by the name in the status, defaulting to the update revision.
 * `revisions` must be sorted oldest first.
 */
export async function getStatefulSetRevisions(client: ControllerRevisionClient, set: DeepReadonly<StatefulSet>, revisions: readonly Revision[]): Promise<StatefulSetRevisions> {
  const collisionCount = { value: set.status?.collisionCount ?? 0 };
  const candidate = newRevision(set, nextRevision(revisions), collisionCount.value);
  const equal = findEqualRevisions(revisions, candidate);
  const newest = revisions.at(-1);
  const lastEqual = equal.at(-1);
  let update: Revision;
  if (lastEqual !== undefined && newest !== undefined && equalRevision(newest, lastEqual)) {
    update = newest;
  } else if (lastEqual !== undefined) {
    update = await updateControllerRevision(client, lastEqual, candidate.revision ?? 0);
  } else {
    update = await createControllerRevision(client, set, candidate, collisionCount);
  }
  const currentName = set.status?.currentRevision;
  const current = revisions.find((revision) => revision.metadata?.name === currentName) ?? update;
  return { current, update, collisionCount: collisionCount.value };
}

/**
 * The revisions of a set being deleted, without writing any: the garbage collector is deleting
 * them, and making them again would race it. The update revision is the stored one holding the
 * set's template, else the one it would create (unsaved); the current one is named by the status.
 */
export function revisionsWithoutWriting(set: DeepReadonly<StatefulSet>, revisions: readonly Revision[]): StatefulSetRevisions {
  const collisionCount = set.status?.collisionCount ?? 0;
  const candidate = newRevision(set, nextRevision(revisions), collisionCount);
  const update = findEqualRevisions(revisions, candidate).at(-1) ?? candidate;
  const currentName = set.status?.currentRevision;
  const current = revisions.find((revision) => revision.metadata?.name === currentName) ?? update;
  return { current, update, collisionCount };
}

/**
 * truncateHistory: deletes the oldest revisions that are not live until at most
 * spec.revisionHistoryLimit of them remain. Live are the current and update revisions and every
 * revision a pod's label names. `revisions` must be sorted oldest first; a negative limit keeps all.
 */
export async function truncateHistory(
  client: ControllerRevisionClient,
  set: DeepReadonly<StatefulSet>,
  pods: readonly DeepReadonly<coreV1.Pod>[],
  revisions: readonly Revision[],
  live: { readonly current: Revision | undefined; readonly update: Revision | undefined },
): Promise<void> {
  const liveNames = new Set<string>();
  if (live.current?.metadata?.name !== undefined) liveNames.add(live.current.metadata.name);
  if (live.update?.metadata?.name !== undefined) liveNames.add(live.update.metadata.name);
  for (const pod of pods) {
    const name = podRevision(pod);
    if (name !== undefined) liveNames.add(name);
  }
  const history = revisions.filter((revision) => !liveNames.has(revision.metadata?.name ?? ''));
  const limit = set.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  if (limit < 0 || history.length <= limit) return;
  for (const revision of history.slice(0, history.length - limit)) {
    try {
      await client.namespace(revision.metadata?.namespace ?? '').delete(revision.metadata?.name ?? '');
    } catch (error) {
      // Gone already (another sync or the garbage collector): that is what was wanted.
      if (!isNotFound(error)) throw error;
    }
  }
}
