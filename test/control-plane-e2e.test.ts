/**
 * The control plane end to end, as a user drives it: `kubelite up --nodes 3` and the real kubectl.
 * Nodes register Ready; a ReplicaSet's pods are created, scheduled onto the nodes (with the
 * Scheduled event `kubectl describe` shows) and go Running with pod IPs, `kubectl logs` says what was
 * simulated (`logs -f` follows a Job's pod until it completes) and `kubectl exec` says why it cannot;
 * a deleted pod is replaced; a
 * Deployment rolls out, changes image, rolls back and scales, as `kubectl rollout` reports; a
 * Deployment scaled to 30 runs 30 pods; a Service
 * gets the ready pods' addresses; a Job completes; a DaemonSet covers every node and a StatefulSet
 * creates its pods in order; both keep ControllerRevisions that `kubectl rollout history` lists and
 * `rollout undo` goes back to; rollout restart, pause and resume; a cordoned node gets no new pods;
 * orphan and foreground cascades;
 * deleting the ReplicaSet takes its pods with it (garbage collection); deleting a namespace empties it
 * and removes it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type CliProcess, interruptCli, kubectl, kubectlOk, startCli } from './support/cli-process.js';
import { type WaitOptions, eventually as waitFor } from './support/eventually.js';

/** kubectl round trips and pods' grace periods (a namespace waits for its pods): a longer wait. */
const E2E_WAIT: WaitOptions = { timeoutMs: 120_000, intervalMs: 100 };

function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  return waitFor(read, what, E2E_WAIT);
}

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

async function pods(selector: string, namespace = 'default'): Promise<PodRow[]> {
  const { stdout } = await kubectlOk(kubeconfig, ['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json']);
  return (JSON.parse(stdout) as { items: PodRow[] }).items;
}

/** Its pods are deleted after a 1 s grace period, so the tests that wait for them to go are quick. */
const replicaSet = (name: string, replicas: number): string => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [ { name: c, image: nginx, resources: { requests: { cpu: 100m, memory: 64Mi } } } ]
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
  // A simulated container has no output; its log says where and from what it was started.
  const { stdout: logs } = await kubectlOk(kubeconfig, ['logs', first.metadata.name]);
  assert.match(logs, new RegExp(`^kubelite: simulated container "c" started on node ${first.spec.nodeName} from image nginx;`));
  const exec = await kubectl(kubeconfig, ['exec', first.metadata.name, '--', 'true']);
  assert.notEqual(exec.code, 0);
  assert.match(exec.stderr, new RegExp(`cannot exec into a container of pod default/${first.metadata.name}: it runs on ${first.spec.nodeName}, a simulated node, which runs no processes`));
  await kubectlOk(kubeconfig, ['delete', 'pod', first.metadata.name]);
  await eventually(async () => {
    const list = await pods('app=web');
    return list.length === 5 && list.every((p) => p.metadata.uid !== first.metadata.uid && p.status.phase === 'Running') ? true : undefined;
  }, 'the deleted pod to be replaced');
});

