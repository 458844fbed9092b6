/**
 * @module
 * Reading fields of admission objects (webhook configurations, policies, bindings, the objects
 * under review): stored configurations passed validation when written, so a field of the wrong type
 * is read as absent — a list keeps only its items of the expected type.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';

export function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function strings(value: JsonValue | undefined): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** metadata.name, or '' when absent. */
export function metadataName(object: JsonObject): string {
  return isJsonObject(object.metadata) ? (str(object.metadata.name) ?? '') : '';
}
