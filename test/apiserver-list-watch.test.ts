/**
 * Lists and watches over HTTP on every storage backend: selectors, paging at one resourceVersion,
 * the resourceVersion / resourceVersionMatch matrix, expired continue tokens, and the watch stream —
 * initial state, resuming from a revision, 410 as an ERROR event, selector transitions, bookmarks,
 * sendInitialEvents and timeouts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from '../src/testing/http-client.js';
import { BACKENDS, type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };
const json = (r: HttpResponse): Obj => r.json as Obj;
const names = (list: Obj): string[] => (list.items as Obj[]).map((i) => String(i.metadata.name));

let counter = 0;
async function namespaceWith(api: RunningApi, items: readonly [string, Record<string, string>][]): Promise<string> {
  const ns = `lw-${++counter}-${Date.now() % 100000}`;
  assert.equal((await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
  for (const [name, labels] of items) {
    const response = await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });
    assert.equal(response.status, 201, response.text);
  }
  return ns;
}

for (const backend of BACKENDS) {
  describe(`API server lists and watches (${backend})`, () => {
    let api: RunningApi;
    before(async () => {
      api = await startApi(backend);
    });
    after(() => api.close());

    it('label selectors (equality and set-based) and field selectors filter lists', async () => {
      const ns = await namespaceWith(api, [
        ['a', { app: 'web', tier: 'front' }],
        ['b', { app: 'web', tier: 'back' }],
        ['c', { app: 'db' }],
      ]);
      const list = async (query: string): Promise<string[]> => {
        const response = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?${query}`);
        assert.equal(response.status, 200, response.text);
        return names(json(response));
      };
      assert.deepEqual(await list('labelSelector=app%3Dweb'), ['a', 'b']);
      assert.deepEqual(await list('labelSelector=app%3Dweb%2Ctier!%3Dfront'), ['b']);
      assert.deepEqual(await list('labelSelector=tier%20in%20(front%2Cback)'), ['a', 'b']);
      assert.deepEqual(await list('labelSelector=!tier'), ['c']);
      assert.deepEqual(await list('fieldSelector=metadata.name%3Dc'), ['c']);
      assert.deepEqual(await list('fieldSelector=metadata.name!%3Dc&labelSelector=app'), ['a', 'b']);
      const bad = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=app%20in%20(`);
      assert.equal(bad.status, 400, bad.text);
      const unsupported = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?fieldSelector=spec.foo%3Dx`);
      assert.equal(unsupported.status, 400);
      assert.equal(json(unsupported).message, 'field label not supported: spec.foo');
    });

    it('a list across all namespaces includes each namespace\'s objects', async () => {
      const first = await namespaceWith(api, [['x', { all: 'yes' }]]);
      const second = await namespaceWith(api, [['y', { all: 'yes' }]]);
      const all = json(await api.client.get('/api/v1/configmaps?labelSelector=all%3Dyes'));
      const pairs = (all.items as Obj[]).map((i) => `${String(i.metadata.namespace)}/${String(i.metadata.name)}`);
      assert.ok(pairs.includes(`${first}/x`) && pairs.includes(`${second}/y`), pairs.join(' '));
    });

    it('pages share the first page\'s resourceVersion, skip later changes and count what remains', async () => {
      const items = Array.from({ length: 7 }, (_, i) => [`p${i}`, {}] as [string, Record<string, string>]);
      const ns = await namespaceWith(api, items);
      const first = json(await api.client.get(`/api/v1/namespaces/${ns}/configmaps?limit=3`));
      const meta = first.metadata as { resourceVersion: string; continue: string; remainingItemCount: number };
      assert.deepEqual(names(first), ['p0', 'p1', 'p2']);
      assert.equal(meta.remainingItemCount, 4);
      await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/p5`);
      await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p3a' } });
      const seen = [...names(first)];
      let token: string | undefined = meta.continue;
      while (token !== undefined) {
        const page = json(await api.client.get(`/api/v1/namespaces/${ns}/configmaps?limit=3&continue=${encodeURIComponent(token)}`));
        const pageMeta = page.metadata as { resourceVersion: string; continue?: string };
        assert.equal(pageMeta.resourceVersion, meta.resourceVersion);
        seen.push(...names(page));
        token = pageMeta.continue;
      }
      assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
      const rvWithContinue = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?limit=3&resourceVersion=5&continue=${encodeURIComponent(meta.continue)}`);
      assert.equal(rvWithContinue.status, 400, rvWithContinue.text);
    });

    it('an expired continue token is 410 with an inconsistent token that continues at the latest revision', async () => {
      const ns = await namespaceWith(api, [['a', {}], ['b', {}], ['c', {}]]);
      const first = json(await api.client.get(`/api/v1/namespaces/${ns}/configmaps?limit=1`));
      const token = (first.metadata as { continue: string }).continue;
      await api.client.put(`/api/v1/namespaces/${ns}/configmaps/b`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { x: 'y' } });
      // Drop the cache's snapshot and compact history so the first page's revision is gone.
      await api.restart(async () => api.store.compact(await api.store.currentRevision()));
      const expired = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?limit=1&continue=${encodeURIComponent(token)}`);
      assert.equal(expired.status, 410, expired.text);
      const status = json(expired);
      assert.equal(status.reason, 'Expired');
      const fresh = (status.metadata as { continue?: string }).continue;
      assert.ok(fresh !== undefined && fresh !== '', 'the 410 carries a continue token');
      const rest = json(await api.client.get(`/api/v1/namespaces/${ns}/configmaps?continue=${encodeURIComponent(fresh)}`));
      assert.deepEqual(names(rest), ['b', 'c']);
    });

    it('resourceVersion: "0" and not-older-than reads, exact reads of a compacted revision (410), future ones (504)', async () => {
      const ns = await namespaceWith(api, [['a', {}]]);
      assert.equal((await api.client.get(`/api/v1/namespaces/${ns}/configmaps?resourceVersion=0`)).status, 200);
      const latest = await api.client.get(`/api/v1/namespaces/${ns}/configmaps`);
      const rv = Number((json(latest).metadata as { resourceVersion: string }).resourceVersion);
      assert.equal((await api.client.get(`/api/v1/namespaces/${ns}/configmaps?resourceVersion=${rv}`)).status, 200);
      // "0" may be served from a cache that has not seen the newest writes; "not older than" waits for them.
      assert.equal((await api.client.get(`/api/v1/namespaces/${ns}/configmaps/a?resourceVersion=${rv}`)).status, 200);
      const invalid = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?resourceVersionMatch=Exact`);
      assert.equal(invalid.status, 422, invalid.text);
      const future = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?resourceVersion=${rv + 1_000_000}&resourceVersionMatch=Exact&limit=1`);
      assert.equal(future.status, 504, future.text);
      assert.equal(json(future).reason, 'Timeout');
      await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } });
      await api.store.compact(await api.store.currentRevision());
      const gone = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`);
      assert.equal(gone.status, 410, gone.text);
      assert.equal(json(gone).reason, 'Expired');
      const bad = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?resourceVersion=abc`);
      assert.equal(bad.status, 400, bad.text);
    });

    it('a watch without resourceVersion replays the state as ADDED, then streams changes as they happen', async () => {
      const ns = await namespaceWith(api, [['a', {}], ['b', {}]]);
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true`);
      assert.equal(watch.status, 200);
      await watch.until((events) => events.length >= 2);
      await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
      await api.client.patch(`/api/v1/namespaces/${ns}/configmaps/a`, { data: { x: '1' } }, 'application/merge-patch+json');
      await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/b`);
      const events = await watch.until((e) => e.length >= 5);
      watch.close();
      assert.deepEqual(
        events.map((e) => `${e.type} ${String((e.object.metadata as Obj['metadata']).name)}`),
        ['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED a', 'DELETED b'],
      );
    });

    it('a watch from a resourceVersion resumes without a gap and without replaying the state', async () => {
      const ns = await namespaceWith(api, [['a', {}]]);
      const list = json(await api.client.get(`/api/v1/namespaces/${ns}/configmaps`));
      const rv = (list.metadata as { resourceVersion: string }).resourceVersion;
      await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}`);
      await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
      const events = await watch.until((e) => e.length >= 2);
      watch.close();
      assert.deepEqual(events.map((e) => `${e.type} ${String((e.object.metadata as Obj['metadata']).name)}`), ['ADDED b', 'ADDED c']);
    });

    it('a watch from a revision older than the cache\'s window gets an ERROR event with a 410 Expired Status', async () => {
      const ns = await namespaceWith(api, [['a', {}]]);
      for (let i = 0; i < 3; i++) {
        await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `n${i}` } });
      }
      await api.restart(async () => api.store.compact(await api.store.currentRevision()));
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=1`);
      const events = await watch.until((e) => e.length >= 1);
      watch.close();
      assert.equal(watch.status, 200);
      assert.equal(events[0]?.type, 'ERROR');
      assert.equal(events[0]?.object.code, 410);
      assert.equal(events[0]?.object.reason, 'Expired');
    });

    it('an object that stops matching a watch\'s selector is DELETED for it, and ADDED when it matches again', async () => {
      const ns = await namespaceWith(api, [['a', { app: 'web' }]]);
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=1&labelSelector=app%3Dweb`);
      await watch.until((e) => e.length >= 1);
      await api.client.patch(`/api/v1/namespaces/${ns}/configmaps/a`, { metadata: { labels: { app: 'other' } } }, 'application/merge-patch+json');
      await api.client.patch(`/api/v1/namespaces/${ns}/configmaps/a`, { metadata: { labels: { app: 'web' } } }, 'application/merge-patch+json');
      const events = await watch.until((e) => e.length >= 3);
      watch.close();
      assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED', 'ADDED']);
    });

    it('sendInitialEvents streams the state, then a bookmark marked k8s.io/initial-events-end', async () => {
      const ns = await namespaceWith(api, [['a', {}], ['b', {}]]);
      const watch = await api.client.watch(
        `/api/v1/namespaces/${ns}/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      );
      const events = await watch.until((e) => e.some((event) => event.type === 'BOOKMARK'));
      watch.close();
      assert.deepEqual(events.map((e) => e.type).slice(0, 3), ['ADDED', 'ADDED', 'BOOKMARK']);
      const bookmark = events[2]?.object as Obj;
      assert.deepEqual((bookmark.metadata as { annotations: unknown }).annotations, { 'k8s.io/initial-events-end': 'true' });
      assert.equal(bookmark.kind, 'ConfigMap');
      const refused = await api.client.get(`/api/v1/namespaces/${ns}/configmaps?watch=1&sendInitialEvents=true`);
      assert.equal(refused.status, 422, refused.text);
    });

    it('allowWatchBookmarks brings BOOKMARK events that carry only a resourceVersion', async () => {
      const ns = await namespaceWith(api, [['a', {}]]);
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=1&allowWatchBookmarks=true`);
      await watch.until((e) => e.length >= 1);
      await api.client.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'elsewhere-' } });
      const events = await watch.until((e) => e.some((event) => event.type === 'BOOKMARK'), 15_000);
      watch.close();
      const bookmark = events.find((e) => e.type === 'BOOKMARK')?.object as Obj;
      assert.deepEqual(Object.keys(bookmark.metadata), ['resourceVersion']);
    });

    it('a quiet watch with allowWatchBookmarks keeps getting bookmarks, never going back', async () => {
      const ns = await namespaceWith(api, [['a', {}]]);
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=1&allowWatchBookmarks=true`);
      const events = await watch.until((e) => e.filter((event) => event.type === 'BOOKMARK').length >= 2, 15_000);
      watch.close();
      const bookmarks = events.filter((e) => e.type === 'BOOKMARK').map((e) => ((e.object as Obj).metadata as { resourceVersion: string }).resourceVersion);
      assert.ok(bookmarks.length >= 2, 'two bookmarks arrive with nothing written in the namespace');
      // On etcd, other tests' writes move the revision; a bookmark never goes back.
      assert.ok(Number(bookmarks[1]) >= Number(bookmarks[0]), `${bookmarks[1]} after ${bookmarks[0]}`);
    });

    it('timeoutSeconds ends the watch stream', async () => {
      const ns = await namespaceWith(api, []);
      const watch = await api.client.watch(`/api/v1/namespaces/${ns}/configmaps?watch=1&timeoutSeconds=1`);
      await watch.until(() => false, 10_000);
      assert.equal(watch.ended, true);
    });
  });
}
