import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  WithMaxWaitRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './rate-limiters.js';

const times = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

test('the exponential limiter doubles per failure of an item and counts requeues', () => {
  const limiter = new ItemExponentialFailureRateLimiter<string>(1, 1000);
  assert.deepEqual(times(5, () => limiter.when('one')), [1, 2, 4, 8, 16]);
  assert.equal(limiter.numRequeues('one'), 5);
  assert.deepEqual(times(2, () => limiter.when('two')), [1, 2], 'each item has its own count');
  assert.equal(limiter.numRequeues('two'), 2);
});

test('the exponential limiter is capped at its maximum, even after very many failures', () => {
  const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
  const delays = times(20, () => limiter.when('a'));
  assert.equal(delays[17], 655_360);
  assert.equal(delays[18], 1_000_000);
  for (let i = 0; i < 2000; i++) limiter.when('a');
  assert.equal(limiter.when('a'), 1_000_000);
});

test('forget resets an item to the base delay', () => {
  const limiter = new ItemExponentialFailureRateLimiter<string>(1, 1000);
  times(3, () => limiter.when('one'));
  limiter.forget('one');
  assert.equal(limiter.numRequeues('one'), 0);
  assert.equal(limiter.when('one'), 1);
});

test('the bucket limiter lets the burst through at once, then spaces retries 1/qps apart', async () => {
  const clock = new FakeClock();
  const limiter = new BucketRateLimiter<string>({ qps: 10, burst: 3, clock });
  assert.deepEqual(times(6, () => limiter.when('x')), [0, 0, 0, 100, 200, 300]);
  assert.equal(limiter.numRequeues('x'), 0);
  await clock.step(300);
  assert.equal(limiter.when('y'), 100, 'the owed tokens were repaid by the elapsed time');
});

test('the fast-slow limiter is fast for the first attempts, then slow', () => {
  const limiter = new ItemFastSlowRateLimiter<string>(5, 10_000, 3);
  assert.deepEqual(times(5, () => limiter.when('one')), [5, 5, 5, 10_000, 10_000]);
  assert.equal(limiter.numRequeues('one'), 5);
  assert.deepEqual(times(2, () => limiter.when('two')), [5, 5]);
  limiter.forget('one');
  assert.equal(limiter.numRequeues('one'), 0);
  assert.equal(limiter.when('one'), 5);
});

test('the max-of limiter returns the worst delay and forgets in every child', () => {
  const limiter = new MaxOfRateLimiter<string>(
    new ItemFastSlowRateLimiter(5, 3000, 3),
    new ItemExponentialFailureRateLimiter(1, 1000),
  );
  assert.deepEqual(times(5, () => limiter.when('one')), [5, 5, 5, 3000, 3000]);
  assert.deepEqual(times(4, () => limiter.when('two')), [5, 5, 5, 3000]);
  assert.equal(limiter.numRequeues('one'), 5);
  limiter.forget('one');
  assert.equal(limiter.numRequeues('one'), 0);
  assert.equal(limiter.when('one'), 5);
});

test('the max-wait limiter caps the delay of the limiter it wraps', () => {
  const limiter = new WithMaxWaitRateLimiter(new ItemExponentialFailureRateLimiter<string>(100, 100_000), 500);
  assert.deepEqual(times(5, () => limiter.when('a')), [100, 200, 400, 500, 500]);
  assert.equal(limiter.numRequeues('a'), 5);
  limiter.forget('a');
  assert.equal(limiter.numRequeues('a'), 0);
});

test('the default controller limiter is 5 ms exponential per item under a 10 qps / 100 burst bucket', () => {
  const limiter: RateLimiter<string> = defaultControllerRateLimiter<string>({ clock: new FakeClock() });
  assert.deepEqual(times(3, () => limiter.when('a')), [5, 10, 20]);
  for (let i = 0; i < 97; i++) assert.equal(limiter.when(`key-${i}`), 5);
  assert.equal(limiter.when('b'), 100, 'the burst of 100 is spent: the bucket now dominates');
  assert.equal(limiter.when('c'), 200);
  assert.equal(limiter.numRequeues('a'), 3);
});

test('limiters reject negative or non-finite delays', () => {
  assert.throws(() => new ItemExponentialFailureRateLimiter(-1, 10), RangeError);
  assert.throws(() => new ItemFastSlowRateLimiter(1, Infinity, 1), RangeError);
  assert.throws(() => new ItemFastSlowRateLimiter(1, 2, -1), RangeError);
  assert.throws(() => new WithMaxWaitRateLimiter(new ItemExponentialFailureRateLimiter(1, 2), Number.NaN), RangeError);
});
