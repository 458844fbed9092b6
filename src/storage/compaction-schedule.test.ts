import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../util/fake-clock.js';
import { silentLogger } from '../util/logger.js';
import { runCompactionSchedule } from './compaction-schedule.js';

test('scheduled compaction compacts to the revision seen one window earlier, and keeps going after a failure', async () => {
  const clock = new FakeClock();
  let revision = 10;
  const compactions: number[] = [];
  let failNext = false;
  const store = {
    currentRevision: async () => revision,
    compact: async (to: number) => {
      if (failNext) {
        failNext = false;
        throw new Error('database is locked');
      }
      compactions.push(to);
    },
  };
  const stop = new AbortController();
  const running = runCompactionSchedule(store, { intervalMs: 1000, windowMs: 2000 }, { clock, logger: silentLogger, signal: stop.signal });
  await clock.step(0); // first sample: revision 10 at t=0
  revision = 20;
  await clock.step(1000); // t=1000: nothing is a window old yet
  assert.deepEqual(compactions, []);
  revision = 30;
  await clock.step(1000); // t=2000: the t=0 sample is a window old
  assert.deepEqual(compactions, [10]);
  revision = 40;
  failNext = true;
  await clock.step(1000); // t=3000: compacting to 20 fails
  revision = 50;
  await clock.step(1000); // t=4000: compacts to 30
  assert.deepEqual(compactions, [10, 30]);
  stop.abort();
  await running;
});
