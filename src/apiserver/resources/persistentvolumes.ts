/**
 * @module
 * core/v1 PersistentVolumes, stored, defaulted and validated as kube-apiserver does
 * (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume, pkg/apis/core/validation/validation.go
 * ValidatePersistentVolume, ValidatePersistentVolumeUpdate, pkg/registry/core/persistentvolume):
 *
 * - a volume has access modes, a storage capacity (and nothing else), exactly one source (the first
 *   one set is validated, the others refused), a reclaim policy of Retain (the default), Delete or
 *   Recycle, and node affinity with required terms when given — a local volume must have it;
 * - its source never changes after creation, nor its volume mode; node affinity, once set, neither;
 * - status is a subresource; a new volume is Pending, and each change of phase stamps
 *   status.lastPhaseTransitionTime;
 * - the StorageObjectInUseProtection admission gives a new volume the kubernetes.io/pv-protection
 *   finalizer, which the protection controller removes once no claim is bound to it.
 *
 * `kubectl get pv` shows upstream's columns (pkg/printers/internalversion/printers.go
 * printPersistentVolume).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject } from '../../api/json.js';
import { text } from '../../api/json-values.js';
import { Quantity } from '../../api/quantity.js';
import { formatTime } from '../../api/time.js';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import type { HookContext, ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { semanticEqual } from './pod-validation-status.js';
import { validateNodeSelector } from './pod-validation-scheduling.js';
import { ensureObject } from './pod-json.js';
import { noBackstepErrors } from './pod-validation-paths.js';
import { validateSourceFields } from './pod-validation-volumes.js';

export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** PersistentVolumeSource's members, in the order ValidatePersistentVolumeSpec checks them. */
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi',
  'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO',
  'local', 'storageos', 'csi',
] as const;

export const PERSISTENT_VOLUMES: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  namespaced: false,
  schema: 'io.k8s.api.core.v1.PersistentVolume',
  shortNames: ['pv'],
  statusSubresource: true,
  strategy: {
    defaults: (object) => {
      const spec = ensureObject(object, 'spec');
      spec.persistentVolumeReclaimPolicy ??= 'Retain';
      spec.volumeMode ??= 'Filesystem';
      const hostPath = getObject(spec, 'hostPath');
      if (hostPath !== undefined) hostPath.type ??= '';
      const status = ensureObject(object, 'status');
      status.phase ??= 'Pending';
    },
    admit: admitVolume,
    prepareForCreate: (object, context) => {
      dropVolumeAttributesClass(object, undefined);
      object.status = { phase: 'Pending', lastPhaseTransitionTime: formatTime(context.now) };
    },
    prepareForUpdate: (object, old, context) => {
      dropVolumeAttributesClass(object, old);
      if (context.subresource !== 'status') return;
      const status = ensureObject(object, 'status');
      if (status.phase !== getObject(old, 'status')?.phase) status.lastPhaseTransitionTime = formatTime(context.now);
    },
    validate: (object) => validatePersistentVolumeSpec(ensureObject(object, 'spec')),
    validateUpdate: (object, old, context) =>
      context.subresource === 'status' ? [] : [...validatePersistentVolumeSpec(ensureObject(object, 'spec')), ...immutableFields(ensureObject(object, 'spec'), ensureObject(old, 'spec'))],
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Capacity', type: 'string', description: 'The storage the volume offers.', priority: 0 },
      { name: 'Access Modes', type: 'string', description: 'How the volume can be mounted.', priority: 0 },
      { name: 'Reclaim Policy', type: 'string', description: 'What happens to the volume when its claim is released.', priority: 0 },
      { name: 'Status', type: 'string', description: 'The phase of the volume.', priority: 0 },
      { name: 'Claim', type: 'string', description: 'The claim bound to the volume, as namespace/name.', priority: 0 },
      { name: 'StorageClass', type: 'string', description: 'The StorageClass the volume belongs to.', priority: 0 },
      { name: 'VolumeAttributesClass', type: 'string', description: 'The VolumeAttributesClass the volume belongs to.', priority: 0 },
      { name: 'Reason', type: 'string', description: 'Why the volume is in its phase.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
      { name: 'VolumeMode', type: 'string', description: 'Whether the volume is a filesystem or a raw block device.', priority: 1 },
    ],
    cells: (object, now) => {
      const spec = getObject(object, 'spec') ?? {};
      const status = getObject(object, 'status') ?? {};
      const claimRef = getObject(spec, 'claimRef');
      const claim = claimRef === undefined ? '' : `${text(claimRef.namespace)}/${text(claimRef.name)}`;
      const deleting = getObject(object, 'metadata')?.deletionTimestamp !== undefined;
      return [
        nameOf(object),
        quantityText(getObject(spec, 'capacity')?.storage),
        accessModesText(spec.accessModes),
        text(spec.persistentVolumeReclaimPolicy),
        deleting ? 'Terminating' : text(status.phase),
        claim,
        text(spec.storageClassName),
        typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
        text(status.reason),
        age(object, now),
        typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
      ];
    },
  },
});

