/**
 * @module
 * The PV controller's writes (upstream pkg/controller/volume/persistentvolume/pv_controller.go):
 * `bind` and its four steps, the phase and status updates, and `unbindVolume`. Each step writes only
 * when something changes and hands the object the server returned to the next step, so the
 * resourceVersion chains and a concurrent change surfaces as a Conflict for the caller to retry.
 *
 * Also here: {@link PvSyncContext}, what the claim and volume syncs read and write.
 */
import type { coreV1, storageV1 } from '../../api/types/index.js';
import type { Lister } from '../../client/cache/listers.js';
import type { DeepReadonly } from '../../client/object.js';
import type { Logger } from '../../util/logger.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, claimReference, type EventSink, hasAnnotation, isVolumeBoundToClaim, storageAmount } from './volume-util.js';

type PV = coreV1.PersistentVolume;
type PVC = coreV1.PersistentVolumeClaim;
type VolumePhase = NonNullable<coreV1.PersistentVolumeStatus['phase']>;
type ClaimPhase = NonNullable<coreV1.PersistentVolumeClaimStatus['phase']>;

/** The PV controller's API calls: the narrow interface unit tests record. */
export interface PersistentVolumeClient {
  updateVolume(volume: PV): Promise<PV>;
  updateVolumeStatus(volume: PV): Promise<PV>;
  updateClaim(claim: PVC): Promise<PVC>;
  updateClaimStatus(claim: PVC): Promise<PVC>;
  /** A live read of a claim the cache lacks; undefined when the server has none. */
  getClaim(namespace: string, name: string): Promise<PVC | undefined>;
}

/** What the claim and volume syncs read (informer caches) and write. */
export interface PvSyncContext {
  readonly client: PersistentVolumeClient;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly volumes: Lister<PV>;
  readonly claims: Lister<PVC>;
  readonly classes: Lister<storageV1.StorageClass>;
  /** The pods whose volumes use claim `namespace/name`. */
  podsUsingClaim(namespace: string, name: string): readonly DeepReadonly<coreV1.Pod>[];
  /** Syncs claim `namespace/name` soon. */
  enqueueClaim(key: string): void;
}

function clone<T>(object: DeepReadonly<T>): T {
  return structuredClone(object) as T;
}

function setAnnotation(object: PV | PVC, key: string, value: string): void {
  object.metadata = { ...object.metadata, annotations: { ...object.metadata?.annotations, [key]: value } };
}

/**
 * Binds volume and claim to each other (bind): the volume's claimRef, its phase Bound, the claim's
 * volumeName and annotations, its status Bound — four writes in that order, each skipped when
 * already so. A failed write throws; the next sync finishes the binding.
 */
export async function bind(ctx: PvSyncContext, volume: DeepReadonly<PV>, claim: DeepReadonly<PVC>): Promise<void> {
  let boundVolume = await bindVolumeToClaim(ctx, volume, claim);
  boundVolume = await updateVolumePhase(ctx, boundVolume, 'Bound', '');
  const boundClaim = await bindClaimToVolume(ctx, claim, boundVolume);
  await updateClaimStatus(ctx, boundClaim, 'Bound', boundVolume);
  // Logged once: a bound claim's every sync runs bind again, writing nothing.
  if (boundClaim !== claim) ctx.logger.info(`persistentvolume-controller: bound volume ${volume.metadata?.name ?? ''} to claim ${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''}`);
}

/**
 * Points the volume's claimRef at the claim (GetBindVolumeToClaim), marking it bound-by-controller
 * unless it was already pre-bound to this claim.
 */
async function bindVolumeToClaim(ctx: PvSyncContext, volume: DeepReadonly<PV>, claim: DeepReadonly<PVC>): Promise<DeepReadonly<PV>> {
  const prebound = isVolumeBoundToClaim(volume, claim);
  const next = clone<PV>(volume);
  let dirty = false;
  const ref = volume.spec?.claimRef;
  if (ref === undefined || ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace || (ref.uid ?? '') !== (claim.metadata?.uid ?? '')) {
    next.spec = { ...next.spec, claimRef: claimReference(claim) };
    dirty = true;
  }
  if (!prebound && !hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) {
    setAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
    dirty = true;
  }
  return dirty ? ctx.client.updateVolume(next) : volume;
}

/** Sets the claim's volumeName (bound-by-controller when the controller chose it) and bind-completed (bindClaimToVolume). */
async function bindClaimToVolume(ctx: PvSyncContext, claim: DeepReadonly<PVC>, volume: DeepReadonly<PV>): Promise<DeepReadonly<PVC>> {
  const next = clone<PVC>(claim);
  let dirty = false;
  const name = volume.metadata?.name ?? '';
  if (claim.spec?.volumeName !== name) {
    next.spec = { ...next.spec, volumeName: name };
    if (!hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) setAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
    dirty = true;
  }
  if (!hasAnnotation(next, ANN_BIND_COMPLETED)) {
    setAnnotation(next, ANN_BIND_COMPLETED, 'yes');
    dirty = true;
  }
  return dirty ? ctx.client.updateClaim(next) : claim;
}

