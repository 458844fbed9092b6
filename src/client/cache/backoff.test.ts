/**
 * The Reflector's backoff on a fake clock: client-go's NewExponentialBackoffManager(800ms, 30s,
 * 2min, 2.0, 1.0) — the doubling sequence and its cap, the jitter, the reset after a quiet spell,
 * and the constructor's validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { Backoff } from './backoff.js';

const noJitter = (): number => 0;
const fullJitter = (): number => 1;

/** The next `n` waits, taken without the clock moving. */
function waits(backoff: Backoff, n: number): number[] {
  return Array.from({ length: n }, () => backoff.next());
}

test('without jitter the waits double from 800 ms and stay at 30 s', () => {
  const backoff = new Backoff(new FakeClock(), noJitter);
  assert.deepEqual(waits(backoff, 9), [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
});

test('the jitter stretches each wait by random × jitter × the wait', () => {
  const doubled = new Backoff(new FakeClock(), fullJitter);
  assert.deepEqual(waits(doubled, 8), [1600, 3200, 6400, 12_800, 25_600, 51_200, 60_000, 60_000]);

  const halfway = new Backoff(new FakeClock(), () => 0.5, { jitter: 0.5 });
  assert.deepEqual(waits(halfway, 2), [1000, 2000]);
});

test('the options change the start, the factor and the cap', () => {
  const backoff = new Backoff(new FakeClock(), noJitter, { initialMs: 100, factor: 3, maxMs: 1000 });
  assert.deepEqual(waits(backoff, 5), [100, 300, 900, 1000, 1000]);
});

test('the waits keep growing while backoffs come less than 2 minutes apart', async () => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, noJitter);
  assert.equal(backoff.next(), 800);
  await clock.step(60_000);
  assert.equal(backoff.next(), 1600);
  await clock.step(120_000);
  assert.equal(backoff.next(), 3200);
});

test('the wait starts again from 800 ms after 2 minutes without a backoff', async () => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, noJitter);
  waits(backoff, 5);
  await clock.step(120_001);
  assert.equal(backoff.next(), 800);
  assert.equal(backoff.next(), 1600);
});

test('wait sleeps the next backoff on the injected clock', async () => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, noJitter);
  let woken = false;
  const waiting = backoff.wait().then(() => {
    woken = true;
  });
  await clock.step(799);
  assert.equal(woken, false);
  await clock.step(1);
  assert.equal(woken, true);
  await waiting;
});

test('wait returns as soon as its signal aborts', async () => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, noJitter);
  const controller = new AbortController();
  let woken = false;
  const waiting = backoff.wait(controller.signal).then(() => {
    woken = true;
  });
  await clock.step(0);
  assert.equal(woken, false);
  controller.abort();
  await clock.step(0);
  assert.equal(woken, true);
  assert.equal(clock.waiting, 0);
  await waiting;
});

test('invalid options throw', () => {
  const clock = new FakeClock();
  assert.throws(() => new Backoff(clock, noJitter, { initialMs: 0 }), /initialMs/);
  assert.throws(() => new Backoff(clock, noJitter, { initialMs: -5 }), /initialMs/);
  assert.throws(() => new Backoff(clock, noJitter, { initialMs: 1000, maxMs: 999 }), /maxMs/);
  assert.throws(() => new Backoff(clock, noJitter, { factor: 0.5 }), /factor/);
  assert.throws(() => new Backoff(clock, noJitter, { jitter: -1 }), /jitter/);
  assert.throws(() => new Backoff(clock, noJitter, { initialMs: Number.NaN }), /initialMs/);
  assert.doesNotThrow(() => new Backoff(clock, noJitter, { initialMs: 500, maxMs: 500, factor: 1, jitter: 0 }));
});
