/**
 * @module
 * Pruning: the fields a custom resource's schema does not declare are dropped, and their paths are
 * returned so that fieldValidation can refuse (Strict) or report (Warn) them. Follows
 * apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go (PruneWithOptions):
 *
 * - the root is an embedded resource: apiVersion, kind and metadata are always kept (root metadata
 *   is held to ObjectMeta by the request decoder);
 * - under x-kubernetes-preserve-unknown-fields unknown fields stay, but declared ones are pruned by
 *   their own schemas;
 * - an x-kubernetes-embedded-resource object keeps apiVersion, kind and metadata; its metadata is
 *   held to ObjectMeta's fields (schema/objectmeta/coerce.go, which drops the others);
 * - paths are sorted, as upstream sorts them.
 *
 * Pruning changes the object in place: callers pass their own copy.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../../api/json.js';
import { type FieldPath, child, renderPath } from './path.js';
import type { Structural } from './structural.js';

const META_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

/** metav1.ObjectMeta's JSON fields: what an embedded resource's metadata may hold. */
const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** Prunes `object` (a whole custom resource) against its schema; returns the pruned paths, sorted. */
export function pruneObject(object: JsonObject, schema: Structural): string[] {
  const pruned: string[] = [];
  const root: Structural = schema.embeddedResource ? schema : { ...schema, embeddedResource: true };
  prune(object, root, undefined, pruned);
  return pruned.sort();
}

function prune(value: JsonValue, schema: Structural | undefined, path: FieldPath, pruned: string[]): void {
  if (schema?.preserveUnknownFields === true) {
    skipPrune(value, schema, path, pruned);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) prune(value[i] as JsonValue, schema?.items, child(path, i), pruned);
    return;
  }
  if (!isJsonObject(value)) return;
  if (schema === undefined) {
    for (const key of Object.keys(value)) {
      pruned.push(renderPath(child(path, key)));
      delete value[key];
    }
    return;
  }
  for (const key of Object.keys(value)) {
    if (schema.embeddedResource && META_FIELDS.has(key)) {
      if (key === 'metadata' && path !== undefined) coerceMetadata(value[key] as JsonValue, child(path, key), pruned);
      continue;
    }
    const declared = declaredSchema(schema, key);
    if (declared !== undefined) {
      prune(value[key] as JsonValue, declared === true ? undefined : declared, child(path, key), pruned);
      continue;
    }
    // A root's apiVersion/kind/metadata never get here (the root is embedded); nested ones are unknown.
    pruned.push(renderPath(child(path, key)));
    delete value[key];
  }
}

/** Under x-kubernetes-preserve-unknown-fields: unknown fields stay; declared ones are pruned as usual. */
function skipPrune(value: JsonValue, schema: Structural, path: FieldPath, pruned: string[]): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined) return;
    for (let i = 0; i < value.length; i++) skipPrune(value[i] as JsonValue, items, child(path, i), pruned);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    if (schema.embeddedResource && META_FIELDS.has(key)) {
      if (key === 'metadata' && path !== undefined) coerceMetadata(value[key] as JsonValue, child(path, key), pruned);
      continue;
    }
    const declared = declaredSchema(schema, key);
    if (declared !== undefined) prune(value[key] as JsonValue, declared === true ? undefined : declared, child(path, key), pruned);
  }
}

/**
 * The schema of `key`'s value: its property, else additionalProperties (`true` when that is the
 * boolean true, whose values are pruned as if without a schema), else undefined (not declared).
 */
function declaredSchema(schema: Structural, key: string): Structural | true | undefined {
  const property = schema.properties.get(key);
  if (property !== undefined) return property;
  const additional = schema.additionalProperties;
  if (additional === undefined || additional === false) return undefined;
  return additional;
}

/** An embedded resource's metadata keeps ObjectMeta's fields only. */
function coerceMetadata(metadata: JsonValue, path: FieldPath, pruned: string[]): void {
  if (!isJsonObject(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (OBJECT_META_FIELDS.has(key)) continue;
    pruned.push(renderPath(child(path, key)));
    delete metadata[key];
  }
}
