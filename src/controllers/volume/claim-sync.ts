/**
 * @module
 * The PV controller's sync of one claim (upstream pkg/controller/volume/persistentvolume/
 * pv_controller.go syncClaim, syncUnboundClaim, syncBoundClaim, provisionClaim and
 * provisionClaimOperationExternal).
 *
 * An unbound claim without spec.volumeName gets the best matching volume (volume-matching.ts). With
 * none it is given the default class when it has no class at all, and otherwise waits for its first
 * consumer (WaitForFirstConsumer without a selected node), is handed to its class's external
 * provisioner (and is left as it is), or is reported as unbindable; a claim not handed to a
 * provisioner is Pending. A claim that names its volume is bound to it when the volume is free and
 * fits. A bound claim whose volume went away, or went to
 * another claim, is Lost.
 *
 * Left out: in-tree provisioning plugins (kubelite has none: a `kubernetes.io/` provisioner fails as
 * upstream does when its plugin is missing), CSI migration, and the claim cache the controller keeps
 * besides the informer's.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { errorMessage } from '../../util/logger.js';
import { checkVolumeSatisfyClaim, findBestMatchForClaim } from './volume-matching.js';
import { bind, type PvSyncContext, updateClaimStatus, updateClaimStatusWithEvent } from './pv-binding.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_STORAGE_PROVISIONER,
  annotation,
  claimClass,
  claimHasClass,
  claimKey,
  claimRefKey,
  defaultStorageClass,
  hasAnnotation,
  isDelayBindingMode,
  isDelayBindingProvisioning,
  isPodTerminated,
  isVolumeBoundToClaim,
  VolumeEventReason,
} from './volume-util.js';

type PVC = coreV1.PersistentVolumeClaim;
type Claim = DeepReadonly<PVC>;

/** Brings one claim towards Bound (syncClaim). Throws a failed write, for the caller to retry. */
export async function syncClaim(ctx: PvSyncContext, claim: Claim): Promise<void> {
  if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) await syncUnboundClaim(ctx, claim);
  else await syncBoundClaim(ctx, claim);
}

async function syncUnboundClaim(ctx: PvSyncContext, claim: Claim): Promise<void> {
  const volumeName = claim.spec?.volumeName ?? '';
  if (volumeName === '') {
    await syncClaimWithoutVolumeName(ctx, claim);
    return;
  }
  // The user asked for a specific volume.
  const volume = ctx.volumes.get(volumeName);
  if (volume === undefined) {
    // It may be created later: stay Pending and look again on the next sync.
    await updateClaimStatus(ctx, claim, 'Pending', undefined);
    return;
  }
  if (volume.spec?.claimRef === undefined) {
    const reason = checkVolumeSatisfyClaim(volume, claim);
    if (reason !== undefined) {
      ctx.events.event(claim, 'Warning', VolumeEventReason.VolumeMismatch, `Cannot bind to requested volume ${JSON.stringify(volumeName)}: ${reason}`);
      await updateClaimStatus(ctx, claim, 'Pending', undefined);
      return;
    }
    await bind(ctx, volume, claim);
    return;
  }
  if (isVolumeBoundToClaim(volume, claim)) {
    // The volume already points here (pre-bound by the user, or a bind left half done).
    await bind(ctx, volume, claim);
    return;
  }
  ctx.events.event(claim, 'Warning', VolumeEventReason.FailedBinding, `volume ${JSON.stringify(volumeName)} already bound to a different claim.`);
  if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
    // The user's choice: wait until the volume is freed.
    await updateClaimStatus(ctx, claim, 'Pending', undefined);
    return;
  }
  // Only someone removing bind-completed from a claim the controller bound gets here.
  throw new Error(`invalid binding of claim ${JSON.stringify(claimKey(claim))} to volume ${JSON.stringify(volumeName)}: volume already claimed by ${JSON.stringify(claimRefKey(volume.spec.claimRef))}`);
}

async function syncClaimWithoutVolumeName(ctx: PvSyncContext, claim: Claim): Promise<void> {
  const delayBinding = isDelayBindingMode(claim, ctx.classes);
  let volume: DeepReadonly<coreV1.PersistentVolume> | undefined;
  try {
    volume = findBestMatchForClaim(ctx.volumes.list(), claim, delayBinding);
  } catch (error) {
    throw new Error(`error finding PV for claim ${JSON.stringify(claimKey(claim))}: ${errorMessage(error)}`);
  }
  if (volume !== undefined) {
    await bind(ctx, volume, claim);
    return;
  }
  // A claim that never chose a class gets today's default; the update's event syncs it again.
  if (await assignDefaultStorageClass(ctx, claim)) return;
  if (delayBinding && !isDelayBindingProvisioning(claim)) {
    emitEventForUnboundDelayBindingClaim(ctx, claim);
  } else if (claimClass(claim) !== '') {
    // The provisioner creates the volume; its event brings the claim back here to bind.
    await provisionClaim(ctx, claim);
    return;
  } else {
    ctx.events.event(claim, 'Normal', VolumeEventReason.FailedBinding, 'no persistent volumes available for this claim and no storage class is set');
  }
  await updateClaimStatus(ctx, claim, 'Pending', undefined);
}

