/**
 * JSON Patch as kube-apiserver applies it: RFC 6902 operations and pointers, evanphx/json-patch's
 * departures from the RFC that clients rely on, and handlers/patch.go's limits and status codes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { MAX_JSON_PATCH_OPERATIONS, applyJsonPatch } from './json-patch.js';
import { GENERIC_INVALID_MESSAGE } from './patch-errors.js';

const pod = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
});

/** The StatusError `fn` throws (failing the test when it throws something else or nothing). */
function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to fail');
}

/** Asserts the patch fails the way applying errors fail upstream: 422 with the generic message. */
function assertApplyFails(original: JsonObject, patch: JsonValue, reason?: RegExp): void {
  const error = statusOf(() => applyJsonPatch(original, patch));
  assert.equal(error.code, 422);
  assert.equal(error.reason, 'Invalid');
  assert.equal(error.message, GENERIC_INVALID_MESSAGE);
  if (reason !== undefined) {
    assert.ok(error.cause instanceof Error);
    assert.match(error.cause.message, reason);
  }
}

describe('JSON Patch operations', () => {
  test('add sets an object member and inserts into an array, with - appending', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'add', path: '/metadata/finalizers/1', value: 'x' },
      { op: 'add', path: '/metadata/finalizers/-', value: 'z' },
    ]);
    assert.deepEqual(result.metadata, { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'x', 'b', 'z'] });
  });

  test('add replaces an existing member', () => {
    const result = applyJsonPatch(pod(), [{ op: 'add', path: '/metadata/name', value: 'api' }]);
    assert.equal((result.metadata as JsonObject).name, 'api');
  });

  test('remove deletes a member and an array element', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'remove', path: '/metadata/finalizers/0' },
    ]);
    assert.deepEqual(result.metadata, { name: 'web', labels: {}, finalizers: ['b'] });
  });

  test('replace changes a member and an array element', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
      { op: 'replace', path: '/metadata/finalizers/1', value: 'c' },
    ]);
    assert.deepEqual(result.spec, { containers: [{ name: 'app', image: 'nginx:2' }] });
    assert.deepEqual((result.metadata as JsonObject).finalizers, ['a', 'c']);
  });

  test('move takes a value from one place to another', () => {
    const result = applyJsonPatch(pod(), [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }]);
    assert.deepEqual((result.metadata as JsonObject).labels, { name: 'web' });
  });

  test('copy duplicates a value, and the copy is independent of the source', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' },
      { op: 'replace', path: '/spec/containers/1/name', value: 'sidecar' },
    ]);
    assert.deepEqual(result.spec, {
      containers: [
        { name: 'app', image: 'nginx:1' },
        { name: 'sidecar', image: 'nginx:1' },
      ],
    });
  });

  test('test passes on equal values regardless of key order and lets the patch continue', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'test', path: '/spec/containers/0', value: { image: 'nginx:1', name: 'app' } },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
    ]);
    assert.equal(((result.spec as JsonObject).containers as JsonObject[])[0]?.image, 'nginx:2');
  });

  test('a failing test aborts the whole patch with 422 and leaves the original untouched', () => {
    const original = pod();
    const before = structuredClone(original);
    assertApplyFails(
      original,
      [
        { op: 'replace', path: '/metadata/name', value: 'changed' },
        { op: 'test', path: '/metadata/labels/app', value: 'db' },
      ],
      /testing value \/metadata\/labels\/app failed/,
    );
    assert.deepEqual(original, before);
  });

  test('an unknown op is a 422 naming the kind', () => {
    assertApplyFails(pod(), [{ op: 'merge', path: '/a' }], /Unexpected kind: merge/);
    assertApplyFails(pod(), [{ path: '/a' }], /Unexpected kind: unknown/);
  });
});

describe('JSON Pointer', () => {
  test('~1 and ~0 unescape to / and ~, in one pass', () => {
    const original: JsonObject = { metadata: { annotations: { 'example.com/a~b': 'x' } } };
    const result = applyJsonPatch(original, [
      { op: 'replace', path: '/metadata/annotations/example.com~1a~0b', value: 'y' },
      { op: 'add', path: '/metadata/annotations/~01', value: 'literal' },
    ]);
    assert.deepEqual((result.metadata as JsonObject).annotations, { 'example.com/a~b': 'y', '~1': 'literal' });
  });

  test('negative indices count from the end, as the library allows', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'replace', path: '/metadata/finalizers/-1', value: 'last' },
      { op: 'add', path: '/metadata/finalizers/-1', value: 'appended' },
    ]);
    assert.deepEqual((result.metadata as JsonObject).finalizers, ['a', 'last', 'appended']);
  });

  test('an index past the end, a non-numeric index and a missing parent are 422', () => {
    assertApplyFails(pod(), [{ op: 'add', path: '/metadata/finalizers/3', value: 'x' }], /invalid index/);
    assertApplyFails(pod(), [{ op: 'replace', path: '/metadata/finalizers/2', value: 'x' }], /missing key/);
    assertApplyFails(pod(), [{ op: 'add', path: '/metadata/finalizers/x', value: 'x' }], /not a proper array index/);
    assertApplyFails(pod(), [{ op: 'add', path: '/spec/missing/a', value: 'x' }], /doc is missing path/);
    assertApplyFails(pod(), [{ op: 'remove', path: '/metadata/labels/nope' }], /nonexistent key/);
  });

  test('a scalar or null in the middle of a path is a missing path', () => {
    assertApplyFails(pod(), [{ op: 'add', path: '/metadata/name/x', value: 1 }], /doc is missing path/);
    assertApplyFails({ a: null }, [{ op: 'add', path: '/a/b', value: 1 }], /doc is missing path/);
  });

  test('__proto__ is an ordinary member name and pollutes nothing', () => {
    const result = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]);
    assert.ok(Object.hasOwn(result, '__proto__'));
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assertApplyFails({}, [{ op: 'test', path: '/constructor', value: 'x' }], /test failed/);
  });
});

