/**
 * The API server's limits, on every backend: requests beyond the in-flight cap get 429 with
 * Retry-After, a request past the timeout gets 504, and a watcher that stops reading is dropped
 * while the others get every event.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { BACKENDS, releaseTestEtcd, startApi } from './support/api-harness.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown>;

for (const backend of BACKENDS) {
  describe(`API server limits (${backend})`, () => {
    it('a request beyond the in-flight cap gets 429 with Retry-After; a slow one gets 504 at the timeout', async () => {
      const api = await startApi(backend, { maxRequestsInFlight: 1, requestTimeoutMs: 1000, watchCache: { freshnessTimeoutMs: 30_000 } });
      try {
        // A read at a revision far in the future waits for the cache to reach it: a slow request.
        const slow = api.client.get('/api/v1/namespaces/default/configmaps?resourceVersion=999999999');
        await new Promise((r) => setTimeout(r, 100));
        const refused = await api.client.get('/api/v1/namespaces/default/configmaps');
        assert.equal(refused.status, 429, refused.text);
        assert.equal((refused.json as Obj).reason, 'TooManyRequests');
        assert.equal(refused.headers['retry-after'], '1');
        const timedOut = await slow;
        assert.equal(timedOut.status, 504, timedOut.text);
        assert.equal((timedOut.json as Obj).reason, 'Timeout');
        assert.equal((await api.client.get('/api/v1/namespaces/default/configmaps')).status, 200, 'the slot is free again');
        const watch = await api.client.watch('/api/v1/namespaces/default/configmaps?watch=1');
        assert.equal(watch.status, 200, 'watches do not count against the cap');
        assert.equal((await api.client.get('/api/v1/namespaces')).status, 200);
        watch.close();
      } finally {
        await api.close();
      }
    });

    it('a watcher that stops reading is dropped, and the reading watchers get every event', async () => {
      const api = await startApi(backend, { watchCache: { bookmarkIntervalMs: 60_000, watcherCapacity: 50 } });
      try {
        const port = Number(new URL(api.url).port);
        // A client that sends a watch request and never reads the response.
        const stalled = connect(port, '127.0.0.1');
        stalled.write('GET /api/v1/namespaces/default/configmaps?watch=1 HTTP/1.1\r\nHost: x\r\n\r\n');
        stalled.pause();
        const reading = await api.client.watch('/api/v1/namespaces/default/configmaps?watch=1');
        await new Promise((r) => setTimeout(r, 200));
        const value = 'x'.repeat(60_000);
        const writes = 300;
        // Writes come in bursts of 20, each once the reading watcher has read the last: it keeps up, so
        // its queue (capacity 50) never fills however slowly this machine runs, while the stalled
        // watcher's does.
        for (let i = 0; i < writes; i += 20) {
          await Promise.all(
            Array.from({ length: 20 }, (_, j) =>
              api.client.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i + j}` }, data: { v: value } }),
            ),
          );
          await reading.until((e) => e.length >= i + 20, 60_000);
        }
        const events = await reading.until((e) => e.length >= writes, 60_000);
        assert.equal(events.length, writes, 'the reading watcher got every event');
        reading.close();
        // Once the reading watcher's close has been noticed, no watcher is left: the stalled one was dropped.
        let open: string | undefined;
        for (let i = 0; i < 100 && open !== '0'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const metrics = await api.client.get('/metrics');
          open = /apiserver_longrunning_requests\{verb="WATCH",group="",resource="configmaps"\} (\d+)/.exec(metrics.text)?.[1];
        }
        assert.equal(open, '0', 'the stalled watcher was dropped');
        stalled.destroy();
      } finally {
        await api.close();
      }
    });
  });
}
