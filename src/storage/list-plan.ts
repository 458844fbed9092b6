/**
 * @module
 * The parts of `list` every backend shares: turning a prefix, limit and continue token into a key
 * range and revision, checking the revision, and shaping a page with its continue token and remaining
 * count. Paging follows kube-apiserver: every page of one list is read at the first page's revision,
 * and the next page starts just after the last key returned (`lastKey + "\0"`).
 */
import { StorageError, compacted, futureRevision, invalidArgument } from './errors.js';
import type { KeyValue, ListOptions, ListResult } from './interface.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { normalizePrefix, prefixEnd } from './keys.js';

export interface ListPlan {
  /** The listed directory, ending with "/". */
  readonly prefix: string;
  /** The first key of this page (inclusive). */
  readonly start: string;
  /** The end of the prefix's range (exclusive). */
  readonly end: string;
  /** The revision to read at; 0 for the latest. */
  readonly revision: number;
  /** At most this many items; 0 for all. */
  readonly limit: number;
  /** Whether this page continues an earlier one. */
  readonly continued: boolean;
}

export function planList(prefix: string, options: ListOptions): ListPlan {
  const normalized = normalizePrefix(prefix);
  const limit = options.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) throw invalidArgument(`limit must be a non-negative integer, got ${limit}`);
  const requested = options.revision ?? 0;
  if (!Number.isSafeInteger(requested) || requested < 0) {
    throw invalidArgument(`revision must be a non-negative integer, got ${requested}`);
  }
  const base = { prefix: normalized, end: prefixEnd(normalized), limit };
  if (options.continue === undefined || options.continue === '') {
    return { ...base, start: normalized, revision: requested, continued: false };
  }
  const token = decodeContinue(options.continue, normalized);
  const revision = token.revision > 0 ? token.revision : 0;
  if (requested !== 0 && requested !== revision) {
    throw invalidArgument('specifying a revision together with a continue token is not allowed');
  }
  return { ...base, start: token.startKey, revision, continued: true };
}

/**
 * Checks a read revision against the store's current and compacted revisions and returns the revision
 * to read at. A compacted continuation carries a token that resumes at the latest revision instead.
 */
export function checkReadRevision(revision: number, current: number, compactRevision: number, plan?: ListPlan): number {
  if (revision === 0) return current;
  if (revision < compactRevision) {
    const error = compacted(revision, compactRevision);
    throw plan === undefined ? error : compactedContinuation(plan, error);
  }
  if (revision > current) throw futureRevision(revision, current);
  return revision;
}

/** The Compacted error for a continued list, carrying an "inconsistent" continue token (rv -1). */
export function compactedContinuation(plan: ListPlan, error: StorageError): StorageError {
  if (!plan.continued) return error;
  return new StorageError('Compacted', error.message, {
    ...(error.revision === undefined ? {} : { revision: error.revision }),
    continue: encodeContinue(plan.start, plan.prefix, -1),
    cause: error,
  });
}

/** Shapes one page; `remaining` counts the items after `page` at `revision`. */
export function listPage(plan: ListPlan, revision: number, page: readonly KeyValue[], remaining: number): ListResult {
  const last = page[page.length - 1];
  if (remaining > 0 && last !== undefined) {
    return { items: page, revision, remaining, continue: encodeContinue(`${last.key}\0`, plan.prefix, revision) };
  }
  return { items: page, revision, remaining: 0 };
}

/** Shapes a page from every item in the plan's range (for backends that materialize the range). */
export function listPageOf(plan: ListPlan, revision: number, all: readonly KeyValue[]): ListResult {
  const page = plan.limit > 0 ? all.slice(0, plan.limit) : all;
  return listPage(plan, revision, page, all.length - page.length);
}
