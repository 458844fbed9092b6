import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { isStatusError } from '../../api/status.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { silentLogger } from '../../util/logger.js';
import type { SubresourceHandler } from '../handlers/resource-handler.js';
import type { ResourceScope } from '../handlers/scope.js';
import { sendError } from '../http/respond.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { ApiServer } from '../server.js';
import { defineResource } from './define.js';
import { NAMESPACES } from './namespaces.js';
import { BINDING_HANDLER, EVICTION_HANDLER } from './pod-subresources.js';
import { PODS } from './pods.js';

// The real PodDisruptionBudget definition is not this module's; a bare one stores what the tests write.
const BUDGETS = defineResource({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  namespaced: true,
  schema: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  tracksGeneration: true,
});

const HANDLERS: Readonly<Record<string, SubresourceHandler>> = { binding: BINDING_HANDLER, eviction: EVICTION_HANDLER };
const write = (subresource?: string): RequestContext => ({ subresource, dryRun: false, now: Date.now() });

let store: MemoryStore;
let api: ApiServer;
let http: Server;
let port = 0;
let pods: GenericStore;
let budgets: GenericStore;

before(async () => {
  store = new MemoryStore({ logger: silentLogger, compaction: false });
  api = new ApiServer({ store, logger: silentLogger, resources: [NAMESPACES, PODS, BUDGETS] });
  await api.start();
  pods = api.storeOf('', 'v1', 'pods') as GenericStore;
  budgets = api.storeOf('policy', 'v1', 'poddisruptionbudgets') as GenericStore;
  const scope: ResourceScope = {
    definition: PODS,
    store: pods,
    schemas: api.schemas,
    now: () => Date.now(),
    random: Math.random,
    minRequestTimeoutSeconds: 1800,
    lookup: (group, version, resource) => api.storeOf(group, version, resource),
  };
  // Stands in for the resource router: /<namespace>/<pod>/<subresource>.
  http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://test');
    const [namespace = '', name = '', subresource = ''] = url.pathname.split('/').filter((part) => part !== '');
    const handler = HANDLERS[subresource];
    const verb = request.method === 'POST' ? 'create' : 'get';
    if (handler === undefined) throw new Error(`no handler for ${subresource}`);
    handler(scope, request, response, { verb, namespace, name }, url.searchParams).catch((error: unknown) => sendError(response, error));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await api.close();
  await store.close();
});

interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: JsonObject;
}

function post(path: string, body: JsonObject, method = 'POST'): Promise<Reply> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: isJsonObject(parsed) ? parsed : {} });
        });
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

const binding = (name: string, node: string, metadata: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...metadata },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
});

const eviction = (name: string, deleteOptions?: JsonObject): JsonObject => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
  ...(deleteOptions === undefined ? {} : { deleteOptions }),
});

async function createPod(name: string, labels: Readonly<Record<string, string>> = {}): Promise<JsonObject> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { ...labels } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
  return (await pods.create('default', pod, write())).object;
}

/** A pod bound to a node and running; ready unless `ready` is false. */
async function runningPod(name: string, labels: Readonly<Record<string, string>>, ready = true): Promise<void> {
  await createPod(name, labels);
  assert.equal((await post(`/default/${name}/binding`, binding(name, 'node-1'))).status, 201);
  await pods.patch('default', name, write('status'), (pod) => ({
    ...pod,
    status: { ...(isJsonObject(pod.status) ? pod.status : {}), phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }));
}

async function createBudget(name: string, app: string, status: JsonObject): Promise<void> {
  const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app } } }, status };
  await budgets.create('default', budget, write());
}

async function exists(name: string): Promise<JsonObject | undefined> {
  try {
    return (await pods.getLatest('default', name)).object;
  } catch (error) {
    if (isStatusError(error, 'NotFound')) return undefined;
    throw error;
  }
}

