/**
 * @module
 * The absent-owner cache (pkg/controller/garbagecollector/uid_cache.go ReferenceCache): identities
 * verified not to exist — by a 404, a uid mismatch, or a delete event of an owner with dependents —
 * kept in a small LRU so that many dependents of one deleted owner cost one lookup, not one each.
 */
import type { ObjectIdentity } from './graph.js';

export class ReferenceCache {
  /** Map iteration order is insertion order: the first key is the least recently used. */
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ReferenceCache capacity must be a positive integer, got ${capacity}`);
  }

  add(identity: ObjectIdentity): void {
    const key = keyOf(identity);
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  has(identity: ObjectIdentity): boolean {
    const key = keyOf(identity);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }
}

function keyOf(identity: ObjectIdentity): string {
  return JSON.stringify([identity.apiVersion, identity.kind, identity.namespace, identity.name, identity.uid]);
}
