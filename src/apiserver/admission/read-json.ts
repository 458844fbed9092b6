/**
 * @module
 * Reading fields of stored admission configurations (webhook configurations, policies, bindings):
 * they passed validation when written, so a field of the wrong type is read as absent.
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
