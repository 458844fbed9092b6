/**
 * Unit tests of PersistentVolumes, PersistentVolumeClaims and StorageClasses (persistentvolumes.ts,
 * persistentvolumeclaims.ts, storageclasses.ts): defaults, upstream's validation and wording, what
 * may change after creation, and the columns kubectl shows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext, ResourceDefinition } from '../registry/resource-definition.js';
import { PERSISTENT_VOLUME_CLAIMS } from './persistentvolumeclaims.js';
import { PERSISTENT_VOLUMES } from './persistentvolumes.js';
import { STORAGE_CLASSES } from './storageclasses.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const STATUS: RequestContext = { ...CTX, subresource: 'status' };

function created(definition: ResourceDefinition, object: JsonObject): JsonObject {
  definition.strategy.defaults?.(object);
  definition.strategy.prepareForCreate?.(object, CTX);
  return object;
}

function errors(definition: ResourceDefinition, object: JsonObject): string[] {
  return (definition.strategy.validate?.(created(definition, object), CTX) ?? []).map(formatFieldError);
}

function updateErrors(definition: ResourceDefinition, object: JsonObject, old: JsonObject, context = CTX): string[] {
  definition.strategy.defaults?.(object, context);
  return (definition.strategy.validateUpdate?.(object, old, context) ?? []).map(formatFieldError);
}

function cells(definition: ResourceDefinition, object: JsonObject): readonly unknown[] {
  return definition.table?.cells(object, NOW) ?? [];
}

const META = { name: 'data', creationTimestamp: '2026-11-26T11:58:00Z' };
const volume = (spec: JsonObject, status?: JsonObject): JsonObject => ({ metadata: { ...META }, spec, ...(status === undefined ? {} : { status }) });
const claim = (spec: JsonObject, status?: JsonObject): JsonObject => ({ metadata: { ...META, namespace: 'default' }, spec, ...(status === undefined ? {} : { status }) });
const hostPathVolume = (extra: JsonObject = {}): JsonObject => ({ capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' }, ...extra });
const claimSpec = (extra: JsonObject = {}): JsonObject => ({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra });

describe('PersistentVolumes', () => {
  test('defaults: Retain, Filesystem, a hostPath type of ""; a new volume is Pending since its creation', () => {
    const object = created(PERSISTENT_VOLUMES, volume(hostPathVolume(), { phase: 'Bound' }));
    assert.deepEqual(object.spec, { ...hostPathVolume(), hostPath: { path: '/data', type: '' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    assert.deepEqual(object.status, { phase: 'Pending', lastPhaseTransitionTime: '2026-11-26T12:00:00Z' });
  });

  test('a volume needs access modes, a storage capacity alone and one source', () => {
    assert.deepEqual(errors(PERSISTENT_VOLUMES, volume(hostPathVolume())), []);
    assert.deepEqual(errors(PERSISTENT_VOLUMES, volume({})), [
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
    assert.deepEqual(errors(PERSISTENT_VOLUMES, volume(hostPathVolume({ capacity: { storage: '0' }, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'], nfs: { server: 'nfs', path: '/x' } }))), [
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
      'spec.nfs: Forbidden: may not specify more than 1 volume type',
    ]);
  });

  test('a local volume needs node affinity with required terms; CSI needs a driver and a handle', () => {
    const local = hostPathVolume({ local: { path: '/mnt/disks/a' } });
    delete local.hostPath;
    assert.deepEqual(errors(PERSISTENT_VOLUMES, volume(local)), ['spec.nodeAffinity: Required value: Local volume requires node affinity']);
    assert.deepEqual(errors(PERSISTENT_VOLUMES, volume({ ...local, nodeAffinity: {} })), ['spec.nodeAffinity.required: Required value: must specify required node constraints']);
    const csi = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], csi: {} };
    assert.deepEqual(errors(PERSISTENT_VOLUMES, volume(csi)), ['spec.csi.driver: Required value', 'spec.csi.volumeHandle: Required value']);
  });

  test('the source and volume mode never change; the capacity and the claim reference may', () => {
    const old = created(PERSISTENT_VOLUMES, volume(hostPathVolume()));
    const resized = structuredClone(old);
    (resized.spec as JsonObject).capacity = { storage: '20Gi' };
    (resized.spec as JsonObject).claimRef = { namespace: 'default', name: 'data' };
    assert.deepEqual(updateErrors(PERSISTENT_VOLUMES, resized, old), []);
    const moved = structuredClone(old);
    (moved.spec as JsonObject).hostPath = { path: '/elsewhere', type: '' };
    (moved.spec as JsonObject).volumeMode = 'Block';
    assert.deepEqual(updateErrors(PERSISTENT_VOLUMES, moved, old), [
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
      'volumeMode: Invalid value: "Block": field is immutable',
    ]);
  });

  test('a status write that changes the phase stamps lastPhaseTransitionTime', () => {
    const old = created(PERSISTENT_VOLUMES, volume(hostPathVolume()));
    const next = { ...structuredClone(old), status: { phase: 'Available', lastPhaseTransitionTime: '2026-11-26T11:00:00Z' } };
    PERSISTENT_VOLUMES.strategy.prepareForUpdate?.(next, old, { ...STATUS, now: NOW + 5000 });
    assert.deepEqual(next.status, { phase: 'Available', lastPhaseTransitionTime: '2026-11-26T12:00:05Z' });
  });

  test('kubectl get pv: capacity, modes in upstream order, policy, phase, the claim, class, <unset>, reason, age, wide volume mode', () => {
    const object = created(PERSISTENT_VOLUMES, volume(hostPathVolume({ accessModes: ['ReadWriteMany', 'ReadWriteOnce'], storageClassName: 'standard', claimRef: { namespace: 'default', name: 'data' } })));
    assert.deepEqual(cells(PERSISTENT_VOLUMES, object), ['data', '10Gi', 'RWO,RWX', 'Retain', 'Pending', 'default/data', 'standard', '<unset>', '', '2m', 'Filesystem']);
  });
});

describe('PersistentVolumeClaims', () => {
  test('defaults: Filesystem; a new claim is Pending whatever status it was sent with; volumeAttributesClassName is dropped (its gate is off in 1.32)', () => {
    const object = created(PERSISTENT_VOLUME_CLAIMS, claim(claimSpec({ volumeAttributesClassName: 'gold' }), { phase: 'Bound', capacity: { storage: '1Gi' } }));
    assert.equal((object.spec as JsonObject).volumeMode, 'Filesystem');
    assert.equal((object.spec as JsonObject).volumeAttributesClassName, undefined);
    assert.deepEqual(object.status, { phase: 'Pending' });
  });

  test('a claim needs access modes and a positive storage request; its class is a DNS subdomain', () => {
    assert.deepEqual(errors(PERSISTENT_VOLUME_CLAIMS, claim(claimSpec())), []);
    assert.deepEqual(errors(PERSISTENT_VOLUME_CLAIMS, claim({ storageClassName: 'Fast_SSD' })), [
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
      'spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]);
    assert.deepEqual(errors(PERSISTENT_VOLUME_CLAIMS, claim(claimSpec({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '-1' } } }))), [
      'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.resources[storage]: Invalid value: "-1": must be greater than zero',
    ]);
  });

  test('after creation the volume name is set once and a class given to a claim without one; the rest is fixed', () => {
    const old = created(PERSISTENT_VOLUME_CLAIMS, claim(claimSpec()));
    const bound = structuredClone(old);
    Object.assign(bound.spec as JsonObject, { volumeName: 'pvc-1', storageClassName: 'standard' });
    assert.deepEqual(updateErrors(PERSISTENT_VOLUME_CLAIMS, bound, old), []);
    const grown = structuredClone(old);
    (grown.spec as JsonObject).resources = { requests: { storage: '2Gi' } };
    assert.deepEqual(updateErrors(PERSISTENT_VOLUME_CLAIMS, grown, old), [
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });

  test('a bound claim may grow, and shrink only down to above the capacity its status records', () => {
    const old = created(PERSISTENT_VOLUME_CLAIMS, claim(claimSpec({ volumeName: 'pvc-1', resources: { requests: { storage: '2Gi' } } })));
    old.status = { phase: 'Bound', capacity: { storage: '1Gi' } };
    const grown = structuredClone(old);
    (grown.spec as JsonObject).resources = { requests: { storage: '5Gi' } };
    assert.deepEqual(updateErrors(PERSISTENT_VOLUME_CLAIMS, grown, old), []);
    const shrunk = structuredClone(old);
    (shrunk.spec as JsonObject).resources = { requests: { storage: '1Gi' } };
    assert.deepEqual(updateErrors(PERSISTENT_VOLUME_CLAIMS, shrunk, old), ['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']);
  });

  test('kubectl get pvc: capacity and access modes come from the status once a volume is named', () => {
    const pending = created(PERSISTENT_VOLUME_CLAIMS, claim(claimSpec({ storageClassName: 'standard' })));
    assert.deepEqual(cells(PERSISTENT_VOLUME_CLAIMS, pending), ['data', 'Pending', '', '', '', 'standard', '<unset>', '2m', 'Filesystem']);
    const bound = { ...pending, spec: { ...(pending.spec as JsonObject), volumeName: 'pvc-1' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
    assert.deepEqual(cells(PERSISTENT_VOLUME_CLAIMS, bound), ['data', 'Bound', 'pvc-1', '1Gi', 'RWO', 'standard', '<unset>', '2m', 'Filesystem']);
  });
});

describe('StorageClasses', () => {
  const storageClass = (extra: JsonObject = {}): JsonObject => ({ metadata: { name: 'fast', creationTimestamp: '2026-11-26T11:58:00Z' }, provisioner: 'kubelite.dev/simulated', ...extra });

  test('defaults: reclaim policy Delete, binding mode Immediate', () => {
    const object = created(STORAGE_CLASSES, storageClass());
    assert.equal(object.reclaimPolicy, 'Delete');
    assert.equal(object.volumeBindingMode, 'Immediate');
  });

  test('a provisioner is required; Recycle and unknown modes are refused; topologies do not repeat', () => {
    assert.deepEqual(errors(STORAGE_CLASSES, storageClass()), []);
    assert.deepEqual(errors(STORAGE_CLASSES, storageClass({ provisioner: '', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' })), [
      'provisioner: Required value',
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
    const term = { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a', 'a'] }] };
    assert.deepEqual(errors(STORAGE_CLASSES, storageClass({ allowedTopologies: [term, term] })), [
      'allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"',
      'allowedTopologies[1].matchLabelExpressions[0].values[1]: Duplicate value: "a"',
      'allowedTopologies[1].matchLabelExpressions: Duplicate value: ""',
    ]);
  });

  test('provisioner, parameters, reclaim policy and binding mode never change; expansion may', () => {
    const old = created(STORAGE_CLASSES, storageClass({ parameters: { type: 'ssd' } }));
    assert.deepEqual(updateErrors(STORAGE_CLASSES, { ...structuredClone(old), allowVolumeExpansion: true }, old), []);
    const changed = { ...structuredClone(old), provisioner: 'other.example.com/disk', parameters: { type: 'hdd' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
    assert.deepEqual(updateErrors(STORAGE_CLASSES, changed, old), [
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
      'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
  });

  test('kubectl get sc: the default class is marked "(default)"', () => {
    const object = created(STORAGE_CLASSES, storageClass({ metadata: { name: 'standard', creationTimestamp: '2026-11-26T11:58:00Z', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }));
    assert.deepEqual(cells(STORAGE_CLASSES, object), ['standard (default)', 'kubelite.dev/simulated', 'Delete', 'Immediate', 'false', '2m']);
  });
});
