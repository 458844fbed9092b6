/**
 * The DaemonSet controller against a real in-process API server: it runs one pod per eligible node,
 * follows a new node and a relabelled one, reports status, and rolls pods to a new template. Nodes
 * are created directly; nothing schedules or runs pods, so the test reads a pod's node from its
 * node affinity and plays kubelet by marking pods Running and Ready through the status subresource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { coreV1 } from '../src/api/types/index.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { DaemonSetController, targetNodeName } from '../src/controllers/daemonset/index.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

type Pod = coreV1.Pod;

describe('DaemonSet controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      const controller = new DaemonSetController({ client, informers, logger: silentLogger });
      return [controller];
    });
  });

  after(() => cluster.close());

  const pods = () => client.typed('v1/Pod').namespace('default');
  const sets = () => client.typed('apps/v1/DaemonSet').namespace('default');
  const nodes = () => client.typed('v1/Node');

  /** The live daemon pods by target node, once they are exactly on `expected` nodes. */
  async function podsOn(expected: string[]): Promise<Map<string, Pod>> {
    return eventually(async () => {
      const live = (await pods().list()).items.filter((p) => p.metadata?.deletionTimestamp === undefined && p.metadata?.labels?.['app'] === 'agent');
      const byNode = new Map(live.map((p) => [targetNodeName(p) ?? '', p]));
      const names = [...byNode.keys()].sort();
      return live.length === expected.length && JSON.stringify(names) === JSON.stringify([...expected].sort()) ? byNode : undefined;
    }, `daemon pods on ${expected.join(', ')}`);
  }

  async function markReady(pod: Pod): Promise<void> {
    const current = await pods().get(pod.metadata?.name ?? '');
    current.status = { ...current.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] };
    await pods().updateStatus(current);
  }

  test('runs one pod per eligible node, follows node changes, reports status and rolls a new template', async () => {
    await nodes().create({ metadata: { name: 'n1', labels: { role: 'worker' } } });
    await nodes().create({ metadata: { name: 'n2', labels: { role: 'worker' } } });
    await nodes().create({ metadata: { name: 'n3', labels: { role: 'control' } } });
    await sets().create({
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'a', image: 'agent:1' }] } },
      },
    });
    let byNode = await podsOn(['n1', 'n2']);

    // A new eligible node gets a pod; a node relabelled out of the selector loses its pod.
    await nodes().create({ metadata: { name: 'n4', labels: { role: 'worker' } } });
    await podsOn(['n1', 'n2', 'n4']);
    await nodes().patch('n2', { metadata: { labels: { role: 'control' } } }, 'merge');
    byNode = await podsOn(['n1', 'n4']);

    for (const p of byNode.values()) await markReady(p);
    const status = await eventually(async () => {
      const s = (await sets().get('agent')).status;
      return s?.numberReady === 2 && s.desiredNumberScheduled === 2 && s.numberAvailable === 2 ? s : undefined;
    }, 'numberReady 2');
    assert.equal(status.currentNumberScheduled, 2);
    assert.equal(status.updatedNumberScheduled, 2);
    assert.equal(status.numberMisscheduled, 0);
    assert.equal(status.observedGeneration, (await sets().get('agent')).metadata?.generation);

    // A new template replaces the pods, one node at a time, as the test marks the new ones ready.
    const oldNames = new Set([...byNode.values()].map((p) => p.metadata?.name));
    await sets().patch('agent', { spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } } }, 'strategic');
    await eventually(async () => {
      const live = (await pods().list()).items.filter((p) => p.metadata?.deletionTimestamp === undefined && p.metadata?.labels?.['app'] === 'agent');
      for (const p of live) if (p.status?.phase !== 'Running') await markReady(p);
      const fresh = live.filter((p) => !oldNames.has(p.metadata?.name) && p.spec?.containers[0]?.image === 'agent:2');
      return fresh.length === 2 && live.length === 2 ? true : undefined;
    }, 'both pods replaced by the new template');
    await eventually(async () => ((await sets().get('agent')).status?.updatedNumberScheduled === 2 ? true : undefined), 'updatedNumberScheduled 2');
  });
});
