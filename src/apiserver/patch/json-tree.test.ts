import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonValue } from '../../api/json.js';
import { exceedsDepth } from './json-tree.js';

function nested(levels: number, wrap: (inner: JsonValue) => JsonValue): JsonValue {
  let value: JsonValue = 'leaf';
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
}

test('a value nested exactly to the limit is within it, one level more exceeds it; scalars are depth 0', () => {
  assert.equal(exceedsDepth('scalar', 0), false);
  assert.equal(exceedsDepth(nested(5, (inner) => [inner]), 5), false);
  assert.equal(exceedsDepth(nested(6, (inner) => [inner]), 5), true);
  assert.equal(exceedsDepth(nested(5, (inner) => ({ a: inner })), 5), false);
  assert.equal(exceedsDepth(nested(6, (inner) => ({ a: inner })), 5), true);
});

test('depth is counted along every branch, through arrays and objects alike, "__proto__" members included', () => {
  const deepSibling = { shallow: [1, 2, 3], deep: [{ a: [{ b: 'x' }] }] };
  assert.equal(exceedsDepth(deepSibling, 5), false);
  assert.equal(exceedsDepth(deepSibling, 4), true);
  const parsed = JSON.parse('{"__proto__":{"a":{"b":{}}}}') as JsonValue;
  assert.equal(exceedsDepth(parsed, 4), false);
  assert.equal(exceedsDepth(parsed, 3), true);
});
