/**
 * @module
 * What a single write does to a key, as a pure decision shared by the backends that apply writes
 * themselves (memory and SQLite): given the operation and what is stored now, the write is rejected,
 * leaves the key unchanged, puts a new version or deletes it. etcd makes the same decisions with
 * transaction compares; the conformance suite holds all three to one answer.
 */
import {
  MAX_VALUE_BYTES,
  conflict,
  invalidArgument,
  keyExists,
  keyNotFound,
  tooLarge,
  type StorageError,
} from './errors.js';
import type { ChangeEvent, DeleteOptions, DeleteResult, KeyValue, UpdateOptions, WriteOptions } from './interface.js';
import { validateKey } from './keys.js';

export type WriteOp =
  | { readonly type: 'create'; readonly key: string; readonly value: string; readonly ttlSeconds?: number }
  | {
      readonly type: 'update';
      readonly key: string;
      readonly value: string;
      readonly expectedRevision?: number;
      readonly ttlSeconds?: number;
    }
  | { readonly type: 'delete'; readonly key: string; readonly expectedRevision?: number }
  /** A TTL expiry: deletes the key if it is still the version that expired; otherwise nothing. */
  | { readonly type: 'expire'; readonly key: string; readonly expectedRevision: number };

export type WriteOutcome =
  | { readonly kind: 'rejected'; readonly error: StorageError }
  | { readonly kind: 'unchanged'; readonly kv: KeyValue | undefined }
  | {
      readonly kind: 'put';
      readonly kv: KeyValue;
      readonly event: ChangeEvent;
      /** Wall-clock expiry in ms, when the write set a TTL. */
      readonly expiresAt: number | undefined;
    }
  | { readonly kind: 'deleted'; readonly result: DeleteResult; readonly event: ChangeEvent };

export function createOp(key: string, value: string, options: WriteOptions): WriteOp {
  return { type: 'create', key, value, ...ttlOf(options) };
}

export function updateOp(key: string, value: string, options: UpdateOptions): WriteOp {
  return { type: 'update', key, value, ...ttlOf(options), ...expectedOf(options) };
}

export function deleteOp(key: string, options: DeleteOptions): WriteOp {
  return { type: 'delete', key, ...expectedOf(options) };
}

/** The stored key-value of a create or update outcome; throws the rejection. */
export function putResult(outcome: WriteOutcome): KeyValue {
  if (outcome.kind === 'rejected') throw outcome.error;
  if (outcome.kind === 'deleted' || outcome.kv === undefined) throw new Error('a put did not produce a value');
  return outcome.kv;
}

/** The result of a delete outcome; throws the rejection. */
export function deleteResult(outcome: WriteOutcome): DeleteResult {
  if (outcome.kind === 'rejected') throw outcome.error;
  if (outcome.kind !== 'deleted') throw new Error('a delete did not delete');
  return outcome.result;
}

function ttlOf(options: WriteOptions): { ttlSeconds?: number } {
  return options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds };
}

function expectedOf(options: DeleteOptions): { expectedRevision?: number } {
  return options.expectedRevision === undefined ? {} : { expectedRevision: options.expectedRevision };
}

/**
 * Throws InvalidArgument or TooLarge for a write no backend may accept: bad key, oversized value, a
 * TTL or expected revision that is not a positive integer.
 */
export function checkWrite(op: WriteOp): void {
  validateKey(op.key);
  if (op.type === 'create' || op.type === 'update') {
    const bytes = Buffer.byteLength(op.value);
    if (bytes > MAX_VALUE_BYTES) throw tooLarge(op.key, bytes);
    if (op.ttlSeconds !== undefined && !isPositiveInteger(op.ttlSeconds)) {
      throw invalidArgument(`ttlSeconds must be a positive integer, got ${op.ttlSeconds}`);
    }
  }
  if (op.type !== 'create' && op.expectedRevision !== undefined && !isPositiveInteger(op.expectedRevision)) {
    throw invalidArgument(`expectedRevision must be a positive integer, got ${op.expectedRevision}`);
  }
}

/**
 * Decides what `op` does when the key currently holds `current`; `revision` is the revision the write
 * gets if it changes anything and `now` the wall-clock time for a TTL.
 */
export function decideWrite(
  op: WriteOp,
  current: KeyValue | undefined,
  revision: number,
  now: number,
): WriteOutcome {
  switch (op.type) {
    case 'create': {
      if (current !== undefined) return { kind: 'rejected', error: keyExists(op.key) };
      const kv: KeyValue = { key: op.key, value: op.value, createRevision: revision, modRevision: revision };
      return { kind: 'put', kv, event: { type: 'ADDED', revision, kv }, expiresAt: expiry(op.ttlSeconds, now) };
    }
    case 'update': {
      if (current === undefined) return { kind: 'rejected', error: keyNotFound(op.key) };
      if (op.expectedRevision !== undefined && op.expectedRevision !== current.modRevision) {
        return { kind: 'rejected', error: conflict(op.key, op.expectedRevision, current) };
      }
      // kube-apiserver skips a write whose bytes equal what is stored (etcd3/store.go GuaranteedUpdate).
      if (op.value === current.value) return { kind: 'unchanged', kv: current };
      const kv: KeyValue = { key: op.key, value: op.value, createRevision: current.createRevision, modRevision: revision };
      return {
        kind: 'put',
        kv,
        event: { type: 'MODIFIED', revision, kv, prev: current },
        expiresAt: expiry(op.ttlSeconds, now),
      };
    }
    case 'delete':
    case 'expire': {
      if (current === undefined) {
        return op.type === 'expire' ? { kind: 'unchanged', kv: undefined } : { kind: 'rejected', error: keyNotFound(op.key) };
      }
      if (op.expectedRevision !== undefined && op.expectedRevision !== current.modRevision) {
        return op.type === 'expire'
          ? { kind: 'unchanged', kv: current }
          : { kind: 'rejected', error: conflict(op.key, op.expectedRevision, current) };
      }
      return {
        kind: 'deleted',
        result: { revision, prev: current },
        event: { type: 'DELETED', revision, key: op.key, prev: current },
      };
    }
    default: {
      const never: never = op;
      throw new Error(`unknown write ${String(never)}`);
    }
  }
}

function expiry(ttlSeconds: number | undefined, now: number): number | undefined {
  return ttlSeconds === undefined ? undefined : now + ttlSeconds * 1000;
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}
