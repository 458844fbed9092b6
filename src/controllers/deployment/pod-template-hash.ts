/**
 * @module
 * The `pod-template-hash` of a Deployment's pod template, and template equality ignoring it
 * (upstream pkg/controller/controller_utils.go ComputeHash, apimachinery util/rand SafeEncodeString,
 * pkg/controller/deployment/util/deployment_util.go EqualIgnoreHash).
 *
 * Upstream hashes the template's go-spew dump with FNV-32a, then the collisionCount as 8
 * little-endian bytes (the upper four zero), and encodes the decimal digits of the 32-bit sum with
 * SafeEncodeString's alphabet. The spew dump of a Go struct cannot be reproduced byte for byte
 * here, so we hash a canonical JSON of the template instead (object keys sorted, empty maps and
 * lists dropped): the hash is stable across processes and restarts and changes with the template,
 * which is all the controller relies on, but it differs from the hash Kubernetes would compute for
 * the same template.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';

/** The label (and selector requirement) that tells a Deployment's ReplicaSets and pods apart. */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';

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

/** FNV-1a, 32 bits, over `bytes`, continuing from `hash`. */
export function fnv32a(bytes: Uint8Array, hash = FNV32_OFFSET): number {
  let h = hash;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with object keys sorted and empty objects, empty arrays and undefined dropped, so that two
 * templates equal under apimachinery's semantic equality (nil and empty alike) print the same.
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

/** The pod-template-hash of `template` with `collisionCount` (ComputeHash; see the module note). */
export function computeHash(template: DeepReadonly<coreV1.PodTemplateSpec>, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}

/** The template without the pod-template-hash label. */
function withoutHash(template: DeepReadonly<coreV1.PodTemplateSpec> | undefined): unknown {
  if (template === undefined) return undefined;
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  delete labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

/** Whether two templates are semantically equal once their pod-template-hash labels are ignored (EqualIgnoreHash). */
export function equalIgnoreHash(a: DeepReadonly<coreV1.PodTemplateSpec> | undefined, b: DeepReadonly<coreV1.PodTemplateSpec> | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}