test('a binding assigns the node, records PodScheduled and answers 201 Success', async () => {
  await createPod('bind-me');
  const reply = await post('/default/bind-me/binding', binding('bind-me', 'node-1', { annotations: { 'scheduler.example.com/score': '7' } }));
  assert.equal(reply.status, 201);
  assert.deepEqual(reply.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const pod = await exists('bind-me');
  assert.equal((pod?.spec as JsonObject).nodeName, 'node-1');
  assert.equal(((pod?.metadata as JsonObject).annotations as JsonObject)['scheduler.example.com/score'], '7');
  const [condition] = (pod?.status as JsonObject).conditions as JsonObject[];
  assert.equal(condition?.type, 'PodScheduled');
  assert.equal(condition?.status, 'True');
});

test('a second binding conflicts with upstream message', async () => {
  await createPod('bound-once');
  await post('/default/bound-once/binding', binding('bound-once', 'node-1'));
  const reply = await post('/default/bound-once/binding', binding('bound-once', 'node-2'));
  assert.equal(reply.status, 409);
  assert.equal(reply.body.reason, 'Conflict');
  assert.equal(reply.body.message, 'Operation cannot be fulfilled on pods/binding "bound-once": pod bound-once is already assigned to node "node-1"');
});

test('a binding must name the pod of the URL and a target node', async () => {
  await createPod('strict');
  const mismatch = await post('/default/strict/binding', binding('other', 'node-1'));
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.message, 'name in URL does not match name in Binding object');
  const noTarget = await post('/default/strict/binding', binding('strict', ''));
  assert.equal(noTarget.status, 422);
  assert.equal(noTarget.body.message, 'Binding "strict" is invalid: target.name: Required value');
  const missing = await post('/default/nope/binding', binding('nope', 'node-1'));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "nope" not found');
});

