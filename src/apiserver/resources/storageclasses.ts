/**
 * @module
 * storage.k8s.io/v1 StorageClasses, stored, defaulted and validated as kube-apiserver does
 * (pkg/apis/storage/v1/defaults.go, pkg/apis/storage/validation/validation.go ValidateStorageClass
 * and ValidateStorageClassUpdate): a provisioner given as a qualified name, parameters of at most 512
 * keys and 256 KiB, a reclaim policy of Delete (the default) or Retain, a binding mode of Immediate
 * (the default) or WaitForFirstConsumer, allowed topologies without repeats. Provisioner, parameters,
 * reclaim policy and binding mode never change.
 *
 * The class annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation)
 * is the default one: a claim created without a class gets it (persistentvolumeclaims.ts), and
 * `kubectl get` marks its name "(default)" (pkg/printers/internalversion/printers.go
 * printStorageClass).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject } from '../../api/json.js';
import { objects, strings, text } from '../../api/json-values.js';
import { isQualifiedName, utf8Length } from '../../api/validation/names.js';
import { validateLabelName } from '../../api/validation/object-meta.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import type { ClassResource } from './default-class.js';
import { defineResource } from './define.js';

export const STORAGE_GROUP = 'storage.k8s.io';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

/** Whether a class's annotations make it the default (storageutil.IsDefaultAnnotation). */
export function isDefaultStorageClass(annotations: JsonObject): boolean {
  return annotations[DEFAULT_CLASS_ANNOTATION] === 'true' || annotations[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

export const STORAGE_CLASSES: ResourceDefinition = defineResource({
  group: STORAGE_GROUP,
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  namespaced: false,
  schema: 'io.k8s.api.storage.v1.StorageClass',
  shortNames: ['sc'],
  strategy: {
    defaults: (object) => {
      object.reclaimPolicy ??= 'Delete';
      object.volumeBindingMode ??= 'Immediate';
    },
    validate: validateStorageClass,
    validateUpdate: (object, old) => [...immutableFields(object, old), ...validateStorageClass(object)],
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Provisioner', type: 'string', description: 'The volume plugin or external provisioner that creates volumes of this class.', priority: 0 },
      { name: 'ReclaimPolicy', type: 'string', description: 'What happens to a dynamically provisioned volume when its claim is deleted.', priority: 0 },
      { name: 'VolumeBindingMode', type: 'string', description: 'When claims of this class are bound and provisioned.', priority: 0 },
      { name: 'AllowVolumeExpansion', type: 'string', description: 'Whether claims of this class may be expanded.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => {
      const annotations = getObject(getObject(object, 'metadata') ?? {}, 'annotations') ?? {};
      const name = isDefaultStorageClass(annotations) ? `${nameOf(object)} (default)` : nameOf(object);
      const reclaimPolicy = typeof object.reclaimPolicy === 'string' ? object.reclaimPolicy : 'Delete';
      const bindingMode = typeof object.volumeBindingMode === 'string' ? object.volumeBindingMode : 'Immediate';
      return [name, text(object.provisioner), reclaimPolicy, bindingMode, String(object.allowVolumeExpansion === true), age(object, now)];
    },
  },
});

/** StorageClasses as the default-class lookup reads them. */
export const STORAGE_CLASS_RESOURCE: ClassResource = { group: STORAGE_GROUP, resource: STORAGE_CLASSES.resource, isDefault: isDefaultStorageClass };

function validateStorageClass(object: JsonObject): FieldError[] {
  return [
    ...validateProvisioner(text(object.provisioner)),
    ...validateParameters(object.parameters),
    ...validateReclaimPolicy(object.reclaimPolicy),
    ...validateBindingMode(object.volumeBindingMode),
    ...validateAllowedTopologies(objects(object.allowedTopologies)),
  ];
}

/** validateProvisioner: required, and a qualified name once lower-cased. */
function validateProvisioner(provisioner: string): FieldError[] {
  if (provisioner === '') return [fieldErrors.required('provisioner', '')];
  const lower = provisioner.toLowerCase();
  return isQualifiedName(lower).map((msg) => fieldErrors.invalid('provisioner', lower, msg));
}

/** validateParameters: at most 512 keys, none empty, keys and values 256 KiB in all. */
function validateParameters(value: JsonValue | undefined): FieldError[] {
  if (!isJsonObject(value)) return [];
  const keys = Object.keys(value);
  if (keys.length > MAX_PARAMETERS) return [fieldErrors.tooLong('parameters', MAX_PARAMETERS)];
  const errors: FieldError[] = [];
  let size = 0;
  for (const key of keys) {
    if (key === '') errors.push(fieldErrors.invalid('parameters', key, 'field can not be empty.'));
    size += utf8Length(key) + utf8Length(text(value[key]));
  }
  if (size > MAX_PARAMETERS_SIZE) errors.push(fieldErrors.tooLong('parameters', MAX_PARAMETERS_SIZE));
  return errors;
}

function validateReclaimPolicy(value: JsonValue | undefined): FieldError[] {
  const policy = text(value);
  return policy === '' || RECLAIM_POLICIES.includes(policy) ? [] : [fieldErrors.notSupported('reclaimPolicy', policy, RECLAIM_POLICIES)];
}

function validateBindingMode(value: JsonValue | undefined): FieldError[] {
  if (typeof value !== 'string') return [fieldErrors.required('volumeBindingMode', '')];
  return BINDING_MODES.includes(value) ? [] : [fieldErrors.notSupported('volumeBindingMode', value, BINDING_MODES)];
}

/**
 * validateAllowedTopologies: each term's expressions have values, no value twice, label-name keys,
 * no key twice; no two terms alike. Upstream compares each term with the ones before it, starting
 * from as many empty terms as there are terms, so an empty term counts as a repeat as well.
 */
function validateAllowedTopologies(terms: readonly JsonObject[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen: string[] = terms.length > 0 ? [''] : [];
  terms.forEach((term, i) => {
    const path = `allowedTopologies[${i}].matchLabelExpressions`;
    const expressions = new Map<string, Set<string>>();
    objects(term.matchLabelExpressions).forEach((requirement, j) => {
      const key = text(requirement.key);
      const values = strings(requirement.values);
      if (values.length === 0) errors.push(fieldErrors.required(`${path}[${j}].values`, ''));
      const set = new Set<string>();
      values.forEach((value, k) => {
        if (set.has(value)) errors.push(fieldErrors.duplicate(`${path}[${j}].values[${k}]`, value));
        set.add(value);
      });
      errors.push(...validateLabelName(key, `${path}[${j}].key`));
      if (expressions.has(key)) errors.push(fieldErrors.duplicate(`${path}[${j}].key`, key));
      expressions.set(key, set);
    });
    const canonical = [...expressions].map(([key, values]) => `${key}=${[...values].sort().join(',')}`).sort().join(';');
    if (seen.includes(canonical)) errors.push(fieldErrors.duplicate(path, ''));
    seen.push(canonical);
  });
  return errors;
}

/** ValidateStorageClassUpdate's immutable fields, in upstream's words. */
function immutableFields(object: JsonObject, old: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (JSON.stringify(sortedEntries(object.parameters)) !== JSON.stringify(sortedEntries(old.parameters))) {
    errors.push(fieldErrors.forbidden('parameters', 'updates to parameters are forbidden.'));
  }
  if (text(object.provisioner) !== text(old.provisioner)) errors.push(fieldErrors.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (text(object.reclaimPolicy) !== text(old.reclaimPolicy)) errors.push(fieldErrors.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (object.volumeBindingMode !== old.volumeBindingMode) {
    errors.push(fieldErrors.invalid('volumeBindingMode', object.volumeBindingMode ?? null, 'field is immutable'));
  }
  return errors;
}

/** A string map's entries in key order (an absent map and an empty one alike: the stored form omits an empty map). */
function sortedEntries(value: JsonValue | undefined): [string, string][] {
  if (!isJsonObject(value)) return [];
  return Object.keys(value)
    .sort()
    .map((key) => [key, text(value[key])]);
}
