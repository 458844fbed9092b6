/**
 * @module
 * Read-modify-write that survives concurrent writers: apply a function to the current value and
 * write the result guarded by the revision it read; on Conflict, apply it again to what is stored
 * now. The Conflict error carries the current value, so a retry needs no extra read. Follows
 * `GuaranteedUpdate` in k8s.io/apiserver pkg/storage/interfaces.go.
 */
import { StorageError, isStorageError, keyNotFound } from './errors.js';
import type { KeyValue, Store, WriteOptions } from './interface.js';

/**
 * Returns the new value, or `undefined` to leave the key as it is. May be called several times; it
 * must not have side effects beyond computing the value.
 */
export type TryUpdate = (current: KeyValue | undefined) => string | undefined | Promise<string | undefined>;

export interface GuaranteedUpdateOptions extends WriteOptions {
  /** When the key is missing, call `tryUpdate(undefined)` and create it; otherwise KeyNotFound. */
  readonly ignoreNotFound?: boolean;
  /** A starting point the caller already holds (saves the first read; it may be stale). */
  readonly current?: KeyValue;
  /** Gives up with the last Conflict after this many attempts. @defaultValue 1000 */
  readonly maxAttempts?: number;
}

/**
 * Applies `tryUpdate` until a write lands or nothing needs writing. Resolves to the stored key-value
 * (unchanged when `tryUpdate` returned undefined or the same value), or `undefined` when the key is
 * missing, `ignoreNotFound` is set and `tryUpdate(undefined)` returned undefined.
 */
export async function guaranteedUpdate(
  store: Store,
  key: string,
  tryUpdate: TryUpdate,
  options: GuaranteedUpdateOptions = {},
): Promise<KeyValue | undefined> {
  const maxAttempts = options.maxAttempts ?? 1000;
  const ttl = options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds };
  let current = options.current ?? (await store.get(key));
  let lastConflict: StorageError | undefined;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (current === undefined && !options.ignoreNotFound) throw keyNotFound(key);
    const next = await tryUpdate(current);
    if (next === undefined) return current;
    try {
      if (current === undefined) return await store.create(key, next, ttl);
      return await store.update(key, next, { ...ttl, expectedRevision: current.modRevision });
    } catch (error) {
      if (isStorageError(error, 'Conflict')) {
        current = error.current;
      } else if (isStorageError(error, 'KeyExists') || isStorageError(error, 'KeyNotFound')) {
        current = await store.get(key);
      } else {
        throw error;
      }
      lastConflict = error;
    }
  }
  throw lastConflict ?? new StorageError('Conflict', `guaranteed update of ${key} did not converge`, { key });
}
