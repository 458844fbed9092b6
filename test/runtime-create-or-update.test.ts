/**
 * createOrUpdate as controller-runtime's controllerutil.CreateOrUpdate, against a real in-process
 * API server: it creates what is absent, updates what the mutation changed, leaves alone what it
 * did not change, refuses a mutation of name or namespace, and lets a Conflict through.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { api } from '../src/client/index.js';
import { isConflict } from '../src/client/errors.js';
import { createOrUpdate, semanticEqual } from '../src/runtime/index.js';
import { type TestCluster, startTestCluster } from '../src/testing/index.js';

type ConfigMap = api.coreV1.ConfigMap;

describe('createOrUpdate', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster();
  });
  after(() => cluster.stop());

  const configMap = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

  test('creates the object when it is absent, mutated, and fills it in as written', async () => {
    const object = configMap('created');
    const result = await createOrUpdate(cluster.client.typed('v1/ConfigMap'), object, (cm) => {
      cm.data = { a: '1' };
    });
    assert.equal(result, 'created');
    assert.ok((object.metadata?.uid ?? '') !== '', 'the object holds the server state');
    assert.deepEqual((await cluster.client.typed('v1/ConfigMap').namespace('default').get('created')).data, { a: '1' });
  });

  test('updates the object when the mutation changes it, and leaves it alone when not', async () => {
    const configMaps = cluster.client.typed('v1/ConfigMap');
    await configMaps.create({ ...configMap('updated'), data: { a: '1' }, metadata: { name: 'updated', namespace: 'default', labels: { keep: 'me' } } });
    const object = configMap('updated');
    assert.equal(await createOrUpdate(configMaps, object, (cm) => void (cm.data = { ...cm.data, b: '2' })), 'updated');
    const stored = await configMaps.namespace('default').get('updated');
    assert.deepEqual(stored.data, { a: '1', b: '2' });
    assert.deepEqual(stored.metadata?.labels, { keep: 'me' }, 'fields the mutation did not touch are kept');
    const again = configMap('updated');
    assert.equal(await createOrUpdate(configMaps, again, (cm) => void (cm.data = { b: '2', a: '1' })), 'unchanged');
    assert.equal(again.metadata?.resourceVersion, stored.metadata?.resourceVersion);
  });

  test('refuses a mutation that renames the object', async () => {
    await assert.rejects(
      createOrUpdate(cluster.client.typed('v1/ConfigMap'), configMap('renamed'), (cm) => void (cm.metadata = { ...cm.metadata, name: 'other' })),
      /MutateFn cannot mutate object name and\/or object namespace/,
    );
  });

  test('a conflicting update reaches the caller', async () => {
    const configMaps = cluster.client.typed('v1/ConfigMap');
    await configMaps.create({ ...configMap('conflicted'), data: { a: '1' } });
    const fault = cluster.faults.conflict({ verb: 'update', resource: 'configmaps', name: 'conflicted' }, { times: 1 });
    await assert.rejects(createOrUpdate(configMaps, configMap('conflicted'), (cm) => void (cm.data = { a: '2' })), (error) => isConflict(error));
    assert.equal(fault.hits, 1);
  });

  test('semanticEqual ignores key order and undefined fields, not values', () => {
    assert.equal(semanticEqual({ a: 1, b: [1, { c: 2 }], d: undefined }, { b: [1, { c: 2 }], a: 1 }), true);
    assert.equal(semanticEqual({ a: [1, 2] }, { a: [2, 1] }), false);
    assert.equal(semanticEqual({ a: 1 }, { a: '1' }), false);
  });
});
