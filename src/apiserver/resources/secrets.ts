/**
 * @module
 * core/v1 Secrets. The type defaults to Opaque (SetDefaults_Secret); stringData is merged into data
 * (overwriting) and dropped on every write, as the v1 → internal conversion does, so it is never
 * stored or returned. Validation follows pkg/apis/core/validation ValidateSecret and
 * ValidateSecretUpdate: config-map-style keys, base64 values (Go's decoder would refuse anything
 * else), at most 1 MiB of data, the keys each well-known type requires, a type that never changes,
 * and data frozen once `immutable` is set. Secrets are selectable by `type`
 * (pkg/registry/core/secret/strategy.go). `kubectl get secret` shows NAME TYPE DATA AGE.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject, jsonEqual } from '../../api/json.js';
import { utf8Length } from '../../api/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../api/validation/object-meta.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { validateConfigKeys } from './validation-helpers.js';
import { text } from '../../api/json-values.js';

/** core.MaxSecretSize. */
const MAX_SECRET_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';
const IMMUTABLE = 'field is immutable when `immutable` is set';
const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';

export const SECRETS = defineResource({
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.Secret',
  strategy: {
    defaults: defaultSecret,
    validate: (object) => validateSecret(object),
    validateUpdate: (object, old) => [...validateSecretUpdate(object, old), ...validateSecret(object)],
    selectableFields: (object) => ({ type: text(object.type) }),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Type', type: 'string', description: 'Used to facilitate programmatic handling of secret data.', priority: 0 },
      { name: 'Data', type: 'string', description: 'The number of data entries.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => [nameOf(object), text(object.type), isJsonObject(object.data) ? Object.keys(object.data).length : 0, age(object, now)],
  },
});

/** SetDefaults_Secret, and the conversion that folds stringData into data. */
export function defaultSecret(object: JsonObject): void {
  if (text(object.type) === '') object.type = 'Opaque';
  if (isJsonObject(object.stringData)) {
    const data = isJsonObject(object.data) ? object.data : {};
    for (const [key, value] of Object.entries(object.stringData)) data[key] = Buffer.from(text(value), 'utf8').toString('base64');
    object.data = data;
  }
  delete object.stringData;
}

/** ValidateSecret (metadata is the store's). */
export function validateSecret(object: JsonObject): FieldError[] {
  const data = getObject(object, 'data') ?? {};
  const errors = validateConfigKeys(data, 'data');
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    const encoded = text(value);
    const bad = base64Error(encoded);
    if (bad !== undefined) errors.push(fieldErrors.invalid(`data[${key}]`, REDACTED, `illegal base64 data at input byte ${bad}`));
    else size += Buffer.from(encoded, 'base64').length;
  }
  if (size > MAX_SECRET_SIZE) errors.push(fieldErrors.tooLong('data', MAX_SECRET_SIZE));
  const has = (key: string): boolean => key in data;
  const decoded = (key: string): Buffer => Buffer.from(text(data[key]), 'base64');
  const type = text(object.type);
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      // Only the account name is required; a controller adds the uid and the token later.
      const name = getObject(object, 'metadata', 'annotations')?.[SERVICE_ACCOUNT_NAME_KEY];
      if (text(name) === '') errors.push(fieldErrors.required(`metadata.annotations[${SERVICE_ACCOUNT_NAME_KEY}]`));
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) errors.push(fieldErrors.required(`data[${key}]`));
      else {
        const problem = jsonObjectError(decoded(key).toString('utf8'));
        if (problem !== undefined) errors.push(fieldErrors.invalid(`data[${key}]`, REDACTED, problem));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be there.
      if (!has('username') && !has('password')) errors.push(fieldErrors.required('data[username]'), fieldErrors.required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!has('ssh-privatekey') || decoded('ssh-privatekey').length === 0) errors.push(fieldErrors.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errors.push(fieldErrors.required('data[tls.crt]'));
      if (!has('tls.key')) errors.push(fieldErrors.required('data[tls.key]'));
      break;
    default:
      break;
  }
  return errors;
}

/** ValidateSecretUpdate's own rules: the type is fixed, and an immutable Secret keeps its data. */
export function validateSecretUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (text(object.type) !== text(old.type)) errors.push(fieldErrors.invalid('type', text(object.type), FIELD_IMMUTABLE_ERROR_MSG));
  if (old.immutable === true) {
    if (object.immutable !== true) errors.push(fieldErrors.forbidden('immutable', IMMUTABLE));
    if (!jsonEqual(object.data ?? {}, old.data ?? {})) errors.push(fieldErrors.forbidden('data', IMMUTABLE));
  }
  return errors;
}

/**
 * Where Go's base64.StdEncoding would give up on `value` (its CorruptInputError offset, in bytes),
 * or undefined when it decodes. Like Go, line breaks are skipped and padding is required.
 */
export function base64Error(value: string): number | undefined {
  const isNewline = (i: number): boolean => value[i] === '\n' || value[i] === '\r';
  const bytes = (i: number): number => utf8Length(value.slice(0, i));
  let si = 0;
  for (;;) {
    for (let j = 0; j < 4; j++) {
      while (si < value.length && isNewline(si)) si++;
      if (si === value.length) return j === 0 ? undefined : bytes(si - j);
      const c = value[si] ?? '';
      si++;
      if (/[A-Za-z0-9+/]/.test(c)) continue;
      if (c !== '=' || j < 2) return bytes(si - 1);
      if (j === 2) {
        // "==" must end a quantum of two characters.
        while (si < value.length && isNewline(si)) si++;
        if (si === value.length) return bytes(value.length);
        if (value[si] !== '=') return bytes(si - 1);
        si++;
      }
      while (si < value.length && isNewline(si)) si++;
      return si < value.length ? bytes(si) : undefined;
    }
  }
}

/** What Go's json.Unmarshal into a map says of `text`, or undefined when it is a JSON object. */
function jsonObjectError(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const first = text.trim()[0];
    if (first === undefined) return 'unexpected end of JSON input';
    return /[{["\-0-9tfn]/.test(first) ? 'invalid JSON' : `invalid character '${first}' looking for beginning of value`;
  }
  if (isJsonObject(parsed)) return undefined;
  const kind = Array.isArray(parsed) ? 'array' : parsed === null ? undefined : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
  return kind === undefined ? undefined : `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

