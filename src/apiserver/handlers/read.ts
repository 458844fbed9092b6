/**
 * @module
 * get and list. Reads follow the resourceVersion matrix: a get without resourceVersion is a quorum
 * read (from the watch cache when it is provably current, else from storage); "0" and "not older
 * than N" are served by the watch cache (waiting for it to reach N); a list without resourceVersion
 * is a consistent read from the cache (once it has caught up with storage); an exact revision the cache is not at is read from storage at that revision.
 * Later pages of a paged list come from the snapshot the first page was cut from, or from storage
 * at the first page's revision; if that revision has been compacted the answer is 410 with an
 * "inconsistent" continue token, as kube-apiserver does.
 */
import type { ServerReply } from '../http/exchange.js';
import type { JsonObject } from '../../api/json.js';
import { type StatusError, badRequest, notFound, resourceExpired } from '../../api/status.js';
import { decodeContinue, encodeContinue } from '../../storage/continue-token.js';
import { isStorageError } from '../../storage/errors.js';
import type { ListResult } from '../../storage/interface.js';
import type { ResourceOutput } from '../http/negotiation.js';
import { sendJsonText, sendObject } from '../http/respond.js';
import { storageKey, storagePrefix } from '../registry/registry.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from '../partial-metadata.js';
import { DEFAULT_PRINTER, parseIncludeObject, toTable } from '../table.js';
import type { ObjectFilter } from '../watch-cache/cache-event.js';
import { type CachedObject, fromKeyValue } from '../watch-cache/cached-object.js';
import { tooLargeResourceVersion } from '../watch-cache/watch-cache.js';
import { type ListQuery, parseGetMode, parseListQuery } from './query.js';
import { type ResourceScope, listJson, objectFilter } from './scope.js';

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function getObject(scope: ResourceScope, namespace: string, name: string, query: URLSearchParams): Promise<CachedObject> {
  const mode = parseGetMode(query);
  const { store, definition } = scope;
  switch (mode.kind) {
    case 'mostRecent':
      return store.getConsistent(namespace, name);
    case 'notOlderThan':
    case 'exact':
      await store.cache.waitFresh(mode.revision);
      break;
    case 'any':
      break;
    default: {
      const never: never = mode;
      throw new Error(`unknown read mode ${String(never)}`);
    }
  }
  const cached = store.cache.get(storageKey(definition, namespace, name));
  if (cached === undefined) throw notFound(store.groupResource, name);
  return cached;
}

export async function sendGet(
  scope: ResourceScope,
  response: ServerReply,
  namespace: string,
  name: string,
  query: URLSearchParams,
  output: ResourceOutput,
): Promise<void> {
  const object = await getObject(scope, namespace, name, query);
  if (output.kind === 'metadata') {
    sendObject(response, 200, asPartialObjectMetadata(object.object));
    return;
  }
  if (output.kind === 'table') {
    sendTable(scope, response, [object.object], output.version, query, { resourceVersion: String(object.revision) });
    return;
  }
  sendJsonText(response, 200, object.json, output.kind);
}

