/**
 * @module
 * The directives of strategic merge patch, as the server applies them (apimachinery
 * pkg/util/strategicpatch/patch.go): `$patch` on maps and list items, `$retainKeys`, the
 * `$setElementOrder/` and `$deleteFromPrimitiveList/` key prefixes, and removing directives from
 * values that are stored as they are. All of them work on the merge's private copies, in place.
 */
import { type JsonObject, type JsonValue, isJsonObject, setOwnKey } from '../../api/json.js';
import { deleteOwn, getOwn } from './json-tree.js';
import { type GoView, findByMergeKey } from './strategic-lists.js';
import {
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  goHashKey,
  unknownError,
} from './strategic-merge-errors.js';

export const DIRECTIVE_MARKER = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/** `$patch` on a map (handleDirectiveInMergeMap): replace keeps the patch as is, delete leaves `{}`. */
export function mapDirective(directive: JsonValue, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/**
 * `$retainKeys` (applyRetainKeysDirective): every non-null key the patch sets must be listed, and
 * keys of the original that are not listed are dropped.
 */
export function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retain = patch[RETAIN_KEYS_DIRECTIVE] as JsonValue;
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const kept = new Set(retain.map(goHashKey));
  const listed = (key: string): boolean => kept.has(goHashKey(key));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!listed(key)) throw errBadPatchFormatForRetainKeys();
  }
  for (const key of Object.keys(original)) if (!listed(key)) delete original[key];
}

/**
 * mergeSliceWithSpecialElements: applies `$patch: delete` items (removing every original item with
 * that merge key, shifting the view in place) and `$patch: replace` (the patch's other items become
 * the whole list). Returns the original view and the patch items left to merge.
 */
export function applySpecialItems(view: GoView, patch: readonly JsonValue[], mergeKey: string): { original: GoView; patch: JsonValue[] } {
  const plain: JsonValue[] = [];
  let replace = false;
  for (const value of patch) {
    const item = value as JsonObject;
    if (!Object.hasOwn(item, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER] as JsonValue;
    if (directive === 'delete') {
      const keyValue = getOwn(item, mergeKey);
      if (keyValue === undefined) throw errNoMergeKey(item, mergeKey);
      deleteMatchingEntries(view, mergeKey, keyValue);
    } else if (directive === 'replace') {
      replace = true; // keep going: the other directive items are still pruned
    } else if (directive === 'merge') {
      throw unknownError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  if (replace) return { original: { backing: plain, length: plain.length }, patch: [] };
  return { original: view, patch: plain };
}

/** Removes every item with the merge key value, as `append(s[:i], s[i+1:]...)` does: in place. */
function deleteMatchingEntries(view: GoView, mergeKey: string, keyValue: JsonValue): void {
  for (let found = findByMergeKey(view.backing, mergeKey, keyValue, view.length); found !== undefined; ) {
    view.backing.copyWithin(found.index, found.index + 1, view.length);
    view.length--;
    found = findByMergeKey(view.backing, mergeKey, keyValue, view.length);
  }
}

/** The prefix's field name: `$setElementOrder/containers` → `containers` (extractKey). */
export function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === SET_ELEMENT_ORDER_PREFIX ? errBadPatchFormatForSetElementOrderList() : errBadPatchFormatForPrimitiveList();
  }
  return key.slice(slash + 1);
}

/** Stores `value` after removeDirectives; a map carrying `$patch` is dropped, key and all. */
export function storeWithoutDirectives(target: JsonObject, key: string, value: JsonValue): void {
  if (isJsonObject(value) && Object.hasOwn(value, DIRECTIVE_MARKER)) {
    deleteOwn(target, key);
    return;
  }
  setOwnKey(target, key, removeDirectives(value));
}

export function removeDirectivesFromList(list: JsonValue[]): JsonValue[] {
  const result = removeDirectives(list);
  return Array.isArray(result) ? result : [];
}

/**
 * removeDirectives, iteratively: maps carrying `$patch` are dropped from the maps and lists holding
 * them, at every depth. As upstream, maps are edited in place but every list is rebuilt, so a patch
 * list itself keeps its items (its element kind is read afterwards). The caller handles a top-level
 * map with `$patch`.
 */
function removeDirectives(value: JsonValue): JsonValue {
  const carriesDirective = (item: JsonValue): boolean => isJsonObject(item) && Object.hasOwn(item, DIRECTIVE_MARKER);
  const rebuild = (list: readonly JsonValue[]): JsonValue[] => list.filter((item) => !carriesDirective(item));
  const root = Array.isArray(value) ? rebuild(value) : value;
  const work: JsonValue[] = [root];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    if (Array.isArray(next)) {
      next.forEach((item, i) => {
        if (Array.isArray(item)) next[i] = rebuild(item);
        work.push(next[i] as JsonValue);
      });
    } else if (isJsonObject(next)) {
      for (const key of Object.keys(next)) {
        const member = next[key] as JsonValue;
        if (carriesDirective(member)) delete next[key];
        else {
          if (Array.isArray(member)) setOwnKey(next, key, rebuild(member));
          work.push(next[key] as JsonValue);
        }
      }
    }
  }
  return root;
}

/** discardNullValuesFromPatch, iteratively and in place: null map members go, list nulls stay. */
export function discardNulls(value: JsonValue): JsonValue {
  const work: JsonValue[] = [value];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    if (Array.isArray(next)) {
      for (const item of next) work.push(item);
    } else if (isJsonObject(next)) {
      for (const key of Object.keys(next)) {
        const member = next[key] as JsonValue;
        if (member === null) delete next[key];
        else work.push(member);
      }
    }
  }
  return value;
}
