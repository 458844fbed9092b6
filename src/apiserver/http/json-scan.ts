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

interface Frame {
  readonly kind: 'object' | 'array';
  /** Where this value sits: the enclosing frame and the key or index there (paths are built only for a duplicate). */
  readonly parent: Frame | undefined;
  readonly at: string;
  readonly keys: Set<string> | undefined;
  /** The key whose value comes next (objects) or the next index (arrays). */
  key: string;
  index: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function scanJson(text: string): JsonScan {
  const stack: Frame[] = [];
  const duplicates: string[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top !== undefined && top.kind === 'object') {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? decodeKey(raw) : raw;
        if (top.keys?.has(key)) duplicates.push(join(pathOf(top), key));
        top.keys?.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
      continue;
    }
    switch (c) {
      case 0x7b /* { */:
      case 0x5b /* [ */: {
        if (stack.length >= MAX_JSON_DEPTH) return { tooDeep: true, duplicates };
        const parent = stack[stack.length - 1];
        const at = parent === undefined ? '' : parent.kind === 'object' ? parent.key : String(parent.index);
        const isObject = c === 0x7b;
        stack.push({ kind: isObject ? 'object' : 'array', parent, at, keys: isObject ? new Set() : undefined, key: '', index: 0 });
        expectKey = isObject;
        break;
      }
      case 0x7d /* } */:
      case 0x5d /* ] */:
        stack.pop();
        expectKey = false;
        break;
      case 0x2c /* , */: {
        const top = stack[stack.length - 1];
        if (top?.kind === 'object') expectKey = true;
        else if (top !== undefined) top.index++;
        break;
      }
      default:
        break;
    }
  }
  return { tooDeep: false, duplicates };
}

/** The dotted path of a frame, `spec.containers[0]`. */
function pathOf(frame: Frame): string {
  const parent = frame.parent;
  if (parent === undefined) return '';
  const base = pathOf(parent);
  return parent.kind === 'object' ? join(base, frame.at) : `${base}[${frame.at}]`;
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
