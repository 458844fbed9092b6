/**
 * @module
 * A single pass over JSON text, before JSON.parse sees it, that finds what JSON.parse hides: nesting
 * deeper than we accept (V8 parses deep input, but stringifying or cloning it overflows the stack,
 * so depth is refused at the door) and duplicate keys, which JSON.parse silently resolves to the last
 * one and which strict field validation must report (`duplicate field "spec.replicas"`).
 *
 * The scan assumes nothing about validity: malformed text is left for JSON.parse to reject with its
 * own message.
 */

/** Deepest nesting accepted. Kubernetes allows 10,000; real objects stay far below this. */
export const MAX_JSON_DEPTH = 1000;

export interface JsonScan {
  /** True when nesting goes deeper than MAX_JSON_DEPTH. */
  readonly tooDeep: boolean;
  /** Paths of keys that appear twice in one object, e.g. `spec.replicas`. */
  readonly duplicates: readonly string[];
}

/**
 * One open object or array. Frames are reused from one value to the next at the same depth (a body
 * is a few hundred values, and this runs on every request); the enclosing frame is the one below on
 * the stack, and paths are built only for a duplicate.
 */
interface Frame {
  isObject: boolean;
  /** The key or index this value sits at in the enclosing frame. */
  at: string;
  /**
   * An object's keys so far: the first `keyCount` of `keyList` while few (the list is kept, not
   * cleared, from one object to the next), in `keySet` once many (see MANY_KEYS).
   */
  readonly keyList: string[];
  keyCount: number;
  keySet: Set<string> | undefined;
  /** The key whose value comes next (objects) or the next index (arrays). */
  key: string;
  index: number;
}

/** Keys an object may have before its duplicate check moves from a scanned list to a Set. */
const MANY_KEYS = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function scanJson(text: string): JsonScan {
  const frames: Frame[] = [];
  let depth = 0;
  const duplicates: string[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey && depth > 0) {
        const top = frames[depth - 1] as Frame;
        if (top.isObject) {
          const raw = text.slice(i + 1, end);
          const key = raw.includes('\\') ? decodeKey(raw) : raw;
          if (seen(top, key)) duplicates.push(join(pathOf(frames, depth - 1), key));
          top.key = key;
          expectKey = false;
        }
      }
      i = end;
      continue;
    }
    switch (c) {
      case 0x7b /* { */:
      case 0x5b /* [ */: {
        if (depth >= MAX_JSON_DEPTH) return { tooDeep: true, duplicates };
        const parent = depth > 0 ? (frames[depth - 1] as Frame) : undefined;
        const at = parent === undefined ? '' : parent.isObject ? parent.key : String(parent.index);
        const isObject = c === 0x7b;
        let frame = frames[depth];
        if (frame === undefined) {
          frame = { isObject, at, keyList: [], keyCount: 0, keySet: undefined, key: '', index: 0 };
          frames.push(frame);
        } else {
          frame.isObject = isObject;
          frame.at = at;
          frame.keyCount = 0;
          frame.keySet = undefined;
          frame.key = '';
          frame.index = 0;
        }
        depth++;
        expectKey = isObject;
        break;
      }
      case 0x7d /* } */:
      case 0x5d /* ] */:
        if (depth > 0) depth--;
        expectKey = false;
        break;
      case 0x2c /* , */: {
        if (depth === 0) break;
        const top = frames[depth - 1] as Frame;
        if (top.isObject) expectKey = true;
        else top.index++;
        break;
      }
      default:
        break;
    }
  }
  return { tooDeep: false, duplicates };
}

/** Records `key` in the object `frame`; true when the object already had it. */
function seen(frame: Frame, key: string): boolean {
  if (frame.keySet !== undefined) {
    if (frame.keySet.has(key)) return true;
    frame.keySet.add(key);
    return false;
  }
  const { keyList, keyCount } = frame;
  for (let i = 0; i < keyCount; i++) if (keyList[i] === key) return true;
  if (keyCount === MANY_KEYS) {
    frame.keySet = new Set(keyList.slice(0, keyCount));
    frame.keySet.add(key);
    return false;
  }
  keyList[keyCount] = key;
  frame.keyCount = keyCount + 1;
  return false;
}

/** The dotted path of the value open at `frames[index]`, `spec.containers[0]`. */
function pathOf(frames: readonly Frame[], index: number): string {
  let path = '';
  for (let i = 1; i <= index; i++) {
    const frame = frames[i] as Frame;
    path = (frames[i - 1] as Frame).isObject ? join(path, frame.at) : `${path}[${frame.at}]`;
  }
  return path;
}

/** The index of the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  // Jump from quote to quote (indexOf is native); a quote is a string's end unless an odd run of
  // backslashes escapes it.
  let i = text.indexOf('"', start + 1);
  while (i >= 0) {
    let backslashes = 0;
    for (let j = i - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return i;
    i = text.indexOf('"', i + 1);
  }
  return text.length;
}

function decodeKey(raw: string): string {
  try {
    const decoded: unknown = JSON.parse(`"${raw}"`);
    return typeof decoded === 'string' ? decoded : raw;
  } catch {
    return raw;
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
