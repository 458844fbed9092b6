/**
 * CustomResourceDefinitions over HTTP, on every storage backend: a CRD is validated, accepted and
 * Established; its custom resources go through the generic machinery (reads and writes, patches,
 * the status subresource, generation, watch, Table, field selectors), appear in discovery and
 * OpenAPI, are stored under /registry/<group>/<plural>/, and are served by a restarted server and by
 * a second server on the same storage (also two servers with their own clients of one etcd); names
 * that clash are not accepted; deleting the CRD stops serving its resources and deletes them. The
 * Foo CRD is examples/sample-controller/crd.yaml.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ApiServer } from '../src/apiserver/server.js';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import type { Store } from '../src/storage/interface.js';
import { sharedTestEtcd } from '../src/testing/etcd-server.js';
import { HttpClient, type HttpResponse } from '../src/testing/http-client.js';
import { silentLogger } from '../src/util/logger.js';
import { BACKENDS, type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

const root = join(import.meta.dirname, '..', '..');
const FOO_CRD = manifest('crd.yaml');
const EXAMPLE_FOO = manifest('example-foo.yaml');

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const FOO_CRD_PATH = `${CRDS}/foos.samplecontroller.k8s.io`;
const GROUP_VERSION = '/apis/samplecontroller.k8s.io/v1alpha1';
const MERGE = 'application/merge-patch+json';

function manifest(file: string): Obj {
  return parse(readFileSync(join(root, 'examples', 'sample-controller', file), 'utf8')) as Obj;
}

function foos(namespace: string): string {
  return `${GROUP_VERSION}/namespaces/${namespace}/foos`;
}

function object(response: HttpResponse): Obj {
  assert.equal(typeof response.json, 'object', `expected a JSON object, got ${response.text.slice(0, 200)}`);
  return response.json as Obj;
}

function expectStatus(response: HttpResponse, code: number, reason?: string): Obj {
  const body = object(response);
  assert.equal(response.status, code, `expected ${code}, got ${response.status}: ${response.text.slice(0, 400)}`);
  if (reason !== undefined) {
    assert.equal(body.kind, 'Status');
    assert.equal(body.reason, reason, response.text);
  }
  return body;
}

/** Waits until `path` answers `code`. */
function eventuallyAnswers(client: HttpClient, path: string, code: number): Promise<HttpResponse> {
  return eventually(async () => {
    const response = await client.get(path);
    return response.status === code ? response : undefined;
  }, `${path} to answer ${code}`);
}

function condition(crd: Obj, type: string): Record<string, unknown> | undefined {
  const conditions = ((crd.status as Obj | undefined)?.conditions ?? []) as Record<string, unknown>[];
  return conditions.find((c) => c.type === type);
}

/** A CRD like the Foo one, in another group or with other names. */
function crdOf(group: string, kind: string, plural: string, extra: Record<string, unknown> = {}): Obj {
  const spec = FOO_CRD.spec as Obj;
  return {
    ...FOO_CRD,
    metadata: { name: `${plural}.${group}`, annotations: { 'api-approved.kubernetes.io': 'unapproved, testing' } },
    spec: { ...spec, group, names: { kind, plural }, ...extra },
  };
}

function foo(name: string, spec: Record<string, unknown> = { deploymentName: name, replicas: 1 }): Obj {
  return { ...EXAMPLE_FOO, metadata: { name }, spec };
}

function causes(status: Obj): { field: string; message: string }[] {
  return (((status.details as Obj | undefined)?.causes ?? []) as { field: string; message: string }[]).map((c) => ({ field: c.field, message: c.message }));
}

let namespaceCounter = 0;

