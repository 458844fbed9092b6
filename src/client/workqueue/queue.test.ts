import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue, type GetResult } from './queue.js';

/** Lets pending promise jobs and immediates run. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether `promise` has settled after pending jobs ran. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await flush();
  return settled;
}

async function take<T>(queue: WorkQueue<T>): Promise<T> {
  const result = await queue.get();
  assert.equal(result.shutdown, false, 'expected an item, got shutdown');
  if (result.shutdown) throw new Error('unreachable');
  return result.item;
}

test('items are handed out in the order they were added', async () => {
  const queue = new WorkQueue<string>();
  for (const key of ['ns/c', 'ns/a', 'ns/b']) queue.add(key);
  assert.deepEqual([await take(queue), await take(queue), await take(queue)], ['ns/c', 'ns/a', 'ns/b']);
});

test('an item added again while it waits is queued once, at its first place', async () => {
  const queue = new WorkQueue<string>();
  queue.add('a');
  queue.add('b');
  queue.add('a');
  assert.equal(queue.len(), 2);
  assert.equal(await take(queue), 'a');
  assert.equal(await take(queue), 'b');
  assert.equal(queue.len(), 0);
});

test('a key added while it is processing is handed out again only after done', async () => {
  const queue = new WorkQueue<string>();
  queue.add('a');
  const item = await take(queue);
  queue.add('a');
  queue.add('a');
  assert.equal(queue.len(), 0, 'a processing item is not queued');
  const next = queue.get();
  assert.equal(await isSettled(next), false);
  queue.done(item);
  assert.deepEqual(await next, { item: 'a', shutdown: false });
  queue.done('a');
  assert.equal(queue.len(), 0, 'the adds during processing collapsed into one');
});

test('done on an item not added again does not queue it', async () => {
  const queue = new WorkQueue<string>();
  queue.add('a');
  queue.done(await take(queue));
  assert.equal(queue.len(), 0);
});

test('get waits without polling until an item is added', async () => {
  const queue = new WorkQueue<string>();
  const pending = queue.get();
  assert.equal(await isSettled(pending), false);
  queue.add('a');
  assert.deepEqual(await pending, { item: 'a', shutdown: false });
});

test('concurrent get callers are served in the order they called', async () => {
  const queue = new WorkQueue<string>();
  const first = queue.get();
  const second = queue.get();
  const third = queue.get();
  queue.add('x');
  queue.add('y');
  queue.add('z');
  const results = await Promise.all([first, second, third]);
  assert.deepEqual(
    results.map((r) => (r.shutdown ? 'shutdown' : r.item)),
    ['x', 'y', 'z'],
  );
});

test('two workers never process one key at the same time, and every add is seen', async () => {
  const queue = new WorkQueue<string>();
  const inFlight = new Set<string>();
  const processedAfterAdd = new Map<string, number>();
  let overlaps = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const result = await queue.get();
      if (result.shutdown) return;
      if (inFlight.has(result.item)) overlaps++;
      inFlight.add(result.item);
      processedAfterAdd.set(result.item, (processedAfterAdd.get(result.item) ?? 0) + 1);
      await flush();
      inFlight.delete(result.item);
      queue.done(result.item);
    }
  };
  const workers = [worker(), worker()];
  for (let round = 0; round < 50; round++) {
    for (const key of ['a', 'b', 'a', 'c', 'a']) queue.add(key);
    if (round % 3 === 0) await flush();
  }
  await flush();
  await queue.shutDownWithDrain();
  await Promise.all(workers);
  assert.equal(overlaps, 0);
  assert.deepEqual([...processedAfterAdd.keys()].sort(), ['a', 'b', 'c']);
  const total = [...processedAfterAdd.values()].reduce((a, b) => a + b, 0);
  assert.ok(total < 150, `adds collapsed: ${total} passes for 250 adds`);
});

test('after shutDown adds are ignored and queued items are still handed out, then shutdown', async () => {
  const queue = new WorkQueue<string>();
  queue.add('a');
  queue.shutDown();
  queue.add('b');
  assert.equal(queue.shuttingDown(), true);
  assert.equal(queue.len(), 1);
  assert.equal(await take(queue), 'a');
  assert.deepEqual(await queue.get(), { shutdown: true });
});

test('shutDown releases every waiting get with shutdown', async () => {
  const queue = new WorkQueue<string>();
  const waiting: Promise<GetResult<string>>[] = [queue.get(), queue.get(), queue.get()];
  assert.equal(await isSettled(Promise.race(waiting)), false);
  queue.shutDown();
  assert.deepEqual(await Promise.all(waiting), [{ shutdown: true }, { shutdown: true }, { shutdown: true }]);
});

test('shutDownWithDrain resolves only once every processing item is done', async () => {
  const queue = new WorkQueue<string>();
  queue.add('a');
  queue.add('b');
  const a = await take(queue);
  const b = await take(queue);
  const drained = queue.shutDownWithDrain();
  assert.equal(queue.shuttingDown(), true);
  queue.done(a);
  assert.equal(await isSettled(drained), false);
  queue.done(b);
  assert.equal(await isSettled(drained), true);
});

test('shutDownWithDrain on an idle queue resolves at once', async () => {
  const queue = new WorkQueue<string>();
  assert.equal(await isSettled(queue.shutDownWithDrain()), true);
});

test('shutDown after shutDownWithDrain ends the drain wait', async () => {
  const queue = new WorkQueue<string>();
  queue.add('a');
  await take(queue);
  const drained = queue.shutDownWithDrain();
  assert.equal(await isSettled(drained), false);
  queue.shutDown();
  assert.equal(await isSettled(drained), true);
});