describe('evanphx/json-patch behaviour that differs from RFC 6902', () => {
  test('replace of a missing object member adds it', () => {
    const result = applyJsonPatch(pod(), [{ op: 'replace', path: '/metadata/namespace', value: 'prod' }]);
    assert.equal((result.metadata as JsonObject).namespace, 'prod');
  });

  test('copy from a missing member stores null', () => {
    const result = applyJsonPatch(pod(), [{ op: 'copy', from: '/metadata/nope', path: '/metadata/copied' }]);
    assert.equal((result.metadata as JsonObject).copied, null);
  });

  test('test of a missing or null member passes with a null or absent value', () => {
    applyJsonPatch(pod(), [
      { op: 'test', path: '/metadata/nope', value: null },
      { op: 'test', path: '/metadata/nope' },
    ]);
    assertApplyFails(pod(), [{ op: 'test', path: '/metadata/name' }], /test failed/);
  });

  test('replace of the whole document with an object is allowed', () => {
    assert.deepEqual(applyJsonPatch(pod(), [{ op: 'replace', path: '', value: { kind: 'Pod' } }]), { kind: 'Pod' });
  });

  test('a whole document replaced by an array cannot be decoded and is 422 Invalid on the patch', () => {
    const error = statusOf(() => applyJsonPatch(pod(), [{ op: 'replace', path: '', value: [1] }]));
    assert.equal(error.code, 422);
    assert.equal(error.reason, 'Invalid');
    assert.equal(error.details?.causes?.[0]?.field, 'patch');
  });
});

describe('JSON Patch limits and malformed bodies', () => {
  test('a body that is not a list of operations is 400 with the decoder message', () => {
    const error = statusOf(() => applyJsonPatch(pod(), { op: 'add' }));
    assert.equal(error.code, 400);
    assert.equal(error.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    assert.equal(statusOf(() => applyJsonPatch(pod(), ['add'])).code, 400);
  });

  test('a null body is an empty patch', () => {
    assert.deepEqual(applyJsonPatch(pod(), null), pod());
  });

  test(`more than ${MAX_JSON_PATCH_OPERATIONS} operations is 413`, () => {
    const operations = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
    const error = statusOf(() => applyJsonPatch(pod(), operations));
    assert.equal(error.code, 413);
    assert.equal(error.reason, 'RequestEntityTooLarge');
    assert.equal(error.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
    applyJsonPatch(pod(), operations.slice(1));
  });

  test('copies that grow the document past the copy budget fail with 422', () => {
    const original: JsonObject = { data: 'x'.repeat(1000) };
    const copies = (n: number): JsonValue => Array.from({ length: n }, (_, i) => ({ op: 'copy', from: '/data', path: `/c${i}` }));
    applyJsonPatch(original, copies(2), { maxCopyBytes: 2004 }); // each copy is 1002 bytes of JSON
    const error = statusOf(() => applyJsonPatch(original, copies(3), { maxCopyBytes: 2004 }));
    assert.equal(error.code, 422);
    assert.match((error.cause as Error).message, /accumulated size increase of copy is 3006, exceeding the limit 2004/);
  });

  test('copy doubling cannot blow up memory under the default budget', () => {
    const doubling = Array.from({ length: 40 }, () => ({ op: 'copy', from: '/a', path: '/a/-' }));
    const error = statusOf(() => applyJsonPatch({ a: ['x'.repeat(100)] }, doubling));
    assert.equal(error.code, 422);
  });

  test('a body nested deeper than 10,000 levels is 400, and the copies that nest a document too deeply are 422', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    assert.equal(statusOf(() => applyJsonPatch(pod(), [{ op: 'add', path: '/x', value: deep }])).code, 400);

    let chain: JsonValue = 1;
    for (let i = 0; i < 6_000; i++) chain = { a: chain };
    const nested = applyJsonPatch({}, [{ op: 'add', path: '/a', value: chain }]);
    const innermost = `${'/a'.repeat(6_000)}/b`; // beside the chain's last value
    const error = statusOf(() => applyJsonPatch(nested, [{ op: 'copy', from: '/a', path: innermost }]));
    assert.equal(error.code, 422);
    assert.equal(error.reason, 'Invalid');
  });
});