/**
 * Writes the volume's phase and message when the phase changes (updateVolumePhase); the API server
 * stamps lastPhaseTransitionTime.
 */
export async function updateVolumePhase(ctx: PvSyncContext, volume: DeepReadonly<PV>, phase: VolumePhase, message: string): Promise<DeepReadonly<PV>> {
  if (volume.status?.phase === phase) return volume;
  const next = clone<PV>(volume);
  // An empty message is omitted on the wire, as upstream's omitempty field.
  const status: coreV1.PersistentVolumeStatus = { ...next.status, phase };
  if (message === '') delete status.message;
  else status.message = message;
  next.status = status;
  return ctx.client.updateVolumeStatus(next);
}

/** As {@link updateVolumePhase}, reporting a Warning event only when the phase changed (updateVolumePhaseWithEvent). */
export async function updateVolumePhaseWithEvent(ctx: PvSyncContext, volume: DeepReadonly<PV>, phase: VolumePhase, reason: string, message: string): Promise<DeepReadonly<PV>> {
  if (volume.status?.phase === phase) return volume;
  const updated = await updateVolumePhase(ctx, volume, phase, message);
  ctx.events.event(updated, 'Warning', reason, message);
  return updated;
}

/**
 * Writes the claim's phase, and its accessModes and capacity from the volume — cleared without one
 * (updateClaimStatus). Capacity is copied only when the phase changes: a later difference may be
 * deliberate (a filesystem smaller than its device).
 */
export async function updateClaimStatus(ctx: PvSyncContext, claim: DeepReadonly<PVC>, phase: ClaimPhase, volume: DeepReadonly<PV> | undefined): Promise<DeepReadonly<PVC>> {
  const next = clone<PVC>(claim);
  const status: coreV1.PersistentVolumeClaimStatus = { ...next.status };
  let dirty = false;
  if (claim.status?.phase !== phase) {
    status.phase = phase;
    dirty = true;
  }
  if (volume === undefined) {
    if (status.accessModes !== undefined) {
      delete status.accessModes;
      dirty = true;
    }
    if (status.capacity !== undefined) {
      delete status.capacity;
      dirty = true;
    }
  } else {
    if (JSON.stringify(status.accessModes) !== JSON.stringify(volume.spec?.accessModes)) {
      if (volume.spec?.accessModes === undefined) delete status.accessModes;
      else status.accessModes = [...volume.spec.accessModes];
      dirty = true;
    }
    if (claim.status?.phase !== phase) {
      const capacity = volume.spec?.capacity?.['storage'];
      if (capacity === undefined) throw new Error(`PersistentVolume ${JSON.stringify(volume.metadata?.name ?? '')} is without a storage capacity`);
      const current = status.capacity?.['storage'];
      if (current === undefined || storageAmount({ storage: capacity }).cmp(storageAmount({ storage: current })) !== 0) {
        status.capacity = { ...volume.spec?.capacity };
        dirty = true;
      }
    }
  }
  if (!dirty) return claim;
  next.status = status;
  return ctx.client.updateClaimStatus(next);
}

/** As {@link updateClaimStatus}, reporting a Warning event only when the phase changed (updateClaimStatusWithEvent). */
export async function updateClaimStatusWithEvent(ctx: PvSyncContext, claim: DeepReadonly<PVC>, phase: ClaimPhase, reason: string, message: string): Promise<DeepReadonly<PVC>> {
  if (claim.status?.phase === phase) return claim;
  const updated = await updateClaimStatus(ctx, claim, phase, undefined);
  ctx.events.event(updated, 'Warning', reason, message);
  return updated;
}

/**
 * Frees a volume whose claim is bound elsewhere (unbindVolume): one the controller bound loses its
 * claimRef and bound-by-controller; one the user pre-bound keeps its claimRef without the uid. Then
 * the phase is Available.
 */
export async function unbindVolume(ctx: PvSyncContext, volume: DeepReadonly<PV>): Promise<void> {
  const next = clone<PV>(volume);
  if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
    if (next.spec !== undefined) delete next.spec.claimRef;
    const annotations = { ...next.metadata?.annotations };
    delete annotations[ANN_BOUND_BY_CONTROLLER];
    if (next.metadata !== undefined) {
      if (Object.keys(annotations).length === 0) delete next.metadata.annotations;
      else next.metadata.annotations = annotations;
    }
  } else if (next.spec?.claimRef !== undefined) {
    // An empty uid is omitted on the wire: the volume stays pre-bound to the claim by name.
    delete next.spec.claimRef.uid;
  }
  const updated = await ctx.client.updateVolume(next);
  await updateVolumePhase(ctx, updated, 'Available', '');
}
