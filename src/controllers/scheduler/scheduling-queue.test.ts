import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../util/fake-clock.js';
import { makePod } from './fixtures.js';
import { SchedulingQueue } from './scheduling-queue.js';

const FIT = new Set(['NodeResourcesFit']);

test('activeQ pops higher priority first, then the pod that waited longest', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  queue.add(makePod('low-old'));
  await clock.step(1);
  queue.add(makePod('high', { spec: { priority: 10 } }));
  await clock.step(1);
  queue.add(makePod('low-new'));
  const order = [queue.popNow(), queue.popNow(), queue.popNow()].map((i) => i?.pod.metadata?.name);
  assert.deepEqual(order, ['high', 'low-old', 'low-new']);
});

test('a pod that failed by error backs off 1 s, then doubles per attempt up to 10 s', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => queue.backoffDuration(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  queue.add(makePod('p'));
  const info = queue.popNow();
  assert.ok(info);
  queue.addUnschedulableIfNotPresent(info, new Set(), queue.schedulingCycle);
  assert.equal(queue.whereIs(info.pod), 'backoff');
  await clock.step(999);
  queue.flushBackoffQCompleted();
  assert.equal(queue.whereIs(info.pod), 'backoff');
  await clock.step(1);
  queue.flushBackoffQCompleted();
  assert.equal(queue.whereIs(info.pod), 'active');
});

test('an unschedulable pod waits until a node is added, then is retried after its backoff', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  const stop = new AbortController();
  const running = queue.run(stop.signal);
  queue.add(makePod('p'));
  const info = await queue.pop();
  assert.ok(info);
  queue.addUnschedulableIfNotPresent(info, FIT, queue.schedulingCycle);
  assert.equal(queue.whereIs(info.pod), 'unschedulable');
  await clock.step(5000);
  assert.equal(queue.whereIs(info.pod), 'unschedulable', 'backoff flushes leave unschedulable pods alone');
  queue.moveAllToActiveOrBackoffQueue('NodeAdd');
  assert.equal(queue.whereIs(info.pod), 'active');
  const again = await queue.pop();
  assert.equal(again?.pod.metadata?.name, 'p');
  assert.equal(again?.attempts, 2);
  stop.abort();
  await running;
});

test('a node event during a pod backoff sends it to backoffQ, not straight to activeQ', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  queue.add(makePod('p'));
  const info = queue.popNow();
  assert.ok(info);
  queue.addUnschedulableIfNotPresent(info, FIT, queue.schedulingCycle);
  await clock.step(200);
  queue.moveAllToActiveOrBackoffQueue('NodeUpdate');
  assert.equal(queue.whereIs(info.pod), 'backoff');
});

test('a bound pod appearing re-queues only pods rejected for pod affinity or spreading', () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  queue.add(makePod('resources'));
  queue.add(makePod('affinity'));
  const a = queue.popNow();
  const b = queue.popNow();
  assert.ok(a && b);
  const cycle = queue.schedulingCycle;
  queue.addUnschedulableIfNotPresent(a, FIT, cycle);
  queue.addUnschedulableIfNotPresent(b, new Set(['InterPodAffinity']), cycle);
  queue.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
  assert.equal(queue.whereIs(a.pod), 'unschedulable');
  assert.equal(queue.whereIs(b.pod), 'backoff');
});

test('a move request during a pod attempt sends its failure to backoffQ so the event is not lost', () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  queue.add(makePod('p'));
  const info = queue.popNow();
  assert.ok(info);
  const cycle = queue.schedulingCycle;
  queue.moveAllToActiveOrBackoffQueue('NodeAdd');
  queue.addUnschedulableIfNotPresent(info, FIT, cycle);
  assert.equal(queue.whereIs(info.pod), 'backoff');
});

test('pods unschedulable for more than 5 minutes are flushed back', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  const stop = new AbortController();
  const running = queue.run(stop.signal);
  queue.add(makePod('p'));
  const info = queue.popNow();
  assert.ok(info);
  queue.addUnschedulableIfNotPresent(info, FIT, queue.schedulingCycle);
  await clock.step(299_000);
  assert.equal(queue.whereIs(info.pod), 'unschedulable');
  await clock.step(31_000);
  assert.equal(queue.whereIs(info.pod), 'active');
  stop.abort();
  await running;
});

test('changing an unschedulable pod retries it; deleting it removes it', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  const pod = makePod('p');
  queue.add(pod);
  const info = queue.popNow();
  assert.ok(info);
  queue.addUnschedulableIfNotPresent(info, FIT, queue.schedulingCycle);
  await clock.step(2000);
  queue.update(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: '9' } });
  assert.equal(queue.whereIs(pod), 'unschedulable', 'a resourceVersion bump alone is no reason');
  queue.update(pod, makePod('p', { cpu: '10m' }));
  assert.equal(queue.whereIs(pod), 'active');
  queue.delete(pod);
  assert.equal(queue.whereIs(pod), undefined);
});

test('pop waits for a pod and resolves undefined once the queue closes', async () => {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  const waiting = queue.pop();
  queue.add(makePod('later'));
  assert.equal((await waiting)?.pod.metadata?.name, 'later');
  const closed = queue.pop();
  queue.close();
  assert.equal(await closed, undefined);
});