for (const backend of BACKENDS) {
  describe(`CustomResourceDefinitions (${backend})`, () => {
    let api: RunningApi;
    let ns: string;
    before(async () => {
      api = await startApi(backend);
      expectStatus(await api.client.post(CRDS, FOO_CRD), 201);
      await eventuallyAnswers(api.client, foos('default'), 200);
      ns = `crds-${++namespaceCounter}`;
      expectStatus(await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), 201);
    });
    after(() => api.close());

    it('a created CRD gets its defaults, accepted names, stored version, and the NamesAccepted and Established conditions', async () => {
      const crd = expectStatus(await api.client.get(FOO_CRD_PATH), 200);
      assert.equal(crd.metadata.generation, 1);
      const spec = crd.spec as Obj;
      assert.deepEqual(spec.names, { kind: 'Foo', plural: 'foos', singular: 'foo', listKind: 'FooList' });
      assert.deepEqual(spec.conversion, { strategy: 'None' });
      const status = crd.status as Obj;
      assert.deepEqual(status.acceptedNames, { plural: 'foos', singular: 'foo', kind: 'Foo', listKind: 'FooList' });
      assert.deepEqual(status.storedVersions, ['v1alpha1']);
      assert.deepEqual(
        { ...condition(crd, 'NamesAccepted'), lastTransitionTime: undefined },
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: undefined },
      );
      const established = condition(crd, 'Established');
      assert.equal(established?.status, 'True');
      assert.equal(established?.reason, 'InitialNamesAccepted');
      assert.equal(established?.message, 'the initial names have been accepted');
      assert.match(String(established?.lastTransitionTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const approval = condition(crd, 'KubernetesAPIApprovalPolicyConformant');
      assert.equal(approval?.status, 'False');
      assert.equal(approval?.reason, 'UnapprovedAnnotation');
      const schema = (((spec.versions as Obj[])[0] as Obj).schema as Obj).openAPIV3Schema as Obj;
      assert.deepEqual(schema, ((((FOO_CRD.spec as Obj).versions as Obj[])[0] as Obj).schema as Obj).openAPIV3Schema, 'the schema is kept as given');
    });

    it('applying the same CRD again changes nothing', async () => {
      const before = expectStatus(await api.client.get(FOO_CRD_PATH), 200);
      const again = expectStatus(await api.client.put(FOO_CRD_PATH, { ...FOO_CRD, metadata: { ...before.metadata } }), 200);
      assert.equal(again.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.deepEqual(again.status, before.status);
    });

    it('custom resources are created with apiVersion, kind, uid and generation 1, and undeclared fields are pruned', async () => {
      const created = expectStatus(await api.client.post(foos(ns), foo('kept', { deploymentName: 'kept', replicas: 2, extra: { nested: [1, 2] } })), 201);
      assert.equal(created.apiVersion, 'samplecontroller.k8s.io/v1alpha1');
      assert.equal(created.kind, 'Foo');
      assert.match(String(created.metadata.uid), /^[0-9a-f-]{36}$/);
      assert.equal(created.metadata.generation, 1);
      assert.equal(created.metadata.namespace, ns);
      const fetched = expectStatus(await api.client.get(`${foos(ns)}/kept`), 200);
      assert.deepEqual(fetched.spec, { deploymentName: 'kept', replicas: 2 });
      const bare = expectStatus(await api.client.post(foos(ns), { metadata: { name: 'bare' }, spec: {} }), 201);
      assert.equal(bare.apiVersion, 'samplecontroller.k8s.io/v1alpha1', 'a body without apiVersion and kind gets the endpoint’s');
      assert.equal(bare.kind, 'Foo');
    });

    it('custom resources are listed, replaced, patched with merge and JSON patches, and deleted; strategic merge patch is 415', async () => {
      const created = expectStatus(await api.client.post(foos(ns), foo('crud')), 201);
      const list = expectStatus(await api.client.get(foos(ns)), 200);
      assert.equal(list.kind, 'FooList');
      assert.equal(list.apiVersion, 'samplecontroller.k8s.io/v1alpha1');
      assert.ok((list.items as Obj[]).some((item) => item.metadata.name === 'crud'));
      const all = expectStatus(await api.client.get(`${GROUP_VERSION}/foos`), 200);
      assert.ok((all.items as Obj[]).some((item) => item.metadata.name === 'crud' && item.metadata.namespace === ns));
      const replaced = expectStatus(await api.client.put(`${foos(ns)}/crud`, { ...created, spec: { deploymentName: 'crud', replicas: 3 } }), 200);
      assert.equal((replaced.spec as Obj).replicas, 3);
      const merged = expectStatus(await api.client.patch(`${foos(ns)}/crud`, { spec: { replicas: 4 } }, MERGE), 200);
      assert.deepEqual(merged.spec, { deploymentName: 'crud', replicas: 4 });
      const patched = expectStatus(
        await api.client.patch(`${foos(ns)}/crud`, [{ op: 'replace', path: '/spec/deploymentName', value: 'other' }], 'application/json-patch+json'),
        200,
      );
      assert.deepEqual(patched.spec, { deploymentName: 'other', replicas: 4 });
      const strategic = await api.client.patch(`${foos(ns)}/crud`, { spec: { replicas: 5 } }, 'application/strategic-merge-patch+json');
      expectStatus(strategic, 415, 'UnsupportedMediaType');
      const stale = expectStatus(await api.client.put(`${foos(ns)}/crud`, created), 409, 'Conflict');
      assert.equal(stale.message, 'Operation cannot be fulfilled on foos.samplecontroller.k8s.io "crud": the object has been modified; please apply your changes to the latest version and try again');
      expectStatus(await api.client.delete(`${foos(ns)}/crud`), 200);
      const gone = expectStatus(await api.client.get(`${foos(ns)}/crud`), 404, 'NotFound');
      assert.equal(gone.message, 'foos.samplecontroller.k8s.io "crud" not found');
    });

    it('deletecollection deletes the custom resources a label selector matches', async () => {
      for (const [name, app] of [['dc-a', 'x'], ['dc-b', 'x'], ['dc-c', 'y']] as const) {
        expectStatus(await api.client.post(foos(ns), { ...foo(name), metadata: { name, labels: { app } } }), 201);
      }
      const deleted = expectStatus(await api.client.delete(`${foos(ns)}?labelSelector=app%3Dx`), 200);
      assert.equal(deleted.kind, 'FooList');
      assert.deepEqual((deleted.items as Obj[]).map((item) => item.metadata.name).sort(), ['dc-a', 'dc-b']);
      expectStatus(await api.client.get(`${foos(ns)}/dc-a`), 404, 'NotFound');
      expectStatus(await api.client.get(`${foos(ns)}/dc-c`), 200);
    });

    it('a body whose apiVersion or kind does not match the URL is 400 BadRequest', async () => {
      const wrongVersion = expectStatus(await api.client.post(foos(ns), { ...foo('v'), apiVersion: 'samplecontroller.k8s.io/v1' }), 400, 'BadRequest');
      assert.equal(wrongVersion.message, 'the API version in the data (samplecontroller.k8s.io/v1) does not match the expected API version (samplecontroller.k8s.io/v1alpha1)');
      const wrongKind = expectStatus(await api.client.post(foos(ns), { ...foo('k'), kind: 'Bar' }), 400, 'BadRequest');
      assert.match(String(wrongKind.message), /^Bar in version "v1alpha1" cannot be handled as a Foo/);
    });

    it('with the status subresource, writes to the object ignore status, /status writes change only status, and only spec changes bump the generation', async () => {
      const created = expectStatus(await api.client.post(foos(ns), { ...foo('st'), status: { availableReplicas: 9 } }), 201);
      assert.equal(created.status, undefined, 'a new object starts without status');
      const withStatus = expectStatus(
        await api.client.put(`${foos(ns)}/st/status`, { ...created, spec: { deploymentName: 'changed', replicas: 7 }, status: { availableReplicas: 1 } }),
        200,
      );
      assert.deepEqual(withStatus.status, { availableReplicas: 1 });
      assert.deepEqual(withStatus.spec, { deploymentName: 'st', replicas: 1 }, '/status ignores the spec');
      assert.equal(withStatus.metadata.generation, 1, 'a status write is not a new generation');
      const mainWrite = expectStatus(
        await api.client.put(`${foos(ns)}/st`, { ...withStatus, spec: { deploymentName: 'st', replicas: 2 }, status: { availableReplicas: 5 } }),
        200,
      );
      assert.deepEqual(mainWrite.status, { availableReplicas: 1 }, 'the object ignores status');
      assert.equal(mainWrite.metadata.generation, 2);
      const labelled = expectStatus(await api.client.patch(`${foos(ns)}/st`, { metadata: { labels: { a: 'b' } } }, MERGE), 200);
      assert.equal(labelled.metadata.generation, 2, 'metadata changes are not generations');
      const statusPatch = expectStatus(await api.client.patch(`${foos(ns)}/st/status`, { status: { availableReplicas: 2 } }, MERGE), 200);
      assert.deepEqual(statusPatch.status, { availableReplicas: 2 });
      const read = expectStatus(await api.client.get(`${foos(ns)}/st/status`), 200);
      assert.deepEqual(read.status, { availableReplicas: 2 });
    });

    it('lists come as Tables with NAME and AGE, and field selectors on metadata.name and metadata.namespace work', async () => {
      expectStatus(await api.client.post(foos(ns), foo('table-one')), 201);
      const table = expectStatus(await api.client.get(`${foos(ns)}?fieldSelector=metadata.name%3Dtable-one`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }), 200);
      assert.equal(table.kind, 'Table');
      assert.deepEqual(
        (table.columnDefinitions as Obj[]).map((c) => [c.name, c.type, c.format]),
        [
          ['Name', 'string', 'name'],
          ['Age', 'date', ''],
        ],
      );
      const rows = table.rows as { cells: unknown[] }[];
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.cells[0], 'table-one');
      assert.match(String(rows[0]?.cells[1]), /^\d+s$/);
      const byNamespace = expectStatus(await api.client.get(`${GROUP_VERSION}/foos?fieldSelector=metadata.namespace%3D${ns}`), 200);
      assert.ok((byNamespace.items as Obj[]).every((item) => item.metadata.namespace === ns));
      expectStatus(await api.client.get(`${foos(ns)}?fieldSelector=spec.replicas%3D1`), 400, 'BadRequest');
    });

    it('a watch sees custom resources added, modified and deleted', async () => {
      const watch = await api.client.watch(`${foos(ns)}?watch=true&fieldSelector=metadata.name%3Dwatched`);
      try {
        expectStatus(await api.client.post(foos(ns), foo('watched')), 201);
        expectStatus(await api.client.patch(`${foos(ns)}/watched`, { spec: { replicas: 3 } }, MERGE), 200);
        expectStatus(await api.client.delete(`${foos(ns)}/watched`), 200);
        const events = await watch.until((seen) => seen.length >= 3);
        assert.deepEqual(
          events.map((e) => e.type),
          ['ADDED', 'MODIFIED', 'DELETED'],
        );
        assert.equal(events[0]?.object.kind, 'Foo');
        assert.equal(events[0]?.object.apiVersion, 'samplecontroller.k8s.io/v1alpha1');
      } finally {
        watch.close();
      }
    });

    it('discovery lists the custom resource in /apis, its group, its group-version and the aggregated document', async () => {
      const groups = expectStatus(await api.client.get('/apis'), 200);
      const group = (groups.groups as Obj[]).find((g) => g.name === 'samplecontroller.k8s.io');
      assert.deepEqual(group?.preferredVersion, { groupVersion: 'samplecontroller.k8s.io/v1alpha1', version: 'v1alpha1' });
      expectStatus(await api.client.get('/apis/samplecontroller.k8s.io'), 200);
      const resources = expectStatus(await api.client.get(GROUP_VERSION), 200);
      const list = resources.resources as Obj[];
      const main = list.find((r) => r.name === 'foos');
      assert.deepEqual(main, {
        name: 'foos',
        singularName: 'foo',
        namespaced: true,
        kind: 'Foo',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      });
      assert.deepEqual(list.find((r) => r.name === 'foos/status')?.verbs, ['get', 'patch', 'update']);
      const aggregated = expectStatus(await api.client.get('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' }), 200);
      const item = (aggregated.items as Obj[]).find((i) => i.metadata.name === 'samplecontroller.k8s.io');
      const version = ((item?.versions ?? []) as Obj[])[0];
      assert.equal(version?.version, 'v1alpha1');
      const resource = (version?.resources as Obj[] | undefined)?.find((r) => r.resource === 'foos');
      assert.equal(resource?.scope, 'Namespaced');
      assert.equal(resource?.singularResource, 'foo');
      assert.deepEqual(resource?.responseKind, { group: 'samplecontroller.k8s.io', version: 'v1alpha1', kind: 'Foo' });
      assert.deepEqual((resource?.subresources as Obj[]).map((s) => s.subresource), ['status']);
    });

    it('OpenAPI v3 publishes the version’s schema under the kind’s group-version-kind, and PATCH offers no strategic merge', async () => {
      const index = expectStatus(await api.client.get('/openapi/v3'), 200);
      assert.ok(Object.hasOwn(index.paths as Obj, 'apis/samplecontroller.k8s.io/v1alpha1'));
      const document = expectStatus(await api.client.get('/openapi/v3/apis/samplecontroller.k8s.io/v1alpha1'), 200);
      const schemas = (document.components as Obj).schemas as Record<string, Obj>;
      const schema = schemas['io.k8s.samplecontroller.v1alpha1.Foo'];
      assert.ok(schema !== undefined, Object.keys(schemas).join(', '));
      assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'samplecontroller.k8s.io', kind: 'Foo', version: 'v1alpha1' }]);
      const properties = schema.properties as Record<string, Obj>;
      assert.deepEqual((properties.spec as Obj).properties, {
        deploymentName: { type: 'string' },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
      });
      assert.deepEqual((properties.metadata as Obj).allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
      assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] !== undefined);
      assert.ok(schemas['io.k8s.samplecontroller.v1alpha1.FooList'] !== undefined);
      const item = (document.paths as Record<string, Obj>)['/apis/samplecontroller.k8s.io/v1alpha1/namespaces/{namespace}/foos/{name}'];
      const content = ((item?.patch as Obj).requestBody as Obj).content as Obj;
      assert.deepEqual(Object.keys(content).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    });

    it('a cluster-scoped CRD with the scale subresource serves /scale from the paths it declares', async () => {
      const crd = crdOf('scale.example.com', 'CronTab', 'crontabs', {
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          },
        ],
      });
      expectStatus(await api.client.post(CRDS, crd), 201);
      const crontabs = '/apis/scale.example.com/v1/crontabs';
      await eventuallyAnswers(api.client, crontabs, 200);
      expectStatus(await api.client.post(crontabs, { apiVersion: 'scale.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { replicas: 1, cron: '*/5 * * * *' } }), 201);
      expectStatus(await api.client.patch(`${crontabs}/c/status`, { status: { replicas: 1, selector: 'app=c' } }, MERGE), 200);
      const scaled = expectStatus(await api.client.patch(`${crontabs}/c/scale`, { spec: { replicas: 4 } }, MERGE), 200);
      assert.equal(scaled.kind, 'Scale');
      assert.deepEqual([(scaled.spec as Obj).replicas, (scaled.status as Obj).replicas, (scaled.status as Obj).selector], [4, 1, 'app=c']);
      const read = expectStatus(await api.client.get(`${crontabs}/c`), 200);
      assert.deepEqual(read.spec, { replicas: 4, cron: '*/5 * * * *' });
      assert.equal(read.metadata.namespace, undefined);
      expectStatus(await api.client.get(`/apis/scale.example.com/v1/namespaces/default/crontabs/c`), 404, 'NotFound');
      const resources = expectStatus(await api.client.get('/apis/scale.example.com/v1'), 200);
      const scale = (resources.resources as Obj[]).find((r) => r.name === 'crontabs/scale');
      assert.deepEqual([scale?.group, scale?.version, scale?.kind], ['autoscaling', 'v1', 'Scale']);
    });

    it('custom resources are stored under /registry/<group>/<plural>/<namespace>/<name>', async () => {
      expectStatus(await api.client.post(foos(ns), foo('stored')), 201);
      const kv = await api.store.get(`/registry/samplecontroller.k8s.io/foos/${ns}/stored`);
      assert.ok(kv !== undefined);
      assert.equal((JSON.parse(kv.value) as Obj).kind, 'Foo');
    });

    it('a CRD’s group and plural cannot change, nor its scope and kind once it is established', async () => {
      const crd = expectStatus(await api.client.get(FOO_CRD_PATH), 200);
      const spec = crd.spec as Obj;
      const changed = expectStatus(
        await api.client.put(FOO_CRD_PATH, { ...crd, spec: { ...spec, scope: 'Cluster', names: { ...(spec.names as Obj), kind: 'Fool' } } }),
        422,
        'Invalid',
      );
      const fields = causes(changed).map((c) => c.field);
      assert.ok(fields.includes('spec.scope'), JSON.stringify(changed));
      assert.ok(fields.includes('spec.names.kind'), JSON.stringify(changed));
      const moved = expectStatus(await api.client.put(FOO_CRD_PATH, { ...crd, spec: { ...spec, group: 'other.example.com' } }), 422, 'Invalid');
      assert.ok(causes(moved).some((c) => c.field === 'spec.group' && c.message === 'Invalid value: "other.example.com": field is immutable'), JSON.stringify(moved));
    });

    it('a restarted server serves the custom resources of the CRDs in storage', async () => {
      expectStatus(await api.client.post(foos(ns), foo('survivor')), 201);
      await api.restart();
      const read = expectStatus(await api.client.get(`${foos(ns)}/survivor`), 200);
      assert.equal(read.kind, 'Foo');
      const resources = expectStatus(await api.client.get(GROUP_VERSION), 200);
      assert.ok((resources.resources as Obj[]).some((r) => r.name === 'foos'));
    });

    it('a second API server on the same storage serves a CRD created through the first, and stops when it is deleted through the second', async () => {
      const second = new ApiServer({ store: api.store, logger: silentLogger, watchCache: { bookmarkIntervalMs: 1000 } });
      await second.start();
      const { port } = await second.listen(0);
      const client = new HttpClient(`http://127.0.0.1:${port}`);
      try {
        const bars = '/apis/second.example.com/v1alpha1/namespaces/default/bars';
        expectStatus(await api.client.post(CRDS, crdOf('second.example.com', 'Bar', 'bars')), 201);
        await eventuallyAnswers(client, bars, 200);
        expectStatus(await client.post(bars, { apiVersion: 'second.example.com/v1alpha1', kind: 'Bar', metadata: { name: 'b' }, spec: {} }), 201);
        expectStatus(await api.client.get(`${bars}/b`), 200);
        expectStatus(await client.delete(`${CRDS}/bars.second.example.com`), 200);
        await eventuallyAnswers(api.client, bars, 404);
        await eventuallyAnswers(client, `${CRDS}/bars.second.example.com`, 404);
      } finally {
        client.close();
        await second.close();
      }
    });

    it('adding a served version to a CRD serves the same objects under it, and discovery prefers it', async () => {
      expectStatus(await api.client.post(foos(ns), foo('versioned')), 201);
      const crd = expectStatus(await api.client.get(FOO_CRD_PATH), 200);
      const spec = crd.spec as Obj;
      const first = (spec.versions as Obj[])[0] as Obj;
      const updated = expectStatus(
        await api.client.put(FOO_CRD_PATH, { ...crd, spec: { ...spec, versions: [first, { ...first, name: 'v1beta1', storage: false }] } }),
        200,
      );
      assert.equal(updated.metadata.generation, Number(crd.metadata.generation) + 1);
      const beta = `/apis/samplecontroller.k8s.io/v1beta1/namespaces/${ns}/foos/versioned`;
      const read = expectStatus(await eventuallyAnswers(api.client, beta, 200), 200);
      assert.equal(read.apiVersion, 'samplecontroller.k8s.io/v1beta1');
      const alpha = expectStatus(await api.client.get(`${foos(ns)}/versioned`), 200);
      assert.equal(read.metadata.uid, alpha.metadata.uid);
      const group = expectStatus(await api.client.get('/apis/samplecontroller.k8s.io'), 200);
      assert.deepEqual(group.preferredVersion, { groupVersion: 'samplecontroller.k8s.io/v1beta1', version: 'v1beta1' });
      const written = expectStatus(await api.client.patch(beta, { spec: { replicas: 6 } }, MERGE), 200);
      assert.equal(written.apiVersion, 'samplecontroller.k8s.io/v1beta1');
      const kv = await api.store.get(`/registry/samplecontroller.k8s.io/foos/${ns}/versioned`);
      assert.equal((JSON.parse(kv?.value ?? '{}') as Obj).apiVersion, 'samplecontroller.k8s.io/v1alpha1', 'objects are stored in the storage version');
    });

    it('new short names and categories are accepted and listed by discovery', async () => {
      const patched = expectStatus(await api.client.patch(FOO_CRD_PATH, { spec: { names: { shortNames: ['fo'], categories: ['all'] } } }, MERGE), 200);
      assert.deepEqual((patched.status as Obj).acceptedNames, {
        plural: 'foos',
        singular: 'foo',
        shortNames: ['fo'],
        kind: 'Foo',
        listKind: 'FooList',
        categories: ['all'],
      });
      const listed = await eventually(async () => {
        const resources = object(await api.client.get(GROUP_VERSION)).resources as Obj[] | undefined;
        const foosEntry = resources?.find((r) => r.name === 'foos');
        return foosEntry?.shortNames === undefined ? undefined : foosEntry;
      }, 'discovery to list the short name');
      assert.deepEqual([listed.shortNames, listed.categories], [['fo'], ['all']]);
      const aggregated = expectStatus(await api.client.get('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' }), 200);
      const versions = ((aggregated.items as Obj[]).find((i) => i.metadata.name === 'samplecontroller.k8s.io')?.versions ?? []) as Obj[];
      const resource = versions.flatMap((v) => v.resources as Obj[]).find((r) => r.resource === 'foos');
      assert.deepEqual([resource?.shortNames, resource?.categories], [['fo'], ['all']]);
    });

    it('a CRD whose names clash with a built-in resource or another CRD is not accepted and not served', async () => {
      const widgets = expectStatus(
        await api.client.post(CRDS, crdOf('samplecontroller.k8s.io', 'Foo', 'widgets', { names: { kind: 'Foo', plural: 'widgets', listKind: 'WidgetList' } })),
        201,
      );
      const accepted = condition(widgets, 'NamesAccepted');
      assert.deepEqual([accepted?.status, accepted?.reason, accepted?.message], ['False', 'KindConflict', '"Foo" is already in use']);
      const established = condition(widgets, 'Established');
      assert.deepEqual([established?.status, established?.reason, established?.message], ['False', 'NotAccepted', 'not all names are accepted']);
      const leases = expectStatus(await api.client.post(CRDS, crdOf('coordination.k8s.io', 'MyLease', 'leases')), 201);
      assert.deepEqual([condition(leases, 'NamesAccepted')?.status, condition(leases, 'NamesAccepted')?.reason], ['False', 'PluralConflict']);
      // The built-in leases are untouched and the widgets are not served.
      expectStatus(await api.client.get('/apis/coordination.k8s.io/v1/namespaces/default/leases'), 200);
      expectStatus(await api.client.get(`/apis/samplecontroller.k8s.io/v1alpha1/namespaces/${ns}/widgets`), 404, 'NotFound');
      for (const name of ['widgets.samplecontroller.k8s.io', 'leases.coordination.k8s.io']) {
        expectStatus(await api.client.delete(`${CRDS}/${name}`), 200);
        await eventuallyAnswers(api.client, `${CRDS}/${name}`, 404);
      }
      expectStatus(await api.client.get('/apis/coordination.k8s.io/v1/namespaces/default/leases'), 200);
    });

    it('a CRD whose names clashed is accepted and served once the CRD holding them is deleted', async () => {
      expectStatus(await api.client.post(CRDS, crdOf('clash.example.com', 'Gadget', 'gadgets')), 201);
      const things = expectStatus(await api.client.post(CRDS, crdOf('clash.example.com', 'Gadget', 'things')), 201);
      assert.equal(condition(things, 'NamesAccepted')?.status, 'False');
      expectStatus(await api.client.delete(`${CRDS}/gadgets.clash.example.com`), 200);
      await eventually(async () => {
        const crd = object(await api.client.get(`${CRDS}/things.clash.example.com`));
        return condition(crd, 'Established')?.status === 'True' ? crd : undefined;
      }, 'things.clash.example.com to be established');
      await eventuallyAnswers(api.client, '/apis/clash.example.com/v1alpha1/namespaces/default/things', 200);
    });

    it('invalid CRDs are 422 Invalid with causes naming the fields, in upstream’s words', async () => {
      const version = ((FOO_CRD.spec as Obj).versions as Obj[])[0] as Obj;
      const withVersions = (versions: Record<string, unknown>[]): Obj => crdOf('invalid.example.com', 'Thing', 'things', { versions });
      const cases: { body: Obj; expected: [string, string][] }[] = [
        {
          body: { ...crdOf('invalid.example.com', 'Thing', 'things'), metadata: { name: 'others.invalid.example.com' } },
          expected: [['metadata.name', 'Invalid value: "others.invalid.example.com": must be spec.names.plural+"."+spec.group']],
        },
        { body: crdOf('nodots', 'Thing', 'things'), expected: [['spec.group', 'Invalid value: "nodots": should be a domain with at least one dot']] },
        {
          body: crdOf('invalid.example.com', 'Thing', 'things', { scope: 'Global' }),
          expected: [['spec.scope', 'Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
        },
        {
          body: withVersions([{ ...version, storage: false }]),
          expected: [['spec.versions', 'must have exactly one version marked as storage version']],
        },
        {
          body: withVersions([version, { ...version, name: 'v1' }]),
          expected: [['spec.versions', 'must have exactly one version marked as storage version']],
        },
        { body: withVersions([version, { ...version, storage: false }]), expected: [['spec.versions', 'must contain unique version names']] },
        { body: withVersions([{ ...version, name: 'V1' }]), expected: [['spec.versions[0].name', 'Invalid value: "V1": a DNS-1035 label']] },
        {
          body: withVersions([{ name: 'v1', served: true, storage: true }]),
          expected: [['spec.versions[0].schema.openAPIV3Schema', 'Required value: schemas are required']],
        },
        {
          body: withVersions([{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'string' } } }]),
          expected: [['spec.versions[0].schema.openAPIV3Schema.type', 'Invalid value: "string": must be object at the root']],
        },
        {
          body: withVersions([{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: {} } } } }]),
          expected: [['spec.versions[0].schema.openAPIV3Schema.properties[spec].type', 'Required value: must not be empty for specified object fields']],
        },
        {
          body: withVersions([{ ...version, subresources: { scale: { specReplicasPath: '.status.replicas' } } }]),
          expected: [
            ['spec.versions[0].subresources.scale.specReplicasPath', 'Invalid value: ".status.replicas": should be a json path under .spec'],
            ['spec.versions[0].subresources.scale.statusReplicasPath', 'Required value'],
          ],
        },
        {
          body: crdOf('invalid.example.com', 'Thing', 'things', { names: { plural: 'things', kind: 'Thing', listKind: 'Thing' } }),
          expected: [['spec.names.listKind', 'Invalid value: "Thing": kind and listKind may not be the same']],
        },
        {
          body: { ...crdOf('invalid.k8s.io', 'Thing', 'things'), metadata: { name: 'things.invalid.k8s.io' } },
          expected: [['metadata.annotations[api-approved.kubernetes.io]', 'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111']],
        },
      ];
      for (const { body, expected } of cases) {
        const refused = expectStatus(await api.client.post(CRDS, body), 422, 'Invalid');
        const found = causes(refused);
        for (const [field, message] of expected) {
          assert.ok(
            found.some((c) => c.field === field && c.message.includes(message)),
            `expected ${field}: ${message} in ${JSON.stringify(refused)}`,
          );
        }
        assert.match(String(refused.message), /^CustomResourceDefinition\.apiextensions\.k8s\.io ".*" is invalid: /);
      }
      const notBoolean = expectStatus(await api.client.post(CRDS, withVersions([{ ...version, served: 'yes' }])), 400, 'BadRequest');
      assert.match(String(notBoolean.message), /cannot unmarshal string into Go struct field .*served of type bool/);
    });

    it('a deleted CRD whose custom resource has a finalizer stays served, refusing creates with 405, until the finalizer goes', async () => {
      expectStatus(await api.client.post(foos(ns), { ...foo('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } }), 201);
      expectStatus(await api.client.delete(FOO_CRD_PATH), 200);
      // The custom resource is deleted (it gets its deletionTimestamp) but its finalizer holds it.
      const held = await eventually(async () => {
        const body = expectStatus(await api.client.get(`${foos(ns)}/held`), 200);
        return typeof body.metadata.deletionTimestamp === 'string' ? body : undefined;
      }, 'the custom resource to be marked for deletion');
      assert.deepEqual(held.metadata.finalizers, ['example.com/hold']);
      const refused = expectStatus(await api.client.post(foos(ns), foo('late')), 405, 'MethodNotAllowed');
      assert.equal(refused.message, 'create not allowed while custom resource definition is terminating');
      expectStatus(await api.client.get(FOO_CRD_PATH), 200);
      expectStatus(await api.client.patch(`${foos(ns)}/held`, { metadata: { finalizers: null } }, 'application/merge-patch+json'), 200);
      await eventuallyAnswers(api.client, FOO_CRD_PATH, 404);
      // The CRD's endpoints go when the server's watch of CRDs sees it gone, soon after its last read
      // as present; on a loaded machine with etcd, not always before the next request.
      expectStatus(await eventuallyAnswers(api.client, foos(ns), 404), 404, 'NotFound');
      // The same CRD can be created again, for the next test.
      expectStatus(await api.client.post(CRDS, FOO_CRD), 201);
      await eventuallyAnswers(api.client, foos(ns), 200);
    });

    it('deleting a CRD stops serving its custom resources and deletes them', async () => {
      expectStatus(await api.client.post(foos(ns), foo('doomed')), 201);
      const deleting = expectStatus(await api.client.delete(FOO_CRD_PATH), 200);
      assert.ok(typeof deleting.metadata.deletionTimestamp === 'string');
      assert.deepEqual(deleting.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
      assert.equal(condition(deleting, 'Terminating')?.reason, 'InstanceDeletionPending');
      await eventuallyAnswers(api.client, FOO_CRD_PATH, 404);
      // As above: the endpoints go once the server's watch of CRDs has seen it gone.
      expectStatus(await eventuallyAnswers(api.client, foos(ns), 404), 404, 'NotFound');
      expectStatus(await api.client.get(`${foos(ns)}/doomed`), 404, 'NotFound');
      const left = await api.store.list('/registry/samplecontroller.k8s.io/foos/');
      assert.deepEqual(left.items.map((kv) => kv.key), []);
      const groups = expectStatus(await api.client.get('/apis'), 200);
      assert.equal((groups.groups as Obj[]).find((g) => g.name === 'samplecontroller.k8s.io'), undefined);
      // The same CRD can be created again, and starts empty.
      expectStatus(await api.client.post(CRDS, FOO_CRD), 201);
      const empty = expectStatus(await eventuallyAnswers(api.client, foos(ns), 200), 200);
      assert.deepEqual(empty.items, []);
    });
  });
}

describe('CustomResourceDefinitions on one etcd shared by two API servers, each with its own etcd client', () => {
  let etcd: Awaited<ReturnType<typeof sharedTestEtcd>>;
  const servers: { server: ApiServer; store: Store; client: HttpClient }[] = [];
  before(async () => {
    etcd = await sharedTestEtcd();
    const keyPrefix = `/crds-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const store = await openEtcdStore({ endpoints: etcd.endpoints, keyPrefix, logger: silentLogger, compaction: false });
      const server = new ApiServer({ store, logger: silentLogger });
      await server.start();
      const { port } = await server.listen(0);
      servers.push({ server, store, client: new HttpClient(`http://127.0.0.1:${port}`) });
    }
  });
  after(async () => {
    for (const { server, store, client } of servers) {
      client.close();
      await server.close();
      await store.close();
    }
    await etcd.release();
  });

  it('each serves a CRD created through the other, and both stop when it is deleted', async () => {
    const [a, b] = servers as [(typeof servers)[number], (typeof servers)[number]];
    expectStatus(await a.client.post(CRDS, FOO_CRD), 201);
    await eventuallyAnswers(b.client, foos('default'), 200);
    expectStatus(await b.client.post(foos('default'), foo('shared')), 201);
    expectStatus(await eventuallyAnswers(a.client, `${foos('default')}/shared`, 200), 200);
    const discovery = expectStatus(await b.client.get(GROUP_VERSION), 200);
    assert.ok((discovery.resources as Obj[]).some((r) => r.name === 'foos'));
    expectStatus(await b.client.delete(FOO_CRD_PATH), 200);
    await eventuallyAnswers(a.client, FOO_CRD_PATH, 404);
    await eventuallyAnswers(a.client, foos('default'), 404);
    await eventuallyAnswers(b.client, foos('default'), 404);
    assert.equal((await a.store.list('/registry/samplecontroller.k8s.io/')).items.length, 0);
  });
});
