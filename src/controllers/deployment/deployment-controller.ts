/**
 * @module
 * The Deployment controller (upstream pkg/controller/deployment/deployment_controller.go): watches
 * Deployments, ReplicaSets and Pods and rolls each Deployment's pod template out through
 * ReplicaSets. A sync claims the ReplicaSets (adopt matching orphans, release those that stopped
 * matching), then, in upstream's order: status only while being deleted; the paused conditions; a
 * paused Deployment or a scaling event is only scaled (sync.ts); otherwise one step of its strategy
 * (rolling.ts, recreate.ts), which ends by writing status and conditions (progress.ts).
 *
 * Upstream uses no expectations here: every write shows up as a ReplicaSet event that requeues the
 * Deployment. The caller starts the informer factory; `run` waits for the caches, then runs workers.
 */
import { LabelSelectorError, labelsEqual, selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { deletedObject, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Lister } from '../../client/cache/listers.js';
import { NAMESPACE_INDEX, type Indexer } from '../../client/cache/thread-safe-store.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { ControllerRefManager, recheckDeletionTimestamp } from '../controller-utils/controller-ref-manager.js';
import { getControllerOf, sameOwnerReference } from '../controller-utils/owner-refs.js';
import { REVISION_ANNOTATION } from './deployment-util.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import {
  checkPausedConditions,
  DEPLOYMENT_KIND,
  type DeploymentClient,
  getAllReplicaSetsAndSyncRevision,
  isScalingEvent,
  type ReplicaSetControl,
  sync,
  type SyncContext,
  syncDeploymentStatus,
  updateDeploymentStatus,
} from './sync.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;
type Pod = coreV1.Pod;

export interface DeploymentControllerOptions {
  readonly client: KubeClient;
  /** Gives the Deployment, ReplicaSet and Pod informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different Deployments. @defaultValue 5 (ConcurrentDeploymentSyncs) */
  readonly workers?: number;
  /** How ReplicaSets are written. @defaultValue over `client` */
  readonly rsControl?: ReplicaSetControl;
  /** How Deployments are read fresh and their status written. @defaultValue over `client` */
  readonly deploymentClient?: DeploymentClient;
  /** Where events go. @defaultValue an {@link EventRecorder} over `client` when `rsControl` is not given */
  readonly recorder?: Pick<EventRecorder, 'event'>;
}

export class DeploymentController {
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly ownRecorder: EventRecorder | undefined;
  private readonly ctx: SyncContext;
  private readonly dLister: Lister<Deployment>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly podIndexer: Indexer<Pod>;
  private readonly synced: (() => boolean)[];

  constructor(options: DeploymentControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 5;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'deployment', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    if (options.recorder === undefined && options.rsControl === undefined) {
      this.ownRecorder = new EventRecorder({ client: options.client, source: { component: 'deployment-controller' }, clock: this.clock, logger: this.logger });
    }
    const recorder = options.recorder ?? this.ownRecorder;

    const dInformer = options.informers.typed('apps/v1/Deployment');
    const rsInformer = options.informers.typed('apps/v1/ReplicaSet');
    const podInformer = options.informers.typed('v1/Pod');
    this.dLister = dInformer.lister();
    this.rsLister = rsInformer.lister();
    this.podIndexer = podInformer.indexer;
    this.ctx = {
      rsControl: options.rsControl ?? clientReplicaSetControl(options.client),
      dClient: options.deploymentClient ?? clientDeployments(options.client),
      getCachedReplicaSet: (namespace, name) => this.rsLister.namespace(namespace).get(name),
      event: (obj, type, reason, message) => recorder?.event(obj, type, reason, message),
      now: () => this.clock.now(),
      enqueueAfter: (d, ms) => this.queue.addAfter(metaNamespaceKeyFunc(d), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(metaNamespaceKeyFunc(d)),
    };
    const registrations = [
      dInformer.addEventHandler({
        onAdd: (d) => this.enqueue(d),
        onUpdate: (_old, cur) => this.enqueue(cur),
        onDelete: (d) => {
          const obj = deletedObject(d);
          if (obj !== undefined) this.enqueue(obj);
        },
      }),
      rsInformer.addEventHandler({
        onAdd: (rs) => this.addReplicaSet(rs),
        onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
        onDelete: (rs) => this.deleteReplicaSet(deletedObject(rs)),
      }),
      podInformer.addEventHandler({
        onDelete: (pod) => this.deletePod(deletedObject(pod)),
      }),
    ];
    this.synced = registrations.map((r) => r.hasSynced);
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    await runWorkLoop({ name: 'deployment', queue, synced, workers, clock, logger, sync: (key) => this.syncDeployment(key) }, signal);
    await this.ownRecorder?.flush();
  }

  /** Brings the Deployment `key` (`namespace/name`) one step towards its spec (syncDeployment). Throws to be retried. */
  async syncDeployment(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dLister.namespace(namespace).get(name);
    if (cached === undefined) return;
    const d = structuredClone(cached) as Deployment;
    const ctx = this.ctx;
    if (Object.keys(d.spec.selector).length === 0 || (Object.keys(d.spec.selector.matchLabels ?? {}).length === 0 && (d.spec.selector.matchExpressions ?? []).length === 0)) {
      ctx.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata?.generation ?? 0;
        await updateDeploymentStatus(ctx, d);
      }
      return;
    }
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(d.spec.selector);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      this.logger.error(`deployment ${key}: invalid selector: ${error.message}`);
      return;
    }
    const rsList = await this.getReplicaSetsForDeployment(d, selector);

