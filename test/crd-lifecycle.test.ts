/**
 * Custom resources take part in garbage collection and namespace deletion like built-ins, with the
 * garbage collector and the namespace controller running against a real in-process API server:
 * background, foreground and orphan propagation with a custom resource as owner, a custom resource
 * collected after its ConfigMap owner goes, CRDs installed after the controllers started (the
 * collector's periodic rediscovery, garbagecollector.go Sync; the namespace deleter's discovery on
 * each pass, namespaced_resources_deleter.go), and a custom resource's finalizer holding its
 * namespace with upstream's conditions (deletion/status_condition_utils.go).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { coreV1 } from '../src/api/types/index.js';
import { isNotFound } from '../src/client/errors.js';
import type { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { KubeObject, OwnerReference } from '../src/client/object.js';
import type { ResourceRef } from '../src/client/resource-client.js';
import { GarbageCollectorController } from '../src/controllers/garbage-collector/controller.js';
import { namespaceController } from '../src/controllers/namespace/namespace-controller.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
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

function ownedBy(owner: KubeObject, apiVersion: string, kind: string, extra: Partial<OwnerReference> = {}): OwnerReference[] {
  return [{ apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', ...extra }];
}

/** A CRD of `example.com` whose schema keeps any field, served at once. */
async function installCrd(client: KubeClient, plural: string, kind: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced'): Promise<ResourceRef> {
  await client.typed('apiextensions.k8s.io/v1/CustomResourceDefinition').create({
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope,
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  const ref: ResourceRef = { group: 'example.com', version: 'v1', resource: plural, namespaced: scope === 'Namespaced', kind };
  await until(async () => (await client.resource(ref).list()).items !== undefined, `${plural} to be served`);
  return ref;
}

describe('custom resources in garbage collection and namespace deletion', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;
  let gc: GarbageCollectorController | undefined;
  let informers: SharedInformerFactory | undefined;
  let widgets: ResourceRef;

  before(async () => {
    cluster = await startControllers((c, factory) => {
      informers = factory;
      gc = new GarbageCollectorController({ client: c, factory, logger: silentLogger, discoveryPeriodMs: 100 });
      return [gc, namespaceController({ client: c, factory, logger: silentLogger, maxRequeueAfterMs: 200 })];
    });
    client = cluster.client;
    widgets = await installCrd(client, 'widgets', 'Widget');
    await until(() => gc?.monitors.resources.includes('widgets.example.com') === true, 'the collector to monitor widgets');
  });
  after(async () => {
    await cluster.close();
  });

  test('the collector watches custom resources for their metadata only, and built-in kinds through their full informers', () => {
    // Asking the factory again gives the informer the collector made: started, if the collector made it.
    assert.equal(informers?.forMetadata(widgets).isStarted, true, 'a metadata informer of widgets runs');
    assert.equal(informers?.forResource(widgets).isStarted, false, 'no full informer of widgets was made');
    const configMaps = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
    assert.equal(informers?.forResource(configMaps).isStarted, true, 'the full informer of configmaps runs');
    assert.equal(informers?.forMetadata(configMaps).isStarted, false, 'no metadata informer of configmaps was made');
  });

  test('a ConfigMap owned by a custom resource is collected after the custom resource is deleted in the background', async () => {
    const owner = await client.resource(widgets).namespace('default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bg-owner' } });
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({ metadata: { name: 'bg-dependent', ownerReferences: ownedBy(owner, 'example.com/v1', 'Widget') } });
    await client.resource(widgets).namespace('default').delete('bg-owner', { propagationPolicy: 'Background' });
    assert.equal(await gone(() => client.resource(widgets).namespace('default').get('bg-owner')), true);
    await until(() => gone(() => configMaps.get('bg-dependent')), 'the ConfigMap to be collected');
  });

  test('a custom resource deleted without a propagation policy takes its ConfigMap along (custom resources default to background)', async () => {
    const owner = await client.resource(widgets).namespace('default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'default-owner' } });
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({ metadata: { name: 'default-dependent', ownerReferences: ownedBy(owner, 'example.com/v1', 'Widget') } });
    await client.resource(widgets).namespace('default').delete('default-owner');
    assert.equal(await gone(() => client.resource(widgets).namespace('default').get('default-owner')), true);
    await until(() => gone(() => configMaps.get('default-dependent')), 'the ConfigMap to be collected');
  });

  test('a custom resource deleted in the foreground waits with foregroundDeletion until its blocking ConfigMap is gone', async () => {
    const widgetClient = client.resource(widgets).namespace('default');
    const owner = await widgetClient.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'fg-owner' } });
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({
      metadata: { name: 'fg-dependent', finalizers: ['example.com/hold'], ownerReferences: ownedBy(owner, 'example.com/v1', 'Widget', { blockOwnerDeletion: true }) },
    });
    await widgetClient.delete('fg-owner', { propagationPolicy: 'Foreground' });
    await until(async () => (await configMaps.get('fg-dependent')).metadata?.deletionTimestamp !== undefined, 'the ConfigMap to be deleting');
    const waiting = await widgetClient.get('fg-owner');
    assert.notEqual(waiting.metadata?.deletionTimestamp, undefined);
    assert.deepEqual(waiting.metadata?.finalizers, ['foregroundDeletion']);
    await configMaps.patch('fg-dependent', { metadata: { finalizers: null } }, 'merge');
    await until(() => gone(() => widgetClient.get('fg-owner')), 'the custom resource to go');
    assert.equal(await gone(() => configMaps.get('fg-dependent')), true);
  });

  test('a custom resource deleted with orphan propagation goes and leaves its ConfigMap without the ownerReference', async () => {
    const widgetClient = client.resource(widgets).namespace('default');
    const owner = await widgetClient.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'orphan-owner' } });
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({ metadata: { name: 'orphan-dependent', ownerReferences: ownedBy(owner, 'example.com/v1', 'Widget') } });
    await widgetClient.delete('orphan-owner', { propagationPolicy: 'Orphan' });
    await until(() => gone(() => widgetClient.get('orphan-owner')), 'the custom resource to go');
    const dependent = await configMaps.get('orphan-dependent');
    assert.deepEqual(dependent.metadata?.ownerReferences ?? [], []);
  });

  test('a custom resource owned by a ConfigMap is collected after the ConfigMap is deleted', async () => {
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    const owner = await configMaps.create({ metadata: { name: 'cm-owner' } });
    const widgetClient = client.resource(widgets).namespace('default');
    await widgetClient.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'owned-widget', ownerReferences: ownedBy(owner, 'v1', 'ConfigMap') } });
    await configMaps.delete('cm-owner');
    await until(() => gone(() => widgetClient.get('owned-widget')), 'the custom resource to be collected');
  });

  test('a CRD installed after the collector started is monitored, and its resources are collected', async () => {
    const gadgets = await installCrd(client, 'gadgets', 'Gadget');
    await until(() => gc?.monitors.resources.includes('gadgets.example.com') === true, 'the collector to monitor gadgets');
    const gadgetClient = client.resource(gadgets).namespace('default');
    const owner = await gadgetClient.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'late-owner' } });
    await gadgetClient.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'late-dependent', ownerReferences: ownedBy(owner, 'example.com/v1', 'Gadget') } });
    await gadgetClient.delete('late-owner');
    await until(() => gone(() => gadgetClient.get('late-dependent')), 'the dependent Gadget to be collected');
  });

  // The CRD finalizer deletes the instances through their store while the CRD is Terminating and
  // still served (crd_finalizer.go), so the collector's monitor sees each DELETED event.
  test('deleting a CRD removes its custom resources, and the collector then collects what they owned', async () => {
    const gizmos = await installCrd(client, 'gizmos', 'Gizmo');
    await until(() => gc?.monitors.resources.includes('gizmos.example.com') === true, 'the collector to monitor gizmos');
    const owner = await client.resource(gizmos).namespace('default').create({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'doomed-gizmo' } });
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({ metadata: { name: 'gizmo-dependent', ownerReferences: ownedBy(owner, 'example.com/v1', 'Gizmo') } });
    await client.typed('apiextensions.k8s.io/v1/CustomResourceDefinition').delete('gizmos.example.com');
    await until(() => gone(() => client.typed('apiextensions.k8s.io/v1/CustomResourceDefinition').get('gizmos.example.com')), 'the CRD to go');
    await until(() => gone(() => configMaps.get('gizmo-dependent')), 'the ConfigMap the Gizmo owned to be collected', { timeoutMs: 10_000 });
    await until(() => gc?.monitors.resources.includes('gizmos.example.com') === false, 'the collector to stop monitoring gizmos');
  });

  test('a cluster-scoped custom resource owning a namespaced one takes it along when deleted', async () => {
    const realms = await installCrd(client, 'realms', 'Realm', 'Cluster');
    await until(() => gc?.monitors.resources.includes('realms.example.com') === true, 'the collector to monitor realms');
    const owner = await client.resource(realms).create({ apiVersion: 'example.com/v1', kind: 'Realm', metadata: { name: 'realm' } });
    const widgetClient = client.resource(widgets).namespace('default');
    await widgetClient.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'realm-widget', ownerReferences: ownedBy(owner, 'example.com/v1', 'Realm') } });
    await client.resource(realms).delete('realm');
    await until(() => gone(() => widgetClient.get('realm-widget')), 'the Widget owned by the Realm to be collected');
  });

  test('deleting a namespace deletes its custom resources, also of a CRD installed after the controller started, then the namespace', async () => {
    const ns = 'doomed-crs';
    const sprockets = await installCrd(client, 'sprockets', 'Sprocket');
    await client.typed('v1/Namespace').create({ metadata: { name: ns } });
    await client.resource(widgets).namespace(ns).create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    await client.resource(sprockets).namespace(ns).create({ apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name: 's' } });
    await client.typed('v1/Namespace').delete(ns);
    await until(() => gone(() => client.typed('v1/Namespace').get(ns)), 'the namespace to be removed');
    assert.deepEqual((await client.resource(widgets).namespace(ns).list()).items, []);
    assert.deepEqual((await client.resource(sprockets).namespace(ns).list()).items, []);
  });

  test('a custom resource with a finalizer holds its namespace with NamespaceContentRemaining and NamespaceFinalizersRemaining until it is released', async () => {
    const ns = 'held-by-cr';
    await client.typed('v1/Namespace').create({ metadata: { name: ns } });
    const widgetClient = client.resource(widgets).namespace(ns);
    await widgetClient.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await client.typed('v1/Namespace').delete(ns);
    let conditions: readonly coreV1.NamespaceCondition[] = [];
    await until(async () => {
      conditions = (await client.typed('v1/Namespace').get(ns)).status?.conditions ?? [];
      return conditions.some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True');
    }, 'the NamespaceFinalizersRemaining condition');
    const byType = new Map(conditions.map((c) => [c.type, c]));
    assert.deepEqual(
      { status: byType.get('NamespaceContentRemaining')?.status, reason: byType.get('NamespaceContentRemaining')?.reason, message: byType.get('NamespaceContentRemaining')?.message },
      { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: widgets.example.com has 1 resource instances' },
    );
    assert.deepEqual(
      { reason: byType.get('NamespaceFinalizersRemaining')?.reason, message: byType.get('NamespaceFinalizersRemaining')?.message },
      { reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances' },
    );
    const namespace = await client.typed('v1/Namespace').get(ns);
    assert.equal(namespace.status?.phase, 'Terminating');
    assert.notEqual((await widgetClient.get('held')).metadata?.deletionTimestamp, undefined);
    await widgetClient.patch('held', { metadata: { finalizers: null } }, 'merge');
    await until(() => gone(() => client.typed('v1/Namespace').get(ns)), 'the namespace to be removed');
  });
});
