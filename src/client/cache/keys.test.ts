import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeletedFinalStateUnknown,
  deletedObject,
  deletionHandlingMetaNamespaceKeyFunc,
  metaNamespaceKeyFunc,
  splitMetaNamespaceKey,
} from './keys.js';

test('a namespaced object is keyed namespace/name', () => {
  assert.equal(metaNamespaceKeyFunc({ metadata: { namespace: 'default', name: 'web' } }), 'default/web');
});

test('a cluster-scoped object is keyed by its name alone', () => {
  assert.equal(metaNamespaceKeyFunc({ metadata: { name: 'node-1' } }), 'node-1');
  assert.equal(metaNamespaceKeyFunc({ metadata: { name: 'node-1', namespace: '' } }), 'node-1');
});

test('splitMetaNamespaceKey inverts the key function for both scopes', () => {
  assert.deepEqual(splitMetaNamespaceKey('default/web'), { namespace: 'default', name: 'web' });
  assert.deepEqual(splitMetaNamespaceKey('node-1'), { namespace: '', name: 'node-1' });
});

test('splitMetaNamespaceKey rejects a key with two slashes', () => {
  assert.throws(() => splitMetaNamespaceKey('a/b/c'), /unexpected key format/);
});

test('a tombstone is keyed by the key it carries, not by its stale object', () => {
  const tombstone = new DeletedFinalStateUnknown('ns/old', { metadata: { namespace: 'ns', name: 'renamed' } });
  assert.equal(deletionHandlingMetaNamespaceKeyFunc(tombstone), 'ns/old');
  assert.equal(deletionHandlingMetaNamespaceKeyFunc({ metadata: { namespace: 'ns', name: 'x' } }), 'ns/x');
});

test('deletedObject unwraps a tombstone to the state it carries, and passes a deleted object through', () => {
  const last = { metadata: { namespace: 'ns', name: 'old' } };
  assert.equal(deletedObject(new DeletedFinalStateUnknown('ns/old', last)), last);
  assert.equal(deletedObject(new DeletedFinalStateUnknown<typeof last | undefined>('ns/old', undefined)), undefined);
  assert.equal(deletedObject(last), last);
});
