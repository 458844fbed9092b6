import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { InMemoryWorkQueueMetrics, renderWorkQueueMetrics } from './metrics.js';
import { WorkQueue } from './queue.js';

function setup(): { clock: FakeClock; metrics: InMemoryWorkQueueMetrics; queue: WorkQueue<string> } {
  const clock = new FakeClock();
  const metrics = new InMemoryWorkQueueMetrics({ name: 'replicaset', clock });
  return { clock, metrics, queue: new WorkQueue<string>({ clock, metrics }) };
}

test('adds and depth count real adds only, not adds collapsed into a waiting item', () => {
  const { metrics, queue } = setup();
  queue.add('a');
  queue.add('a');
  queue.add('b');
  assert.equal(metrics.adds, 2);
  assert.equal(metrics.depth, 2);
});

test('queue latency runs from the add that made the item dirty, not from collapsed adds', async () => {
  const { clock, metrics, queue } = setup();
  queue.add('a');
  await clock.step(1500);
  queue.add('a');
  await clock.step(500);
  await queue.get();
  assert.equal(metrics.depth, 0);
  assert.equal(metrics.queueLatency.count, 1);
  assert.equal(metrics.queueLatency.sum, 2);
});

test('a second add reported for an item not yet taken keeps the first add time', async () => {
  const clock = new FakeClock();
  const metrics = new InMemoryWorkQueueMetrics({ name: 'q', clock });
  metrics.add('a');
  await clock.step(300);
  metrics.add('a');
  await clock.step(100);
  metrics.get('a');
  assert.equal(metrics.queueLatency.sum, 0.4);
});

test('work duration, unfinished work and the longest running processor follow the clock', async () => {
  const { clock, metrics, queue } = setup();
  queue.add('a');
  queue.add('b');
  await queue.get();
  await clock.step(1000);
  await queue.get();
  await clock.step(500);
  assert.equal(metrics.unfinishedWorkSeconds, 2);
  assert.equal(metrics.longestRunningProcessorSeconds, 1.5);
  queue.done('a');
  assert.equal(metrics.workDurationSeconds.count, 1);
  assert.equal(metrics.workDurationSeconds.sum, 1.5);
  assert.equal(metrics.unfinishedWorkSeconds, 0.5);
  queue.done('b');
  assert.equal(metrics.longestRunningProcessorSeconds, 0);
});

test('an item re-added while processing counts as an add and adds depth until taken again', async () => {
  const { metrics, queue } = setup();
  queue.add('a');
  await queue.get();
  queue.add('a');
  assert.equal(metrics.depth, 1);
  queue.done('a');
  await queue.get();
  assert.equal(metrics.depth, 0);
  assert.equal(metrics.adds, 2);
  assert.equal(metrics.queueLatency.count, 2);
});

test('render writes the workqueue_* families in Prometheus text format with the name label', async () => {
  const { clock, metrics, queue } = setup();
  queue.add('a');
  await clock.step(20);
  await queue.get();
  metrics.retry();
  const text = metrics.render();
  assert.match(text, /^# TYPE workqueue_depth gauge$/m);
  assert.match(text, /^workqueue_depth\{name="replicaset"\} 0$/m);
  assert.match(text, /^workqueue_adds_total\{name="replicaset"\} 1$/m);
  assert.match(text, /^workqueue_retries_total\{name="replicaset"\} 1$/m);
  assert.match(text, /^workqueue_queue_duration_seconds_sum\{name="replicaset"\} 0\.02$/m);
  assert.match(text, /^workqueue_queue_duration_seconds_count\{name="replicaset"\} 1$/m);
  assert.match(text, /^workqueue_queue_duration_seconds_bucket\{name="replicaset",le="0\.01"\} 0$/m);
  assert.match(text, /^workqueue_queue_duration_seconds_bucket\{name="replicaset",le="0\.1"\} 1$/m);
  assert.match(text, /^workqueue_queue_duration_seconds_bucket\{name="replicaset",le="\+Inf"\} 1$/m);
  assert.match(text, /^workqueue_work_duration_seconds_count\{name="replicaset"\} 0$/m);
  assert.match(text, /^workqueue_longest_running_processor_seconds\{name="replicaset"\} 0$/m);
  assert.ok(text.endsWith('\n'));
});

test('rendering several queues writes each family header once and escapes label values', () => {
  const a = new InMemoryWorkQueueMetrics({ name: 'a', clock: new FakeClock() });
  const b = new InMemoryWorkQueueMetrics({ name: 'say "hi"\\', clock: new FakeClock() });
  const text = renderWorkQueueMetrics([a, b]);
  assert.equal(text.match(/^# TYPE workqueue_depth gauge$/gm)?.length, 1);
  assert.match(text, /^workqueue_depth\{name="a"\} 0$/m);
  assert.ok(text.includes('workqueue_depth{name="say \\"hi\\"\\\\"} 0\n'));
});
