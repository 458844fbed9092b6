/**
 * @module
 * The PVC protection controller (upstream pkg/controller/volume/pvcprotection/
 * pvc_protection_controller.go): a claim being deleted keeps its `kubernetes.io/pvc-protection`
 * finalizer — so it stays in the API — while a pod that reached a node uses it; then the finalizer
 * is removed and the claim goes. A live claim missing the finalizer gets it (a backfill for claims
 * from before admission added it).
 *
 * "Uses" means: a pod in the claim's namespace with spec.nodeName set whose volumes name the claim —
 * as `persistentVolumeClaim.claimName`, or as the generic ephemeral volume `<pod>-<volume>` the pod
 * controls, unless the pod is shut down (deleted with grace 0). A terminated pod still uses a claim
 * it names directly: only its deletion frees it. Pods that may free a claim — deleted, terminated or
 * unscheduled — queue the claims they name.
 *
 * Left out: upstream's second opinion from a live pod list (the informer's pod index decides here),
 * and its batching of those lists per namespace. There are no events, as upstream.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { deletedObject, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import type { Indexer } from '../../client/cache/thread-safe-store.js';
import { addFinalizer, removeFinalizer } from '../../client/finalizers.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { isControlledBy } from '../controller-utils/owner-refs.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';
import { addPodPvcIndexer, ephemeralClaimName, POD_PVC_INDEX, podPvcIndexFunc } from './pod-pvc-index.js';
import { claimKey, isDeletionCandidate, isPodTerminated, needToAddFinalizer, PVC_PROTECTION_FINALIZER } from './volume-util.js';

type PVC = coreV1.PersistentVolumeClaim;
type Pod = coreV1.Pod;

/** The claim writes the controller makes: the narrow interface unit tests record. */
export interface PvcProtectionClient {
  updateClaim(claim: PVC): Promise<PVC>;
}

export interface PvcProtectionControllerOptions {
  readonly client: KubeClient;
  /** Gives the PersistentVolumeClaim and Pod informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different claims. @defaultValue 1 (as kube-controller-manager runs it) */
  readonly workers?: number;
  /** How claims are written. @defaultValue the v1 PersistentVolumeClaim client over `client` */
  readonly pvcClient?: PvcProtectionClient;
}

export class PvcProtectionController {
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly pvcClient: PvcProtectionClient;
  private readonly claims: Lister<PVC>;
  private readonly pods: Indexer<Pod>;
  private readonly synced: (() => boolean)[];

  constructor(options: PvcProtectionControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 1;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'pvcprotection', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.pvcClient = options.pvcClient ?? { updateClaim: (claim) => options.client.typed('v1/PersistentVolumeClaim').update(claim) };

    const claimInformer = options.informers.typed('v1/PersistentVolumeClaim');
    const podInformer = options.informers.typed('v1/Pod');
    addPodPvcIndexer(podInformer.indexer);
    this.claims = claimInformer.lister();
    this.pods = podInformer.indexer;
    const claimRegistration = claimInformer.addEventHandler({
      onAdd: (claim) => this.claimAddedUpdated(claim),
      onUpdate: (_old, claim) => this.claimAddedUpdated(claim),
    });
    const podRegistration = podInformer.addEventHandler({
      onAdd: (pod) => this.enqueueClaims(pod, false),
      onUpdate: (old, pod) => {
        this.enqueueClaims(pod, false);
        // An update can hide a pod deleted and recreated under its name: the old one is gone.
        if (old.metadata?.uid !== pod.metadata?.uid) this.enqueueClaims(old, true);
      },
      onDelete: (obj) => {
        const pod = deletedObject(obj);
        if (pod !== undefined) this.enqueueClaims(pod, true);
      },
    });
    this.synced = [claimRegistration.hasSynced, podRegistration.hasSynced];
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    return runWorkLoop({ name: 'pvcprotection', subject: 'claim', queue, synced, workers, clock, logger, sync: (key) => this.syncClaim(key) }, signal);
  }

  /** Removes or adds the finalizer of claim `key` (`namespace/name`) as needed (processPVC). Throws a failed write. */
  async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claims.namespace(namespace).get(name);
    if (claim === undefined) return;
    if (isDeletionCandidate(claim, PVC_PROTECTION_FINALIZER)) {
      const user = this.podUsingClaim(claim);
      if (user === undefined) {
        const next = structuredClone(claim) as PVC;
        removeFinalizer(next, PVC_PROTECTION_FINALIZER);
        await this.pvcClient.updateClaim(next);
        this.logger.info(`pvcprotection: removed protection finalizer from claim ${key}`);
        return;
      }
      this.logger.info(`pvcprotection: keeping claim ${key} because pod ${user} uses it`);
    }
    if (needToAddFinalizer(claim, PVC_PROTECTION_FINALIZER)) {
      const next = structuredClone(claim) as PVC;
      addFinalizer(next, PVC_PROTECTION_FINALIZER);
      await this.pvcClient.updateClaim(next);
    }
  }

  private claimAddedUpdated(claim: DeepReadonly<PVC>): void {
    if (needToAddFinalizer(claim, PVC_PROTECTION_FINALIZER) || isDeletionCandidate(claim, PVC_PROTECTION_FINALIZER)) this.queue.add(claimKey(claim));
  }

  /** The name of a pod that uses the claim, or undefined (isBeingUsed, informer only). */
  private podUsingClaim(claim: DeepReadonly<PVC>): string | undefined {
    const pods = this.pods.byIndex(POD_PVC_INDEX, claimKey(claim));
    return pods.find((pod) => podUsesClaim(pod, claim))?.metadata?.name;
  }

  private enqueueClaims(pod: DeepReadonly<Pod>, deleted: boolean): void {
    for (const key of claimsToRecheck(pod, deleted)) this.queue.add(key);
  }
}

/**
 * The claims (`namespace/name`) to look at again after a pod event (enqueuePVCs): those of a pod
 * that may have stopped holding them — deleted, terminated or not scheduled. A scheduled running
 * pod cannot free anything.
 */
export function claimsToRecheck(pod: DeepReadonly<Pod>, deleted: boolean): string[] {
  if (!deleted && !isPodTerminated(pod) && (pod.spec?.nodeName ?? '') !== '') return [];
  return podPvcIndexFunc(pod);
}

/** Whether the pod holds the claim against deletion (podUsesPVC): see the module doc. */
export function podUsesClaim(pod: DeepReadonly<Pod>, claim: DeepReadonly<PVC>): boolean {
  // Only a pod on a node counts: the kubelet refuses to start a pod whose claim is being deleted.
  if ((pod.spec?.nodeName ?? '') === '') return false;
  if ((pod.metadata?.namespace ?? '') !== (claim.metadata?.namespace ?? '')) return false;
  const name = claim.metadata?.name ?? '';
  return (pod.spec?.volumes ?? []).some((volume) => {
    if (volume.persistentVolumeClaim !== undefined) return volume.persistentVolumeClaim.claimName === name;
    return volume.ephemeral !== undefined && !podIsShutDown(pod) && ephemeralClaimName(pod, volume) === name && isControlledBy(claim, pod);
  });
}

/** Deleted with grace 0: its containers are gone, so its ephemeral claims are free (podIsShutDown). */
function podIsShutDown(pod: DeepReadonly<Pod>): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionGracePeriodSeconds === 0;
}
