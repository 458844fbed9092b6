/**
 * @module
 * List continuation tokens, in kube-apiserver's format so the API server can hand them to clients
 * unchanged: base64url(JSON `{"v":"meta.k8s.io/v1","rv":N,"start":"<key relative to the prefix>"}`),
 * following staging/src/k8s.io/apiserver/pkg/storage/continue.go. `rv` -1 means "at the latest
 * revision" (the inconsistent continuation offered after the original revision was compacted).
 */
import { posix } from 'node:path';
import { invalidArgument } from './errors.js';

const TOKEN_VERSION = 'meta.k8s.io/v1';

export interface Continuation {
  /** The first key of the next page (inclusive). */
  readonly startKey: string;
  /** The revision of the first page, or -1 for the latest. */
  readonly revision: number;
}

/** Encodes a token that resumes the list of `prefix` at `startKey`. */
export function encodeContinue(startKey: string, prefix: string, revision: number): string {
  if (!startKey.startsWith(prefix)) {
    throw new Error(`continue key ${startKey} is outside the listed prefix ${prefix}`);
  }
  const token = { v: TOKEN_VERSION, rv: revision, start: startKey.slice(prefix.length) };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/**
 * Decodes a token for a list of `prefix`. The start key is cleaned as a path and re-rooted under the
 * prefix, so a token can never reach outside the prefix it is used with (continue.go does the same to
 * defend against path traversal).
 */
export function decodeContinue(token: string, prefix: string): Continuation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('continue key is not valid: not base64-encoded JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidArgument('continue key is not valid');
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== TOKEN_VERSION) throw invalidArgument('continue key is not valid: unrecognized version');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv === 0 || rv < -1) {
    throw invalidArgument('continue key is not valid: bad resource version');
  }
  if (typeof start !== 'string') throw invalidArgument('continue key is not valid: missing start key');
  const rooted = start.startsWith('/') ? start : `/${start}`;
  // Resolving ".", ".." or "//" changes the string; a plain relative key (with its NUL suffix) does not.
  if (posix.normalize(rooted) !== rooted) {
    throw invalidArgument(`continue key is not valid: ${start}`);
  }
  return { startKey: prefix + rooted.slice(1), revision: rv };
}