export interface ListedPage {
  readonly items: readonly CachedObject[];
  readonly resourceVersion: number;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/** Lists `namespace` (undefined: every namespace, or a cluster-scoped kind). */
export async function listObjects(scope: ResourceScope, namespace: string | undefined, list: ListQuery): Promise<ListedPage> {
  const { cache } = scope.store;
  const prefix = namespace === undefined || !scope.definition.namespaced ? storagePrefix(scope.definition) : `${storagePrefix(scope.definition)}${namespace}/`;
  const filter = objectFilter(scope, undefined, list.labelSelector, list.fieldSelector);
  if (list.continueToken !== undefined) {
    const token = decodeContinueToken(list.continueToken, prefix);
    if (token.revision > 0) {
      const page = cache.continuePage(prefix, filter, list.limit, token.revision, token.startKey);
      if (page !== undefined) return fromCachePage(page, prefix, filter);
    }
    return listFromStorage(scope, prefix, filter, list.limit, { continue: list.continueToken });
  }
  const mode = list.mode;
  switch (mode.kind) {
    case 'mostRecent': {
      const revision = await cache.consistentRevision();
      if (revision === undefined) return listFromStorage(scope, prefix, filter, list.limit, {});
      break;
    }
    case 'any':
      break;
    case 'notOlderThan':
      await cache.waitFresh(mode.revision);
      break;
    case 'exact':
      if (mode.revision !== cache.revision) return listFromStorage(scope, prefix, filter, list.limit, { revision: mode.revision });
      break;
    default: {
      const never: never = mode;
      throw new Error(`unknown read mode ${String(never)}`);
    }
  }
  return fromCachePage(cache.listPage(prefix, filter, list.limit), prefix, filter, () => cache.rememberSnapshot());
}

export async function sendList(
  scope: ResourceScope,
  response: ServerReply,
  namespace: string | undefined,
  query: URLSearchParams,
  output: ResourceOutput,
): Promise<void> {
  const page = await listObjects(scope, namespace, parseListQuery(query));
  const metadata = {
    resourceVersion: String(page.resourceVersion),
    ...(page.continue === undefined ? {} : { continue: page.continue }),
    ...(page.remainingItemCount === undefined ? {} : { remainingItemCount: page.remainingItemCount }),
  };
  if (output.kind === 'table') {
    sendTable(scope, response, page.items.map((item) => item.object), output.version, query, metadata);
    return;
  }
  if (output.kind === 'metadata') {
    sendObject(response, 200, asPartialObjectMetadataList(page.items.map((item) => item.object), metadata));
    return;
  }
  sendJsonText(response, 200, listJson(scope.definition, page.items, metadata), output.kind);
}

/** Objects as a Table (`as=Table`), with the kind's columns and the request's includeObject. */
export function sendTable(scope: ResourceScope, response: ServerReply, objects: readonly JsonObject[], version: 'v1' | 'v1beta1', query: URLSearchParams, listMeta: JsonObject): void {
  const table = toTable(objects, {
    printer: scope.definition.table ?? DEFAULT_PRINTER,
    includeObject: parseIncludeObject(query.get('includeObject')),
    version,
    noHeaders: false,
    now: scope.now(),
    listMeta,
  });
  sendObject(response, 200, table);
}

function fromCachePage(
  page: { items: readonly CachedObject[]; revision: number; nextKey: string | undefined; remaining: number | undefined },
  prefix: string,
  filter: ObjectFilter,
  onMore: () => void = () => undefined,
): ListedPage {
  if (page.nextKey === undefined) return { items: page.items, resourceVersion: page.revision };
  onMore();
  return {
    items: page.items,
    resourceVersion: page.revision,
    continue: encodeContinue(page.nextKey, prefix, page.revision),
    ...(page.remaining === undefined || filter.matches !== undefined ? {} : { remainingItemCount: page.remaining }),
  };
}

/**
 * Reads pages from storage until `limit` matching objects are found or the range ends (selectors
 * can make storage pages come back mostly empty).
 */
async function listFromStorage(
  scope: ResourceScope,
  prefix: string,
  filter: ObjectFilter,
  limit: number,
  start: { readonly continue?: string; readonly revision?: number },
): Promise<ListedPage> {
  const fieldsOf = scope.definition.strategy.selectableFields ?? (() => ({}));
  const items: CachedObject[] = [];
  let options: { limit: number; continue?: string; revision?: number } = { limit: 0, ...start };
  for (;;) {
    let page: ListResult;
    try {
      page = await scope.store.storage.list(prefix, { ...options, limit: limit > 0 ? Math.max(limit - items.length, 1) : 0 });
    } catch (error) {
      throw storageReadError(error, start);
    }
    for (const kv of page.items) {
      const object = fromKeyValue(kv, fieldsOf, scope.definition.storedAs?.fromStorage);
      if (filter.matches === undefined || filter.matches(object)) items.push(object);
    }
    if (page.continue === undefined) return { items, resourceVersion: page.revision };
    if (limit > 0 && items.length >= limit) {
      return {
        items,
        resourceVersion: page.revision,
        continue: page.continue,
        ...(filter.matches === undefined ? { remainingItemCount: page.remaining } : {}),
      };
    }
    options = { limit, continue: page.continue };
  }
}

function storageReadError(error: unknown, start: { readonly continue?: string; readonly revision?: number }): unknown {
  if (isStorageError(error, 'Compacted')) {
    if (start.continue !== undefined) {
      return resourceExpired(EXPIRED_CONTINUE, error.continue === undefined ? {} : { continue: error.continue });
    }
    return resourceExpired(`too old resource version: ${start.revision ?? 0} (${error.revision ?? 0})`);
  }
  if (isStorageError(error, 'FutureRevision')) return tooLargeResourceVersion(start.revision ?? 0, error.revision ?? 0);
  if (isStorageError(error, 'InvalidArgument')) return badContinue(error.message);
  return error;
}

function decodeContinueToken(token: string, prefix: string): { revision: number; startKey: string } {
  try {
    return decodeContinue(token, prefix);
  } catch (error) {
    throw badContinue(error instanceof Error ? error.message : String(error));
  }
}

/** kube-apiserver answers a malformed continue token with 400 BadRequest. */
function badContinue(message: string): StatusError {
  return badRequest(message);
}
