import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { isStorageError } from './errors.js';

test('a continue token round-trips the start key relative to the prefix and the revision', () => {
  const token = encodeContinue('/registry/pods/ns/b\0', '/registry/pods/ns/', 42);
  assert.deepEqual(JSON.parse(Buffer.from(token, 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: 42, start: 'b\0' });
  assert.deepEqual(decodeContinue(token, '/registry/pods/ns/'), { startKey: '/registry/pods/ns/b\0', revision: 42 });
});

test('a token cannot reach outside the prefix it is used with', () => {
  const token = encodeContinue('/registry/pods/ns/../../secrets/kube-system/x', '/registry/pods/ns/', 42);
  assert.throws(() => decodeContinue(token, '/registry/pods/ns/'), (e) => isStorageError(e, 'InvalidArgument'));
  const other = encodeContinue('/registry/pods/ns/b\0', '/registry/pods/ns/', 42);
  assert.equal(decodeContinue(other, '/registry/secrets/ns/').startKey, '/registry/secrets/ns/b\0');
});

test('malformed tokens and revisions are rejected; -1 means the latest revision', () => {
  for (const token of ['%%%', Buffer.from('[]').toString('base64url'), Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url')]) {
    assert.throws(() => decodeContinue(token, '/p/'), (e) => isStorageError(e, 'InvalidArgument'), token);
  }
  assert.equal(decodeContinue(encodeContinue('/p/a', '/p/', -1), '/p/').revision, -1);
});
