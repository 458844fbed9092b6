/**
 * @module
 * core/v1 ConfigMaps: non-confidential key-value data. Names are DNS subdomains; keys of data and
 * binaryData must be valid config keys and may not appear in both (pkg/apis/core/validation
 * ValidateConfigMap). `kubectl get cm` shows NAME DATA AGE.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { age } from '../table.js';
import { defineResource } from './define.js';
import { validateConfigKeys } from './validation-helpers.js';

/** ConfigMaps and Secrets hold at most 1 MiB (core/validation MaxSecretSize). */
const MAX_SIZE = 1024 * 1024;

export const CONFIG_MAPS = defineResource({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.ConfigMap',
  shortNames: ['cm'],
  strategy: {
    validate: validateConfigMap,
    validateUpdate: (object, old) => [...validateConfigMap(object), ...immutableData(object, old)],
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Data', type: 'integer', description: 'Number of data entries.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => [nameOf(object), keysOf(object.data) + keysOf(object.binaryData), age(object, now)],
  },
});

function validateConfigMap(object: JsonObject): FieldError[] {
  const errors = [...validateConfigKeys(object.data, 'data'), ...validateConfigKeys(object.binaryData, 'binaryData')];
  if (isJsonObject(object.data) && isJsonObject(object.binaryData)) {
    for (const key of Object.keys(object.data)) {
      if (key in object.binaryData) errors.push(fieldErrors.invalid('data', key, 'duplicate of key present in binaryData'));
    }
  }
  const size = JSON.stringify(object.data ?? {}).length + JSON.stringify(object.binaryData ?? {}).length;
  if (size > MAX_SIZE) errors.push(fieldErrors.tooLong('', MAX_SIZE));
  return errors;
}

/** An immutable ConfigMap keeps its data, and stays immutable. */
function immutableData(object: JsonObject, old: JsonObject): FieldError[] {
  if (old.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (object.immutable !== true) errors.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  if (JSON.stringify(object.data ?? null) !== JSON.stringify(old.data ?? null)) {
    errors.push(fieldErrors.forbidden('data', 'field is immutable when `immutable` is set'));
  }
  if (JSON.stringify(object.binaryData ?? null) !== JSON.stringify(old.binaryData ?? null)) {
    errors.push(fieldErrors.forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  return errors;
}

export function nameOf(object: JsonObject): string {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  return typeof metadata.name === 'string' ? metadata.name : '';
}

function keysOf(value: unknown): number {
  return isJsonObject(value) ? Object.keys(value).length : 0;
}
