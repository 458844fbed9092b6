/**
 * @module
 * The ReplicaSet controller (upstream pkg/controller/replicaset/replica_set.go): keeps
 * `spec.replicas` active pods for each ReplicaSet. A sync claims the pods (own those the selector
 * matches, adopt matching orphans, release owned pods that stopped matching), then — only when the
 * expectations of its previous round are satisfied — creates the missing pods in slow-start batches
 * (at most `burstReplicas` a round) or deletes the surplus by rank, and finally writes the status.
 *
 * Informer handlers keep the expectations honest: each pod created is observed by its add, each pod
 * deleted by the deletionTimestamp update or the delete. The caller starts the informer factory
 * (as kube-controller-manager does); `run` waits for the caches, then runs the workers.
 *
 * One difference from upstream, for scale: a sync reads every pod of its ReplicaSet, so a large
 * ReplicaSet whose pods change all the time (thousands starting at once) would be synced once per
 * pod change, each sync a pass over thousands of pods. Pod changes that only move the status, and
 * the ReplicaSet's own status updates (its spec unchanged), are therefore batched, as upstream's Job controller batches its pod events (syncJobBatchPeriod):
 * `podBatchPeriodMs` per pod the ReplicaSet reports, at most `maxPodBatchMs` — under a millisecond,
 * which is no delay at all, for ReplicaSets of fewer than 100 pods. A pod event that satisfies the
 * expectations, so the next round of creates or deletes may start, is never delayed.
 */
