/**
 * The client against a real kubelite API server, over HTTP and over in-process connections: the
 * same tests, both transports (DESIGN.md). CRUD with typed and dynamic clients, errors as typed
 * predicates, paging, watch streams, discovery and the RESTMapper, and shared informers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import { isAlreadyExists, isConflict, isInvalid, isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { WatchEvent } from '../src/client/rest/watch-stream.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, TRANSPORTS, startClientEnv } from './support/client-harness.js';
import { until } from './support/eventually.js';

for (const transport of TRANSPORTS) {
  describe(`client over ${transport}`, () => {
    let env: ClientEnv;
    let client: KubeClient;
    before(async () => {
      env = await startClientEnv(transport);
      client = env.client();
    });
    after(() => env.close());

    test('a typed client creates, reads, updates, patches and deletes a ConfigMap', async () => {
      const configMaps = client.typed('v1/ConfigMap').namespace('default');
      const created = await configMaps.create({ metadata: { name: 'crud' }, data: { a: '1' } });
      assert.equal(created.metadata?.namespace, 'default');
      assert.equal((await configMaps.get('crud')).data?.a, '1');
      const updated = await configMaps.update({ ...created, data: { a: '2' } });
      assert.equal(updated.data?.a, '2');
      const patched = await configMaps.patch('crud', { data: { b: '3' } }, 'merge');
      assert.deepEqual(patched.data, { a: '2', b: '3' });
      await configMaps.delete('crud');
      await assert.rejects(configMaps.get('crud'), isNotFound);
    });

    test('errors come back as typed ApiErrors: AlreadyExists, Conflict, Invalid, NotFound', async () => {
      const configMaps = client.typed('v1/ConfigMap').namespace('default');
      const first = await configMaps.create({ metadata: { name: 'errors' } });
      await assert.rejects(configMaps.create({ metadata: { name: 'errors' } }), isAlreadyExists);
      await configMaps.update({ ...first, data: { x: 'y' } });
      await assert.rejects(configMaps.update({ ...first, data: { x: 'z' } }), isConflict);
      await assert.rejects(configMaps.create({ metadata: { name: 'Not_A_Name' } }), isInvalid);
      await assert.rejects(client.typed('v1/Pod').namespace('default').get('missing'), (error: unknown) => isNotFound(error) && !isConflict(error));
    });

    test('a list pages with limit and continue', async () => {
      const configMaps = client.typed('v1/ConfigMap').namespace('paging');
      await client.typed('v1/Namespace').create({ metadata: { name: 'paging' } });
      for (let i = 0; i < 7; i++) await configMaps.create({ metadata: { name: `cm-${i}` } });
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await configMaps.list({ limit: 3, ...(token === undefined ? {} : { continue: token }) });
        names.push(...page.items.map((c) => c.metadata?.name ?? ''));
        token = page.metadata?.continue || undefined;
      } while (token !== undefined);
      assert.deepEqual(names, ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
    });

    test('a watch stream delivers ADDED, MODIFIED and DELETED in order', async () => {
      const configMaps = client.typed('v1/ConfigMap').namespace('default');
      const start = await configMaps.list();
      const stream = await configMaps.watch({ resourceVersion: start.metadata?.resourceVersion ?? '' });
      const seen: string[] = [];
      const reading = (async () => {
        for await (const event of stream as AsyncIterable<WatchEvent>) {
          if (event.object.metadata?.name !== 'watched') continue;
          seen.push(event.type);
          if (event.type === 'DELETED') break;
        }
      })();
      const created = await configMaps.create({ metadata: { name: 'watched' } });
      await configMaps.update({ ...created, data: { k: 'v' } });
      await configMaps.delete('watched');
      await reading;
      stream.close();
      assert.deepEqual(seen, ['ADDED', 'MODIFIED', 'DELETED']);
    });

    test('discovery finds resources by kind, plural, short name and group', async () => {
      const deployments = await client.mapper.resourceFor('deploy');
      assert.deepEqual([deployments.group, deployments.version, deployments.resource, deployments.namespaced], ['apps', 'v1', 'deployments', true]);
      assert.equal((await client.mapper.resourceFor('pods')).kind, 'Pod');
      assert.equal((await client.mapper.resourceFor('events.events.k8s.io')).group, 'events.k8s.io');
      assert.equal((await client.mapper.mappingFor('v1', 'Namespace')).namespaced, false);
      const dynamic = await client.forKind('policy/v1', 'PodDisruptionBudget');
      assert.equal(dynamic.ref.resource, 'poddisruptionbudgets');
      await assert.rejects(client.mapper.resourceFor('widgets'), /doesn't have a resource type "widgets"/);
    });

    test('a dynamic client reads and writes any resource', async () => {
      const leases = client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true }).namespace('default');
      await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'dyn' } } as never);
      assert.equal((await leases.get('dyn')).kind, 'Lease');
    });

    test('a shared informer syncs, notifies its handlers, and late handlers get the cache replayed', async () => {
      const namespace = 'informed';
      await client.typed('v1/Namespace').create({ metadata: { name: namespace } });
      const secrets = client.typed('v1/Secret').namespace(namespace);
      await secrets.create({ metadata: { name: 'before' } });
      const factory = new SharedInformerFactory(client, { namespace, logger: silentLogger });
      const informer = factory.typed('v1/Secret');
      const events: string[] = [];
      const early = informer.addEventHandler({
        onAdd: (s, initial) => events.push(`add ${s.metadata?.name} ${initial}`),
        onUpdate: (_o, n) => events.push(`update ${n.metadata?.name}`),
        onDelete: (s) => events.push(`delete ${'key' in s ? s.key : s.metadata?.name}`),
      });
      const controller = new AbortController();
      factory.start(controller.signal);
      assert.equal(await factory.waitForCacheSync(controller.signal), true);
      await until(() => early.hasSynced(), 'the early handler to sync');
      const created = await secrets.create({ metadata: { name: 'after' } });
      await secrets.update({ ...created, stringData: { a: 'b' } });
      await secrets.delete('before');
      await until(() => events.length === 4, 'four events');
      assert.deepEqual(events, ['add before true', 'add after false', 'update after', 'delete before']);
      const late: string[] = [];
      const registration = informer.addEventHandler({ onAdd: (s, initial) => late.push(`${s.metadata?.name} ${initial}`) });
      assert.equal(registration.hasSynced(), false);
      await until(() => registration.hasSynced(), 'the late handler to sync');
      assert.deepEqual(late, ['after true']);
      assert.equal(informer.lister().namespace(namespace).get('after')?.metadata?.name, 'after');
      controller.abort();
      await factory.shutdown();
    });

    test('a metadata client gets, lists, watches, patches and deletes with objects\' metadata only', async () => {
      const configMaps = client.typed('v1/ConfigMap').namespace('default');
      await configMaps.create({ metadata: { name: 'meta-a', labels: { set: 'meta' } }, data: { secret: 'not for metadata clients' } });
      await configMaps.create({ metadata: { name: 'meta-b', labels: { set: 'meta' } }, data: { secret: 'not for metadata clients' } });
      const metadata = configMaps.metadataOnly();
      const got = await metadata.get('meta-a');
      assert.deepEqual([got.kind, got.apiVersion, got.metadata?.name, 'data' in got], ['PartialObjectMetadata', 'meta.k8s.io/v1', 'meta-a', false]);
      const listed = await metadata.list({ labelSelector: 'set=meta' });
      assert.equal(listed.kind, 'PartialObjectMetadataList');
      assert.deepEqual(listed.items.map((item) => [item.kind, item.metadata?.name, 'data' in item]), [['PartialObjectMetadata', 'meta-a', false], ['PartialObjectMetadata', 'meta-b', false]]);
      const stream = await metadata.watch({ resourceVersion: listed.metadata?.resourceVersion ?? '', labelSelector: 'set=meta' });
      const patched = await metadata.patch('meta-a', { metadata: { finalizers: ['example.com/keep'] } }, 'merge');
      assert.deepEqual([patched.kind, patched.metadata?.finalizers], ['PartialObjectMetadata', ['example.com/keep']]);
      const deleting = await metadata.delete('meta-a');
      assert.equal(deleting.kind, 'PartialObjectMetadata', 'a finalizer keeps it: the answer is its metadata');
      await metadata.patch('meta-a', { metadata: { finalizers: null } }, 'merge');
      const seen: string[] = [];
      for await (const event of stream as AsyncIterable<WatchEvent>) {
        seen.push(`${event.type} ${event.object.kind} ${'data' in event.object}`);
        if (event.type === 'DELETED') break;
      }
      stream.close();
      // The finalizer added, the deletionTimestamp set, and the finalizer's removal deleting it.
      assert.deepEqual(seen, ['MODIFIED PartialObjectMetadata false', 'MODIFIED PartialObjectMetadata false', 'DELETED PartialObjectMetadata false']);
      assert.equal((await configMaps.get('meta-b')).data?.secret, 'not for metadata clients', 'the full client still reads whole objects');
    });

    test('a metadata informer syncs and follows changes holding objects\' metadata only, apart from the full informer', async () => {
      const namespace = 'metadata-informed';
      await client.typed('v1/Namespace').create({ metadata: { name: namespace } });
      const secrets = client.typed('v1/Secret').namespace(namespace);
      await secrets.create({ metadata: { name: 'before' }, stringData: { key: 'value' } });
      const factory = new SharedInformerFactory(client, { namespace, logger: silentLogger });
      const ref = { group: '', version: 'v1', resource: 'secrets', namespaced: true };
      const metadataInformer = factory.forMetadata(ref);
      const fullInformer = factory.forResource(ref);
      assert.notEqual(metadataInformer as unknown, fullInformer as unknown);
      assert.equal(factory.forMetadata(ref), metadataInformer, 'one metadata informer per resource');
      const events: string[] = [];
      metadataInformer.addEventHandler({
        onAdd: (s) => events.push(`add ${s.metadata?.name}`),
        onUpdate: (_o, n) => events.push(`update ${n.metadata?.name} ${JSON.stringify(n.metadata?.labels)}`),
        onDelete: (s) => events.push(`delete ${'key' in s ? s.key : s.metadata?.name}`),
      });
      const controller = new AbortController();
      factory.start(controller.signal);
      assert.equal(await factory.waitForCacheSync(controller.signal), true);
      await secrets.patch('before', { metadata: { labels: { seen: 'yes' } } }, 'merge');
      await secrets.delete('before');
      await until(() => events.length === 3, 'three events');
      assert.deepEqual(events, ['add before', 'update before {"seen":"yes"}', 'delete before']);
      await secrets.create({ metadata: { name: 'after' }, stringData: { key: 'value' } });
      await until(() => metadataInformer.lister().namespace(namespace).get('after') !== undefined, 'the new secret in the metadata cache');
      const cached = metadataInformer.lister().namespace(namespace).get('after');
      assert.deepEqual([cached?.kind, cached !== undefined && 'data' in cached], ['PartialObjectMetadata', false]);
      await until(() => fullInformer.lister().namespace(namespace).get('after') !== undefined, 'the new secret in the full cache');
      assert.ok('data' in (fullInformer.lister().namespace(namespace).get('after') ?? {}), 'the full informer holds whole objects');
      controller.abort();
      await factory.shutdown();
    });
  });
}
