/**
 * @module
 * The PV controller's sync of one volume (upstream pkg/controller/volume/persistentvolume/
 * pv_controller.go syncVolume and reclaimVolume).
 *
 * A volume without a claimRef, or pre-bound by name only (no uid), is Available. A volume whose
 * claim is gone is Released — no event — and reclaimed by its policy: Retain keeps it as it is;
 * Delete is left to the external provisioner that made it (the simulated provisioner here), while a
 * volume no external provisioner owns fails as upstream's does without a deleter plugin; Recycle
 * fails likewise, kubelite having no recycler. A volume whose claim is not bound yet sends the claim
 * to its sync; one whose claim names it is Bound; one whose claim went to another volume is freed.
 *
 * Left out: the `kubernetes.io/pv-controller` deletion finalizer (HonorPVReclaimPolicy, only for
 * in-tree provisioners), migrated-to annotations, and the recycler pod.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { type PvSyncContext, unbindVolume, updateVolumePhase, updateVolumePhaseWithEvent } from './pv-binding.js';
import { ANN_DYNAMICALLY_PROVISIONED, ANN_MIGRATED_TO, annotation, claimKey, hasAnnotation, VolumeEventReason, volumeModeMismatch } from './volume-util.js';

type PV = DeepReadonly<coreV1.PersistentVolume>;
type PVC = DeepReadonly<coreV1.PersistentVolumeClaim>;

/** Brings one volume's phase in line with its claim (syncVolume). Throws a failed write, for the caller to retry. */
export async function syncVolume(ctx: PvSyncContext, volume: PV): Promise<void> {
  const ref = volume.spec?.claimRef;
  if (ref === undefined || (ref.uid ?? '') === '') {
    // Unused, or reserved for a claim whose own sync will finish the binding.
    await updateVolumePhase(ctx, volume, 'Available', '');
    return;
  }
  const claim = await findClaim(ctx, volume, ref);
  if (claim === undefined) {
    // The claim was deleted. A Failed phase is kept so the user sees it, while reclaim is retried.
    let released = volume;
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
      released = await updateVolumePhase(ctx, volume, 'Released', '');
    }
    await reclaimVolume(ctx, released);
    return;
  }
  const volumeName = volume.metadata?.name ?? '';
  const claimVolumeName = claim.spec?.volumeName ?? '';
  if (claimVolumeName === '') {
    if (volumeModeMismatch(claim, volume)) {
      // The claim's sync would never pick this volume: say why on both.
      ctx.events.event(volume, 'Warning', VolumeEventReason.VolumeMismatch, `Cannot bind PersistentVolume to requested PersistentVolumeClaim ${JSON.stringify(claim.metadata?.name ?? '')} due to incompatible volumeMode.`);
      ctx.events.event(claim, 'Warning', VolumeEventReason.VolumeMismatch, `Cannot bind PersistentVolume ${JSON.stringify(volumeName)} to requested PersistentVolumeClaim due to incompatible volumeMode.`);
      return;
    }
    // Half bound (or just provisioned for the claim): the claim's sync binds it, soon.
    ctx.enqueueClaim(claimKey(claim));
    return;
  }
  if (claimVolumeName === volumeName) {
    await updateVolumePhase(ctx, volume, 'Bound', '');
    return;
  }
  // The claim is bound to another volume.
  if (hasAnnotation(volume, ANN_DYNAMICALLY_PROVISIONED) && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    // Provisioned for this claim but not needed after all: release it for deletion.
    let released = volume;
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
      released = await updateVolumePhase(ctx, volume, 'Released', '');
    }
    await reclaimVolume(ctx, released);
    return;
  }
  // Bound by the controller: undo it; pre-bound by the user: keep the name, drop the uid.
  await unbindVolume(ctx, volume);
}

/**
 * The claim the volume's claimRef names, or undefined when it is gone: the cache first, then — for
 * a volume not yet released, so a claim the cache has not seen yet is not taken for deleted — the
 * server; a claim of that name with another uid is a new claim, the old one gone.
 */
async function findClaim(ctx: PvSyncContext, volume: PV, ref: DeepReadonly<coreV1.ObjectReference>): Promise<PVC | undefined> {
  const namespace = ref.namespace ?? '';
  const name = ref.name ?? '';
  let claim: PVC | undefined = ctx.claims.namespace(namespace).get(name);
  if (claim === undefined && volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
    claim = await ctx.client.getClaim(namespace, name);
  }
  if (claim !== undefined && claim.metadata?.uid !== ref.uid) {
    // The cache may be behind a claim recreated under the same name: ask the server.
    claim = await ctx.client.getClaim(namespace, name);
    if (claim !== undefined && claim.metadata?.uid !== ref.uid) claim = undefined;
  }
  return claim;
}

/** Applies the reclaim policy of a released volume (reclaimVolume). */
async function reclaimVolume(ctx: PvSyncContext, volume: PV): Promise<void> {
  if ((annotation(volume, ANN_MIGRATED_TO) ?? '') !== '') return;
  const name = volume.metadata?.name ?? '';
  const policy = volume.spec?.persistentVolumeReclaimPolicy;
  switch (policy) {
    case 'Retain':
      return;
    case 'Recycle':
      await updateVolumePhaseWithEvent(ctx, volume, 'Failed', VolumeEventReason.VolumeFailedRecycle, 'No recycler plugin found for the volume!');
      return;
    case 'Delete': {
      const provisioner = annotation(volume, ANN_DYNAMICALLY_PROVISIONED) ?? '';
      // An external provisioner deletes its own volumes (upstream: "External deleter for volume
      // requested, ignoring").
      if (provisioner !== '' && !provisioner.startsWith('kubernetes.io/')) return;
      // No in-tree deleter exists here, so the volume fails with upstream's message for that case.
      const message = provisioner !== '' ? `no volume plugin matched name: ${provisioner}` : `error getting deleter volume plugin for volume ${JSON.stringify(name)}: no deletable volume plugin matched`;
      await updateVolumePhaseWithEvent(ctx, volume, 'Failed', VolumeEventReason.VolumeFailedDelete, message);
      return;
    }
    case undefined:
    default:
      await updateVolumePhaseWithEvent(ctx, volume, 'Failed', VolumeEventReason.VolumeUnknownReclaimPolicy, 'Volume has unrecognized PersistentVolumeReclaimPolicy');
  }
}