it('kubectl top shows each Running pod using what it requests, an annotation changing that, and each node the sum of its pods', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], replicaSet('measured', 2));
  const measured = await eventually(async () => {
    const list = await pods('app=measured');
    return list.length === 2 && list.every((p) => p.status.phase === 'Running') ? list : undefined;
  }, '2 Running pods');
  const [busy, idle] = measured as [PodRow, PodRow];
  await kubectlOk(kubeconfig, ['annotate', 'pod', busy.metadata.name, 'kubelite.dev/cpu-usage=750m', 'kubelite.dev/memory-usage=200Mi']);
  const { stdout: top } = await eventually(async () => {
    const result = await kubectlOk(kubeconfig, ['top', 'pod', '-l', 'app=measured', '--no-headers']);
    return result.stdout.includes('750m') ? result : undefined;
  }, 'kubectl top pod to show the annotated usage');
  const rows = new Map(top.trim().split('\n').map((line) => { const [name = '', cpu = '', memory = ''] = line.trim().split(/\s+/); return [name, `${cpu} ${memory}`]; }));
  assert.equal(rows.get(busy.metadata.name), '750m 200Mi');
  assert.equal(rows.get(idle.metadata.name), '100m 64Mi');
  // A node's usage is the sum of its Running pods' (every pod here asks for 100m and 64Mi).
  const nodeJson = JSON.parse((await kubectlOk(kubeconfig, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes'])).stdout) as { items: { metadata: { name: string }; usage: { cpu: string } }[] };
  assert.deepEqual(nodeJson.items.map((node) => node.metadata.name).sort(), ['kubelite-node-0', 'kubelite-node-1', 'kubelite-node-2']);
  const { stdout: nodesTop } = await kubectlOk(kubeconfig, ['top', 'node', '--no-headers']);
  assert.equal(nodesTop.trim().split('\n').length, 3);
  assert.match(nodesTop, /^kubelite-node-\d\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
  await kubectlOk(kubeconfig, ['delete', 'replicaset', 'measured']);
});

const deployment = (image: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  replicas: 4
  selector: { matchLabels: { app: shop } }
  strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }
  template:
    metadata: { labels: { app: shop } }
    spec: { containers: [ { name: c, image: ${image} } ] }
`;

it('a Deployment rolls out: rollout status succeeds, set image makes revision 2, undo goes back', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], deployment('nginx:1.25'));
  const { stdout: status } = await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/shop', '--timeout=60s']);
  assert.match(status, /successfully rolled out/);
  assert.equal((await pods('app=shop')).filter((p) => p.status.phase === 'Running').length, 4);
  await kubectlOk(kubeconfig, ['set', 'image', 'deployment/shop', 'c=nginx:1.26']);
  assert.match((await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/shop', '--timeout=60s'])).stdout, /successfully rolled out/);
  const images = async (): Promise<string[]> => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'pods', '-l', 'app=shop', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
    return stdout.split(' ').filter((image) => image !== '');
  };
  await eventually(async () => ((await images()).every((image) => image === 'nginx:1.26') ? true : undefined), 'every pod on the new image');
  const { stdout: history } = await kubectlOk(kubeconfig, ['rollout', 'history', 'deployment/shop']);
  assert.match(history, /^1\s/m);
  assert.match(history, /^2\s/m);
  await kubectlOk(kubeconfig, ['rollout', 'undo', 'deployment/shop']);
  assert.match((await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/shop', '--timeout=60s'])).stdout, /successfully rolled out/);
  await eventually(async () => {
    const list = await images();
    return list.length === 4 && list.every((image) => image === 'nginx:1.25') ? true : undefined;
  }, 'every pod back on the old image');
  await kubectlOk(kubeconfig, ['scale', 'deployment/shop', '--replicas=6']);
  await eventually(async () => ((await pods('app=shop')).filter((p) => p.status.phase === 'Running').length === 6 ? true : undefined), '6 running pods');
  await kubectlOk(kubeconfig, ['delete', 'deployment', 'shop']);
  await eventually(async () => ((await pods('app=shop')).length === 0 ? true : undefined), 'the Deployment\'s pods to be collected');
});

it('kubectl scale deployment --replicas=30 gives 30 Running pods and rollout status succeeds', async () => {
  await kubectlOk(kubeconfig, ['create', 'deployment', 'wide', '--image=nginx', '--replicas=2']);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/wide', '--timeout=60s']);
  await kubectlOk(kubeconfig, ['scale', 'deployment', 'wide', '--replicas=30']);
  assert.match((await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/wide', '--timeout=90s'])).stdout, /successfully rolled out/);
  const list = await eventually(async () => {
    const running = (await pods('app=wide')).filter((p) => p.status.phase === 'Running');
    return running.length === 30 ? running : undefined;
  }, '30 running pods');
  assert.equal(new Set(list.map((p) => p.metadata.name)).size, 30);
  const { stdout: ready } = await kubectlOk(kubeconfig, ['get', 'deployment', 'wide', '-o', 'jsonpath={.status.readyReplicas}/{.status.availableReplicas}/{.status.updatedReplicas}']);
  assert.equal(ready, '30/30/30');
  // Its pods go after their 30 s grace period, while the next tests run.
  await kubectlOk(kubeconfig, ['delete', 'deployment', 'wide', '--wait=false']);
});

it('a Service gets Endpoints and an EndpointSlice of its ready pods; a Job completes', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], replicaSet('backend', 3));
  await kubectlOk(kubeconfig, ['create', 'service', 'clusterip', 'backend', '--tcp=80:8080']);
  // `create service` selects app=backend, the ReplicaSet's label.
  const ips = await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'endpoints', 'backend', '-o', 'jsonpath={.subsets[*].addresses[*].ip}']);
    const list = stdout.split(' ').filter((ip) => ip !== '');
    return list.length === 3 ? list : undefined;
  }, 'three ready addresses');
  const podIPs = (await pods('app=backend')).map((p) => p.status.podIP ?? '');
  assert.deepEqual([...ips].sort(), [...podIPs].sort());
  const { stdout: slices } = await kubectlOk(kubeconfig, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=backend', '-o', 'jsonpath={.items[*].endpoints[*].addresses[0]}']);
  assert.equal(slices.split(' ').filter((ip) => ip !== '').length, 3);

  await kubectlOk(kubeconfig, ['create', 'job', 'once', '--image=busybox', '--', 'true']);
  await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'job', 'once', '-o', 'jsonpath={.status.succeeded}/{.status.conditions[?(@.type=="Complete")].status}']);
    return stdout === '1/True' ? true : undefined;
  }, 'the Job to complete');
  await kubectlOk(kubeconfig, ['wait', '--for=condition=complete', 'job/once', '--timeout=30s']);
});

it('kubectl logs -f follows a Job\'s running pod and ends with its exit when the pod completes', async () => {
  // The run-duration annotation keeps the simulated container running for 8 s before it completes.
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: batch/v1
kind: Job
metadata: { name: followed }
spec:
  template:
    metadata: { annotations: { kubelite.dev/run-duration: 8s } }
    spec:
      restartPolicy: Never
      containers: [ { name: c, image: busybox } ]
`);
  await eventually(async () => ((await pods('job-name=followed')).some((p) => p.status.phase === 'Running') ? true : undefined), 'the Job\'s pod to run');
  const follow = spawn('kubectl', ['--kubeconfig', kubeconfig, 'logs', '-f', 'job/followed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  follow.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  follow.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => follow.once('exit', (code) => resolve(code)));
  // Once the start line has come, the pod still runs and kubectl still follows it.
  await eventually(async () => (stdout.includes('\n') ? true : undefined), 'the log\'s first line');
  assert.deepEqual((await pods('job-name=followed')).map((p) => p.status.phase), ['Running']);
  assert.equal(follow.exitCode, null, 'kubectl logs -f ended while the container ran');
  assert.equal(await exited, 0, stderr);
  const [start, exit, ...rest] = stdout.trim().split('\n');
  assert.match(start ?? '', /^kubelite: simulated container "c" started on node kubelite-node-\d from image busybox;/);
  assert.equal(exit, 'kubelite: simulated container "c" exited with code 0 (Completed)');
  assert.deepEqual(rest, []);
  assert.deepEqual((await pods('job-name=followed')).map((p) => p.status.phase), ['Succeeded']);
});

it('a DaemonSet covers every node; a StatefulSet creates web-0, web-1, web-2 in order', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec: { containers: [ { name: c, image: agent } ] }
`);
  const daemonPods = await eventually(async () => {
    const list = await pods('app=agent');
    return list.length === 3 && list.every((p) => p.status.phase === 'Running') ? list : undefined;
  }, 'a running daemon pod on each node');
  assert.deepEqual(daemonPods.map((p) => p.spec.nodeName).sort(), ['kubelite-node-0', 'kubelite-node-1', 'kubelite-node-2']);
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [ { name: c, image: db } ] }
`);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'statefulset/web', '--timeout=60s']);
  const ordered = (await pods('app=db')).map((p) => p.metadata).sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(ordered.map((m) => m.name), ['web-0', 'web-1', 'web-2']);
  const { stdout: created } = await kubectlOk(kubeconfig, ['get', 'pods', '-l', 'app=db', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.creationTimestamp}{"\\n"}{end}']);
  const times = new Map(created.trim().split('\n').map((line) => line.split(' ') as [string, string]));
  assert.ok((times.get('web-0') ?? '') <= (times.get('web-1') ?? '') && (times.get('web-1') ?? '') <= (times.get('web-2') ?? ''), created);
});

