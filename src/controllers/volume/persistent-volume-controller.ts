/**
 * @module
 * The PersistentVolume controller — kube-controller-manager's "persistentvolume-binder" (upstream
 * pkg/controller/volume/persistentvolume/pv_controller_base.go and pv_controller.go): binds claims
 * to volumes, asks external provisioners for volumes, and releases and reclaims volumes whose claims
 * are gone. The sync of a claim is in claim-sync.ts, of a volume in volume-sync.ts, the writes in
 * pv-binding.ts.
 *
 * Two queues as upstream — claims by `namespace/name`, volumes by name — each with one worker.
 * Besides each object's own events: a volume's event also queues the claim it names (so a freshly
 * provisioned volume is bound at once), a deleted volume queues its claim (to become Lost), a
 * deleted claim queues its volume (to be Released), and a StorageClass added or changed queues the
 * unbound claims (one may now be provisioned or get a default class). Every `syncPeriodMs` all
 * claims and volumes are queued again (--pvclaimbinder-sync-period).
 *
 * A failed sync is retried with the controller rate limiter; upstream waits for the next resync.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { deletedObject, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import type { Indexer } from '../../client/cache/thread-safe-store.js';
import { isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';
import { syncClaim } from './claim-sync.js';
import { addPodPvcIndexer, POD_PVC_INDEX } from './pod-pvc-index.js';
import type { PersistentVolumeClient, PvSyncContext } from './pv-binding.js';
import { ANN_BIND_COMPLETED, claimKey, claimRefKey, type EventSink, hasAnnotation } from './volume-util.js';
import { syncVolume } from './volume-sync.js';

type PV = coreV1.PersistentVolume;
type PVC = coreV1.PersistentVolumeClaim;
type Pod = coreV1.Pod;

export type { PersistentVolumeClient } from './pv-binding.js';

/** The event source component, as upstream's. */
export const PERSISTENT_VOLUME_CONTROLLER_NAME = 'persistentvolume-controller';

export interface PersistentVolumeControllerOptions {
  readonly client: KubeClient;
  /** Gives the PersistentVolume, PersistentVolumeClaim, StorageClass and Pod informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often every claim and volume is synced again; 0 turns it off. @defaultValue 15000 (--pvclaimbinder-sync-period) */
  readonly syncPeriodMs?: number;
  /** How volumes and claims are written. @defaultValue the v1 clients over `client` */
  readonly volumeClient?: PersistentVolumeClient;
  /** Where events go. @defaultValue an EventRecorder over `client` (component persistentvolume-controller) */
  readonly events?: EventSink;
}

export class PersistentVolumeController {
  readonly claimQueue: RateLimitingQueue<string>;
  readonly volumeQueue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly syncPeriodMs: number;
  private readonly recorder: EventRecorder | undefined;
  private readonly ctx: PvSyncContext;
  private readonly claimLister: Lister<PVC>;
  private readonly volumeLister: Lister<PV>;
  private readonly synced: (() => boolean)[];

