/**
 * @module
 * Validation of a container's environment (`env`, `envFrom`) and of the downward-API selectors
 * that env vars and downwardAPI volumes share (fieldRef, resourceFieldRef). Follows
 * pkg/apis/core/validation/validation.go (ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom,
 * validateObjectFieldSelector, validateContainerResourceFieldSelector) and pkg/apis/core/pods
 * ConvertDownwardAPIFieldLabel. Variable names follow the relaxed rule (RelaxedEnvironmentVariable
 * Validation, on by default since 1.32): any printable ASCII but '='.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { Quantity, formatQuantity } from '../../api/quantity.js';
import { isQualifiedName, nameIsDNSSubdomain, regexError } from '../../api/validation/names.js';
import { objectAt, stringAt } from './pod-json.js';

/** Env vars may read these pod fields (validEnvDownwardAPIFieldPathExpressions), sorted as upstream lists them. */
export const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP',
  'status.hostIPs', 'status.podIP', 'status.podIPs',
];
/** downwardAPI volume files may read these (validVolumeDownwardAPIFieldPathExpressions). */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
/** Every field ConvertDownwardAPIFieldLabel accepts for v1 pods. */
const CONVERTIBLE_FIELD_PATHS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs',
]);

/** IsRelaxedEnvVarName: printable ASCII other than '='. */
function envVarNameErrors(name: string): string[] {
  if (name.length === 0) return ['environment variable name must be non-empty'];
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e || char === '=') return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

/** ValidateEnv. */
export function validateEnv(vars: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  vars.forEach((variable, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(variable, 'name');
    if (name === '') errors.push(fieldErrors.required(`${at}.name`, ''));
    else errors.push(...envVarNameErrors(name).map((msg) => fieldErrors.invalid(`${at}.name`, name, msg)));
    const valueFrom = objectAt(variable, 'valueFrom');
    if (valueFrom !== undefined) errors.push(...validateValueFrom(valueFrom, stringAt(variable, 'value'), `${at}.valueFrom`));
  });
  return errors;
}

