import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../util/fake-clock.js';
import { SchedulerCache } from './cache.js';
import { makeNode, makePod } from './fixtures.js';

test('an assumed pod counts on its node at once and is confirmed by the informer', () => {
  const cache = new SchedulerCache({ clock: new FakeClock() });
  cache.addNode(makeNode('n'));
  const pod = makePod('p', { cpu: '1', nodeName: 'n' });
  cache.assumePod(pod);
  assert.equal(cache.nodeInfo('n')?.requested.milliCPU, 1000);
  assert.equal(cache.isAssumed(pod), true);
  cache.finishBinding(pod);
  cache.addPod(pod);
  assert.equal(cache.isAssumed(pod), false);
  assert.equal(cache.nodeInfo('n')?.requested.milliCPU, 1000, 'confirmation does not count the pod twice');
});

test('a forgotten assumption frees the node', () => {
  const cache = new SchedulerCache({ clock: new FakeClock() });
  cache.addNode(makeNode('n'));
  const pod = makePod('p', { cpu: '1', nodeName: 'n' });
  cache.assumePod(pod);
  cache.forgetPod(pod);
  assert.equal(cache.nodeInfo('n')?.requested.milliCPU, 0);
  assert.equal(cache.nodeInfo('n')?.pods.size, 0);
});

test('an assumption never confirmed expires 30 s after its binding finished', async () => {
  const clock = new FakeClock();
  const cache = new SchedulerCache({ clock });
  cache.addNode(makeNode('n'));
  const pod = makePod('p', { cpu: '1', nodeName: 'n' });
  cache.assumePod(pod);
  await clock.step(60_000);
  assert.equal(cache.cleanupAssumedPods(), 0, 'a binding still in flight never expires');
  cache.finishBinding(pod);
  await clock.step(29_999);
  assert.equal(cache.cleanupAssumedPods(), 0);
  await clock.step(1);
  assert.equal(cache.cleanupAssumedPods(), 1);
  assert.equal(cache.nodeInfo('n')?.requested.milliCPU, 0);
});

test('a pod confirmed on another node than assumed moves there', () => {
  const cache = new SchedulerCache({ clock: new FakeClock() });
  cache.addNode(makeNode('a'));
  cache.addNode(makeNode('b'));
  cache.assumePod(makePod('p', { cpu: '1', nodeName: 'a' }));
  cache.addPod(makePod('p', { cpu: '1', nodeName: 'b' }));
  assert.equal(cache.nodeInfo('a')?.requested.milliCPU, 0);
  assert.equal(cache.nodeInfo('b')?.requested.milliCPU, 1000);
});

test('removing a node keeps the other nodes walkable', () => {
  const cache = new SchedulerCache({ clock: new FakeClock() });
  for (const n of ['a', 'b', 'c']) cache.addNode(makeNode(n));
  cache.removeNode('a');
  assert.deepEqual([...cache.nodeNames].sort(), ['b', 'c']);
  assert.equal(cache.nodeInfo('a'), undefined);
  cache.addNode(makeNode('a'));
  assert.equal(cache.nodeCount, 3);
});
