import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import type { DiscoveredResource } from '../../client/discovery.js';
import { ApiError } from '../../client/errors.js';
import type { KubeObject } from '../../client/object.js';
import type { ResourceRef } from '../../client/resource-client.js';
import { FakeClock } from '../../util/fake-clock.js';
import { type NamespaceDeleterClient, NamespacedResourcesDeleter } from './namespaced-resources-deleter.js';
import { NamespaceReconciler } from './namespace-controller.js';

function resource(resourceName: string, extra: Partial<DiscoveredResource> = {}): DiscoveredResource {
  return {
    group: '',
    version: 'v1',
    resource: resourceName,
    namespaced: true,
    kind: resourceName,
    singularName: resourceName,
    shortNames: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'],
    categories: [],
    preferred: true,
    ...extra,
  };
}

/** Content per resource; deleteCollection empties it except items with finalizers, which get a deletionTimestamp. */
class RecordingClient implements NamespaceDeleterClient {
  readonly actions: string[] = [];
  readonly statuses: coreV1.NamespaceStatus[] = [];
  discovered: DiscoveredResource[] = [resource('configmaps'), resource('secrets'), resource('nodes', { namespaced: false })];
  content = new Map<string, KubeObject[]>();
  namespace: coreV1.Namespace | undefined = {
    metadata: { name: 'doomed', uid: 'u1', deletionTimestamp: '2026-01-01T00:00:00Z' },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Terminating' },
  };

  async getNamespace(): Promise<coreV1.Namespace | undefined> {
    return this.namespace;
  }
  async updateNamespaceStatus(namespace: coreV1.Namespace): Promise<coreV1.Namespace> {
    this.actions.push('updateStatus');
    this.statuses.push(structuredClone(namespace.status ?? {}));
    this.namespace = namespace;
    return namespace;
  }
  async finalizeNamespace(namespace: coreV1.Namespace): Promise<coreV1.Namespace> {
    this.actions.push(`finalize ${JSON.stringify(namespace.spec?.finalizers)}`);
    return namespace;
  }
  async discover(): Promise<readonly DiscoveredResource[]> {
    return this.discovered;
  }
  async deleteCollection(ref: ResourceRef, namespace: string): Promise<void> {
    this.actions.push(`deletecollection ${ref.resource} in ${namespace}`);
    const items = this.content.get(ref.resource) ?? [];
    this.content.set(
      ref.resource,
      items.filter((i) => (i.metadata?.finalizers ?? []).length > 0).map((i) => ({ ...i, metadata: { ...i.metadata, deletionTimestamp: '2026-01-01T00:00:01Z' } })),
    );
  }
  async list(ref: ResourceRef): Promise<readonly KubeObject[]> {
    return this.content.get(ref.resource) ?? [];
  }
  async delete(ref: ResourceRef, _namespace: string, name: string): Promise<void> {
    this.actions.push(`delete ${ref.resource} ${name}`);
    this.content.set(ref.resource, (this.content.get(ref.resource) ?? []).filter((i) => i.metadata?.name !== name));
  }
}

const item = (name: string, finalizers: string[] = []): KubeObject => ({ metadata: { name, namespace: 'doomed', ...(finalizers.length > 0 ? { finalizers } : {}) } });

test('an empty terminating namespace is finalized: kubernetes leaves spec.finalizers', async () => {
  const client = new RecordingClient();
  const outcome = await new NamespacedResourcesDeleter(client, { clock: new FakeClock() }).delete('doomed');
  assert.deepEqual(outcome, { done: true });
  assert.deepEqual(client.actions.filter((a) => !a.startsWith('updateStatus')), ['deletecollection configmaps in doomed', 'deletecollection secrets in doomed', 'finalize []']);
});

test('content of every namespaced kind is deleted before the namespace is finalized; cluster-scoped kinds are left alone', async () => {
  const client = new RecordingClient();
  client.content.set('configmaps', [item('a'), item('b')]);
  client.content.set('secrets', [item('s')]);
  await new NamespacedResourcesDeleter(client, { clock: new FakeClock() }).delete('doomed');
  assert.equal(client.content.get('configmaps')?.length, 0);
  assert.equal(client.content.get('secrets')?.length, 0);
  assert.ok(!client.actions.some((a) => a.includes('nodes')));
  assert.equal(client.actions.at(-1), 'finalize []');
});

test('a resource without deletecollection is listed and deleted item by item', async () => {
  const client = new RecordingClient();
  client.discovered = [resource('widgets', { verbs: ['delete', 'get', 'list'] })];
  client.content.set('widgets', [item('w1'), item('w2')]);
  await new NamespacedResourcesDeleter(client, { clock: new FakeClock() }).delete('doomed');
  assert.deepEqual(client.actions.filter((a) => a.startsWith('delete ')), ['delete widgets w1', 'delete widgets w2']);
});

test('content held by a finalizer keeps the namespace, and its status conditions name the finalizer', async () => {
  const client = new RecordingClient();
  client.content.set('configmaps', [item('stuck', ['example.com/hold']), item('free')]);
  const outcome = await new NamespacedResourcesDeleter(client, { clock: new FakeClock() }).delete('doomed');
  assert.deepEqual(outcome, { done: false, estimateSeconds: 15 });
  assert.ok(!client.actions.some((a) => a.startsWith('finalize')));
  const conditions = client.statuses.at(-1)?.conditions ?? [];
  const byType = new Map(conditions.map((c) => [c.type, c]));
  assert.deepEqual(
    { status: byType.get('NamespaceFinalizersRemaining')?.status, reason: byType.get('NamespaceFinalizersRemaining')?.reason, message: byType.get('NamespaceFinalizersRemaining')?.message },
    { status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances' },
  );
  assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
  assert.equal(byType.get('NamespaceDeletionContentFailure')?.status, 'False');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
});

test('a failed deletion shows as NamespaceDeletionContentFailure and is retried', async () => {
  const client = new RecordingClient();
  client.deleteCollection = async () => {
    throw new ApiError(500, 'InternalError', 'storage is down');
  };
  await assert.rejects(new NamespacedResourcesDeleter(client, { clock: new FakeClock() }).delete('doomed'));
  const failure = client.statuses.at(-1)?.conditions?.find((c) => c.type === 'NamespaceDeletionContentFailure');
  assert.equal(failure?.reason, 'ContentDeletionFailed');
  assert.equal(failure?.message, 'Failed to delete all resource types, 2 remaining: storage is down, storage is down');
});

test('a namespace that is not being deleted is left alone', async () => {
  const client = new RecordingClient();
  client.namespace = { metadata: { name: 'alive' }, spec: { finalizers: ['kubernetes'] } };
  assert.deepEqual(await new NamespacedResourcesDeleter(client).delete('alive'), { done: true });
  assert.deepEqual(client.actions, []);
});

test('the reconciler asks again after half the estimate plus a second while content remains', async () => {
  const client = new RecordingClient();
  client.content.set('configmaps', [item('stuck', ['example.com/hold'])]);
  const deleter = new NamespacedResourcesDeleter(client, { clock: new FakeClock() });
  const reconciler = new NamespaceReconciler({ namespaces: { get: () => client.namespace }, deleter });
  assert.deepEqual(await reconciler.reconcile({ namespace: '', name: 'doomed' }), { requeueAfterMs: 8000 });
});
