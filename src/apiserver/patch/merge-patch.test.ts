/**
 * JSON Merge Patch (RFC 7386) as kube-apiserver applies it through evanphx/json-patch's MergePatch,
 * including the RFC's own examples and the library's treatment of nulls inside stored values.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { applyMergePatch } from './merge-patch.js';

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to fail');
}

describe('JSON Merge Patch', () => {
  test('objects merge member by member and null deletes', () => {
    const original: JsonObject = { metadata: { name: 'web', labels: { app: 'web', tier: 'front' } }, spec: { replicas: 1 } };
    const result = applyMergePatch(original, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 3 } });
    assert.deepEqual(result, { metadata: { name: 'web', labels: { app: 'web', env: 'prod' } }, spec: { replicas: 3 } });
  });

  test('arrays are replaced whole, never merged', () => {
    const original: JsonObject = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } };
    const result = applyMergePatch(original, { spec: { containers: [{ name: 'a', image: 'y' }] } });
    assert.deepEqual(result, { spec: { containers: [{ name: 'a', image: 'y' }] } });
  });

  test('the examples of RFC 7386 section 3 give the documented results', () => {
    const cases: Array<[JsonObject, JsonValue, JsonObject]> = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [original, patch, expected] of cases) assert.deepEqual(applyMergePatch(original, patch), expected);
  });

  test('nulls inside a new value are pruned from its objects, also inside arrays, but array nulls stay', () => {
    const result = applyMergePatch({}, { spec: { a: null, list: [{ x: null, y: 1 }, null] } });
    assert.deepEqual(result, { spec: { list: [{ y: 1 }, null] } });
  });

  test('a non-object replacing an object is stored exactly as sent, nulls included', () => {
    const result = applyMergePatch({ spec: { a: 1 } }, { spec: [{ x: null }] });
    assert.deepEqual(result, { spec: [{ x: null }] });
  });

  test('neither the original nor the patch is changed, and the result shares nothing with them', () => {
    const original: JsonObject = { spec: { template: { labels: { a: '1' } } } };
    const patch: JsonObject = { spec: { template: { labels: { b: '2' } }, extra: { deep: { x: 1 } } } };
    const snapshot = structuredClone({ original, patch });
    const result = applyMergePatch(original, patch);
    assert.deepEqual({ original, patch }, snapshot);
    ((result.spec as JsonObject).extra as JsonObject).deep = 'changed';
    assert.deepEqual(patch, snapshot.patch);
  });

  test('__proto__ in a patch is stored as data and pollutes no prototype', () => {
    const patch = JSON.parse('{"metadata": {"__proto__": {"polluted": "yes"}}}') as JsonObject;
    const result = applyMergePatch({ metadata: {} }, patch);
    const metadata = result.metadata as JsonObject;
    assert.ok(Object.hasOwn(metadata, '__proto__'));
    assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((metadata as Record<string, unknown>).polluted, undefined);
  });

  test('a member named like an Object.prototype property is an ordinary member', () => {
    const result = applyMergePatch({ toString: { a: 1 } }, { toString: { b: 2 }, constructor: null, hasOwnProperty: 'x' });
    assert.deepEqual(result, { toString: { a: 1, b: 2 }, hasOwnProperty: 'x' });
  });

  test('a null or scalar body is 400 Invalid JSON Patch, as the library answers', () => {
    for (const body of [null, 'x', 3, true] as const) {
      const error = statusOf(() => applyMergePatch({}, body));
      assert.equal(error.code, 400);
      assert.equal(error.message, 'Invalid JSON Patch');
    }
  });

  test('an array body replaces the document, which then cannot be an object: 422 Invalid', () => {
    const error = statusOf(() => applyMergePatch({ a: 1 }, [1, 2]));
    assert.equal(error.code, 422);
    assert.equal(error.details?.causes?.[0]?.field, 'patch');
  });

  test('deep nesting is merged without recursion, and a body past 10,000 levels is 400', () => {
    let original: JsonValue = { leaf: 'a' };
    let patch: JsonValue = { leaf: 'b', extra: 1 };
    for (let i = 0; i < 9_000; i++) {
      original = { n: original };
      patch = { n: patch };
    }
    let result: JsonValue = applyMergePatch(original, patch);
    for (let i = 0; i < 9_000; i++) result = (result as JsonObject).n as JsonValue;
    assert.deepEqual(result, { leaf: 'b', extra: 1 });

    let tooDeep: JsonValue = {};
    for (let i = 0; i < 10_000; i++) tooDeep = { n: tooDeep };
    const error = statusOf(() => applyMergePatch({}, tooDeep));
    assert.equal(error.code, 400);
    assert.equal(error.message, 'invalid JSON patch');
  });
});
