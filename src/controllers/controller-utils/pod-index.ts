/**
 * @module
 * The pod index by controller (upstream pkg/controller/controller_utils.go PodControllerUIDIndex,
 * AddPodControllerUIDIndexer, OrphanPodIndexKeyForNamespace and FilterPodsByOwner). Each pod is
 * filed under its controller's uid, or, when it has none, under its namespace's orphan key — so a
 * controller reads the pods it owns plus the orphans it might adopt with two lookups instead of a
 * scan of the namespace.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { Indexers } from '../../client/cache/thread-safe-store.js';
import type { DeepReadonly } from '../../client/object.js';
import { getControllerOf } from './owner-refs.js';

type Pod = DeepReadonly<coreV1.Pod>;

/** The name of the index (upstream's PodControllerUIDIndex). */
export const POD_CONTROLLER_UID_INDEX = 'podControllerUID';

/** Prefix of the orphan keys; cannot collide with a uid. */
export const ORPHAN_POD_INDEX_KEY = '_ORPHAN_POD';

/** The index value of the pods without a controller in `namespace`. */
export function orphanPodIndexKeyForNamespace(namespace: string): string {
  return `${ORPHAN_POD_INDEX_KEY}/${namespace}`;
}

/** The index function: the controller's uid, or the namespace's orphan key. */
export function podControllerUidIndexFunc(pod: Pod): string[] {
  const ref = getControllerOf(pod);
  return [ref === undefined ? orphanPodIndexKeyForNamespace(pod.metadata?.namespace ?? '') : ref.uid];
}

/** The indexers to give a pod informer: `{ [POD_CONTROLLER_UID_INDEX]: podControllerUidIndexFunc }`. */
export const podControllerUidIndexers: Indexers<coreV1.Pod> = { [POD_CONTROLLER_UID_INDEX]: podControllerUidIndexFunc };

/**
 * Adds the index to a pod informer's indexer unless it is there already (AddPodControllerUIDIndexer),
 * so several controllers sharing one pod informer can each ask for it. Call before the informer starts.
 */
export function addPodControllerUidIndexer(indexer: { getIndexers(): Indexers<coreV1.Pod>; addIndexers(indexers: Indexers<coreV1.Pod>): void }): void {
  if (indexer.getIndexers()[POD_CONTROLLER_UID_INDEX] !== undefined) return;
  indexer.addIndexers(podControllerUidIndexers);
}

/** The slice of an Indexer this module reads. */
export interface PodIndexSource {
  byIndex(indexName: string, indexedValue: string): Pod[];
}

/**
 * The pods `owner` controls, plus, with `includeOrphans`, the pods of its namespace that no
 * controller owns (FilterPodsByOwner).
 */
export function filterPodsByOwner(pods: PodIndexSource, owner: { readonly uid: string; readonly namespace: string }, includeOrphans: boolean): Pod[] {
  const owned = pods.byIndex(POD_CONTROLLER_UID_INDEX, owner.uid);
  if (!includeOrphans) return owned;
  return [...owned, ...pods.byIndex(POD_CONTROLLER_UID_INDEX, orphanPodIndexKeyForNamespace(owner.namespace))];
}
