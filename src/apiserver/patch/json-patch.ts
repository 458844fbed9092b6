/**
 * @module
 * JSON Patch (RFC 6902, `application/json-patch+json`) as kube-apiserver applies it: through
 * gopkg.in/evanphx/json-patch.v4, whose behaviour — not the RFC's letter — is what clients see. Where
 * the two differ we follow the library, because kubectl users depend on it:
 *
 * - `replace` of a missing object member adds it, and `copy` from a missing member copies null;
 * - `add` or `replace` without a `value` stores null, and `test` of a missing or null member passes
 *   when the operation's value is null or absent;
 * - negative array indices count from the end (`-1` is the last element, or the end for `add`);
 * - a path's first segment is not checked to be empty (`a/b` is read as `/b`); `~0` and `~1` decode
 *   in one pass and other `~` sequences stay as they are;
 * - `replace` or `test` of the whole document without a `value` makes the library panic: a 500.
 *
 * One difference remains: the library tells a null stored by an earlier operation of the same patch
 * from a null that was in the document (a `test` without `value` fails on the former); here a null is
 * a null.
 *
 * Limits and answers follow handlers/patch.go: a body that is not a list of operations is 400; more
 * than 10,000 operations is 413; any failure while applying (a failed `test`, a missing path, copies
 * growing the document by more than JSONPatchMaxCopyBytes) is a 422 with the generic message, and the
 * document is left untouched — operations apply to a copy, all or nothing. Every walk is iterative.
 */
import { type JsonObject, type JsonValue, isJsonObject, setOwnKey } from '../../api/json.js';
import { badRequest, requestEntityTooLarge } from '../../api/status.js';
import { cloneTree, deleteOwn, encodedSize, exceedsDepth, getOwn, treeEqual } from './json-tree.js';
import { goJsonKind, goPanic, patchApplyFailed, patchedObjectInvalid, rejectDeepNesting } from './patch-errors.js';

/** handlers/patch.go maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/** The apiserver's default JSONPatchMaxCopyBytes (server/config.go): 3 MiB. */
export const DEFAULT_JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024;

export interface JsonPatchOptions {
  /**
   * How many bytes `copy` operations may add to the document in total, measured as the copied
   * values' JSON. Defaults to {@link DEFAULT_JSON_PATCH_MAX_COPY_BYTES}; 0 or less means no limit.
   */
  readonly maxCopyBytes?: number;
}

/**
 * Applies an RFC 6902 patch to a copy of `original` and returns the copy. `patch` is the decoded
 * request body; null is an empty patch, as Go decodes it.
 */
export function applyJsonPatch(original: JsonObject, patch: JsonValue, options: JsonPatchOptions = {}): JsonObject {
  const maxCopyBytes = options.maxCopyBytes ?? DEFAULT_JSON_PATCH_MAX_COPY_BYTES;
  rejectDeepNesting(patch);
  const operations = decodePatch(patch);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  const document: Document = { root: cloneTree(original), copied: 0, maxCopyBytes };
  for (const operation of operations) {
    const failure = applyOperation(document, operation);
    if (failure !== undefined) throw patchApplyFailed(failure);
  }
  // A root replaced by an array, or copies that nest past the decoder's limit, cannot become an object.
  if (!isJsonObject(document.root) || exceedsDepth(document.root)) throw patchedObjectInvalid(document.root);
  return document.root;
}

const NIL_DEREFERENCE = 'invalid memory address or nil pointer dereference';

/** The document being patched; `root` is an object or, after `replace ""`, possibly an array. */
interface Document {
  root: JsonObject | JsonValue[];
  /** Bytes added by copy operations so far. */
  copied: number;
  readonly maxCopyBytes: number;
}

type Container = JsonObject | JsonValue[];

