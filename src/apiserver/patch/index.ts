/**
 * @module
 * The patch formats the API server accepts on PATCH, behind one entry point for the HTTP layer: JSON
 * Patch, JSON Merge Patch and strategic merge patch, chosen by the request's Content-Type. Server-side
 * apply (`application/apply-patch+yaml`) is a different mechanism and lives elsewhere.
 *
 * Everything here is pure: the original object and the patch body are never changed, and every
 * failure is a StatusError with kube-apiserver's code and message (handlers/patch.go).
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import type { Schema } from '../../api/schema/schema.js';
import type { SchemaSet } from '../../api/schema/schema-set.js';
import { badRequest, unsupportedMediaType } from '../../api/status.js';
import { type JsonPatchOptions, applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { goJsonKind, rejectDeepNesting } from './patch-errors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

export { DEFAULT_JSON_PATCH_MAX_COPY_BYTES, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export type { JsonPatchOptions } from './json-patch.js';

export type PatchType = 'json' | 'merge' | 'strategic';

/** The Content-Type of each patch type (k8s.io/apimachinery pkg/types/patch.go). */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/**
 * The patch type of a Content-Type header, or undefined for any other media type (the caller answers
 * 415). Like handlers/patch.go, parameters are cut at the first `;` and the rest must match exactly:
 * no case folding, no trimming.
 */
export function patchTypeForContentType(contentType: string): PatchType | undefined {
  const semicolon = contentType.indexOf(';');
  const mediaType = semicolon > 0 ? contentType.slice(0, semicolon) : contentType;
  for (const type of ['json', 'merge', 'strategic'] as const) {
    if (PATCH_CONTENT_TYPES[type] === mediaType) return type;
  }
  return undefined;
}

/** The schema a strategic merge patch follows: the kind's schema and the set resolving its references. */
export interface PatchSchema {
  readonly schema: Schema;
  readonly schemas: SchemaSet;
}

/**
 * Applies `patchBody` (the decoded request body) to `original` and returns the patched object.
 * Strategic merge needs the kind's schema; without one (custom resources) the type is refused with
 * 415, as kube-apiserver refuses it for kinds it has no Go type for.
 */
export function applyPatch(
  type: PatchType,
  original: JsonObject,
  patchBody: JsonValue,
  schema?: PatchSchema,
  options: JsonPatchOptions = {},
): JsonObject {
  switch (type) {
    case 'json':
      return applyJsonPatch(original, patchBody, options);
    case 'merge':
      return applyMergePatch(original, patchBody);
    case 'strategic': {
      if (schema === undefined) {
        throw unsupportedMediaType([PATCH_CONTENT_TYPES.json, PATCH_CONTENT_TYPES.merge, 'application/apply-patch+yaml']);
      }
      rejectDeepNesting(patchBody);
      // Go decodes the body into a map: null leaves it empty, anything else is a decoding error.
      if (patchBody === null) return applyStrategicMergePatch(original, {}, schema.schema, schema.schemas);
      if (!isJsonObject(patchBody)) {
        throw badRequest(`json: cannot unmarshal ${goJsonKind(patchBody)} into Go value of type map[string]interface {}`);
      }
      return applyStrategicMergePatch(original, patchBody, schema.schema, schema.schemas);
    }
    default: {
      const never: never = type;
      throw badRequest(`unknown patch type ${String(never)}`);
    }
  }
}
