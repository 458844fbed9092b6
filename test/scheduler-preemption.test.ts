/**
 * Scheduler preemption against a real in-process API server: a high-priority pod that fits nowhere
 * makes room by evicting lower-priority pods (DisruptionTarget condition, graceful delete, a
 * `Preempted` event in upstream's words), is nominated to the node, and is bound there once the
 * victims are gone.
 */
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { after, before, describe, test } from 'node:test';
import type { coreV1 } from '../src/api/types/index.js';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import { isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { makeNode, makePod } from '../src/controllers/scheduler/fixtures.js';
import { Scheduler } from '../src/controllers/scheduler/scheduler.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { eventually } from './support/eventually.js';

/** The PriorityClass each test priority comes from (the API server's Priority admission sets spec.priority). */
const priorityClass = (priority: number): string => `test-priority-${priority}`;

/** A pod pinned by nodeSelector to `node`, with a priority and a grace period. */
function podOn(name: string, node: string, priority: number, cpu: string, gracePeriod: number): coreV1.Pod {
  return makePod(name, { cpu, spec: { priorityClassName: priorityClass(priority), terminationGracePeriodSeconds: gracePeriod, nodeSelector: { 'kubernetes.io/hostname': node } } });
}

describe('scheduler preemption', () => {
  let env: ClientEnv;
  let client: KubeClient;
  let stop: AbortController;
  let running: Promise<void>;

  const pods = () => client.typed('v1/Pod').namespace('default');
  const boundNode = (name: string) =>
    eventually(async () => {
      const pod = await pods().get(name);
      return (pod.spec?.nodeName ?? '') === '' ? undefined : pod.spec?.nodeName;
    }, `pod ${name} to be bound`);

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
    for (const value of [1, 2, 1000]) await client.typed('scheduling.k8s.io/v1/PriorityClass').create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: priorityClass(value) }, value });
    for (const name of ['fast', 'slow']) await client.typed('v1/Node').create(makeNode(name, { cpu: '2', memory: '4Gi' }));
    const informers = new SharedInformerFactory(client, { logger: silentLogger });
    const scheduler = new Scheduler({ client, informers, logger: silentLogger });
    stop = new AbortController();
    setMaxListeners(50, stop.signal);
    running = scheduler.run(stop.signal);
  });

  after(async () => {
    stop.abort();
    await running;
    await env.close();
  });

  test('a high-priority pod evicts just enough lower-priority pods and is bound once they are gone', async () => {
    await pods().create(podOn('low-1', 'fast', 1, '1', 0));
    await pods().create(podOn('low-2', 'fast', 2, '1', 0));
    assert.equal(await boundNode('low-1'), 'fast');
    assert.equal(await boundNode('low-2'), 'fast');

    const important = await pods().create(podOn('important', 'fast', 1000, '1', 0));
    assert.equal(await boundNode('important'), 'fast');
    // The least important pod went; the other was reprieved.
    await eventually(async () => pods().get('low-1').then(() => undefined, (e: unknown) => (isNotFound(e) ? true : undefined)), 'low-1 to be deleted');
    assert.equal((await pods().get('low-2')).spec?.nodeName, 'fast');
    const preempted = await eventually(async () => {
      const events = await client.typed('v1/Event').namespace('default').list();
      return events.items.find((e) => e.involvedObject.name === 'low-1' && e.reason === 'Preempted');
    }, 'a Preempted event');
    assert.equal(preempted.type, 'Normal');
    assert.equal(preempted.message, `Preempted by pod ${important.metadata?.uid ?? ''} on node fast`);
  });

  test('while a victim terminates gracefully the preemptor stays nominated to its node and the victim carries DisruptionTarget', async () => {
    await pods().create(podOn('lingering', 'slow', 1, '2', 30));
    assert.equal(await boundNode('lingering'), 'slow');
    await pods().create(podOn('waiting', 'slow', 1000, '1', 0));
    const nominated = await eventually(async () => (await pods().get('waiting')).status?.nominatedNodeName, 'waiting to be nominated');
    assert.equal(nominated, 'slow');
    const victim = await pods().get('lingering');
    assert.notEqual(victim.metadata?.deletionTimestamp, undefined);
    const condition = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(condition?.status, 'True');
    assert.equal(condition.reason, 'PreemptionByScheduler');
    assert.equal(condition.message, 'default-scheduler: preempting to accommodate a higher priority pod');
    const waiting = await pods().get('waiting');
    assert.equal(waiting.spec?.nodeName, undefined);
    assert.equal(waiting.status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason, 'Unschedulable');
  });
});
