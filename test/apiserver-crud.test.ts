/**
 * The API server's reads and writes over HTTP, on every storage backend: system fields, optimistic
 * concurrency, status subresource rules, finalizers and two-phase deletion, dry run, scope rules,
 * namespace lifecycle and the Status errors each mistake gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from '../src/testing/http-client.js';
import { BACKENDS, type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

function object(response: HttpResponse): Obj {
  assert.equal(typeof response.json, 'object', `expected a JSON object, got ${response.text.slice(0, 200)}`);
  return response.json as Obj;
}

function expectStatus(response: HttpResponse, code: number, reason?: string): Obj {
  const body = object(response);
  assert.equal(response.status, code, `expected ${code}, got ${response.status}: ${response.text.slice(0, 300)}`);
  if (reason !== undefined) {
    assert.equal(body.kind, 'Status');
    assert.equal(body.reason, reason, response.text);
    assert.equal(body.code, code);
  }
  return body;
}

let namespaceCounter = 0;
async function freshNamespace(api: RunningApi): Promise<string> {
  const name = `ns-${++namespaceCounter}-${Date.now() % 100000}`;
  expectStatus(await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), 201);
  return name;
}

const configMap = (name: string, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

for (const backend of BACKENDS) {
  describe(`API server reads and writes (${backend})`, () => {
    let api: RunningApi;
    before(async () => {
      api = await startApi(backend);
    });
    after(() => api.close());

    it('the system namespaces exist from the start and are Active', async () => {
      const list = expectStatus(await api.client.get('/api/v1/namespaces'), 200);
      const names = (list.items as Obj[]).map((n) => n.metadata.name);
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(name), name);
      const ns = expectStatus(await api.client.get('/api/v1/namespaces/default'), 200);
      assert.deepEqual(ns.status, { phase: 'Active' });
      assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    });

    it('create sets uid, creationTimestamp and resourceVersion, and get returns the same object', async () => {
      const ns = await freshNamespace(api);
      const created = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('a')), 201);
      assert.match(String(created.metadata.uid), /^[0-9a-f-]{36}$/);
      assert.match(String(created.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(String(created.metadata.resourceVersion), /^[1-9][0-9]*$/);
      assert.equal(created.metadata.namespace, ns);
      assert.equal(created.metadata.generation, undefined, 'ConfigMaps do not track generation');
      const fetched = expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/configmaps/a`), 200);
      assert.deepEqual(fetched, created);
    });

    it('generateName gives a unique name with a random suffix', async () => {
      const ns = await freshNamespace(api);
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' } };
      const first = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, body), 201);
      const second = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, body), 201);
      assert.match(String(first.metadata.name), /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.notEqual(first.metadata.name, second.metadata.name);
    });

    it('a duplicate create is 409 AlreadyExists with upstream\'s message', async () => {
      const ns = await freshNamespace(api);
      expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('dup')), 201);
      const error = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('dup')), 409, 'AlreadyExists');
      assert.equal(error.message, 'configmaps "dup" already exists');
      assert.deepEqual(error.details, { name: 'dup', kind: 'configmaps' });
    });

    it('an update with a stale resourceVersion is 409 Conflict; a current one succeeds with a new version', async () => {
      const ns = await freshNamespace(api);
      const created = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('cas')), 201);
      const updated = expectStatus(
        await api.client.put(`/api/v1/namespaces/${ns}/configmaps/cas`, { ...created, data: { a: '2' } }),
        200,
      );
      assert.ok(Number(updated.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
      const stale = expectStatus(await api.client.put(`/api/v1/namespaces/${ns}/configmaps/cas`, { ...created, data: { a: '3' } }), 409, 'Conflict');
      assert.equal(
        stale.message,
        'Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('an update that changes nothing keeps the resourceVersion', async () => {
      const ns = await freshNamespace(api);
      const created = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('same')), 201);
      const again = expectStatus(await api.client.put(`/api/v1/namespaces/${ns}/configmaps/same`, created), 200);
      assert.equal(again.metadata.resourceVersion, created.metadata.resourceVersion);
    });

    it('a body naming another object or namespace than the URL is 400 with upstream\'s message', async () => {
      const ns = await freshNamespace(api);
      const created = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('x')), 201);
      const renamed = expectStatus(
        await api.client.put(`/api/v1/namespaces/${ns}/configmaps/x`, { ...created, metadata: { ...created.metadata, name: 'y' } }),
        400,
        'BadRequest',
      );
      assert.equal(renamed.message, 'the name of the object (y) does not match the name on the URL (x)');
      const moved = expectStatus(
        await api.client.put(`/api/v1/namespaces/${ns}/configmaps/x`, { ...created, metadata: { ...created.metadata, namespace: 'other' } }),
        400,
        'BadRequest',
      );
      assert.equal(moved.message, 'the namespace of the provided object does not match the namespace sent on the request');
      const wrongKind = expectStatus(
        await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }),
        400,
        'BadRequest',
      );
      assert.match(String(wrongKind.message), /^Secret in version "v1" cannot be handled as a ConfigMap/);
      const wrongVersion = expectStatus(
        await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 's' } }),
        400,
        'BadRequest',
      );
      assert.equal(wrongVersion.message, 'the API version in the data (apps/v1) does not match the expected API version (v1)');
    });

    it('a path of the wrong scope is 404, never the other scope\'s object', async () => {
      expectStatus(await api.client.get('/api/v1/namespaces/default/namespaces/default'), 404, 'NotFound');
      expectStatus(await api.client.get('/api/v1/configmaps/whatever'), 404, 'NotFound');
      expectStatus(await api.client.post('/api/v1/configmaps', configMap('nope')), 404, 'NotFound');
      expectStatus(await api.client.get('/api/v1/nonexistentresources'), 404, 'NotFound');
    });

    it('creating in a missing namespace is 404; in a terminating one, 403 with upstream\'s message', async () => {
      const missing = expectStatus(await api.client.post('/api/v1/namespaces/does-not-exist/configmaps', configMap('a')), 404, 'NotFound');
      assert.equal(missing.message, 'namespaces "does-not-exist" not found');
      const ns = await freshNamespace(api);
      const deleted = expectStatus(await api.client.delete(`/api/v1/namespaces/${ns}`), 200);
      assert.equal((deleted.status as Obj).phase, 'Terminating');
      const refused = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('late')), 403, 'Forbidden');
      assert.equal(refused.message, `configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
    });

    it('names and labels are validated with 422 Invalid and causes naming the field', async () => {
      const ns = await freshNamespace(api);
      const bad = expectStatus(
        await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, {
          ...configMap('Bad_Name'),
          metadata: { name: 'Bad_Name', labels: { 'bad key!': 'v' } },
        }),
        422,
        'Invalid',
      );
      const fields = ((bad.details as Obj).causes as { field: string }[]).map((c) => c.field);
      assert.ok(fields.includes('metadata.name'), JSON.stringify(bad));
      assert.ok(fields.includes('metadata.labels'), JSON.stringify(bad));
      assert.match(String(bad.message), /^ConfigMap "Bad_Name" is invalid: \[/);
    });

    it('dryRun=All validates and answers without storing anything', async () => {
      const ns = await freshNamespace(api);
      const dry = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps?dryRun=All`, configMap('dry')), 201);
      assert.equal(dry.metadata.name, 'dry');
      expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/configmaps/dry`), 404, 'NotFound');
    });

    it('finalizers keep a deleted object, with deletionTimestamp set, until the last one is removed', async () => {
      const ns = await freshNamespace(api);
      const body = { ...configMap('fin'), metadata: { name: 'fin', finalizers: ['example.com/a', 'example.com/b'] } };
      expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, body), 201);
      const deleting = expectStatus(await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/fin`), 200);
      assert.ok(typeof deleting.metadata.deletionTimestamp === 'string');
      const still = expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/configmaps/fin`), 200);
      const added = expectStatus(
        await api.client.put(`/api/v1/namespaces/${ns}/configmaps/fin`, {
          ...still,
          metadata: { ...still.metadata, finalizers: ['example.com/a', 'example.com/b', 'example.com/c'] },
        }),
        422,
        'Invalid',
      );
      assert.match(String(added.message), /no new finalizers can be added if the object is being deleted/);
      const one = expectStatus(
        await api.client.put(`/api/v1/namespaces/${ns}/configmaps/fin`, { ...still, metadata: { ...still.metadata, finalizers: ['example.com/b'] } }),
        200,
      );
      expectStatus(
        await api.client.put(`/api/v1/namespaces/${ns}/configmaps/fin`, { ...one, metadata: { ...one.metadata, finalizers: [] } }),
        200,
      );
      expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/configmaps/fin`), 404, 'NotFound');
    });

    it('delete preconditions on uid and resourceVersion fail with 409 Conflict', async () => {
      const ns = await freshNamespace(api);
      const created = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('pre')), 201);
      expectStatus(
        await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/pre`, { preconditions: { uid: 'not-the-uid' } }),
        409,
        'Conflict',
      );
      expectStatus(
        await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/pre`, { preconditions: { resourceVersion: '1' } }),
        409,
        'Conflict',
      );
      expectStatus(
        await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/pre`, { preconditions: { uid: created.metadata.uid } }),
        200,
      );
      expectStatus(await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/pre`), 404, 'NotFound');
    });

    it('a Foreground or Orphan delete leaves its finalizer for the garbage collector', async () => {
      const ns = await freshNamespace(api);
      expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('fg')), 201);
      const fg = expectStatus(await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/fg?propagationPolicy=Foreground`), 200);
      assert.deepEqual(fg.metadata.finalizers, ['foregroundDeletion']);
      expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('or')), 201);
      const orphan = expectStatus(await api.client.delete(`/api/v1/namespaces/${ns}/configmaps/or`, { propagationPolicy: 'Orphan' }), 200);
      assert.deepEqual(orphan.metadata.finalizers, ['orphan']);
    });

    it('deletecollection deletes what the selector matches', async () => {
      const ns = await freshNamespace(api);
      for (const [name, app] of [['a', 'x'], ['b', 'x'], ['c', 'y']] as const) {
        expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, { ...configMap(name), metadata: { name, labels: { app } } }), 201);
      }
      const deleted = expectStatus(await api.client.delete(`/api/v1/namespaces/${ns}/configmaps?labelSelector=app%3Dx`), 200);
      assert.deepEqual((deleted.items as Obj[]).map((i) => i.metadata.name).sort(), ['a', 'b']);
      const left = expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/configmaps`), 200);
      assert.deepEqual((left.items as Obj[]).map((i) => i.metadata.name), ['c']);
    });

    it('patches: JSON merge patch, JSON patch and strategic merge patch', async () => {
      const ns = await freshNamespace(api);
      expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('p', { a: '1', b: '2' })), 201);
      const merged = expectStatus(
        await api.client.patch(`/api/v1/namespaces/${ns}/configmaps/p`, { data: { b: null, c: '3' } }, 'application/merge-patch+json'),
        200,
      );
      assert.deepEqual(merged.data, { a: '1', c: '3' });
      const jsonPatched = expectStatus(
        await api.client.patch(`/api/v1/namespaces/${ns}/configmaps/p`, [{ op: 'replace', path: '/data/a', value: '9' }], 'application/json-patch+json'),
        200,
      );
      assert.deepEqual(jsonPatched.data, { a: '9', c: '3' });
      const strategic = expectStatus(
        await api.client.patch(`/api/v1/namespaces/${ns}/configmaps/p`, { metadata: { labels: { x: 'y' } } }, 'application/strategic-merge-patch+json'),
        200,
      );
      assert.deepEqual(strategic.metadata.labels, { x: 'y' });
      const failedTest = await api.client.patch(
        `/api/v1/namespaces/${ns}/configmaps/p`,
        [{ op: 'test', path: '/data/a', value: 'nope' }],
        'application/json-patch+json',
      );
      assert.ok(failedTest.status === 422 || failedTest.status === 409 || failedTest.status === 400, failedTest.text);
    });

    it('concurrent patches without a resourceVersion all land; a patch that sets a stale one is 409', async () => {
      const ns = await freshNamespace(api);
      const created = expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('many', {})), 201);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.client.patch(`/api/v1/namespaces/${ns}/configmaps/many`, { data: { [`k${i}`]: String(i) } }, 'application/merge-patch+json'),
        ),
      );
      assert.deepEqual(results.map((r) => r.status), results.map(() => 200));
      const final = expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/configmaps/many`), 200);
      assert.equal(Object.keys(final.data as object).length, 20);
      expectStatus(
        await api.client.patch(
          `/api/v1/namespaces/${ns}/configmaps/many`,
          { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { late: 'x' } },
          'application/merge-patch+json',
        ),
        409,
        'Conflict',
      );
    });

    it('Events are one store in two APIs: each sees, watches and field-selects the other\'s writes, renamed', async () => {
      const ns = await freshNamespace(api);
      const watch = await api.client.watch(`/apis/events.k8s.io/v1/namespaces/${ns}/events?watch=1`);
      try {
        const regarding = { kind: 'Pod', namespace: ns, name: 'web-1', uid: 'u-1', apiVersion: 'v1' };
        const modern = {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: 'scheduled' },
          eventTime: '2026-11-25T10:00:00.000000Z',
          reportingController: 'default-scheduler',
          reportingInstance: 'default-scheduler-1',
          action: 'Binding',
          reason: 'Scheduled',
          type: 'Normal',
          regarding,
          note: 'Successfully assigned web-1 to node-1',
        };
        expectStatus(await api.client.post(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, modern), 201);
        const asCore = expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/events/scheduled`), 200);
        assert.equal(asCore.apiVersion, 'v1');
        assert.deepEqual(asCore.involvedObject, regarding);
        assert.equal(asCore.message, modern.note);
        assert.equal(asCore.reportingComponent, 'default-scheduler');
        assert.deepEqual(asCore.source, {});

        const legacy = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'pulled' },
          involvedObject: regarding,
          reason: 'Pulled',
          message: 'Image pulled',
          source: { component: 'kubelet', host: 'node-1' },
          firstTimestamp: '2026-11-25T10:00:01Z',
          lastTimestamp: '2026-11-25T10:00:02Z',
          count: 2,
          type: 'Normal',
        };
        expectStatus(await api.client.post(`/api/v1/namespaces/${ns}/events`, legacy), 201);
        const asModern = expectStatus(await api.client.get(`/apis/events.k8s.io/v1/namespaces/${ns}/events/pulled`), 200);
        assert.equal(asModern.apiVersion, 'events.k8s.io/v1');
        assert.equal(asModern.note, 'Image pulled');
        assert.deepEqual(asModern.deprecatedSource, legacy.source);
        assert.equal(asModern.deprecatedCount, 2);
        assert.equal(asModern.deprecatedLastTimestamp, legacy.lastTimestamp);
        assert.equal(asModern.involvedObject, undefined);

        const events = await watch.until((e) => e.length >= 2);
        assert.deepEqual(events.map((e) => [e.type, e.object.apiVersion, (e.object.metadata as Obj['metadata']).name]), [
          ['ADDED', 'events.k8s.io/v1', 'scheduled'],
          ['ADDED', 'events.k8s.io/v1', 'pulled'],
        ]);
        const selected = expectStatus(await api.client.get(`/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=reportingController%3Ddefault-scheduler`), 200);
        assert.deepEqual((selected.items as Obj[]).map((e) => e.metadata.name), ['scheduled']);
        const both = expectStatus(await api.client.get(`/api/v1/namespaces/${ns}/events`), 200);
        assert.deepEqual((both.items as Obj[]).map((e) => e.metadata.name), ['pulled', 'scheduled']);
      } finally {
        watch.close();
      }
    });

    it('a namespace carries the label kubernetes.io/metadata.name with its name, which an update cannot remove', async () => {
      const name = `lbl-${Date.now() % 100000}`;
      const created = expectStatus(await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), 201);
      assert.deepEqual(created.metadata.labels, { 'kubernetes.io/metadata.name': name });
      const updated = expectStatus(await api.client.put(`/api/v1/namespaces/${name}`, { ...created, metadata: { ...created.metadata, labels: { team: 'a' } } }), 200);
      assert.deepEqual(updated.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': name });
      const selected = expectStatus(await api.client.get(`/api/v1/namespaces?labelSelector=kubernetes.io/metadata.name%3D${name}`), 200);
      assert.deepEqual((selected.items as Obj[]).map((item) => item.metadata.name), [name]);
    });

    it('status subresource: the main resource ignores status and /status ignores the rest', async () => {
      const created = expectStatus(await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `st-${Date.now() % 100000}` } }), 201);
      const name = String(created.metadata.name);
      const viaMain = expectStatus(
        await api.client.put(`/api/v1/namespaces/${name}`, { ...created, metadata: { ...created.metadata, labels: { a: 'b' } }, status: { phase: 'Terminating' } }),
        200,
      );
      assert.deepEqual(viaMain.status, { phase: 'Active' }, 'status is ignored on the main resource');
      // Every namespace keeps the label with its name (SetDefaults_Namespace).
      assert.deepEqual(viaMain.metadata.labels, { a: 'b', 'kubernetes.io/metadata.name': name });
      const viaStatus = expectStatus(
        await api.client.put(`/api/v1/namespaces/${name}/status`, {
          ...viaMain,
          metadata: { ...viaMain.metadata, labels: { c: 'd' } },
          status: { phase: 'Active', conditions: [] },
        }),
        200,
      );
      assert.deepEqual(viaStatus.metadata.labels, { a: 'b', 'kubernetes.io/metadata.name': name }, 'metadata is ignored on /status');
      assert.deepEqual(viaStatus.status, { phase: 'Active', conditions: [] });
    });
  });
}