  constructor(options: PersistentVolumeControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.syncPeriodMs = options.syncPeriodMs ?? 15_000;
    if (!(this.syncPeriodMs >= 0)) throw new Error('syncPeriodMs must not be negative');
    const queue = (name: string): RateLimitingQueue<string> =>
      new RateLimitingQueue<string>({ name, clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.claimQueue = queue('claims');
    this.volumeQueue = queue('volumes');
    let events = options.events;
    if (events === undefined) {
      this.recorder = new EventRecorder({ client: options.client, source: { component: PERSISTENT_VOLUME_CONTROLLER_NAME }, clock: this.clock, logger: this.logger });
      events = this.recorder;
    }

    const volumeInformer = options.informers.typed('v1/PersistentVolume');
    const claimInformer = options.informers.typed('v1/PersistentVolumeClaim');
    const classInformer = options.informers.typed('storage.k8s.io/v1/StorageClass');
    const podInformer = options.informers.typed('v1/Pod');
    addPodPvcIndexer(podInformer.indexer);
    this.volumeLister = volumeInformer.lister();
    this.claimLister = claimInformer.lister();
    const podIndexer: Indexer<Pod> = podInformer.indexer;
    this.ctx = {
      client: options.volumeClient ?? clientVolumes(options.client),
      events,
      logger: this.logger,
      volumes: this.volumeLister,
      claims: this.claimLister,
      classes: classInformer.lister(),
      podsUsingClaim: (namespace, name) => podIndexer.byIndex(POD_PVC_INDEX, `${namespace}/${name}`),
      enqueueClaim: (key) => this.claimQueue.add(key),
    };

    const volumeRegistration = volumeInformer.addEventHandler({
      onAdd: (volume) => this.volumeChanged(volume),
      onUpdate: (_old, volume) => this.volumeChanged(volume),
      onDelete: (obj) => {
        const ref = deletedObject(obj)?.spec?.claimRef;
        if (ref !== undefined) this.claimQueue.add(claimRefKey(ref));
      },
    });
    const claimRegistration = claimInformer.addEventHandler({
      onAdd: (claim) => this.claimQueue.add(claimKey(claim)),
      onUpdate: (_old, claim) => this.claimQueue.add(claimKey(claim)),
      onDelete: (obj) => {
        const volumeName = deletedObject(obj)?.spec?.volumeName ?? '';
        if (volumeName !== '') this.volumeQueue.add(volumeName);
      },
    });
    const classRegistration = classInformer.addEventHandler({
      onAdd: () => this.enqueueUnboundClaims(),
      onUpdate: () => this.enqueueUnboundClaims(),
    });
    this.synced = [volumeRegistration.hasSynced, claimRegistration.hasSynced, classRegistration.hasSynced, () => podInformer.hasSynced()];
  }

  /** Waits for the caches, then runs both workers (and the resync) until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { synced, clock, logger } = this;
    await Promise.all([
      runWorkLoop({ name: 'persistentvolume-claims', subject: 'claim', queue: this.claimQueue, synced, workers: 1, clock, logger, sync: (key) => this.syncClaim(key) }, signal),
      runWorkLoop({ name: 'persistentvolume-volumes', subject: 'volume', queue: this.volumeQueue, synced, workers: 1, clock, logger, sync: (name) => this.syncVolume(name) }, signal),
      this.resyncLoop(signal),
    ]);
    await this.recorder?.flush();
  }

  /** Syncs the claim `key` (`namespace/name`) from the cache; a claim no longer there needs nothing. */
  async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claimLister.namespace(namespace).get(name);
    if (claim !== undefined) await syncClaim(this.ctx, claim);
  }

  /** Syncs the volume `name` from the cache; a volume no longer there needs nothing. */
  async syncVolume(name: string): Promise<void> {
    const volume = this.volumeLister.get(name);
    if (volume !== undefined) await syncVolume(this.ctx, volume);
  }

  private volumeChanged(volume: DeepReadonly<PV>): void {
    this.volumeQueue.add(volume.metadata?.name ?? '');
    const ref = volume.spec?.claimRef;
    if (ref !== undefined) this.claimQueue.add(claimRefKey(ref));
  }

  private enqueueUnboundClaims(): void {
    for (const claim of this.claimLister.list()) {
      if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) this.claimQueue.add(claimKey(claim));
    }
  }

  /** Queues every claim and volume each period (resync), so what no event announces is still seen. */
  private async resyncLoop(signal: AbortSignal): Promise<void> {
    if (this.syncPeriodMs === 0) return;
    for (;;) {
      await this.clock.sleep(this.syncPeriodMs, signal);
      if (signal.aborted) return;
      for (const claim of this.claimLister.list()) this.claimQueue.add(claimKey(claim));
      for (const volume of this.volumeLister.list()) this.volumeQueue.add(volume.metadata?.name ?? '');
    }
  }
}

/** The default {@link PersistentVolumeClient}: the v1 PersistentVolume and PersistentVolumeClaim clients. */
function clientVolumes(client: KubeClient): PersistentVolumeClient {
  const volumes = client.typed('v1/PersistentVolume');
  const claims = client.typed('v1/PersistentVolumeClaim');
  return {
    updateVolume: (volume) => volumes.update(volume),
    updateVolumeStatus: (volume) => volumes.updateStatus(volume),
    updateClaim: (claim) => claims.update(claim),
    updateClaimStatus: (claim) => claims.updateStatus(claim),
    getClaim: async (namespace, name) => {
      try {
        return await claims.namespace(namespace).get(name);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}