/**
 * DropDisabledFields with the VolumeAttributesClass gate off, as it is in 1.32: a new object, or
 * one whose stored version did not use it, loses spec.volumeAttributesClassName.
 */
export function dropVolumeAttributesClass(object: JsonObject, old: JsonObject | undefined): void {
  const spec = getObject(object, 'spec');
  if (spec === undefined || spec.volumeAttributesClassName === undefined) return;
  if (old !== undefined && getObject(old, 'spec')?.volumeAttributesClassName !== undefined) return;
  delete spec.volumeAttributesClassName;
}

/** GetAccessModesAsString: RWO, ROX, RWX and RWOP, each once, in that order. */
export function accessModesText(value: JsonValue | undefined): string {
  const modes = Array.isArray(value) ? value : [];
  const shown: string[] = [];
  if (modes.includes('ReadWriteOnce')) shown.push('RWO');
  if (modes.includes('ReadOnlyMany')) shown.push('ROX');
  if (modes.includes('ReadWriteMany')) shown.push('RWX');
  if (modes.includes('ReadWriteOncePod')) shown.push('RWOP');
  return shown.join(',');
}

/** A quantity as Quantity.String() prints it ("0" when absent). */
export function quantityText(value: JsonValue | undefined): string {
  if (typeof value !== 'string') return '0';
  const parsed = Quantity.safeParse(value);
  return parsed.ok ? parsed.quantity.toString() : value;
}

