/**
 * @module
 * The simulated provisioner: an external provisioner, as kind's local-path one behaves
 * (kubernetes-sigs/sig-storage-lib-external-provisioner v10 controller/controller.go around
 * rancher/local-path-provisioner's provisioner.go), that creates hostPath PersistentVolumes without
 * touching a disk.
 *
 * It provisions a claim whose `volume.kubernetes.io/storage-provisioner` annotation (set by the PV
 * controller; or the beta one) names it, that has no spec.volumeName yet and — for a
 * WaitForFirstConsumer class — a selected node. The volume `pvc-<claim uid>` gets the claim's
 * request as capacity, its access modes and volumeMode, the class's reclaim policy, the claim's
 * class, a claimRef to the claim and `pv.kubernetes.io/provisioned-by`; its source is a hostPath
 * directory `<basePath>/pvc-<uid>_<namespace>_<name>`, pinned by node affinity on
 * kubernetes.io/hostname to the selected node when there is one. The PV controller then binds the
 * two.
 *
 * It deletes a volume it provisioned once the PV controller has Released it, when its policy is
 * Delete and nobody is deleting it already (a real provisioner would wipe the directory first).
 *
 * Left out: local-path's helper pods and its refusal of claims without a node or with access modes
 * other than ReadWriteOnce(Pod) (nothing is written, so every node and mode will do), the library's
 * optional deletion finalizer and its failure thresholds, and the provisioner-side cleanup of a
 * volume whose create keeps failing.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { coreV1, storageV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';
import { buildVolume } from './simulated-volume.js';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, annotation, claimClass, claimKey, type EventSink, VolumeEventReason } from './volume-util.js';

type PV = coreV1.PersistentVolume;
type PVC = coreV1.PersistentVolumeClaim;

/** The provisioner name a StorageClass gives to have its volumes made by this provisioner. */
export const SIMULATED_PROVISIONER = 'kubelite.dev/simulated';

/** The provisioner's API calls: the narrow interface unit tests record. */
export interface ProvisionerClient {
  createVolume(volume: PV): Promise<PV>;
  /** Deletes the volume; one already gone is not an error. */
  deleteVolume(name: string): Promise<void>;
  updateClaim(claim: PVC): Promise<PVC>;
}

export interface SimulatedProvisionerOptions {
  readonly client: KubeClient;
  /** Gives the PersistentVolumeClaim, PersistentVolume, StorageClass and Node informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The name classes use in `provisioner`. @defaultValue {@link SIMULATED_PROVISIONER} */
  readonly provisionerName?: string;
  /** The node directory volumes live under. @defaultValue '/var/lib/kubelite/volumes' */
  readonly basePath?: string;
  /** Concurrent syncs. @defaultValue 4 (the library's threadiness) */
  readonly workers?: number;
  /** How volumes and claims are written. @defaultValue the v1 clients over `client` */
  readonly provisionerClient?: ProvisionerClient;
  /** Where events go. @defaultValue an EventRecorder over `client`, component `<provisionerName>_<host>_<uuid>` as the library's */
  readonly events?: EventSink;
}

export class SimulatedProvisioner {
  readonly claimQueue: RateLimitingQueue<string>;
  readonly volumeQueue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly name: string;
  private readonly basePath: string;
  private readonly workers: number;
  private readonly client: ProvisionerClient;
  private readonly events: EventSink;
  private readonly recorder: EventRecorder | undefined;
  private readonly claims: Lister<PVC>;
  private readonly volumes: Lister<PV>;
  private readonly classes: Lister<storageV1.StorageClass>;
  private readonly nodes: Lister<coreV1.Node>;
  private readonly synced: (() => boolean)[];

