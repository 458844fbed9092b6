/**
 * @module
 * The list machinery of strategic merge patch: finding items by merge key, partitioning merged items
 * into patch items and server-only items, and putting them in the order Kubernetes does
 * (apimachinery pkg/util/strategicpatch/patch.go: normalizeElementOrder, mergeSortedSlice,
 * normalizeSliceOrder and friends).
 *
 * The order is observable — `kubectl apply` sends `$setElementOrder` lists and users diff the result —
 * so this is a literal port, down to the sort: upstream sorts with `sort.SliceStable` and a less
 * function that is not a strict order when an item is missing from the order list, so the result
 * depends on the algorithm; {@link goSliceStable} is Go's (insertion sort on blocks of 20, then
 * SymMerge). Equality is Go's `==` on decoded JSON, which panics on maps; see goEqual.
 *
 * Ref: https://git.k8s.io/design-proposals-archive/cli/preserve-order-in-strategic-merge-patch.md
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { getOwn } from './json-tree.js';
import { goPanic } from './patch-errors.js';
import {
  errBadArgType,
  errNoListOfLists,
  errNoMergeKey,
  goEqual,
  goHashKey,
  goTypeName,
  goValue,
  unknownError,
} from './strategic-merge-errors.js';

/**
 * A Go slice over a shared backing array, for the one place where upstream's result depends on
 * aliasing: `append(s[:i], s[i+1:]...)` shifts the caller's elements in place, and a later `append`
 * writes into the slots that frees. `backing` is the caller's list; `length` is this slice's view.
 */
export interface GoView {
  backing: JsonValue[];
  length: number;
}

/** Whether a list's items are maps (merged by key) or scalars: the reflect.Kind upstream branches on. */
export type ElementKind = 'map' | 'scalar';

const DIRECTIVE_MARKER = '$patch';

/**
 * The kind of all items of the given lists (sliceElementType): lists of lists are 422, and items of
 * different Go types (a map and a string, an int64 and a float64) are an error.
 */
export function sliceElementKind(...lists: readonly (readonly JsonValue[])[]): ElementKind {
  let previous: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeName(item);
      if (previous === undefined) {
        // Go takes reflect.TypeOf(nil).Kind() here, a nil dereference.
        if (item === null) throw goPanic('invalid memory address or nil pointer dereference');
        if (Array.isArray(item)) throw errNoListOfLists();
        previous = type;
      } else if (type !== previous) {
        throw unknownError(`list element types are not identical: ${goValue(lists.map((l) => [...l]))}`);
      }
    }
  }
  if (previous === undefined) throw unknownError('no elements in any of the given slices');
  return previous === 'map[string]interface {}' ? 'map' : 'scalar';
}

/**
 * The first map in `list` whose `key` equals `value` (findMapInSliceBasedOnKeyValue); a non-map item
 * before it is an error.
 */
export function findByMergeKey(
  list: readonly JsonValue[],
  key: string,
  value: JsonValue,
  length: number = list.length,
): { readonly item: JsonObject; readonly index: number } | undefined {
  for (let index = 0; index < length; index++) {
    const item = list[index] as JsonValue;
    if (!isJsonObject(item)) throw unknownError(`value for key ${index} is not a map`);
    const candidate = getOwn(item, key);
    if (candidate !== undefined && goEqual(candidate, value)) return { item, index };
  }
  return undefined;
}

