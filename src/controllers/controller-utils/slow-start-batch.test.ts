import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slowStartBatch } from './slow-start-batch.js';

/** Records the size of each batch: calls started before any of them settles. */
function batchRecorder(fail: (call: number) => boolean) {
  const batches: number[] = [];
  let calls = 0;
  let open = false;
  const fn = async (): Promise<void> => {
    const call = calls++;
    if (!open) {
      batches.push(0);
      open = true;
      queueMicrotask(() => (open = false));
    }
    batches[batches.length - 1]! += 1;
    await Promise.resolve();
    if (fail(call)) throw new Error(`call ${call} failed`);
  };
  return { batches, fn, calls: () => calls };
}

test('slow start runs batches of 1, 2, 4, … up to the count', async () => {
  const r = batchRecorder(() => false);
  const result = await slowStartBatch(10, 1, r.fn);
  assert.deepEqual(result, { successes: 10 });
  assert.deepEqual(r.batches, [1, 2, 4, 3]);
});

test('slow start stops after the first batch with a failure', async () => {
  const r = batchRecorder((call) => call === 0);
  const result = await slowStartBatch(10, 1, r.fn);
  assert.equal(r.calls(), 1);
  assert.equal(result.successes, 0);
  assert.match(String(result.error), /call 0 failed/);
});

test('slow start finishes the failing batch and counts its successes', async () => {
  const r = batchRecorder((call) => call === 4);
  const result = await slowStartBatch(10, 1, r.fn);
  assert.equal(r.calls(), 7);
  assert.equal(result.successes, 6);
});

test('slow start with a count of 0 makes no call', async () => {
  const r = batchRecorder(() => false);
  assert.deepEqual(await slowStartBatch(0, 1, r.fn), { successes: 0 });
  assert.equal(r.calls(), 0);
});
