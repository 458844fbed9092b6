/**
 * Metadata-only answers, as client-go's metadata client and metadata informers ask for them
 * (`Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1`, and the List form for
 * lists): gets, lists, watches (bookmarks included) and writes answer with PartialObjectMetadata,
 * the object's whole metadata and nothing else; a form that does not fit the request is 406, and a
 * write refused that way is not done. On SQLite: nothing here depends on the storage backend.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';

type Obj = Record<string, unknown>;
/** What client-go's metadata client sends (less protobuf, which kubelite does not produce). */
const METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const ONLY_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const ONLY_METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const BASE = '/api/v1/namespaces/default/configmaps';

function configMap(name: string): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'meta' }, annotations: { note: name } }, data: { big: 'x'.repeat(100) } };
}

describe('PartialObjectMetadata answers', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi('sqlite');
    for (const name of ['m1', 'm2']) assert.equal((await api.client.post(BASE, configMap(name))).status, 201);
  });
  after(() => api.close());

  it('a get answers with the object\'s whole metadata under kind PartialObjectMetadata, and no data', async () => {
    const full = (await api.client.get(`${BASE}/m1`)).json as Obj;
    const response = await api.client.get(`${BASE}/m1`, { Accept: METADATA });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.json, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: full.metadata });
  });

  it('a list answers with a PartialObjectMetadataList carrying the list\'s resourceVersion and continue token', async () => {
    const response = await api.client.get(`${BASE}?labelSelector=app%3Dmeta&limit=1`, { Accept: METADATA_LIST });
    assert.equal(response.status, 200, response.text);
    const list = response.json as { kind: string; apiVersion: string; metadata: Obj; items: Obj[] };
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.equal(list.apiVersion, 'meta.k8s.io/v1');
    assert.match(String(list.metadata.resourceVersion), /^\d+$/);
    assert.equal(typeof list.metadata.continue, 'string');
    assert.deepEqual(list.items.map((item) => [item.kind, item.apiVersion, (item.metadata as Obj).name, 'data' in item]), [['PartialObjectMetadata', 'meta.k8s.io/v1', 'm1', false]]);
    const rest = (await api.client.get(`${BASE}?labelSelector=app%3Dmeta&continue=${encodeURIComponent(String(list.metadata.continue))}`, { Accept: METADATA_LIST })).json as { items: Obj[] };
    assert.deepEqual(rest.items.map((item) => (item.metadata as Obj).name), ['m2']);
  });

  it('a watch sends every object and bookmark as a PartialObjectMetadata', async () => {
    const watch = await api.client.watch(`${BASE}?watch=1&labelSelector=app%3Dmeta&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, { Accept: METADATA });
    assert.equal(watch.status, 200);
    await watch.until((events) => events.some((event) => event.type === 'BOOKMARK'));
    await api.client.post(BASE, configMap('m3'));
    const events = await watch.until((all) => all.some((event) => event.type === 'ADDED' && (event.object.metadata as Obj).name === 'm3'));
    watch.close();
    assert.deepEqual(events.map((event) => event.type), ['ADDED', 'ADDED', 'BOOKMARK', 'ADDED']);
    for (const event of events) {
      assert.equal(event.object.kind, 'PartialObjectMetadata', JSON.stringify(event));
      assert.equal(event.object.apiVersion, 'meta.k8s.io/v1');
      assert.deepEqual(Object.keys(event.object), ['kind', 'apiVersion', 'metadata']);
    }
    assert.deepEqual((events[3]?.object.metadata as Obj).annotations, { note: 'm3' });
    assert.deepEqual((events[2]?.object.metadata as Obj).annotations, { 'k8s.io/initial-events-end': 'true' });
  });

  it('a patch, as the metadata client sends to drop a finalizer, is done and answered with the metadata', async () => {
    const response = await api.client.request('PATCH', `${BASE}/m1`, {
      body: { metadata: { labels: { patched: 'yes' } } },
      contentType: 'application/merge-patch+json',
      headers: { Accept: METADATA },
    });
    assert.equal(response.status, 200, response.text);
    const answer = response.json as { kind: string; metadata: { labels: Obj } };
    assert.equal(answer.kind, 'PartialObjectMetadata');
    assert.equal(answer.metadata.labels.patched, 'yes');
    assert.deepEqual(((await api.client.get(`${BASE}/m1`)).json as { data: Obj }).data, { big: 'x'.repeat(100) }, 'the data is untouched');
  });

  it('a delete answers with the metadata of an object its finalizers keep, and deletecollection with a list of them', async () => {
    await api.client.post(BASE, { ...configMap('kept'), metadata: { name: 'kept', finalizers: ['example.com/hold'] } });
    const deleted = await api.client.request('DELETE', `${BASE}/kept`, { headers: { Accept: METADATA } });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal((deleted.json as Obj).kind, 'PartialObjectMetadata');
    assert.equal(typeof ((deleted.json as { metadata: Obj }).metadata.deletionTimestamp), 'string');
    await api.client.patch(`${BASE}/kept`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await api.client.post(BASE, { ...configMap('gone'), metadata: { name: 'gone', labels: { batch: 'x' } } });
    const collection = await api.client.request('DELETE', `${BASE}?labelSelector=batch%3Dx`, { headers: { Accept: METADATA_LIST } });
    assert.equal(collection.status, 200, collection.text);
    const list = collection.json as { kind: string; items: Obj[] };
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.deepEqual(list.items.map((item) => [item.kind, (item.metadata as Obj).name]), [['PartialObjectMetadata', 'gone']]);
  });

  it('a workload\'s scale subresource answers with the Scale\'s metadata, read or written', async () => {
    const deployments = '/apis/apps/v1/namespaces/default/deployments';
    const labels = { app: 'scaled' };
    await api.client.post(deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const read = await api.client.get(`${deployments}/scaled/scale`, { Accept: METADATA });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual([(read.json as Obj).kind, ((read.json as { metadata: Obj }).metadata.name)], ['PartialObjectMetadata', 'scaled']);
    assert.equal('spec' in (read.json as Obj), false);
    const written = await api.client.request('PATCH', `${deployments}/scaled/scale`, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json', headers: { Accept: METADATA } });
    assert.equal(written.status, 200, written.text);
    assert.equal((written.json as Obj).kind, 'PartialObjectMetadata');
    assert.equal(((await api.client.get(`${deployments}/scaled`)).json as { spec: { replicas: number } }).spec.replicas, 3);
    const refused = await api.client.get(`${deployments}/scaled/scale`, { Accept: ONLY_METADATA_LIST });
    assert.equal((refused.json as Obj).message, 'you requested PartialObjectMetadataList, but the requested object is not a list (Scale)');
  });

  it('a form that does not fit the request is 406 in upstream\'s words, and a write refused so is not done', async () => {
    const get = await api.client.get(`${BASE}/m2`, { Accept: ONLY_METADATA_LIST });
    assert.equal(get.status, 406);
    assert.equal((get.json as Obj).message, 'you requested PartialObjectMetadataList, but the requested object is not a list (ConfigMap)');
    const list = await api.client.get(BASE, { Accept: ONLY_METADATA });
    assert.equal(list.status, 406);
    assert.equal((list.json as Obj).message, 'you requested PartialObjectMetadata, but the requested object is a list (ConfigMapList)');
    const create = await api.client.request('POST', BASE, { body: configMap('never'), headers: { Accept: ONLY_METADATA_LIST } });
    assert.equal(create.status, 406);
    assert.equal((await api.client.get(`${BASE}/never`)).status, 404, 'the refused create did not happen');
    const older = await api.client.get(`${BASE}/m2`, { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1' });
    assert.equal(older.status, 406, 'meta.k8s.io/v1beta1 is not served, as upstream');
    const fallback = await api.client.get(`${BASE}/m2`, { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1,application/json' });
    assert.equal((fallback.json as Obj).kind, 'ConfigMap', 'a client that also accepts plain JSON gets the object');
  });
});