  constructor(options: SimulatedProvisionerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.name = options.provisionerName ?? SIMULATED_PROVISIONER;
    if (this.name === '') throw new Error('provisionerName must not be empty');
    this.basePath = options.basePath ?? '/var/lib/kubelite/volumes';
    this.workers = options.workers ?? 4;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    const queue = (name: string): RateLimitingQueue<string> =>
      new RateLimitingQueue<string>({ name, clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.claimQueue = queue('provisioner-claims');
    this.volumeQueue = queue('provisioner-volumes');
    this.client = options.provisionerClient ?? clientProvisioner(options.client);
    let events = options.events;
    if (events === undefined) {
      const component = `${this.name}_${hostname()}_${randomUUID()}`;
      this.recorder = new EventRecorder({ client: options.client, source: { component }, clock: this.clock, logger: this.logger });
      events = this.recorder;
    }
    this.events = events;

    const claimInformer = options.informers.typed('v1/PersistentVolumeClaim');
    const volumeInformer = options.informers.typed('v1/PersistentVolume');
    const classInformer = options.informers.typed('storage.k8s.io/v1/StorageClass');
    const nodeInformer = options.informers.typed('v1/Node');
    this.claims = claimInformer.lister();
    this.volumes = volumeInformer.lister();
    this.classes = classInformer.lister();
    this.nodes = nodeInformer.lister();
    const claimRegistration = claimInformer.addEventHandler({
      onAdd: (claim) => this.claimQueue.add(claimKey(claim)),
      onUpdate: (_old, claim) => this.claimQueue.add(claimKey(claim)),
    });
    const volumeRegistration = volumeInformer.addEventHandler({
      onAdd: (volume) => this.volumeQueue.add(volume.metadata?.name ?? ''),
      onUpdate: (_old, volume) => this.volumeQueue.add(volume.metadata?.name ?? ''),
    });
    this.synced = [claimRegistration.hasSynced, volumeRegistration.hasSynced, () => classInformer.hasSynced(), () => nodeInformer.hasSynced()];
  }

  /** Waits for the caches, then runs the claim and volume workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { synced, workers, clock, logger } = this;
    await Promise.all([
      runWorkLoop({ name: 'provisioner-claims', subject: 'claim', queue: this.claimQueue, synced, workers, clock, logger, sync: (key) => this.syncClaim(key) }, signal),
      runWorkLoop({ name: 'provisioner-volumes', subject: 'volume', queue: this.volumeQueue, synced, workers, clock, logger, sync: (name) => this.syncVolume(name) }, signal),
    ]);
    await this.recorder?.flush();
  }

  /** Provisions a volume for claim `key` (`namespace/name`) if it is this provisioner's to make. Throws to be retried. */
  async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claims.namespace(namespace).get(name);
    if (claim === undefined || !this.shouldProvision(claim)) return;
    await this.provisionClaim(claim);
  }

  /** Deletes volume `name` if this provisioner made it and its claim released it. Throws to be retried. */
  async syncVolume(name: string): Promise<void> {
    const volume = this.volumes.get(name);
    if (volume === undefined || !this.shouldDelete(volume)) return;
    try {
      // Nothing to wipe: the simulated disk holds no data.
      await this.client.deleteVolume(name);
    } catch (error) {
      this.events.event(volume, 'Warning', VolumeEventReason.VolumeFailedDelete, errorMessage(error));
      throw error;
    }
    this.logger.info(`${this.name}: deleted volume ${name}`);
  }

  /** Whether the claim waits for this provisioner (shouldProvision); throws when its class is missing, to retry. */
  private shouldProvision(claim: DeepReadonly<PVC>): boolean {
    if ((claim.spec?.volumeName ?? '') !== '') return false;
    const provisioner = annotation(claim, ANN_STORAGE_PROVISIONER) ?? annotation(claim, ANN_BETA_STORAGE_PROVISIONER);
    if (provisioner !== this.name) return false;
    const cls = this.storageClass(claim);
    // A delayed claim is provisioned only on the node the scheduler chose.
    if (cls.volumeBindingMode === 'WaitForFirstConsumer') return (annotation(claim, ANN_SELECTED_NODE) ?? '') !== '';
    return true;
  }

  private storageClass(claim: DeepReadonly<PVC>): DeepReadonly<storageV1.StorageClass> {
    const className = claimClass(claim);
    const cls = this.classes.get(className);
    if (cls === undefined) throw new Error(`storageclass.storage.k8s.io ${JSON.stringify(className)} not found`);
    return cls;
  }

  /** Creates the claim's volume (provisionClaimOperation), unless it exists already. */
  private async provisionClaim(claim: DeepReadonly<PVC>): Promise<void> {
    const volumeName = `pvc-${claim.metadata?.uid ?? ''}`;
    if (this.volumes.get(volumeName) !== undefined) return;
    const cls = this.storageClass(claim);
    if (cls.provisioner !== this.name) return;
    const nodeName = annotation(claim, ANN_SELECTED_NODE) ?? '';
    let node: DeepReadonly<coreV1.Node> | undefined;
    if (nodeName !== '') {
      node = this.nodes.get(nodeName);
      if (node === undefined) {
        await this.reschedule(claim, `nodes ${JSON.stringify(nodeName)} not found`);
        return;
      }
    }
    this.events.event(claim, 'Normal', VolumeEventReason.Provisioning, `External provisioner is provisioning volume for claim ${JSON.stringify(claimKey(claim))}`);
    const built = buildVolume({ claim, storageClass: cls, volumeName, basePath: this.basePath, node });
    if (!built.ok) {
      const message = `failed to provision volume with StorageClass ${JSON.stringify(claimClass(claim))}: ${built.error}`;
      this.events.event(claim, 'Warning', VolumeEventReason.ProvisioningFailed, message);
      throw new Error(message);
    }
    try {
      await this.client.createVolume(built.volume);
    } catch (error) {
      // A volume of that name is this claim's (the name holds its uid): a create the cache has not seen.
      if (!isAlreadyExists(error)) throw error;
    }
    this.events.event(claim, 'Normal', VolumeEventReason.ProvisioningSucceeded, `Successfully provisioned volume ${volumeName}`);
  }

  /**
   * Gives up on the selected node (provisionVolumeErrorHandling with ProvisioningReschedule): reports
   * the failure and removes the selected-node annotation, so the scheduler chooses again.
   */
  private async reschedule(claim: DeepReadonly<PVC>, reason: string): Promise<void> {
    this.events.event(claim, 'Warning', VolumeEventReason.ProvisioningFailed, reason);
    const next = structuredClone(claim) as PVC;
    if (next.metadata?.annotations !== undefined) delete next.metadata.annotations[ANN_SELECTED_NODE];
    await this.client.updateClaim(next);
  }

  /** Whether to delete the volume (shouldDelete): ours, Released, policy Delete, not being deleted. */
  private shouldDelete(volume: DeepReadonly<PV>): boolean {
    if (volume.metadata?.deletionTimestamp !== undefined) return false;
    if (volume.status?.phase !== 'Released') return false;
    if (volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return false;
    return annotation(volume, ANN_DYNAMICALLY_PROVISIONED) === this.name;
  }
}

/** The default {@link ProvisionerClient}: the v1 PersistentVolume and PersistentVolumeClaim clients. */
function clientProvisioner(client: KubeClient): ProvisionerClient {
  const volumes = client.typed('v1/PersistentVolume');
  const claims = client.typed('v1/PersistentVolumeClaim');
  return {
    createVolume: (volume) => volumes.create(volume),
    deleteVolume: async (name) => {
      try {
        await volumes.delete(name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    updateClaim: (claim) => claims.update(claim),
  };
}
