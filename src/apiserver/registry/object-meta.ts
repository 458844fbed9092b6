/**
 * @module
 * Reading and setting the metadata of objects held as JSON, and the system values the server fills
 * in: UIDs and generated names (timestamps: api/time.ts).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import type { Labels } from '../../api/labels.js';

/** The object's metadata, created (empty) if missing or not an object. */
export function metadataOf(object: JsonObject): JsonObject {
  if (!isJsonObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}

/** A read-only view of the metadata (an empty object when missing). */
export function readMetadata(object: JsonObject): JsonObject {
  return isJsonObject(object.metadata) ? object.metadata : {};
}

export function metaString(object: JsonObject, field: string): string {
  const value = readMetadata(object)[field];
  return typeof value === 'string' ? value : '';
}

/** The object's labels (those with string values, which stored labels always have). */
export function labelsOf(object: JsonObject | undefined): Labels {
  const metadata = object !== undefined && isJsonObject(object.metadata) ? object.metadata : undefined;
  const labels = metadata !== undefined && isJsonObject(metadata.labels) ? metadata.labels : undefined;
  if (labels === undefined) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') result[key] = value;
  return result;
}

export function finalizersOf(object: JsonObject): string[] {
  const value = readMetadata(object).finalizers;
  return Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];
}

export function setFinalizers(object: JsonObject, finalizers: readonly string[]): void {
  const metadata = metadataOf(object);
  if (finalizers.length === 0) delete metadata.finalizers;
  else metadata.finalizers = [...finalizers];
}

export function isDeleting(object: JsonObject): boolean {
  return typeof readMetadata(object).deletionTimestamp === 'string';
}

/** Sets or removes a metadata field (undefined removes it). */
export function setMeta(object: JsonObject, field: string, value: JsonValue | undefined): void {
  const metadata = metadataOf(object);
  if (value === undefined) delete metadata[field];
  else metadata[field] = value;
}

export function newUid(): string {
  return randomUUID();
}

/** The alphabet of generated name suffixes (no vowels, so no words; apimachinery util/rand). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** Names are at most 63 characters where it matters; the prefix is cut to leave room (names/generate.go). */
const MAX_GENERATED_NAME_LENGTH = 63;

/** A name from a generateName prefix: the prefix (cut if too long) and five random characters. */
export function generateName(prefix: string): string {
  const base = prefix.length > MAX_GENERATED_NAME_LENGTH - SUFFIX_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - SUFFIX_LENGTH) : prefix;
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return base + suffix;
}
