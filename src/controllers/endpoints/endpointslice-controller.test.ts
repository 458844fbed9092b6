/**
 * Unit tests of the EndpointSlice controller's syncService and its reconciler: one sync against
 * preloaded informer caches, with a slice client that records what the sync wrote (upstream
 * endpointslice_controller_test.go and reconciler_test.go).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1, discoveryV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { type EndpointSliceClient, EndpointSliceController, StaleInformerCacheError } from './endpointslice-controller.js';
import { LABEL_SERVICE_NAME, LABEL_SLICE_MANAGED_BY, SLICE_CONTROLLER_NAME } from './endpoints-util.js';
import { reconcileSlices } from './endpointslice-reconciler.js';

type EndpointSlice = discoveryV1.EndpointSlice;

class RecordingSliceClient implements EndpointSliceClient {
  readonly actions: { verb: 'create' | 'update' | 'delete'; name: string; object?: EndpointSlice }[] = [];
  private counter = 0;
  async create(ns: string, slice: EndpointSlice): Promise<EndpointSlice> {
    const name = `${slice.metadata?.generateName ?? ''}${++this.counter}`;
    this.actions.push({ verb: 'create', name, object: structuredClone(slice) });
    return { ...slice, metadata: { ...slice.metadata, name, namespace: ns, uid: `slice-${this.counter}`, generation: 1 } };
  }
  async update(_ns: string, slice: EndpointSlice): Promise<EndpointSlice> {
    this.actions.push({ verb: 'update', name: slice.metadata?.name ?? '', object: structuredClone(slice) });
    return { ...slice, metadata: { ...slice.metadata, generation: (slice.metadata?.generation ?? 0) + 1 } };
  }
  async delete(_ns: string, name: string): Promise<void> {
    this.actions.push({ verb: 'delete', name });
  }
}

const SERVICE: coreV1.Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, clusterIP: '10.0.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};

function pod(n: number, shape: { ready?: boolean; terminating?: boolean; node?: string } = {}): coreV1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${n}`, namespace: 'default', uid: `uid-${n}`, labels: { app: 'web' }, ...(shape.terminating === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: shape.node ?? 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', podIP: `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`, conditions: [{ type: 'Ready', status: shape.ready === false ? 'False' : 'True' }] },
  };
}

const OWNER = { apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true };
const LABELS = { [LABEL_SERVICE_NAME]: 'web', [LABEL_SLICE_MANAGED_BY]: SLICE_CONTROLLER_NAME };

function setup(pods: coreV1.Pod[], slices: EndpointSlice[] = [], nodes: coreV1.Node[] = []) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const sliceClient = new RecordingSliceClient();
  const controller = new EndpointSliceController({ client, informers, clock: new FakeClock(), logger: silentLogger, sliceClient });
  informers.typed('v1/Service').indexer.add(SERVICE);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  for (const s of slices) informers.typed('discovery.k8s.io/v1/EndpointSlice').indexer.add(s);
  for (const n of nodes) informers.typed('v1/Node').indexer.add(n);
  return { controller, sliceClient };
}

describe('EndpointSlice controller sync', () => {
  test('creates a slice for the Service with conditions, node, zone and pod references', async () => {
    const node: coreV1.Node = { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } };
    const { controller, sliceClient } = setup([pod(1), pod(2, { ready: false }), pod(3, { terminating: true })], [], [node]);
    await controller.syncService('default/web');
    assert.deepEqual(sliceClient.actions.map((a) => a.verb), ['create']);
    const slice = sliceClient.actions[0]?.object;
    assert.deepEqual(slice?.metadata, { generateName: 'web-', namespace: 'default', labels: LABELS, ownerReferences: [OWNER] });
    assert.equal(slice?.addressType, 'IPv4');
    assert.deepEqual(slice?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(slice?.endpoints?.[0], {
      addresses: ['10.1.0.2'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'uid-1' },
      nodeName: 'node-1',
      zone: 'zone-a',
    });
    assert.deepEqual(slice?.endpoints?.map((e) => e.conditions), [
      { ready: true, serving: true, terminating: false },
      { ready: false, serving: false, terminating: false },
      { ready: false, serving: true, terminating: true },
    ]);
  });

  test('splits more than 100 endpoints over several slices', async () => {
    const pods = Array.from({ length: 250 }, (_, i) => pod(i));
    const { controller, sliceClient } = setup(pods);
    await controller.syncService('default/web');
    assert.deepEqual(sliceClient.actions.map((a) => [a.verb, a.object?.endpoints?.length]), [['create', 100], ['create', 100], ['create', 50]]);
  });

  test('writes nothing when its slice already holds the endpoints', async () => {
    const { controller, sliceClient } = setup([pod(1)]);
    await controller.syncService('default/web');
    const created = sliceClient.actions[0]?.object;
    assert.ok(created !== undefined);
    const stored: EndpointSlice = { ...created, metadata: { ...created.metadata, name: 'web-1', uid: 'slice-1', generation: 1 } };
    const again = setup([pod(1)], [stored]);
    await again.controller.syncService('default/web');
    assert.deepEqual(again.sliceClient.actions, []);
  });

  test('updates the slice in place when a pod stops being ready or goes away', async () => {
    const existing = reconcileSlices({ service: SERVICE, pods: [pod(1), pod(2)], existing: [] }).create[0];
    assert.ok(existing !== undefined);
    existing.metadata = { ...existing.metadata, name: 'web-abc', uid: 'slice-uid', generation: 3 };
    const { controller, sliceClient } = setup([pod(1, { ready: false })], [existing]);
    await controller.syncService('default/web');
    assert.deepEqual(sliceClient.actions.map((a) => [a.verb, a.name]), [['update', 'web-abc']]);
    assert.deepEqual(sliceClient.actions[0]?.object?.endpoints?.map((e) => [e.addresses[0], e.conditions?.ready]), [['10.1.0.2', false]]);
  });

  test('a new pod joins the slice that has room instead of a new slice', async () => {
    const existing = reconcileSlices({ service: SERVICE, pods: [pod(1)], existing: [] }).create[0];
    assert.ok(existing !== undefined);
    existing.metadata = { ...existing.metadata, name: 'web-abc', uid: 'slice-uid', generation: 1 };
    const changes = reconcileSlices({ service: SERVICE, pods: [pod(1), pod(2)], existing: [existing] });
    assert.deepEqual([changes.create.length, changes.delete.length], [0, 0]);
    assert.deepEqual(changes.update.map((s) => [s.metadata?.name, s.endpoints?.map((e) => e.targetRef?.name)]), [['web-abc', ['p1', 'p2']]]);
  });

  test('a Service without endpoints gets one empty placeholder slice, kept on the next sync', async () => {
    const { controller, sliceClient } = setup([]);
    await controller.syncService('default/web');
    const placeholder = sliceClient.actions[0]?.object;
    assert.deepEqual([placeholder?.endpoints, placeholder?.ports], [[], []]);
    assert.ok(placeholder !== undefined);
    const stored = { ...placeholder, metadata: { ...placeholder.metadata, name: 'web-1', uid: 'p', generation: 1 } };
    assert.deepEqual(reconcileSlices({ service: SERVICE, pods: [], existing: [stored] }), { create: [], update: [], delete: [] });
  });

  test('a sync whose cache lacks a slice it created is stale and writes nothing', async () => {
    const { controller, sliceClient } = setup([pod(1)]);
    await controller.syncService('default/web');
    await assert.rejects(controller.syncService('default/web'), StaleInformerCacheError);
    assert.equal(sliceClient.actions.length, 1);
  });

  test('deletes slices of the Service owned by an earlier Service of the same name', async () => {
    const existing = reconcileSlices({ service: SERVICE, pods: [pod(1)], existing: [] }).create[0];
    assert.ok(existing !== undefined);
    existing.metadata = { ...existing.metadata, name: 'web-old', uid: 'old', ownerReferences: [{ ...OWNER, uid: 'earlier-uid' }] };
    const { controller, sliceClient } = setup([pod(1)], [existing]);
    await controller.syncService('default/web');
    assert.deepEqual(sliceClient.actions.map((a) => [a.verb, a.name]), [['create', 'web-1'], ['delete', 'web-old']]);
  });
});
