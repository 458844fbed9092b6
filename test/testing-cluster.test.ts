/**
 * kubelite/testing: the in-process test cluster starts on memory or SQLite, installs CRDs, runs the
 * control plane on request, listens for kubectl on request, and injects the faults controllers must
 * survive — conflicts, errors, latency, expired and dropped watches — for its clients only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { SharedInformerFactory, waitForCacheSync } from '../src/client/cache/informer-factory.js';
import { isConflict, isInternalError, isResourceExpired } from '../src/client/errors.js';
import type { KubeObject } from '../src/client/object.js';
import { silentLogger } from '../src/util/logger.js';
import { type TestCluster, startTestCluster } from '../src/testing/index.js';
import { eventually } from './support/eventually.js';

const run = promisify(execFile);

const WIDGET_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
`;

const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true, kind: 'Widget' } as const;

describe('kubelite/testing: a test cluster', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ crds: [WIDGET_CRD], listen: true });
  });
  after(() => cluster.stop());

  test('serves the CRDs it was given as soon as it is handed over', async () => {
    const widgets = cluster.client.resource(WIDGETS).namespace('default');
    const created = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } } as KubeObject);
    assert.equal(created.metadata?.generation, 1);
  });

  test('installs more CRDs from a YAML file, and installing one again replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelite-crds-'));
    try {
      const file = join(dir, 'gadgets.yaml');
      writeFileSync(file, WIDGET_CRD.replaceAll('widget', 'gadget').replaceAll('Widget', 'Gadget'));
      await cluster.installCrds(file);
      await cluster.installCrds(file);
      const gadgets = cluster.client.resource({ ...WIDGETS, resource: 'gadgets', kind: 'Gadget' }).namespace('default');
      await gadgets.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' } });
      assert.equal((await gadgets.list()).items.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('installing an updated CRD resolves only once its new schema is in effect', async () => {
    const sprockets = WIDGET_CRD.replaceAll('widget', 'sprocket').replaceAll('Widget', 'Sprocket');
    await cluster.installCrds(sprockets);
    const objects = cluster.client.resource({ ...WIDGETS, resource: 'sprockets', kind: 'Sprocket' }).namespace('default');
    await objects.create({ apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name: 'big' }, spec: { size: 10 } } as KubeObject);
    for (let round = 0; round < 5; round++) {
      const maximum = round + 1;
      await cluster.installCrds(sprockets.replace('size: { type: integer }', `size: { type: integer, maximum: ${maximum} }`));
      await assert.rejects(
        objects.create({ apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name: `too-big-${round}` }, spec: { size: 10 } } as KubeObject),
        new RegExp(`should be less than or equal to ${maximum}`),
      );
    }
  });

  test('refuses a manifest holding something other than CRDs', async () => {
    await assert.rejects(cluster.installCrds('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n'), /expected only CustomResourceDefinitions.*found ConfigMap/);
  });

  test('listens for kubectl with the kubeconfig it wrote', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', cluster.kubeconfig ?? '', 'get', 'widgets', '-o', 'name']);
    assert.match(stdout, /widget\.example\.com\/w1/);
  });

  test('a conflict fault answers 409 to the matching write as many times as asked, then lets writes through', async () => {
    const configMaps = cluster.client.typed('v1/ConfigMap').namespace('default');
    const cm = await configMaps.create({ metadata: { name: 'conflicted' }, data: { a: '1' } });
    const fault = cluster.faults.conflict({ verb: 'update', resource: 'configmaps', name: 'conflicted' }, { times: 2 });
    await assert.rejects(configMaps.update({ ...cm, data: { a: '2' } }), isConflict);
    await assert.rejects(configMaps.update({ ...cm, data: { a: '2' } }), isConflict);
    const updated = await configMaps.update({ ...cm, data: { a: '2' } });
    assert.equal(updated.data?.a, '2');
    assert.equal(fault.hits, 2);
    // Other objects and other verbs were never affected.
    await configMaps.create({ metadata: { name: 'other' } });
  });

  test('an error fault answers its code to every client of the fault layer until removed', async () => {
    const fault = cluster.faults.error({ verb: 'list', resource: 'secrets' }, 500);
    // Reads that get a 5xx are retried (client-go's rules); these clients give up at once.
    const first = cluster.newClient({ maxRetries: 0 });
    const second = cluster.newClient({ maxRetries: 0 });
    await assert.rejects(first.typed('v1/Secret').namespace('default').list(), isInternalError);
    await assert.rejects(second.typed('v1/Secret').namespace('default').list(), isInternalError);
    assert.equal(fault.hits, 2);
    fault.remove();
    assert.deepEqual((await second.typed('v1/Secret').namespace('default').list()).items, []);
  });

  test('a client that retries gets through an error fault spent after a few hits', async () => {
    const fault = cluster.faults.error({ verb: 'get', resource: 'configmaps', name: 'conflicted' }, 503, { times: 2, retryAfterSeconds: 0 });
    const client = cluster.newClient({ retryBackoffMs: 1 });
    assert.equal((await client.typed('v1/ConfigMap').namespace('default').get('conflicted')).metadata?.name, 'conflicted');
    assert.equal(fault.hits, 2);
  });

  test('a latency fault holds a request back: a later request without it is answered first', async () => {
    const configMaps = cluster.client.typed('v1/ConfigMap').namespace('default');
    cluster.faults.latency({ verb: 'get', resource: 'configmaps', name: 'conflicted' }, 500, { times: 1 });
    const order: string[] = [];
    const slow = configMaps.get('conflicted').then(() => order.push('slow'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = configMaps.get('other').then(() => order.push('fast'));
    await Promise.all([slow, fast]);
    assert.deepEqual(order, ['fast', 'slow']);
  });

  test('an expired-watch fault makes an informer list again, and its cache still follows the objects', async () => {
    const factory = new SharedInformerFactory(cluster.client, { namespace: 'default', logger: silentLogger });
    const informer = factory.typed('v1/ConfigMap');
    const stop = new AbortController();
    factory.start(stop.signal);
    // Counts the informer's watches (its list is a streaming one: a watch with sendInitialEvents).
    const watches = cluster.faults.latency({ verb: 'watch', resource: 'configmaps' }, 0);
    try {
      assert.ok(await waitForCacheSync(stop.signal, [() => informer.hasSynced()]));
      const expired = cluster.faults.expireWatches({ resource: 'configmaps' });
      await eventually(() => (expired.hits === 1 ? true : undefined), 'the informer to watch again and meet the 410');
      await eventually(() => (watches.hits >= 1 ? true : undefined), 'the informer to list again');
      await cluster.client.typed('v1/ConfigMap').namespace('default').create({ metadata: { name: 'after-expiry' } });
      await eventually(() => informer.indexer.getByKey('default/after-expiry'), 'the informer to see a ConfigMap created after the relist');
    } finally {
      stop.abort();
      watches.remove();
    }
  });

  test('dropping watches resets their connections; an informer watches again and misses nothing', async () => {
    const factory = new SharedInformerFactory(cluster.client, { namespace: 'default', logger: silentLogger });
    const informer = factory.typed('v1/Secret');
    const stop = new AbortController();
    factory.start(stop.signal);
    try {
      assert.ok(await waitForCacheSync(stop.signal, [() => informer.hasSynced()]));
      await eventually(() => (cluster.faults.openWatches({ resource: 'secrets' }) === 1 ? true : undefined), 'one open watch on secrets');
      assert.equal(cluster.faults.dropWatches({ resource: 'secrets' }), 1);
      await cluster.client.typed('v1/Secret').namespace('default').create({ metadata: { name: 'while-dropped' } });
      await eventually(() => informer.indexer.getByKey('default/while-dropped'), 'the informer to see the Secret created after the drop');
      await eventually(() => (cluster.faults.openWatches({ resource: 'secrets' }) === 1 ? true : undefined), 'the watch to be open again');
    } finally {
      stop.abort();
    }
  });

  test('a 410 fault on a request other than a watch answers Expired', async () => {
    cluster.faults.add({ match: { verb: 'list', resource: 'services' }, action: { kind: 'expired' }, times: 1 });
    await assert.rejects(cluster.client.typed('v1/Service').namespace('default').list(), isResourceExpired);
  });
});

describe('kubelite/testing: a test cluster with a control plane', () => {
  test('on SQLite, with controllers and nodes, a Deployment gets Running pods even while the test client’s pod creates fail', async () => {
    await using cluster = await startTestCluster({ storage: 'sqlite', controllers: true, nodes: 2 });
    // The fault is aimed at the code under test: the control plane's own client is not behind it.
    cluster.faults.error({ verb: 'create', resource: 'pods' }, 503);
    await assert.rejects(
      cluster.client.typed('v1/Pod').namespace('default').create({ metadata: { name: 'mine' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }),
    );
    const labels = { app: 'web' };
    await cluster.client.typed('apps/v1/Deployment').namespace('default').create({
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const nodes = await cluster.client.typed('v1/Node').list();
    assert.equal(nodes.items.length, 2);
    await eventually(async () => {
      const pods = await cluster.client.typed('v1/Pod').namespace('default').list({ labelSelector: 'app=web' });
      return pods.items.length === 2 && pods.items.every((pod) => pod.status?.phase === 'Running' && pod.spec?.nodeName !== undefined) ? true : undefined;
    }, 'two Running pods on the simulated nodes');
    // The controllers, the scheduler and the nodes share one informer per resource: one pod watch.
    const metrics = await cluster.client.rest.requestText({ method: 'GET', path: '/metrics' });
    assert.match(metrics, /^apiserver_longrunning_requests\{verb="WATCH",group="",resource="pods"\} 1$/m);
  });
});
