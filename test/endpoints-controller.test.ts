/**
 * The Endpoints and EndpointSlice controllers against a real in-process API server: a Service's
 * ready pods show up in its Endpoints and its EndpointSlice, readiness changes and pod deletions
 * follow, and the Service's deletion takes the Endpoints along. Nothing runs a scheduler or kubelet
 * here, so the test gives pods a node, an IP and readiness itself. The garbage collector runs in a
 * second part, because it is what removes the slices of a deleted Service (owner references), as
 * in Kubernetes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { coreV1, discoveryV1 } from '../src/api/types/index.js';
import { isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { EndpointsController } from '../src/controllers/endpoints/endpoints-controller.js';
import { EndpointSliceController } from '../src/controllers/endpoints/endpointslice-controller.js';
import { GarbageCollectorController } from '../src/controllers/garbage-collector/controller.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

describe('Endpoints and EndpointSlice controllers against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      const endpoints = new EndpointsController({ client, informers, logger: silentLogger, workers: 2 });
      const slices = new EndpointSliceController({ client, informers, logger: silentLogger, workers: 2 });
      const gc = new GarbageCollectorController({ client, factory: informers, logger: silentLogger });
      return [endpoints, slices, gc];
    });
  });

  after(() => cluster.close());

  const pods = () => client.typed('v1/Pod').namespace('default');
  const services = () => client.typed('v1/Service').namespace('default');
  const endpointsApi = () => client.typed('v1/Endpoints').namespace('default');
  const slicesApi = () => client.typed('discovery.k8s.io/v1/EndpointSlice').namespace('default');

  /** Creates a pod bound to a node, then reports it running with `ip` (ready or not). */
  async function runPod(name: string, ip: string): Promise<void> {
    await pods().create({
      metadata: { name, labels: { app: 'web' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    await setReady(name, true, ip);
  }

  async function setReady(name: string, ready: boolean, ip?: string): Promise<void> {
    const pod = await pods().get(name);
    const podIP = ip ?? pod.status?.podIP ?? '';
    pod.status = {
      ...pod.status,
      phase: 'Running',
      podIP,
      podIPs: [{ ip: podIP }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() }],
    };
    await pods().updateStatus(pod);
  }

  /** The Endpoints once `check` accepts them. */
  function endpointsWhen(check: (ep: coreV1.Endpoints) => boolean, what: string): Promise<coreV1.Endpoints> {
    return eventually(async () => {
      const ep = await endpointsApi().get('web');
      return check(ep) ? ep : undefined;
    }, what);
  }

  /** The Service's slices once `check` accepts their endpoints. */
  function slicesWhen(check: (endpoints: discoveryV1.Endpoint[]) => boolean, what: string): Promise<discoveryV1.EndpointSlice[]> {
    return eventually(async () => {
      const list = await slicesApi().list({ labelSelector: 'kubernetes.io/service-name=web' });
      return check(list.items.flatMap((s) => s.endpoints ?? [])) ? list.items : undefined;
    }, what);
  }

  const ips = (addresses: readonly coreV1.EndpointAddress[] | undefined): string[] => (addresses ?? []).map((a) => a.ip).sort();
  const readyIps = (eps: discoveryV1.Endpoint[]): string[] => eps.filter((e) => e.conditions?.ready === true).flatMap((e) => e.addresses).sort();

  test('publishes the ready pods a Service selects, follows readiness and deletions, and goes with the Service', async () => {
    const svc = await services().create({
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await runPod('web-1', '10.244.0.1');
    await runPod('web-2', '10.244.0.2');
    await runPod('web-3', '10.244.0.3');

    // All three ready, on the named port resolved to 8080.
    const ep = await endpointsWhen((e) => ips(e.subsets?.[0]?.addresses).length === 3, 'three ready addresses');
    assert.deepEqual(ips(ep.subsets?.[0]?.addresses), ['10.244.0.1', '10.244.0.2', '10.244.0.3']);
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const address = ep.subsets?.[0]?.addresses?.find((a) => a.ip === '10.244.0.1');
    assert.equal(address?.nodeName, 'node-1');
    assert.deepEqual([address?.targetRef?.kind, address?.targetRef?.name], ['Pod', 'web-1']);

    // The empty placeholder slice made while no pod was ready is replaced by one with the endpoints.
    const [slice] = await eventually(async () => {
      const list = await slicesApi().list({ labelSelector: 'kubernetes.io/service-name=web' });
      return list.items.length === 1 && readyIps(list.items[0]?.endpoints ?? []).length === 3 ? list.items : undefined;
    }, 'one slice with three ready endpoints');
    assert.equal(slice?.addressType, 'IPv4');
    assert.equal(slice?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.match(slice?.metadata?.name ?? '', /^web-/);
    assert.deepEqual(slice?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(slice?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);

    // One pod stops being ready.
    await setReady('web-2', false);
    const notReady = await endpointsWhen((e) => e.subsets?.some((s) => ips(s.notReadyAddresses).includes('10.244.0.2')) === true, 'web-2 not ready');
    assert.deepEqual(ips(notReady.subsets?.flatMap((s) => s.addresses ?? [])), ['10.244.0.1', '10.244.0.3']);
    const afterUnready = await slicesWhen((eps) => readyIps(eps).length === 2 && eps.length === 3, 'web-2 ready false in the slice');
    const web2 = afterUnready.flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'web-2');
    assert.deepEqual(web2?.conditions, { ready: false, serving: false, terminating: false });

    // One pod is deleted.
    await pods().delete('web-3');
    const afterDelete = await endpointsWhen((e) => !ips(e.subsets?.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])])).includes('10.244.0.3'), 'web-3 gone');
    assert.deepEqual(ips(afterDelete.subsets?.flatMap((s) => s.addresses ?? [])), ['10.244.0.1']);
    // Bound to a node, the pod terminates gracefully: the slice keeps it as terminating until it is gone.
    const terminating = await slicesWhen((eps) => eps.some((e) => e.targetRef?.name === 'web-3' && e.conditions?.terminating === true), 'web-3 terminating in the slice');
    const web3 = terminating.flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'web-3');
    assert.deepEqual(web3?.conditions, { ready: false, serving: true, terminating: true });
    await pods().delete('web-3', { gracePeriodSeconds: 0 });
    await slicesWhen((eps) => eps.length === 2 && !eps.some((e) => e.targetRef?.name === 'web-3'), 'web-3 gone from the slice');

    // The Service is deleted: the controller deletes the Endpoints, the garbage collector the slices.
    await services().delete('web');
    await eventually(async () => {
      try {
        await endpointsApi().get('web');
        return undefined;
      } catch (error) {
        return isNotFound(error) ? true : undefined;
      }
    }, 'the Endpoints deleted');
    await eventually(async () => ((await slicesApi().list({ labelSelector: 'kubernetes.io/service-name=web' })).items.length === 0 ? true : undefined), 'the slices collected');
  });

  test('a Service without a selector keeps the Endpoints its user wrote', async () => {
    await services().create({ metadata: { name: 'external' }, spec: { ports: [{ port: 5432 }] } });
    await endpointsApi().create({ metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] });
    // A selector Service created after it is a marker that the controllers have caught up.
    await services().create({ metadata: { name: 'marker' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    await eventually(async () => (await endpointsApi().get('marker')).metadata?.name, 'the marker Service synced');
    const ep = await endpointsApi().get('external');
    assert.deepEqual(ips(ep.subsets?.[0]?.addresses), ['192.0.2.10']);
    const slices = await slicesApi().list({ labelSelector: 'kubernetes.io/service-name=external' });
    assert.equal(slices.items.length, 0);
  });
});
