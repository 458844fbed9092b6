/**
 * @module
 * The storage contract as one test suite, run against every backend: `runStorageConformance(name,
 * makeStore)` registers node:test suites for reads and writes, lists, watch, TTL, compaction and
 * the watch validators under concurrent load. Its steps follow Kubernetes' storage correctness suite
 * (k8s.io/apiserver pkg/storage/testing) and etcd's watch guarantees.
 *
 * Each test gets a fresh store from `makeStore`. A backend may share one server between stores (etcd
 * does, with a key prefix per store), so tests never assume that revisions start at 1 or advance by
 * exactly one: only that they increase.
 *
 * @example
 * runStorageConformance('memory', async () => new MemoryStore({ logger: silentLogger }));
 */
import { describe } from 'node:test';
import { registerCompactionTests } from './conformance-compaction.js';
import { registerCrudTests } from './conformance-crud.js';
import { registerListTests } from './conformance-list.js';
import { registerLoadTests } from './conformance-load.js';
import type { StoreFactory } from './conformance-support.js';
import { registerWatchTests } from './conformance-watch.js';

export type { StoreFactory };

export function runStorageConformance(name: string, makeStore: StoreFactory): void {
  describe(`storage conformance: ${name}`, () => {
    describe('reads and writes', () => registerCrudTests(makeStore));
    describe('lists', () => registerListTests(makeStore));
    describe('watch', () => registerWatchTests(makeStore));
    describe('compaction', () => registerCompactionTests(makeStore));
    describe('under concurrent load', () => registerLoadTests(makeStore));
  });
}
