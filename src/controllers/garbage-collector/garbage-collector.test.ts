import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../client/errors.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import { silentLogger } from '../../util/logger.js';
import { GarbageCollector } from './garbage-collector.js';
import type { GcClient, PropagationPolicy } from './gc-client.js';
import type { ObjectIdentity } from './graph.js';

/** A GcClient over preloaded objects that records every write. */
class RecordingGcClient implements GcClient {
  readonly actions: string[] = [];
  readonly patches: Record<string, unknown>[] = [];
  private readonly objects = new Map<string, KubeObject>();
  readonly clusterScopedKinds = new Set(['Node', 'Namespace']);

  put(...objects: KubeObject[]): void {
    for (const object of objects) this.objects.set(keyOf(object.apiVersion ?? '', object.kind ?? '', object.metadata?.namespace ?? '', object.metadata?.name ?? ''), object);
  }

  async isNamespaced(_apiVersion: string, kind: string): Promise<boolean> {
    return !this.clusterScopedKinds.has(kind);
  }

  async getObject(identity: ObjectIdentity): Promise<DeepReadonly<KubeObject> | undefined> {
    return this.objects.get(keyOf(identity.apiVersion, identity.kind, identity.namespace, identity.name));
  }

  async deleteObject(identity: ObjectIdentity, options: { readonly propagationPolicy: PropagationPolicy }): Promise<void> {
    this.actions.push(`delete ${identity.kind} ${identity.name} ${options.propagationPolicy}`);
  }

  async patchObject(identity: ObjectIdentity, patch: Readonly<Record<string, unknown>>): Promise<void> {
    this.actions.push(`patch ${identity.kind} ${identity.name}`);
    this.patches.push({ ...patch });
  }
}

function keyOf(apiVersion: string, kind: string, namespace: string, name: string): string {
  return `${apiVersion}/${kind}/${namespace}/${name}`;
}

function ref(uid: string, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${uid}`, uid, ...extra };
}

function cm(uid: string, meta: KubeObject['metadata'] = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${uid}`, namespace: 'ns', uid, resourceVersion: '1', ...meta } };
}

/** A collector whose graph and server both hold `objects`; `extraGraph` are only in the graph, `extraServer` only on the server. */
function setUp(objects: KubeObject[], extra: { graphOnly?: KubeObject[]; serverOnly?: KubeObject[] } = {}): { gc: GarbageCollector; client: RecordingGcClient } {
  const client = new RecordingGcClient();
  client.put(...objects, ...(extra.serverOnly ?? []));
  const gc = new GarbageCollector({ client, logger: silentLogger });
  for (const object of [...objects, ...(extra.graphOnly ?? [])]) gc.graph.process({ type: 'add', object, apiVersion: 'v1', kind: object.kind ?? '' });
  return { gc, client };
}

/** Takes every queued attemptToDelete uid. */
async function drain(gc: GarbageCollector): Promise<string[]> {
  const uids: string[] = [];
  while (gc.attemptToDelete.len() > 0) {
    const next = await gc.attemptToDelete.get();
    if (next.shutdown) break;
    uids.push(next.item);
    gc.attemptToDelete.done(next.item);
  }
  return uids;
}

function node(gc: GarbageCollector, uid: string) {
  const found = gc.graph.uidToNode.read(uid);
  assert.ok(found !== undefined, `node ${uid} is in the graph`);
  return found;
}

test('a dependent whose only owner is gone is deleted in background', async () => {
  const { gc, client } = setUp([cm('child', { ownerReferences: [ref('parent')] })]);
  assert.equal(await gc.attemptToDeleteItem(node(gc, 'child')), 'done');
  assert.deepEqual(client.actions, ['delete ConfigMap cm-child Background']);
});

test('a dependent whose owner exists is left alone', async () => {
  const { gc, client } = setUp([cm('parent'), cm('child', { ownerReferences: [ref('parent')] })]);
  await gc.attemptToDeleteItem(node(gc, 'child'));
  assert.deepEqual(client.actions, []);
});

test('an owner found under its name with another uid is dangling', async () => {
  const { gc, client } = setUp([cm('child', { ownerReferences: [ref('parent')] })], { serverOnly: [cm('recreated', { name: 'cm-parent' })] });
  await gc.attemptToDeleteItem(node(gc, 'child'));
  assert.deepEqual(client.actions, ['delete ConfigMap cm-child Background']);
});

test('a dependent with a live owner and a dangling one loses only the dangling reference', async () => {
  const { gc, client } = setUp([cm('parent'), cm('child', { ownerReferences: [ref('parent'), ref('gone')] })]);
  await gc.attemptToDeleteItem(node(gc, 'child'));
  assert.deepEqual(client.actions, ['patch ConfigMap cm-child']);
  assert.deepEqual(client.patches[0], { metadata: { uid: 'child', resourceVersion: '1', ownerReferences: [ref('parent')] } });
});

