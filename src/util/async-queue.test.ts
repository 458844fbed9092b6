import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncQueue } from './async-queue.js';

test('items pushed in one synchronous run reach a waiting consumer as one batch', async () => {
  const queue = new AsyncQueue<number>(10);
  const reader = queue[Symbol.asyncIterator]();
  const first = reader.next();
  queue.push(1);
  queue.push(2);
  queue.push(3);
  assert.deepEqual(await first, { value: [1, 2, 3], done: false });
  queue.push(4);
  assert.deepEqual(await reader.next(), { value: [4], done: false });
});

test('a full queue refuses the item, and the producer learns so from push', () => {
  const queue = new AsyncQueue<number>(2);
  assert.equal(queue.push(1), true);
  assert.equal(queue.push(2), true);
  assert.equal(queue.push(3), false);
  assert.equal(queue.length, 2);
});

test('an ended queue hands out what it holds, then ends; its onEnd runs once', async () => {
  let ends = 0;
  const queue = new AsyncQueue<number>(10, () => ends++);
  const reader = queue[Symbol.asyncIterator]();
  const waiting = reader.next();
  queue.push(1);
  queue.end();
  queue.end();
  assert.deepEqual(await waiting, { value: [1], done: false });
  assert.deepEqual(await reader.next(), { value: undefined, done: true });
  assert.equal(queue.push(2), false);
  assert.equal(ends, 1);
});

test('ending with an error rejects the read after the queued items', async () => {
  const queue = new AsyncQueue<number>(10);
  queue.push(1);
  queue.end(new Error('cut off'));
  const reader = queue[Symbol.asyncIterator]();
  assert.deepEqual(await reader.next(), { value: [1], done: false });
  await assert.rejects(reader.next(), /cut off/);
});

test('a second consumer waiting at the same time is an error', async () => {
  const queue = new AsyncQueue<number>(10);
  const reader = queue[Symbol.asyncIterator]();
  const first = reader.next();
  await assert.rejects(reader.next(), /one consumer/);
  queue.end();
  assert.deepEqual(await first, { value: undefined, done: true });
});
