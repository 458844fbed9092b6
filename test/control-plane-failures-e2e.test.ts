/**
 * The control plane under failure, end to end, as a user drives it with the real kubectl:
 * - on `kubelite up --node-monitor-grace-period 5s`, a node annotated
 *   `kubelite.dev/heartbeat=stopped` goes silent, turns NotReady with the unreachable taint, and the
 *   pods of a Deployment that tolerates that taint for a second move to the other nodes; removing
 *   the annotation brings the node back Ready;
 * - on the same cluster, a CronJob scheduled every minute fires: a Job it owns completes and
 *   `kubectl get cronjob` shows its LAST SCHEDULE (created first, so its minute overlaps the rest);
 * - with each role its own process (`kubelite apiserver`, two `kubelite controller-manager
 *   --leader-elect`, `kubelite scheduler`, `kubelite nodes`), one controller-manager holds the
 *   kube-controller-manager Lease; when it is killed the other takes the Lease over and Deployments
 *   still reconcile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type CliProcess, interruptCli, kubectlOk, signalCli, startCli } from './support/cli-process.js';
import { type WaitOptions, eventually as waitFor } from './support/eventually.js';

/** kubectl round trips, grace periods and a CronJob's next minute: a long cap, polled often. */
const E2E_WAIT: WaitOptions = { timeoutMs: 120_000, intervalMs: 200 };

function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  return waitFor(read, what, E2E_WAIT);
}

const dir = mkdtempSync(join(tmpdir(), 'kubelite-failures-'));
const kubeconfig = join(dir, 'up', 'kubeconfig');
let up: CliProcess;

before(async () => {
  up = await startCli(['up', '--data-dir', join(dir, 'up'), '--port', '0', '--nodes', '3', '--node-monitor-grace-period', '5s']);
  // First, so that the wait for its minute runs alongside the other tests.
  await kubectlOk(kubeconfig, ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *', '--', 'true']);
});
after(async () => {
  assert.equal(await interruptCli(up), 0, `exit code after SIGINT; output:\n${up.output()}`);
  rmSync(dir, { recursive: true, force: true });
});

interface PodRow {
  readonly metadata: { readonly name: string; readonly deletionTimestamp?: string };
  readonly spec: { readonly nodeName?: string };
  readonly status: { readonly phase?: string };
}

async function pods(config: string, selector: string): Promise<PodRow[]> {
  const { stdout } = await kubectlOk(config, ['get', 'pods', '-l', selector, '-o', 'json']);
  return (JSON.parse(stdout) as { items: PodRow[] }).items;
}

/** The pods that are not being deleted. */
async function livePods(config: string, selector: string): Promise<PodRow[]> {
  return (await pods(config, selector)).filter((p) => p.metadata.deletionTimestamp === undefined);
}

async function nodeStatus(config: string, name: string): Promise<string> {
  const { stdout } = await kubectlOk(config, ['get', 'node', name, '--no-headers']);
  return stdout.trim().split(/\s+/)[1] ?? '';
}

/** Pods that leave a silent node after a second, as a user tunes it (the default is 300 s). */
const tolerantDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: survivor }
spec:
  replicas: 6
  selector: { matchLabels: { app: survivor } }
  template:
    metadata: { labels: { app: survivor } }
    spec:
      containers: [ { name: c, image: nginx } ]
      tolerations:
        - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1 }
        - { key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 1 }
