/**
 * @module
 * The storage layer's typed errors. Backends translate their own failures (SQLite result codes, etcd
 * gRPC errors) into a {@link StorageError} with one of these codes; the API server maps codes to
 * Kubernetes Status reasons in one place. Modelled on k8s.io/apiserver pkg/storage/errors.go.
 */
import type { KeyValue } from './interface.js';

export type StorageErrorCode =
  /** The key does not exist (update or delete of a missing key). */
  | 'KeyNotFound'
  /** create of a key that exists. */
  | 'KeyExists'
  /** The key's modRevision is not the expected one; `current` carries what is stored now. */
  | 'Conflict'
  /** The requested revision has been compacted away (the API server answers 410 Expired). */
  | 'Compacted'
  /** The requested revision is newer than the store's current revision. */
  | 'FutureRevision'
  /** A value over {@link MAX_VALUE_BYTES}. */
  | 'TooLarge'
  /** The backend cannot serve the request now (I/O error, disk full, etcd unreachable, closed). */
  | 'Unavailable'
  /** A malformed key, prefix, continue token or option. */
  | 'InvalidArgument'
  /** A watcher that stopped reading was cut off; resume from the last revision it processed. */
  | 'Overflow';

export interface StorageErrorDetails {
  readonly key?: string;
  /** For Conflict: the value stored now (absent when the key no longer exists). */
  readonly current?: KeyValue;
  /** For Compacted: the compacted revision; for FutureRevision: the current revision. */
  readonly revision?: number;
  /**
   * For Compacted on a paged list: a continue token that resumes after the last returned key at the
   * latest revision (an "inconsistent" continuation, as kube-apiserver offers on 410).
   */
  readonly continue?: string;
  readonly cause?: unknown;
}

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly key: string | undefined;
  readonly current: KeyValue | undefined;
  readonly revision: number | undefined;
  readonly continue: string | undefined;

  constructor(code: StorageErrorCode, message: string, details: StorageErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.key = details.key;
    this.current = details.current;
    this.revision = details.revision;
    this.continue = details.continue;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

/** etcd's default request limit (`--max-request-bytes`); kube-apiserver's body limit is twice this. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;

export function keyNotFound(key: string): StorageError {
  return new StorageError('KeyNotFound', `key not found: ${key}`, { key });
}

export function keyExists(key: string): StorageError {
  return new StorageError('KeyExists', `key exists: ${key}`, { key });
}

export function conflict(key: string, expected: number, current: KeyValue | undefined): StorageError {
  const found = current === undefined ? 'the key does not exist' : `it is at revision ${current.modRevision}`;
  return new StorageError('Conflict', `conflict on ${key}: expected revision ${expected}, but ${found}`, {
    key,
    ...(current === undefined ? {} : { current }),
  });
}

export function compacted(requested: number, compactRevision: number): StorageError {
  return new StorageError(
    'Compacted',
    `revision ${requested} has been compacted (compacted through ${compactRevision})`,
    { revision: compactRevision },
  );
}

export function futureRevision(requested: number, current: number): StorageError {
  return new StorageError('FutureRevision', `revision ${requested} is newer than the current revision ${current}`, {
    revision: current,
  });
}

export function tooLarge(key: string, bytes: number): StorageError {
  return new StorageError('TooLarge', `value for ${key} is ${bytes} bytes, over the limit of ${MAX_VALUE_BYTES}`, {
    key,
  });
}

export function unavailable(message: string, cause?: unknown): StorageError {
  return new StorageError('Unavailable', message, cause === undefined ? {} : { cause });
}

export function invalidArgument(message: string): StorageError {
  return new StorageError('InvalidArgument', message);
}
