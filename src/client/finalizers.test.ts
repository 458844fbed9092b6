/** Finalizer helpers on plain objects, and the write helpers and registry against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ClientEnv, startClientEnv } from '../../test/support/client-harness.js';
import type { coreV1 } from '../api/types/index.js';
import { isConflict, isNotFound } from './errors.js';
import { FinalizerError, Finalizers, addFinalizer, ensureFinalizer, hasFinalizer, removeFinalizer, removeFinalizerAndUpdate } from './finalizers.js';
import type { KubeObject } from './object.js';
import type { ResourceClient } from './resource-client.js';

const DELETING = '2026-01-01T00:00:00Z';

test('addFinalizer appends a missing name once and says whether it changed anything', () => {
  const object: KubeObject = {};
  assert.equal(addFinalizer(object, 'example.com/cleanup'), true);
  assert.equal(addFinalizer(object, 'example.com/cleanup'), false);
  assert.equal(addFinalizer(object, 'example.com/other'), true);
  assert.deepEqual(object.metadata?.finalizers, ['example.com/cleanup', 'example.com/other']);
  assert.equal(hasFinalizer(object, 'example.com/other'), true);
  assert.equal(hasFinalizer({}, 'example.com/other'), false);
});

test('removeFinalizer removes every occurrence and says whether it changed anything', () => {
  const object: KubeObject = { metadata: { finalizers: ['a', 'b', 'a'] } };
  assert.equal(removeFinalizer(object, 'a'), true);
  assert.deepEqual(object.metadata?.finalizers, ['b']);
  assert.equal(removeFinalizer(object, 'a'), false);
  assert.equal(removeFinalizer({}, 'a'), false);
});

test('Finalizers adds every registered name to a live object, and only those missing', async () => {
  const finalizers = new Finalizers();
  finalizers.register('a', () => assert.fail('a live object is not finalized'));
  finalizers.register('b', () => assert.fail('a live object is not finalized'));
  const object: KubeObject = { metadata: { finalizers: ['b'] } };
  assert.deepEqual(await finalizers.finalize(object), { updated: true, statusUpdated: false, failures: [] });
  assert.deepEqual(object.metadata?.finalizers, ['b', 'a']);
  assert.deepEqual(await finalizers.finalize(object), { updated: false, statusUpdated: false, failures: [] });
});

test('Finalizers runs the finalizers a deleting object still carries and removes them when they succeed', async () => {
  const ran: string[] = [];
  const finalizers = new Finalizers();
  finalizers.register('a', () => void ran.push('a'));
  finalizers.register('b', () => {
    ran.push('b');
    return { statusUpdated: true };
  });
  finalizers.register('c', () => void ran.push('c'));
  const object: KubeObject = { metadata: { deletionTimestamp: DELETING, finalizers: ['a', 'b', 'other'] } };
  assert.deepEqual(await finalizers.finalize(object), { updated: true, statusUpdated: true, failures: [] });
  assert.deepEqual(ran, ['a', 'b'], 'c was already gone, so it does not run');
  assert.deepEqual(object.metadata?.finalizers, ['other']);
});

test('a failing finalizer keeps its name while the others go on, and may report what it changed', async () => {
  const finalizers = new Finalizers();
  const boom = new FinalizerError('the bucket is not empty', { statusUpdated: true });
  finalizers.register('a', () => {
    throw boom;
  });
  finalizers.register('b', async () => undefined);
  const object: KubeObject = { metadata: { deletionTimestamp: DELETING, finalizers: ['a', 'b'] } };
  const result = await finalizers.finalize(object);
  assert.deepEqual(result, { updated: true, statusUpdated: true, failures: [{ finalizer: 'a', error: boom }] });
  assert.deepEqual(object.metadata?.finalizers, ['a']);
});

test('a finalizer name is registered once', () => {
  const finalizers = new Finalizers();
  finalizers.register('a', () => undefined);
  assert.throws(() => finalizers.register('a', () => undefined), /already registered/);
});

describe('finalizers on a real server', () => {
  let env: ClientEnv;
  let configMaps: ResourceClient<coreV1.ConfigMap>;
  before(async () => {
    env = await startClientEnv('in-process');
    configMaps = env.client().typed('v1/ConfigMap').namespace('default');
  });
  after(() => env.close());

  test('ensureFinalizer writes only when the finalizer is missing, fenced by the resourceVersion', async () => {
    const created = await configMaps.create({ metadata: { name: 'ensure' } });
    const written = await ensureFinalizer(configMaps, created, 'example.com/cleanup');
    assert.deepEqual((await configMaps.get('ensure')).metadata?.finalizers, ['example.com/cleanup']);
    assert.notEqual(written.metadata?.resourceVersion, created.metadata?.resourceVersion);
    const again = await ensureFinalizer(configMaps, written, 'example.com/cleanup');
    assert.equal(again.metadata?.resourceVersion, written.metadata?.resourceVersion, 'no write when present');
    assert.equal(created.metadata?.finalizers, undefined, 'the object given is not changed');
    await assert.rejects(ensureFinalizer(configMaps, created, 'example.com/other'), isConflict, 'a stale object is a Conflict');
  });

  test('a deleting object is finalized, and removing the last finalizer lets it go', async () => {
    await configMaps.create({ metadata: { name: 'finalize', finalizers: ['example.com/cleanup', 'example.com/keep'] } });
    await configMaps.delete('finalize');
    const deleting = await configMaps.get('finalize');
    assert.ok(deleting.metadata?.deletionTimestamp !== undefined, 'finalizers hold the deleted object');

    const cleaned: string[] = [];
    const finalizers = new Finalizers<coreV1.ConfigMap>();
    finalizers.register('example.com/cleanup', (object) => void cleaned.push(object.metadata?.name ?? ''));
    const copy = structuredClone(deleting);
    const result = await finalizers.finalize(copy);
    assert.equal(result.updated, true);
    const updated = await configMaps.update(copy);
    assert.deepEqual(cleaned, ['finalize']);
    assert.deepEqual(updated.metadata?.finalizers, ['example.com/keep']);

    await removeFinalizerAndUpdate(configMaps, updated, 'example.com/keep');
    await assert.rejects(configMaps.get('finalize'), isNotFound);
  });
});
