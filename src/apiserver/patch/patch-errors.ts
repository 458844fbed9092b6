/**
 * @module
 * The errors kube-apiserver answers a failed patch with, shared by the three formats
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go). Upstream hides most apply failures
 * behind one generic 422 message; the specific reason is kept as the error's `cause` so our logs can
 * still say what went wrong.
 */
import { type JsonValue, isJsonObject } from '../../api/json.js';
import { fieldErrors, invalidError } from '../../api/field-errors.js';
import { StatusError, badRequest } from '../../api/status.js';
import { exceedsDepth } from './json-tree.js';

/** What errors.NewGenericServerResponse(422, …) says: the server message is dropped upstream. */
export const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

/**
 * 422 Invalid with the generic message, as jsonPatcher.applyJSPatch answers any error from applying
 * a JSON Patch, and interpretStrategicMergePatchError answers ErrNoListOfLists.
 */
export function patchApplyFailed(reason: string): StatusError {
  return new StatusError('Invalid', GENERIC_INVALID_MESSAGE, { details: {}, cause: new Error(reason) });
}

/**
 * Where upstream's Go code panics on an input (a nil dereference, `==` on two maps); the apiserver's
 * panic filter answers with this plain 500. The runtime error is kept as the cause.
 */
export function goPanic(reason: string): StatusError {
  return new StatusError('InternalError', 'This request caused apiserver to panic. Look in the logs for details.', {
    cause: new Error(`runtime error: ${reason}`),
  });
}

/**
 * Rejects a patch body nested deeper than Go's JSON scanner accepts (10,000 levels) with the answer
 * of validateAndTranscodePatch, which runs before any patch logic: 400 "invalid JSON patch". Checking
 * first also keeps the recursive strategic merge from ever seeing such a body.
 */
export function rejectDeepNesting(patch: JsonValue): void {
  if (exceedsDepth(patch)) throw badRequest('invalid JSON patch');
}

/**
 * The patched document cannot be decoded into an object (it is an array or a scalar, or nests too
 * deeply): upstream's DecodeInto fails and the handler answers NewInvalid on the field "patch".
 */
export function patchedObjectInvalid(patched: JsonValue): StatusError {
  const deep = exceedsDepth(patched);
  const shown = deep ? '(nested too deeply to show)' : JSON.stringify(patched);
  const detail = deep
    ? 'json: exceeded max depth'
    : `json: cannot unmarshal ${goJsonKind(patched)} into Go value of type map[string]interface {}`;
  return invalidError({ group: '', kind: '' }, '', [fieldErrors.invalid('patch', shown, detail)]);
}

/** The JSON kind as Go's UnmarshalTypeError names it ("object", "array", "string", "number", "bool"). */
export function goJsonKind(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default: {
      const never: never = value;
      return String(never);
    }
  }
}
