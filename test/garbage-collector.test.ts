/**
 * The garbage collector against a real in-process API server: background, orphan and foreground
 * propagation, and dangling owners.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import { isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { OwnerReference } from '../src/client/object.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { GarbageCollectorController } from '../src/controllers/garbage-collector/controller.js';
import { until } from './support/eventually.js';

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

function ownedBy(owner: { metadata?: { name?: string; uid?: string } }, kind: string, apiVersion: string, extra: Partial<OwnerReference> = {}): OwnerReference[] {
  return [{ apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', ...extra }];
}

describe('garbage collector', () => {
  let env: ClientEnv;
  let client: KubeClient;
  const stop = new AbortController();
  let factory: SharedInformerFactory;
  let running: Promise<void>;

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
    factory = new SharedInformerFactory(client, { logger: silentLogger });
    const gc = new GarbageCollectorController({ client, factory, logger: silentLogger });
    running = gc.run(stop.signal);
  });
  after(async () => {
    stop.abort();
    await running;
    await factory.shutdown();
    await env.close();
  });

  test('a ConfigMap owned by another ConfigMap is deleted after its owner is deleted (background)', async () => {
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    const owner = await configMaps.create({ metadata: { name: 'bg-owner' } });
    await configMaps.create({ metadata: { name: 'bg-dependent', ownerReferences: ownedBy(owner, 'ConfigMap', 'v1') } });
    await configMaps.delete('bg-owner');
    await until(() => gone(() => configMaps.get('bg-dependent')), 'the dependent to be collected');
  });

  test('a Pod owned by a ReplicaSet is deleted after the ReplicaSet is deleted', async () => {
    const replicaSets = client.typed('apps/v1/ReplicaSet').namespace('default');
    const pods = client.typed('v1/Pod').namespace('default');
    const labels = { app: 'gc-rs' };
    const rs = await replicaSets.create({
      metadata: { name: 'gc-rs' },
      spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await pods.create({
      metadata: { name: 'gc-rs-pod', labels, ownerReferences: ownedBy(rs, 'ReplicaSet', 'apps/v1', { controller: true, blockOwnerDeletion: true }) },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    await replicaSets.delete('gc-rs');
    await until(() => gone(() => pods.get('gc-rs-pod')), 'the pod to be collected');
  });

  test('orphan propagation leaves the dependent without the ownerReference and the owner gone', async () => {
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    const owner = await configMaps.create({ metadata: { name: 'orphan-owner' } });
    await configMaps.create({ metadata: { name: 'orphan-dependent', ownerReferences: ownedBy(owner, 'ConfigMap', 'v1') } });
    await until(async () => (await configMaps.list()).items.some((c) => c.metadata?.name === 'orphan-dependent'), 'the dependent to exist');
    await configMaps.delete('orphan-owner', { propagationPolicy: 'Orphan' });
    await until(() => gone(() => configMaps.get('orphan-owner')), 'the owner to go');
    const dependent = await configMaps.get('orphan-dependent');
    assert.deepEqual(dependent.metadata?.ownerReferences ?? [], []);
  });

  test('foreground: the owner stays with foregroundDeletion until its blocking dependent is gone, then goes', async () => {
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    const owner = await configMaps.create({ metadata: { name: 'fg-owner' } });
    await configMaps.create({
      metadata: { name: 'fg-dependent', finalizers: ['example.com/hold'], ownerReferences: ownedBy(owner, 'ConfigMap', 'v1', { blockOwnerDeletion: true }) },
    });
    await configMaps.delete('fg-owner', { propagationPolicy: 'Foreground' });
    // The collector deletes the dependent; its finalizer holds it, so the owner must wait.
    await until(async () => (await configMaps.get('fg-dependent')).metadata?.deletionTimestamp !== undefined, 'the dependent to be deleting');
    const waiting = await configMaps.get('fg-owner');
    assert.ok(waiting.metadata?.deletionTimestamp !== undefined);
    assert.deepEqual(waiting.metadata?.finalizers, ['foregroundDeletion']);
    await configMaps.patch('fg-dependent', { metadata: { finalizers: null } }, 'merge');
    await until(() => gone(() => configMaps.get('fg-dependent')), 'the dependent to go');
    await until(() => gone(() => configMaps.get('fg-owner')), 'the owner to go');
  });

  test('a dependent whose owner uid never existed (dangling) is deleted', async () => {
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({
      metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-was', uid: '00000000-0000-0000-0000-00000000dead' }] },
    });
    await until(() => gone(() => configMaps.get('dangling')), 'the dangling dependent to be collected');
  });

  test('a dependent whose owner is alive stays', async () => {
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    const owner = await configMaps.create({ metadata: { name: 'alive-owner' } });
    await configMaps.create({ metadata: { name: 'alive-dependent', ownerReferences: ownedBy(owner, 'ConfigMap', 'v1') } });
    // A marker whose dangling owner is collected shows the collector has looked since.
    await configMaps.create({ metadata: { name: 'marker', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: '00000000-0000-0000-0000-0000000000aa' }] } });
    await until(() => gone(() => configMaps.get('marker')), 'the marker to be collected');
    assert.equal((await configMaps.get('alive-dependent')).metadata?.name, 'alive-dependent');
  });
});
