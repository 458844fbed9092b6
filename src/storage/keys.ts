/**
 * @module
 * Key rules shared by every backend: what a valid key is, how a list prefix becomes a key range, and
 * the one key order (bytewise UTF-8, which is etcd's and SQLite's BINARY collation).
 */
import { invalidArgument } from './errors.js';

/** Longer keys are refused; a Kubernetes key is well under this (253-character names). */
export const MAX_KEY_LENGTH = 2048;

/** Throws InvalidArgument unless `key` is a storable key: `/`-rooted, not a directory, well-formed. */
export function validateKey(key: string): void {
  if (key.length < 2 || key[0] !== '/' || key.endsWith('/')) {
    throw invalidArgument(`invalid key ${JSON.stringify(key)}: a key starts with "/" and does not end with "/"`);
  }
  checkText(key, 'key');
}

/**
 * The directory form of a list or watch prefix: it always ends with "/", so `/registry/pods/ns1`
 * covers `ns1/…` and never `ns10/…` (kube-apiserver appends the slash the same way in etcd3/store.go).
 */
export function normalizePrefix(prefix: string): string {
  if (prefix.length === 0 || prefix[0] !== '/') {
    throw invalidArgument(`invalid prefix ${JSON.stringify(prefix)}: a prefix starts with "/"`);
  }
  checkText(prefix, 'prefix');
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The smallest key greater than every key under `prefix` (which ends with "/"): the range end. */
export function prefixEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}0`;
}

/**
 * Orders keys by code point, which equals UTF-8 byte order. JavaScript's `<` compares UTF-16 code
 * units, which puts astral characters (surrogate pairs) before U+E000–U+FFFF; this corrects for that.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** The index of the first key in `sorted` (in {@link compareKeys} order) that is not below `key`. */
export function lowerBoundKey(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sorted[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** In unicode mode a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

function checkText(text: string, what: string): void {
  if (text.length > MAX_KEY_LENGTH) {
    throw invalidArgument(`${what} is ${text.length} characters long, over the limit of ${MAX_KEY_LENGTH}`);
  }
  if (LONE_SURROGATE.test(text) || text.includes('\0')) {
    throw invalidArgument(`${what} ${JSON.stringify(text)} is not well-formed text`);
  }
}
