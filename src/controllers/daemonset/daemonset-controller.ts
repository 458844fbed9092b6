/**
 * @module
 * The DaemonSet controller (upstream pkg/controller/daemon/daemon_controller.go and update.go): runs
 * one daemon pod on every node that should run one. A sync claims the DaemonSet's pods, groups them
 * by target node, and — once the expectations of its previous round are satisfied — creates the
 * missing pods (pinned to their node by a `metadata.name` node affinity, so the scheduler binds
 * them), deletes pods on nodes that no longer qualify (or no longer exist), failed pods and surplus
 * pods per node; then, for RollingUpdate, replaces pods of an old revision at most `maxUnavailable`
 * unavailable at a time; and finally writes the status.
 *
 * Each template is kept as a ControllerRevision (daemonset-history.ts), so `kubectl rollout history`
 * and `kubectl rollout undo` work; the DaemonSet claims its revisions as it claims its pods.
 *
 * Simplifications: maxSurge is ignored; failed pods are deleted without upstream's backoff.
 */
import { LabelSelectorError, selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { isNotFound } from '../../client/errors.js';
import type { Lister } from '../../client/cache/listers.js';
import { DeletedFinalStateUnknown, deletedObject, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Indexer } from '../../client/cache/thread-safe-store.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { UIDTrackingControllerExpectations } from '../controller-utils/expectations.js';
import { podControllerRefManager, recheckDeletionTimestamp } from '../controller-utils/controller-ref-manager.js';
import { type ControllerKind, getControllerOf, newControllerRef } from '../controller-utils/owner-refs.js';
import { type PodControl, RealPodControl } from '../controller-utils/pod-control.js';
import { addPodControllerUidIndexer, filterPodsByOwner } from '../controller-utils/pod-index.js';
import { isPodActive, isPodAvailable, podKey } from '../controller-utils/pod-utils.js';
import { ControllerRefManager } from '../controller-utils/controller-ref-manager.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../controller-utils/history.js';
import { newDaemonPodTemplate, nodeShouldRunDaemonPod, targetNodeName } from './daemon-util.js';
import { cleanupHistory, constructHistory, hashWithoutWriting, type HistoryWriters, revisionHash, type RevisionControl } from './daemonset-history.js';
import { calculateDaemonSetStatus, maxUnavailable, type NodePods, statusChanged } from './daemonset-status.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';

type DaemonSet = appsV1.DaemonSet;
type Pod = coreV1.Pod;
type Node = coreV1.Node;
type ControllerRevision = appsV1.ControllerRevision;

/** The kind a DaemonSet's controller references name. */
export const DAEMON_SET_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

/** Reads a DaemonSet fresh (before adopting) and writes its status. */
export interface DaemonSetClient {
  get(namespace: string, name: string): Promise<DaemonSet>;
  updateStatus(ds: DaemonSet): Promise<DaemonSet>;
}

export interface DaemonSetControllerOptions {
  readonly client: KubeClient;
  /** Gives the DaemonSet, Pod and Node informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different DaemonSets. @defaultValue 2 (ConcurrentDaemonSetSyncs) */
  readonly workers?: number;
  /** How pods are written. @defaultValue a {@link RealPodControl} over `client`, recording events */
  readonly podControl?: PodControl;
  /** @defaultValue over `client` */
  readonly daemonSetClient?: DaemonSetClient;
  /** How ControllerRevisions are written. @defaultValue over `client` */
  readonly revisionControl?: RevisionControl;
}

export class DaemonSetController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly podControl: PodControl;
  private readonly dsClient: DaemonSetClient;
  private readonly revisionControl: RevisionControl;
  private readonly historyWriters: HistoryWriters;
  private readonly revisionLister: Lister<ControllerRevision>;
  private readonly recorder: EventRecorder | undefined;
  private readonly dsLister: Lister<DaemonSet>;
  private readonly nodeLister: Lister<Node>;
  private readonly podIndexer: Indexer<Pod>;
  private readonly synced: (() => boolean)[];

  constructor(options: DaemonSetControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 2;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'daemonset', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.expectations = new UIDTrackingControllerExpectations({ clock: this.clock });
    if (options.podControl === undefined) {
      this.recorder = new EventRecorder({ client: options.client, source: { component: 'daemonset-controller' }, clock: this.clock, logger: this.logger });
    }
    this.podControl = options.podControl ?? new RealPodControl(options.client, this.recorder);
    this.dsClient = options.daemonSetClient ?? clientDaemonSets(options.client);
    this.revisionControl = options.revisionControl ?? clientRevisions(options.client);
    this.historyWriters = {
      revisions: this.revisionControl,
      daemonSets: this.dsClient,
      patchPod: (namespace, name, patch) => this.podControl.patchPod(namespace, name, patch),
    };

    const dsInformer = options.informers.typed('apps/v1/DaemonSet');
    const podInformer = options.informers.typed('v1/Pod');
    const nodeInformer = options.informers.typed('v1/Node');
    const revisionInformer = options.informers.typed('apps/v1/ControllerRevision');
    addPodControllerUidIndexer(podInformer.indexer);
    this.revisionLister = revisionInformer.lister();
    this.dsLister = dsInformer.lister();
    this.nodeLister = nodeInformer.lister();
    this.podIndexer = podInformer.indexer;
    const regs = [
      dsInformer.addEventHandler({
        onAdd: (ds) => this.enqueue(ds),
        onUpdate: (_old, cur) => this.enqueue(cur),
        onDelete: (obj) => this.deleteDS(obj),
      }),
      podInformer.addEventHandler({
        onAdd: (pod) => (pod.metadata?.deletionTimestamp !== undefined ? this.podGone(pod) : this.podAdded(pod)),
        onUpdate: (old, cur) => this.updatePod(old, cur),
        onDelete: (pod) => this.podGone(deletedObject(pod)),
      }),
      // Any node change may change where daemon pods belong; upstream filters, we resync every set.
      nodeInformer.addEventHandler({
        onAdd: () => this.enqueueAll(),
        onUpdate: (old, cur) => {
          if (old.metadata?.resourceVersion !== cur.metadata?.resourceVersion) this.enqueueAll();
        },
        onDelete: () => this.enqueueAll(),
      }),
      revisionInformer.addEventHandler({
        onAdd: (revision) => this.revisionChanged(revision, true),
        onUpdate: (old, cur) => {
          if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
          this.revisionChanged(old, false);
          this.revisionChanged(cur, true);
        },
        onDelete: (obj) => {
          const revision = deletedObject(obj);
          if (revision !== undefined) this.revisionChanged(revision, false);
        },
      }),
    ];
    this.synced = regs.map((r) => r.hasSynced);
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    await runWorkLoop({ name: 'daemonset', queue, synced, workers, clock, logger, sync: (key) => this.syncDaemonSet(key) }, signal);
    await this.recorder?.flush();
  }

  /** Brings the DaemonSet `key` (`namespace/name`) towards its spec and writes its status. */
  async syncDaemonSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ds = this.dsLister.namespace(namespace).get(name);
    if (ds === undefined) {
      this.expectations.deleteExpectations(key);
      return;
    }
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(ds.spec.selector);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      this.logger.error(`daemonset ${key}: invalid selector: ${error.message}`);
      return;
    }
    const pods = await this.claimPods(ds, selector);
    const revisions = await this.claimRevisions(ds, selector);
    const deleting = ds.metadata?.deletionTimestamp !== undefined;
    // A DaemonSet being deleted gets no new revision: the garbage collector is deleting them.
    const history = deleting ? undefined : await constructHistory(ds, DAEMON_SET_KIND, revisions, pods, this.historyWriters);
    const hash = history === undefined ? hashWithoutWriting(ds, revisions) : revisionHash(history.current);
    const byNode = this.nodesToDaemonPods(ds, pods);

    let manageError: unknown;
    if (history !== undefined && this.expectations.satisfiedExpectations(key)) {
      const { changed, error } = await this.manage(ds, byNode, hash);
      manageError = error;
      if (!changed && error === undefined && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        manageError = await this.rollingUpdate(ds, byNode, hash);
      }
      if (manageError === undefined) await cleanupHistory(ds, history.old, pods, this.revisionControl);
    }
    // Pods on nodes that are gone are deleted above, but count in no status field (as upstream).
    const status = calculateDaemonSetStatus(ds, byNode.filter((n) => n.exists), hash, this.clock.now());
    if (statusChanged(ds.status, status)) {
      const copy = structuredClone(ds) as DaemonSet;
      copy.status = status;
      await this.dsClient.updateStatus(copy);
    }
    if (manageError !== undefined) throw manageError;
    // Availability comes minReadySeconds after readiness, with no event of its own.
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable) this.queue.addAfter(key, minReady * 1000);
  }

  /** Whether the DaemonSet may adopt: read fresh, it is the same one and not being deleted (RecheckDeletionTimestamp). */
  private canAdopt(ds: DeepReadonly<DaemonSet>): () => Promise<void> {
    const namespace = ds.metadata?.namespace ?? '';
    const name = ds.metadata?.name ?? '';
    return recheckDeletionTimestamp(async () => {
      const fresh = await this.dsClient.get(namespace, name);
      if (fresh.metadata?.uid !== ds.metadata?.uid) throw new Error(`original DaemonSet ${namespace}/${name} is gone`);
      return fresh;
    });
  }

  private async claimPods(ds: DeepReadonly<DaemonSet>, selector: LabelSelector): Promise<DeepReadonly<Pod>[]> {
    const namespace = ds.metadata?.namespace ?? '';
    const canAdopt = this.canAdopt(ds);
    const candidates = filterPodsByOwner(this.podIndexer, { uid: ds.metadata?.uid ?? '', namespace }, true);
    const manager = podControllerRefManager(this.podControl, { controller: ds, selector, controllerKind: DAEMON_SET_KIND, canAdopt });
    const { claimed, errors } = await manager.claim(candidates);
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
    return claimed;
  }

  /** The ControllerRevisions the DaemonSet controls, adopting orphans its selector matches (controlledHistories). */
  private async claimRevisions(ds: DeepReadonly<DaemonSet>, selector: LabelSelector): Promise<DeepReadonly<ControllerRevision>[]> {
    const namespace = ds.metadata?.namespace ?? '';
    const canAdopt = this.canAdopt(ds);
    const manager = new ControllerRefManager<ControllerRevision>({
      controller: ds,
      selector,
      controllerKind: DAEMON_SET_KIND,
      canAdopt,
      patch: (ns, revision, patch) => this.revisionControl.patch(ns, revision, patch),
    });
    const { claimed, errors } = await manager.claim(this.revisionLister.namespace(namespace).list());
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
    return claimed;
  }

  /**
   * Every node with its verdict and active daemon pods (oldest first); plus, with shouldRun false,
   * each node that pods target but that no longer exists.
   */
  private nodesToDaemonPods(ds: DeepReadonly<DaemonSet>, pods: readonly DeepReadonly<Pod>[]): (NodePods & { exists: boolean; shouldContinueRunning: boolean; failed: DeepReadonly<Pod>[] })[] {
    const podsByNode = new Map<string, DeepReadonly<Pod>[]>();
    for (const pod of pods) {
      const node = targetNodeName(pod);
      if (node === undefined || pod.metadata?.deletionTimestamp !== undefined) continue;
      const list = podsByNode.get(node) ?? [];
      list.push(pod);
      podsByNode.set(node, list);
    }
    const result: (NodePods & { exists: boolean; shouldContinueRunning: boolean; failed: DeepReadonly<Pod>[] })[] = [];
    const split = (nodeName: string, exists: boolean, verdict: { shouldRun: boolean; shouldContinueRunning: boolean }) => {
      const all = (podsByNode.get(nodeName) ?? []).slice().sort(byCreation);
      podsByNode.delete(nodeName);
      result.push({ nodeName, exists, ...verdict, pods: all.filter(isPodActive), failed: all.filter((p) => p.status?.phase === 'Failed') });
    };
    for (const node of this.nodeLister.list()) split(node.metadata?.name ?? '', true, nodeShouldRunDaemonPod(node, ds));
    for (const gone of [...podsByNode.keys()]) split(gone, false, { shouldRun: false, shouldContinueRunning: false });
    return result;
  }

  /** Creates and deletes pods so each node runs exactly the daemon pods it should (manage). */
  private async manage(
    ds: DeepReadonly<DaemonSet>,
    nodes: readonly (NodePods & { shouldContinueRunning: boolean; failed: readonly DeepReadonly<Pod>[] })[],
    hash: string,
  ): Promise<{ changed: boolean; error: unknown }> {
    const toCreate: string[] = [];
    const toDelete: DeepReadonly<Pod>[] = [];
    for (const node of nodes) {
      if (node.shouldRun && node.pods.length === 0) toCreate.push(node.nodeName);
      if (node.shouldContinueRunning) {
        // Failed pods are replaced; of several running pods, the oldest stays.
        toDelete.push(...node.failed, ...node.pods.slice(1));
      } else {
        toDelete.push(...node.pods, ...node.failed);
      }
    }
    if (toCreate.length === 0 && toDelete.length === 0) return { changed: false, error: undefined };
    const key = metaNamespaceKeyFunc(ds);
    const namespace = ds.metadata?.namespace ?? '';
    this.expectations.expectCreations(key, toCreate.length);
    this.expectations.expectDeletions(key, toDelete.map(podKey));
    const controllerRef = newControllerRef(ds, DAEMON_SET_KIND);
    const results = await Promise.allSettled([
      ...toCreate.map(async (nodeName) => {
        try {
          await this.podControl.createPods(namespace, newDaemonPodTemplate(ds, nodeName, hash), ds, controllerRef);
        } catch (err) {
          this.expectations.creationObserved(key);
          throw err;
        }
      }),
      ...toDelete.map((pod) => this.deletePod(ds, pod)),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    return { changed: true, error: failed?.reason };
  }

  /**
   * Deletes pods of an old revision (rollingUpdate with maxSurge 0): unavailable ones at once, then
   * available ones while fewer than maxUnavailable nodes are without an available pod. Their
   * replacements are created by the next syncs' manage.
   */
  private async rollingUpdate(ds: DeepReadonly<DaemonSet>, nodes: readonly NodePods[], hash: string): Promise<unknown> {
    const minReady = ds.spec.minReadySeconds ?? 0;
    const now = this.clock.now();
    const running = nodes.filter((n) => n.shouldRun);
    const budget = maxUnavailable(ds, running.length);
    let unavailable = 0;
    const toDelete: DeepReadonly<Pod>[] = [];
    const candidates: DeepReadonly<Pod>[] = [];
    for (const node of running) {
      const [pod] = node.pods;
      if (pod === undefined) {
        unavailable++;
        continue;
      }
      const available = isPodAvailable(pod, minReady, now);
      if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) {
        if (!available) unavailable++;
      } else if (!available) {
        unavailable++;
        toDelete.push(pod);
      } else {
        candidates.push(pod);
      }
    }
    for (const pod of candidates) {
      if (unavailable >= budget) break;
      unavailable++;
      toDelete.push(pod);
    }
    if (toDelete.length === 0) return undefined;
    this.expectations.expectDeletions(metaNamespaceKeyFunc(ds), toDelete.map(podKey));
    const results = await Promise.allSettled(toDelete.map((pod) => this.deletePod(ds, pod)));
    return results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  }

  private async deletePod(ds: DeepReadonly<DaemonSet>, pod: DeepReadonly<Pod>): Promise<void> {
    try {
      await this.podControl.deletePod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', ds);
    } catch (err) {
      this.expectations.deletionObserved(metaNamespaceKeyFunc(ds), podKey(pod));
      if (!isNotFound(err)) throw err;
    }
  }

  // ---- informer handlers ----

  private enqueue(ds: DeepReadonly<DaemonSet>): void {
    this.queue.add(metaNamespaceKeyFunc(ds));
  }

  private enqueueAll(): void {
    for (const ds of this.dsLister.list()) this.enqueue(ds);
  }

  private deleteDS(obj: DeepReadonly<DaemonSet> | DeletedFinalStateUnknown<unknown>): void {
    const key = deletionHandlingMetaNamespaceKeyFunc(obj);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  private ownerOf(obj: DeepReadonly<Pod> | DeepReadonly<ControllerRevision>): DeepReadonly<DaemonSet> | undefined {
    const ref = getControllerOf(obj);
    if (ref?.kind !== DAEMON_SET_KIND.kind) return undefined;
    const ds = this.dsLister.namespace(obj.metadata?.namespace ?? '').get(ref.name);
    return ds?.metadata?.uid === ref.uid ? ds : undefined;
  }

  /** The DaemonSets whose selector matches an orphan pod or revision. */
  private selectingSets(obj: DeepReadonly<Pod> | DeepReadonly<ControllerRevision>): DeepReadonly<DaemonSet>[] {
    return this.dsLister.namespace(obj.metadata?.namespace ?? '').list().filter((ds) => {
      try {
        const selector = selectorFromLabelSelector(ds.spec.selector);
        return !selector.empty && selector.matches(obj.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  /** addHistory / updateHistory / deleteHistory: the owner syncs; an orphan that appeared, every set that may adopt it. */
  private revisionChanged(revision: DeepReadonly<ControllerRevision>, present: boolean): void {
    const owner = this.ownerOf(revision);
    if (owner !== undefined) this.enqueue(owner);
    else if (present && getControllerOf(revision) === undefined) for (const set of this.selectingSets(revision)) this.enqueue(set);
  }

  private podAdded(pod: DeepReadonly<Pod>): void {
    const ds = this.ownerOf(pod);
    if (ds !== undefined) {
      this.expectations.creationObserved(metaNamespaceKeyFunc(ds));
      this.enqueue(ds);
      return;
    }
    if (getControllerOf(pod) === undefined) for (const set of this.selectingSets(pod)) this.enqueue(set);
  }

  private updatePod(old: DeepReadonly<Pod>, cur: DeepReadonly<Pod>): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    if (cur.metadata?.deletionTimestamp !== undefined) {
      this.podGone(cur);
      return;
    }
    const oldOwner = this.ownerOf(old);
    if (oldOwner !== undefined) this.enqueue(oldOwner);
    const owner = this.ownerOf(cur);
    if (owner !== undefined) this.enqueue(owner);
    else if (getControllerOf(cur) === undefined) for (const set of this.selectingSets(cur)) this.enqueue(set);
  }

  private podGone(pod: DeepReadonly<Pod> | undefined): void {
    if (pod === undefined) return;
    const ds = this.ownerOf(pod);
    if (ds === undefined) return;
    const key = metaNamespaceKeyFunc(ds);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }
}

function byCreation(a: DeepReadonly<Pod>, b: DeepReadonly<Pod>): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

function clientDaemonSets(client: KubeClient): DaemonSetClient {
  const sets = client.typed('apps/v1/DaemonSet');
  return {
    get: (namespace, name) => sets.namespace(namespace).get(name),
    updateStatus: (ds) => sets.updateStatus(ds),
  };
}

function clientRevisions(client: KubeClient): RevisionControl {
  const revisions = client.typed('apps/v1/ControllerRevision');
  return {
    create: (revision) => revisions.create(revision),
    get: (namespace, name) => revisions.namespace(namespace).get(name),
    update: (revision) => revisions.update(revision),
    delete: async (namespace, name) => {
      try {
        await revisions.namespace(namespace).delete(name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    patch: async (namespace, name, patch) => {
      await revisions.namespace(namespace).patch(name, patch, 'strategic');
    },
  };
}
