/** The shared worker loop: syncs after the caches sync, retries a failed key, re-syncs on requeueAfter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { ItemExponentialFailureRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { realClock } from '../../util/clock.js';
import { silentLogger } from '../../util/logger.js';
import { runWorkLoop } from './work-loop.js';

test('a key that fails is retried until it syncs, and requeueAfter syncs it again', async () => {
  const queue = new RateLimitingQueue<string>({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(1, 10) });
  const calls = new Map<string, number>();
  const stop = new AbortController();
  const loop = runWorkLoop(
    {
      name: 'test',
      queue,
      synced: [() => true],
      workers: 2,
      clock: realClock,
      logger: silentLogger,
      sync: async (key) => {
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        if (key === 'flaky' && n < 3) throw new Error('not yet');
        if (key === 'poll' && n < 2) return { requeueAfterMs: 5 };
        if (calls.get('flaky') === 3 && calls.get('poll') === 2) stop.abort();
        return undefined;
      },
    },
    stop.signal,
  );
  queue.add('flaky');
  queue.add('poll');
  await loop;
  assert.equal(calls.get('flaky'), 3);
  assert.equal(calls.get('poll'), 2);
  assert.equal(queue.numRequeues('flaky'), 0, 'a success forgets the failures');
});
