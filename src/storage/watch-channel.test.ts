import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError, unavailable } from './errors.js';
import type { WatchEvent } from './interface.js';
import { WatchChannel } from './watch-channel.js';

const added = (revision: number, value = 'v'): WatchEvent => ({
  type: 'ADDED',
  revision,
  kv: { key: `/k/${revision}`, value, createRevision: revision, modRevision: revision },
});

async function next(channel: WatchChannel): Promise<IteratorResult<readonly WatchEvent[]>> {
  return channel[Symbol.asyncIterator]().next();
}

test('batches come out in the order they were pushed, to a waiting or a later reader', async () => {
  const channel = new WatchChannel();
  const waiting = next(channel);
  channel.push([added(1)]);
  channel.push([added(2), added(3)]);
  assert.deepEqual((await waiting).value, [added(1)]);
  assert.deepEqual((await next(channel)).value, [added(2), added(3)]);
});

test('a reader that falls behind past the event limit is cut off with Overflow and its queue is dropped', async () => {
  const channel = new WatchChannel({ maxQueuedEvents: 3 });
  for (let i = 1; i <= 4; i++) channel.push([added(i)]);
  await assert.rejects(next(channel), (e) => isStorageError(e, 'Overflow'));
  assert.equal((await next(channel)).done, true);
  channel.push([added(5)]);
  assert.equal((await next(channel)).done, true, 'pushes after the cut-off are ignored');
});

test('the byte limit cuts off a reader holding too much value data', async () => {
  const channel = new WatchChannel({ maxQueuedBytes: 10 });
  channel.push([added(1, '0123456789')]);
  channel.push([added(2, 'x')]);
  await assert.rejects(next(channel), (e) => isStorageError(e, 'Overflow'));
});

test('a failure is thrown after the batches queued before it', async () => {
  const channel = new WatchChannel();
  channel.push([added(1)]);
  channel.fail(unavailable('gone'));
  assert.deepEqual((await next(channel)).value, [added(1)]);
  await assert.rejects(next(channel), (e) => isStorageError(e, 'Unavailable'));
});

test('pull supplies history until it returns undefined, then the reader waits for pushes', async () => {
  const pages: (readonly WatchEvent[] | undefined)[] = [[added(1)], [], undefined];
  const channel = new WatchChannel({ pull: () => pages.shift() });
  assert.deepEqual((await next(channel)).value, [added(1)]);
  const waiting = next(channel);
  assert.equal(pages.length, 0, 'every page was pulled before waiting');
  channel.push([added(2)]);
  assert.deepEqual((await waiting).value, [added(2)]);
});

test('aborting the signal or leaving the loop ends the watch and calls onClose once', async () => {
  const controller = new AbortController();
  let closes = 0;
  const channel = new WatchChannel({ signal: controller.signal, onClose: () => closes++ });
  const waiting = next(channel);
  controller.abort();
  assert.equal((await waiting).done, true);
  const other = new WatchChannel({ onClose: () => closes++ });
  other.push([added(1)]);
  for await (const batch of other) {
    assert.equal(batch.length, 1);
    break;
  }
  assert.equal(other.closed, true);
  assert.equal(closes, 2);
});
