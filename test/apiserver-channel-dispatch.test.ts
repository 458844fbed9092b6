/**
 * The API server starts the requests of its request channels in turn, each channel a flow
 * (http/fair-dispatcher.ts), against a real server on a real SQLite file: a burst on one channel
 * does not hold back another channel's request, a request cancelled before its turn never runs, and
 * a full queue answers 429 at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { ChannelClient } from '../src/client/rest/channel-client.js';
import { KubeClient } from '../src/client/kube-client.js';
import { isNotFound } from '../src/client/errors.js';
import { startApi } from './support/api-harness.js';

function configMap(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { key: 'value' } });
}

const CREATE = { method: 'POST', target: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' } } as const;

test("a burst of writes on one channel does not hold back another channel's write: it is stored among the first", async () => {
  const api = await startApi('sqlite');
  const burst = new MessageChannel();
  const single = new MessageChannel();
  api.server.serveChannel(burst.port1);
  api.server.serveChannel(single.port1);
  const burstClient = new ChannelClient(burst.port2);
  const singleClient = new ChannelClient(single.port2);
  const reader = new KubeClient({ server: api.url });
  try {
    const sent = Array.from({ length: 200 }, (_, i) => burstClient.send({ ...CREATE, body: configMap(`burst-${i}`) }));
    sent.push(singleClient.send({ ...CREATE, body: configMap('single') }));
    const answers = await Promise.all(sent);
    assert.deepEqual([...new Set(answers.map((answer) => answer.response.statusCode))], [201]);
    for (const answer of answers) answer.response.resume();
    const list = await reader.typed('v1/ConfigMap').namespace('default').list();
    const revision = (name: string): number => Number(list.items.find((item) => item.metadata?.name === name)?.metadata?.resourceVersion);
    const singleRevision = revision('single');
    const storedBefore = list.items.filter((item) => item.metadata?.name?.startsWith('burst-') === true && Number(item.metadata.resourceVersion) < singleRevision).length;
    assert.ok(storedBefore <= 1, `${storedBefore} of the burst's 200 writes were stored before the other channel's one`);
  } finally {
    burstClient.close();
    singleClient.close();
    reader.close();
    await api.close();
  }
});

test('a write cancelled before the server started it stores nothing', async () => {
  const api = await startApi('sqlite');
  const { port1, port2 } = new MessageChannel();
  api.server.serveChannel(port1);
  const client = new ChannelClient(port2);
  const reader = new KubeClient({ server: api.url });
  try {
    const abort = new AbortController();
    const sent = client.send({ ...CREATE, body: configMap('cancelled'), signal: abort.signal });
    abort.abort();
    await assert.rejects(sent, { name: 'AbortError' });
    // A later request on the same channel is answered: the server has been through its turns.
    const after = await client.send({ ...CREATE, body: configMap('after') });
    assert.equal(after.response.statusCode, 201);
    after.response.resume();
    await reader.typed('v1/ConfigMap').namespace('default').get('after');
    await assert.rejects(reader.typed('v1/ConfigMap').namespace('default').get('cancelled'), (error: unknown) => isNotFound(error));
  } finally {
    client.close();
    reader.close();
    await api.close();
  }
});

test("requests beyond the queue's bound are answered 429 at once, watches included, and the queued ones are served", async () => {
  const api = await startApi('sqlite', { maxRequestsInFlight: 5 });
  const { port1, port2 } = new MessageChannel();
  api.server.serveChannel(port1);
  const client = new ChannelClient(port2);
  try {
    // Watches are not held to the in-flight limit once started: only the queue's bound refuses them.
    const watch = { method: 'GET', target: '/api/v1/namespaces/default/configmaps?watch=1', headers: {}, body: undefined } as const;
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.send(watch)));
    assert.deepEqual(
      answers.map((answer) => answer.response.statusCode),
      [...Array.from({ length: 5 }, () => 200), ...Array.from({ length: 15 }, () => 429)],
    );
    assert.equal(answers[5]?.response.headers['retry-after'], '1');
    for (const answer of answers) answer.request.destroy();
    const metrics = await api.client.get('/metrics');
    assert.match(metrics.text, /^apiserver_flowcontrol_current_inqueue_requests 0$/m);
  } finally {
    client.close();
    await api.close();
  }
});