/** The access-mode rules claims and volumes share: each supported, ReadWriteOncePod alone. */
export function accessModeErrors(modes: readonly JsonValue[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  let oncePod = false;
  let other = false;
  for (const mode of modes) {
    if (typeof mode !== 'string' || !ACCESS_MODES.includes(mode)) errors.push(fieldErrors.notSupported(path, mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') oncePod = true;
    else other = true;
  }
  if (oncePod && other) errors.push(fieldErrors.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errors;
}

/** ValidatePositiveQuantityValue (and a quantity that parses at all). */
export function positiveQuantityErrors(value: JsonValue | undefined, path: string): FieldError[] {
  const parsed = Quantity.safeParse(typeof value === 'string' ? value : String(value));
  if (!parsed.ok) return [fieldErrors.invalid(path, value ?? null, parsed.message)];
  return parsed.quantity.sign() <= 0 ? [fieldErrors.invalid(path, parsed.quantity.toString(), 'must be greater than zero')] : [];
}

/** A class name (ValidateClassName: a DNS subdomain), checked when not empty. */
export function classNameErrors(value: JsonValue | undefined, path: string): FieldError[] {
  if (typeof value !== 'string' || value === '') return [];
  return nameIsDNSSubdomain(value, false).map((msg) => fieldErrors.invalid(path, value, msg));
}

/** ValidatePersistentVolumeSpec for a PersistentVolume object (not a pod's inline volume). */
function validatePersistentVolumeSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errors.push(fieldErrors.required('spec.accessModes', ''));
  errors.push(...accessModeErrors(modes, 'spec.accessModes'));
  const capacity = getObject(spec, 'capacity') ?? {};
  const resources = Object.keys(capacity);
  if (resources.length === 0) errors.push(fieldErrors.required('spec.capacity', ''));
  if (!resources.includes('storage') || resources.length > 1) errors.push(fieldErrors.notSupported('spec.capacity', capacity, ['storage']));
  for (const resource of resources) errors.push(...positiveQuantityErrors(capacity[resource], `spec.capacity[${resource}]`));
  errors.push(...classNameErrors(spec.storageClassName, 'spec.storageClassName'));
  const volumeMode = spec.volumeMode;
  if (typeof volumeMode === 'string' && !VOLUME_MODES.includes(volumeMode)) errors.push(fieldErrors.notSupported('spec.volumeMode', volumeMode, VOLUME_MODES));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (typeof policy === 'string' && policy !== '' && !RECLAIM_POLICIES.includes(policy)) {
    errors.push(fieldErrors.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  }
  const nodeAffinity = getObject(spec, 'nodeAffinity');
  if (nodeAffinity !== undefined) {
    const required = getObject(nodeAffinity, 'required');
    if (required === undefined) errors.push(fieldErrors.required('spec.nodeAffinity.required', 'must specify required node constraints'));
    else errors.push(...validateNodeSelector(required, 'spec.nodeAffinity.required'));
  }
  errors.push(...sourceErrors(spec));
  const hostPath = getObject(spec, 'hostPath');
  if (hostPath !== undefined && cleanPath(text(hostPath.path)) === '/' && policy === 'Recycle') {
    errors.push(fieldErrors.forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (getObject(spec, 'local') !== undefined && nodeAffinity === undefined) {
    errors.push(fieldErrors.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  return errors;
}

/** Exactly one source: the first one set is validated, each further one refused. */
function sourceErrors(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const key of PV_SOURCES) {
    const source = getObject(spec, key);
    if (source === undefined) continue;
    if (count++ > 0) {
      errors.push(fieldErrors.forbidden(`spec.${key}`, 'may not specify more than 1 volume type'));
      continue;
    }
    if (key === 'local') errors.push(...localSourceErrors(source));
    else if (key === 'csi') errors.push(...csiSourceErrors(source));
    else errors.push(...validateSourceFields(key, source, 'spec'));
  }
  if (count === 0) errors.push(fieldErrors.required('spec', 'must specify a volume type'));
  return errors;
}

/** validateLocalVolumeSource: a path, without "..". */
function localSourceErrors(source: JsonObject): FieldError[] {
  const path = text(source.path);
  return path === '' ? [fieldErrors.required('spec.local.path', '')] : noBackstepErrors(path, 'spec.local.path');
}

/** validateCSIPersistentVolumeSource's required fields: the driver and the volume's handle. */
function csiSourceErrors(source: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (text(source.driver) === '') errors.push(fieldErrors.required('spec.csi.driver', ''));
  if (text(source.volumeHandle) === '') errors.push(fieldErrors.required('spec.csi.volumeHandle', ''));
  return errors;
}

/** ValidatePersistentVolumeUpdate: the source and volume mode never change; node affinity only from unset. */
function immutableFields(spec: JsonObject, old: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const source = (of: JsonObject): JsonObject => Object.fromEntries(PV_SOURCES.filter((key) => of[key] !== undefined).map((key) => [key, of[key] ?? null]));
  if (!semanticEqual(source(spec), source(old))) {
    errors.push(fieldErrors.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if (spec.volumeMode !== old.volumeMode) errors.push(fieldErrors.invalid('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  if (old.nodeAffinity !== undefined && !semanticEqual(spec.nodeAffinity ?? null, old.nodeAffinity)) {
    errors.push(fieldErrors.invalid('nodeAffinity', spec.nodeAffinity ?? null, 'field is immutable'));
  }
  return errors;
}

/** StorageObjectInUseProtection for volumes: the finalizer a new PersistentVolume gets. */
export async function admitVolume(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void> {
  if (old === undefined && context.subresource === undefined) addFinalizer(object, PV_PROTECTION_FINALIZER);
}

export function addFinalizer(object: JsonObject, finalizer: string): void {
  const metadata = ensureObject(object, 'metadata');
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
  if (!finalizers.includes(finalizer)) metadata.finalizers = [...finalizers, finalizer];
}

/** path.Clean, enough to tell whether a path is the root. */
function cleanPath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return path.startsWith('/') && parts.every((part) => part === '..') ? '/' : parts.join('/');
}
