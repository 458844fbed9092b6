/**
 * @module
 * Reading pod-shaped JSON the way Go reads a decoded struct: a missing field, or one of the wrong
 * JSON type, is its zero value. Pod defaulting, validation, printing and the pod strategy all look
 * deep into specs, so they share these readers rather than narrowing at every step. Lists keep a
 * slot (an empty object or string) for items of the wrong type, so indices in field paths still
 * match what the client sent.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';

/** The object under `key`, or undefined when absent, null or not an object (a nil pointer). */
export function objectAt(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isJsonObject(value) ? value : undefined;
}

/** The string under `key`, '' when absent or not a string. */
export function stringAt(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

/** The number under `key`, or undefined when absent or not a number (a nil *int). */
export function numberAt(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' ? value : undefined;
}

/** The list of objects under `key`; items that are not objects read as empty objects. */
export function objectsAt(object: JsonObject, key: string): JsonObject[] {
  const value = object[key];
  return Array.isArray(value) ? value.map((item) => (isJsonObject(item) ? item : {})) : [];
}

/** The list of strings under `key`; items that are not strings read as ''. */
export function stringsAt(object: JsonObject, key: string): string[] {
  const value = object[key];
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : '')) : [];
}

/** The string map under `key` (labels, nodeSelector); non-string values are skipped. */
export function stringMapAt(object: JsonObject, key: string): Map<string, string> {
  const value = object[key];
  const map = new Map<string, string>();
  if (!isJsonObject(value)) return map;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') map.set(k, v);
  return map;
}

/** Whether `key` holds a value at all (Go: a non-nil pointer or a non-empty field). */
export function present(object: JsonObject, key: string): boolean {
  const value: JsonValue | undefined = object[key];
  return value !== undefined && value !== null;
}

/** The object under `key`, created empty when absent (for defaulting). */
export function ensureObject(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  if (isJsonObject(value)) return value;
  const created: JsonObject = {};
  object[key] = created;
  return created;
}

/** The metadata and spec of a pod (or a template), empty when absent. */
export function specOf(object: JsonObject): JsonObject {
  return objectAt(object, 'spec') ?? {};
}

export function statusOf(object: JsonObject): JsonObject {
  return objectAt(object, 'status') ?? {};
}

export function metaOf(object: JsonObject): JsonObject {
  return objectAt(object, 'metadata') ?? {};
}

/** The status condition of `type`, if the status has one. */
export function conditionOf(status: JsonObject, type: string): JsonObject | undefined {
  return objectsAt(status, 'conditions').find((condition) => stringAt(condition, 'type') === type);
}
