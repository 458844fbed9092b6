/**
 * @module
 * Which volume a claim gets: upstream's persistentVolumeOrderedIndex.findByClaim
 * (pkg/controller/volume/persistentvolume/index.go) over component-helpers' FindMatchingVolume
 * (storage/volume/pv_helpers.go), in the PV controller's form — no node, so node affinity is not
 * checked here — and checkVolumeSatisfyClaim (pv_controller.go) for a claim that names its volume.
 *
 * Volumes are grouped by their set of access modes; only groups holding every requested mode are
 * searched, those with the fewest modes first, and the first group with a match decides. Within a
 * group a volume pre-bound to the claim wins at once; otherwise the smallest Available volume of the
 * claim's class whose labels the claim's selector matches, the first seen winning a tie. A
 * WaitForFirstConsumer claim takes only a pre-bound volume: the scheduler picks the others.
 */
import type { coreV1 } from '../../api/types/index.js';
import { selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { Quantity } from '../../api/quantity.js';
import type { DeepReadonly } from '../../client/object.js';
import { errorMessage } from '../../util/logger.js';
import { claimClass, claimKey, containsAllAccessModes, isVolumeBoundToClaim, storageAmount, volumeClass, volumeModeMismatch } from './volume-util.js';

type PV = DeepReadonly<coreV1.PersistentVolume>;
type PVC = DeepReadonly<coreV1.PersistentVolumeClaim>;

/** Upstream's order of modes in an index key (GetAccessModesAsString). */
const MODE_ORDER: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** The index key of a set of access modes: `RWO,ROX`, each mode once, in upstream's order. */
export function accessModesKey(modes: readonly string[] | undefined): string {
  return MODE_ORDER.filter(([mode]) => (modes ?? []).includes(mode))
    .map(([, short]) => short)
    .join(',');
}

/**
 * The best volume for an unbound claim, or undefined (findByClaim). Throws for a claim whose
 * selector does not parse or that asks for a VolumeAttributesClass, as upstream errors.
 */
export function findBestMatchForClaim(volumes: readonly PV[], claim: PVC, delayBinding: boolean): PV | undefined {
  const groups = new Map<string, { modes: readonly string[]; volumes: PV[] }>();
  for (const volume of volumes) {
    const key = accessModesKey(volume.spec?.accessModes);
    const group = groups.get(key) ?? { modes: volume.spec?.accessModes ?? [], volumes: [] };
    group.volumes.push(volume);
    groups.set(key, group);
  }
  // Upstream walks the groups in map order among equal sizes; the key breaks those ties here, so a
  // sync is repeatable.
  const candidates = [...groups.entries()]
    .filter(([, group]) => containsAllAccessModes(group.modes, claim.spec?.accessModes))
    .sort(([a], [b]) => countModes(a) - countModes(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [, group] of candidates) {
    const match = findMatchingVolume(claim, group.volumes, delayBinding);
    if (match !== undefined) return match;
  }
  return undefined;
}

function countModes(key: string): number {
  return key === '' ? 0 : key.split(',').length;
}

/** FindMatchingVolume without a node (the PV controller's path): see the module doc for the rules. */
export function findMatchingVolume(claim: PVC, volumes: readonly PV[], delayBinding: boolean): PV | undefined {
  const request = storageAmount(claim.spec?.resources?.requests);
  const requestedClass = claimClass(claim);
  let selector: LabelSelector | undefined;
  if (claim.spec?.selector !== undefined) {
    try {
      selector = selectorFromLabelSelector(claim.spec.selector);
    } catch (error) {
      throw new Error(`error creating internal label selector for claim: ${claimKey(claim)}: ${errorMessage(error)}`);
    }
  }
  let smallest: { volume: PV; capacity: Quantity } | undefined;
  for (const volume of volumes) {
    if (volume.spec?.claimRef !== undefined && !isVolumeBoundToClaim(volume, claim)) continue;
    const capacity = storageAmount(volume.spec?.capacity);
    if (capacity.cmp(request) < 0) continue;
    if (volumeModeMismatch(claim, volume)) continue;
    // The VolumeAttributesClass gate is off by default in 1.32: a volume with a class is never
    // matched, and a claim that names one is an error.
    if ((volume.spec?.volumeAttributesClassName ?? '') !== '') continue;
    if ((claim.spec?.volumeAttributesClassName ?? '') !== '') {
      throw new Error(`unsupported volumeAttributesClassName is set on claim ${claimKey(claim)} when the feature-gate VolumeAttributesClass is disabled`);
    }
    if (volume.metadata?.deletionTimestamp !== undefined) continue;
    // A volume pre-bound to this claim wins whatever its phase, class or labels.
    if (isVolumeBoundToClaim(volume, claim)) return volume;
    if (delayBinding) continue;
    if (volume.status?.phase !== 'Available') continue;
    if (selector !== undefined && !selector.matches(volume.metadata?.labels)) continue;
    if (volumeClass(volume) !== requestedClass) continue;
    if (smallest === undefined || capacity.cmp(smallest.capacity) < 0) smallest = { volume, capacity };
  }
  return smallest?.volume;
}

/**
 * Why the volume a claim names cannot be bound to it, or undefined when it can
 * (checkVolumeSatisfyClaim): deletion, size, class, volumeMode, access modes, in that order.
 */
export function checkVolumeSatisfyClaim(volume: PV, claim: PVC): string | undefined {
  if (volume.metadata?.deletionTimestamp !== undefined) return `the volume is marked for deletion ${JSON.stringify(volume.metadata.name ?? '')}`;
  if (storageAmount(volume.spec?.capacity).cmp(storageAmount(claim.spec?.resources?.requests)) < 0) return 'requested PV is too small';
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, volume)) return 'incompatible volumeMode';
  if (!containsAllAccessModes(volume.spec?.accessModes, claim.spec?.accessModes)) return 'incompatible accessMode';
  return undefined;
}
