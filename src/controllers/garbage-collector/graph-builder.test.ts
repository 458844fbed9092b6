import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, OwnerReference } from '../../client/object.js';
import { GraphBuilder, type GraphEvent, referencesDiffs } from './graph-builder.js';

interface Recorded {
  readonly deletes: string[];
  readonly rateLimited: string[];
  readonly orphans: string[];
}

function builder(): { graph: GraphBuilder; queued: Recorded } {
  const queued: Recorded = { deletes: [], rateLimited: [], orphans: [] };
  const graph = new GraphBuilder({
    attemptToDelete: (uid) => queued.deletes.push(uid),
    attemptToDeleteRateLimited: (uid) => queued.rateLimited.push(uid),
    attemptToOrphan: (uid) => queued.orphans.push(uid),
  });
  return { graph, queued };
}

function ref(uid: string, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${uid}`, uid, ...extra };
}

function cm(uid: string, meta: KubeObject['metadata'] = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${uid}`, namespace: 'ns', uid, ...meta } };
}

const event = (type: GraphEvent['type'], object: KubeObject, oldObject?: KubeObject): GraphEvent => ({
  type,
  object,
  apiVersion: 'v1',
  kind: 'ConfigMap',
  ...(oldObject === undefined ? {} : { oldObject }),
});

test('an object naming an owner not seen yet creates a virtual owner node and queues it for verification', () => {
  const { graph, queued } = builder();
  graph.process(event('add', cm('child', { ownerReferences: [ref('parent')] })));
  const owner = graph.uidToNode.read('parent');
  assert.ok(owner !== undefined);
  assert.equal(owner.isObserved(), false);
  assert.deepEqual(owner.identity, { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm-parent', uid: 'parent', namespace: 'ns' });
  assert.deepEqual([...owner.dependents].map((d) => d.identity.uid), ['child']);
  assert.deepEqual(queued.deletes, ['parent']);
});

test('the first informer event of a virtual node marks it observed and keeps its dependents', () => {
  const { graph } = builder();
  graph.process(event('add', cm('child', { ownerReferences: [ref('parent')] })));
  graph.process(event('add', cm('parent')));
  const owner = graph.uidToNode.read('parent');
  assert.equal(owner?.isObserved(), true);
  assert.deepEqual([...(owner?.dependents ?? [])].map((d) => d.identity.uid), ['child']);
});

test('deleting an owner removes it, queues its dependents and remembers it as absent', () => {
  const { graph, queued } = builder();
  graph.process(event('add', cm('parent')));
  graph.process(event('add', cm('child', { ownerReferences: [ref('parent')] })));
  queued.deletes.length = 0;
  graph.process(event('delete', cm('parent')));
  assert.equal(graph.uidToNode.read('parent'), undefined);
  assert.deepEqual(queued.deletes, ['child']);
  assert.equal(graph.absentOwnerCache.has({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm-parent', uid: 'parent', namespace: 'ns' }), true);
});

test('an owner whose deletion starts with the orphan finalizer is queued for orphaning, once', () => {
  const { graph, queued } = builder();
  const live = cm('parent');
  const deleting = cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] });
  graph.process(event('add', live));
  graph.process(event('update', deleting, live));
  graph.process(event('update', deleting, deleting));
  assert.deepEqual(queued.orphans, ['parent']);
});

test('an owner whose deletion starts with foregroundDeletion waits for dependents: it and they are queued', () => {
  const { graph, queued } = builder();
  const live = cm('parent');
  graph.process(event('add', live));
  graph.process(event('add', cm('child', { ownerReferences: [ref('parent', { blockOwnerDeletion: true })] })));
  queued.deletes.length = 0;
  graph.process(event('update', cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }), live));
  const owner = graph.uidToNode.read('parent');
  assert.equal(owner?.isDeletingDependents(), true);
  assert.deepEqual(queued.deletes, ['child', 'parent']);
  assert.deepEqual(owner?.blockingDependents().map((d) => d.identity.uid), ['child']);
});

test('a dependent that drops a blocking reference queues that owner; its deletion queues an owner deleting in foreground', () => {
  const { graph, queued } = builder();
  graph.process(event('add', cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] })));
  const blocking = cm('child', { ownerReferences: [ref('parent', { blockOwnerDeletion: true })] });
  graph.process(event('add', blocking));
  queued.deletes.length = 0;
  const unblocked = cm('child', { ownerReferences: [ref('parent', { blockOwnerDeletion: false })] });
  graph.process(event('update', unblocked, blocking));
  assert.deepEqual(queued.deletes, ['parent']);
  queued.deletes.length = 0;
  graph.process(event('delete', unblocked));
  assert.deepEqual(queued.deletes, ['parent']);
  assert.equal(graph.uidToNode.read('parent')?.dependents.size, 0);
});

test('a virtual delete removes a virtual owner and queues its dependents', () => {
  const { graph, queued } = builder();
  graph.process(event('add', cm('child', { ownerReferences: [ref('ghost')] })));
  queued.deletes.length = 0;
  const ghost = graph.uidToNode.read('ghost');
  assert.ok(ghost !== undefined);
  graph.virtualDelete(ghost.identity);
  assert.equal(graph.uidToNode.read('ghost'), undefined);
  assert.deepEqual(queued.deletes, ['child']);
});

test('a virtual delete naming a real node with other coordinates leaves the node in the graph', () => {
  const { graph, queued } = builder();
  graph.process(event('add', cm('parent')));
  graph.process(event('add', cm('child', { ownerReferences: [ref('parent', { kind: 'Secret' })] })));
  queued.deletes.length = 0;
  graph.virtualDelete({ apiVersion: 'v1', kind: 'Secret', name: 'cm-parent', uid: 'parent', namespace: 'ns' });
  assert.ok(graph.uidToNode.read('parent') !== undefined);
  assert.deepEqual(queued.deletes, ['child']);
});

test('a reference to an owner in another namespace makes the dependent be judged again', () => {
  const { graph, queued } = builder();
  graph.process(event('add', cm('parent')));
  const elsewhere: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other', uid: 'x', ownerReferences: [ref('parent')] } };
  graph.process(event('add', elsewhere));
  assert.deepEqual(queued.deletes, ['x']);
});

test('referencesDiffs tells added, removed and changed references apart by uid', () => {
  const diff = referencesDiffs([ref('a'), ref('b', { blockOwnerDeletion: true })], [ref('b'), ref('c')]);
  assert.deepEqual(diff.added.map((r) => r.uid), ['c']);
  assert.deepEqual(diff.removed.map((r) => r.uid), ['a']);
  assert.deepEqual(diff.changed.map((c) => c.newReference.uid), ['b']);
});