/** validateEnvVarValueFrom: exactly one source, and no literal value beside it. */
function validateValueFrom(valueFrom: JsonObject, value: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let sources = 0;
  const fieldRef = objectAt(valueFrom, 'fieldRef');
  if (fieldRef !== undefined) {
    sources++;
    errors.push(...validateObjectFieldSelector(fieldRef, ENV_FIELD_PATHS, `${path}.fieldRef`));
  }
  const resourceFieldRef = objectAt(valueFrom, 'resourceFieldRef');
  if (resourceFieldRef !== undefined) {
    sources++;
    errors.push(...validateResourceFieldSelector(resourceFieldRef, false, `${path}.resourceFieldRef`));
  }
  for (const key of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = objectAt(valueFrom, key);
    if (ref === undefined) continue;
    sources++;
    errors.push(...validateKeySelector(ref, `${path}.${key}`));
  }
  if (sources === 0) {
    errors.push(fieldErrors.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (value !== '') {
    errors.push(fieldErrors.invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errors.push(fieldErrors.invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errors;
}

/** validateConfigMapKeySelector and validateSecretKeySelector. */
function validateKeySelector(ref: JsonObject, path: string): FieldError[] {
  const name = stringAt(ref, 'name');
  const errors = nameIsDNSSubdomain(name, false).map((msg) => fieldErrors.invalid(`${path}.name`, name, msg));
  const key = stringAt(ref, 'key');
  if (key === '') errors.push(fieldErrors.required(`${path}.key`, ''));
  else errors.push(...configMapKeyErrors(key).map((msg) => fieldErrors.invalid(`${path}.key`, key, msg)));
  return errors;
}

/** IsConfigMapKey. */
export function configMapKeyErrors(key: string): string[] {
  const errors: string[] = [];
  if (key.length > 253) errors.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errors.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (key === '.') errors.push("must not be '.'");
  else if (key === '..') errors.push("must not be '..'");
  else if (key.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/** ValidateEnvFrom: a valid prefix, and exactly one of configMapRef and secretRef per entry. */
export function validateEnvFrom(sources: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  sources.forEach((source, index) => {
    const at = `${path}[${index}]`;
    const prefix = stringAt(source, 'prefix');
    if (prefix !== '') errors.push(...envVarNameErrors(prefix).map((msg) => fieldErrors.invalid(`${at}.prefix`, prefix, msg)));
    let count = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      const ref = objectAt(source, key);
      if (ref === undefined) continue;
      count++;
      const name = stringAt(ref, 'name');
      if (name === '') errors.push(fieldErrors.required(`${at}.${key}.name`, ''));
      else errors.push(...nameIsDNSSubdomain(name, true).map((msg) => fieldErrors.invalid(`${at}.${key}.name`, name, msg)));
    }
    // Upstream reports these at the list's path, not the entry's.
    if (count === 0) errors.push(fieldErrors.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) errors.push(fieldErrors.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errors;
}

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → [`metadata.labels`, `app`]. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const open = inner.indexOf("['");
  if (open <= 0) return undefined;
  return [inner.slice(0, open), inner.slice(open + 2)];
}

/** validateObjectFieldSelector for a fieldRef (`allowed` is the sorted list of plain paths). */
export function validateObjectFieldSelector(fieldRef: JsonObject, allowed: readonly string[], path: string): FieldError[] {
  const apiVersion = stringAt(fieldRef, 'apiVersion');
  const fieldPath = stringAt(fieldRef, 'fieldPath');
  if (apiVersion === '') return [fieldErrors.required(`${path}.apiVersion`, '')];
  if (fieldPath === '') return [fieldErrors.required(`${path}.fieldPath`, '')];
  const conversionError = convertFieldLabelError(apiVersion, fieldPath);
  if (conversionError !== undefined) {
    return [fieldErrors.invalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${conversionError}`)];
  }
  const converted = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  const subscripted = splitSubscript(converted);
  if (subscripted !== undefined) {
    const [base, key] = subscripted;
    if (base === 'metadata.annotations') return isQualifiedName(key.toLowerCase()).map((msg) => fieldErrors.invalid(path, key.toLowerCase(), msg));
    if (base === 'metadata.labels') return isQualifiedName(key).map((msg) => fieldErrors.invalid(path, key, msg));
    return [fieldErrors.invalid(path, base, 'does not support subscript')];
  }
  return allowed.includes(converted) ? [] : [fieldErrors.notSupported(`${path}.fieldPath`, converted, allowed)];
}

/** pods.ConvertDownwardAPIFieldLabel's error, if any. */
function convertFieldLabelError(apiVersion: string, fieldPath: string): string | undefined {
  if (apiVersion !== 'v1') return `unsupported pod version: ${apiVersion}`;
  const subscripted = splitSubscript(fieldPath);
  if (subscripted !== undefined) {
    return subscripted[0] === 'metadata.annotations' || subscripted[0] === 'metadata.labels'
      ? undefined
      : `field label does not support subscript: ${fieldPath}`;
  }
  return CONVERTIBLE_FIELD_PATHS.has(fieldPath) || fieldPath === 'spec.host' ? undefined : `field label not supported: ${fieldPath}`;
}

const MEMORY_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

/** validateContainerResourceFieldSelector; `volume` requires containerName (downwardAPI files do). */
export function validateResourceFieldSelector(ref: JsonObject, volume: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const resource = stringAt(ref, 'resource');
  if (volume && stringAt(ref, 'containerName') === '') errors.push(fieldErrors.required(`${path}.containerName`, ''));
  else if (resource === '') errors.push(fieldErrors.required(`${path}.resource`, ''));
  else if (!RESOURCE_FIELD_PATHS.includes(resource) && !resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
    errors.push(fieldErrors.notSupported(`${path}.resource`, resource, RESOURCE_FIELD_PATHS));
  }
  const divisorText = typeof ref.divisor === 'number' ? String(ref.divisor) : stringAt(ref, 'divisor');
  const divisor = divisorText === '' ? undefined : Quantity.safeParse(divisorText);
  if (divisor === undefined || !divisor.ok || divisor.quantity.isZero()) return errors;
  const shown = formatQuantity(divisor.quantity);
  const at = `${path}.divisor`;
  if ((resource === 'limits.cpu' || resource === 'requests.cpu') && !['1m', '1'].includes(shown)) {
    errors.push(fieldErrors.invalid(at, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
  }
  const kinds: ReadonlyArray<readonly [string, string]> = [['memory', 'memory'], ['ephemeral-storage', 'local ephemeral storage']];
  for (const [suffix, words] of kinds) {
    if ((resource === `limits.${suffix}` || resource === `requests.${suffix}`) && !MEMORY_DIVISORS.includes(shown)) {
      errors.push(fieldErrors.invalid(at, resource, `only divisor's values ${MEMORY_DIVISORS.join(', ')} are supported with the ${words} resource`));
    }
  }
  if ((resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) && !MEMORY_DIVISORS.includes(shown)) {
    errors.push(fieldErrors.invalid(at, resource, `only divisor's values ${MEMORY_DIVISORS.join(', ')} are supported with the hugepages resource`));
  }
  return errors;
}
