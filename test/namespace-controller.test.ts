/**
 * The namespace controller against a real in-process API server: a deleted namespace is emptied of
 * every kind (a custom resource included) and then removed; a stuck finalizer shows in its status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { coreV1 } from '../src/api/types/index.js';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import { isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { namespaceController } from '../src/controllers/namespace/namespace-controller.js';
import { until } from './support/eventually.js';

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true, kind: 'Widget' } as const;

describe('namespace controller', () => {
  let env: ClientEnv;
  let client: KubeClient;
  const stop = new AbortController();
  let factory: SharedInformerFactory;
  let running: Promise<void>;

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
    factory = new SharedInformerFactory(client, { logger: silentLogger });
    const controller = namespaceController({ client, factory, logger: silentLogger, maxRequeueAfterMs: 200 });
    factory.start(stop.signal);
    running = controller.run(stop.signal);
    await client.typed('apiextensions.k8s.io/v1/CustomResourceDefinition').create({
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    await until(async () => (await client.resource(WIDGETS).namespace('default').list()).items !== undefined, 'the Widget resource to be served');
  });
  after(async () => {
    stop.abort();
    await running;
    await factory.shutdown();
    await env.close();
  });

  test('a namespace with configmaps, secrets, services, deployments and a custom resource is emptied, then removed', async () => {
    const ns = 'doomed';
    await client.typed('v1/Namespace').create({ metadata: { name: ns } });
    await client.typed('v1/ConfigMap').namespace(ns).create({ metadata: { name: 'cm' }, data: { a: '1' } });
    await client.typed('v1/Secret').namespace(ns).create({ metadata: { name: 'secret' }, stringData: { p: 'w' } });
    await client.typed('v1/Service').namespace(ns).create({ metadata: { name: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    const labels = { app: 'x' };
    await client.typed('apps/v1/Deployment').namespace(ns).create({
      metadata: { name: 'deploy' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await client.resource(WIDGETS).namespace(ns).create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    await client.typed('v1/Namespace').delete(ns);
    await until(() => gone(() => client.typed('v1/Namespace').get(ns)), 'the namespace to be removed');
    for (const read of [
      () => client.typed('v1/ConfigMap').namespace(ns).get('cm'),
      () => client.typed('v1/Secret').namespace(ns).get('secret'),
      () => client.typed('v1/Service').namespace(ns).get('svc'),
      () => client.typed('apps/v1/Deployment').namespace(ns).get('deploy'),
      () => client.resource(WIDGETS).namespace(ns).get('w'),
    ]) {
      assert.equal(await gone(read), true);
    }
  });

  test('a stuck finalizer on an object shows NamespaceFinalizersRemaining; once removed, the namespace goes', async () => {
    const ns = 'stuck';
    await client.typed('v1/Namespace').create({ metadata: { name: ns } });
    await client.typed('v1/ConfigMap').namespace(ns).create({ metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await client.typed('v1/Namespace').delete(ns);
    let condition: coreV1.NamespaceCondition | undefined;
    await until(async () => {
      const namespace = await client.typed('v1/Namespace').get(ns);
      condition = namespace.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining');
      return condition?.status === 'True';
    }, 'the NamespaceFinalizersRemaining condition');
    assert.equal(condition?.reason, 'SomeFinalizersRemain');
    assert.equal(condition?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    const namespace = await client.typed('v1/Namespace').get(ns);
    assert.equal(namespace.status?.phase, 'Terminating');
    assert.deepEqual(namespace.spec?.finalizers, ['kubernetes']);
    await client.typed('v1/ConfigMap').namespace(ns).patch('held', { metadata: { finalizers: null } }, 'merge');
    await until(() => gone(() => client.typed('v1/Namespace').get(ns)), 'the namespace to be removed');
  });
});
