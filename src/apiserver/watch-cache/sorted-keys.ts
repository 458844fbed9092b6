/**
 * @module
 * Keys kept in storage order (bytewise), for listing a key range in order. A sorted array with binary
 * search: inserts and deletes move memory, which stays cheap at the tens of thousands of objects one
 * resource holds.
 */
import { compareKeys } from '../../storage/keys.js';

export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  insert(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] !== key) this.keys.splice(at, 0, key);
  }

  delete(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
  }

  /** Replaces the content with `keys` (any order). */
  reset(keys: readonly string[]): void {
    this.keys = [...keys].sort(compareKeys);
  }

  all(): readonly string[] {
    return this.keys;
  }

  /** The keys in [start, end), in order. */
  range(start: string, end: string): string[] {
    return this.keys.slice(this.lowerBound(start), this.lowerBound(end));
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid] as string, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
