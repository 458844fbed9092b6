/**
 * @module
 * A memo of a pure function's results that cannot grow without bound: past its limit it starts over.
 * For lookups where a few keys repeat endlessly (a cluster's images, its quantities, the regular
 * expressions of its CRDs, the Accept headers of its clients): those stay cached, while a stream of
 * distinct keys (hostile input, say) costs at most `limit` entries, and the next burst starts afresh.
 * Simpler than LRU and as good for that pattern; it lives in api, the lowest layer every user of it
 * may import.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    private readonly limit: number,
    private readonly compute: (key: K) => V,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a memo's limit must be a positive integer, got ${limit}`);
  }

  /** How many results are remembered now. */
  get size(): number {
    return this.entries.size;
  }

  /** The result for `key`: remembered, or computed now and remembered (undefined results too). */
  get(key: K): V {
    const cached = this.entries.get(key);
    if (cached !== undefined || this.entries.has(key)) return cached as V;
    const value = this.compute(key);
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
