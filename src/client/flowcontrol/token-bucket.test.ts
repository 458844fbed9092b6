import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { TokenBucket } from './token-bucket.js';

test('a new bucket is full: burst tokens are accepted at once, the next is refused', () => {
  const bucket = new TokenBucket({ qps: 10, burst: 3, clock: new FakeClock() });
  assert.deepEqual([bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept()], [true, true, true]);
  assert.equal(bucket.tryAccept(), false);
});

test('tokens refill at qps and never beyond burst', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ qps: 10, burst: 2, clock });
  bucket.tryAccept();
  bucket.tryAccept();
  await clock.step(99);
  assert.equal(bucket.tryAccept(), false, 'less than one token after 99 ms at 10 qps');
  await clock.step(1);
  assert.equal(bucket.tryAccept(), true);
  await clock.step(60_000);
  assert.equal(bucket.tryAccept(), true);
  assert.equal(bucket.tryAccept(), true);
  assert.equal(bucket.tryAccept(), false, 'a long idle time refills only up to burst');
});

test('reserve spends the burst without delay, then spaces reservations 1/qps apart', () => {
  const bucket = new TokenBucket({ qps: 10, burst: 2, clock: new FakeClock() });
  const delays = [1, 2, 3, 4, 5].map(() => bucket.reserve());
  assert.deepEqual(delays, [0, 0, 100, 200, 300]);
});

test('a refused tryAccept takes no token, a reservation in debt blocks tryAccept', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ qps: 10, burst: 1, clock });
  assert.equal(bucket.reserve(), 0);
  assert.equal(bucket.tryAccept(), false);
  assert.equal(bucket.reserve(), 100, 'the refused tryAccept did not take a token');
  await clock.step(150);
  assert.equal(bucket.tryAccept(), false, 'the reserved future token is still owed');
  await clock.step(50);
  assert.equal(bucket.tryAccept(), true);
});

test('an infinite qps never delays', () => {
  const bucket = new TokenBucket({ qps: Infinity, burst: 1, clock: new FakeClock() });
  for (let i = 0; i < 10; i++) assert.equal(bucket.reserve(), 0);
  assert.equal(bucket.tryAccept(), true);
});

test('invalid qps or burst is rejected by the constructor', () => {
  assert.throws(() => new TokenBucket({ qps: 0, burst: 1 }), RangeError);
  assert.throws(() => new TokenBucket({ qps: 1, burst: 0 }), RangeError);
  assert.throws(() => new TokenBucket({ qps: 1, burst: 1.5 }), RangeError);
});

test('wait resolves only after the reserved delay has passed on the clock', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ qps: 10, burst: 1, clock });
  await bucket.wait();
  let resolved = false;
  const waiting = bucket.wait().then(() => {
    resolved = true;
  });
  await clock.step(99);
  assert.equal(resolved, false);
  await clock.step(1);
  await waiting;
  assert.equal(resolved, true);
});

test('an aborted wait rejects with the reason and gives its token back', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ qps: 10, burst: 1, clock });
  bucket.reserve();
  const controller = new AbortController();
  const waiting = bucket.wait(controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
  assert.equal(bucket.reserve(), 100, 'the cancelled reservation no longer delays the next one');
});

test('wait with an already aborted signal rejects without taking a token', async () => {
  const bucket = new TokenBucket({ qps: 10, burst: 1, clock: new FakeClock() });
  await assert.rejects(bucket.wait(AbortSignal.abort(new Error('gone'))), /gone/);
  assert.equal(bucket.tryAccept(), true);
});
