/**
 * @module
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), applied as
 * kube-apiserver applies it: a port of apimachinery pkg/util/strategicpatch/patch.go's
 * StrategicMergeMapPatch with the server's options (parallel lists merged, unmatched nulls ignored),
 * driven by our schemas instead of Go struct tags.
 *
 * - Maps merge recursively; a null value deletes the key.
 * - A list whose field has patchStrategy merge merges: maps by the field's patchMergeKey (a patch
 *   item with the key of an existing item merges into it, others are added), scalars as a set.
 *   Every other list is replaced, and so is a map whose field has patchStrategy replace.
 * - Directives: `$patch: replace | delete` on a map or as a list item (`delete` needs the merge key),
 *   `$retainKeys` (drop the keys it does not list), `$setElementOrder/<field>` (the order of a merged
 *   list) and `$deleteFromPrimitiveList/<field>`. `$patch: merge` is rejected, as upstream does.
 * - The resulting order of merged lists is upstream's, exactly (see strategic-lists.ts).
 * - Fields the schema does not describe (unknown fields, `any`, preserve-unknown objects) merge as
 *   maps with no patch metadata, so their lists are replaced — JSON merge patch semantics. Upstream
 *   can only meet such fields in RawExtension-like values, where it fails instead.
 *
 * Two places read Go's memory model rather than the algorithm: deleting list items shifts the
 * caller's copy of the list in place, and later appends reuse the freed slots (see GoView);
 * `$setElementOrder` sorts against that shifted copy. And upstream patches a typed object converted to
 * a map, which omits empty optional fields, so a null or an empty list or map in the original counts
 * as absent (see Merger.presentValue).
 *
 * Errors are upstream's (strategic-merge-errors.ts). Patch nesting is bounded first (10,000 levels,
 * 400), and nested merges run on a heap stack (see {@link Step}), so no depth overflows the call stack.
 */
import { type JsonObject, type JsonValue, isJsonObject, setOwnKey } from '../../api/json.js';
import type { Schema } from '../../api/schema/schema.js';
import type { SchemaSet } from '../../api/schema/schema-set.js';
import { cloneTree, deleteOwn, getOwn } from './json-tree.js';
import { rejectDeepNesting } from './patch-errors.js';
import {
  type ElementKind,
  type GoView,
  deduplicateScalars,
  deleteFromSlice,
  findByMergeKey,
  normalizeElementOrder,
  partitionMaps,
  partitionScalars,
  sliceElementKind,
  validatePatchWithSetOrderList,
} from './strategic-lists.js';
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  SET_ELEMENT_ORDER_PREFIX,
  applyRetainKeys,
  applySpecialItems,
  discardNulls,
  extractKey,
  mapDirective,
  removeDirectivesFromList,
  storeWithoutDirectives,
} from './strategic-directives.js';
import { errBadArgType, errNoMergeKey, unknownError } from './strategic-merge-errors.js';

/**
 * Applies a strategic merge patch to a copy of `original`. `schema` describes the object (usually a
 * reference to its kind's definition) and `schemas` resolves references. Neither input is changed.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject, schema: Schema, schemas: SchemaSet): JsonObject {
  rejectDeepNesting(patch);
  const copy = cloneTree(original);
  const merger = new Merger(schemas, emptyContainers(copy));
  return merger.run({ original: copy, patch: cloneTree(patch), level: merger.resolve(schema) });
}

/** A resolved schema for the map or list item being merged; undefined where the schema says nothing. */
type Level = Exclude<Schema, { type: 'ref' }> | undefined;

/** What a field's schema tells the merge (upstream's PatchMeta), and the schema one level down. */
interface FieldMeta {
  /** The strategy without retainKeys, which only matters when patches are computed. */
  readonly strategy: 'merge' | 'replace' | '';
  readonly mergeKey: string;
  readonly sub: Level;
}

const NO_META: FieldMeta = { strategy: '', mergeKey: '', sub: undefined };

