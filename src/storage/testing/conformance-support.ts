/**
 * @module
 * What the conformance suites share: the store factory type, a scoped store, assertions on typed
 * errors, and small waits.
 */
import assert from 'node:assert/strict';
import type { StorageErrorCode } from '../errors.js';
import { isStorageError } from '../errors.js';
import type { Store } from '../interface.js';

/** Makes a fresh, empty store; the suite closes it. */
export type StoreFactory = () => Promise<Store>;

/** Runs `body` with a fresh store and closes it afterwards, whatever happens. */
export async function withStore<T>(makeStore: StoreFactory, body: (store: Store) => Promise<T>): Promise<T> {
  const store = await makeStore();
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** Asserts that `promise` rejects with a StorageError of `code`, and returns it. */
export async function rejectsWith<T>(promise: Promise<T>, code: StorageErrorCode) {
  try {
    await promise;
  } catch (error) {
    assert.ok(isStorageError(error), `expected a StorageError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a StorageError ${code}, but the call succeeded`);
}

/** Polls `condition` until it holds; fails after `timeoutMs` with `what`. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await delay(50);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A pod-like JSON value of about `bytes` bytes (the benchmarks' and tests' typical object). */
export function podValue(name: string, bytes = 2900, extra: Record<string, unknown> = {}): string {
  const base = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'demo' } },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
    ...extra,
  };
  const size = JSON.stringify(base).length;
  return JSON.stringify({ ...base, padding: 'x'.repeat(Math.max(0, bytes - size - 14)) });
}
