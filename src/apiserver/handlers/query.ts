/**
 * @module
 * Query parameters of resource requests, parsed and checked as kube-apiserver checks them: selectors,
 * paging, the resourceVersion / resourceVersionMatch matrix of list and watch (api-concepts
 * "Semantics for get and list", "Semantics for watch"), watch timeouts and bookmarks, and the write
 * options dryRun, fieldManager and fieldValidation. Malformed values are 400 BadRequest.
 */
import { type FieldSelector, FieldSelectorError, everythingFieldSelector, parseFieldSelector } from '../../api/fields.js';
import { type LabelSelector, LabelSelectorError, everythingLabelSelector, parseLabelSelector } from '../../api/labels.js';
import { fieldErrors, invalidError } from '../../api/field-errors.js';
import { type StatusError, badRequest } from '../../api/status.js';

/** 422 for a bad query parameter, as kube-apiserver's ListOptions validation answers. */
function invalidParameter(name: string, value: unknown, detail: string): StatusError {
  return invalidError({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [fieldErrors.invalid(name, value, detail)]);
}

/** How a read's resourceVersion is to be honoured. */
export type ReadMode =
  /** Unset: the latest state, consistently. */
  | { readonly kind: 'mostRecent' }
  /** "0": any state the server has (the cache as it is). */
  | { readonly kind: 'any' }
  /** At least as new as the revision. */
  | { readonly kind: 'notOlderThan'; readonly revision: number }
  /** Exactly at the revision (410 if it is gone). */
  | { readonly kind: 'exact'; readonly revision: number };

export interface ListQuery {
  readonly labelSelector: LabelSelector;
  readonly fieldSelector: FieldSelector;
  readonly limit: number;
  readonly continueToken: string | undefined;
  readonly mode: ReadMode;
}

export interface WatchQuery {
  readonly labelSelector: LabelSelector;
  readonly fieldSelector: FieldSelector;
  /** Unset ("most recent") or "0" replay the current state first; a revision resumes after it. */
  readonly resourceVersion: 'unset' | '0' | number;
  readonly timeoutSeconds: number | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents: boolean | undefined;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteQuery {
  readonly dryRun: boolean;
  readonly fieldManager: string | undefined;
  readonly fieldValidation: FieldValidation;
}

export function parseSelectors(query: URLSearchParams): { labelSelector: LabelSelector; fieldSelector: FieldSelector } {
  let labelSelector = everythingLabelSelector;
  let fieldSelector = everythingFieldSelector;
  try {
    const labels = query.get('labelSelector');
    if (labels !== null && labels !== '') labelSelector = parseLabelSelector(labels);
  } catch (error) {
    if (error instanceof LabelSelectorError) throw badRequest(`unable to parse requirement: ${error.message}`);
    throw error;
  }
  try {
    const fields = query.get('fieldSelector');
    if (fields !== null && fields !== '') fieldSelector = parseFieldSelector(fields);
  } catch (error) {
    if (error instanceof FieldSelectorError) throw badRequest(`invalid field selector: ${error.message}`);
    throw error;
  }
  return { labelSelector, fieldSelector };
}

export function parseListQuery(query: URLSearchParams): ListQuery {
  const { labelSelector, fieldSelector } = parseSelectors(query);
  const limit = optionalInteger(query, 'limit') ?? 0;
  if (limit < 0) throw invalidParameter('limit', limit, 'must be greater than or equal to 0');
  const continueToken = nonEmpty(query.get('continue'));
  const rv = nonEmpty(query.get('resourceVersion'));
  const match = nonEmpty(query.get('resourceVersionMatch'));
  const revision = rv === undefined ? undefined : parseResourceVersion(rv);
  if (continueToken !== undefined) {
    if (rv !== undefined && rv !== '0') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    if (match !== undefined) throw badRequest('specifying resourceVersionMatch is not allowed when using continue');
    return { labelSelector, fieldSelector, limit, continueToken, mode: { kind: 'mostRecent' } };
  }
  return { labelSelector, fieldSelector, limit, continueToken, mode: readMode(revision, match, limit > 0) };
}

/** The list row of the resourceVersion matrix. */
function readMode(revision: number | undefined, match: string | undefined, paged: boolean): ReadMode {
  switch (match) {
    case undefined:
      if (revision === undefined) return { kind: 'mostRecent' };
      if (revision === 0) return { kind: 'any' };
      return paged ? { kind: 'exact', revision } : { kind: 'notOlderThan', revision };
    case 'Exact':
      if (revision === undefined || revision === 0) {
        throw invalidParameter('resourceVersionMatch', match, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
      }
      return { kind: 'exact', revision };
    case 'NotOlderThan':
      if (revision === undefined) {
        throw invalidParameter('resourceVersionMatch', match, 'resourceVersionMatch is forbidden unless resourceVersion is provided');
      }
      return revision === 0 ? { kind: 'any' } : { kind: 'notOlderThan', revision };
    default:
      throw invalidParameter('resourceVersionMatch', match, 'supported values: "Exact", "NotOlderThan"');
  }
}

/** Reads of single objects: unset is most recent, "0" any, N not older than N. */
export function parseGetMode(query: URLSearchParams): ReadMode {
  const rv = nonEmpty(query.get('resourceVersion'));
  if (rv === undefined) return { kind: 'mostRecent' };
  const revision = parseResourceVersion(rv);
  return revision === 0 ? { kind: 'any' } : { kind: 'notOlderThan', revision };
}

export function parseWatchQuery(query: URLSearchParams): WatchQuery {
  const { labelSelector, fieldSelector } = parseSelectors(query);
  const rv = nonEmpty(query.get('resourceVersion'));
  const timeoutSeconds = optionalInteger(query, 'timeoutSeconds');
  const sendInitialEvents = optionalBoolean(query, 'sendInitialEvents');
  const allowWatchBookmarks = optionalBoolean(query, 'allowWatchBookmarks') ?? false;
  const match = nonEmpty(query.get('resourceVersionMatch'));
  if (sendInitialEvents !== undefined) {
    if (match !== 'NotOlderThan') {
      throw invalidParameter('resourceVersionMatch', match ?? '', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    }
    if (sendInitialEvents && !allowWatchBookmarks) {
      throw invalidParameter('allowWatchBookmarks', false, 'sendInitialEvents requires setting allowWatchBookmarks to true');
    }
  } else if (match !== undefined) {
    throw invalidParameter('resourceVersionMatch', match, 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  return {
    labelSelector,
    fieldSelector,
    resourceVersion: rv === undefined ? 'unset' : rv === '0' ? '0' : parseResourceVersion(rv),
    timeoutSeconds,
    allowWatchBookmarks,
    sendInitialEvents,
  };
}

export function parseWriteQuery(query: URLSearchParams): WriteQuery {
  const dryRun = query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') throw invalidParameter('dryRun', value, 'supported values: "All"');
  }
  const validation = nonEmpty(query.get('fieldValidation')) ?? 'Warn';
  const fieldValidation = (['Strict', 'Warn', 'Ignore'] as const).find((v) => v.toLowerCase() === validation.toLowerCase());
  if (fieldValidation === undefined) {
    throw badRequest(`invalid fieldValidation directive: ${validation}. Supported values: Ignore, Warn, Strict`);
  }
  const fieldManager = nonEmpty(query.get('fieldManager'));
  if (fieldManager !== undefined && fieldManager.length > 128) {
    throw invalidParameter('fieldManager', fieldManager, 'must be no more than 128 characters');
  }
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation };
}

/** A resourceVersion: a decimal integer (400 otherwise, as kube-apiserver's "invalid resource version"). */
export function parseResourceVersion(text: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) throw badRequest(`invalid resource version: ${JSON.stringify(text)}`);
  return Number(text);
}

export function optionalInteger(query: URLSearchParams, name: string): number | undefined {
  const text = nonEmpty(query.get(name));
  if (text === undefined) return undefined;
  if (!/^-?[0-9]{1,15}$/.test(text)) throw invalidParameter(name, text, 'must be an integer');
  return Number(text);
}

export function optionalBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const text = nonEmpty(query.get(name));
  if (text === undefined) return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalidParameter(name, text, 'must be true or false');
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}
