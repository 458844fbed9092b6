/**
 * pods/log?follow=true over HTTP against a real API server on SQLite, the way `kubectl logs -f`
 * reads it: the answer stays open while the container runs — past the request timeout of short
 * requests — and ends with the line of the container's exit, or at the pod's deletion; a client
 * that goes away stops the follow; a pod last changed before the server started is followed too.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { until } from './support/eventually.js';

const STARTED = '2026-11-26T09:00:00Z';
/** Short requests time out after this; a follow must outlive it. */
const REQUEST_TIMEOUT_MS = 300;

/** A log answer being read: its status, the text so far, and whether it has ended. */
interface LogStream {
  readonly status: number;
  text: string;
  ended: boolean;
  close(): void;
}

function openLog(api: RunningApi, path: string): Promise<LogStream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.url}${path}`, { method: 'GET' }, (response: IncomingMessage) => {
      const stream: LogStream = { status: response.statusCode ?? 0, text: '', ended: false, close: () => request.destroy() };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        stream.text += chunk;
      });
      response.on('end', () => {
        stream.ended = true;
      });
      response.on('error', () => {
        stream.ended = true;
      });
      resolve(stream);
    });
    request.on('error', reject);
    request.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('pods/log follow (kubectl logs -f)', () => {
  let api: RunningApi;
  let counter = 0;
  before(async () => {
    api = await startApi('sqlite', { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  });
  after(() => api.close());

  /** A pod on node-1 whose container "web" runs, as a simulated node reports it. */
  async function runningPod(): Promise<string> {
    const name = `follow-${++counter}`;
    const created = await api.client.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'web:1' }] },
    });
    assert.equal(created.status, 201, created.text);
    await setStatus(name, { phase: 'Running', containerStatuses: [{ name: 'web', image: 'web:1', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: STARTED } } }] });
    return name;
  }

  async function setStatus(name: string, status: Record<string, unknown>): Promise<void> {
    const patched = await api.client.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status }, 'application/merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
  }

  async function watchers(): Promise<number> {
    const metrics = (await api.client.get('/metrics')).text;
    const line = metrics.split('\n').find((l) => l.startsWith('apiserver_longrunning_requests{') && l.includes('resource="pods"'));
    return Number(line?.split(' ').pop() ?? 'NaN');
  }

  it('stays open while the container runs, past the request timeout, and ends with its exit line', async () => {
    const name = await runningPod();
    const log = await openLog(api, `/api/v1/namespaces/default/pods/${name}/log?follow=true`);
    assert.equal(log.status, 200);
    await until(() => log.text.includes('\n'), 'the log so far');
    assert.match(log.text, /^kubelite: simulated container "web" started on node node-1 from image web:1;/);
    // A change that leaves the container running, and more time than a short request may take.
    await setStatus(name, { conditions: [{ type: 'Ready', status: 'True' }] });
    await sleep(REQUEST_TIMEOUT_MS * 2);
    assert.equal(log.ended, false, 'the follow ended while the container still ran');
    await setStatus(name, {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'web', image: 'web:1', imageID: '', ready: false, restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: '2026-11-26T09:05:00Z', exitCode: 0, reason: 'Completed' } } }],
    });
    await until(() => log.ended, 'the follow to end');
    assert.deepEqual(log.text.trim().split('\n').slice(1), ['kubelite: simulated container "web" exited with code 0 (Completed)']);
  });

  it('ends when the pod is deleted, and a client that goes away stops its follow', async () => {
    const before = await watchers();
    const deleted = await runningPod();
    const log = await openLog(api, `/api/v1/namespaces/default/pods/${deleted}/log?follow=true`);
    await until(async () => (await watchers()) === before + 1, 'the follow to watch the pod');
    assert.equal((await api.client.delete(`/api/v1/namespaces/default/pods/${deleted}`, { gracePeriodSeconds: 0 })).status, 200);
    await until(() => log.ended, 'the follow to end with the pod');
    assert.equal(log.text.trim().split('\n').length, 1, 'no exit line: the status records none');

    const left = await openLog(api, `/api/v1/namespaces/default/pods/${await runningPod()}/log?follow=true`);
    await until(async () => (await watchers()) === before + 1, 'the second follow to watch its pod');
    left.close();
    await until(async () => (await watchers()) === before, 'the follow of a client that went away to stop');
  });

  it('follows a pod last changed before the server started, before the watch cache\'s window', async () => {
    const name = await runningPod();
    // A later write, then a restart: the cache's window starts after the pod's last change.
    assert.equal((await api.client.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `after-${name}` } })).status, 201);
    await api.restart();
    const log = await openLog(api, `/api/v1/namespaces/default/pods/${name}/log?follow=true`);
    assert.equal(log.status, 200);
    await until(() => log.text.includes('\n'), 'the log so far');
    await setStatus(name, {
      containerStatuses: [{ name: 'web', image: 'web:1', imageID: '', ready: false, restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: '2026-11-26T09:05:00Z', exitCode: 137, reason: 'OOMKilled' } } }],
    });
    await until(() => log.ended, 'the follow to end');
    assert.deepEqual(log.text.trim().split('\n').slice(1), ['kubelite: simulated container "web" exited with code 137 (OOMKilled)']);
  });

  it('a container that is not running is answered at once, whole, as without follow', async () => {
    const name = await runningPod();
    await setStatus(name, {
      containerStatuses: [{ name: 'web', image: 'web:1', imageID: '', ready: false, restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: '2026-11-26T09:05:00Z', exitCode: 2, reason: 'Error' } } }],
    });
    const answer = await api.client.get(`/api/v1/namespaces/default/pods/${name}/log?follow=true`);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /exited with code 2 \(Error\)\n$/);
  });
});