import { LabelSelectorError, labelsEqual, selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import type { Lister } from '../../client/cache/listers.js';
import { DeletedFinalStateUnknown, deletedObject, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { type Indexer, NAMESPACE_INDEX } from '../../client/cache/thread-safe-store.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { UIDTrackingControllerExpectations } from '../controller-utils/expectations.js';
import { podControllerRefManager, recheckDeletionTimestamp } from '../controller-utils/controller-ref-manager.js';
import { type ControllerKind, getControllerOf, newControllerRef, sameOwnerReference } from '../controller-utils/owner-refs.js';
import { type PodControl, RealPodControl } from '../controller-utils/pod-control.js';
import { addPodControllerUidIndexer, filterPodsByOwner } from '../controller-utils/pod-index.js';
import { filterActivePods, isPodReady, podKey } from '../controller-utils/pod-utils.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../controller-utils/slow-start-batch.js';
import { getPodsToDelete } from './pods-to-delete.js';
import { calculateStatus, type ReplicaSetStatusClient, specReplicas, updateReplicaSetStatus } from './replica-set-status.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';

type ReplicaSet = appsV1.ReplicaSet;
type Pod = coreV1.Pod;

/** The kind a ReplicaSet's controller references name. */
export const REPLICA_SET_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** The batching of status-only pod events, per pod of the ReplicaSet, and its cap (see the module doc). */
export const POD_BATCH_PERIOD_PER_POD_MS = 0.01;
export const MAX_POD_BATCH_MS = 250;

/** Upstream's BurstReplicas: the most pods created or deleted in one sync. */
export const BURST_REPLICAS = 500;

/** The reads and writes of ReplicaSets a sync makes besides its cache: a fresh get, and status. */
export type ReplicaSetClient = ReplicaSetStatusClient;

export interface ReplicaSetControllerOptions {
  readonly client: KubeClient;
  /** Gives the ReplicaSet and Pod informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different ReplicaSets. @defaultValue 5 (ConcurrentRSSyncs) */
  readonly workers?: number;
  /** @defaultValue {@link BURST_REPLICAS} */
  readonly burstReplicas?: number;
  /** How pods are written. @defaultValue a {@link RealPodControl} over `client`, recording events */
  readonly podControl?: PodControl;
  /** How ReplicaSets are read fresh and their status written. @defaultValue over `client` */
  readonly replicaSetClient?: ReplicaSetClient;
}

export class ReplicaSetController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly burstReplicas: number;
  private readonly podControl: PodControl;
  private readonly rsClient: ReplicaSetClient;
  private readonly recorder: EventRecorder | undefined;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly podIndexer: Indexer<Pod>;
  private readonly synced: (() => boolean)[];

  constructor(options: ReplicaSetControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 5;
    this.burstReplicas = options.burstReplicas ?? BURST_REPLICAS;
    if (!(this.workers >= 1) || !(this.burstReplicas >= 1)) throw new Error('workers and burstReplicas must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'replicaset', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.expectations = new UIDTrackingControllerExpectations({ clock: this.clock });
    if (options.podControl === undefined) {
      this.recorder = new EventRecorder({ client: options.client, source: { component: 'replicaset-controller' }, clock: this.clock, logger: this.logger });
    }
    this.podControl = options.podControl ?? new RealPodControl(options.client, this.recorder);
    this.rsClient = options.replicaSetClient ?? clientReplicaSets(options.client);

    const rsInformer = options.informers.typed('apps/v1/ReplicaSet');
    const podInformer = options.informers.typed('v1/Pod');
    addPodControllerUidIndexer(podInformer.indexer);
    this.rsLister = rsInformer.lister();
    this.podIndexer = podInformer.indexer;
    const rsRegistration = rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => this.updateRS(old, cur),
      onDelete: (rs) => this.deleteRS(rs),
    });
    const podRegistration = podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (pod) => this.deletePod(deletedObject(pod)),
    });
    this.synced = [rsRegistration.hasSynced, podRegistration.hasSynced];
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    await runWorkLoop({ name: 'replicaset', queue, synced, workers, clock, logger, sync: (key) => this.syncReplicaSet(key) }, signal);
    await this.recorder?.flush();
  }

  /**
   * Brings the ReplicaSet `key` (`namespace/name`) towards its spec and writes its status. Throws the
   * error of a failed claim, create/delete round or status write, for the caller to retry.
   */
  async syncReplicaSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const rs = this.rsLister.namespace(namespace).get(name);
    if (rs === undefined) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rsNeedsSync = this.expectations.satisfiedExpectations(key);
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(rs.spec.selector);
    } catch (error) {
      // A selector the API server accepted cannot be invalid; retrying would not help.
      if (!(error instanceof LabelSelectorError)) throw error;
      this.logger.error(`replicaset ${key}: invalid selector: ${error.message}`);
      return;
    }
    // The pods it owns, and the orphans it may adopt; inactive ones neither count nor get adopted.
    const allRSPods = filterPodsByOwner(this.podIndexer, { uid: rs.metadata?.uid ?? '', namespace }, true);
    const activePods = await this.claimPods(rs, selector, filterActivePods(allRSPods));

    let manageError: unknown;
    if (rsNeedsSync && rs.metadata?.deletionTimestamp === undefined) manageError = await this.manageReplicas(activePods, rs);
    const newStatus = calculateStatus(rs, activePods, manageError, this.clock.now());
    const updated = await updateReplicaSetStatus(this.rsClient, rs, newStatus);
    // Resync after minReadySeconds as a last line of defense against a missed availability change.
    const minReadySeconds = updated.spec.minReadySeconds ?? 0;
    const replicas = specReplicas(updated);
    if (manageError === undefined && minReadySeconds > 0 && updated.status?.readyReplicas === replicas && updated.status.availableReplicas !== replicas) {
      this.queue.addAfter(key, minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  private async claimPods(rs: DeepReadonly<ReplicaSet>, selector: LabelSelector, pods: DeepReadonly<Pod>[]): Promise<DeepReadonly<Pod>[]> {
    const namespace = rs.metadata?.namespace ?? '';
    const name = rs.metadata?.name ?? '';
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = await this.rsClient.get(namespace, name);
      if (fresh.metadata?.uid !== rs.metadata?.uid) {
        throw new Error(`original ReplicaSet ${namespace}/${name} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${rs.metadata?.uid ?? ''}`);
      }
      return fresh;
    });
    const manager = podControllerRefManager(this.podControl, { controller: rs, selector, controllerKind: REPLICA_SET_KIND, canAdopt });
    const { claimed, errors } = await manager.claim(pods);
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
    return claimed;
  }

  /** Creates or deletes pods to reach spec.replicas; resolves to the round's first error, if any. */
  private async manageReplicas(activePods: readonly DeepReadonly<Pod>[], rs: DeepReadonly<ReplicaSet>): Promise<unknown> {
    const key = metaNamespaceKeyFunc(rs);
    const namespace = rs.metadata?.namespace ?? '';
    let diff = activePods.length - specReplicas(rs);
    if (diff < 0) {
      diff = Math.min(-diff, this.burstReplicas);
      // Creations are counted, not tracked by name: a created pod's name is known only afterwards.
      this.expectations.expectCreations(key, diff);
      const template = rs.spec.template ?? {};
      const controllerRef: OwnerReference = newControllerRef(rs, REPLICA_SET_KIND);
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPods(namespace, template, rs, controllerRef);
        } catch (err) {
          // Every create into a terminating namespace fails; there is nothing to retry.
          if (!hasStatusCause(err, 'NamespaceTerminating')) throw err;
        }
      });
      // The informer will never see the pods of the batches not started: stop waiting for them.
      for (let skipped = diff - successes; skipped > 0; skipped--) this.expectations.creationObserved(key);
      return error;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burstReplicas);
      const podsToDelete = getPodsToDelete(activePods, this.getIndirectlyRelatedPods(rs), diff, this.clock.now());
      // Expect these pods by key, so each counts once whether seen terminating, deleted, or both.
      this.expectations.expectDeletions(key, podsToDelete.map(podKey));
      const results = await Promise.allSettled(podsToDelete.map(async (pod) => {
        try {
          await this.podControl.deletePod(namespace, pod.metadata?.name ?? '', rs);
        } catch (err) {
          // The informer will not see a deletion that did not happen.
          this.expectations.deletionObserved(key, podKey(pod));
          if (!isNotFound(err)) throw err;
        }
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      return failed?.reason;
    }
    return undefined;
  }

  /** The pods of every ReplicaSet with the same controller as `rs` (getIndirectlyRelatedPods). */
  private getIndirectlyRelatedPods(rs: DeepReadonly<ReplicaSet>): DeepReadonly<Pod>[] {
    const controller = getControllerOf(rs);
    if (controller === undefined) return [];
    const namespace = rs.metadata?.namespace ?? '';
    const seen = new Set<string>();
    const related: DeepReadonly<Pod>[] = [];
    for (const other of this.rsLister.namespace(namespace).list()) {
      if (getControllerOf(other)?.uid !== controller.uid) continue;
      let selector: LabelSelector;
      try {
        selector = selectorFromLabelSelector(other.spec.selector);
      } catch {
        continue; // an invalid selector matches no pods
      }
      for (const pod of this.podIndexer.byIndex(NAMESPACE_INDEX, namespace)) {
        const uid = pod.metadata?.uid ?? '';
        if (!selector.matches(pod.metadata?.labels) || seen.has(uid)) continue;
        seen.add(uid);
        related.push(pod);
      }
    }
    return related;
  }

  // ---- informer handlers (addRS/updateRS/deleteRS, addPod/updatePod/deletePod upstream) ----

  private enqueue(rs: DeepReadonly<ReplicaSet>, afterMs = 0): void {
    const key = metaNamespaceKeyFunc(rs);
    if (afterMs > 0) this.queue.addAfter(key, afterMs);
    else this.queue.add(key);
  }

  private updateRS(old: DeepReadonly<ReplicaSet>, cur: DeepReadonly<ReplicaSet>): void {
    // A different uid under the same name: the old one was deleted; forget its expectations.
    if (old.metadata?.uid !== cur.metadata?.uid) this.deleteRS(old);
    // Its own status writes come back as updates too; like status-only pod changes, they are batched.
    if (old.metadata?.generation === cur.metadata?.generation && old.metadata?.uid === cur.metadata?.uid) this.enqueueForPod(cur, metaNamespaceKeyFunc(cur), false);
    else this.enqueue(cur);
  }

  private deleteRS(obj: DeepReadonly<ReplicaSet> | DeletedFinalStateUnknown<unknown>): void {
    const key = deletionHandlingMetaNamespaceKeyFunc(obj);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  /** The ReplicaSet `ref` names, if the cache holds it with that uid. */
  private resolveControllerRef(namespace: string, ref: DeepReadonly<OwnerReference>): DeepReadonly<ReplicaSet> | undefined {
    if (ref.kind !== REPLICA_SET_KIND.kind) return undefined;
    const rs = this.rsLister.namespace(namespace).get(ref.name);
    return rs !== undefined && rs.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** The ReplicaSets whose selector matches an orphan pod (getPodReplicaSets). */
  private getPodReplicaSets(pod: DeepReadonly<Pod>): DeepReadonly<ReplicaSet>[] {
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) return [];
    return this.rsLister.namespace(pod.metadata?.namespace ?? '').list().filter((rs) => {
      try {
        const selector = selectorFromLabelSelector(rs.spec.selector);
        return !selector.empty && selector.matches(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  private addPod(pod: DeepReadonly<Pod>): void {
    // A pod that shows up already terminating (e.g. after a restart) counts as a deletion.
    if (pod.metadata?.deletionTimestamp !== undefined) {
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref !== undefined) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (rs === undefined) return;
      const key = metaNamespaceKeyFunc(rs);
      const waiting = !this.expectations.satisfiedExpectations(key);
      this.expectations.creationObserved(key);
      this.enqueueForPod(rs, key, waiting && this.expectations.satisfiedExpectations(key));
      return;
    }
    // An orphan: wake every ReplicaSet that might adopt it.
    for (const rs of this.getPodReplicaSets(pod)) this.enqueue(rs);
  }

  private updatePod(old: DeepReadonly<Pod>, cur: DeepReadonly<Pod>): void {
    // A periodic resync: nothing changed.
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelChanged = !labelsEqual(old.metadata?.labels, cur.metadata?.labels);
    if (cur.metadata?.deletionTimestamp !== undefined) {
      // Graceful deletion started: the replacement should not wait for the pod to be gone.
      this.deletePod(cur);
      if (labelChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !sameOwnerReference(curRef, oldRef);
    if (refChanged && oldRef !== undefined) {
      const rs = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (rs !== undefined) this.enqueue(rs);
    }
    if (curRef !== undefined) {
      const rs = this.resolveControllerRef(cur.metadata?.namespace ?? '', curRef);
      if (rs === undefined) return;
      if (refChanged || labelChanged) this.enqueue(rs);
      else this.enqueueForPod(rs, metaNamespaceKeyFunc(rs), false);
      const minReadySeconds = rs.spec.minReadySeconds ?? 0;
      // Availability comes minReadySeconds after readiness, with no event of its own; one second
      // more covers clock skew (kubernetes#39785).
      if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) this.enqueue(rs, minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.getPodReplicaSets(cur)) this.enqueue(rs);
  }

  private deletePod(pod: DeepReadonly<Pod> | undefined): void {
    if (pod === undefined) return;
    const ref = getControllerOf(pod);
    if (ref === undefined) return; // no controller cares about an orphan's deletion
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (rs === undefined) return;
    const key = metaNamespaceKeyFunc(rs);
    const waiting = !this.expectations.satisfiedExpectations(key);
    this.expectations.deletionObserved(key, podKey(pod));
    this.enqueueForPod(rs, key, waiting && this.expectations.satisfiedExpectations(key));
  }

  /**
   * Enqueues `rs` for a change of one of its pods, or of its own status: at once when the change
   * just met its expectations (the next round of creates or deletes may start) or it is small;
   * otherwise batched with the changes of its other pods (module doc).
   */
  private enqueueForPod(rs: DeepReadonly<ReplicaSet>, key: string, expectationsJustMet: boolean): void {
    const delayMs = podChangeDelayMs(rs.status?.replicas ?? 0, expectationsJustMet);
    if (delayMs === 0) this.queue.add(key);
    else this.queue.addAfter(key, delayMs);
  }
}

/**
 * How long a sync for a change of one of its pods (or its own status) waits to be batched with the
 * next ones, for a ReplicaSet reporting `replicas` pods: none when the change just met its
 * expectations or the ReplicaSet is small (under 1 ms), else POD_BATCH_PERIOD_PER_POD_MS a pod up
 * to MAX_POD_BATCH_MS (see the module doc).
 */
export function podChangeDelayMs(replicas: number, expectationsJustMet: boolean): number {
  const batchMs = Math.min(MAX_POD_BATCH_MS, replicas * POD_BATCH_PERIOD_PER_POD_MS);
  return expectationsJustMet || batchMs < 1 ? 0 : batchMs;
}

/** Whether an API error's Status carries a cause with `reason` (apierrors.HasStatusCause). */
export function hasStatusCause(error: unknown, reason: string): boolean {
  return error instanceof ApiError && (error.details?.causes ?? []).some((cause) => cause.reason === reason);
}

/** The default {@link ReplicaSetClient}: the apps/v1 ReplicaSet client. */
function clientReplicaSets(client: KubeClient): ReplicaSetClient {
  const rss = client.typed('apps/v1/ReplicaSet');
  return {
    get: (namespace, name) => rss.namespace(namespace).get(name),
    updateStatus: (rs) => rss.updateStatus(rs),
  };
}
