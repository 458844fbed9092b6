import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectorFromSet } from '../../api/labels.js';
import type { coreV1 } from '../../api/types/index.js';
import { ApiError } from '../../client/errors.js';
import type { KubeObject } from '../../client/object.js';
import { podControllerRefManager, recheckDeletionTimestamp } from './controller-ref-manager.js';
import { getControllerOf, isControlledBy, newControllerRef, sameOwnerReference } from './owner-refs.js';
import { addPodControllerUidIndexer, filterPodsByOwner, orphanPodIndexKeyForNamespace, podControllerUidIndexFunc, POD_CONTROLLER_UID_INDEX } from './pod-index.js';
import { Indexer } from '../../client/cache/thread-safe-store.js';

const KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const owner: KubeObject = { metadata: { name: 'rs', namespace: 'ns', uid: 'owner' } };

function pod(name: string, labels: Record<string, string>, controllerUid?: string, namespace = 'ns'): coreV1.Pod {
  return {
    metadata: {
      name,
      namespace,
      uid: `uid-${name}`,
      labels,
      ...(controllerUid === undefined ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: controllerUid, controller: true }] }),
    },
  };
}

function manager(controller: KubeObject = owner, canAdopt: () => Promise<void> = async () => undefined, patchError?: Error) {
  const patches: { name: string; patch: object }[] = [];
  const m = podControllerRefManager(
    {
      patchPod: async (_ns, name, patch) => {
        patches.push({ name, patch });
        if (patchError !== undefined) throw patchError;
      },
    },
    { controller, selector: selectorFromSet({ app: 'a' }), controllerKind: KIND, canAdopt },
  );
  return { m, patches };
}

test('claims owned matching pods, adopts matching orphans, ignores others', async () => {
  const { m, patches } = manager();
  const pods = [pod('mine', { app: 'a' }, 'owner'), pod('orphan', { app: 'a' }), pod('theirs', { app: 'a' }, 'other'), pod('unrelated', { app: 'b' }), pod('elsewhere', { app: 'a' }, undefined, 'other-ns')];
  const { claimed, errors } = await m.claim(pods);
  assert.deepEqual(errors, []);
  assert.deepEqual(claimed.map((p) => p.metadata?.name), ['mine', 'orphan']);
  assert.deepEqual(patches, [{ name: 'orphan', patch: { metadata: { ownerReferences: [{ ...KIND, name: 'rs', uid: 'owner', controller: true, blockOwnerDeletion: true }], uid: 'uid-orphan' } } }]);
});

test('releases an owned pod that no longer matches', async () => {
  const { m, patches } = manager();
  const { claimed } = await m.claim([pod('stale', { app: 'b' }, 'owner')]);
  assert.deepEqual(claimed, []);
  assert.deepEqual(patches, [{ name: 'stale', patch: { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'owner' }], uid: 'uid-stale' } } }]);
});

test('an owner being deleted neither adopts nor releases', async () => {
  const { m, patches } = manager({ metadata: { ...owner.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
  const { claimed } = await m.claim([pod('orphan', { app: 'a' }), pod('stale', { app: 'b' }, 'owner'), pod('mine', { app: 'a' }, 'owner')]);
  assert.deepEqual(claimed.map((p) => p.metadata?.name), ['mine']);
  assert.deepEqual(patches, []);
});

test('canAdopt is asked once per manager, and its refusal is reported per pod', async () => {
  let asked = 0;
  const { m, patches } = manager(owner, async () => {
    asked++;
    throw new Error('gone');
  });
  const { claimed, errors } = await m.claim([pod('o1', { app: 'a' }), pod('o2', { app: 'a' })]);
  assert.equal(asked, 1);
  assert.deepEqual(claimed, []);
  assert.equal(errors.length, 2);
  assert.deepEqual(patches, []);
});

test('a pod that vanished is not claimed and is not an error', async () => {
  const { m } = manager(owner, async () => undefined, new ApiError(404, 'NotFound', 'gone'));
  const { claimed, errors } = await m.claim([pod('orphan', { app: 'a' }), pod('stale', { app: 'b' }, 'owner')]);
  assert.deepEqual(claimed, []);
  assert.deepEqual(errors, []);
});

test('recheckDeletionTimestamp refuses an owner that has started deleting', async () => {
  await recheckDeletionTimestamp(async () => owner)();
  await assert.rejects(recheckDeletionTimestamp(async () => ({ metadata: { name: 'rs', namespace: 'ns', deletionTimestamp: 'now' } }))(), /has just been deleted/);
});

test('owner reference helpers find and make controller references', () => {
  const p = pod('p', {}, 'owner');
  assert.equal(getControllerOf(p)?.uid, 'owner');
  assert.equal(isControlledBy(p, owner), true);
  assert.equal(getControllerOf(pod('q', {})), undefined);
  assert.deepEqual(newControllerRef(owner, KIND), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'owner', controller: true, blockOwnerDeletion: true });
});

test('the pod controller index is added once, however many controllers ask', () => {
  const indexer = new Indexer<coreV1.Pod>();
  addPodControllerUidIndexer(indexer);
  addPodControllerUidIndexer(indexer);
  assert.ok(indexer.getIndexers()[POD_CONTROLLER_UID_INDEX] !== undefined);
});

test('the pod index files pods by controller uid, orphans by namespace', () => {
  assert.deepEqual(podControllerUidIndexFunc(pod('p', {}, 'owner')), ['owner']);
  assert.deepEqual(podControllerUidIndexFunc(pod('p', {})), [orphanPodIndexKeyForNamespace('ns')]);
  const indexer = new Indexer<coreV1.Pod>({ indexers: { [POD_CONTROLLER_UID_INDEX]: podControllerUidIndexFunc } });
  for (const p of [pod('mine', {}, 'owner'), pod('orphan', {}), pod('theirs', {}, 'other'), pod('far', {}, undefined, 'other-ns')]) indexer.add(p);
  assert.deepEqual(filterPodsByOwner(indexer, { uid: 'owner', namespace: 'ns' }, true).map((p) => p.metadata?.name).sort(), ['mine', 'orphan']);
  assert.deepEqual(filterPodsByOwner(indexer, { uid: 'owner', namespace: 'ns' }, false).map((p) => p.metadata?.name), ['mine']);
});

test('sameOwnerReference compares every field of two references; two missing ones are the same', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true };
  assert.equal(sameOwnerReference(ref, { ...ref }), true);
  assert.equal(sameOwnerReference(undefined, undefined), true);
  assert.equal(sameOwnerReference(ref, undefined), false);
  assert.equal(sameOwnerReference(undefined, ref), false);
  for (const [field, value] of [['apiVersion', 'apps/v2'], ['kind', 'Other'], ['name', 'rs2'], ['uid', 'u2'], ['controller', false], ['blockOwnerDeletion', undefined]] as const) {
    assert.equal(sameOwnerReference(ref, { ...ref, [field]: value }), false, `${field} differs`);
  }
});
