/**
 * The node lifecycle controller against a real in-process API server and two simulated nodes, with
 * short periods (grace 2 s, checks every 100 ms) on the real clock: a node that stops heartbeating
 * becomes Unknown with the unreachable taints and its pod is evicted, while the other node stays
 * Ready and keeps its pod. Assertions poll for state with a generous cap, never for durations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { coreV1 } from '../src/api/types/index.js';
import { isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { NodeLifecycleController } from '../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../src/controllers/node-lifecycle/taints.js';
import { NodeSimulator } from '../src/node/node-simulator.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

const ready = (node: coreV1.Node): string | undefined => node.status?.conditions?.find((c) => c.type === 'Ready')?.status;

describe('node lifecycle controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;
  let simulator: NodeSimulator;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      simulator = new NodeSimulator({ client, count: 2, namePrefix: 'node-', leaseRenewIntervalMs: 100, logger: silentLogger });
      const controller = new NodeLifecycleController({
        client,
        informers,
        logger: silentLogger,
        nodeMonitorPeriodMs: 100,
        nodeMonitorGracePeriodMs: 2_000,
        defaultTolerationSeconds: 1,
      });
      return [simulator, controller];
    });
  });

  after(() => cluster.close());

  const nodes = () => client.typed('v1/Node');
  const pods = () => client.typed('v1/Pod').namespace('default');

  test('a node that stops heartbeating becomes Unknown with the unreachable taint and its pod is evicted', async () => {
    await eventually(async () => {
      const list = await nodes().list();
      return list.items.filter((n) => ready(n) === 'True').length === 2 ? true : undefined;
    }, 'two Ready nodes');
    // The API server's DefaultTolerationSeconds admission would give 300 s; tolerate for 1 s instead.
    const tolerations: coreV1.Toleration[] = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }));
    for (const [name, nodeName] of [['doomed', 'node-0'], ['safe', 'node-1']] as const) {
      await pods().create({ metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
    }

    simulator.stopHeartbeat('node-0');

    const dead = await eventually(async () => {
      const node = await nodes().get('node-0');
      return ready(node) === 'Unknown' && node.spec?.taints?.some((t) => t.key === TAINT_NODE_UNREACHABLE && t.effect === 'NoExecute') === true ? node : undefined;
    }, 'node-0 Unknown with the unreachable taint');
    const condition = dead.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(condition?.reason, 'NodeStatusUnknown');
    assert.equal(condition?.message, 'Kubelet stopped posting node status.');

    // Evicted: deleted (a dead kubelet never finishes the graceful deletion, so it may stay Terminating).
    await eventually(async () => {
      try {
        const pod = await pods().get('doomed');
        return pod.metadata?.deletionTimestamp === undefined ? undefined : true;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    }, 'the pod on node-0 to be deleted');

    const alive = await nodes().get('node-1');
    assert.equal(ready(alive), 'True');
    assert.deepEqual(alive.spec?.taints ?? [], []);
    const safe = await pods().get('safe');
    assert.equal(safe.metadata?.deletionTimestamp, undefined);
  });

  test('a node that resumes heartbeating is Ready again and loses its taints', async () => {
    simulator.resumeHeartbeat('node-0');
    await eventually(async () => {
      const node = await nodes().get('node-0');
      return ready(node) === 'True' && (node.spec?.taints ?? []).length === 0 ? node : undefined;
    }, 'node-0 Ready without taints');
  });
});