test('a dependent that already holds the orphan finalizer is deleted with Orphan propagation', async () => {
  const { gc, client } = setUp([cm('child', { ownerReferences: [ref('parent')], finalizers: ['orphan'] })]);
  await gc.attemptToDeleteItem(node(gc, 'child'));
  assert.deepEqual(client.actions, ['delete ConfigMap cm-child Orphan']);
});

test('a dependent already being deleted is left to finish', async () => {
  const { gc, client } = setUp([cm('child', { ownerReferences: [ref('parent')], deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x/y'] })]);
  await gc.attemptToDeleteItem(node(gc, 'child'));
  assert.deepEqual(client.actions, []);
});

test('a virtual owner the server does not have leaves the graph and its dependents are queued', async () => {
  const { gc, client } = setUp([cm('child', { ownerReferences: [ref('ghost')] })]);
  assert.equal(await gc.attemptToDeleteItem(node(gc, 'ghost')), 'virtualDeleteEnqueued');
  assert.equal(gc.graph.uidToNode.read('ghost'), undefined);
  assert.deepEqual(client.actions, []);
  assert.equal(gc.attemptToDelete.len(), 2, 'ghost (queued when first seen) and child');
});

test('an owner deleting in foreground keeps its finalizer while a dependent blocks it, and queues that dependent', async () => {
  const owner = cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
  const { gc, client } = setUp([owner, cm('child', { ownerReferences: [ref('parent', { blockOwnerDeletion: true })] })]);
  await drain(gc);
  await gc.attemptToDeleteItem(node(gc, 'parent'));
  assert.deepEqual(client.actions, []);
  assert.deepEqual(await drain(gc), ['child']);
});

test('an owner deleting in foreground with no blocking dependent loses the foregroundDeletion finalizer', async () => {
  const owner = cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion', 'keep/me'] });
  const { gc, client } = setUp([owner, cm('child', { ownerReferences: [ref('parent')] })]);
  await gc.attemptToDeleteItem(node(gc, 'parent'));
  assert.deepEqual(client.actions, ['patch ConfigMap cm-parent']);
  assert.deepEqual(client.patches[0], { metadata: { uid: 'parent', resourceVersion: '1', finalizers: ['keep/me'] } });
});

test('a dependent of an owner waiting in foreground is deleted: in foreground if it has dependents itself, else in background', async () => {
  const owner = cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
  const middle = cm('middle', { ownerReferences: [ref('parent', { blockOwnerDeletion: true })] });
  const leaf = cm('leaf', { ownerReferences: [ref('parent', { blockOwnerDeletion: true })] });
  const grandchild = cm('grandchild', { ownerReferences: [ref('middle')] });
  const { gc, client } = setUp([owner, middle, leaf, grandchild]);
  await gc.attemptToDeleteItem(node(gc, 'middle'));
  await gc.attemptToDeleteItem(node(gc, 'leaf'));
  assert.deepEqual(client.actions, ['delete ConfigMap cm-middle Foreground', 'delete ConfigMap cm-leaf Background']);
});

test('a dependent with a live owner drops its reference to an owner waiting in foreground', async () => {
  const waiting = cm('waiting', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
  const { gc, client } = setUp([waiting, cm('live'), cm('child', { ownerReferences: [ref('live'), ref('waiting')] })]);
  await gc.attemptToDeleteItem(node(gc, 'child'));
  assert.deepEqual(client.actions, ['patch ConfigMap cm-child']);
  assert.deepEqual(client.patches[0], { metadata: { uid: 'child', resourceVersion: '1', ownerReferences: [ref('live')] } });
});

test('orphaning removes the owner reference from every dependent, then the orphan finalizer', async () => {
  const owner = cm('parent', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] });
  const { gc, client } = setUp([owner, cm('a', { ownerReferences: [ref('parent')] }), cm('b', { ownerReferences: [ref('parent'), ref('other')] })]);
  await gc.attemptToOrphanItem(node(gc, 'parent'));
  assert.deepEqual(client.actions.slice(0, 2).sort(), ['patch ConfigMap cm-a', 'patch ConfigMap cm-b']);
  assert.equal(client.actions[2], 'patch ConfigMap cm-parent');
  assert.deepEqual(client.patches[2], { metadata: { uid: 'parent', resourceVersion: '1', finalizers: null } });
  const patchOfB = client.patches.find((p) => JSON.stringify(p).includes('"uid":"b"'));
  assert.deepEqual(patchOfB, { metadata: { uid: 'b', resourceVersion: '1', ownerReferences: [ref('other')] } });
});

test('a cluster-scoped dependent naming a namespaced owner is never collected nor retried', async () => {
  const orphanNode: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n1', ownerReferences: [ref('parent')] } };
  const { gc, client } = setUp([orphanNode]);
  assert.equal(await gc.attemptToDeleteWorker('n1'), false);
  assert.deepEqual(client.actions, []);
});

test('a failed lookup is retried', async () => {
  const { gc, client } = setUp([cm('child', { ownerReferences: [ref('parent')] })]);
  client.getObject = async () => {
    throw new ApiError(500, 'InternalError', 'boom');
  };
  assert.equal(await gc.attemptToDeleteWorker('child'), true);
});
