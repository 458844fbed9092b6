/**
 * The control plane end to end, as a user drives it: `kubelite up --nodes 3` and the real kubectl.
 * Nodes register Ready; a ReplicaSet's pods are created, scheduled onto the nodes (with the
 * Scheduled event `kubectl describe` shows) and go Running with pod IPs; a deleted pod is replaced;
 * deleting the ReplicaSet takes its pods with it (garbage collection); deleting a namespace empties it
 * and removes it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type CliProcess, interruptCli, kubectl, kubectlOk, startCli } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'kubelite-cp-'));
const kubeconfig = join(dir, 'data', 'kubeconfig');
let running: CliProcess;

before(async () => {
  running = await startCli(['up', '--data-dir', join(dir, 'data'), '--port', '0', '--nodes', '3']);
});
after(async () => {
  assert.equal(await interruptCli(running), 0, `exit code after SIGINT; output:\n${running.output()}`);
  rmSync(dir, { recursive: true, force: true });
});

interface PodRow {
  readonly metadata: { readonly name: string; readonly uid: string };
  readonly spec: { readonly nodeName?: string };
  readonly status: { readonly phase?: string; readonly podIP?: string };
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function pods(selector: string, namespace = 'default'): Promise<PodRow[]> {
  const { stdout } = await kubectlOk(kubeconfig, ['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json']);
  return (JSON.parse(stdout) as { items: PodRow[] }).items;
}

const replicaSet = (name: string, replicas: number): string => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [ { name: c, image: nginx, resources: { requests: { cpu: 100m, memory: 64Mi } } } ] }
`;

it('three simulated nodes register Ready', async () => {
  const nodes = await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'nodes', '--no-headers']);
    const lines = stdout.trim().split('\n').filter((line) => line.includes(' Ready '));
    return lines.length === 3 ? lines : undefined;
  }, 'three Ready nodes');
  assert.equal(nodes.length, 3);
});

it('a ReplicaSet\'s pods are scheduled onto the nodes and run with pod IPs; a deleted pod is replaced', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], replicaSet('web', 5));
  const runningPods = await eventually(async () => {
    const list = await pods('app=web');
    return list.length === 5 && list.every((p) => p.status.phase === 'Running' && p.status.podIP !== undefined && p.spec.nodeName !== undefined) ? list : undefined;
  }, '5 Running pods');
  assert.ok(runningPods.every((p) => p.spec.nodeName?.startsWith('kubelite-node-')));
  const first = runningPods[0] as PodRow;
  const { stdout: described } = await kubectlOk(kubeconfig, ['describe', 'pod', first.metadata.name]);
  assert.match(described, new RegExp(`Scheduled\\s.*Successfully assigned default/${first.metadata.name} to ${first.spec.nodeName}`));
  const { stdout: wide } = await kubectlOk(kubeconfig, ['get', 'pods', '-l', 'app=web', '-o', 'wide']);
  assert.match(wide, /kubelite-node-\d/);
  await kubectlOk(kubeconfig, ['delete', 'pod', first.metadata.name]);
  await eventually(async () => {
    const list = await pods('app=web');
    return list.length === 5 && list.every((p) => p.metadata.uid !== first.metadata.uid && p.status.phase === 'Running') ? true : undefined;
  }, 'the deleted pod to be replaced');
});

it('deleting a ReplicaSet takes its pods; deleting a namespace empties and removes it', async () => {
  await kubectlOk(kubeconfig, ['delete', 'replicaset', 'web']);
  await eventually(async () => ((await pods('app=web')).length === 0 ? true : undefined), 'the pods to be collected');
  await kubectlOk(kubeconfig, ['create', 'namespace', 'doomed']);
  await kubectlOk(kubeconfig, ['apply', '-n', 'doomed', '-f', '-'], replicaSet('api', 2));
  await kubectlOk(kubeconfig, ['create', 'configmap', 'settings', '-n', 'doomed', '--from-literal=a=b']);
  await eventually(async () => ((await pods('app=api', 'doomed')).length === 2 ? true : undefined), 'pods in the namespace');
  await kubectlOk(kubeconfig, ['delete', 'namespace', 'doomed', '--wait=false']);
  await eventually(async () => {
    const result = await kubectl(kubeconfig, ['get', 'namespace', 'doomed']);
    return result.code !== 0 && /NotFound/.test(result.stderr) ? true : undefined;
  }, 'the namespace to go');
});
