/**
 * @module
 * The PV protection controller (upstream pkg/controller/volume/pvprotection/
 * pv_protection_controller.go): a volume being deleted keeps its `kubernetes.io/pv-protection`
 * finalizer while it is Bound, so a claim never loses its volume under it; once the volume is
 * Released, Available or Failed the finalizer is removed and the volume goes. A live volume missing
 * the finalizer gets it (a backfill for volumes from before admission added it). No events, as
 * upstream.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Lister } from '../../client/cache/listers.js';
import { addFinalizer, removeFinalizer } from '../../client/finalizers.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';
import { isDeletionCandidate, needToAddFinalizer, PV_PROTECTION_FINALIZER } from './volume-util.js';

type PV = coreV1.PersistentVolume;

/** The volume writes the controller makes: the narrow interface unit tests record. */
export interface PvProtectionClient {
  updateVolume(volume: PV): Promise<PV>;
}

export interface PvProtectionControllerOptions {
  readonly client: KubeClient;
  /** Gives the PersistentVolume informer; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different volumes. @defaultValue 1 (as kube-controller-manager runs it) */
  readonly workers?: number;
  /** How volumes are written. @defaultValue the v1 PersistentVolume client over `client` */
  readonly pvClient?: PvProtectionClient;
}

export class PvProtectionController {
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly pvClient: PvProtectionClient;
  private readonly volumes: Lister<PV>;
  private readonly synced: (() => boolean)[];

  constructor(options: PvProtectionControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 1;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'pvprotection', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.pvClient = options.pvClient ?? { updateVolume: (volume) => options.client.typed('v1/PersistentVolume').update(volume) };
    const informer = options.informers.typed('v1/PersistentVolume');
    this.volumes = informer.lister();
    const registration = informer.addEventHandler({
      onAdd: (volume) => this.volumeAddedUpdated(volume),
      onUpdate: (_old, volume) => this.volumeAddedUpdated(volume),
    });
    this.synced = [registration.hasSynced];
  }

  /** Waits for the cache, then runs the workers until `signal` aborts; resolves once they stopped. */
  run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    return runWorkLoop({ name: 'pvprotection', subject: 'volume', queue, synced, workers, clock, logger, sync: (name) => this.syncVolume(name) }, signal);
  }

  /** Removes or adds the finalizer of volume `name` as needed (processPV). Throws a failed write. */
  async syncVolume(name: string): Promise<void> {
    const volume = this.volumes.get(name);
    if (volume === undefined) return;
    if (isDeletionCandidate(volume, PV_PROTECTION_FINALIZER)) {
      // Only a Bound volume is in use (isBeingUsed): its claim may be mounted somewhere.
      if (volume.status?.phase !== 'Bound') {
        const next = structuredClone(volume) as PV;
        removeFinalizer(next, PV_PROTECTION_FINALIZER);
        await this.pvClient.updateVolume(next);
        this.logger.info(`pvprotection: removed protection finalizer from volume ${name}`);
        return;
      }
    }
    if (needToAddFinalizer(volume, PV_PROTECTION_FINALIZER)) {
      const next = structuredClone(volume) as PV;
      addFinalizer(next, PV_PROTECTION_FINALIZER);
      await this.pvClient.updateVolume(next);
    }
  }

  private volumeAddedUpdated(volume: DeepReadonly<PV>): void {
    if (needToAddFinalizer(volume, PV_PROTECTION_FINALIZER) || isDeletionCandidate(volume, PV_PROTECTION_FINALIZER)) this.queue.add(volume.metadata?.name ?? '');
  }
}
