/**
 * @module
 * Defaulting of custom resources from their schema's `default`s, on create, on update and when an
 * object is read from storage (so an object stored before a default was added gets it when read).
 * Follows apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go (Default) and
 * prunenulls.go (PruneNonNullableNullsWithoutDefaults):
 *
 * - a property that is missing, or null while not nullable, gets a copy of its default;
 * - a null under items or additionalProperties that is not nullable gets the default of that schema;
 * - a nullable null is kept and never defaulted;
 * - nulls of non-nullable fields without a default are dropped first (pruned before defaulting);
 * - defaults apply under additionalProperties and items too, and inside the defaults themselves.
 *
 * Both change the object in place: callers pass their own copy.
 */
import { type JsonObject, type JsonValue, cloneJson, isJsonObject, setOwnKey } from '../../../api/json.js';
import type { Structural } from './structural.js';

/** Applies the defaults of `schema` to `value`, in place. */
export function applyDefaults(value: JsonValue, schema: Structural | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null && !items.nullable && items.default !== undefined) value[i] = cloneJson(items.default.value);
      applyDefaults(value[i] as JsonValue, items);
    }
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, property] of schema.properties) {
    if (property.default === undefined || property.default.value === null) continue;
    const current = Object.hasOwn(value, key) ? value[key] : undefined;
    if (current === undefined || (current === null && !property.nullable)) setOwnKey(value, key, cloneJson(property.default.value));
  }
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const property = schema.properties.get(key);
    if (property !== undefined) {
      applyDefaults(value[key] as JsonValue, property);
    } else if (additional !== undefined) {
      if (value[key] === null && !additional.nullable && additional.default !== undefined) value[key] = cloneJson(additional.default.value);
      applyDefaults(value[key] as JsonValue, additional);
    }
  }
}

/** Drops nulls of fields that are neither nullable nor defaulted, in place. */
export function pruneNonNullableNulls(value: JsonValue, schema: Structural | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNulls(item, schema.items);
    return;
  }
  if (!isJsonObject(value)) return;
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const property = schema.properties.get(key) ?? additional;
    if (property === undefined) continue;
    const child = value[key] as JsonValue;
    if (child === null && !property.nullable && (property.default === undefined || property.default.value === null)) delete value[key];
    else pruneNonNullableNulls(child, property);
  }
}