/** A merge step asking for two nested maps to be merged; it is resumed with the merged map. */
interface MergeCall {
  readonly original: JsonObject;
  readonly patch: JsonObject;
  readonly level: Level;
}

/**
 * A merge step. Upstream recurses once per nested map (and several calls per nested list), which a
 * 10,000-level body would take far past V8's stack; the steps here are generators that yield a
 * {@link MergeCall} where upstream recurses, and {@link Merger.run} keeps the pending steps on a heap
 * stack. Evaluation order — and so which error wins — stays exactly upstream's.
 */
type Step<T> = Generator<MergeCall, T, JsonObject>;

class Merger {
  /**
   * @param omitted the empty lists and maps of the original object, which upstream never sees: its
   *   typed objects omit empty `omitempty` fields before patching (runtime converter isEmpty).
   */
  constructor(
    private readonly schemas: SchemaSet,
    private readonly omitted: WeakSet<object>,
  ) {}

  resolve(schema: Schema): Level {
    return this.schemas.resolve(schema);
  }

  /** Runs mergeMap for `call` to completion, nested merges included, on a heap stack. */
  run(call: MergeCall): JsonObject {
    const stack: Step<JsonObject>[] = [this.mergeMap(call.original, call.patch, call.level)];
    let answer: JsonObject | undefined;
    for (;;) {
      const step = stack[stack.length - 1] as Step<JsonObject>;
      const next = answer === undefined ? step.next() : step.next(answer);
      if (next.done === true) {
        stack.pop();
        if (stack.length === 0) return next.value;
        answer = next.value;
      } else {
        stack.push(this.mergeMap(next.value.original, next.value.patch, next.value.level));
        answer = undefined;
      }
    }
  }