/** Sets the default class on a claim without one (assignDefaultStorageClass); true when it wrote. */
async function assignDefaultStorageClass(ctx: PvSyncContext, claim: Claim): Promise<boolean> {
  if (claimHasClass(claim)) return false;
  const cls = defaultStorageClass(ctx.classes);
  if (cls === undefined) return false;
  const next = structuredClone(claim) as PVC;
  next.spec = { ...next.spec, storageClassName: cls.metadata?.name ?? '' };
  try {
    await ctx.client.updateClaim(next);
  } catch (error) {
    throw new Error(`can't update PersistentVolumeClaim[${JSON.stringify(claimKey(claim))}]: ${errorMessage(error)}`);
  }
  return true;
}

/** Says what a WaitForFirstConsumer claim waits for: a pod, or that pod's scheduling (emitEventForUnboundDelayBindingClaim). */
function emitEventForUnboundDelayBindingClaim(ctx: PvSyncContext, claim: Claim): void {
  const pods = ctx.podsUsingClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
  const waiting = pods.filter((pod) => !isPodTerminated(pod) && (pod.spec?.nodeName ?? '') === '').map((pod) => pod.metadata?.name ?? '');
  if (waiting.length === 0) {
    ctx.events.event(claim, 'Normal', VolumeEventReason.WaitForFirstConsumer, 'waiting for first consumer to be created before binding');
  } else if (waiting.length === 1) {
    ctx.events.event(claim, 'Normal', VolumeEventReason.WaitForPodScheduled, `waiting for pod ${waiting[0] ?? ''} to be scheduled`);
  } else {
    ctx.events.event(claim, 'Normal', VolumeEventReason.WaitForPodScheduled, `waiting for pods ${waiting.join(',')} to be scheduled`);
  }
}

/**
 * Asks the class's provisioner for a volume (provisionClaim). A missing class or in-tree plugin is
 * reported and left for a later sync, as upstream does; an external provisioner is named on the
 * claim (provisionClaimOperationExternal), and the claim stays as it is until the volume appears.
 */
async function provisionClaim(ctx: PvSyncContext, claim: Claim): Promise<void> {
  const className = claimClass(claim);
  const cls = ctx.classes.get(className);
  if (cls === undefined) {
    ctx.events.event(claim, 'Warning', VolumeEventReason.ProvisioningFailed, `storageclass.storage.k8s.io ${JSON.stringify(className)} not found`);
    return;
  }
  const provisioner = cls.provisioner;
  if (provisioner.startsWith('kubernetes.io/')) {
    ctx.events.event(claim, 'Warning', VolumeEventReason.ProvisioningFailed, `no volume plugin matched name: ${provisioner}`);
    return;
  }
  let current = claim;
  if (annotation(claim, ANN_STORAGE_PROVISIONER) !== provisioner) {
    // setClaimProvisioner: both the GA and the beta annotation, for provisioners reading either.
    const next = structuredClone(claim) as PVC;
    next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner } };
    try {
      current = await ctx.client.updateClaim(next);
    } catch (error) {
      ctx.events.event(claim, 'Warning', VolumeEventReason.ProvisioningFailed, `Error saving claim: ${errorMessage(error)}`);
      throw error;
    }
  }
  const message =
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. ` +
    'If volume creation is delayed, please verify that the provisioner is running and correctly registered.';
  ctx.events.event(current, 'Normal', VolumeEventReason.ExternalProvisioning, message);
}

async function syncBoundClaim(ctx: PvSyncContext, claim: Claim): Promise<void> {
  const volumeName = claim.spec?.volumeName ?? '';
  if (volumeName === '') {
    await updateClaimStatusWithEvent(ctx, claim, 'Lost', VolumeEventReason.ClaimLost, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    return;
  }
  const volume = ctx.volumes.get(volumeName);
  if (volume === undefined) {
    await updateClaimStatusWithEvent(ctx, claim, 'Lost', VolumeEventReason.ClaimLost, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    return;
  }
  const ref = volume.spec?.claimRef;
  if (ref === undefined || ref.uid === claim.metadata?.uid) {
    // Unbound volume (or a cache behind our own bind), or all is well: bind() repairs what is missing.
    await bind(ctx, volume, claim);
    return;
  }
  await updateClaimStatusWithEvent(ctx, claim, 'Lost', VolumeEventReason.ClaimMisbound, 'Two claims are bound to the same volume, this one is bound incorrectly');
}