it('a DaemonSet\'s and a StatefulSet\'s templates are kept as ControllerRevisions: rollout history lists them, rollout undo goes back', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ledger }
spec:
  serviceName: ledger
  replicas: 2
  selector: { matchLabels: { app: ledger } }
  template:
    metadata: { labels: { app: ledger } }
    spec: { terminationGracePeriodSeconds: 1, containers: [ { name: c, image: ledger:1 } ] }
`);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'statefulset/ledger', '--timeout=60s']);
  /** The images of the pods not being deleted. */
  const images = async (selector: string): Promise<string[]> => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'pods', '-l', selector, '-o', 'json']);
    const list = (JSON.parse(stdout) as { items: { metadata: { deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[] }).items;
    return list.filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.spec.containers[0]?.image ?? '');
  };
  const workloads = [
    { ref: 'daemonset/agent', selector: 'app=agent', first: 'agent', second: 'agent:2', pods: 3 },
    { ref: 'statefulset/ledger', selector: 'app=ledger', first: 'ledger:1', second: 'ledger:2', pods: 2 },
  ];
  for (const { ref, selector, first, second, pods: count } of workloads) {
    await kubectlOk(kubeconfig, ['annotate', ref, `kubernetes.io/change-cause=set image ${second}`]);
    await kubectlOk(kubeconfig, ['set', 'image', ref, `c=${second}`]);
    await kubectlOk(kubeconfig, ['rollout', 'status', ref, '--timeout=90s']);
    const { stdout: history } = await kubectlOk(kubeconfig, ['rollout', 'history', ref]);
    assert.match(history, /^1\s/m, `${ref} history:\n${history}`);
    assert.match(history, new RegExp(`^2\\s+set image ${second}\\s*$`, 'm'), `${ref} history:\n${history}`);
    await kubectlOk(kubeconfig, ['rollout', 'undo', ref]);
    await kubectlOk(kubeconfig, ['rollout', 'status', ref, '--timeout=90s']);
    await eventually(async () => {
      const list = await images(selector);
      return list.length === count && list.every((image) => image === first) ? true : undefined;
    }, `every pod of ${ref} back on ${first}`);
    // The undo re-used revision 1 as revision 3; revision 2 stays for the next undo.
    const { stdout: after } = await kubectlOk(kubeconfig, ['rollout', 'history', ref]);
    assert.doesNotMatch(after, /^1\s/m, `${ref} history:\n${after}`);
    assert.match(after, /^2\s/m, `${ref} history:\n${after}`);
    assert.match(after, /^3\s/m, `${ref} history:\n${after}`);
    assert.match((await kubectlOk(kubeconfig, ['rollout', 'history', ref, '--revision=3'])).stdout, new RegExp(`Image:\\s+${first}\\s`));
  }
  await kubectlOk(kubeconfig, ['delete', 'statefulset', 'ledger']);
  await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'controllerrevisions', '-l', 'app=ledger', '-o', 'name']);
    return stdout.trim() === '' ? true : undefined;
  }, 'the StatefulSet\'s revisions to be collected with it');
});

it('restart, pause and resume a rollout; a cordoned node gets no new pods; cascades: foreground and orphan', async () => {
  await kubectlOk(kubeconfig, ['create', 'deployment', 'cart', '--image=nginx', '--replicas=3']);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/cart', '--timeout=60s']);
  await kubectlOk(kubeconfig, ['rollout', 'restart', 'deployment/cart']);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/cart', '--timeout=60s']);
  await kubectlOk(kubeconfig, ['rollout', 'pause', 'deployment/cart']);
  await kubectlOk(kubeconfig, ['set', 'image', 'deployment/cart', 'nginx=nginx:1.27']);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const { stdout: paused } = await kubectlOk(kubeconfig, ['get', 'replicasets', '-l', 'app=cart', '--no-headers']);
  assert.equal(paused.trim().split('\n').length, 2, `paused: no new ReplicaSet\n${paused}`);
  await kubectlOk(kubeconfig, ['rollout', 'resume', 'deployment/cart']);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/cart', '--timeout=60s']);
  const { stdout: resumed } = await kubectlOk(kubeconfig, ['get', 'replicasets', '-l', 'app=cart', '--no-headers']);
  assert.equal(resumed.trim().split('\n').length, 3, `resumed: a third ReplicaSet\n${resumed}`);

  const onNode0 = async (): Promise<string[]> => (await pods('app=cart')).filter((p) => p.spec.nodeName === 'kubelite-node-0').map((p) => p.metadata.name);
  await kubectlOk(kubeconfig, ['cordon', 'kubelite-node-0']);
  const before = await onNode0();
  await kubectlOk(kubeconfig, ['scale', 'deployment/cart', '--replicas=8']);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/cart', '--timeout=60s']);
  const after = await onNode0();
  assert.ok(after.every((name) => before.includes(name)), `no new pod on the cordoned node: before ${before.join(',')}, after ${after.join(',')}`);
  await kubectlOk(kubeconfig, ['uncordon', 'kubelite-node-0']);

  await kubectlOk(kubeconfig, ['delete', 'deployment', 'cart', '--cascade=orphan']);
  const orphans = await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'replicasets', '-l', 'app=cart', '-o', 'jsonpath={.items[*].metadata.ownerReferences}']);
    const { stdout: names } = await kubectlOk(kubeconfig, ['get', 'replicasets', '-l', 'app=cart', '--no-headers']);
    return stdout.trim() === '' && names.trim() !== '' ? names : undefined;
  }, 'the ReplicaSets to be orphaned');
  assert.ok(orphans.length > 0);
  await kubectlOk(kubeconfig, ['delete', 'replicasets', '-l', 'app=cart', '--cascade=foreground']);
  await eventually(async () => ((await pods('app=cart')).length === 0 ? true : undefined), 'foreground deletion to take the pods');
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
