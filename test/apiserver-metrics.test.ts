/**
 * The resource metrics API (metrics.k8s.io/v1beta1), computed from the pods and nodes the server
 * holds: a Running pod's containers use what they request, or what its usage annotations say; a
 * Ready node uses the sum of its Running pods; pods that do not run and nodes that are not Ready
 * have no metrics. Read only, as metrics-server serves it: get and list with selectors, nothing
 * else. On SQLite: nothing here depends on the storage backend.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';

type Obj = Record<string, unknown>;
const METRICS = '/apis/metrics.k8s.io/v1beta1';

interface Metrics {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Obj };
  readonly window: string;
  readonly usage?: { readonly cpu: string; readonly memory: string };
  readonly containers?: readonly { readonly name: string; readonly usage: { readonly cpu: string; readonly memory: string } }[];
}

function node(name: string, ready: boolean): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { zone: 'a' } },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pod(name: string, nodeName: string, cpu: string, memory: string, annotations: Obj = {}): Obj {
  const resources = { requests: { cpu, memory } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name.startsWith('web') ? 'web' : 'other' }, annotations },
    spec: { nodeName, containers: [{ name: 'a', image: 'nginx', resources }, { name: 'b', image: 'nginx', resources }] },
  };
}

describe('metrics.k8s.io', () => {
  let api: RunningApi;
  const get = async <T>(path: string): Promise<T> => {
    const response = await api.client.get(path);
    assert.equal(response.status, 200, response.text);
    return response.json as T;
  };

  before(async () => {
    api = await startApi('sqlite');
    for (const [name, ready] of [['n1', true], ['n2', true], ['gone', false]] as const) {
      assert.equal((await api.client.post('/api/v1/nodes', node(name, ready))).status, 201);
    }
    const pods = [
      pod('web-1', 'n1', '100m', '64Mi'),
      pod('web-2', 'n1', '250m', '1Gi', { 'kubelite.dev/cpu-usage': '1', 'kubelite.dev/memory-usage': '100Mi' }),
      pod('other', 'n2', '50m', '10Mi'),
      pod('pending', 'n2', '1', '1Gi'),
    ];
    for (const object of pods) assert.equal((await api.client.post('/api/v1/namespaces/default/pods', object)).status, 201);
    for (const name of ['web-1', 'web-2', 'other']) {
      const patched = await api.client.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
      assert.equal(patched.status, 200, patched.text);
    }
  });
  after(() => api.close());

  it('discovery offers nodes and pods, for get and list only', async () => {
    const resources = (await get<{ resources: Obj[] }>(METRICS)).resources;
    assert.deepEqual(
      resources.map((r) => [r.name, r.kind, r.namespaced, r.verbs]),
      [
        ['nodes', 'NodeMetrics', false, ['get', 'list']],
        ['pods', 'PodMetrics', true, ['get', 'list']],
      ],
    );
  });

  it('OpenAPI describes only the reads: a list and a get of each, and the list across namespaces', async () => {
    const document = await get<{ paths: Record<string, Obj>; components: { schemas: Obj } }>('/openapi/v3/apis/metrics.k8s.io/v1beta1');
    const operations = Object.entries(document.paths).map(([path, item]) => `${Object.keys(item).filter((key) => key !== 'parameters').join(',')} ${path}`);
    assert.deepEqual(operations.sort(), [
      'get /apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods',
      'get /apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}',
      'get /apis/metrics.k8s.io/v1beta1/nodes',
      'get /apis/metrics.k8s.io/v1beta1/nodes/{name}',
      'get /apis/metrics.k8s.io/v1beta1/pods',
    ]);
    assert.ok('io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics' in document.components.schemas);
  });

  it('a Running pod\'s containers use what they request, or what its annotations say; other pods have no metrics', async () => {
    const list = await get<{ kind: string; items: Metrics[] }>(`${METRICS}/namespaces/default/pods`);
    assert.equal(list.kind, 'PodMetricsList');
    const byName = new Map(list.items.map((item) => [item.metadata.name, item.containers?.map((c) => `${c.name} ${c.usage.cpu} ${c.usage.memory}`)]));
    assert.deepEqual([...byName.keys()].sort(), ['other', 'web-1', 'web-2'], 'the pending pod has none');
    assert.deepEqual(byName.get('web-1'), ['a 100m 64Mi', 'b 100m 64Mi']);
    assert.deepEqual(byName.get('web-2'), ['a 1 100Mi', 'b 1 100Mi']);
    const one = await get<Metrics>(`${METRICS}/namespaces/default/pods/web-1`);
    assert.deepEqual([one.kind, one.metadata.namespace, one.metadata.labels, one.window], ['PodMetrics', 'default', { app: 'web' }, '15s']);
  });

  it('a Ready node uses the sum of its Running pods; a node that is not Ready has no metrics', async () => {
    const list = await get<{ items: Metrics[] }>(`${METRICS}/nodes`);
    const usage = new Map(list.items.map((item) => [item.metadata.name, `${item.usage?.cpu} ${item.usage?.memory}`]));
    assert.deepEqual([...usage.keys()].sort(), ['n1', 'n2']);
    assert.equal(usage.get('n1'), '2200m 328Mi', 'web-1 (2 × 100m, 2 × 64Mi) and web-2 (2 × 1, 2 × 100Mi)');
    assert.equal(usage.get('n2'), '100m 20Mi', 'other only: the pending pod uses nothing');
    assert.deepEqual((await get<Metrics>(`${METRICS}/nodes/n1`)).metadata.labels, { zone: 'a' });
  });

  it('lists take label and name selectors; a missing object is 404, an unknown field label 400', async () => {
    const web = await get<{ items: Metrics[] }>(`${METRICS}/pods?labelSelector=app%3Dweb`);
    assert.deepEqual(web.items.map((item) => item.metadata.name).sort(), ['web-1', 'web-2']);
    const named = await get<{ items: Metrics[] }>(`${METRICS}/namespaces/default/pods?fieldSelector=metadata.name%3Dother`);
    assert.deepEqual(named.items.map((item) => item.metadata.name), ['other']);
    assert.equal((await get<{ items: Metrics[] }>(`${METRICS}/namespaces/elsewhere/pods`)).items.length, 0);
    const missing = await api.client.get(`${METRICS}/namespaces/default/pods/pending`);
    assert.equal(missing.status, 404);
    assert.equal((missing.json as Obj).message, 'pods.metrics.k8s.io "pending" not found');
    assert.equal((await api.client.get(`${METRICS}/pods?fieldSelector=spec.nodeName%3Dn1`)).status, 400);
  });

  it('it is read only: a watch or a write is 405, and nothing is stored', async () => {
    assert.equal((await api.client.get(`${METRICS}/pods?watch=true`)).status, 405);
    const created = await api.client.post(`${METRICS}/namespaces/default/pods`, { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: { name: 'fake' } });
    assert.equal(created.status, 405);
    assert.equal((await api.client.delete(`${METRICS}/nodes/n1`)).status, 405);
    assert.equal((await api.client.get(`${METRICS}/namespaces/default/pods/fake`)).status, 404);
  });

  it('answers in the other forms too: metadata only and Table', async () => {
    const metadata = await api.client.get(`${METRICS}/nodes`, { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' });
    assert.equal((metadata.json as Obj).kind, 'PartialObjectMetadataList');
    const table = await api.client.get(`${METRICS}/nodes`, { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' });
    assert.deepEqual((table.json as { rows: { cells: unknown[] }[] }).rows.map((row) => row.cells[0]).sort(), ['n1', 'n2']);
  });
});
