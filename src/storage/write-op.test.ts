import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_VALUE_BYTES, isStorageError } from './errors.js';
import type { KeyValue } from './interface.js';
import { checkWrite, decideWrite } from './write-op.js';

const current: KeyValue = { key: '/k/a', value: 'v1', createRevision: 3, modRevision: 5 };

test('create puts a new key and is rejected when the key exists', () => {
  const outcome = decideWrite({ type: 'create', key: '/k/b', value: 'x', ttlSeconds: 2 }, undefined, 9, 1000);
  assert.deepEqual(outcome, {
    kind: 'put',
    kv: { key: '/k/b', value: 'x', createRevision: 9, modRevision: 9 },
    event: { type: 'ADDED', revision: 9, kv: { key: '/k/b', value: 'x', createRevision: 9, modRevision: 9 } },
    expiresAt: 3000,
  });
  const rejected = decideWrite({ type: 'create', key: '/k/a', value: 'x' }, current, 9, 0);
  assert.ok(rejected.kind === 'rejected' && rejected.error.code === 'KeyExists');
});

test('update keeps createRevision, honours the expected revision, and leaves identical values alone', () => {
  const put = decideWrite({ type: 'update', key: '/k/a', value: 'v2', expectedRevision: 5 }, current, 9, 0);
  assert.ok(put.kind === 'put' && put.kv.createRevision === 3 && put.event.type === 'MODIFIED');
  const stale = decideWrite({ type: 'update', key: '/k/a', value: 'v2', expectedRevision: 4 }, current, 9, 0);
  assert.ok(stale.kind === 'rejected' && stale.error.code === 'Conflict' && stale.error.current === current);
  assert.deepEqual(decideWrite({ type: 'update', key: '/k/a', value: 'v1' }, current, 9, 0), { kind: 'unchanged', kv: current });
  const missing = decideWrite({ type: 'update', key: '/k/a', value: 'v1' }, undefined, 9, 0);
  assert.ok(missing.kind === 'rejected' && missing.error.code === 'KeyNotFound');
});

test('an expiry deletes only the version that expired and never fails', () => {
  assert.equal(decideWrite({ type: 'expire', key: '/k/a', expectedRevision: 5 }, current, 9, 0).kind, 'deleted');
  assert.equal(decideWrite({ type: 'expire', key: '/k/a', expectedRevision: 4 }, current, 9, 0).kind, 'unchanged');
  assert.equal(decideWrite({ type: 'expire', key: '/k/a', expectedRevision: 4 }, undefined, 9, 0).kind, 'unchanged');
});

test('oversized values, bad TTLs and bad expected revisions are refused before any backend sees them', () => {
  assert.throws(() => checkWrite({ type: 'create', key: '/k/a', value: 'x'.repeat(MAX_VALUE_BYTES + 1) }), (e) => isStorageError(e, 'TooLarge'));
  assert.throws(() => checkWrite({ type: 'create', key: '/k/a', value: 'x', ttlSeconds: 0 }), (e) => isStorageError(e, 'InvalidArgument'));
  assert.throws(() => checkWrite({ type: 'delete', key: '/k/a', expectedRevision: 1.5 }), (e) => isStorageError(e, 'InvalidArgument'));
  checkWrite({ type: 'create', key: '/k/a', value: 'x'.repeat(MAX_VALUE_BYTES) });
});
