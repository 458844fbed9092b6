/**
 * @module
 * The hashing controllers name things with: FNV-32 in both of Go's variants (hash/fnv New32 and
 * New32a), apimachinery's rand.SafeEncodeString, a canonical JSON to hash objects by, and the
 * template hash of pkg/controller/controller_utils.go ComputeHash (a Deployment's pod-template-hash,
 * a DaemonSet's controller-revision-hash).
 *
 * Upstream hashes a go-spew dump of a Go struct (ComputeHash) or the JSON bytes Go printed
 * (HashControllerRevision). Neither can be reproduced byte for byte here, so objects are hashed as
 * {@link canonicalJson}: stable across processes and restarts, changing with the object, but not the
 * hash Kubernetes would compute for the same object.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';

/** SafeEncodeString's alphabet: no vowels (no words) and no 0, 1, 3 (no look-alikes). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character of `s` to the alphabet by its code modulo 27 (rand.SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length] ?? '';
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over `bytes`, continuing from `hash` (Go's fnv.New32a). */
export function fnv32a(bytes: Uint8Array, hash = FNV32_OFFSET): number {
  let h = hash;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** FNV-1, 32 bits, over `bytes`, continuing from `hash` (Go's fnv.New32: multiply, then xor). */
export function fnv32(bytes: Uint8Array, hash = FNV32_OFFSET): number {
  let h = hash;
  for (const byte of bytes) {
    h = Math.imul(h, FNV32_PRIME) >>> 0;
    h = (h ^ byte) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with object keys sorted and empty objects, empty arrays and undefined dropped, so that two
 * objects equal under apimachinery's semantic equality (nil and empty alike) print the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value) ?? null);
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalize(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonicalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/**
 * The hash of a pod template with `collisionCount` (ComputeHash): FNV-32a of the template, then the
 * collisionCount as 8 little-endian bytes (the upper four zero), safe-encoded; see the module note.
 */
export function computeHash(template: DeepReadonly<coreV1.PodTemplateSpec>, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
