/**
 * @module
 * This machine's ceiling for pod startups: the API writes every pod needs on its way to Running —
 * its create (the replicaset controller's), its binding (the scheduler's) and its status patch to
 * Running (the kubelet's) — sent by one client with many in flight to a `kubelite apiserver` on the
 * same storage, with no controller, scheduler or node doing any work of its own. No end-to-end run
 * can start pods faster than the server accepts these writes.
 */
import type { KubeClient } from '../src/client/kube-client.js';
import { monotonicMs } from './rpc.js';

const NAMESPACE = 'ceiling-bench';
const CONCURRENCY = 64;

/** Pods taken through create → binding → Running per second. */
export async function measureCeiling(client: KubeClient, pods: number): Promise<number> {
  await client.typed('v1/Namespace').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const podClient = client.typed('v1/Pod').namespace(NAMESPACE);
  const startPod = async (i: number): Promise<void> => {
    const name = `pod-${i}`;
    await podClient.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'ceiling' } },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    });
    await client.rest.request({
      method: 'POST',
      path: `/api/v1/namespaces/${NAMESPACE}/pods/${name}/binding`,
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: `node-${i % 1000}` } },
    });
    await podClient.patch(name, { status: { phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } }, 'merge', { subresource: 'status' });
  };
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < pods) await startPod(next++);
  };
  const started = monotonicMs();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return pods / ((monotonicMs() - started) / 1000);
}
