/**
 * @module
 * watch: a chunked stream of JSON lines (`{"type":"ADDED","object":…}`), one per event, flushed as
 * it happens (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go). Events come from the
 * watch cache, already serialized once for every watcher; Table watches (kubectl get -w) get one-row
 * Tables, with column definitions only in the first event. A resourceVersion older than the cache's
 * window gets an ERROR event carrying a 410 Expired Status on an HTTP 200 stream. Metadata watches
 * (as=PartialObjectMetadata, what client-go's metadata informers open) get every object, bookmarks
 * included, as a PartialObjectMetadata. The stream ends at
 * timeoutSeconds, or at a random time between the minimum request timeout and twice that, and it is
 * dropped if the client stops reading (the cache watcher's queue fills up).
 */
import type { ServerRequest, ServerReply } from '../http/exchange.js';
import { apiVersionOf } from '../../api/gvk.js';
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import type { ResourceOutput } from '../http/negotiation.js';
import { DEFAULT_PRINTER, parseIncludeObject, toTable } from '../table.js';
import type { CacheWatch, WatchItem } from '../watch-cache/cache-watcher.js';
import type { WatchFrom } from '../watch-cache/watch-cache.js';
import { asPartialObjectMetadata } from '../partial-metadata.js';
import { parseWatchQuery } from './query.js';
import { type ResourceScope, objectFilter } from './scope.js';

const encoder = new TextEncoder();

export async function serveWatch(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  namespace: string | undefined,
  query: URLSearchParams,
  output: ResourceOutput,
): Promise<void> {
  const watchQuery = parseWatchQuery(query);
  const filter = objectFilter(scope, namespace, watchQuery.labelSelector, watchQuery.fieldSelector);
  const { cache } = scope.store;
  const from = await startingPoint(scope, watchQuery);
  let watch: CacheWatch | undefined;
  let expired: StatusError | undefined;
  try {
    watch = cache.watch(filter, from);
  } catch (error) {
    if (!(error instanceof StatusError) || error.reason !== 'Expired') throw error;
    expired = error;
  }
  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  response.flushHeaders();
  if (expired !== undefined) {
    response.end(`{"type":"ERROR","object":${JSON.stringify(expired.toStatus())}}\n`);
    return;
  }
  const active = watch as CacheWatch;
  const timeoutSeconds =
    watchQuery.timeoutSeconds ?? scope.minRequestTimeoutSeconds * (1 + scope.random());
  const timer = setTimeout(() => active.close(), timeoutSeconds * 1000);
  const stop = (): void => active.close();
  request.once('close', stop);
  response.once('close', stop);
  const encode = encoderFor(scope, output, query);
  try {
    for await (const batch of active) {
      const chunk = join(batch.map(encode));
      if (!response.write(chunk)) {
        // A client that stops reading fills its watcher's queue and is dropped: close its connection.
        const ended = await Promise.race([drained(response).then(() => false), active.ended.then(() => true)]);
        if (ended) {
          response.destroy();
          break;
        }
      }
      if (response.destroyed) break;
    }
  } finally {
    clearTimeout(timer);
    request.off('close', stop);
    active.close();
    if (!response.destroyed) response.end();
  }
}

/**
 * Where the watch starts (api-concepts "Semantics for watch"): unset or "0" send the current state as
 * ADDED events first (unset after catching up with storage); a revision resumes after it.
 * sendInitialEvents=true always sends the state, then a bookmark marking its end; false never does.
 */
async function startingPoint(scope: ResourceScope, query: ReturnType<typeof parseWatchQuery>): Promise<WatchFrom> {
  const { cache } = scope.store;
  const rv = query.resourceVersion;
  if (typeof rv === 'number') await cache.waitFresh(rv);
  else if (rv === 'unset') await cache.consistentRevision();
  const initialState = query.sendInitialEvents ?? typeof rv !== 'number';
  return {
    initialState,
    revision: typeof rv === 'number' ? rv : cache.revision,
    bookmarks: query.allowWatchBookmarks,
    initialEventsEnd: query.sendInitialEvents === true,
  };
}

/** How each watch item becomes bytes on the wire for this request. */
function encoderFor(scope: ResourceScope, output: ResourceOutput, query: URLSearchParams): (item: WatchItem) => Uint8Array {
  const { definition } = scope;
  // Upstream transforms bookmarks too: a metadata watch's bookmark is a PartialObjectMetadata.
  const metadataOnly = output.kind === 'metadata' && !output.list;
  const bookmarkBase = metadataOnly ? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' } : { kind: definition.kind, apiVersion: apiVersionOf(definition) };
  const bookmark = (item: Extract<WatchItem, { kind: 'bookmark' }>): Uint8Array => {
    const metadata: JsonObject = { resourceVersion: String(item.revision) };
    if (item.initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return encoder.encode(`${JSON.stringify({ type: 'BOOKMARK', object: { ...bookmarkBase, metadata } })}\n`);
  };
  if (metadataOnly) {
    return (item) => (item.kind === 'bookmark' ? bookmark(item) : encoder.encode(`${JSON.stringify({ type: item.type, object: asPartialObjectMetadata(item.object.object) })}\n`));
  }
  if (output.kind !== 'table') {
    // Also a metadata watch asking for the list form: upstream's transformation of each object
    // fails, and it sends the objects as they are (watchEmbeddedEncoder in handlers/response.go).
    return (item) => (item.kind === 'bookmark' ? bookmark(item) : item.line);
  }
  const includeObject = parseIncludeObject(query.get('includeObject'));
  let first = true;
  return (item) => {
    if (item.kind === 'bookmark') return bookmark(item);
    const table = toTable([item.object.object], {
      printer: definition.table ?? DEFAULT_PRINTER,
      includeObject,
      version: output.version,
      noHeaders: !first,
      now: scope.now(),
      listMeta: { resourceVersion: String(item.object.revision) },
    });
    first = false;
    return encoder.encode(`${JSON.stringify({ type: item.type, object: table })}\n`);
  };
}

/** The last batch joined, by its parts. */
let lastJoined: { readonly parts: readonly Uint8Array[]; readonly bytes: Uint8Array } | undefined;

/**
 * The parts as one buffer. Watchers that keep up read a commit's events in the same batches, and
 * their lines are shared, so the last join is reused when the next watcher's parts are the same
 * buffers: one copy per batch instead of one per watcher.
 */
function join(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const last = lastJoined;
  if (last !== undefined && last.parts.length === parts.length && last.parts.every((part, i) => part === parts[i])) return last.bytes;
  const bytes = Buffer.concat(parts);
  lastJoined = { parts, bytes };
  return bytes;
}

function drained(response: ServerReply): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
