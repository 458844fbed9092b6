/**
 * @module
 * JSON Merge Patch (RFC 7386, `application/merge-patch+json`) as kube-apiserver applies it, through
 * evanphx/json-patch's MergePatch: objects merge member by member, a null member deletes, and any
 * other value — arrays included — replaces. Nulls inside a value that is stored (a new member, or one
 * replacing a non-object) are pruned from its objects, also inside arrays, as the library does;
 * a non-object value replacing an object is stored as sent.
 *
 * Answers follow handlers/patch.go: a null or scalar body is 400 "Invalid JSON Patch"; an array body
 * replaces the whole document, which then is not an object and fails to decode (422 Invalid). The
 * merge walks the documents with an explicit stack, so depth costs no call stack.
 */
import { type JsonObject, type JsonValue, isJsonObject, setOwnKey } from '../../api/json.js';
import { badRequest } from '../../api/status.js';
import { cloneTree, deleteOwn, getOwn, transformTree } from './json-tree.js';
import { patchedObjectInvalid, rejectDeepNesting } from './patch-errors.js';

/** Applies `patch` to a copy of `original` and returns the copy; neither input is changed. */
export function applyMergePatch(original: JsonObject, patch: JsonValue): JsonObject {
  rejectDeepNesting(patch);
  if (Array.isArray(patch)) throw patchedObjectInvalid(withoutNulls(patch));
  if (!isJsonObject(patch)) throw badRequest('Invalid JSON Patch');
  const result = cloneTree(original);
  const work: Array<readonly [JsonObject, JsonObject]> = [[result, patch]];
  for (let pair = work.pop(); pair !== undefined; pair = work.pop()) {
    const [target, changes] = pair;
    for (const key of Object.keys(changes)) {
      const change = changes[key] as JsonValue;
      const current = getOwn(target, key);
      if (change === null) {
        deleteOwn(target, key);
      } else if (current === undefined || current === null || !isJsonObject(current)) {
        setOwnKey(target, key, withoutNulls(change));
      } else if (isJsonObject(change)) {
        work.push([current, change]);
      } else {
        // Replacing an object with a non-object: the library returns the patch value unpruned.
        setOwnKey(target, key, cloneTree(change));
      }
    }
  }
  return result;
}

/** A copy of `value` with null object members removed at every level (array elements stay). */
function withoutNulls(value: JsonValue): JsonValue {
  return transformTree(value, (member) => member !== null);
}
