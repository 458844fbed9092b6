/**
 * @module
 * The StatefulSet controller (upstream pkg/controller/statefulset/stateful_set.go): watches
 * StatefulSets and their pods, and for each set claims the pods (adopting orphans its selector
 * matches, releasing owned pods that stopped matching), runs one round of
 * {@link updateStatefulSet} and writes the status. Pods have stable names, so no expectations are
 * needed: a create that races a stale cache fails with AlreadyExists and is ignored.
 *
 * Each sync also keeps the set's ControllerRevisions (stateful-set-history.ts): it reads them from
 * a ControllerRevision informer, finds or creates the update revision, names both revisions in the
 * status and trims the history to spec.revisionHistoryLimit; a set being deleted only reads them.
 * Orphaned revisions its selector matches are adopted, as its pods are. A change to a revision wakes the set
 * that controls it (upstream only waits for that informer's sync; the wake-up makes a revision
 * deleted or renumbered by hand be repaired at once).
 *
 * Not done: claims of a pending pod deleted by hand are not created again, identity repair of an
 * existing pod,
 * maxUnavailable > 1 for rolling updates.
 */
import { LabelSelectorError, selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { Lister } from '../../client/cache/listers.js';
import { deletedObject, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Indexer } from '../../client/cache/thread-safe-store.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { ControllerRefManager, podControllerRefManager, recheckDeletionTimestamp } from '../controller-utils/controller-ref-manager.js';
import { type ControllerKind, getControllerOf, newControllerRef } from '../controller-utils/owner-refs.js';
import { addPodControllerUidIndexer, filterPodsByOwner } from '../controller-utils/pod-index.js';
import { isPodReady } from '../controller-utils/pod-utils.js';
import { type ControllerRevisionClient, sortControllerRevisions } from '../controller-utils/history.js';
import { RealStatefulPodControl, type StatefulPodControl } from './stateful-pod-control.js';
import { updateStatefulSet } from './stateful-set-control.js';
import { getStatefulSetRevisions, revisionsWithoutWriting, truncateHistory } from './stateful-set-history.js';
import { STATEFUL_SET_KIND } from './stateful-set-utils.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';

type StatefulSet = appsV1.StatefulSet;
type Pod = coreV1.Pod;
type ControllerRevision = appsV1.ControllerRevision;


/** Reads a StatefulSet fresh (before adopting) and writes its status. */
export interface StatefulSetClient {
  get(namespace: string, name: string): Promise<StatefulSet>;
  updateStatus(set: StatefulSet): Promise<StatefulSet>;
}

export interface StatefulSetControllerOptions {
  readonly client: KubeClient;
  /** Gives the StatefulSet, Pod and ControllerRevision informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different StatefulSets. @defaultValue 5 (ConcurrentStatefulSetSyncs) */
  readonly workers?: number;
  /** How pods are written. @defaultValue a {@link RealStatefulPodControl} over `client`, recording events */
  readonly podControl?: StatefulPodControl;
  /** @defaultValue over `client` */
  readonly statefulSetClient?: StatefulSetClient;
  /** How ControllerRevisions are written. @defaultValue `client.typed('apps/v1/ControllerRevision')` */
  readonly revisionClient?: ControllerRevisionClient;
}

export class StatefulSetController {
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly podControl: StatefulPodControl;
  private readonly setClient: StatefulSetClient;
  private readonly recorder: EventRecorder | undefined;
  private readonly revisionClient: ControllerRevisionClient;
  private readonly setLister: Lister<StatefulSet>;
  private readonly revisionLister: Lister<ControllerRevision>;
  private readonly podIndexer: Indexer<Pod>;
  private readonly synced: (() => boolean)[];

  constructor(options: StatefulSetControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 5;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'statefulset', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    if (options.podControl === undefined) {
      this.recorder = new EventRecorder({ client: options.client, source: { component: 'statefulset-controller' }, clock: this.clock, logger: this.logger });
    }
    this.podControl = options.podControl ?? new RealStatefulPodControl(options.client, this.recorder);
    this.setClient = options.statefulSetClient ?? clientStatefulSets(options.client);
    this.revisionClient = options.revisionClient ?? options.client.typed('apps/v1/ControllerRevision');

    const setInformer = options.informers.typed('apps/v1/StatefulSet');
    const podInformer = options.informers.typed('v1/Pod');
    const revisionInformer = options.informers.typed('apps/v1/ControllerRevision');
    addPodControllerUidIndexer(podInformer.indexer);
    this.setLister = setInformer.lister();
    this.revisionLister = revisionInformer.lister();
    this.podIndexer = podInformer.indexer;
    const regs = [
      setInformer.addEventHandler({
        onAdd: (set) => this.enqueue(set),
        onUpdate: (_old, cur) => this.enqueue(cur),
        onDelete: (obj) => this.queue.add(deletionHandlingMetaNamespaceKeyFunc(obj)),
      }),
      podInformer.addEventHandler({
        onAdd: (pod) => this.podChanged(pod),
        onUpdate: (old, cur) => {
          if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
          this.podChanged(cur);
          if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) this.podChanged(old);
          // Availability comes minReadySeconds after readiness, with no event of its own.
          const owner = this.ownerOf(cur);
          const minReady = owner?.spec.minReadySeconds ?? 0;
          if (owner !== undefined && minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(metaNamespaceKeyFunc(owner), minReady * 1000 + 1000);
        },
        onDelete: (pod) => {
          const obj = deletedObject(pod);
          if (obj !== undefined) this.podChanged(obj);
        },
      }),
      revisionInformer.addEventHandler({
        onAdd: (revision) => this.revisionChanged(revision),
        onUpdate: (old, cur) => {
          if (old.metadata?.resourceVersion !== cur.metadata?.resourceVersion) this.revisionChanged(cur);
        },
        onDelete: (revision) => {
          const obj = deletedObject(revision);
          if (obj !== undefined) this.revisionChanged(obj);
        },
      }),
    ];
    this.synced = regs.map((r) => r.hasSynced);
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    await runWorkLoop({ name: 'statefulset', queue, synced, workers, clock, logger, sync: (key) => this.syncStatefulSet(key) }, signal);
    await this.recorder?.flush();
  }

  /** Runs one round for the StatefulSet `key` (`namespace/name`) and writes its status. */
  async syncStatefulSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const set = this.setLister.namespace(namespace).get(name);
    if (set === undefined) return;
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(set.spec.selector);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      this.logger.error(`statefulset ${key}: invalid selector: ${error.message}`);
      return;
    }
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = await this.setClient.get(namespace, name);
      if (fresh.metadata?.uid !== set.metadata?.uid) throw new Error(`original StatefulSet ${key} is gone`);
      return fresh;
    });
    // adoptOrphanRevisions: orphaned revisions the selector matches become the set's, as its pods do.
    const revisionManager = new ControllerRefManager<ControllerRevision>({
      controller: set,
      selector,
      controllerKind: STATEFUL_SET_KIND,
      canAdopt,
      patch: async (ns, revision, patch) => {
        await this.revisionClient.namespace(ns).patch(revision, patch, 'strategic');
      },
    });
    const manager = podControllerRefManager(this.podControl, { controller: set, selector, controllerKind: STATEFUL_SET_KIND, canAdopt });
    const candidates = filterPodsByOwner(this.podIndexer, { uid: set.metadata?.uid ?? '', namespace }, true);
    const ownedRevisions = await revisionManager.claim(this.revisionLister.namespace(namespace).list());
    const ownedPods = await manager.claim(candidates);
    const errors = [...ownedRevisions.errors, ...ownedPods.errors];
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
    const claimed = ownedPods.claimed;
    const revisions = sortControllerRevisions(ownedRevisions.claimed);
    // A set being deleted gets no new revision: the garbage collector is deleting them.
    const deleting = set.metadata?.deletionTimestamp !== undefined;
    const { current, update, collisionCount } = deleting ? revisionsWithoutWriting(set, revisions) : await getStatefulSetRevisions(this.revisionClient, set, revisions);
    const trim = (): Promise<void> => (deleting ? Promise.resolve() : truncateHistory(this.revisionClient, set, claimed, revisions, { current, update }));
    let status: appsV1.StatefulSetStatus;
    try {
      const controllerRef = newControllerRef(set, STATEFUL_SET_KIND);
      status = await updateStatefulSet(set, claimed, this.podControl, { controllerRef, nowMs: this.clock.now(), currentRevision: current, updateRevision: update, collisionCount });
      if (JSON.stringify(pick(set.status)) !== JSON.stringify(pick(status))) {
        const copy = structuredClone(set) as StatefulSet;
        copy.status = { ...copy.status, ...status };
        await this.setClient.updateStatus(copy);
      }
    } catch (error) {
      // Upstream trims the history whatever the round's outcome; the round's error is the one reported.
      await trim().catch(() => undefined);
      throw error;
    }
    await trim();
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas) this.queue.addAfter(key, minReady * 1000);
  }

  private enqueue(set: DeepReadonly<StatefulSet>): void {
    this.queue.add(metaNamespaceKeyFunc(set));
  }

  private ownerOf(pod: DeepReadonly<Pod>): DeepReadonly<StatefulSet> | undefined {
    const ref = getControllerOf(pod);
    if (ref?.kind !== STATEFUL_SET_KIND.kind) return undefined;
    const set = this.setLister.namespace(pod.metadata?.namespace ?? '').get(ref.name);
    return set?.metadata?.uid === ref.uid ? set : undefined;
  }

  /** Wakes the StatefulSet controlling `revision`, if it is one. */
  private revisionChanged(revision: DeepReadonly<ControllerRevision>): void {
    const ref = getControllerOf(revision);
    if (ref?.kind !== STATEFUL_SET_KIND.kind) return;
    const set = this.setLister.namespace(revision.metadata?.namespace ?? '').get(ref.name);
    if (set?.metadata?.uid === ref.uid) this.enqueue(set);
  }

  private podChanged(pod: DeepReadonly<Pod>): void {
    const owner = this.ownerOf(pod);
    if (owner !== undefined) {
      this.enqueue(owner);
      return;
    }
    if (getControllerOf(pod) !== undefined) return;
    // An orphan: wake every StatefulSet that might adopt it.
    for (const set of this.setLister.namespace(pod.metadata?.namespace ?? '').list()) {
      try {
        const selector = selectorFromLabelSelector(set.spec.selector);
        if (!selector.empty && selector.matches(pod.metadata?.labels)) this.enqueue(set);
      } catch {
        // an invalid selector matches nothing
      }
    }
  }
}

/** The status fields the controller owns, in a fixed order for comparison. */
function pick(s: DeepReadonly<appsV1.StatefulSetStatus> | undefined): unknown[] {
  return [
    s?.replicas,
    s?.readyReplicas,
    s?.availableReplicas,
    s?.currentReplicas,
    s?.updatedReplicas,
    s?.currentRevision,
    s?.updateRevision,
    s?.observedGeneration,
    s?.collisionCount ?? 0,
  ];
}

function clientStatefulSets(client: KubeClient): StatefulSetClient {
  const sets = client.typed('apps/v1/StatefulSet');
  return {
    get: (namespace, name) => sets.namespace(namespace).get(name),
    updateStatus: (set) => sets.updateStatus(set),
  };
}
