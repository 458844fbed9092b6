/**
 * @module
 * Safe handling of untrusted JSON trees for the patch formats: own-property access (so `__proto__`,
 * `constructor` and friends are ordinary keys, never the prototype), and an iterative depth check,
 * copy, equality and size — iterative because a hostile body can nest thousands of levels, which
 * would overflow the stack of a recursive walk (structuredClone and JSON.stringify among them).
 *
 * The depth limit is Go's encoding/json `maxNestingDepth` (10,000), which every patch body passes
 * through upstream before any patch logic runs.
 */
import { type JsonObject, type JsonValue, isJsonObject, setOwnKey } from '../../api/json.js';

/** Deepest nesting of objects and arrays a body may have (Go encoding/json's maxNestingDepth). */
export const MAX_NESTING_DEPTH = 10_000;

/** The value under `key` when it is the object's own property; never something inherited. */
export function getOwn(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}


export function deleteOwn(object: JsonObject, key: string): void {
  if (Object.hasOwn(object, key)) delete object[key];
}

/** True when `value` nests objects and arrays more than `limit` levels deep (a scalar is depth 0). */
export function exceedsDepth(value: JsonValue, limit: number = MAX_NESTING_DEPTH): boolean {
  // Two stacks side by side, of the containers still to look into and their depths: this runs on
  // every patch, and an entry object or a list of children per value was most of its cost.
  const containers: JsonValue[] = [value];
  const depths: number[] = [1];
  for (let current = containers.pop(); current !== undefined; current = containers.pop()) {
    const depth = depths.pop() as number;
    if (Array.isArray(current)) {
      if (depth > limit) return true;
      for (const child of current) if (child !== null && typeof child === 'object') pushChild(containers, depths, child, depth + 1);
    } else if (isJsonObject(current)) {
      if (depth > limit) return true;
      for (const key in current) {
        const child = current[key] as JsonValue;
        if (child !== null && typeof child === 'object') pushChild(containers, depths, child, depth + 1);
      }
    }
  }
  return false;
}

function pushChild(containers: JsonValue[], depths: number[], child: JsonValue, depth: number): void {
  containers.push(child);
  depths.push(depth);
}

/** A deep copy built without recursion; every object is a fresh plain object with own keys only. */
export function cloneTree<T extends JsonValue>(value: T): T {
  return transformTree(value, () => true) as T;
}

/**
 * A deep copy that drops object members for which `keep(value)` is false, at every level (array
 * elements are always kept). Iterative, like {@link cloneTree}.
 */
export function transformTree(value: JsonValue, keep: (member: JsonValue) => boolean): JsonValue {
  const root = shallowCopy(value);
  const work: Array<{ readonly source: JsonValue; readonly target: JsonValue }> = [{ source: value, target: root }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { source, target } = item;
    if (Array.isArray(source) && Array.isArray(target)) {
      for (const element of source) {
        const copy = shallowCopy(element);
        target.push(copy);
        work.push({ source: element, target: copy });
      }
    } else if (isJsonObject(source) && isJsonObject(target)) {
      for (const key of Object.keys(source)) {
        const member = source[key] as JsonValue;
        if (!keep(member)) continue;
        const copy = shallowCopy(member);
        setOwnKey(target, key, copy);
        work.push({ source: member, target: copy });
      }
    }
  }
  return root;
}

/** Deep equality of JSON values (object key order does not matter), without recursion. */
export function treeEqual(a: JsonValue, b: JsonValue): boolean {
  const pairs: Array<readonly [JsonValue, JsonValue]> = [[a, b]];
  for (let pair = pairs.pop(); pair !== undefined; pair = pairs.pop()) {
    const [left, right] = pair;
    if (left === right) continue;
    if (Array.isArray(left)) {
      if (!Array.isArray(right) || left.length !== right.length) return false;
      left.forEach((element, i) => pairs.push([element, right[i] as JsonValue]));
    } else if (isJsonObject(left)) {
      if (!isJsonObject(right)) return false;
      const keys = Object.keys(left);
      if (keys.length !== Object.keys(right).length) return false;
      for (const key of keys) {
        if (!Object.hasOwn(right, key)) return false;
        pairs.push([left[key] as JsonValue, right[key] as JsonValue]);
      }
    } else {
      return false;
    }
  }
  return true;
}

/**
 * The length in bytes of `value` as Go's encoding/json writes it (compact; `<`, `>`, `&`, U+2028
 * and U+2029 escaped as \uXXXX), without building the text. Used for JSON Patch's copy budget.
 */
export function encodedSize(value: JsonValue): number {
  let size = 0;
  const stack: JsonValue[] = [value];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (Array.isArray(next)) {
      size += 2 + Math.max(0, next.length - 1); // brackets and commas
      for (const element of next) stack.push(element);
    } else if (isJsonObject(next)) {
      const keys = Object.keys(next);
      size += 2 + Math.max(0, keys.length - 1);
      for (const key of keys) {
        size += stringSize(key) + 1; // the key and its colon
        stack.push(next[key] as JsonValue);
      }
    } else if (typeof next === 'string') {
      size += stringSize(next);
    } else {
      size += JSON.stringify(next).length;
    }
  }
  return size;
}

function stringSize(text: string): number {
  const extra = text.match(/[<>&\u2028\u2029]/g);
  const html = extra === null ? 0 : extra.reduce((sum, c) => sum + (c.length === 1 && c.charCodeAt(0) > 0xff ? 3 : 5), 0);
  return Buffer.byteLength(JSON.stringify(text), 'utf8') + html;
}

function shallowCopy(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return [];
  if (isJsonObject(value)) return {};
  return value;
}

