/**
 * The controller runtime against a real kubelite API server (in-process transport): workers
 * reconcile keys from informer events after the caches sync; an error requeues with rate limiting,
 * a terminal error does not, requeueAfter reconciles again; one key is never reconciled by two
 * workers at once; predicates filter events; owned objects reconcile their owner.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { ItemExponentialFailureRateLimiter } from '../src/client/workqueue/rate-limiters.js';
import { ControllerBuilder, type ControllerHost } from '../src/runtime/builder.js';
import { Controller } from '../src/runtime/controller.js';
import { generationChanged } from '../src/runtime/predicates.js';
import { type Request, terminal } from '../src/runtime/reconciler.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { until } from './support/eventually.js';

describe('controller runtime', () => {
  let env: ClientEnv;
  let client: KubeClient;
  let namespaceCount = 0;
  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
  });
  after(() => env.close());

  /** A fresh namespace, an informer factory scoped to it, and a host that collects controllers. */
  async function setup(): Promise<{ namespace: string; factory: SharedInformerFactory; host: ControllerHost & { controllers: Controller[] } }> {
    const namespace = `rt-${++namespaceCount}`;
    await client.typed('v1/Namespace').create({ metadata: { name: namespace } });
    const factory = new SharedInformerFactory(client, { namespace, logger: silentLogger });
    const controllers: Controller[] = [];
    const host = {
      controllers,
      informerFor: (kind: never) => (typeof kind === 'string' ? factory.typed(kind) : factory.forResource(kind)),
      addController: (controller: Controller) => controllers.push(controller),
    } as unknown as ControllerHost & { controllers: Controller[] };
    return { namespace, factory, host };
  }

  test('an error requeues the key with rate limiting until it succeeds; a terminal error is not retried', async () => {
    const { namespace, factory, host } = await setup();
    const attempts = new Map<string, number>();
    const controller = new ControllerBuilder(host, 'retries')
      .for('v1/ConfigMap')
      .withOptions({ logger: silentLogger, rateLimiter: new ItemExponentialFailureRateLimiter<string>(5, 50) })
      .complete({
        async reconcile({ name }: Request) {
          const n = (attempts.get(name) ?? 0) + 1;
          attempts.set(name, n);
          if (name === 'flaky' && n < 3) throw new Error('not yet');
          if (name === 'hopeless') throw terminal(new Error('invalid spec'));
        },
      });
    const stop = new AbortController();
    factory.start(stop.signal);
    const running = controller.run(stop.signal);
    const configMaps = client.typed('v1/ConfigMap').namespace(namespace);
    await configMaps.create({ metadata: { name: 'flaky' } });
    await configMaps.create({ metadata: { name: 'hopeless' } });
    await until(() => attempts.get('flaky') === 3 && attempts.get('hopeless') === 1, 'three attempts at flaky');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(attempts.get('flaky'), 3, 'a success ends the retries');
    assert.equal(attempts.get('hopeless'), 1, 'a terminal error is not retried');
    assert.equal(controller.counts.terminal, 1);
    assert.equal(controller.queue.numRequeues(`${namespace}/flaky`), 0, 'success forgets the failures');
    stop.abort();
    await running;
    await factory.shutdown();
  });

  test('requeueAfter reconciles the key again later', async () => {
    const { namespace, factory, host } = await setup();
    let calls = 0;
    const controller = new ControllerBuilder(host, 'poll')
      .for('v1/ConfigMap')
      .withOptions({ logger: silentLogger })
      .complete({ reconcile: async () => (++calls < 3 ? { requeueAfterMs: 20 } : {}) });
    const stop = new AbortController();
    factory.start(stop.signal);
    const running = controller.run(stop.signal);
    await client.typed('v1/ConfigMap').namespace(namespace).create({ metadata: { name: 'polled' } });
    await until(() => calls === 3, 'three reconciles');
    assert.equal(controller.counts.requeueAfter, 2);
    stop.abort();
    await running;
    await factory.shutdown();
  });

  test('one key is never reconciled by two workers at once, and bursts of events collapse', async () => {
    const { namespace, factory, host } = await setup();
    const active = new Set<string>();
    let overlaps = 0;
    let reconciles = 0;
    const controller = new ControllerBuilder(host, 'exclusive')
      .for('v1/ConfigMap')
      .withOptions({ logger: silentLogger, maxConcurrentReconciles: 4 })
      .complete({
        async reconcile({ name }: Request) {
          if (active.has(name)) overlaps++;
          active.add(name);
          reconciles++;
          await new Promise((resolve) => setTimeout(resolve, 15));
          active.delete(name);
        },
      });
    const stop = new AbortController();
    factory.start(stop.signal);
    const running = controller.run(stop.signal);
    const configMaps = client.typed('v1/ConfigMap').namespace(namespace);
    await configMaps.create({ metadata: { name: 'busy' } });
    for (let i = 0; i < 20; i++) await configMaps.patch('busy', { data: { i: String(i) } }, 'merge');
    await until(() => controller.queue.len() === 0 && active.size === 0 && reconciles > 0, 'the queue to drain');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(overlaps, 0);
    assert.ok(reconciles < 21, `21 events made ${reconciles} reconciles; repeated adds should collapse`);
    stop.abort();
    await running;
    await factory.shutdown();
  });

  test('generationChanged passes spec changes and drops label-only changes; owned objects reconcile their owner', async () => {
    const { namespace, factory, host } = await setup();
    const reconciled: string[] = [];
    const controller = new ControllerBuilder(host, 'deployments')
      .for('apps/v1/Deployment', { predicates: [generationChanged] })
      .owns('v1/ConfigMap')
      .withOptions({ logger: silentLogger })
      .complete({ reconcile: async ({ name }: Request) => void reconciled.push(name) });
    const stop = new AbortController();
    factory.start(stop.signal);
    const running = controller.run(stop.signal);
    const deployments = client.typed('apps/v1/Deployment').namespace(namespace);
    const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const deployment = await deployments.create({ metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'a' } }, template } });
    await until(() => reconciled.length === 1, 'the create');
    await deployments.patch('web', { metadata: { labels: { touched: 'yes' } } }, 'merge');
    await deployments.patch('web', { spec: { replicas: 4 } }, 'merge');
    await until(() => reconciled.length === 2, 'the spec change');
    await client.typed('v1/ConfigMap').namespace(namespace).create({
      metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata?.uid ?? '', controller: true }] },
    });
    await client.typed('v1/ConfigMap').namespace(namespace).create({ metadata: { name: 'unowned' } });
    await until(() => reconciled.length === 3, 'the owned ConfigMap');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(reconciled, ['web', 'web', 'web']);
    stop.abort();
    await running;
    await factory.shutdown();
  });
});
