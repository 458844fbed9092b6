import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { DelayingQueue } from './delaying-queue.js';
import { InMemoryWorkQueueMetrics } from './metrics.js';

async function drain<T>(queue: DelayingQueue<T>): Promise<T[]> {
  const items: T[] = [];
  while (queue.len() > 0) {
    const result = await queue.get();
    if (result.shutdown) break;
    items.push(result.item);
    queue.done(result.item);
  }
  return items;
}

test('addAfter with a delay of zero or less is a plain add', () => {
  const queue = new DelayingQueue<string>({ clock: new FakeClock() });
  queue.addAfter('a', 0);
  queue.addAfter('b', -5);
  assert.equal(queue.len(), 2);
  assert.equal(queue.waitingLen(), 0);
});

test('an item added after a delay appears only once the clock has passed it', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 1000);
  assert.equal(queue.len(), 0);
  await clock.step(999);
  assert.equal(queue.len(), 0);
  await clock.step(1);
  assert.deepEqual(await drain(queue), ['a']);
});

test('an item already waiting keeps the earlier ready time when added with a shorter delay', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 1000);
  queue.addAfter('a', 500);
  await clock.step(500);
  assert.deepEqual(await drain(queue), ['a']);
  await clock.step(500);
  assert.equal(queue.len(), 0, 'the later ready time was replaced, not kept as a second entry');
});

test('an item already waiting keeps the earlier ready time when added with a longer delay', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 500);
  queue.addAfter('a', 1000);
  assert.equal(queue.waitingLen(), 1);
  await clock.step(500);
  assert.deepEqual(await drain(queue), ['a']);
  await clock.step(500);
  assert.equal(queue.len(), 0);
});

test('a new item due before the one being waited for is added on time', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('late', 5000);
  queue.addAfter('early', 100);
  await clock.step(100);
  assert.deepEqual(await drain(queue), ['early']);
  await clock.step(4900);
  assert.deepEqual(await drain(queue), ['late']);
});

test('items become ready in ready-time order, ties in the order they were added', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('c', 300);
  queue.addAfter('b', 200);
  queue.addAfter('a', 100);
  queue.addAfter('b2', 200);
  await clock.step(300);
  assert.deepEqual(await drain(queue), ['a', 'b', 'b2', 'c']);
});

test('a delay longer than the 10 s heartbeat is still honoured exactly', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 60_000);
  await clock.step(59_999);
  assert.equal(queue.len(), 0);
  await clock.step(1);
  assert.equal(queue.len(), 1);
});

test('a delayed item that is already queued is not queued twice', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.add('a');
  queue.addAfter('a', 100);
  await clock.step(100);
  assert.equal(queue.len(), 1);
});

test('an idle queue leaves nothing sleeping on the clock', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 100);
  assert.equal(clock.waiting, 1);
  await clock.step(100);
  assert.equal(clock.waiting, 0);
});

test('shutDown drops waiting items, ignores addAfter and stops sleeping', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 100);
  queue.shutDown();
  queue.addAfter('b', 0);
  queue.addAfter('c', 50);
  await clock.step(0);
  assert.equal(clock.waiting, 0);
  await clock.step(1000);
  assert.equal(queue.len(), 0);
  assert.deepEqual(await queue.get(), { shutdown: true });
});

test('shutDownWithDrain also stops the waiting loop', async () => {
  const clock = new FakeClock();
  const queue = new DelayingQueue<string>({ clock });
  queue.addAfter('a', 100);
  await queue.shutDownWithDrain();
  await clock.step(0);
  assert.equal(clock.waiting, 0);
});

test('every addAfter before shutdown counts as a retry', async () => {
  const clock = new FakeClock();
  const metrics = new InMemoryWorkQueueMetrics({ name: 'q', clock });
  const queue = new DelayingQueue<string>({ clock, metrics });
  queue.addAfter('a', 0);
  queue.addAfter('a', 10);
  queue.addAfter('b', 10);
  queue.shutDown();
  queue.addAfter('c', 10);
  assert.equal(metrics.retries, 3);
});
