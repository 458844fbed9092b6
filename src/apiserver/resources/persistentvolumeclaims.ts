/**
 * @module
 * core/v1 PersistentVolumeClaims, stored, defaulted and validated as kube-apiserver does
 * (pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaim, …Update and …StatusUpdate,
 * pkg/registry/core/persistentvolumeclaim), with the admission plugins that act on claims:
 *
 * - a claim asks for access modes (ReadWriteOncePod alone) and a positive storage request; its
 *   class, when named, is a DNS subdomain; a new claim is Pending; spec.volumeAttributesClassName is
 *   dropped, as 1.32 drops it with the VolumeAttributesClass gate off (so for volumes);
 * - after creation only spec.volumeName may be set (once), a class given to a claim without one,
 *   and — for a bound claim — the storage request changed; it never drops below the capacity in
 *   the status (RecoverVolumeExpansionFailure, on in 1.32);
 * - **DefaultStorageClass** (plugin/pkg/admission/storage/storageclass/setdefault): a claim created
 *   without spec.storageClassName (or the beta class annotation) gets the default StorageClass;
 * - **StorageObjectInUseProtection**: a new claim gets the kubernetes.io/pvc-protection finalizer
 *   (a new volume kubernetes.io/pv-protection), which the protection controllers remove when the
 *   object is no longer used;
 * - **PersistentVolumeClaimResize** (plugin/pkg/admission/storage/persistentvolume/resize): a bound
 *   claim grows only when its StorageClass allows volume expansion.
 *
 * `kubectl get pvc` shows upstream's columns (pkg/printers/internalversion/printers.go
 * printPersistentVolumeClaim): capacity and access modes from the status, once a volume is named.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject } from '../../api/json.js';
import { Quantity } from '../../api/quantity.js';
import { forbidden } from '../../api/status.js';
import type { HookContext, ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defaultClassName } from './default-class.js';
import { defineResource } from './define.js';
import { VOLUME_MODES, accessModeErrors, addFinalizer, dropVolumeAttributesClass, accessModesText, classNameErrors, positiveQuantityErrors, quantityText } from './persistentvolumes.js';
import { ensureObject } from './pod-json.js';
import { validateLabelSelector } from './pod-validation-scheduling.js';
import { semanticEqual } from './pod-validation-status.js';
import { STORAGE_CLASSES, STORAGE_CLASS_RESOURCE, STORAGE_GROUP } from './storageclasses.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** The class of claims from before spec.storageClassName (still read first by upstream's helpers). */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export const PERSISTENT_VOLUME_CLAIMS: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  shortNames: ['pvc'],
  statusSubresource: true,
  strategy: {
    defaults: (object) => {
      const spec = ensureObject(object, 'spec');
      spec.volumeMode ??= 'Filesystem';
      ensureObject(object, 'status').phase ??= 'Pending';
    },
    prepareForCreate: (object) => {
      dropVolumeAttributesClass(object, undefined);
      object.status = { phase: 'Pending' };
    },
    prepareForUpdate: (object, old) => dropVolumeAttributesClass(object, old),
    admit: admitClaim,
    validate: (object) => validateClaimSpec(ensureObject(object, 'spec')),
    validateUpdate: (object, old, context) => (context.subresource === 'status' ? validateClaimStatus(object) : validateClaimUpdate(object, old)),
    validateAdmission: admitResize,
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Status', type: 'string', description: 'The phase of the claim.', priority: 0 },
      { name: 'Volume', type: 'string', description: 'The PersistentVolume bound to the claim.', priority: 0 },
      { name: 'Capacity', type: 'string', description: 'The storage of the bound volume.', priority: 0 },
      { name: 'Access Modes', type: 'string', description: 'How the bound volume can be mounted.', priority: 0 },
      { name: 'StorageClass', type: 'string', description: 'StorageClass of the pvc', priority: 0 },
      { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pvc', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
      { name: 'VolumeMode', type: 'string', description: 'Whether the claim is for a filesystem or a raw block device.', priority: 1 },
    ],
    cells: (object, now) => {
      const spec = getObject(object, 'spec') ?? {};
      const status = getObject(object, 'status') ?? {};
      const volumeName = typeof spec.volumeName === 'string' ? spec.volumeName : '';
      const deleting = getObject(object, 'metadata')?.deletionTimestamp !== undefined;
      return [
        nameOf(object),
        deleting ? 'Terminating' : typeof status.phase === 'string' ? status.phase : '',
        volumeName,
        volumeName === '' ? '' : quantityText(getObject(status, 'capacity')?.storage),
        volumeName === '' ? '' : accessModesText(status.accessModes),
        claimClass(object) ?? '',
        typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
        age(object, now),
        typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
      ];
    },
  },
});

/** GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName; undefined when neither. */
function claimClass(object: JsonObject): string | undefined {
  const annotation = getObject(getObject(object, 'metadata') ?? {}, 'annotations')?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (typeof annotation === 'string') return annotation;
  const name = getObject(object, 'spec')?.storageClassName;
  return typeof name === 'string' ? name : undefined;
}

/** DefaultStorageClass and StorageObjectInUseProtection, on create of the claim itself. */
async function admitClaim(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void> {
  if (old !== undefined || context.subresource !== undefined) return;
  addFinalizer(object, PVC_PROTECTION_FINALIZER);
  if (claimClass(object) !== undefined) return;
  const chosen = await defaultClassName(context.lookup, STORAGE_CLASS_RESOURCE);
  if (chosen !== undefined) ensureObject(object, 'spec').storageClassName = chosen;
}

/** ValidatePersistentVolumeClaimSpec, in upstream's order and words. */
export function validateClaimSpec(spec: JsonObject, path = 'spec'): FieldError[] {
  const errors: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errors.push(fieldErrors.required(`${path}.accessModes`, 'at least 1 access mode is required'));
  const selector = getObject(spec, 'selector');
  if (selector !== undefined) errors.push(...validateLabelSelector(selector, `${path}.selector`));
  errors.push(...accessModeErrors(modes, `${path}.accessModes`));
  const requests = getObject(getObject(spec, 'resources') ?? {}, 'requests') ?? {};
  if (requests.storage === undefined) errors.push(fieldErrors.required(`${path}.resources[storage]`, ''));
  else errors.push(...positiveQuantityErrors(requests.storage, `${path}.resources[storage]`));
  errors.push(...classNameErrors(spec.storageClassName, `${path}.storageClassName`));
  const volumeMode = spec.volumeMode;
  if (typeof volumeMode === 'string' && !VOLUME_MODES.includes(volumeMode)) errors.push(fieldErrors.notSupported(`${path}.volumeMode`, volumeMode, VOLUME_MODES));
  errors.push(...dataSourceErrors(spec, path));
  return errors;
}

/** The data source rules users meet: a kind and a name; a core-group source is a claim. */
function dataSourceErrors(spec: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['dataSource', 'dataSourceRef']) {
    const source = getObject(spec, field);
    if (source === undefined) continue;
    if (typeof source.name !== 'string' || source.name === '') errors.push(fieldErrors.required(`${path}.${field}.name`, ''));
    const kind = typeof source.kind === 'string' ? source.kind : '';
    if (kind === '') errors.push(fieldErrors.required(`${path}.${field}.kind`, ''));
    const group = typeof source.apiGroup === 'string' ? source.apiGroup : '';
    if (group === '' && kind !== '' && kind !== 'PersistentVolumeClaim') {
      errors.push(fieldErrors.invalid(`${path}.${field}`, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    }
  }
  return errors;
}

/**
 * ValidatePersistentVolumeClaimUpdate: the spec is fixed after creation but for a volume name set
 * once, a class given to a claim that had none, and a bound claim's storage request (which never
 * drops to the capacity the status records or below).
 */
function validateClaimUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const errors = validateClaimSpec(ensureObject(object, 'spec'));
  const spec = ensureObject(object, 'spec');
  const oldSpec = getObject(old, 'spec') ?? {};
  const masked: JsonObject = { ...spec };
  const oldMasked: JsonObject = { ...oldSpec };
  if (oldSpec.volumeName === undefined || oldSpec.volumeName === '') oldMasked.volumeName = masked.volumeName ?? null;
  const oldAnnotation = getObject(getObject(old, 'metadata') ?? {}, 'annotations')?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (oldSpec.storageClassName === undefined && (oldAnnotation === undefined || oldAnnotation === spec.storageClassName)) {
    oldMasked.storageClassName = masked.storageClassName ?? null;
  }
  const bound = getObject(old, 'status')?.phase === 'Bound';
  if (bound) {
    masked.resources = withStorage(masked.resources, getObject(getObject(oldSpec, 'resources') ?? {}, 'requests')?.storage);
    if (masked.volumeAttributesClassName !== undefined) masked.volumeAttributesClassName = oldMasked.volumeAttributesClassName ?? null;
  }
  if (!semanticEqual(withoutNulls(masked), withoutNulls(oldMasked))) {
    errors.push(fieldErrors.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newSize = quantityOf(getObject(getObject(spec, 'resources') ?? {}, 'requests')?.storage);
  const oldSize = quantityOf(getObject(getObject(oldSpec, 'resources') ?? {}, 'requests')?.storage);
  const statusSize = quantityOf(getObject(getObject(old, 'status') ?? {}, 'capacity')?.storage) ?? Quantity.fromValue(0);
  if (newSize !== undefined && oldSize !== undefined && newSize.cmp(oldSize) < 0 && newSize.cmp(statusSize) <= 0) {
    errors.push(fieldErrors.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if (spec.volumeMode !== oldSpec.volumeMode) errors.push(fieldErrors.invalid('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  return errors;
}

/** ValidatePersistentVolumeClaimStatusUpdate: access modes still there, capacities that are quantities. */
function validateClaimStatus(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const modes = getObject(object, 'spec')?.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) errors.push(fieldErrors.required('Spec.accessModes', ''));
  const capacity = getObject(getObject(object, 'status') ?? {}, 'capacity') ?? {};
  for (const [resource, value] of Object.entries(capacity)) {
    const parsed = quantityOf(value);
    if (parsed === undefined || parsed.sign() < 0) errors.push(fieldErrors.invalid(`status.capacity[${resource}]`, value ?? null, 'must be a valid resource quantity'));
  }
  return errors;
}

/** PersistentVolumeClaimResize: a bound claim grows only within a class that allows expansion. */
async function admitResize(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void> {
  if (old === undefined || context.subresource !== undefined) return;
  const newSize = quantityOf(getObject(getObject(getObject(object, 'spec') ?? {}, 'resources') ?? {}, 'requests')?.storage);
  const oldSize = quantityOf(getObject(getObject(getObject(old, 'spec') ?? {}, 'resources') ?? {}, 'requests')?.storage);
  if (newSize === undefined || oldSize === undefined || newSize.cmp(oldSize) <= 0) return;
  const refuse = (message: string): Error => forbidden({ group: '', resource: PERSISTENT_VOLUME_CLAIMS.resource }, nameOf(object), message);
  if (getObject(old, 'status')?.phase !== 'Bound') throw refuse('Only bound persistent volume claims can be expanded');
  const className = claimClass(object);
  const store = context.lookup(STORAGE_GROUP, 'v1', STORAGE_CLASSES.resource);
  const storageClass = className === undefined || className === '' || className !== claimClass(old) ? undefined : store?.cache.get(store.key('', className))?.object;
  if (storageClass?.allowVolumeExpansion !== true) {
    throw refuse('only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
  }
}

function quantityOf(value: JsonValue | undefined): Quantity | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const parsed = Quantity.safeParse(String(value));
  return parsed.ok ? parsed.quantity : undefined;
}

function withStorage(resources: JsonValue | undefined, storage: JsonValue | undefined): JsonObject {
  const copy: JsonObject = isJsonObject(resources) ? { ...resources } : {};
  const requests: JsonObject = isJsonObject(copy.requests) ? { ...copy.requests } : {};
  if (storage === undefined) delete requests.storage;
  else requests.storage = storage;
  copy.requests = requests;
  return copy;
}

/** The spec without the fields a mask set to null (absent and null compare alike). */
function withoutNulls(spec: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== null && value !== undefined));
}
