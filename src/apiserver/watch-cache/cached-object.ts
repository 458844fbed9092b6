/**
 * @module
 * An object as the watch cache holds it: decoded once from storage, with its resourceVersion set
 * from the storage revision, serialized once, and with the labels and selectable fields that
 * selectors test already extracted. Cached objects are shared by every list and watch that returns
 * them, so nothing may change them (STYLE.md rule 8): callers clone before changing.
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import type { KeyValue } from '../../storage/interface.js';

export interface CachedObject {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The storage revision of this version: its resourceVersion. */
  readonly revision: number;
  /** The object, metadata.resourceVersion included. Never mutate. */
  readonly object: JsonObject;
  /** `object` as JSON, computed once. */
  readonly json: string;
  readonly labels: Readonly<Record<string, string>>;
  /** metadata.name, metadata.namespace and the kind's selectable fields, as strings. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Computes the kind-specific selectable fields of an object. */
export type FieldsOf = (object: JsonObject) => Readonly<Record<string, string>>;

/** Turns a stored object into the form its API serves (identity unless the storage is shared). */
export type FromStorage = (object: JsonObject) => JsonObject;

/**
 * Builds a cached object from a stored value. The stored form has no resourceVersion (it would be
 * stale the moment it was written); the revision supplies it, as kube-apiserver's etcd3 store does.
 */
export function fromKeyValue(kv: KeyValue, fieldsOf: FieldsOf, fromStorage?: FromStorage): CachedObject {
  const stored = decodeStored(kv.value, kv.key);
  if (fromStorage !== undefined || !kv.value.startsWith(METADATA_FIRST)) return fromObject(kv.key, fromStorage === undefined ? stored : fromStorage(stored), kv.modRevision, fieldsOf);
  // Stored by encodeForStorage, metadata first: the served JSON is the stored text with the
  // resourceVersion put in front of metadata's other fields, and the parsed value is this call's own
  // to complete — no second serialization, no copy.
  const metadata = isJsonObject(stored.metadata) ? stored.metadata : {};
  metadata.resourceVersion = String(kv.modRevision);
  return cachedObject(kv.key, stored, metadata, kv.modRevision, splice(kv.value, kv.modRevision), fieldsOf);
}

/**
 * Builds a cached object from a value this server has just written and the object it encoded into
 * that value (encodeForStorage), without parsing the value back. The object's top level and metadata
 * are copied (the writer keeps setting its own resourceVersion); the rest is shared with the
 * writer's result, which is only ever read (STYLE.md rule 8).
 */
export function fromWritten(kv: KeyValue, written: JsonObject, fieldsOf: FieldsOf): CachedObject {
  const json = servedJson(kv.value, kv.modRevision);
  if (json === undefined) return fromKeyValue(kv, fieldsOf);
  const { metadata: writtenMetadata, ...fields } = written;
  const { resourceVersion: _rv, selfLink: _selfLink, ...rest } = isJsonObject(writtenMetadata) ? writtenMetadata : {};
  // The served text's order: metadata first, resourceVersion first in it.
  const metadata: JsonObject = { resourceVersion: String(kv.modRevision), ...rest };
  return cachedObject(kv.key, { metadata, ...fields }, metadata, kv.modRevision, json, fieldsOf);
}

/** How encodeForStorage begins every value: the metadata object first. */
const METADATA_FIRST = '{"metadata":{';

/**
 * The JSON an object stored as `stored` (by encodeForStorage) is served as at `revision`, without
 * parsing or serializing it again; undefined for a value stored otherwise.
 */
export function servedJson(stored: string, revision: number): string | undefined {
  return stored.startsWith(METADATA_FIRST) ? splice(stored, revision) : undefined;
}

/** `stored` (metadata first) with the resourceVersion put in front of metadata's other fields. */
function splice(stored: string, revision: number): string {
  const rest = stored.slice(METADATA_FIRST.length);
  return `${METADATA_FIRST}"resourceVersion":"${revision}"${rest.startsWith('}') ? '' : ','}${rest}`;
}

/** Builds a cached object from a decoded object and its revision (which it sets as resourceVersion). */
export function fromObject(key: string, decoded: JsonObject, revision: number, fieldsOf: FieldsOf): CachedObject {
  const metadata: JsonObject = { ...(isJsonObject(decoded.metadata) ? decoded.metadata : {}), resourceVersion: String(revision) };
  const object: JsonObject = { ...decoded, metadata };
  return cachedObject(key, object, metadata, revision, JSON.stringify(object), fieldsOf);
}

function cachedObject(key: string, object: JsonObject, metadata: JsonObject, revision: number, json: string, fieldsOf: FieldsOf): CachedObject {
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  return {
    key,
    namespace,
    name,
    revision,
    object,
    json,
    labels: stringRecord(metadata.labels),
    fields: { 'metadata.name': name, 'metadata.namespace': namespace, ...fieldsOf(object) },
  };
}

/** Parses a stored value; a value that is not a JSON object means the store holds garbage. */
export function decodeStored(value: string, key: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`stored object at ${key} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJsonObject(parsed)) throw new Error(`stored object at ${key} is not a JSON object`);
  return parsed;
}

/**
 * The form an object is stored in: without resourceVersion (and selfLink, which is never set), and
 * with metadata first, which lets fromKeyValue serve the stored text with the revision spliced in.
 */
export function encodeForStorage(object: JsonObject): string {
  const { metadata, ...fields } = object;
  const { resourceVersion: _rv, selfLink: _selfLink, ...rest } = isJsonObject(metadata) ? metadata : {};
  return JSON.stringify({ metadata: rest, ...fields });
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isJsonObject(value)) return {};
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') result[key] = entry;
  return result;
}
