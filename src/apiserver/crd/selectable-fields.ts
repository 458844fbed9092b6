/**
 * @module
 * A CRD version's selectableFields (KEP-4358, GA in 1.32): the fields of its custom resources that
 * field selectors may use besides metadata.name and metadata.namespace, and their validation.
 * Follows apiextensions-apiserver pkg/registry/customresource/strategy.go (prepareSelectableFields,
 * selectableFields: each `.a.b` is selectable as `a.b`, valued as fmt.Sprint prints it, "" when
 * absent or null) and pkg/apis/apiextensions/validation/validation.go
 * (ValidateCustomResourceSelectableFields, with pkg/apiserver/schema/cel's ValidFieldPath without
 * array notation: at most 8, each a path of the schema's properties to a string, integer or boolean
 * field outside metadata, no two alike).
 *
 * The hook returns every declared field for every object, with "" for missing values: the request
 * scope learns which fields are selectable from the keys returned for an empty object.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import type { Strategy } from '../registry/resource-definition.js';
import { type JsonPath, findResults, goPrint, parseJsonPath } from './jsonpath.js';

/** MaxSelectableFields. */
export const MAX_SELECTABLE_FIELDS = 8;

interface SelectableField {
  /** The field selector's name for it: the path without its leading dot. */
  readonly name: string;
  /** Undefined when the path does not parse (validation keeps such paths out). */
  readonly path: JsonPath | undefined;
}

/** The selectable-field values of objects, for these declared jsonPaths. */
export function selectableFieldsOf(jsonPaths: readonly string[]): (object: JsonObject) => Record<string, string> {
  const fields: SelectableField[] = jsonPaths.map((jsonPath) => ({ name: jsonPath.replace(/^\./, ''), path: parse(jsonPath) }));
  return (object) => {
    const values: Record<string, string> = {};
    for (const field of fields) values[field.name] = valueOf(field, object);
    return values;
  };
}

/** `strategy` with a selectableFields hook for these jsonPaths (unchanged when there are none). */
export function withSelectableFields(strategy: Strategy, jsonPaths: readonly string[]): Strategy {
  if (jsonPaths.length === 0) return strategy;
  return { ...strategy, selectableFields: selectableFieldsOf(jsonPaths) };
}

function parse(jsonPath: string): JsonPath | undefined {
  try {
    return parseJsonPath(`{${jsonPath}}`);
  } catch {
    return undefined;
  }
}

function valueOf(field: SelectableField, object: JsonObject): string {
  if (field.path === undefined) return '';
  try {
    const value = findResults(field.path, object, { allowMissingKeys: true })[0]?.[0];
    return value === undefined || value === null ? '' : goPrint(value);
  } catch {
    return '';
  }
}

/**
 * ValidateCustomResourceSelectableFields for a version's selectableFields, given its
 * openAPIV3Schema; `path` is the list's, e.g. `spec.versions[0].selectableFields`.
 */
export function validateSelectableFields(fields: JsonValue | undefined, schema: JsonObject | undefined, path: string): FieldError[] {
  if (!Array.isArray(fields) || fields.length === 0) return [];
  if (schema === undefined) {
    return [fieldErrors.invalid(path, '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included')];
  }
  const errors: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((entry, i) => {
    const at = `${path}[${i}].jsonPath`;
    const jsonPath = isJsonObject(entry) && typeof entry.jsonPath === 'string' ? entry.jsonPath : '';
    if (jsonPath === '') {
      errors.push(fieldErrors.required(at, ''));
      return;
    }
    const found = validFieldPath(jsonPath, schema);
    if (typeof found === 'string') {
      errors.push(fieldErrors.invalid(at, jsonPath, `is an invalid path: ${found}`));
      return;
    }
    if (found.segments[0] === 'metadata') errors.push(fieldErrors.invalid(at, jsonPath, 'must not point to fields in metadata'));
    const type = found.schema?.type;
    if (type !== 'string' && type !== 'boolean' && type !== 'integer') {
      errors.push(
        fieldErrors.invalid(at, jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'),
      );
    }
    const key = found.path;
    if (unique.has(key)) errors.push(fieldErrors.duplicate(at, jsonPath));
    else unique.add(key);
  });
  if (unique.size > MAX_SELECTABLE_FIELDS) errors.push(fieldErrors.tooMany(path, unique.size, MAX_SELECTABLE_FIELDS));
  return errors;
}

interface FoundField {
  /** field.Path.String() of the path: `spec.color`, `spec.labels[key]`. */
  readonly path: string;
  readonly segments: readonly string[];
  /** The schema the path ends at; undefined where additionalProperties gives none. */
  readonly schema: JsonObject | undefined;
}

/**
 * ValidFieldPath with array notation disallowed: walks `.a.b` through the schema's properties (or
 * additionalProperties, for maps). Returns the field, or upstream's message of what is wrong.
 */
function validFieldPath(jsonPath: string, root: JsonObject): FoundField | string {
  const tokens = tokenize(jsonPath);
  let schema: JsonObject | undefined = root;
  let path = '';
  const segments: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '[') return 'array notation is not allowed';
    if (token !== '.') return `expected [ or . but got: ${token}`;
    const name = tokens[++i];
    if (name === undefined) return 'unexpected end of JSON path';
    if (schema === undefined) return 'does not refer to a valid field';
    if (isJsonObject(schema.properties)) {
      const property: JsonValue | undefined = schema.properties[name];
      if (!isJsonObject(property)) return 'does not refer to a valid field';
      path = path === '' ? name : `${path}.${name}`;
      schema = property;
    } else if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      path = `${path}[${name}]`;
      schema = isJsonObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    } else return 'does not refer to a valid field';
    segments.push(name);
  }
  return { path, segments, schema };
}

/** The ValidFieldPath scanner: '.', '[' and ']' alone, single-quoted strings whole, the rest between. */
function tokenize(jsonPath: string): string[] {
  const tokens: string[] = [];
  let rest = jsonPath;
  while (rest.length > 0) {
    let length = rest.length;
    if (rest[0] === "'") {
      for (let i = 1; i < rest.length; i++) {
        if (rest[i] === "'" && rest[i - 1] !== '\\') {
          length = i + 1;
          break;
        }
      }
    } else {
      const delimiter = rest.search(/[.[\]]/);
      if (delimiter === 0) length = 1;
      else if (delimiter > 0) length = delimiter;
    }
    tokens.push(rest.slice(0, length));
    rest = rest.slice(length);
  }
  return tokens;
}