/** Go decodes the body into []map[string]*json.RawMessage; anything else is a 400 with its words. */
function decodePatch(patch: JsonValue): readonly (JsonObject | null)[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  const operations: (JsonObject | null)[] = [];
  for (const operation of patch) {
    if (operation !== null && !isJsonObject(operation)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(operation)} into Go value of type jsonpatch.Operation`);
    }
    operations.push(operation);
  }
  return operations;
}

/** Applies one operation; returns why it failed (upstream's error text), or undefined. */
function applyOperation(document: Document, operation: JsonObject | null): string | undefined {
  const op = operation === null ? undefined : getOwn(operation, 'op');
  const kind = typeof op === 'string' ? op : 'unknown';
  const fields = operation ?? {};
  switch (kind) {
    case 'add':
      return add(document, fields);
    case 'remove':
      return remove(document, fields);
    case 'replace':
      return replace(document, fields);
    case 'move':
      return move(document, fields);
    case 'copy':
      return copy(document, fields);
    case 'test':
      return test(document, fields);
    default:
      return `Unexpected kind: ${kind}`;
  }
}

function add(document: Document, operation: JsonObject): string | undefined {
  const path = stringField(operation, 'path');
  if (typeof path !== 'string') return `add operation failed to decode path: missing value`;
  const target = findContainer(document.root, path);
  if (target === undefined) return `add operation does not apply: doc is missing path: "${path}": missing value`;
  const failure = addTo(target.container, target.key, valueOf(operation));
  return failure === undefined ? undefined : `error in add for path: '${path}': ${failure}`;
}

function remove(document: Document, operation: JsonObject): string | undefined {
  const path = stringField(operation, 'path');
  if (typeof path !== 'string') return `remove operation failed to decode path: missing value`;
  const target = findContainer(document.root, path);
  if (target === undefined) return `remove operation does not apply: doc is missing path: "${path}": missing value`;
  const failure = removeFrom(target.container, target.key);
  return failure === undefined ? undefined : `error in remove for path: '${path}': ${failure}`;
}

function replace(document: Document, operation: JsonObject): string | undefined {
  const path = stringField(operation, 'path');
  if (typeof path !== 'string') return `replace operation failed to decode path: ${path.error}`;
  if (path === '') {
    const value = getOwn(operation, 'value');
    if (value === undefined) throw goPanic(NIL_DEREFERENCE); // the library reads the missing value's fields
    // The odd suffix is upstream's: it wraps a nil error.
    if (!Array.isArray(value) && !isJsonObject(value)) return 'replace operation value must be object or array: %!w(<nil>)';
    document.root = cloneTree(value);
    return undefined;
  }
  const target = findContainer(document.root, path);
  if (target === undefined) return `replace operation does not apply: doc is missing path: ${path}: missing value`;
  // Objects answer every key (missing ones too), so replace adds; arrays only existing indices.
  const current = getFrom(target.container, target.key);
  if (typeof current === 'string') return `replace operation does not apply: doc is missing key: ${path}: missing value`;
  setIn(target.container, target.key, valueOf(operation));
  return undefined;
}

function move(document: Document, operation: JsonObject): string | undefined {
  const from = stringField(operation, 'from');
  if (typeof from !== 'string') return `move operation failed to decode from: ${from.error}`;
  const source = findContainer(document.root, from);
  if (source === undefined) return `move operation does not apply: doc is missing from path: ${from}: missing value`;
  const value = getFrom(source.container, source.key);
  if (typeof value === 'string') return `error in move for path: '${source.key}': ${value}`;
  const removed = removeFrom(source.container, source.key);
  if (removed !== undefined) return `error in move for path: '${source.key}': ${removed}`;
  const path = stringField(operation, 'path');
  if (typeof path !== 'string') return `move operation failed to decode path: ${path.error}`;
  const target = findContainer(document.root, path);
  if (target === undefined) return `move operation does not apply: doc is missing destination path: ${path}: missing value`;
  const failure = addTo(target.container, target.key, value.value ?? null);
  return failure === undefined ? undefined : `error in move for path: '${path}': ${failure}`;
}

function copy(document: Document, operation: JsonObject): string | undefined {
  const from = stringField(operation, 'from');
  if (typeof from !== 'string') return `copy operation failed to decode from: ${from.error}`;
  const source = findContainer(document.root, from);
  if (source === undefined) return `copy operation does not apply: doc is missing from path: ${from}: missing value`;
  const value = getFrom(source.container, source.key);
  if (typeof value === 'string') return `error in copy for from: '${from}': ${value}`;
  const path = stringField(operation, 'path');
  if (typeof path !== 'string') return `copy operation failed to decode path: missing value`;
  const target = findContainer(document.root, path);
  if (target === undefined) return `copy operation does not apply: doc is missing destination path: ${path}: missing value`;
  // A missing or null source copies as null and costs nothing, as the library's deepCopy(nil).
  const copied = value.value === undefined || value.value === null ? null : cloneTree(value.value);
  document.copied += copied === null ? 0 : encodedSize(copied);
  if (document.maxCopyBytes > 0 && document.copied > document.maxCopyBytes) {
    return `Unable to complete the copy, the accumulated size increase of copy is ${document.copied}, exceeding the limit ${document.maxCopyBytes}`;
  }
  const failure = addTo(target.container, target.key, copied);
  return failure === undefined ? undefined : `error while adding value during copy: ${failure}`;
}

function test(document: Document, operation: JsonObject): string | undefined {
  const path = stringField(operation, 'path');
  if (typeof path !== 'string') return `test operation failed to decode path: ${path.error}`;
  const expected = getOwn(operation, 'value');
  if (path === '') {
    if (expected === undefined) throw goPanic(NIL_DEREFERENCE); // as in replace
    return treeEqual(document.root, expected) ? undefined : `testing value ${path} failed: test failed`;
  }
  const target = findContainer(document.root, path);
  if (target === undefined) return `test operation does not apply: is missing path: ${path}: missing value`;
  const actual = getFrom(target.container, target.key);
  if (typeof actual === 'string') return `error in test for path: '${path}': ${actual}`;
  // A missing member and a null one are the same to the library (a nil node), as are an absent and a null value.
  if (actual.value === undefined || actual.value === null) {
    return expected === undefined || expected === null ? undefined : `testing value ${path} failed: test failed`;
  }
  if (expected === undefined) return `testing value ${path} failed: test failed`;
  return treeEqual(actual.value, expected) ? undefined : `testing value ${path} failed: test failed`;
}

/** The operation's `path` or `from` as a string, or why it is not one. */
function stringField(operation: JsonObject, name: 'path' | 'from'): string | { readonly error: string } {
  const value = getOwn(operation, name);
  if (value === undefined || value === null) {
    return { error: name === 'path' ? 'operation missing path field: missing value' : 'operation, missing from field: missing value' };
  }
  if (typeof value !== 'string') return { error: `json: cannot unmarshal ${goJsonKind(value)} into Go value of type string` };
  return value;
}

/** The operation's value, copied so later operations cannot reach into the patch; absent is null. */
function valueOf(operation: JsonObject): JsonValue {
  const value = getOwn(operation, 'value');
  return value === undefined ? null : cloneTree(value);
}

/**
 * The container a pointer's last token lives in, and that token decoded (the library's findObject).
 * Every intermediate token must name an object or array; null, a scalar or a missing one ends the walk.
 */
function findContainer(root: Container, pointer: string): { readonly container: Container; readonly key: string } | undefined {
  const tokens = pointer.split('/');
  if (tokens.length < 2) return undefined;
  let container: Container = root;
  for (const token of tokens.slice(1, -1)) {
    const next = getFrom(container, decodeToken(token));
    if (typeof next === 'string') return undefined;
    const value = next.value;
    if (Array.isArray(value) || isJsonObject(value)) container = value;
    else return undefined;
  }
  return { container, key: decodeToken(tokens[tokens.length - 1] ?? '') };
}

/** RFC 6901 unescaping in a single left-to-right pass, so `~01` is `~1`, not `/`. */
function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (escape) => (escape === '~1' ? '/' : '~'));
}

/** The member or element at `key` ({value: undefined} for a missing object member), or an error. */
function getFrom(container: Container, key: string): { readonly value: JsonValue | undefined } | string {
  if (!Array.isArray(container)) return { value: getOwn(container, key) };
  const index = parseIndex(key);
  if (typeof index === 'string') return index;
  const resolved = index < 0 ? index + container.length : index;
  if (index < -container.length || resolved >= container.length) return invalidIndex(index);
  return { value: container[resolved] };
}

function setIn(container: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(container)) {
    setOwnKey(container, key, value);
    return;
  }
  const index = parseIndex(key);
  // Only reached after getFrom accepted the same key, so the index is valid.
  if (typeof index === 'number') container[index < 0 ? index + container.length : index] = value;
}

function addTo(container: Container, key: string, value: JsonValue): string | undefined {
  if (!Array.isArray(container)) {
    setOwnKey(container, key, value);
    return undefined;
  }
  if (key === '-') {
    container.push(value);
    return undefined;
  }
  const index = parseIndex(key);
  if (typeof index === 'string') return `value was not a proper array index: '${key}': ${index}`;
  const size = container.length + 1;
  if (index >= size || index < -size) return invalidIndex(index);
  container.splice(index < 0 ? index + size : index, 0, value);
  return undefined;
}

function removeFrom(container: Container, key: string): string | undefined {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) return `Unable to remove nonexistent key: ${key}: missing value`;
    deleteOwn(container, key);
    return undefined;
  }
  const index = parseIndex(key);
  if (typeof index === 'string') return index;
  if (index >= container.length || index < -container.length) return invalidIndex(index);
  container.splice(index < 0 ? index + container.length : index, 1);
  return undefined;
}

/** strconv.Atoi: an optional sign and decimal digits within int64; otherwise Go's error text. */
function parseIndex(token: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(token)) return `strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`;
  const value = Number(token);
  if (Math.abs(value) > 9_223_372_036_854_775_807) return `strconv.Atoi: parsing ${JSON.stringify(token)}: value out of range`;
  return value === 0 ? 0 : value; // no -0
}

function invalidIndex(index: number): string {
  return `Unable to access invalid index: ${index}: invalid index referenced`;
}
