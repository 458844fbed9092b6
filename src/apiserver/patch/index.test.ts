/**
 * The HTTP layer's entry point: Content-Type to patch type, and dispatch with the body checks
 * kube-apiserver makes before a strategic merge patch.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { s } from '../../api/schema/schema.js';
import { SchemaSet } from '../../api/schema/schema-set.js';
import { StatusError } from '../../api/status.js';
import { PATCH_CONTENT_TYPES, applyPatch, patchTypeForContentType } from './index.js';

const schemas = new SchemaSet([
  {
    name: 'test.v1.Thing',
    schema: s.object('', {
      spec: s.object('', { items: s.array('', s.object('', { name: s.string(''), v: s.string('') }), { patchStrategy: 'merge', patchMergeKey: 'name' }) }),
    }),
  },
]);
const thing = { schema: s.ref('test.v1.Thing'), schemas };
const original: JsonObject = { spec: { items: [{ name: 'a', v: '1' }] } };

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to fail');
}

describe('patchTypeForContentType', () => {
  test('maps the three patch media types, ignoring parameters', () => {
    assert.equal(patchTypeForContentType('application/json-patch+json'), 'json');
    assert.equal(patchTypeForContentType('application/merge-patch+json; charset=utf-8'), 'merge');
    assert.equal(patchTypeForContentType('application/strategic-merge-patch+json'), 'strategic');
    assert.equal(PATCH_CONTENT_TYPES.strategic, 'application/strategic-merge-patch+json');
  });

  test('compares the media type exactly, as the apiserver does', () => {
    assert.equal(patchTypeForContentType('Application/Merge-Patch+JSON'), undefined);
    assert.equal(patchTypeForContentType('application/merge-patch+json ; charset=utf-8'), undefined);
  });

  test('knows nothing of server-side apply or plain JSON', () => {
    assert.equal(patchTypeForContentType('application/apply-patch+yaml'), undefined);
    assert.equal(patchTypeForContentType('application/json'), undefined);
  });
});

describe('applyPatch', () => {
  test('dispatches each type to its format', () => {
    assert.deepEqual(applyPatch('json', original, [{ op: 'add', path: '/spec/items/-', value: { name: 'b' } }]), {
      spec: { items: [{ name: 'a', v: '1' }, { name: 'b' }] },
    });
    assert.deepEqual(applyPatch('merge', original, { spec: { items: [{ name: 'b' }] } }), { spec: { items: [{ name: 'b' }] } });
    assert.deepEqual(applyPatch('strategic', original, { spec: { items: [{ name: 'a', v: '2' }] } }, thing), {
      spec: { items: [{ name: 'a', v: '2' }] },
    });
  });

  test('a strategic merge patch without a schema is refused with 415, as for custom resources', () => {
    const error = statusOf(() => applyPatch('strategic', original, {}));
    assert.equal(error.code, 415);
    assert.match(error.message, /application\/json-patch\+json, application\/merge-patch\+json/);
  });

  test('a strategic merge patch body must be a JSON object; null is an empty patch', () => {
    assert.deepEqual(applyPatch('strategic', original, null, thing), original);
    const error = statusOf(() => applyPatch('strategic', original, [1], thing));
    assert.equal(error.code, 400);
    assert.equal(error.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  test('never changes the original', () => {
    const before = structuredClone(original);
    applyPatch('json', original, [{ op: 'replace', path: '/spec/items/0/v', value: 'x' }]);
    applyPatch('merge', original, { spec: { items: null } });
    applyPatch('strategic', original, { spec: { items: [{ name: 'a', $patch: 'delete' }] } }, thing);
    assert.deepEqual(original, before);
  });
});
