/**
 * Unit tests of the Endpoints controller's syncService: one sync against preloaded informer caches,
 * with an Endpoints client that records what the sync wrote (upstream endpoints_controller_test.go).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { EndpointsController, type EndpointsClient } from './endpoints-controller.js';
import { ENDPOINTS_CONTROLLER_NAME, LABEL_ENDPOINTS_MANAGED_BY } from './endpoints-util.js';

type Endpoints = coreV1.Endpoints;

class RecordingEndpointsClient implements EndpointsClient {
  readonly actions: { verb: 'create' | 'update' | 'delete'; name: string; object?: Endpoints }[] = [];
  async create(_ns: string, ep: Endpoints): Promise<Endpoints> {
    this.actions.push({ verb: 'create', name: ep.metadata?.name ?? '', object: structuredClone(ep) });
    return ep;
  }
  async update(_ns: string, ep: Endpoints): Promise<Endpoints> {
    this.actions.push({ verb: 'update', name: ep.metadata?.name ?? '', object: structuredClone(ep) });
    return ep;
  }
  async delete(_ns: string, name: string): Promise<void> {
    this.actions.push({ verb: 'delete', name });
  }
}

function service(spec: Partial<coreV1.ServiceSpec> = {}): coreV1.Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels: { team: 'a' } },
    spec: { selector: { app: 'web' }, clusterIP: '10.0.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
  };
}

interface PodShape {
  ip?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  terminating?: boolean;
  phase?: 'Running' | 'Succeeded' | 'Failed';
  ports?: coreV1.ContainerPort[];
}

function pod(name: string, shape: PodShape = {}): coreV1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: shape.labels ?? { app: 'web' },
      ...(shape.terminating === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ...(shape.ports === undefined ? {} : { ports: shape.ports }) }] },
    status: {
      phase: shape.phase ?? 'Running',
      ...(shape.ip === '' ? {} : { podIP: shape.ip ?? `10.1.0.${name.length}` }),
      conditions: [{ type: 'Ready', status: shape.ready === false ? 'False' : 'True' }],
    },
  };
}

function setup(svc: coreV1.Service | undefined, pods: coreV1.Pod[], endpoints: Endpoints[] = []) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const endpointsClient = new RecordingEndpointsClient();
  const controller = new EndpointsController({ client, informers, clock: new FakeClock(), logger: silentLogger, endpointsClient });
  if (svc !== undefined) informers.typed('v1/Service').indexer.add(svc);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  for (const ep of endpoints) informers.typed('v1/Endpoints').indexer.add(ep);
  return { controller, endpointsClient };
}

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

describe('Endpoints controller sync', () => {
  test('lists ready pods under addresses and not-ready pods under notReadyAddresses', async () => {
    const pods = [pod('a', { ip: '10.1.0.1' }), pod('b', { ip: '10.1.0.2', ready: false }), pod('other', { ip: '10.1.0.3', labels: { app: 'db' } })];
    const { controller, endpointsClient } = setup(service(), pods);
    await controller.syncService('default/web');
    assert.equal(endpointsClient.actions.length, 1);
    const [action] = endpointsClient.actions;
    assert.equal(action?.verb, 'create');
    assert.deepEqual(action?.object?.metadata?.labels, { team: 'a', [LABEL_ENDPOINTS_MANAGED_BY]: ENDPOINTS_CONTROLLER_NAME });
    assert.deepEqual(action?.object?.subsets, [
      {
        addresses: [{ ip: '10.1.0.1', nodeName: 'node-1', targetRef: ref('a') }],
        notReadyAddresses: [{ ip: '10.1.0.2', nodeName: 'node-1', targetRef: ref('b') }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test('leaves out terminating, terminal and IP-less pods', async () => {
    const pods = [pod('a', { ip: '10.1.0.1' }), pod('gone', { terminating: true }), pod('done', { phase: 'Succeeded' }), pod('new', { ip: '' })];
    const { controller, endpointsClient } = setup(service(), pods);
    await controller.syncService('default/web');
    const subsets = endpointsClient.actions[0]?.object?.subsets;
    assert.deepEqual(subsets?.map((s) => [s.addresses?.map((a) => a.ip), s.notReadyAddresses]), [[['10.1.0.1'], undefined]]);
  });

  test('resolves a named targetPort per pod and groups pods by the port they resolve to', async () => {
    const svc = service({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const pods = [
      pod('a', { ip: '10.1.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', { ip: '10.1.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
      pod('c', { ip: '10.1.0.3', ports: [{ name: 'metrics', containerPort: 7070 }] }),
    ];
    const { controller, endpointsClient } = setup(svc, pods);
    await controller.syncService('default/web');
    const subsets = endpointsClient.actions[0]?.object?.subsets ?? [];
    const view = subsets.map((s) => ({ ips: s.addresses?.map((a) => a.ip), ports: s.ports?.map((p) => p.port) }));
    assert.deepEqual(
      view.sort((x, y) => (x.ports?.[0] ?? 0) - (y.ports?.[0] ?? 0)),
      [
        { ips: ['10.1.0.1'], ports: [8080] },
        { ips: ['10.1.0.2'], ports: [9090] },
      ],
    );
  });

  test('with publishNotReadyAddresses, not-ready pods are listed as ready addresses', async () => {
    const { controller, endpointsClient } = setup(service({ publishNotReadyAddresses: true }), [pod('a', { ip: '10.1.0.1', ready: false })]);
    await controller.syncService('default/web');
    const subset = endpointsClient.actions[0]?.object?.subsets?.[0];
    assert.deepEqual(subset?.addresses?.map((a) => a.ip), ['10.1.0.1']);
    assert.equal(subset?.notReadyAddresses, undefined);
  });

  test('a Service without a selector has its Endpoints left alone', async () => {
    const manual: Endpoints = { metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }] }] };
    const svc = service();
    delete svc.spec?.selector;
    const { controller, endpointsClient } = setup(svc, [pod('a')], [manual]);
    await controller.syncService('default/web');
    assert.deepEqual(endpointsClient.actions, []);
  });

  test('writes nothing when the Endpoints already say the same, in another order', async () => {
    const current: Endpoints = {
      metadata: { name: 'web', namespace: 'default', resourceVersion: '5', labels: { [LABEL_ENDPOINTS_MANAGED_BY]: ENDPOINTS_CONTROLLER_NAME, team: 'a' } },
      subsets: [
        {
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          addresses: [
            { ip: '10.1.0.2', nodeName: 'node-1', targetRef: ref('b') },
            { ip: '10.1.0.1', nodeName: 'node-1', targetRef: ref('a') },
          ],
        },
      ],
    };
    const { controller, endpointsClient } = setup(service(), [pod('a', { ip: '10.1.0.1' }), pod('b', { ip: '10.1.0.2' })], [current]);
    await controller.syncService('default/web');
    assert.deepEqual(endpointsClient.actions, []);
  });

  test('updates the Endpoints when a pod stopped being ready', async () => {
    const current: Endpoints = {
      metadata: { name: 'web', namespace: 'default', resourceVersion: '5', labels: { [LABEL_ENDPOINTS_MANAGED_BY]: ENDPOINTS_CONTROLLER_NAME, team: 'a' } },
      subsets: [{ ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], addresses: [{ ip: '10.1.0.1', nodeName: 'node-1', targetRef: ref('a') }] }],
    };
    const { controller, endpointsClient } = setup(service(), [pod('a', { ip: '10.1.0.1', ready: false })], [current]);
    await controller.syncService('default/web');
    const [action] = endpointsClient.actions;
    assert.equal(action?.verb, 'update');
    assert.equal(action?.object?.metadata?.resourceVersion, '5');
    assert.deepEqual(action?.object?.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip), ['10.1.0.1']);
    assert.equal(action?.object?.subsets?.[0]?.addresses, undefined);
  });

  test('deletes the Endpoints of a Service that is gone', async () => {
    const current: Endpoints = { metadata: { name: 'web', namespace: 'default', labels: { [LABEL_ENDPOINTS_MANAGED_BY]: ENDPOINTS_CONTROLLER_NAME } } };
    const { controller, endpointsClient } = setup(undefined, [], [current]);
    await controller.syncService('default/web');
    assert.deepEqual(endpointsClient.actions, [{ verb: 'delete', name: 'web' }]);
  });

  test('does not delete Endpoints it did not write when no Service names them', async () => {
    const manual: Endpoints = { metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }] }] };
    const { controller, endpointsClient } = setup(undefined, [], [manual]);
    await controller.syncService('default/web');
    assert.deepEqual(endpointsClient.actions, []);
  });
});
