/**
 * @module
 * Embedded resources (x-kubernetes-embedded-resource) inside a custom resource: each needs a
 * non-empty apiVersion that parses as a group version, a non-empty kind (a DNS-1035 label in any
 * case), and metadata valid as ObjectMeta (a missing name is allowed). Follows apiextensions-apiserver
 * pkg/apiserver/schema/objectmeta/validation.go (Validate, validateEmbeddedResource). The root's own
 * apiVersion, kind and metadata are the generic store's business and are not looked at here.
 */
import { type FieldError, fieldErrors } from '../../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../../api/json.js';
import { validateObjectMeta } from '../../../api/validation/object-meta.js';
import { isDNS1035Label, isValidPathSegmentName } from '../../../api/validation/names.js';
import { type FieldPath, child, renderPath } from './path.js';
import type { Structural } from './structural.js';

/** Field errors of the embedded resources in `value` (a whole custom resource). */
export function validateEmbeddedResources(value: JsonValue, schema: Structural): FieldError[] {
  const errors: FieldError[] = [];
  walk(value, schema, undefined, true, errors);
  return errors;
}

function walk(value: JsonValue, schema: Structural | undefined, path: FieldPath, root: boolean, errors: FieldError[]): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i] as JsonValue, schema.items, child(path, i), false, errors);
    return;
  }
  if (!isJsonObject(value)) return;
  if (schema.embeddedResource && !root) validateEmbeddedResource(value, path, errors);
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const property = schema.properties.get(key);
    if (property !== undefined) walk(value[key] as JsonValue, property, child(path, key), false, errors);
    else if (additional !== undefined) walk(value[key] as JsonValue, additional, child(path, { key }), false, errors);
  }
}

function validateEmbeddedResource(value: JsonObject, path: FieldPath, errors: FieldError[]): void {
  const at = (field: string): string => renderPath(child(path, field));
  if (!Object.hasOwn(value, 'apiVersion')) errors.push(fieldErrors.required(at('apiVersion'), 'must not be empty'));
  if (!Object.hasOwn(value, 'kind')) errors.push(fieldErrors.required(at('kind'), 'must not be empty'));
  const apiVersion = value.apiVersion;
  if (apiVersion !== undefined) {
    if (typeof apiVersion !== 'string') errors.push(fieldErrors.invalid(at('apiVersion'), apiVersion, 'must be a string'));
    else if (apiVersion === '') errors.push(fieldErrors.invalid(at('apiVersion'), apiVersion, 'must not be empty'));
    else if (!parsesAsGroupVersion(apiVersion)) errors.push(fieldErrors.invalid(at('apiVersion'), apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
  }
  const kind = value.kind;
  if (kind !== undefined) {
    if (typeof kind !== 'string') errors.push(fieldErrors.invalid(at('kind'), kind, 'must be a string'));
    else if (kind === '') errors.push(fieldErrors.invalid(at('kind'), kind, 'must not be empty'));
    else {
      const problems = isDNS1035Label(kind.toLowerCase());
      if (problems.length > 0) errors.push(fieldErrors.invalid(at('kind'), kind, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
    }
  }
  const metadata = value.metadata;
  if (metadata === undefined) return;
  if (!isJsonObject(metadata)) {
    errors.push(fieldErrors.invalid(at('metadata'), metadata, 'must be an object'));
    return;
  }
  // A name is not required of an embedded object: upstream validates it under a made-up one.
  const meta: JsonObject = typeof metadata.name === 'string' && metadata.name !== '' ? metadata : { ...metadata, name: 'fakename' };
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  errors.push(
    ...validateObjectMeta(meta, {
      namespaced: namespace !== '',
      nameValidator: (name) => isValidPathSegmentName(name),
      path: at('metadata'),
      kubeFinalizerNames: false,
    }),
  );
}

/** schema.ParseGroupVersion: `v1`, `group/version`; not more than one slash, no empty part. */
function parsesAsGroupVersion(apiVersion: string): boolean {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return true;
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}
