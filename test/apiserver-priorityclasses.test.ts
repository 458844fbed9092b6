/**
 * scheduling.k8s.io/v1 PriorityClasses against a real in-process API server: the system classes
 * from the start and undeletable, a class created from a protobuf body as `kubectl create
 * priorityclass` sends it, validation, the Table columns, and Priority admission giving pods their
 * priority (plugin/pkg/admission/priority), including the one-global-default rule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bool, concat, envelope, objectMeta, string, varint } from '../src/api/protobuf/protobuf-testing.js';
import type { HttpResponse } from '../src/testing/http-client.js';
import { BACKENDS, type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';

type Obj = Record<string, unknown>;

const PCS = '/apis/scheduling.k8s.io/v1/priorityclasses';
const PODS = '/api/v1/namespaces/default/pods';
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };

function expectStatus(response: HttpResponse, code: number, reason?: string): Obj {
  assert.equal(response.status, code, `expected ${code}, got ${response.status}: ${response.text.slice(0, 400)}`);
  const body = response.json as Obj;
  if (reason !== undefined) assert.equal(body.reason, reason, response.text);
  return body;
}

const priorityClass = (name: string, value: number, fields: Obj = {}): Obj => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  ...fields,
});

const pod = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

const specOf = (object: Obj): Obj => object.spec as Obj;

after(() => releaseTestEtcd());

for (const backend of BACKENDS) describe(`PriorityClasses and priority admission (${backend})`, () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi(backend);
  });
  after(() => api.close());

  it('the system classes exist from the start with their values and cannot be deleted', async () => {
    const node = expectStatus(await api.client.get(`${PCS}/system-node-critical`), 200);
    assert.equal(node.value, 2000001000);
    assert.equal(node.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(node.description, 'Used for system critical pods that must not be moved from their current node.');
    const cluster = expectStatus(await api.client.get(`${PCS}/system-cluster-critical`), 200);
    assert.equal(cluster.value, 2000000000);
    const refused = expectStatus(await api.client.delete(`${PCS}/system-cluster-critical`), 403, 'Forbidden');
    assert.equal(
      refused.message,
      'priorityclasses.scheduling.k8s.io "system-cluster-critical" is forbidden: this is a system priority class and cannot be deleted',
    );
    expectStatus(await api.client.get(`${PCS}/system-cluster-critical`), 200);
  });

  it('deleting every class deletes the others and keeps the system classes', async () => {
    expectStatus(await api.client.post(PCS, priorityClass('doomed', 1)), 201);
    expectStatus(await api.client.delete(PCS), 200);
    const names = ((expectStatus(await api.client.get(PCS), 200).items as Obj[]).map((pc) => (pc.metadata as Obj).name));
    assert.deepEqual(names, ['system-cluster-critical', 'system-node-critical']);
  });

  it('a restarted server keeps the system classes it created and does not fail on them', async () => {
    const before = expectStatus(await api.client.get(`${PCS}/system-node-critical`), 200);
    await api.restart();
    const after = expectStatus(await api.client.get(`${PCS}/system-node-critical`), 200);
    assert.equal((after.metadata as Obj).uid, (before.metadata as Obj).uid);
  });

  it('discovery lists priorityclasses, cluster-scoped, with the short name pc', async () => {
    const list = expectStatus(await api.client.get('/apis/scheduling.k8s.io/v1'), 200);
    const resource = (list.resources as Obj[]).find((r) => r.name === 'priorityclasses');
    assert.ok(resource !== undefined, JSON.stringify(list));
    assert.equal(resource.namespaced, false);
    assert.deepEqual(resource.shortNames, ['pc']);
    assert.equal(resource.kind, 'PriorityClass');
  });

  it('a class created from a protobuf body, as kubectl create priorityclass sends it, keeps its fields', async () => {
    const body = envelope(
      'scheduling.k8s.io/v1',
      'PriorityClass',
      concat(objectMeta(1, { name: 'polite' }), varint(2, 1000), bool(3, false), string(4, ''), string(5, 'Never')),
    );
    const created = expectStatus(
      await api.client.request('POST', PCS, { raw: Buffer.from(body), contentType: 'application/vnd.kubernetes.protobuf' }),
      201,
    );
    assert.equal(created.value, 1000);
    assert.equal(created.preemptionPolicy, 'Never');
    assert.equal(created.globalDefault, undefined);
    assert.equal(created.description, undefined);
    const stored = expectStatus(await api.client.get(`${PCS}/polite`), 200);
    assert.equal(stored.value, 1000);
    assert.equal(stored.preemptionPolicy, 'Never');
  });

  it('a JSON class defaults its preemption policy; values above one billion and system- names are refused', async () => {
    const high = expectStatus(await api.client.post(PCS, priorityClass('high', 100000, { description: 'urgent' })), 201);
    assert.equal(high.preemptionPolicy, 'PreemptLowerPriority');
    const tooHigh = expectStatus(await api.client.post(PCS, priorityClass('too-high', 1000000001)), 422, 'Invalid');
    assert.match(String(tooHigh.message), /value: Forbidden: maximum allowed value of a user defined priority is 1000000000/);
    const reserved = expectStatus(await api.client.post(PCS, priorityClass('system-mine', 10)), 422, 'Invalid');
    assert.match(String(reserved.message), /priority class names with 'system-' prefix are reserved for system use only/);
  });

  it('an update may not change the value', async () => {
    const current = expectStatus(await api.client.get(`${PCS}/high`), 200);
    const changed = expectStatus(await api.client.put(`${PCS}/high`, { ...current, value: 5 }), 422, 'Invalid');
    assert.match(String(changed.message), /value: Forbidden: may not be changed in an update/);
    expectStatus(await api.client.put(`${PCS}/high`, { ...current, description: 'very urgent' }), 200);
  });

  it('kubectl get pc prints NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', async () => {
    const table = expectStatus(await api.client.get(PCS, TABLE), 200);
    assert.deepEqual((table.columnDefinitions as Obj[]).map((c) => c.name), ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
    const rows = (table.rows as Obj[]).map((row) => (row.cells as unknown[]).filter((_, i) => i !== 3));
    assert.deepEqual(rows, [
      ['high', 100000, false, 'PreemptLowerPriority'],
      ['polite', 1000, false, 'Never'],
      ['system-cluster-critical', 2000000000, false, 'PreemptLowerPriority'],
      ['system-node-critical', 2000001000, false, 'PreemptLowerPriority'],
    ]);
  });

  it('a pod gets the priority and preemption policy of the class it names', async () => {
    const created = expectStatus(await api.client.post(PODS, pod('polite-pod', { priorityClassName: 'polite' })), 201);
    assert.equal(specOf(created).priority, 1000);
    assert.equal(specOf(created).preemptionPolicy, 'Never');
    const critical = expectStatus(await api.client.post('/api/v1/namespaces/kube-system/pods', pod('critical', { priorityClassName: 'system-node-critical' })), 201);
    assert.equal(specOf(critical).priority, 2000001000);
    const plain = expectStatus(await api.client.post(PODS, pod('plain')), 201);
    assert.equal(specOf(plain).priority, 0);
    assert.equal(specOf(plain).preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(specOf(plain).priorityClassName, undefined);
  });

  it('a pod naming a missing class, or giving another priority than its class, is forbidden', async () => {
    const missing = expectStatus(await api.client.post(PODS, pod('lost', { priorityClassName: 'nope' })), 403, 'Forbidden');
    assert.equal(missing.message, 'pods "lost" is forbidden: no PriorityClass with name nope was found');
    const mismatch = expectStatus(await api.client.post(PODS, pod('liar', { priorityClassName: 'high', priority: 1 })), 403, 'Forbidden');
    assert.equal(
      mismatch.message,
      'pods "liar" is forbidden: the integer value of priority (1) must not be provided in pod spec; priority admission controller computed 100000 from the given PriorityClass name',
    );
    expectStatus(await api.client.get(`${PODS}/lost`), 404);
  });

  it('an update of a pod keeps the priority admission gave it', async () => {
    const current = expectStatus(await api.client.get(`${PODS}/polite-pod`), 200);
    const spec = { ...specOf(current) };
    delete spec.priority;
    delete spec.preemptionPolicy;
    const updated = expectStatus(
      await api.client.put(`${PODS}/polite-pod`, { ...current, metadata: { ...(current.metadata as Obj), labels: { a: 'b' } }, spec }),
      200,
    );
    assert.equal(specOf(updated).priority, 1000);
    assert.equal(specOf(updated).preemptionPolicy, 'Never');
  });

  it('a global default class applies to pods naming none, and a second global default is forbidden', async () => {
    expectStatus(await api.client.post(PCS, priorityClass('everyone', 42, { globalDefault: true, preemptionPolicy: 'Never' })), 201);
    const second = expectStatus(await api.client.post(PCS, priorityClass('another', 7, { globalDefault: true })), 403, 'Forbidden');
    assert.equal(
      second.message,
      'priorityclasses.scheduling.k8s.io "another" is forbidden: PriorityClass everyone is already marked as default. Only one default can exist',
    );
    const high = expectStatus(await api.client.get(`${PCS}/high`), 200);
    expectStatus(await api.client.put(`${PCS}/high`, { ...high, globalDefault: true }), 403, 'Forbidden');
    // Pod admission reads the classes as its cache has them, as upstream's lister does; a consistent
    // list makes sure the cache has seen the new default.
    expectStatus(await api.client.get(PCS), 200);
    const defaulted = expectStatus(await api.client.post(PODS, pod('defaulted')), 201);
    assert.equal(specOf(defaulted).priorityClassName, 'everyone');
    assert.equal(specOf(defaulted).priority, 42);
    assert.equal(specOf(defaulted).preemptionPolicy, 'Never');
    expectStatus(await api.client.delete(`${PCS}/everyone`), 200);
    expectStatus(await api.client.get(PCS), 200);
    const after = expectStatus(await api.client.post(PODS, pod('after')), 201);
    assert.equal(specOf(after).priority, 0);
    assert.equal(specOf(after).priorityClassName, undefined);
  });
});