/** Every item of every list must be a map holding the merge key. */
export function validateMergeKeyInLists(mergeKey: string, ...lists: readonly (readonly JsonValue[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw errBadArgType('map', item);
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Splits scalars into those present in `partitionBy` and the rest, keeping their order. */
export function partitionScalars(
  merged: readonly JsonValue[],
  partitionBy: readonly JsonValue[],
): readonly [JsonValue[], JsonValue[]] {
  const present = new Set(partitionBy.map(goHashKey));
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of merged) (present.has(goHashKey(item)) ? inPatch : serverOnly).push(item);
  return [inPatch, serverOnly];
}

/** Splits maps into those whose merge key appears in `partitionBy` and the rest, keeping their order. */
export function partitionMaps(
  merged: readonly JsonValue[],
  partitionBy: readonly JsonValue[],
  mergeKey: string,
): readonly [JsonValue[], JsonValue[]] {
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of merged) {
    if (!isJsonObject(item)) throw errBadArgType('map', item);
    const value = getOwn(item, mergeKey);
    if (value === undefined) throw errNoMergeKey(item, mergeKey);
    (findByMergeKey(partitionBy, mergeKey, value) === undefined ? serverOnly : inPatch).push(item);
  }
  return [inPatch, serverOnly];
}

/**
 * Orders `patchItems` by `patchOrder` and `serverOnly` by `serverOrder`, then interleaves them
 * (normalizeElementOrder): the order the patch asks for wins, server-only items keep their place
 * relative to the items around them in the live list.
 */
export function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  mergeKey: string,
  kind: ElementKind,
): JsonValue[] {
  const patch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const server = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(server, patch, serverOrder, mergeKey, kind);
}

/**
 * Inserts `left` items among `right` ones (mergeSortedSlice): a left item goes first only when both
 * it and the right item at hand are in `serverOrder` and it comes earlier there; otherwise the right
 * item goes first. Relative order within each list is kept.
 */
function mergeSortedSlice(
  left: readonly JsonValue[],
  right: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  mergeKey: string,
  kind: ElementKind,
): JsonValue[] {
  const positions = new Positions(serverOrder, mergeKey, kind);
  const result: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      result.push(right[j++] as JsonValue);
    } else if (j >= right.length) {
      result.push(left[i++] as JsonValue);
    } else {
      const li = positions.indexOf(left[i] as JsonValue);
      const ri = positions.indexOf(right[j] as JsonValue);
      if (li >= 0 && ri >= 0 && li < ri) result.push(left[i++] as JsonValue);
      else result.push(right[j++] as JsonValue);
    }
  }
  return result;
}

/**
 * Positions in a list by merge key (maps) or value (scalars), as upstream's linear `index` finds
 * them: the first match, -1 when absent. Scalar keys are looked up in a hash table built once, since
 * sorting asks for positions O(n log n) times; a list holding map or slice keys falls back to the
 * linear scan, which panics as Go's `==` does.
 */
class Positions {
  private readonly first = new Map<string, number>();
  private readonly linear: boolean;

  constructor(
    private readonly list: readonly JsonValue[],
    private readonly mergeKey: string,
    private readonly kind: ElementKind,
  ) {
    this.linear = list.some((entry) => isComposite(this.keyOf(entry)));
    if (this.linear) return;
    list.forEach((entry, i) => {
      const hash = goHashKey(this.keyOf(entry) ?? null);
      if (!this.first.has(hash)) this.first.set(hash, i);
    });
  }

  indexOf(item: JsonValue): number {
    const wanted = this.keyOf(item);
    if (this.linear || isComposite(wanted)) return this.list.findIndex((entry) => goEqual(wanted, this.keyOf(entry)));
    return this.first.get(goHashKey(wanted ?? null)) ?? -1;
  }

  private keyOf(entry: JsonValue): JsonValue | undefined {
    if (this.kind === 'scalar') return entry;
    return isJsonObject(entry) ? getOwn(entry, this.mergeKey) : undefined;
  }
}

function isComposite(value: JsonValue | undefined): boolean {
  return Array.isArray(value) || isJsonObject(value);
}

/**
 * Sorts `toSort` by `order` (normalizeSliceOrder). For maps, items carrying `$patch: delete` are
 * moved to the end unsorted, and every item of both lists must have the merge key.
 */
