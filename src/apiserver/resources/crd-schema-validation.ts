/**
 * @module
 * The checks a version's openAPIV3Schema must pass before a CRD is accepted — the structural
 * essentials, worded as apiextensions-apiserver words them (pkg/apis/apiextensions/validation
 * validation.go, validateCustomResourceDefinitionValidation and
 * ValidateCustomResourceDefinitionOpenAPISchema; pkg/apiserver/schema/validation.go,
 * validateStructuralInvariants): an object at the root, a type on every specified field and array
 * item (unless it is int-or-string or preserves unknown fields), known types only, items on arrays,
 * none of the JSON-schema features CRDs forbid ($ref, uniqueItems, properties beside
 * additionalProperties), and patterns RE2 compiles. Value validation, defaults and CEL rules are checked once the server
 * enforces them (issue 6).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { re2Error } from '../../api/re2.js';

/** openapiV3Types, in the sorted order upstream lists them. */
const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

type Level = 'root' | 'field' | 'item';

/** Errors of one version's schema; `path` is `spec.versions[i].schema.openAPIV3Schema`. */
export function validateVersionSchema(schema: JsonObject, path: string, statusSubresource: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const type = typeof schema.type === 'string' ? schema.type : '';
  if (statusSubresource && type !== '' && type !== 'object') {
    errors.push(
      fieldErrors.invalid(`${path}.type`, type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'),
    );
  }
  if (schema.nullable === true) errors.push(fieldErrors.forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  visit(schema, path, 'root', errors);
  return errors;
}

function visit(schema: JsonObject, path: string, level: Level, errors: FieldError[]): void {
  const type = typeof schema.type === 'string' ? schema.type : '';
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserves = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (type === 'null') errors.push(fieldErrors.forbidden(`${path}.type`, 'type cannot be set to null'));
  else if (type !== '' && !TYPES.includes(type)) errors.push(fieldErrors.notSupported(`${path}.type`, type, TYPES));
  if (type === '' && !intOrString && !preserves) errors.push(fieldErrors.required(`${path}.type`, EMPTY_TYPE[level]));
  if (level === 'root' && type !== '' && type !== 'object') errors.push(fieldErrors.invalid(`${path}.type`, type, 'must be object at the root'));
  if (schema.uniqueItems === true) {
    errors.push(fieldErrors.forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  }
  if (schema.$ref !== undefined) errors.push(fieldErrors.forbidden(`${path}.$ref`, '$ref is not supported'));
  if (typeof schema.pattern === 'string' && schema.pattern !== '') {
    // The server matches patterns with RE2, as Go's regexp does; one it cannot compile is refused.
    const problem = re2Error(schema.pattern);
    if (problem !== undefined) errors.push(fieldErrors.invalid(`${path}.pattern`, schema.pattern, `must be a valid regular expression, but isn't: ${problem}`));
  }
  const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
  if (properties !== undefined && schema.additionalProperties !== undefined) {
    errors.push(fieldErrors.forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (level === 'root' && schema.additionalProperties !== undefined) {
    errors.push(fieldErrors.forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
  }
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (isJsonObject(property)) visit(property, `${path}.properties[${name}]`, 'field', errors);
  }
  checkItems(schema.items, `${path}.items`, type, errors);
  if (isJsonObject(schema.additionalProperties)) visit(schema.additionalProperties, `${path}.additionalProperties`, 'field', errors);
}

function checkItems(items: JsonValue | undefined, path: string, type: string, errors: FieldError[]): void {
  if (Array.isArray(items)) {
    errors.push(fieldErrors.forbidden(path, 'items must be a schema object and not an array'));
    return;
  }
  if (isJsonObject(items)) visit(items, path, 'item', errors);
  else if (type === 'array') errors.push(fieldErrors.required(path, 'must be specified'));
}

const EMPTY_TYPE: Readonly<Record<Level, string>> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};