  /** mergeMap: merges `patch` into `original` (both private copies, changed in place) and returns it. */
  private *mergeMap(original: JsonObject, patch: JsonObject, level: Level): Step<JsonObject> {
    if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return mapDirective(patch[DIRECTIVE_MARKER] as JsonValue, patch);
    applyRetainKeys(original, patch);
    yield* this.mergeOrderedLists(original, patch, level);

    for (const patchKey of Object.keys(patch)) {
      const patchValue = patch[patchKey] as JsonValue;
      const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      const key = isDeleteList ? extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX) : patchKey;

      if (patchValue === null) {
        deleteOwn(original, key);
        continue;
      }
      const current = this.presentValue(original, key, level);
      if (current === undefined || category(current) !== category(patchValue)) {
        // New, or of another type: take the patch value, minus nulls and directive-bearing maps.
        if (!isDeleteList) storeWithoutDirectives(original, key, discardNulls(patchValue));
        continue;
      }
      if (isJsonObject(current) && isJsonObject(patchValue)) {
        const meta = this.lookupField(level, key, 'struct');
        setOwnKey(original, key, meta.strategy === 'replace' ? patchValue : yield { original: current, patch: patchValue, level: meta.sub });
      } else if (Array.isArray(current) && Array.isArray(patchValue)) {
        const meta = this.lookupField(level, key, 'slice');
        setOwnKey(original, key, yield* this.mergeSliceHandler({ backing: current, length: current.length }, patchValue, meta, isDeleteList));
      } else {
        storeWithoutDirectives(original, key, patchValue);
      }
    }
    return original;
  }

  /**
   * mergePatchIntoOriginal: each `$setElementOrder/<field>` merges its field's list (if the patch has
   * one) and then orders the result: `$setElementOrder` first, then the patch's order, then the live
   * list's. The lists handled here are removed from the patch.
   */
  private *mergeOrderedLists(original: JsonObject, patch: JsonObject, level: Level): Step<void> {
    for (const directive of Object.keys(patch)) {
      if (!directive.startsWith(SET_ELEMENT_ORDER_PREFIX) || !Object.hasOwn(patch, directive)) continue;
      const order = patch[directive] as JsonValue;
      delete patch[directive];
      if (!Array.isArray(order)) throw errBadArgType('slice', order);
      const key = extractKey(directive, SET_ELEMENT_ORDER_PREFIX);

      const originalList = this.presentValue(original, key, level);
      const patchList = getOwn(patch, key);
      if (originalList !== undefined && !Array.isArray(originalList)) throw errBadArgType('slice', originalList);
      if (patchList !== undefined && !Array.isArray(patchList)) throw errBadArgType('slice', patchList);
      const meta = this.lookupField(level, key, 'slice');
      validatePatchWithSetOrderList(patchList ?? [], order, meta.mergeKey);

      // The original list as the caller sees it after the merge (Go reuses its storage; see GoView).
      const view: GoView = { backing: originalList ?? [], length: originalList?.length ?? 0 };
      let merged: JsonValue[];
      if (originalList !== undefined && patchList === undefined) merged = originalList;
      else if (originalList === undefined && patchList !== undefined) merged = removeDirectivesFromList(patchList);
      else if (originalList !== undefined && patchList !== undefined) merged = yield* this.mergeSliceHandler(view, patchList, meta, false);
      else continue;

      const [inOrder, serverOnly] =
        meta.mergeKey === '' ? partitionScalars(merged, order) : partitionMaps(merged, order, meta.mergeKey);
      const serverOrder = view.backing.slice(0, view.length);
      const kind = sliceElementKind(serverOrder, patchList ?? []);
      setOwnKey(original, key, normalizeElementOrder(inOrder, serverOnly, order, serverOrder, meta.mergeKey, kind));
      delete patch[key];
    }
  }

  /** mergeSliceHandler: merge strategy (or a deletion list) merges; anything else takes the patch list. */
  private *mergeSliceHandler(original: GoView, patch: JsonValue[], meta: FieldMeta, isDeleteList: boolean): Step<JsonValue[]> {
    if (meta.strategy === 'merge' || isDeleteList) return yield* this.mergeSlice(original, patch, meta, isDeleteList);
    return patch;
  }

  /**
   * mergeSlice: merges two lists of the same element kind and orders the result. `caller` is the
   * caller's slice: its elements may be rewritten in place, its length and backing never.
   */
  private *mergeSlice(caller: GoView, patch: JsonValue[], meta: FieldMeta, isDeleteList: boolean): Step<JsonValue[]> {
    const view: GoView = { backing: caller.backing, length: caller.length };
    const original = view.backing.slice(0, view.length);
    if (original.length === 0 && patch.length === 0) return original;
    const kind: ElementKind = sliceElementKind(original, patch);
    let serverOrder = original;
    let patchItems = patch;
    let merged: JsonValue[];
    if (kind === 'scalar') {
      if (isDeleteList) return deleteFromSlice(original, patch);
      merged = deduplicateScalars([...original, ...patch]);
    } else {
      if (meta.mergeKey === '') throw unknownError(`cannot merge lists without merge key for ${kindName(meta.sub)}`);
      const special = applySpecialItems(view, patch, meta.mergeKey);
      serverOrder = special.original.backing.slice(0, special.original.length);
      patchItems = special.patch;
      merged = yield* this.mergeItemsByKey(special.original, patchItems, meta);
    }
    const [inPatch, serverOnly] =
      meta.mergeKey === '' ? partitionScalars(merged, patchItems) : partitionMaps(merged, patchItems, meta.mergeKey);
    return normalizeElementOrder(inPatch, serverOnly, patchItems, serverOrder, meta.mergeKey, kind);
  }

  /**
   * mergeSliceWithoutSpecialElements: each patch item merges into the original item with the same
   * merge key, or is appended (into the view's freed slots first, as Go's append does).
   */
  private *mergeItemsByKey(view: GoView, patch: readonly JsonValue[], meta: FieldMeta): Step<JsonValue[]> {
    for (const item of patch) {
      const patchItem = item as JsonObject; // sliceElementKind established that every item is a map
      const keyValue = getOwn(patchItem, meta.mergeKey);
      if (keyValue === undefined) throw errNoMergeKey(patchItem, meta.mergeKey);
      const found = findByMergeKey(view.backing, meta.mergeKey, keyValue, view.length);
      if (found !== undefined) {
        view.backing[found.index] = yield { original: found.item, patch: patchItem, level: meta.sub };
      } else {
        if (view.length === view.backing.length) view.backing = view.backing.slice(0, view.length); // reallocation
        view.backing[view.length] = patchItem;
        view.length++;
      }
    }
    return view.backing.slice(0, view.length);
  }

  /**
   * The original's value under `key`, or undefined when upstream would not have it: missing, or
   * (for a field the schema does not mark required, i.e. `omitempty`) null or an empty list or map
   * of the original object — lists emptied by this merge still count.
   */
  private presentValue(original: JsonObject, key: string, level: Level): JsonValue | undefined {
    const value = getOwn(original, key);
    if (value === undefined || (level?.type === 'object' && level.required?.includes(key) === true)) return value;
    if (value === null || (typeof value === 'object' && this.omitted.has(value))) return undefined;
    return value;
  }

  /**
   * The patch metadata of `key` under `level` (LookupPatchMetadataForStruct/ForSlice). A Go map
   * (an object schema with only additionalProperties) has no struct fields to look up, and upstream
   * fails there; unknown fields get no metadata.
   */
  private lookupField(level: Level, key: string, as: 'struct' | 'slice'): FieldMeta {
    if (level?.type !== 'object') return NO_META;
    const field = level.properties !== undefined && Object.hasOwn(level.properties, key) ? level.properties[key] : undefined;
    if (field === undefined) {
      if (level.additionalProperties !== undefined && Object.keys(level.properties ?? {}).length === 0) {
        throw unknownError('merging an object in json but data type is not struct, instead is: map');
      }
      return NO_META;
    }
    const strategy = strategyOf(field);
    const mergeKey = field.patchMergeKey ?? '';
    const resolved = this.resolve(field);
    if (as === 'struct') return { strategy, mergeKey, sub: resolved };
    if (resolved?.type === 'any') return { strategy, mergeKey, sub: undefined };
    if (resolved?.type !== 'array') throw unknownError('expected slice or array type, but got: struct');
    const items = this.resolve(resolved.items);
    if (items?.type === 'array') throw unknownError('unexpected slice of slice');
    return { strategy, mergeKey, sub: items };
  }
}

