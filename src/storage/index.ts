/**
 * @module
 * kubelite/storage: the revisioned store contract, its backends, and the conformance suite for
 * anyone writing another backend.
 */
export type * from './interface.js';
export { eventKey } from './interface.js';
export * from './errors.js';
export { guaranteedUpdate, type GuaranteedUpdateOptions, type TryUpdate } from './guaranteed-update.js';
export { encodeContinue, decodeContinue, type Continuation } from './continue-token.js';
export { compareKeys, normalizePrefix, prefixEnd, validateKey } from './keys.js';
export { type ScheduledCompaction, DEFAULT_COMPACTION } from './compaction-schedule.js';
export { MemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
export { SqliteStore, openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { EtcdStore, openEtcdStore, type EtcdStoreOptions } from './etcd/etcd-store.js';
export { openStore, parseStoreUrl, type OpenStoreOptions, type StoreLocation } from './open-store.js';
