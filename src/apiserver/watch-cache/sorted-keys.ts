/**
 * @module
 * Keys kept in storage order (bytewise), for listing a key range in order. A sorted array with binary
 * search, and a buffer of keys inserted since the array was last read: a rollout inserts thousands of
 * new keys for every list that reads them, and each insert into the array moved half of it and
 * compared its way in. The buffer is sorted and merged in when the keys are next read.
 */
import { compareKeys, lowerBoundKey } from '../../storage/keys.js';

export class SortedKeys {
  /** Every key, in order, but for those still in `inserted`. */
  private keys: string[] = [];
  /** Keys added since the last read, in arrival order. */
  private inserted: string[] = [];
  private readonly members = new Set<string>();

  get size(): number {
    return this.members.size;
  }

  insert(key: string): void {
    if (this.members.has(key)) return;
    this.members.add(key);
    this.inserted.push(key);
  }

  delete(key: string): void {
    if (!this.members.delete(key)) return;
    // Merged first: searching the buffer instead made each of a run of deletes (a scale-down after a
    // rollout that no list read) a scan of thousands of pending keys.
    const keys = this.sorted();
    const at = lowerBoundKey(keys, key);
    if (keys[at] === key) keys.splice(at, 1);
  }

  /** Replaces the content with `keys` (any order). */
  reset(keys: readonly string[]): void {
    this.members.clear();
    for (const key of keys) this.members.add(key);
    this.keys = [...this.members].sort(compareKeys);
    this.inserted = [];
  }

  all(): readonly string[] {
    return this.sorted();
  }

  /** The keys in [start, end), in order. */
  range(start: string, end: string): string[] {
    const keys = this.sorted();
    return keys.slice(lowerBoundKey(keys, start), lowerBoundKey(keys, end));
  }

  /** The keys in order, the inserted ones merged in first. */
  private sorted(): string[] {
    if (this.inserted.length === 0) return this.keys;
    const added = this.inserted.sort(compareKeys);
    this.inserted = [];
    const merged = new Array<string>(this.keys.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.keys.length && j < added.length) {
      merged[k++] = compareKeys(this.keys[i] as string, added[j] as string) <= 0 ? (this.keys[i++] as string) : (added[j++] as string);
    }
    while (i < this.keys.length) merged[k++] = this.keys[i++] as string;
    while (j < added.length) merged[k++] = added[j++] as string;
    this.keys = merged;
    return merged;
  }
}