/**
 * The field's strategy for applying patches (extractRetainKeysPatchStrategy): retainKeys only shapes
 * how clients compute patches, so `merge,retainKeys` merges and `retainKeys` alone is the default.
 */
function strategyOf(field: Schema): FieldMeta['strategy'] {
  switch (field.patchStrategy) {
    case 'merge':
    case 'merge,retainKeys':
      return 'merge';
    case 'replace':
      return 'replace';
    case 'retainKeys':
    case undefined:
      return '';
    default: {
      const never: never = field.patchStrategy;
      return never;
    }
  }
}

/** The empty lists and maps in `root`, found without recursion. */
function emptyContainers(root: JsonObject): WeakSet<object> {
  const empty = new WeakSet<object>();
  const work: JsonValue[] = [root];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    if (typeof next !== 'object' || next === null) continue;
    const children = Array.isArray(next) ? next : Object.values(next);
    if (children.length === 0) empty.add(next);
    for (const child of children) work.push(child);
  }
  return empty;
}

/** Go compares reflect types; for the merge only map, slice and "anything else" differ in effect. */
function category(value: JsonValue): 'map' | 'slice' | 'scalar' {
  return Array.isArray(value) ? 'slice' : isJsonObject(value) ? 'map' : 'scalar';
}

/** How upstream names a list's element type in "cannot merge lists without merge key for …". */
function kindName(level: Level): string {
  switch (level?.type) {
    case undefined:
      return 'interface';
    case 'object':
      return level.additionalProperties !== undefined && level.properties === undefined ? 'map' : 'struct';
    case 'string':
      return 'string';
    case 'integer':
      return level.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return 'slice';
    case 'int-or-string':
    case 'any':
      return 'struct';
    default: {
      const never: never = level;
      return String(never);
    }
  }
}
