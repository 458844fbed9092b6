import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiters.js';

test('addRateLimited waits the limiter delay, which doubles per requeue until forget', async () => {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue<string>({
    clock,
    rateLimiter: new ItemExponentialFailureRateLimiter(100, 10_000),
  });
  queue.addRateLimited('a');
  assert.equal(queue.numRequeues('a'), 1);
  await clock.step(99);
  assert.equal(queue.len(), 0);
  await clock.step(1);
  assert.equal(queue.len(), 1);

  const first = await queue.get();
  assert.equal(first.shutdown, false);
  queue.addRateLimited('a');
  queue.done('a');
  await clock.step(199);
  assert.equal(queue.len(), 0, 'the second requeue waits 200 ms');
  await clock.step(1);
  assert.equal(queue.len(), 1);
  assert.equal(queue.numRequeues('a'), 2);

  queue.forget('a');
  assert.equal(queue.numRequeues('a'), 0);
});

test('without a limiter the queue uses the default controller limiter on its clock', async () => {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue<string>({ clock });
  queue.addRateLimited('a');
  await clock.step(4);
  assert.equal(queue.len(), 0);
  await clock.step(1);
  assert.equal(queue.len(), 1, 'first retry after 5 ms');
  queue.shutDown();
});

test('the standard worker loop retries a failing key with backoff and forgets it on success', async () => {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(10, 1000) });
  const attempts: number[] = [];
  let failuresLeft = 3;
  const worker = async (): Promise<void> => {
    for (;;) {
      const result = await queue.get();
      if (result.shutdown) return;
      attempts.push(clock.now());
      if (failuresLeft-- > 0) queue.addRateLimited(result.item);
      else queue.forget(result.item);
      queue.done(result.item);
    }
  };
  const start = clock.now();
  const running = worker();
  queue.add('ns/name');
  await clock.step(0); // let the worker take it at the start time
  for (let i = 0; i < 10; i++) await clock.step(10);
  queue.shutDown();
  await running;
  assert.deepEqual(
    attempts.map((t) => t - start),
    [0, 10, 30, 70],
  );
  assert.equal(queue.numRequeues('ns/name'), 0);
});
