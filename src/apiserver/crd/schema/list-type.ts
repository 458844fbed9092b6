/**
 * @module
 * The invariants of x-kubernetes-list-type: a `set` holds no value twice, a `map` holds no two items
 * with the same x-kubernetes-list-map-keys. Follows apiextensions-apiserver
 * pkg/apiserver/schema/listtype/validation.go (ValidateListSetsAndMaps): each duplicate is a
 * `Duplicate value` at its index (for a map, the value is the item's keys), reported once per
 * repeated value; additionalProperties keys are written `[key]`, as field.Path.Key writes them.
 */
import { type FieldError, fieldErrors } from '../../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../../api/json.js';
import { type FieldPath, child, renderPath } from './path.js';
import type { Structural } from './structural.js';

/** Field errors of the sets and maps in `value` (a whole custom resource). */
export function validateListSetsAndMaps(value: JsonValue, schema: Structural): FieldError[] {
  const errors: FieldError[] = [];
  walk(value, schema, undefined, errors);
  return errors;
}

function walk(value: JsonValue, schema: Structural | undefined, path: FieldPath, errors: FieldError[]): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    if (schema.listType === 'set') validateSet(value, path, errors);
    else if (schema.listType === 'map') validateMap(value, schema, path, errors);
    for (let i = 0; i < value.length; i++) walk(value[i] as JsonValue, schema.items, child(path, i), errors);
    return;
  }
  if (!isJsonObject(value)) return;
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const property = schema.properties.get(key);
    if (property !== undefined) walk(value[key] as JsonValue, property, child(path, key), errors);
    else if (additional !== undefined) walk(value[key] as JsonValue, additional, child(path, { key }), errors);
  }
}

function validateSet(items: readonly JsonValue[], path: FieldPath, errors: FieldError[]): void {
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as JsonValue;
    const id = canonical(item);
    if (seen.has(id)) {
      if (!reported.has(id)) errors.push(fieldErrors.duplicate(renderPath(child(path, i)), item));
      reported.add(id);
    }
    seen.add(id);
  }
}

function validateMap(items: readonly JsonValue[], schema: Structural, path: FieldPath, errors: FieldError[]): void {
  const keys = schema.listMapKeys;
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isJsonObject(item)) continue;
    const keyValues: JsonObject = {};
    for (const key of keys) {
      const value = Object.hasOwn(item, key) ? item[key] : schema.items?.properties.get(key)?.default?.value;
      if (value !== undefined) keyValues[key] = value;
    }
    const id = canonical(keyValues);
    if (seen.has(id)) {
      if (!reported.has(id)) errors.push(fieldErrors.duplicate(renderPath(child(path, i)), keyValues));
      reported.add(id);
    }
    seen.add(id);
  }
}

/** A string equal for equal JSON values, whatever their keys' order. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
