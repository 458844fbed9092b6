/**
 * @module
 * One change in the watch cache, and how each watcher sees it. A watcher with a selector sees an
 * object that stops matching as DELETED and one that starts matching as ADDED (kube-apiserver
 * cacher/cache_watcher.go convertToWatchEvent). The JSON line of each (event, type) is built once
 * and shared by every watcher that gets it.
 */
import type { CachedObject, FieldsOf } from './cached-object.js';
import { fromObject } from './cached-object.js';
import type { WatchItem } from './cache-watcher.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Which objects a watcher or a list wants. */
export interface ObjectFilter {
  /** Only this namespace (undefined: all). */
  readonly namespace?: string;
  /** Label and field selectors; absent matches everything. */
  readonly matches?: (object: CachedObject) => boolean;
}

export function filterAccepts(filter: ObjectFilter, object: CachedObject): boolean {
  if (filter.namespace !== undefined && object.namespace !== filter.namespace) return false;
  return filter.matches === undefined || filter.matches(object);
}

const encoder = new TextEncoder();
const HEADS: Readonly<Record<ChangeType, Uint8Array>> = {
  ADDED: encoder.encode('{"type":"ADDED","object":'),
  MODIFIED: encoder.encode('{"type":"MODIFIED","object":'),
  DELETED: encoder.encode('{"type":"DELETED","object":'),
};
const TAIL = encoder.encode('}\n');

/**
 * `{"type":…,"object":<json>}` and a newline, in UTF-8. The JSON is encoded straight into the
 * line: putting the line together as a string first would copy the object's text once more.
 */
function eventLine(type: ChangeType, json: string): Uint8Array {
  const head = HEADS[type];
  const line = new Uint8Array(head.length + Buffer.byteLength(json) + TAIL.length);
  line.set(head);
  const { written } = encoder.encodeInto(json, line.subarray(head.length));
  const end = head.length + written + TAIL.length;
  line.set(TAIL, end - TAIL.length);
  // The two UTF-8 counts agree (both write a lone surrogate as U+FFFD); the line ends at the tail regardless.
  return end === line.length ? line : line.subarray(0, end);
}

export class CacheEvent {
  private deletedView: CachedObject | undefined;
  private readonly lines: Partial<Record<ChangeType, Uint8Array>> = {};
  private readonly items: Partial<Record<ChangeType, WatchItem>> = {};

  /**
   * @param object the new state; for DELETED, the deleted state carrying the delete's revision
   * @param prev the state before, absent for ADDED
   */
  constructor(
    readonly type: ChangeType,
    readonly revision: number,
    readonly object: CachedObject,
    readonly prev: CachedObject | undefined,
    private readonly fieldsOf: FieldsOf,
  ) {}

  /** How a watcher with `filter` sees this event: a type, or undefined when it does not see it at all. */
  typeFor(filter: ObjectFilter): ChangeType | undefined {
    const now = this.type !== 'DELETED' && filterAccepts(filter, this.object);
    const before = this.prev !== undefined && filterAccepts(filter, this.prev);
    if (now) return before ? 'MODIFIED' : 'ADDED';
    return before ? 'DELETED' : undefined;
  }

  /** The object a watcher gets with `type`: a DELETED one is the last state it matched, at this revision. */
  objectFor(type: ChangeType): CachedObject {
    if (type !== 'DELETED' || this.type === 'DELETED') return this.object;
    if (this.prev === undefined) return this.object;
    this.deletedView ??= fromObject(this.prev.key, this.prev.object, this.revision, this.fieldsOf);
    return this.deletedView;
  }

  /** The watch item for `type`, built once and shared by every watcher that gets it. */
  item(type: ChangeType): WatchItem {
    let item = this.items[type];
    if (item === undefined) {
      item = { kind: 'event', type, object: this.objectFor(type), line: this.line(type) };
      this.items[type] = item;
    }
    return item;
  }

  /** The watch-stream line (JSON and a newline) for `type`, built once. */
  line(type: ChangeType): Uint8Array {
    let line = this.lines[type];
    if (line === undefined) {
      line = eventLine(type, this.objectFor(type).json);
      this.lines[type] = line;
    }
    return line;
  }
}

const addedLines = new WeakMap<CachedObject, Uint8Array>();

/** The ADDED line of an object sent as part of a watch's initial state, built once per object version. */
export function addedLine(object: CachedObject): Uint8Array {
  let line = addedLines.get(object);
  if (line === undefined) {
    line = eventLine('ADDED', object.json);
    addedLines.set(object, line);
  }
  return line;
}