    if (d.metadata?.deletionTimestamp !== undefined) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
      return syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
    }
    await checkPausedConditions(ctx, d);
    if (d.spec.paused === true) return sync(ctx, d, rsList);
    if (await isScalingEvent(ctx, d, rsList)) return sync(ctx, d, rsList);
    // Upstream lists the pods on every sync, but only Recreate reads them: a pass over every pod of
    // a large Deployment is spent only where it is needed.
    if (d.spec.strategy?.type === 'Recreate') return rolloutRecreate(ctx, d, rsList, this.getPodMapForDeployment(d, selector, rsList));
    return rolloutRolling(ctx, d, rsList);
  }

  /** Claims the namespace's ReplicaSets for `d` (getReplicaSetsForDeployment); copies the sync may change. */
  private async getReplicaSetsForDeployment(d: Deployment, selector: LabelSelector): Promise<ReplicaSet[]> {
    const namespace = d.metadata?.namespace ?? '';
    const name = d.metadata?.name ?? '';
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = await this.ctx.dClient.get(namespace, name);
      if (fresh.metadata?.uid !== d.metadata?.uid) {
        throw new Error(`original Deployment ${namespace}/${name} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${d.metadata?.uid ?? ''}`);
      }
      return fresh;
    });
    const manager = new ControllerRefManager<ReplicaSet>({
      controller: d,
      selector,
      controllerKind: DEPLOYMENT_KIND,
      canAdopt,
      patch: (ns, rsName, patch) => this.ctx.rsControl.patch(ns, rsName, patch),
    });
    const { claimed, errors } = await manager.claim(this.rsLister.namespace(namespace).list());
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
    return claimed.map((rs) => structuredClone(rs) as ReplicaSet);
  }

  /** The pods of `d`'s selector grouped by the claimed ReplicaSet controlling them (getPodMapForDeployment). */
  private getPodMapForDeployment(d: Deployment, selector: LabelSelector, rsList: readonly ReplicaSet[]): PodMap {
    const map = new Map<string, DeepReadonly<Pod>[]>();
    for (const rs of rsList) map.set(rs.metadata?.uid ?? '', []);
    for (const pod of this.podIndexer.byIndex(NAMESPACE_INDEX, d.metadata?.namespace ?? '')) {
      if (!selector.matches(pod.metadata?.labels)) continue;
      const ref = getControllerOf(pod);
      if (ref === undefined) continue;
      map.get(ref.uid)?.push(pod);
    }
    return map;
  }

  // ---- informer handlers (addReplicaSet/updateReplicaSet/deleteReplicaSet/deletePod upstream) ----

  private enqueue(d: DeepReadonly<Deployment>): void {
    this.queue.add(metaNamespaceKeyFunc(d));
  }

  /** The Deployment `ref` names, if the cache holds it with that uid (resolveControllerRef). */
  private resolveControllerRef(namespace: string, ref: DeepReadonly<OwnerReference>): DeepReadonly<Deployment> | undefined {
    if (ref.kind !== DEPLOYMENT_KIND.kind) return undefined;
    const d = this.dLister.namespace(namespace).get(ref.name);
    return d !== undefined && d.metadata?.uid === ref.uid ? d : undefined;
  }

  /** The Deployments whose selector matches an orphan ReplicaSet (getDeploymentsForReplicaSet). */
  private deploymentsForReplicaSet(rs: DeepReadonly<ReplicaSet>): DeepReadonly<Deployment>[] {
    if (Object.keys(rs.metadata?.labels ?? {}).length === 0) return [];
    return this.dLister.namespace(rs.metadata?.namespace ?? '').list().filter((d) => {
      try {
        const selector = selectorFromLabelSelector(d.spec.selector);
        return !selector.empty && selector.matches(rs.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  private addReplicaSet(rs: DeepReadonly<ReplicaSet>): void {
    if (rs.metadata?.deletionTimestamp !== undefined) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = getControllerOf(rs);
    if (ref !== undefined) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d !== undefined) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: DeepReadonly<ReplicaSet>, cur: DeepReadonly<ReplicaSet>): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !sameOwnerReference(curRef, oldRef);
    if (refChanged && oldRef !== undefined) {
      const d = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (d !== undefined) this.enqueue(d);
    }
    if (curRef !== undefined) {
      const d = this.resolveControllerRef(cur.metadata?.namespace ?? '', curRef);
      if (d !== undefined) this.enqueue(d);
      return;
    }
    const labelChanged = !labelsEqual(old.metadata?.labels, cur.metadata?.labels);
    if (labelChanged || refChanged) for (const d of this.deploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: DeepReadonly<ReplicaSet> | undefined): void {
    if (rs === undefined) return;
    const ref = getControllerOf(rs);
    if (ref === undefined) return;
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
    if (d !== undefined) this.enqueue(d);
  }

  /** A Recreate rollout waits for the old pods to be gone: a pod deletion may let it go on. */
  private deletePod(pod: DeepReadonly<Pod> | undefined): void {
    if (pod === undefined) return;
    const rsRef = getControllerOf(pod);
    if (rsRef === undefined || rsRef.kind !== 'ReplicaSet') return;
    const namespace = pod.metadata?.namespace ?? '';
    const rs = this.rsLister.namespace(namespace).get(rsRef.name);
    if (rs === undefined || rs.metadata?.uid !== rsRef.uid) return;
    const dRef = getControllerOf(rs);
    const d = dRef === undefined ? undefined : this.resolveControllerRef(namespace, dRef);
    if (d !== undefined && d.spec.strategy?.type === 'Recreate') this.enqueue(d);
  }
}

/** The default {@link ReplicaSetControl}: the apps/v1 ReplicaSet client. */
export function clientReplicaSetControl(client: KubeClient): ReplicaSetControl {
  const rss = client.typed('apps/v1/ReplicaSet');
  return {
    create: (rs) => rss.namespace(rs.metadata?.namespace ?? '').create(rs),
    update: (rs) => rss.namespace(rs.metadata?.namespace ?? '').update(rs),
    delete: async (namespace, name) => {
      await rss.namespace(namespace).delete(name);
    },
    patch: async (namespace, name, patch) => {
      await rss.namespace(namespace).patch(name, patch, 'strategic');
    },
  };
}

/**
 * The default {@link DeploymentClient}. Upstream's status write also persists the revision
 * annotation (the Deployment status strategy keeps metadata changes but labels); where the server
 * keeps only the status of a `/status` write, the annotation is patched in after it.
 */
export function clientDeployments(client: KubeClient): DeploymentClient {
  const deployments = client.typed('apps/v1/Deployment');
  return {
    get: (namespace, name) => deployments.namespace(namespace).get(name),
    updateStatus: async (d) => {
      const namespace = d.metadata?.namespace ?? '';
      const updated = await deployments.namespace(namespace).updateStatus(d);
      const revision = d.metadata?.annotations?.[REVISION_ANNOTATION];
      if (revision === undefined || updated.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return updated;
      const patch = { metadata: { resourceVersion: updated.metadata?.resourceVersion, annotations: { [REVISION_ANNOTATION]: revision } } };
      return deployments.namespace(namespace).patch(d.metadata?.name ?? '', patch, 'merge');
    },
  };
}