test('a binding with a stale uid precondition conflicts', async () => {
  await createPod('guarded');
  const reply = await post('/default/guarded/binding', binding('guarded', 'node-1', { uid: 'not-the-uid' }));
  assert.equal(reply.status, 409);
  assert.match(String(reply.body.message), /Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
  assert.equal(((await exists('guarded'))?.spec as JsonObject).nodeName, undefined);
});

test('a dry-run binding changes nothing', async () => {
  await createPod('dry');
  assert.equal((await post('/default/dry/binding?dryRun=All', binding('dry', 'node-1'))).status, 201);
  assert.equal(((await exists('dry'))?.spec as JsonObject).nodeName, undefined);
});

test('evicting a pending pod deletes it at once', async () => {
  await createPod('pending');
  const reply = await post('/default/pending/eviction', eviction('pending'));
  assert.equal(reply.status, 201);
  assert.equal(reply.body.status, 'Success');
  assert.equal(await exists('pending'), undefined);
});

test('evicting a running pod without a budget deletes it gracefully', async () => {
  await runningPod('free', { app: 'free' });
  assert.equal((await post('/default/free/eviction', eviction('free'))).status, 201);
  const pod = await exists('free');
  assert.equal(typeof (pod?.metadata as JsonObject).deletionTimestamp, 'string');
  assert.equal((pod?.metadata as JsonObject).deletionGracePeriodSeconds, 30);
});

test('a budget that allows no disruption refuses the eviction with 429', async () => {
  await createBudget('guard-pdb', 'guard', { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 });
  await runningPod('guard', { app: 'guard' });
  const reply = await post('/default/guard/eviction', eviction('guard', { gracePeriodSeconds: 0 }));
  assert.equal(reply.status, 429);
  assert.equal(reply.body.reason, 'TooManyRequests');
  assert.equal(reply.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(reply.body.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget guard-pdb needs 1 healthy pods and has 1 currently' }] });
  assert.notEqual(await exists('guard'), undefined);
});

test('a budget that allows a disruption lets the eviction delete the pod', async () => {
  await createBudget('spare-pdb', 'spare', { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
  await runningPod('spare', { app: 'spare' });
  assert.equal((await post('/default/spare/eviction', eviction('spare', { gracePeriodSeconds: 0 }))).status, 201);
  assert.equal(await exists('spare'), undefined);
});

test('an allowed eviction is charged to the budget, so a second one is refused until its controller catches up', async () => {
  await createBudget('one-pdb', 'one', { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
  await runningPod('one-a', { app: 'one' });
  await runningPod('one-b', { app: 'one' });
  assert.equal((await post('/default/one-a/eviction?dryRun=All', eviction('one-a'))).status, 201);
  assert.equal(statusOf((await budgets.getLatest('default', 'one-pdb')).object).disruptionsAllowed, 1, 'a dry run charges nothing');

  assert.equal((await post('/default/one-a/eviction', eviction('one-a'))).status, 201);
  const status = statusOf((await budgets.getLatest('default', 'one-pdb')).object);
  assert.equal(status.disruptionsAllowed, 0);
  assert.deepEqual(Object.keys(status.disruptedPods as JsonObject), ['one-a']);
  const condition = (status.conditions as JsonObject[]).find((c) => c.type === 'DisruptionAllowed');
  assert.equal(condition?.status, 'False');
  assert.equal(condition?.reason, 'InsufficientPods');

  const second = await post('/default/one-b/eviction', eviction('one-b'));
  assert.equal(second.status, 429);
  assert.notEqual(await exists('one-b'), undefined);
});

test('of two evictions racing for the last allowed disruption, exactly one succeeds', async () => {
  await createBudget('race-pdb', 'race', { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
  await runningPod('race-a', { app: 'race' });
  await runningPod('race-b', { app: 'race' });
  const replies = await Promise.all([post('/default/race-a/eviction', eviction('race-a')), post('/default/race-b/eviction', eviction('race-b'))]);
  assert.deepEqual(replies.map((r) => r.status).sort(), [201, 429]);
});

test('a budget its controller has not caught up with answers 429 with Retry-After 10', async () => {
  await createBudget('lagging-pdb', 'lagging', { observedGeneration: 0, disruptionsAllowed: 5 });
  await runningPod('lagging', { app: 'lagging' });
  const reply = await post('/default/lagging/eviction', eviction('lagging'));
  assert.equal(reply.status, 429);
  assert.equal(reply.headers['retry-after'], '10');
  assert.deepEqual((reply.body.details as JsonObject).causes, [
    { reason: 'DisruptionBudget', message: 'The disruption budget lagging-pdb is still being processed by the server.' },
  ]);
});

test('an unready pod may be evicted while its budget has enough healthy pods', async () => {
  await createBudget('sick-pdb', 'sick', { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 });
  await runningPod('sick', { app: 'sick' }, false);
  assert.equal((await post('/default/sick/eviction', eviction('sick', { gracePeriodSeconds: 0 }))).status, 201);
  assert.equal(await exists('sick'), undefined);
});

test('a pod covered by two budgets gets upstream failure Status', async () => {
  await createBudget('twin-a', 'twin', { observedGeneration: 1, disruptionsAllowed: 1 });
  await createBudget('twin-b', 'twin', { observedGeneration: 1, disruptionsAllowed: 1 });
  await runningPod('twin', { app: 'twin' });
  const reply = await post('/default/twin/eviction', eviction('twin'));
  assert.equal(reply.status, 201);
  assert.deepEqual(reply.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    code: 500,
  });
  assert.notEqual(await exists('twin'), undefined);
});

test('an eviction must name the pod of the URL, and only POST is served', async () => {
  await createPod('named');
  const reply = await post('/default/named/eviction', eviction('other'));
  assert.equal(reply.status, 400);
  assert.equal(reply.body.message, 'name in URL does not match name in Eviction object');
  const put = await post('/default/named/eviction', eviction('named'), 'PUT');
  assert.equal(put.status, 405);
});

function statusOf(object: JsonObject): JsonObject {
  return isJsonObject(object.status) ? object.status : {};
}
