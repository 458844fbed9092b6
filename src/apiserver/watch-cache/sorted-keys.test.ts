import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SortedKeys } from './sorted-keys.js';

test('keys come back in storage order whatever the order of inserts and deletes, each once', () => {
  const keys = new SortedKeys();
  keys.reset(['/r/b', '/r/d']);
  for (const key of ['/r/e', '/r/a', '/r/c', '/r/a', '/r/b']) keys.insert(key);
  assert.deepEqual(keys.all(), ['/r/a', '/r/b', '/r/c', '/r/d', '/r/e']);
  assert.equal(keys.size, 5);
  keys.insert('/r/f');
  keys.delete('/r/f');
  keys.delete('/r/b');
  keys.delete('/r/zz');
  keys.insert('/r/ba');
  assert.deepEqual(keys.range('/r/b', '/r/d'), ['/r/ba', '/r/c']);
  assert.deepEqual(keys.all(), ['/r/a', '/r/ba', '/r/c', '/r/d', '/r/e']);
  assert.equal(keys.size, 5);
});

test('a list read in the middle of inserts sees exactly the keys inserted so far', () => {
  const keys = new SortedKeys();
  const expected: string[] = [];
  for (let i = 0; i < 200; i++) {
    const key = `/registry/pods/ns/pod-${(i * 7919) % 1000}`;
    keys.insert(key);
    expected.push(key);
    if (i % 37 === 0) assert.deepEqual(keys.all(), [...new Set(expected)].sort());
  }
  assert.deepEqual(keys.all(), [...new Set(expected)].sort());
});
