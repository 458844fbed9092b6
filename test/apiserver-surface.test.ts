/**
 * The API server's surface beyond resources, on every backend: /version, health, discovery (legacy
 * and aggregated, with ETag and 304), OpenAPI v2 and v3 (what kubectl's field-validation check and
 * explain read), Table output for lists, gets and watches, and /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown>;
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

for (const backend of BACKENDS) {
  describe(`API server surface (${backend})`, () => {
    let api: RunningApi;
    before(async () => {
      api = await startApi(backend);
    });
    after(() => api.close());

    it('/version, /healthz, /livez and /readyz answer', async () => {
      const version = await api.client.get('/version');
      assert.equal(version.status, 200);
      assert.equal((version.json as Obj).major, '1');
      for (const path of ['/healthz', '/livez', '/readyz']) {
        const health = await api.client.get(path);
        assert.equal(health.status, 200);
        assert.equal(health.text, 'ok');
      }
    });

    it('legacy discovery lists versions, groups and resources with verbs, short names and subresources', async () => {
      const apiRoot = (await api.client.get('/api')).json as Obj;
      assert.equal(apiRoot.kind, 'APIVersions');
      assert.deepEqual(apiRoot.versions, ['v1']);
      const core = (await api.client.get('/api/v1')).json as { resources: Obj[] };
      const configmaps = core.resources.find((r) => r.name === 'configmaps');
      assert.deepEqual(configmaps, {
        name: 'configmaps',
        singularName: 'configmap',
        namespaced: true,
        kind: 'ConfigMap',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['cm'],
      });
      const status = core.resources.find((r) => r.name === 'namespaces/status');
      assert.deepEqual(status?.verbs, ['get', 'patch', 'update']);
      const groups = (await api.client.get('/apis')).json as Obj;
      assert.equal(groups.kind, 'APIGroupList');
      assert.equal((await api.client.get('/apis/no.such.group/v1')).status, 404);
    });

    it('aggregated discovery answers in one document with an ETag, 304 on a match, and the Content-Type echoed', async () => {
      const first = await api.client.get('/api', { Accept: AGGREGATED });
      assert.equal(first.status, 200);
      assert.equal(first.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      const list = first.json as { kind: string; items: { versions: { resources: Obj[] }[] }[] };
      assert.equal(list.kind, 'APIGroupDiscoveryList');
      const resource = list.items[0]?.versions[0]?.resources.find((r) => r.resource === 'configmaps');
      assert.deepEqual(resource?.responseKind, { group: '', version: 'v1', kind: 'ConfigMap' });
      assert.equal(resource?.scope, 'Namespaced');
      const etag = first.headers.etag;
      assert.ok(typeof etag === 'string' && etag.length > 2);
      const again = await api.client.get('/api', { Accept: AGGREGATED, 'If-None-Match': etag });
      assert.equal(again.status, 304);
    });

    it('OpenAPI v3 lists group-version documents whose PATCH operations take fieldValidation and strategic merge patch', async () => {
      const index = (await api.client.get('/openapi/v3')).json as { paths: Record<string, { serverRelativeURL: string }> };
      const core = index.paths['api/v1'];
      assert.ok(core !== undefined, JSON.stringify(index));
      assert.match(core.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
      const document = (await api.client.get(core.serverRelativeURL)).json as {
        paths: Record<string, Record<string, Obj>>;
        components: { schemas: Record<string, Obj> };
      };
      const patch = document.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch;
      assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], { group: '', kind: 'ConfigMap', version: 'v1' });
      assert.ok((patch?.parameters as Obj[]).some((p) => p.name === 'fieldValidation'));
      assert.ok('application/strategic-merge-patch+json' in ((patch?.requestBody as { content: Obj }).content));
      const schema = document.components.schemas['io.k8s.api.core.v1.ConfigMap'];
      assert.deepEqual(schema?.['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
      const meta = document.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] as { properties: Record<string, Obj> };
      assert.equal(meta.properties.finalizers?.['x-kubernetes-patch-strategy'], 'merge');
      const v2 = await api.client.get('/openapi/v2');
      assert.equal((v2.json as Obj).swagger, '2.0');
    });

    it('Table output: lists, gets and watches come as meta.k8s.io Tables with the kind\'s columns', async () => {
      await api.client.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tbl', labels: { t: '1' } }, data: { a: 'b' } });
      const list = (await api.client.get('/api/v1/namespaces/default/configmaps?labelSelector=t%3D1', { Accept: TABLE })).json as {
        kind: string;
        columnDefinitions: { name: string }[];
        rows: { cells: unknown[]; object: Obj }[];
      };
      assert.equal(list.kind, 'Table');
      assert.deepEqual(list.columnDefinitions.map((c) => c.name), ['Name', 'Data', 'Age']);
      assert.deepEqual(list.rows[0]?.cells.slice(0, 2), ['tbl', 1]);
      assert.equal(list.rows[0]?.object.kind, 'PartialObjectMetadata');
      const full = (await api.client.get('/api/v1/namespaces/default/configmaps/tbl?includeObject=Object', { Accept: TABLE })).json as {
        rows: { object: Obj }[];
      };
      assert.equal(full.rows[0]?.object.kind, 'ConfigMap');
      const watch = await api.client.watch('/api/v1/namespaces/default/configmaps?watch=1&labelSelector=t%3D1', { Accept: TABLE });
      await api.client.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tbl2', labels: { t: '1' } } });
      const events = await watch.until((e) => e.length >= 2);
      watch.close();
      const tables = events.map((e) => e.object as { kind: string; columnDefinitions: unknown[] });
      assert.equal(tables[0]?.kind, 'Table');
      assert.ok((tables[0]?.columnDefinitions.length ?? 0) > 0, 'the first event has the columns');
      assert.equal(tables[1]?.columnDefinitions.length, 0, 'later events leave them out');
      const refused = await api.client.get('/api/v1/namespaces/default/configmaps', { Accept: 'application/vnd.kubernetes.protobuf' });
      assert.equal(refused.status, 406);
    });

    it('/metrics reports requests by verb and resource, storage latency, open watches and cache sizes', async () => {
      await api.client.get('/api/v1/namespaces/default/configmaps');
      const metrics = await api.client.get('/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /apiserver_request_total\{[^}]*verb="LIST"[^}]*resource="configmaps"[^}]*code="200"\} \d+/);
      assert.match(metrics.text, /apiserver_request_duration_seconds_bucket\{/);
      assert.match(metrics.text, /kubelite_storage_operation_duration_seconds_count\{operation="create"/);
      assert.match(metrics.text, /apiserver_longrunning_requests\{verb="WATCH",group="",resource="configmaps"\} \d+/);
      assert.match(metrics.text, /apiserver_watch_cache_resource_objects\{group="",resource="namespaces"\} [1-9]/);
    });
  });
}
