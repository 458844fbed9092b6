/**
 * Scheduler unit tests: one scheduleOne against a preloaded cache and pod informer store, with a
 * PodWriter and an event sink that record what the scheduler did — here, preemption's writes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1, policyV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import type { PodScheduledCondition, PodWriter } from './binder.js';
import { makeNode, makePod } from './fixtures.js';
import type { Pod } from './resources.js';
import { type EventSink, Scheduler } from './scheduler.js';

class RecordingWriter implements PodWriter {
  readonly actions: string[] = [];
  readonly conditions: PodScheduledCondition[] = [];
  async bind(pod: Pod, nodeName: string): Promise<void> {
    this.actions.push(`bind ${pod.metadata?.name ?? ''} ${nodeName}`);
  }
  async setPodScheduledCondition(pod: Pod, condition: PodScheduledCondition, _now: string, nominatedNodeName?: string): Promise<void> {
    this.conditions.push(condition);
    this.actions.push(`condition ${pod.metadata?.name ?? ''} ${condition.reason}${nominatedNodeName === undefined ? '' : ` nominated=${nominatedNodeName}`}`);
  }
  async setNominatedNodeName(pod: Pod, nodeName: string): Promise<void> {
    this.actions.push(`nominate ${pod.metadata?.name ?? ''} '${nodeName}'`);
  }
  async setDisruptionTarget(pod: Pod, message: string): Promise<void> {
    this.actions.push(`disruption ${pod.metadata?.name ?? ''} ${message}`);
  }
  async deletePod(pod: Pod): Promise<void> {
    this.actions.push(`delete ${pod.metadata?.name ?? ''}`);
  }
}

class RecordingEvents implements EventSink {
  readonly events: string[] = [];
  event(object: DeepReadonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push(`${object.metadata?.name ?? ''} ${type} ${reason}: ${message}`);
  }
}

function setup(nodes: coreV1.Node[], pods: coreV1.Pod[], pdbs: policyV1.PodDisruptionBudget[] = []) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client, { logger: silentLogger });
  const writer = new RecordingWriter();
  const recorder = new RecordingEvents();
  const scheduler = new Scheduler({ client, informers, logger: silentLogger, clock: new FakeClock(), podWriter: writer, recorder, random: () => 0 });
  const store = informers.typed('v1/Pod').indexer;
  for (const pdb of pdbs) informers.typed('policy/v1/PodDisruptionBudget').indexer.add(pdb);
  for (const n of nodes) scheduler.cache.addNode(n);
  for (const p of pods) {
    store.add(p);
    if ((p.spec?.nodeName ?? '') !== '') scheduler.cache.addPod(p);
    else scheduler.queue.add(p);
  }
  const scheduleNext = async (): Promise<void> => {
    const info = scheduler.queue.popNow();
    assert.ok(info !== undefined, 'a pod to schedule');
    await scheduler.scheduleOne(info);
  };
  return { scheduler, writer, recorder, scheduleNext };
}

function withPriority(name: string, priority: number, cpu: string, extra: { nodeName?: string; preemptionPolicy?: 'Never' | 'PreemptLowerPriority'; nominatedNodeName?: string } = {}): coreV1.Pod {
  const spec: Partial<coreV1.PodSpec> = { priority };
  if (extra.nodeName !== undefined) spec.nodeName = extra.nodeName;
  if (extra.preemptionPolicy !== undefined) spec.preemptionPolicy = extra.preemptionPolicy;
  const pod = makePod(name, { cpu, spec });
  if (extra.nominatedNodeName !== undefined) pod.status = { nominatedNodeName: extra.nominatedNodeName };
  return pod;
}

describe('scheduler preemption', () => {
  test('a pod that fits nowhere evicts a lower-priority pod and is nominated to its node', async () => {
    const { scheduler, writer, recorder, scheduleNext } = setup([makeNode('a', { cpu: '2' })], [withPriority('low', 1, '2', { nodeName: 'a' }), withPriority('high', 100, '1')]);
    await scheduleNext();
    assert.deepEqual(writer.actions, ['disruption low default-scheduler: preempting to accommodate a higher priority pod', 'delete low', 'condition high Unschedulable nominated=a']);
    assert.deepEqual(recorder.events, ['low Normal Preempted: Preempted by pod uid-high on node a', 'high Warning FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu.']);
    assert.equal(scheduler.nominator.nominatedNodeName(withPriority('high', 100, '1')), 'a');
    assert.equal(scheduler.queue.whereIs(withPriority('high', 100, '1')), 'unschedulable');
  });

  test('a pod with preemptionPolicy Never evicts nothing and says so, the message ending as upstream\'s with " %v."', async () => {
    const { writer, recorder, scheduleNext } = setup([makeNode('a', { cpu: '2' })], [withPriority('low', 1, '2', { nodeName: 'a' }), withPriority('polite', 100, '1', { preemptionPolicy: 'Never' })]);
    await scheduleNext();
    assert.deepEqual(writer.actions, ['condition polite Unschedulable']);
    assert.deepEqual(recorder.events, ['polite Warning FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..']);
  });

  test('a pod of equal priority evicts nothing: no preemption victims found', async () => {
    const { writer, recorder, scheduleNext } = setup([makeNode('a', { cpu: '2' })], [withPriority('peer', 5, '2', { nodeName: 'a' }), withPriority('p', 5, '1')]);
    await scheduleNext();
    assert.deepEqual(writer.actions, ['condition p Unschedulable']);
    assert.deepEqual(recorder.events, ['p Warning FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..']);
  });

  test('less important pods cannot take the room kept for a nominated pod; the nominated pod gets it', async () => {
    const mid = withPriority('mid', 50, '1');
    const { scheduler, writer, scheduleNext } = setup([makeNode('a', { cpu: '2' })], [withPriority('low', 1, '2', { nodeName: 'a' }), withPriority('high', 100, '2'), mid]);
    await scheduleNext();
    assert.equal(writer.actions.at(-1), 'condition high Unschedulable nominated=a');
    // The victim is gone; the mid-priority pod is tried before the nominated pod is retried.
    scheduler.cache.removePod(withPriority('low', 1, '2', { nodeName: 'a' }));
    writer.actions.length = 0;
    await scheduleNext();
    assert.deepEqual(writer.actions, ['condition mid Unschedulable']);
    scheduler.queue.add(withPriority('high', 100, '2'));
    await scheduleNext();
    assert.equal(writer.actions.at(-1), 'bind high a');
    assert.equal(scheduler.nominator.size, 0);
  });

  test('a less important pod nominated to the chosen node loses its nomination', async () => {
    const waiting = withPriority('waiting', 3, '1', { nominatedNodeName: 'a' });
    const { scheduler, writer, scheduleNext } = setup([makeNode('a', { cpu: '2' })], [withPriority('low', 1, '2', { nodeName: 'a' }), withPriority('high', 100, '2')]);
    scheduler.nominator.addNominatedPod(waiting);
    await scheduleNext();
    assert.ok(writer.actions.includes("nominate waiting ''"), writer.actions.join('; '));
    assert.equal(scheduler.nominator.nominatedNodeName(waiting), undefined);
  });

  test('a node whose victim a PodDisruptionBudget protects is passed over for one whose victim it does not', async () => {
    const guarded = withPriority('guarded', 1, '2', { nodeName: 'a' });
    guarded.metadata = { ...guarded.metadata, labels: { app: 'db' } };
    const pdb: policyV1.PodDisruptionBudget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } };
    const { writer, scheduleNext } = setup([makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })], [guarded, withPriority('free', 1, '2', { nodeName: 'b' }), withPriority('high', 100, '2')], [pdb]);
    await scheduleNext();
    assert.deepEqual(writer.actions.filter((a) => a.startsWith('delete') || a.includes('nominated')), ['delete free', 'condition high Unschedulable nominated=b']);
  });

  test('a victim already being deleted still gets the DisruptionTarget condition and the delete', async () => {
    const terminating = withPriority('terminating', 1, '2', { nodeName: 'a' });
    terminating.metadata = { ...terminating.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' };
    const { writer, recorder, scheduleNext } = setup([makeNode('a', { cpu: '2' })], [terminating, withPriority('high', 100, '1')]);
    await scheduleNext();
    assert.deepEqual(writer.actions, ['disruption terminating default-scheduler: preempting to accommodate a higher priority pod', 'delete terminating', 'condition high Unschedulable nominated=a']);
    assert.deepEqual(recorder.events.slice(0, 1), ['terminating Normal Preempted: Preempted by pod uid-high on node a']);
  });

  test('an error thrown while preempting fails that pod\'s PostFilter, leaves its nomination, and the next pod is still scheduled', async () => {
    const { scheduler, writer, recorder, scheduleNext } = setup([makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '1' })], [withPriority('low', 1, '2', { nodeName: 'a' }), withPriority('high', 100, '2'), withPriority('small', 0, '1')]);
    scheduler.nominator.nominatedPodsForNode = () => {
      throw new Error('nominator is broken');
    };
    await scheduleNext();
    assert.deepEqual(writer.actions, ['condition high Unschedulable']);
    assert.deepEqual(recorder.events, ['high Warning FailedScheduling: 0/2 nodes are available: 2 Insufficient cpu. preemption: nominator is broken.']);
    assert.equal(scheduler.queue.whereIs(withPriority('high', 100, '2')), 'unschedulable');
    await scheduleNext();
    assert.equal(writer.actions.at(-1), 'bind small b');
  });
});
