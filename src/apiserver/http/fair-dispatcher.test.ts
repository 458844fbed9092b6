import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FairDispatcher, type QueuedRequest } from './fair-dispatcher.js';

/** A request that records its start in `log` as `name`. */
function request(log: string[], name: string, abandoned = (): boolean => false): QueuedRequest {
  return { start: () => log.push(name), abandoned };
}

test('a queued request starts in a later turn of the event loop, not during enqueue', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>();
  dispatcher.enqueue('a', request(log, 'a1'));
  assert.deepEqual(log, []);
  assert.equal(dispatcher.queued, 1);
  await nextTurn();
  assert.deepEqual(log, ['a1']);
  assert.equal(dispatcher.queued, 0);
});

test("flows take turns: one client's burst delays another's request by one request, not by the burst", async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>();
  for (let i = 1; i <= 5; i++) dispatcher.enqueue('burst', request(log, `b${i}`));
  dispatcher.enqueue('single', request(log, 's1'));
  dispatcher.enqueue('other', request(log, 'o1'));
  dispatcher.enqueue('other', request(log, 'o2'));
  await nextTurn();
  assert.deepEqual(log, ['b1', 's1', 'o1', 'b2', 'o2', 'b3', 'b4', 'b5']);
});

test('each flow keeps its own order', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<number>();
  for (let i = 0; i < 20; i++) dispatcher.enqueue(i % 3, request(log, `${i % 3}:${i}`));
  await nextTurn();
  for (const flow of ['0', '1', '2']) {
    const mine = log.filter((entry) => entry.startsWith(`${flow}:`)).map((entry) => Number(entry.split(':')[1]));
    assert.deepEqual(mine, [...mine].sort((x, y) => x - y), `flow ${flow} out of order`);
  }
  assert.equal(log.length, 20);
});

test('at most perTurn requests start in one turn; the rest start in the following turns', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>({ perTurn: 2 });
  for (let i = 1; i <= 5; i++) dispatcher.enqueue('a', request(log, `a${i}`));
  await nextTurn();
  assert.deepEqual(log, ['a1', 'a2']);
  await nextTurn();
  assert.deepEqual(log, ['a1', 'a2', 'a3', 'a4']);
  await nextTurn();
  assert.deepEqual(log, ['a1', 'a2', 'a3', 'a4', 'a5']);
  assert.equal(dispatcher.queued, 0);
});

test('a request whose client went away while it waited never starts, and takes no place in the turn', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>({ perTurn: 2 });
  let gone = false;
  dispatcher.enqueue('a', request(log, 'a1', () => gone));
  dispatcher.enqueue('a', request(log, 'a2'));
  dispatcher.enqueue('a', request(log, 'a3'));
  gone = true;
  await nextTurn();
  assert.deepEqual(log, ['a2', 'a3']);
});

test('a flow that emptied its queue joins the round again with its next request', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>();
  dispatcher.enqueue('a', request(log, 'a1'));
  await nextTurn();
  dispatcher.enqueue('b', request(log, 'b1'));
  dispatcher.enqueue('a', request(log, 'a2'));
  await nextTurn();
  assert.deepEqual(log, ['a1', 'b1', 'a2']);
});

test('the round goes on from one turn to the next: more busy flows than a turn starts all get their turns', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>({ perTurn: 2 });
  for (const flow of ['a', 'b', 'c']) for (let i = 1; i <= 3; i++) dispatcher.enqueue(flow, request(log, `${flow}${i}`));
  await nextTurn();
  assert.deepEqual(log, ['a1', 'b1']);
  await nextTurn();
  assert.deepEqual(log, ['a1', 'b1', 'c1', 'a2']);
  await nextTurn();
  assert.deepEqual(log, ['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  await nextTurn();
  await nextTurn();
  assert.deepEqual(log, ['a1', 'b1', 'c1', 'a2', 'b2', 'c2', 'a3', 'b3', 'c3']);
  assert.equal(dispatcher.queued, 0);
});

test('a long queue keeps its order as it is taken from and added to', async () => {
  const log: string[] = [];
  const dispatcher = new FairDispatcher<string>({ perTurn: 1000 });
  for (let i = 0; i < 3000; i++) dispatcher.enqueue('a', request(log, String(i)));
  await nextTurn();
  for (let i = 3000; i < 3500; i++) dispatcher.enqueue('a', request(log, String(i)));
  for (let turn = 0; turn < 4; turn++) await nextTurn();
  assert.deepEqual(log, Array.from({ length: 3500 }, (_, i) => String(i)));
});

test('a turn limit that is not a positive integer is refused', () => {
  for (const perTurn of [0, -1, 1.5, Number.NaN]) assert.throws(() => new FairDispatcher({ perTurn }), RangeError);
});
