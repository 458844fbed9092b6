/**
 * @module
 * A text answer that follows one object: what it says now is written at once, and more is added
 * as the object changes in the watch cache, until the follower says the text has ended, the
 * object is deleted (or replaced by another of the same name), or the client goes away. This is
 * how pods/log?follow=true streams: the kubelet follows a container's log until the container
 * exits (pkg/kubelet/kuberuntime/logs; kube-apiserver treats log requests as long-running,
 * pkg/controlplane/apiserver/config.go BasicLongRunningRequestCheck).
 *
 * The object is followed from the cache's newest state, not from the object's own revision, which
 * may be older than the cache's event window (after a restart, a compaction, or many other
 * changes). A watch the cache ends — when it relists after a compaction — is opened again.
 */
import type { JsonObject } from '../../api/json.js';
import type { ServerReply, ServerRequest } from '../http/exchange.js';
import { metaString } from '../registry/object-meta.js';
import type { CacheWatch } from '../watch-cache/cache-watcher.js';
import type { CachedObject } from '../watch-cache/cached-object.js';
import type { ResourceScope } from './scope.js';

/** The text of a followed object: what it is now, and what each newer version of the object adds. */
export interface TextFollower {
  readonly text: string;
  /** What `object`, the object's next version, adds to the text, and whether the text has ended. */
  next(object: JsonObject): { readonly text: string; readonly ended: boolean };
}

/** Answers 200 text/plain with the follower's text, then follows `current` until the text ends. */
export async function streamFollowing(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  current: CachedObject,
  follower: TextFollower,
): Promise<void> {
  const { cache } = scope.store;
  // `current` may come from storage, ahead of the cache: the cache must have seen it first.
  await cache.waitFresh(current.revision);
  const uid = metaString(current.object, 'uid');
  let revision = current.revision;
  let watch: CacheWatch | undefined;
  let gone = false;
  const stop = (): void => {
    gone = true;
    watch?.close();
  };
  request.once('close', stop);
  response.once('close', stop);
  /** Takes in a version of the object; true once the text has ended. */
  const take = (object: CachedObject | undefined, deleted: boolean): boolean => {
    if (deleted || object === undefined || metaString(object.object, 'uid') !== uid) return true;
    if (object.revision <= revision) return false;
    revision = object.revision;
    const { text, ended } = follower.next(object.object);
    if (text !== '' && !response.destroyed) response.write(text);
    return ended;
  };
  try {
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    if (follower.text !== '') response.write(follower.text);
    for (;;) {
      // From the cache's state now, with nothing awaited before the watch starts at its revision.
      if (take(cache.get(scope.store.key(current.namespace, current.name)), false)) return;
      watch = cache.watch(
        { namespace: current.namespace, matches: (object) => object.name === current.name },
        { initialState: false, revision: cache.revision, bookmarks: false, initialEventsEnd: false },
      );
      for await (const batch of watch) {
        for (const item of batch) {
          if (item.kind === 'event' && take(item.object, item.type === 'DELETED')) return;
        }
        if (response.destroyed) return;
      }
      if (gone || response.destroyed) return;
    }
  } finally {
    request.off('close', stop);
    response.off('close', stop);
    watch?.close();
    if (!response.destroyed) response.end();
  }
}
