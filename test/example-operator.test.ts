/**
 * The WebApp operator of examples/operator, run in a real kubelite cluster (kubelite/testing with
 * the controller-manager, scheduler and three simulated nodes): its WebApps get a Deployment and a
 * Service, become Ready with Running pods, follow spec changes, have their route removed by the
 * finalizer on delete — and all of that still happens when its status writes conflict, its
 * Deployment creates fail with 500s, and its watches are dropped or expire. crd.yaml is the
 * builder's output, and the CRD's rules refuse invalid WebApps.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { ApiError, isConflict, isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { Indexer } from '../src/client/cache/thread-safe-store.js';
import { Lister } from '../src/client/cache/listers.js';
import type { DeepReadonly, KubeObject } from '../src/client/object.js';
import type { EventType } from '../src/client/record/event-recorder.js';
import type { api } from '../src/client/index.js';
import { Manager, TerminalError, findStatusCondition } from '../src/runtime/index.js';
import { FakeClock } from '../src/util/fake-clock.js';
import { type TestCluster, startTestCluster } from '../src/testing/index.js';
import { silentLogger } from '../src/util/logger.js';
import { FINALIZER, type WebAppControl, WebAppReconciler, webAppController } from '../examples/operator/controller.js';
import { ROUTES_NAMESPACE, desiredDeployment, desiredService } from '../examples/operator/resources.js';
import { CRD_YAML_HEADER, WebApp, type WebAppInput, type WebAppObject } from '../examples/operator/webapp.js';
import { eventually, until } from './support/eventually.js';

type Deployment = api.appsV1.Deployment;
type Service = api.coreV1.Service;

const CRD_YAML = join(import.meta.dirname, '..', '..', 'examples', 'operator', 'crd.yaml');

function webApp(name: string, spec: WebAppInput['spec'], namespace = 'default'): WebAppObject {
  return WebApp.make({ name, namespace }, spec);
}

describe('examples/operator: the WebApp operator in a test cluster', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    cluster = await startTestCluster({ controllers: true, nodes: 3, crds: [CRD_YAML] });
    client = cluster.newClient();
    const manager = new Manager({ client, logger: silentLogger });
    webAppController(manager, { logger: silentLogger });
    running = manager.run(stop.signal);
  });
  after(async () => {
    stop.abort();
    await running;
    await cluster.stop();
  });

  const webApps = (namespace = 'default') => cluster.client.resource<WebAppObject>(WebApp.ref).namespace(namespace);

  /** Waits until the WebApp is Ready for its current generation, and returns it. */
  async function ready(name: string, namespace = 'default'): Promise<WebAppObject> {
    return eventually(async () => {
      const current = await webApps(namespace).get(name);
      const condition = findStatusCondition(current.status?.conditions, 'Ready');
      return condition?.status === 'True' && condition.observedGeneration === current.metadata?.generation ? current : undefined;
    }, `WebApp ${namespace}/${name} to be Ready`);
  }

  /** Changes a WebApp's spec, reading again when the operator wrote in between (retry.RetryOnConflict). */
  async function changeSpec(name: string, change: Partial<WebAppObject['spec']>): Promise<void> {
    for (;;) {
      const current = await webApps().get(name);
      try {
        await webApps().update({ ...current, spec: { ...current.spec, ...change } });
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async function runningPods(name: string, namespace = 'default'): Promise<number> {
    const pods = await cluster.client.typed('v1/Pod').namespace(namespace).list({ labelSelector: `app.kubernetes.io/instance=${name}` });
    return pods.items.filter((pod) => pod.status?.phase === 'Running' && (pod.metadata?.deletionTimestamp ?? '') === '').length;
  }

  test('a WebApp gets its Deployment and Service and becomes Ready with Running pods', async () => {
    await webApps().create(webApp('shop', { image: 'nginx:1.27', replicas: 2 }));
    const shop = await ready('shop');
    assert.equal(shop.status?.availableReplicas, 2);
    assert.equal(shop.status?.url, 'http://shop.default.svc.cluster.local:80');
    assert.equal(findStatusCondition(shop.status?.conditions, 'Progressing')?.status, 'False');
    assert.deepEqual(shop.metadata?.finalizers, [FINALIZER]);
    const deployment = await cluster.client.typed('apps/v1/Deployment').namespace('default').get('shop');
    assert.equal(deployment.metadata?.ownerReferences?.[0]?.uid, shop.metadata?.uid);
    assert.equal(deployment.spec?.template.spec?.containers[0]?.image, 'nginx:1.27');
    const service = await cluster.client.typed('v1/Service').namespace('default').get('shop');
    assert.equal(service.spec?.ports?.[0]?.port, 80);
    await until(async () => (await runningPods('shop')) === 2, 'two Running pods');
    const route = await cluster.client.typed('v1/ConfigMap').namespace(ROUTES_NAMESPACE).get('default.shop');
    assert.equal(route.data?.url, shop.status?.url);
  });

  test('spec changes reach the Deployment and the Service', async () => {
    await webApps().create(webApp('blog', { image: 'nginx:1.26' }));
    await ready('blog');
    await changeSpec('blog', { image: 'nginx:1.27', replicas: 3, port: 8080 });
    const updated = await ready('blog');
    assert.equal(updated.status?.availableReplicas, 3);
    assert.equal(updated.status?.url, 'http://blog.default.svc.cluster.local:8080');
    const deployment = await cluster.client.typed('apps/v1/Deployment').namespace('default').get('blog');
    assert.equal(deployment.spec?.template.spec?.containers[0]?.image, 'nginx:1.27');
    assert.equal((await cluster.client.typed('v1/Service').namespace('default').get('blog')).spec?.ports?.[0]?.port, 8080);
    await until(async () => (await runningPods('blog')) === 3, 'three Running pods');
  });

  test('deleting a WebApp runs its finalizer: the route in another namespace is removed, then the WebApp goes', async () => {
    await webApps().create(webApp('wiki', { image: 'nginx:1.27' }));
    await ready('wiki');
    const routes = cluster.client.typed('v1/ConfigMap').namespace(ROUTES_NAMESPACE);
    await routes.get('default.wiki');
    await webApps().delete('wiki');
    await until(async () => {
      try {
        await webApps().get('wiki');
        return false;
      } catch (error) {
        return isNotFound(error);
      }
    }, 'the WebApp to be gone');
    await assert.rejects(routes.get('default.wiki'), (error) => isNotFound(error));
    const events = await cluster.client.typed('v1/Event').namespace('default').list({ fieldSelector: 'involvedObject.name=wiki' });
    assert.ok(events.items.some((event) => event.reason === 'RouteRemoved'), 'a RouteRemoved event');
  });

  test('reconciling survives conflicts on its status writes', async () => {
    const fault = cluster.faults.conflict({ resource: 'webapps', subresource: 'status' }, { times: 5 });
    await webApps().create(webApp('conflicted', { image: 'nginx:1.27' }));
    await ready('conflicted');
    assert.equal(fault.hits, 5);
  });

  test('a 500 on Deployment creates is retried with backoff until the Deployment exists', async () => {
    const fault = cluster.faults.error({ verb: 'create', resource: 'deployments' }, 500, { times: 4 });
    await webApps().create(webApp('flaky', { image: 'nginx:1.27' }));
    await ready('flaky');
    assert.equal(fault.hits, 4);
  });

  test('it converges although its watches are dropped and expire mid-run', async () => {
    await webApps().create(webApp('resilient', { image: 'nginx:1.27', replicas: 1 }));
    await until(() => cluster.faults.openWatches({ resource: 'webapps' }) > 0, 'the operator to watch WebApps');
    assert.ok(cluster.faults.dropWatches() > 0, 'the operator had watches open');
    await changeSpec('resilient', { replicas: 2 });
    cluster.faults.expireWatches({}, { times: 3 });
    const resilient = await ready('resilient');
    assert.equal(resilient.status?.availableReplicas, 2);
  });

  test('an invalid WebApp is refused with the message of the CRD rule', async () => {
    const error = await webApps()
      .create(webApp('huge', { image: 'nginx:1.27', replicas: 20 }))
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ApiError, `expected an API error, got ${String(error)}`);
    assert.equal(error.code, 422);
    assert.match(error.message, /a small WebApp runs at most 10 replicas/);
    assert.equal(error.details?.causes?.[0]?.field, 'spec');
    await webApps().create(webApp('huge', { image: 'nginx:1.27', replicas: 20, tier: 'large' }));
  });

  test('the schema refuses what it does not allow: an empty image, too many replicas, an unknown tier', async () => {
    await assert.rejects(webApps().create(webApp('bad-image', { image: '' })), /spec\.image/);
    await assert.rejects(webApps().create(webApp('bad-replicas', { image: 'x', replicas: 101, tier: 'large' })), /spec\.replicas/);
    const unknownTier = { ...webApp('bad-tier', { image: 'x' }), spec: { image: 'x', tier: 'medium' } } as unknown as WebAppObject;
    await assert.rejects(webApps().create(unknownTier), /spec\.tier/);
  });
});

