/**
 * The field label `metadata.namespace` by scope, as upstream: a cluster-scoped custom resource
 * refuses it with 400 `field label not supported: metadata.namespace` (apiextensions-apiserver
 * crConverter.ConvertFieldLabel), a namespaced one accepts it; among built-ins, Nodes and Namespaces
 * refuse it (their conversions in pkg/apis/core/v1/conversion.go name only metadata.name and their
 * own fields) while other cluster-scoped kinds accept it (runtime.DefaultMetaV1FieldSelectorConversion).
 * The same holds for watches.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from '../src/testing/http-client.js';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';

const GROUP = 'scope.example.com';

function crd(plural: string, kind: string, scope: 'Namespaced' | 'Cluster'): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope,
      names: { plural, kind },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

/** `value` as a JSON object, failing the test otherwise. */
function record(value: unknown): Record<string, unknown> {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function refusedWith(response: HttpResponse, message: string): void {
  assert.equal(response.status, 400, response.text);
  const body = record(response.json);
  assert.equal(body.reason, 'BadRequest');
  assert.equal(body.message, message);
}

function names(response: HttpResponse): string[] {
  assert.equal(response.status, 200, response.text);
  const items = record(response.json).items;
  assert.ok(Array.isArray(items));
  return items.map((item: unknown) => String(record(record(item).metadata).name));
}

describe('field selector metadata.namespace by scope', () => {
  let api: RunningApi;

  before(async () => {
    api = await startApi('memory');
    for (const [plural, kind, scope] of [
      ['realms', 'Realm', 'Cluster'],
      ['rooms', 'Room', 'Namespaced'],
    ] as const) {
      assert.equal((await api.client.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd(plural, kind, scope))).status, 201);
      await eventually(async () => ((await api.client.get(`/apis/${GROUP}/v1/${plural}`)).status === 200 ? true : undefined), `${plural} to be served`);
    }
    assert.equal((await api.client.post(`/apis/${GROUP}/v1/realms`, { apiVersion: `${GROUP}/v1`, kind: 'Realm', metadata: { name: 'r1' } })).status, 201);
    assert.equal((await api.client.post(`/apis/${GROUP}/v1/namespaces/default/rooms`, { apiVersion: `${GROUP}/v1`, kind: 'Room', metadata: { name: 'room1' } })).status, 201);
  });
  after(async () => {
    await api.close();
  });

  it('a cluster-scoped custom resource refuses metadata.namespace with 400 field label not supported', async () => {
    refusedWith(await api.client.get(`/apis/${GROUP}/v1/realms?fieldSelector=metadata.namespace%3Ddefault`), 'field label not supported: metadata.namespace');
    refusedWith(await api.client.get(`/apis/${GROUP}/v1/realms?fieldSelector=metadata.namespace%3D`), 'field label not supported: metadata.namespace');
  });

  it('a watch of a cluster-scoped custom resource refuses metadata.namespace too', async () => {
    refusedWith(await api.client.get(`/apis/${GROUP}/v1/realms?watch=true&fieldSelector=metadata.namespace%3Ddefault`), 'field label not supported: metadata.namespace');
  });

  it('a cluster-scoped custom resource still selects on metadata.name', async () => {
    assert.deepEqual(names(await api.client.get(`/apis/${GROUP}/v1/realms?fieldSelector=metadata.name%3Dr1`)), ['r1']);
  });

  it('a namespaced custom resource selects on metadata.namespace', async () => {
    assert.deepEqual(names(await api.client.get(`/apis/${GROUP}/v1/rooms?fieldSelector=metadata.namespace%3Ddefault`)), ['room1']);
    assert.deepEqual(names(await api.client.get(`/apis/${GROUP}/v1/rooms?fieldSelector=metadata.namespace%3Delsewhere`)), []);
  });

  it('nodes and namespaces refuse metadata.namespace, as their upstream field label conversions do', async () => {
    refusedWith(await api.client.get('/api/v1/nodes?fieldSelector=metadata.namespace%3Ddefault'), 'field label not supported: metadata.namespace');
    refusedWith(await api.client.get('/api/v1/namespaces?fieldSelector=metadata.namespace%3Ddefault'), 'field label not supported: metadata.namespace');
  });

  it('other cluster-scoped built-ins accept metadata.namespace, which only the empty value matches', async () => {
    const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    assert.deepEqual(names(await api.client.get(`${crds}?fieldSelector=metadata.namespace%3Ddefault`)), []);
    assert.deepEqual(names(await api.client.get(`${crds}?fieldSelector=metadata.namespace%3D`)).sort(), [`realms.${GROUP}`, `rooms.${GROUP}`]);
  });
});
