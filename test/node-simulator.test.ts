/**
 * Simulated nodes against a real in-process API server: registration, Lease heartbeats, pods moved
 * through the default stages (ready, complete, graceful delete), and a node that stops heartbeating.
 * Intervals are shortened through options so the test runs on the real clock in well under a second
 * per step; assertions poll for state, never for durations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeClient } from '../src/client/kube-client.js';
import { defaultPodStages } from '../src/node/default-stages.js';
import { cidrContains, parseCidr, parseIpv4 } from '../src/node/ip-allocator.js';
import { NodeSimulator } from '../src/node/node-simulator.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { eventually } from './support/eventually.js';

describe('simulated nodes', () => {
  let env: ClientEnv;
  let client: KubeClient;
  let simulator: NodeSimulator;
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
    simulator = new NodeSimulator({
      client,
      count: 3,
      namePrefix: 'sim-',
      leaseRenewIntervalMs: 50,
      logger: silentLogger,
      stages: defaultPodStages({ readyDelayMs: 0, readyJitterMs: 0, completeDelayMs: 20, completeJitterMs: 0 }),
    });
    running = simulator.run(stop.signal);
  });

  after(async () => {
    stop.abort();
    await running;
    await env.close();
  });

  const renewTime = async (name: string): Promise<string> =>
    (await client.typed('coordination.k8s.io/v1/Lease').namespace('kube-node-lease').get(name)).spec?.renewTime ?? '';

  test('a simulator with 3 nodes registers 3 Ready nodes with capacity, labels, addresses and pod CIDRs', async () => {
    const nodes = await eventually(async () => {
      const list = await client.typed('v1/Node').list();
      const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === 3 ? ready : undefined;
    }, 'three Ready nodes');
    assert.deepEqual(nodes.map((n) => n.metadata?.name).sort(), ['sim-0', 'sim-1', 'sim-2']);
    const node = nodes.find((n) => n.metadata?.name === 'sim-1');
    assert.equal(node?.metadata?.labels?.['kubernetes.io/hostname'], 'sim-1');
    assert.equal(node?.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(node?.metadata?.labels?.['topology.kubernetes.io/zone'], 'zone-b');
    assert.equal(node?.status?.capacity?.pods, '110');
    assert.equal(node?.status?.allocatable?.cpu, '32');
    assert.equal(node?.spec?.podCIDR, '10.244.1.0/24');
    assert.deepEqual(node?.status?.addresses?.map((a) => a.type), ['InternalIP', 'Hostname']);
    assert.equal(node?.status?.nodeInfo?.kubeletVersion, 'v1.32.0-kubelite');
    assert.deepEqual(node?.status?.conditions?.map((c) => c.type).sort(), ['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
  });

  test('each node holds a Lease in kube-node-lease that it keeps renewing', async () => {
    const leases = await eventually(async () => {
      const list = await client.typed('coordination.k8s.io/v1/Lease').namespace('kube-node-lease').list();
      return list.items.length === 3 ? list.items : undefined;
    }, 'three leases');
    for (const lease of leases) {
      assert.equal(lease.spec?.holderIdentity, lease.metadata?.name);
      assert.equal(lease.spec?.leaseDurationSeconds, 40);
      assert.equal(lease.metadata?.ownerReferences?.[0]?.kind, 'Node');
    }
    const first = await renewTime('sim-0');
    await eventually(async () => ((await renewTime('sim-0')) !== first ? true : undefined), 'a renewal of sim-0');
  });

  test('a pod bound to a node goes Running with a pod IP from that node\'s pod CIDR and Ready conditions', async () => {
    const pods = client.typed('v1/Pod').namespace('default');
    await pods.create({ metadata: { name: 'web' }, spec: { nodeName: 'sim-2', containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    const pod = await eventually(async () => {
      const p = await pods.get('web');
      return p.status?.phase === 'Running' ? p : undefined;
    }, 'web to run');
    const cidr = parseCidr('10.244.2.0/24');
    assert.ok(cidrContains(cidr, parseIpv4(pod.status?.podIP ?? '')), `podIP ${pod.status?.podIP} is in 10.244.2.0/24`);
    assert.deepEqual(pod.status?.podIPs, [{ ip: pod.status?.podIP }]);
    assert.equal(pod.status?.hostIP, '172.18.0.3');
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
      assert.equal(pod.status?.conditions?.find((c) => c.type === type)?.status, 'True', `${type} is True`);
    }
    const container = pod.status?.containerStatuses?.[0];
    assert.equal(container?.ready, true);
    assert.equal(container?.started, true);
    assert.ok(container?.state?.running?.startedAt !== undefined);
  });

  test('a deleted pod is removed once its grace period has run out', async () => {
    const pods = client.typed('v1/Pod').namespace('default');
    await pods.create({ metadata: { name: 'leaving' }, spec: { nodeName: 'sim-0', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await eventually(async () => ((await pods.get('leaving')).status?.phase === 'Running' ? true : undefined), 'leaving to run');
    await pods.delete('leaving');
    const graceful = await pods.get('leaving');
    assert.ok(graceful.metadata?.deletionTimestamp !== undefined, 'the API server keeps the pod for its grace period');
    await eventually(async () => {
      try {
        await pods.get('leaving');
        return undefined;
      } catch (error) {
        return (error as { code?: number }).code === 404 ? true : undefined;
      }
    }, 'leaving to be gone');
  });

  test('a pod with restartPolicy Never owned by a Job completes', async () => {
    const pods = client.typed('v1/Pod').namespace('default');
    await pods.create({
      metadata: { name: 'job-pod', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'job', uid: '6f1c1a52-1f1b-4d7e-9c3f-2b7a0f6d9a11', controller: true }] },
      spec: { nodeName: 'sim-1', restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36' }] },
    });
    const pod = await eventually(async () => {
      const p = await pods.get('job-pod');
      return p.status?.phase === 'Succeeded' ? p : undefined;
    }, 'job-pod to succeed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  });

  test('stopHeartbeat stops the lease renewals of that node only', async () => {
    simulator.stopHeartbeat('sim-2');
    // A renewal already in flight may still land: wait until sim-0 has renewed twice more.
    for (let i = 0; i < 2; i++) {
      const before = await renewTime('sim-0');
      await eventually(async () => ((await renewTime('sim-0')) !== before ? true : undefined), 'a renewal of sim-0');
    }
    const frozen = await renewTime('sim-2');
    for (let i = 0; i < 3; i++) {
      const before = await renewTime('sim-0');
      await eventually(async () => ((await renewTime('sim-0')) !== before ? true : undefined), 'a renewal of sim-0');
    }
    assert.equal(await renewTime('sim-2'), frozen, 'sim-2 renewed no more');
    simulator.resumeHeartbeat('sim-2');
    await eventually(async () => ((await renewTime('sim-2')) !== frozen ? true : undefined), 'sim-2 to renew again');
  });
});