/** A {@link WebAppControl} that records what it is asked to do. */
class RecordingControl implements WebAppControl {
  readonly actions: string[] = [];
  readonly written: Record<string, unknown> = {};
  private record(action: string, object: { metadata?: { namespace?: string; name?: string } }): void {
    const key = `${action} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    this.actions.push(key);
    this.written[action] = object;
  }
  createDeployment = async (deployment: Deployment): Promise<void> => this.record('createDeployment', deployment);
  updateDeployment = async (deployment: Deployment): Promise<void> => this.record('updateDeployment', deployment);
  createService = async (service: Service): Promise<void> => this.record('createService', service);
  updateService = async (service: Service): Promise<void> => this.record('updateService', service);
  updateWebApp = async (webApp: WebAppObject): Promise<WebAppObject> => {
    this.record('updateWebApp', webApp);
    return webApp;
  };
  updateWebAppStatus = async (webApp: WebAppObject): Promise<void> => this.record('updateWebAppStatus', webApp);
  publishRoute = async (webApp: DeepReadonly<WebAppObject>): Promise<void> => this.record('publishRoute', webApp);
  removeRoute = async (namespace: string, name: string): Promise<void> => this.record('removeRoute', { metadata: { namespace, name } });
  event = (_webApp: DeepReadonly<WebAppObject>, type: EventType, reason: string): void => void this.actions.push(`event ${type} ${reason}`);
}

describe('the WebApp reconciler, one sync against preloaded caches', () => {
  const clock = new FakeClock(Date.parse('2026-02-01T00:00:00Z'));
  function setup(...objects: KubeObject[]): { reconciler: WebAppReconciler; control: RecordingControl } {
    const webApps = new Indexer<WebAppObject>();
    const deployments = new Indexer<Deployment>();
    const services = new Indexer<Service>();
    for (const object of objects) {
      if (object.kind === 'WebApp') webApps.add(object as WebAppObject);
      if (object.kind === 'Deployment') deployments.add(object as Deployment);
      if (object.kind === 'Service') services.add(object as Service);
    }
    const control = new RecordingControl();
    const cache = { webApps: new Lister(webApps), deployments: new Lister(deployments), services: new Lister(services) };
    return { reconciler: new WebAppReconciler({ cache, control, clock }), control };
  }
  const shop = (changes: Partial<WebAppObject['metadata']> = {}): WebAppObject => {
    const object = webApp('shop', { image: 'nginx:1.27', replicas: 2 });
    object.metadata = { ...object.metadata, uid: 'uid-shop', generation: 4, finalizers: [FINALIZER], ...changes };
    return object;
  };
  const request = { namespace: 'default', name: 'shop' };

  test('a new WebApp gets its finalizer, a Deployment, a Service, a route and a not-Ready status', async () => {
    const { reconciler, control } = setup(shop({ finalizers: [] }));
    await reconciler.reconcile(request);
    assert.deepEqual(control.actions, [
      'updateWebApp default/shop',
      'createDeployment default/shop',
      'event Normal CreatedDeployment',
      'createService default/shop',
      'event Normal CreatedService',
      'publishRoute default/shop',
      'updateWebAppStatus default/shop',
    ]);
    const deployment = control.written.createDeployment as Deployment;
    assert.equal(deployment.spec?.replicas, 2);
    assert.deepEqual(deployment.metadata?.ownerReferences, [{ apiVersion: 'example.com/v1', kind: 'WebApp', name: 'shop', uid: 'uid-shop', blockOwnerDeletion: true, controller: true }]);
    const status = (control.written.updateWebAppStatus as WebAppObject).status;
    assert.equal(findStatusCondition(status?.conditions, 'Ready')?.status, 'False');
    assert.equal(findStatusCondition(status?.conditions, 'Progressing')?.status, 'True');
    assert.equal(findStatusCondition(status?.conditions, 'Ready')?.lastTransitionTime, '2026-02-01T00:00:00Z');
  });

  test('a WebApp whose Deployment has rolled out is Ready for its generation', async () => {
    const owner = shop();
    const deployment = { ...desiredDeployment(owner), status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } };
    deployment.metadata = { ...deployment.metadata, generation: 1 };
    const { reconciler, control } = setup(owner, deployment, desiredService(owner));
    await reconciler.reconcile(request);
    assert.deepEqual(control.actions, ['publishRoute default/shop', 'updateWebAppStatus default/shop']);
    const status = (control.written.updateWebAppStatus as WebAppObject).status;
    assert.deepEqual(findStatusCondition(status?.conditions, 'Ready'), { type: 'Ready', status: 'True', reason: 'Available', message: '2/2 replicas available', observedGeneration: 4, lastTransitionTime: '2026-02-01T00:00:00Z' });
    assert.equal(status?.availableReplicas, 2);
    assert.equal(status?.url, 'http://shop.default.svc.cluster.local:80');
  });

  test('a WebApp whose status already says it all is reconciled without writing status', async () => {
    const { reconciler, control } = setup(shop());
    await reconciler.reconcile(request);
    const settled = control.written.updateWebAppStatus as WebAppObject;
    const again = setup({ ...settled, kind: 'WebApp' }, desiredDeployment(settled), desiredService(settled));
    await again.reconciler.reconcile(request);
    assert.deepEqual(again.control.actions, ['publishRoute default/shop']);
  });

  test('a changed spec updates the Deployment', async () => {
    const owner = shop();
    const stale = desiredDeployment({ ...owner, spec: { ...owner.spec, image: 'nginx:1.26' } });
    const { reconciler, control } = setup(owner, stale, desiredService(owner));
    await reconciler.reconcile(request);
    assert.ok(control.actions.includes('updateDeployment default/shop'));
    assert.equal((control.written.updateDeployment as Deployment).spec?.template.spec?.containers[0]?.image, 'nginx:1.27');
  });

  test('a Deployment of its name that another controls is left alone, with a warning and a terminal error', async () => {
    const owner = shop();
    const foreign = desiredDeployment(owner);
    foreign.metadata = { ...foreign.metadata, ownerReferences: [] };
    const { reconciler, control } = setup(owner, foreign);
    await assert.rejects(reconciler.reconcile(request), (error) => error instanceof TerminalError && /not managed by WebApp/.test(error.message));
    assert.deepEqual(control.actions, ['event Warning ErrResourceExists']);
  });

  test('a conflict on its status write asks for a requeue instead of failing', async () => {
    const { reconciler, control } = setup(shop());
    control.updateWebAppStatus = () => Promise.reject(new ApiError(409, 'Conflict', 'the object has been modified'));
    assert.deepEqual(await reconciler.reconcile(request), { requeue: true });
    control.updateWebAppStatus = () => Promise.reject(new ApiError(500, 'InternalError', 'boom'));
    await assert.rejects(reconciler.reconcile(request), /boom/);
  });

  test('a deleting WebApp has its route removed, then its finalizer', async () => {
    const { reconciler, control } = setup(shop({ deletionTimestamp: '2026-02-01T00:00:00Z', finalizers: [FINALIZER, 'other/finalizer'] }));
    await reconciler.reconcile(request);
    assert.deepEqual(control.actions, ['removeRoute default/shop', 'event Normal RouteRemoved', 'updateWebApp default/shop']);
    assert.deepEqual((control.written.updateWebApp as WebAppObject).metadata?.finalizers, ['other/finalizer']);
  });
});

describe('examples/operator/crd.yaml', () => {
  test('is what the schema builder makes of examples/operator/webapp.ts', () => {
    assert.equal(readFileSync(CRD_YAML, 'utf8'), WebApp.toYaml({ header: CRD_YAML_HEADER }));
  });
});
