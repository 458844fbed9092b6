/**
 * @module
 * The data the storage suite writes: pod keys, and pod-like JSON values of about 2.9 KB (`podValue`).
 * The values are made once, up front: building a 2.9 KB JSON string costs a few microseconds, which
 * in a CPU-bound loop (64 SQLite writers, the etcd client) would be charged to the store and the
 * anchor alike and blur the comparison.
 */
import { podValue } from '../src/storage/testing/conformance-support.js';

const POOL_SIZE = 1000;
const VALUES = Array.from({ length: POOL_SIZE }, (_, i) => podValue(`pod-${i}`));

/** The i-th pod's key under `prefix` (which ends with "/"). */
export function podKey(prefix: string, i: number): string {
  return `${prefix}pod-${i}`;
}

/** A pod value for the i-th pod (values repeat every 1,000 pods; stores treat them as opaque). */
export function pod(i: number): string {
  return VALUES[i % POOL_SIZE] as string;
}
