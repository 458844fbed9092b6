import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type JsonObject, cloneJson } from './json.js';

it('cloneJson copies every level, so changing the copy leaves the original alone', () => {
  const original: JsonObject = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }, n: null, ok: true };
  const copy = cloneJson(original);
  assert.deepEqual(copy, original);
  ((copy.metadata as JsonObject).labels as JsonObject).app = 'changed';
  (((copy.spec as JsonObject).containers as JsonObject[])[0] as JsonObject).name = 'changed';
  assert.equal(((original.metadata as JsonObject).labels as JsonObject).app, 'web');
  assert.equal((((original.spec as JsonObject).containers as JsonObject[])[0] as JsonObject).name, 'c');
});

it('cloneJson keeps a "__proto__" key from JSON.parse as an own key and does not change the prototype', () => {
  const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as JsonObject;
  const copy = cloneJson(parsed);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.deepEqual(Object.keys(copy), ['__proto__', 'a']);
  assert.equal(JSON.stringify(copy), '{"__proto__":{"polluted":true},"a":1}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
