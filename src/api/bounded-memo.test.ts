import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMemo } from './bounded-memo.js';

test('a memo computes each key once while it is remembered, undefined results included', () => {
  const calls: string[] = [];
  const memo = new BoundedMemo<string, string | undefined>(10, (key) => {
    calls.push(key);
    return key === 'none' ? undefined : key.toUpperCase();
  });
  assert.equal(memo.get('a'), 'A');
  assert.equal(memo.get('a'), 'A');
  assert.equal(memo.get('none'), undefined);
  assert.equal(memo.get('none'), undefined);
  assert.deepEqual(calls, ['a', 'none']);
});

test('a memo at its limit starts over, so it never holds more than the limit', () => {
  const calls: number[] = [];
  const memo = new BoundedMemo<number, number>(3, (key) => {
    calls.push(key);
    return key * 2;
  });
  for (const key of [1, 2, 3]) memo.get(key);
  assert.equal(memo.size, 3);
  assert.equal(memo.get(4), 8, 'the fourth key is computed');
  assert.equal(memo.size, 1, 'the memo started over with it');
  assert.equal(memo.get(1), 2);
  assert.deepEqual(calls, [1, 2, 3, 4, 1], 'a key from before the restart is computed again');
});

test('a memo refuses a limit that is not a positive integer', () => {
  assert.throws(() => new BoundedMemo(0, (key: string) => key), /positive integer, got 0/);
  assert.throws(() => new BoundedMemo(1.5, (key: string) => key), /positive integer, got 1.5/);
});