`;

it('a node annotated kubelite.dev/heartbeat=stopped turns NotReady and unreachable, its pods move to the other nodes, and it comes back when the annotation goes', async () => {
  await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'nodes', '--no-headers']);
    return stdout.trim().split('\n').filter((line) => line.includes(' Ready ')).length === 3 ? true : undefined;
  }, 'three Ready nodes');
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], tolerantDeployment);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/survivor', '--timeout=60s']);
  const placed = await livePods(kubeconfig, 'app=survivor');
  const victim = placed.find((p) => p.spec.nodeName !== undefined)?.spec.nodeName;
  assert.ok(victim !== undefined, 'a pod on some node');
  const evicted = placed.filter((p) => p.spec.nodeName === victim).map((p) => p.metadata.name);

  await kubectlOk(kubeconfig, ['annotate', 'node', victim, 'kubelite.dev/heartbeat=stopped']);
  await eventually(async () => ((await nodeStatus(kubeconfig, victim)) === 'NotReady' ? true : undefined), `${victim} to be NotReady`);
  const taints = await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'node', victim, '-o', 'json']);
    const node = JSON.parse(stdout) as { spec: { taints?: { key: string; effect: string }[] } };
    const list = node.spec.taints ?? [];
    return list.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? list : undefined;
  }, `the unreachable taint on ${victim}`);
  assert.ok(taints.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule'), JSON.stringify(taints));
  const { stdout: readyCondition } = await kubectlOk(kubeconfig, ['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
  assert.equal(readyCondition, 'Unknown');

  const moved = await eventually(async () => {
    const list = await livePods(kubeconfig, 'app=survivor');
    return list.length === 6 && list.every((p) => p.status.phase === 'Running' && p.spec.nodeName !== undefined && p.spec.nodeName !== victim) ? list : undefined;
  }, `six Running pods, none on ${victim}`);
  assert.ok(evicted.every((name) => !moved.some((p) => p.metadata.name === name)), `the pods of ${victim} were replaced: ${evicted.join(', ')}`);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/survivor', '--timeout=60s']);

  await kubectlOk(kubeconfig, ['annotate', 'node', victim, 'kubelite.dev/heartbeat-']);
  await eventually(async () => ((await nodeStatus(kubeconfig, victim)) === 'Ready' ? true : undefined), `${victim} to be Ready again`);
  await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'node', victim, '-o', 'jsonpath={.spec.taints[*].key}']);
    return stdout.includes('node.kubernetes.io/unreachable') ? undefined : true;
  }, `the unreachable taint to leave ${victim}`);
});

it('two leader-elected controller-managers: one holds the Lease; when it is killed the other takes over and Deployments still reconcile', async () => {
  const haDir = join(dir, 'ha');
  const config = join(haDir, 'kubeconfig');
  const processes: CliProcess[] = [];
  const exits = new Map<CliProcess, number | null>();
  const killed = new Set<CliProcess>();
  const start = async (args: readonly string[], readyWhen?: string): Promise<CliProcess> => {
    const started = await startCli(args, readyWhen === undefined ? {} : { readyWhen });
    processes.push(started);
    return started;
  };
  try {
    await start(['apiserver', '--storage', `sqlite://${join(haDir, 'kubelite.db')}`, '--port', '0', '--kubeconfig', config]);
    const fastElection = ['--leader-elect', '--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '4s', '--leader-elect-retry-period', '500ms'];
    const managers = [
      await start(['controller-manager', '--kubeconfig', config, ...fastElection], 'controller-manager: running'),
      await start(['controller-manager', '--kubeconfig', config, ...fastElection], 'controller-manager: running'),
    ];
    await start(['scheduler', '--kubeconfig', config, ...fastElection], 'scheduler: running');
    await start(['nodes', '--count', '2', '--kubeconfig', config], 'nodes: 2 simulated nodes');

    const holderOf = async (): Promise<CliProcess | undefined> => {
      const { stdout } = await kubectlOk(config, ['get', 'lease', '-n', 'kube-system', 'kube-controller-manager', '-o', 'json']);
      const holder = (JSON.parse(stdout) as { spec?: { holderIdentity?: string } }).spec?.holderIdentity ?? '';
      const holders = managers.filter((m) => holder.endsWith(`_${m.child.pid ?? ''}`));
      assert.ok(holders.length <= 1, `one holder identity names one process: ${holder}`);
      return holders[0];
    };
    const leader = await eventually(holderOf, 'a controller-manager to hold the kube-controller-manager Lease');
    const follower = managers.find((m) => m !== leader) as CliProcess;
    await kubectlOk(config, ['create', 'deployment', 'before', '--image=nginx', '--replicas=3']);
    await kubectlOk(config, ['rollout', 'status', 'deployment/before', '--timeout=60s']);
    assert.equal(await holderOf(), leader, 'the leader kept its Lease while both ran');
    assert.doesNotMatch(follower.output(), /successfully acquired lease/, 'the follower never led');

    killed.add(leader);
    assert.equal(await signalCli(leader, 'SIGKILL'), null);
    await eventually(async () => ((await holderOf()) === follower ? true : undefined), 'the other controller-manager to take the Lease over');
    await kubectlOk(config, ['create', 'deployment', 'after', '--image=nginx', '--replicas=2']);
    await kubectlOk(config, ['rollout', 'status', 'deployment/after', '--timeout=60s']);
    await kubectlOk(config, ['scale', 'deployment/before', '--replicas=5']);
    await kubectlOk(config, ['rollout', 'status', 'deployment/before', '--timeout=60s']);
    const running = (await livePods(config, 'app in (before,after)')).filter((p) => p.status.phase === 'Running');
    assert.equal(running.length, 7, running.map((p) => p.metadata.name).join(', '));
  } finally {
    // Stop the nodes and the controllers before the API server they talk to.
    for (const running of [...processes].reverse()) exits.set(running, await interruptCli(running));
  }
  for (const [running, code] of exits) {
    if (!killed.has(running)) assert.equal(code, 0, `exit code after SIGINT; output:\n${running.output()}`);
  }
});

it('a CronJob scheduled every minute creates a Job that completes, and kubectl shows its last schedule', async () => {
  const job = await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'jobs', '-o', 'json']);
    const items = (JSON.parse(stdout) as { items: { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] }; status?: { succeeded?: number } }[] }).items;
    return items.find((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'tick') === true && j.status?.succeeded === 1);
  }, 'a completed Job owned by CronJob tick');
  assert.match(job.metadata.name, /^tick-\d+$/);
  const { stdout: table } = await kubectlOk(kubeconfig, ['get', 'cronjob', 'tick']);
  const [header = '', row = ''] = table.trim().split('\n');
  const column = header.indexOf('LAST SCHEDULE');
  assert.ok(column >= 0, table);
  const shown = row.slice(column).trim().split(/\s+/)[0] ?? '';
  assert.ok(shown !== '' && shown !== '<none>', `LAST SCHEDULE is shown:\n${table}`);
  const { stdout: lastSchedule } = await kubectlOk(kubeconfig, ['get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastScheduleTime}']);
  assert.ok(!Number.isNaN(Date.parse(lastSchedule)), lastSchedule);
});
