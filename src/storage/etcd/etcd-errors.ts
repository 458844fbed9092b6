/**
 * @module
 * etcd's errors as storage errors. etcd reports them as gRPC statuses whose messages are stable
 * (etcd-io/etcd api/v3rpc/rpctypes/error.go); the ones with a meaning of their own become their code,
 * everything else (no leader, timeouts, connection failures) is Unavailable.
 */
import { StorageError, unavailable } from '../errors.js';

const MEANINGS: readonly (readonly [RegExp, 'Compacted' | 'FutureRevision' | 'TooLarge'])[] = [
  [/required revision has been compacted/, 'Compacted'],
  [/required revision is a future revision/, 'FutureRevision'],
  [/request is too large|message larger than max/, 'TooLarge'],
];

/** Translates anything the etcd client threw into a StorageError. */
export function fromEtcdError(error: unknown, context: string): StorageError {
  if (error instanceof StorageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, code] of MEANINGS) {
    if (pattern.test(message)) return new StorageError(code, `etcd: ${context}: ${message}`, { cause: error });
  }
  return unavailable(`etcd: ${context}: ${message}`, error);
}

/**
 * True for failures that happened before the request reached a member (refused or absent
 * connection, a member's circuit breaker open, no leader yet), so a write can be retried on another
 * member without risk of applying it twice. A dropped connection or a timeout is ambiguous and is
 * never retried.
 */
export function isSafeToRetry(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /ECONNREFUSED|No connection established|failed to connect|circuit breaker is open|etcdserver: no leader/i.test(
    message,
  );
}
