import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../api/json.js';
import type { coreV1 } from '../api/types/index.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { KubeClient } from '../client/kube-client.js';
import { FakeClock } from '../util/fake-clock.js';
import { silentLogger } from '../util/logger.js';
import { defaultPodStages } from './default-stages.js';
import { NODE_NAME_INDEX, PodRunner, type PodWriter } from './pod-runner.js';

/** Records the runner's writes instead of sending them. */
class RecordingWriter implements PodWriter {
  readonly actions: string[] = [];
  readonly patches: JsonObject[] = [];
  patchStatus(namespace: string, name: string, patch: JsonObject): Promise<void> {
    this.actions.push(`patch-status ${namespace}/${name}`);
    this.patches.push(patch);
    return Promise.resolve();
  }
  deleteNow(namespace: string, name: string, uid: string): Promise<void> {
    this.actions.push(`delete ${namespace}/${name} uid=${uid}`);
    return Promise.resolve();
  }
}

function setup(): { runner: PodRunner; writer: RecordingWriter; clock: FakeClock } {
  const clock = new FakeClock();
  const writer = new RecordingWriter();
  const runner = new PodRunner({
    // Never contacted: the test fills the cache and calls sync itself.
    client: new KubeClient({ server: 'http://127.0.0.1:9' }),
    writer,
    clock,
    logger: silentLogger,
    random: () => 0,
    stages: defaultPodStages({ readyDelayMs: 1000, readyJitterMs: 1000 }),
  });
  return { runner, writer, clock };
}

function pod(name: string, overrides: Partial<coreV1.Pod> = {}): coreV1.Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '10', ...overrides.metadata },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx' }], ...overrides.spec },
    status: { phase: 'Pending', ...overrides.status },
  };
}

test('a pending pod is made ready only once its stage delay has passed, with an IP of its node', async () => {
  const { runner, writer, clock } = setup();
  runner.informer.indexer.add(pod('a'));
  runner.addNode({ name: 'n1', podCIDR: '10.244.7.0/24', hostIP: '172.18.0.8' });
  await runner.sync('default/a');
  assert.deepEqual(writer.actions, [], 'nothing before the delay');
  await clock.step(1000);
  await runner.sync('default/a');
  assert.deepEqual(writer.actions, ['patch-status default/a']);
  const status = writer.patches[0]?.status as JsonObject;
  assert.equal(status.podIP, '10.244.7.2');
  assert.equal(status.hostIP, '172.18.0.8');
  assert.equal(runner.freeAddresses('n1'), 252);
});

test('a stage is not applied twice to the same resourceVersion of a pod', async () => {
  const { runner, writer, clock } = setup();
  runner.informer.indexer.add(pod('a'));
  runner.addNode({ name: 'n1', podCIDR: '10.244.7.0/24', hostIP: '172.18.0.8' });
  await runner.sync('default/a');
  await clock.step(5000);
  await runner.sync('default/a');
  await runner.sync('default/a');
  assert.deepEqual(writer.actions, ['patch-status default/a']);
});

test('pods of nodes the runner does not manage are left alone', async () => {
  const { runner, writer, clock } = setup();
  runner.informer.indexer.add(pod('elsewhere', { spec: { nodeName: 'other', containers: [{ name: 'app', image: 'nginx' }] } }));
  runner.addNode({ name: 'n1', podCIDR: '10.244.7.0/24', hostIP: '172.18.0.8' });
  await clock.step(5000);
  await runner.sync('default/elsewhere');
  assert.deepEqual(writer.actions, []);
});

test('a deleting pod is deleted for good once its deletionTimestamp has passed', async () => {
  const { runner, writer, clock } = setup();
  const deadline = new Date(clock.now() + 30_000).toISOString();
  runner.informer.indexer.add(pod('b', { metadata: { name: 'b', namespace: 'default', uid: 'uid-b', resourceVersion: '11', deletionTimestamp: deadline }, status: { phase: 'Running', podIP: '10.244.7.9' } }));
  runner.addNode({ name: 'n1', podCIDR: '10.244.7.0/24', hostIP: '172.18.0.8' });
  assert.equal(runner.freeAddresses('n1'), 252, 'the running pod\'s address is reserved');
  await runner.sync('default/b');
  await clock.step(29_000);
  await runner.sync('default/b');
  assert.deepEqual(writer.actions, []);
  await clock.step(1000);
  await runner.sync('default/b');
  assert.deepEqual(writer.actions, ['delete default/b uid=uid-b']);
});

test('on a factory shared with controllers, the runner drives its nodes\' pods from their pods informer and passes over unbound ones', async () => {
  const clock = new FakeClock();
  const writer = new RecordingWriter();
  // Never contacted: the test fills the cache and calls sync itself.
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client, { clock, logger: silentLogger });
  // The node lifecycle controller indexes the shared pods informer by node first, under the same name.
  const shared = informers.typed('v1/Pod', { indexers: { [NODE_NAME_INDEX]: (p) => [p.spec?.nodeName ?? ''] } });
  const runner = new PodRunner({ client, writer, clock, logger: silentLogger, random: () => 0, informers, stages: defaultPodStages({ readyDelayMs: 1000, readyJitterMs: 1000 }) });
  assert.equal(runner.informer, shared, 'one pods informer for controllers and nodes');
  shared.indexer.add(pod('bound'));
  shared.indexer.add({ ...pod('unbound'), spec: { containers: [{ name: 'app', image: 'nginx' }] } });
  runner.addNode({ name: 'n1', podCIDR: '10.244.7.0/24', hostIP: '172.18.0.8' });
  for (let pass = 0; pass < 2; pass++) {
    await runner.sync('default/bound');
    await runner.sync('default/unbound');
    await clock.step(5000);
  }
  assert.deepEqual(writer.actions, ['patch-status default/bound']);
});