function normalizeSliceOrder(toSort: JsonValue[], order: readonly JsonValue[], mergeKey: string, kind: ElementKind): JsonValue[] {
  let items = toSort;
  let deletions: JsonValue[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    [items, deletions] = splitDeletions(toSort);
  }
  const positions = new Positions(order, mergeKey, kind);
  goSliceStable(items, (a, b) => {
    const ia = positions.indexOf(a);
    if (ia >= 0) {
      const ib = positions.indexOf(b);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...items, ...deletions];
}

/** Items without and with a `$patch: delete` directive (extractToDeleteItems); all must be maps. */
export function splitDeletions(list: readonly JsonValue[]): [JsonValue[], JsonValue[]] {
  const keep: JsonValue[] = [];
  const remove: JsonValue[] = [];
  for (const item of list) {
    if (!isJsonObject(item)) throw errBadArgType('map', item);
    (getOwn(item, DIRECTIVE_MARKER) === 'delete' ? remove : keep).push(item);
  }
  return [keep, remove];
}

export function hasDirectiveMarker(item: JsonValue): boolean {
  return isJsonObject(item) && Object.hasOwn(item, DIRECTIVE_MARKER);
}

/**
 * Go's sort.SliceStable: insertion sort on blocks of 20, then SymMerge of doubling runs. Reproduced
 * exactly because upstream's less function is not always a strict order, so another stable sort
 * could order items differently.
 */
export function goSliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const lessAt = (i: number, j: number): boolean => less(data[i] as T, data[j] as T);
  const swap = (i: number, j: number): void => {
    const t = data[i] as T;
    data[i] = data[j] as T;
    data[j] = t;
  };
  const insertionSort = (a: number, b: number): void => {
    for (let i = a + 1; i < b; i++) {
      for (let j = i; j > a && lessAt(j, j - 1); j--) swap(j, j - 1);
    }
  };
  const swapRange = (a: number, b: number, n: number): void => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number): void => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessAt(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessAt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessAt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };

  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

/**
 * Checks that the patch list's items appear in `$setElementOrder` in the same relative order
 * (validatePatchWithSetOrderList); deletions and directive items are skipped.
 */
export function validatePatchWithSetOrderList(
  patchList: readonly JsonValue[],
  setOrderList: readonly JsonValue[],
  mergeKey: string,
): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const items = mergeKey === '' ? patchList : splitDeletions(patchList)[0];
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < items.length && orderIndex < setOrderList.length) {
    const item = items[patchIndex] as JsonValue;
    if (hasDirectiveMarker(item)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(item, setOrderList[orderIndex] as JsonValue, mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < items.length && orderIndex >= setOrderList.length) {
    throw unknownError(
      `The order in patch list:\n${goValue([...patchList])}\n doesn't match $setElementOrder list:\n${goValue([...setOrderList])}\n`,
    );
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isJsonObject(left)) throw errBadArgType('map', left);
  if (!isJsonObject(right)) throw errBadArgType('map', right);
  const leftKey = getOwn(left, mergeKey);
  if (leftKey === undefined) throw errNoMergeKey(left, mergeKey);
  const rightKey = getOwn(right, mergeKey);
  if (rightKey === undefined) throw errNoMergeKey(right, mergeKey);
  return goEqual(leftKey, rightKey);
}

/** Primitive list items not in `toDelete` (deleteFromSlice, for `$deleteFromPrimitiveList`). */
export function deleteFromSlice(current: readonly JsonValue[], toDelete: readonly JsonValue[]): JsonValue[] {
  const doomed = new Set(toDelete.map(goHashKey));
  return current.filter((item) => !doomed.has(goHashKey(item)));
}

/**
 * Removes duplicate scalars the way upstream's deduplicateScalars does: a later duplicate is replaced
 * by the list's last item, which can reorder the tail (the order is normalized afterwards anyway).
 */
export function deduplicateScalars(list: JsonValue[]): JsonValue[] {
  const s = [...list];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[length] as JsonValue;
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}
