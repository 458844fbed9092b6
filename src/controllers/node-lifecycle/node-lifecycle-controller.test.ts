/**
 * Unit tests of the node lifecycle controller: `monitorNodeHealth` and taint eviction against
 * preloaded informer caches, on a FakeClock, with a client that records its writes and applies them
 * to the caches as an informer would (upstream node_lifecycle_controller_test.go and
 * taint_eviction_test.go, in spirit).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coordinationV1, coreV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { formatTime } from '../../api/time.js';
import { NodeLifecycleController, type NodeLifecycleClient } from './node-lifecycle-controller.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from './taints.js';

type Node = coreV1.Node;
type Pod = coreV1.Pod;

const GRACE_MS = 50_000;

class RecordingClient implements NodeLifecycleClient {
  readonly statusUpdates: Node[] = [];
  readonly taintPatches: { name: string; taints: coreV1.Taint[] }[] = [];
  readonly podStatusUpdates: Pod[] = [];
  readonly deletes: string[] = [];
  constructor(private readonly informers: SharedInformerFactory) {}

  async updateNodeStatus(node: Node): Promise<Node> {
    this.statusUpdates.push(structuredClone(node));
    this.informers.typed('v1/Node').indexer.update(node);
    return node;
  }

  async patchNodeTaints(name: string, taints: coreV1.Taint[]): Promise<Node> {
    this.taintPatches.push({ name, taints: structuredClone(taints) });
    const current = structuredClone(this.informers.typed('v1/Node').indexer.getByKey(name)) as Node;
    const patched: Node = { ...current, spec: { ...current.spec, taints } };
    this.informers.typed('v1/Node').indexer.update(patched);
    return patched;
  }

  async updatePodStatus(pod: Pod): Promise<Pod> {
    this.podStatusUpdates.push(structuredClone(pod));
    return pod;
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    this.deletes.push(`${namespace}/${name}`);
  }
}

function node(name: string, ready: 'True' | 'False' | 'Unknown', heartbeat: number, taints?: coreV1.Taint[]): Node {
  const time = formatTime(heartbeat);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2025-12-01T00:00:00Z' },
    spec: taints === undefined ? {} : { taints },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: time, lastTransitionTime: '2025-12-01T00:00:00Z' },
        { type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', lastHeartbeatTime: time, lastTransitionTime: '2025-12-01T00:00:00Z' },
      ],
    },
  };
}

function lease(name: string, renewed: number): coordinationV1.Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease', resourceVersion: String(renewed) },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(renewed).toISOString() },
  };
}

function pod(name: string, nodeName: string, tolerations?: coreV1.Toleration[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1' },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], ...(tolerations === undefined ? {} : { tolerations }) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const unreachableFor = (seconds?: number): coreV1.Toleration => ({
  key: TAINT_NODE_UNREACHABLE,
  operator: 'Exists',
  effect: 'NoExecute',
  ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
});

function setup(options: { defaultTolerationSeconds?: number } = {}) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const clock = new FakeClock();
  const recording = new RecordingClient(informers);
  const controller = new NodeLifecycleController({
    client,
    informers,
    clock,
    logger: silentLogger,
    nodeMonitorGracePeriodMs: GRACE_MS,
    lifecycleClient: recording,
    ...options,
  });
  const nodes = informers.typed('v1/Node').indexer;
  const leases = informers.typed('coordination.k8s.io/v1/Lease').indexer;
  const pods = informers.typed('v1/Pod').indexer;
  return { controller, clock, recording, nodes, leases, pods };
}

const taintKeys = (taints: readonly coreV1.Taint[] | undefined): string[] => (taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

describe('node lifecycle controller: node health', () => {
  test('a node whose Lease stops being renewed becomes Unknown after the grace period, with the unreachable taint', async () => {
    const { controller, clock, recording, nodes, leases } = setup();
    const t0 = clock.now();
    nodes.add(node('n1', 'True', t0));
    leases.add(lease('n1', t0));
    await controller.monitorNodeHealth();
    // The Lease is renewed 20 s in, then never again.
    await clock.step(20_000);
    leases.update(lease('n1', clock.now()));
    await controller.monitorNodeHealth();
    await clock.step(GRACE_MS);
    await controller.monitorNodeHealth();
    assert.equal(recording.statusUpdates.length, 0, 'still within the grace period of the last renewal');

    await clock.step(1_000);
    await controller.monitorNodeHealth();
    assert.equal(recording.statusUpdates.length, 1);
    const conditions = recording.statusUpdates[0]?.status?.conditions ?? [];
    for (const type of ['Ready', 'MemoryPressure']) {
      const condition = conditions.find((c) => c.type === type);
      assert.equal(condition?.status, 'Unknown', type);
      assert.equal(condition?.reason, 'NodeStatusUnknown');
      assert.equal(condition?.message, 'Kubelet stopped posting node status.');
      assert.equal(condition?.lastTransitionTime, formatTime(clock.now()));
    }
    for (const type of ['DiskPressure', 'PIDPressure']) assert.equal(conditions.find((c) => c.type === type)?.reason, 'NodeStatusNeverUpdated');
    assert.deepEqual(taintKeys(recording.taintPatches.at(-1)?.taints), [`${TAINT_NODE_UNREACHABLE}:NoExecute`, `${TAINT_NODE_UNREACHABLE}:NoSchedule`]);
  });

  test('a node that keeps posting status stays Ready without a Lease', async () => {
    const { controller, clock, recording, nodes } = setup();
    nodes.add(node('n1', 'True', clock.now()));
    for (let i = 0; i < 5; i++) {
      await controller.monitorNodeHealth();
      await clock.step(GRACE_MS / 2);
      nodes.update(node('n1', 'True', clock.now()));
    }
    assert.deepEqual(recording.statusUpdates, []);
    assert.deepEqual(recording.taintPatches, []);
  });

  test('a node reporting Ready False gets the not-ready taint and its pods are marked not ready', async () => {
    const { controller, clock, recording, nodes, pods } = setup();
    nodes.add(node('n1', 'False', clock.now()));
    pods.add(pod('p1', 'n1'));
    await controller.monitorNodeHealth();
    assert.deepEqual(recording.statusUpdates, [], 'a node that reports is not marked Unknown');
    assert.deepEqual(taintKeys(recording.taintPatches[0]?.taints), [`${TAINT_NODE_NOT_READY}:NoExecute`, `${TAINT_NODE_NOT_READY}:NoSchedule`]);
    assert.equal(recording.taintPatches[0]?.taints.find((t) => t.effect === 'NoExecute')?.timeAdded, formatTime(clock.now()));
  });

  test('an unreachable node that reports Ready False again has unreachable swapped for not-ready', async () => {
    const { controller, clock, recording, nodes } = setup();
    const unreachable: coreV1.Taint[] = [{ key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute', timeAdded: '2025-12-01T00:00:00Z' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    nodes.add(node('n1', 'False', clock.now(), unreachable));
    await controller.monitorNodeHealth();
    assert.deepEqual(taintKeys(recording.taintPatches[0]?.taints), ['dedicated:NoSchedule', `${TAINT_NODE_NOT_READY}:NoExecute`, `${TAINT_NODE_NOT_READY}:NoSchedule`]);
  });

  test('a node Ready again loses its not-ready and unreachable taints and keeps the others', async () => {
    const { controller, clock, recording, nodes } = setup();
    const taints: coreV1.Taint[] = [
      { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute', timeAdded: '2025-12-01T00:00:00Z' },
      { key: TAINT_NODE_UNREACHABLE, effect: 'NoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ];
    nodes.add(node('n1', 'True', clock.now(), taints));
    await controller.monitorNodeHealth();
    assert.deepEqual(recording.taintPatches, [{ name: 'n1', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }]);
  });

  test('a silent node that comes back is Ready without taints on the next pass', async () => {
    const { controller, clock, recording, nodes, leases } = setup();
    nodes.add(node('n1', 'True', clock.now()));
    leases.add(lease('n1', clock.now()));
    await controller.monitorNodeHealth();
    await clock.step(GRACE_MS + 1_000);
    await controller.monitorNodeHealth();
    assert.equal(nodes.getByKey('n1')?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'Unknown');
    // The kubelet posts Ready again, keeping the taints the controller wrote.
    const back = node('n1', 'True', clock.now(), structuredClone(nodes.getByKey('n1')?.spec?.taints) as coreV1.Taint[]);
    nodes.update(back);
    await controller.monitorNodeHealth();
    assert.deepEqual(nodes.getByKey('n1')?.spec?.taints, []);
    assert.equal(recording.statusUpdates.length, 1);
  });
});

describe('node lifecycle controller: taint-based eviction', () => {
  const tainted = (extra: coreV1.Taint[] = []): Node =>
    node('n1', 'Unknown', Date.UTC(2025, 11, 1), [{ key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute', timeAdded: '2025-12-01T00:00:00Z' }, ...extra]);

  test('a pod that does not tolerate a NoExecute taint is evicted at once', async () => {
    const { controller, clock, recording, nodes, pods } = setup();
    nodes.add(tainted([{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]));
    pods.add(pod('p1', 'n1', [unreachableFor(600)]));
    pods.add(pod('other', 'n2'));
    controller.taintEviction.processNode('n1');
    await clock.step(0);
    assert.deepEqual(recording.deletes, ['default/p1']);
  });

  test('a pod tolerating the unreachable taint for 30 seconds is evicted after 30 seconds', async () => {
    const { controller, clock, recording, nodes, pods } = setup();
    nodes.add(tainted());
    pods.add(pod('p1', 'n1', [unreachableFor(30)]));
    controller.taintEviction.processNode('n1');
    await clock.step(29_000);
    // A later event about the same pod does not restart its toleration.
    controller.taintEviction.processNode('n1');
    assert.deepEqual(recording.deletes, []);
    await clock.step(1_000);
    assert.deepEqual(recording.deletes, ['default/p1']);
  });

  test('a pod tolerating the taint without tolerationSeconds is never evicted', async () => {
    const { controller, clock, recording, nodes, pods } = setup();
    nodes.add(tainted());
    pods.add(pod('p1', 'n1', [unreachableFor()]));
    controller.taintEviction.processNode('n1');
    await clock.step(24 * 3600_000);
    assert.deepEqual(recording.deletes, []);
    assert.deepEqual(controller.taintEviction.scheduledKeys, []);
  });

  test('a pod without not-ready or unreachable tolerations is evicted after the default toleration', async () => {
    const { controller, clock, recording, nodes, pods } = setup({ defaultTolerationSeconds: 120 });
    nodes.add(tainted());
    pods.add(pod('p1', 'n1'));
    controller.taintEviction.processNode('n1');
    await clock.step(119_000);
    assert.deepEqual(recording.deletes, []);
    await clock.step(1_000);
    assert.deepEqual(recording.deletes, ['default/p1']);
  });

  test('a node that recovers before the toleration ends keeps its pods', async () => {
    const { controller, clock, recording, nodes, pods } = setup();
    nodes.add(tainted());
    pods.add(pod('p1', 'n1', [unreachableFor(30)]));
    controller.taintEviction.processNode('n1');
    await clock.step(10_000);
    nodes.update(node('n1', 'True', clock.now(), structuredClone(nodes.getByKey('n1')?.spec?.taints) as coreV1.Taint[]));
    await controller.monitorNodeHealth();
    assert.deepEqual(nodes.getByKey('n1')?.spec?.taints, []);
    await clock.step(60_000);
    assert.deepEqual(recording.deletes, []);
  });

  test('a node whose lease expires has its intolerant pods evicted in the same pass', async () => {
    const { controller, clock, recording, nodes, leases, pods } = setup();
    nodes.add(node('n1', 'True', clock.now()));
    leases.add(lease('n1', clock.now()));
    pods.add(pod('p1', 'n1', [unreachableFor(0)]));
    pods.add(pod('p2', 'n1', [unreachableFor(5)]));
    await controller.monitorNodeHealth();
    await clock.step(GRACE_MS + 1_000);
    await controller.monitorNodeHealth();
    await clock.step(0);
    assert.deepEqual(recording.deletes, ['default/p1']);
    assert.deepEqual(recording.podStatusUpdates.map((p) => `${p.metadata?.name ?? ''}:${p.status?.conditions?.[0]?.status ?? ''}`).sort(), ['p1:False', 'p2:False']);
    await clock.step(5_000);
    assert.deepEqual(recording.deletes, ['default/p1', 'default/p2']);
  });
});
