/**
 * @module
 * Lenient readers of one JSON value, for code that reads objects already validated (or printing
 * whatever is there): the value when it has the expected type, otherwise an empty one.
 */
import { type JsonObject, type JsonValue, isJsonObject } from './json.js';

/** A string, or '' for anything else. */
export function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** A number, or `fallback` for anything else. */
export function numberOr(value: JsonValue | undefined, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}

/** The strings of an array (other items skipped), or [] for anything else. */
export function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The objects of an array (other items skipped), or [] for anything else. */
export function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
