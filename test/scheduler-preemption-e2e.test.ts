/**
 * Priority and preemption end to end, with the real kubectl against `kubelite up --nodes 1`:
 * PriorityClasses are created with `kubectl create priorityclass`; a node filled by a low-priority
 * Deployment makes room for a high-priority pod by preempting one of its pods (the victim gets a
 * `Preempted` event and goes, the preemptor is nominated to the node and then runs there); the
 * victim's replacement stays Pending, since it may not preempt pods of its own priority; a pod of a
 * class with `preemptionPolicy: Never` waits instead of preempting.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type CliProcess, interruptCli, kubectl, kubectlOk, startCli } from './support/cli-process.js';
import { type WaitOptions, eventually as waitFor } from './support/eventually.js';

const WAIT: WaitOptions = { timeoutMs: 90_000, intervalMs: 200 };
const dir = mkdtempSync(join(tmpdir(), 'kubelite-preemption-'));
const kubeconfig = join(dir, 'data', 'kubeconfig');
let up: CliProcess;

before(async () => {
  up = await startCli(['up', '--data-dir', join(dir, 'data'), '--port', '0', '--nodes', '1']);
});
after(async () => {
  assert.equal(await interruptCli(up), 0, `exit code after SIGINT; output:\n${up.output()}`);
  rmSync(dir, { recursive: true, force: true });
});

interface PodItem {
  readonly metadata: { readonly name: string; readonly deletionTimestamp?: string };
  readonly spec: { readonly nodeName?: string; readonly priority?: number; readonly priorityClassName?: string };
  readonly status: { readonly phase?: string; readonly nominatedNodeName?: string };
}

async function pods(selector: string): Promise<PodItem[]> {
  const { stdout } = await kubectlOk(kubeconfig, ['get', 'pods', '-l', selector, '-o', 'json']);
  return (JSON.parse(stdout) as { items: PodItem[] }).items.filter((p) => p.metadata.deletionTimestamp === undefined);
}

/** A pod asking for 10 of the node's 32 CPUs, in `priorityClass`; 1 s grace so a victim goes quickly. */
const pod = (name: string, priorityClass: string): string => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { app: ${name} } }
spec:
  priorityClassName: ${priorityClass}
  terminationGracePeriodSeconds: 1
  containers: [ { name: c, image: app, resources: { requests: { cpu: "10" } } } ]
`;

it('kubectl creates PriorityClasses and pods take their values', async () => {
  await kubectlOk(kubeconfig, ['create', 'priorityclass', 'low', '--value=100', '--description=batch work']);
  await kubectlOk(kubeconfig, ['create', 'priorityclass', 'high', '--value=1000']);
  await kubectlOk(kubeconfig, ['create', 'priorityclass', 'polite', '--value=1000', '--preemption-policy=Never']);
  const { stdout } = await kubectlOk(kubeconfig, ['get', 'priorityclasses']);
  assert.match(stdout, /^high\s+1000\s+false\s/m);
  assert.match(stdout, /^system-node-critical\s+2000001000\s/m);
  const refused = await kubectl(kubeconfig, ['apply', '-f', '-'], pod('stray', 'missing'));
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /no PriorityClass with name missing was found/);
});

it('a high-priority pod preempts a low-priority one on a full node; the replacement waits; a Never pod waits too', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: apps/v1
kind: Deployment
metadata: { name: batch }
spec:
  replicas: 3
  selector: { matchLabels: { app: batch } }
  template:
    metadata: { labels: { app: batch } }
    spec:
      priorityClassName: low
      terminationGracePeriodSeconds: 1
      containers: [ { name: c, image: batch, resources: { requests: { cpu: "10" } } } ]
`);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'deployment/batch', '--timeout=60s']);
  const before = await pods('app=batch');
  assert.deepEqual(before.map((p) => p.spec.priority), [100, 100, 100]);

  // 30 of 32 CPUs are taken: a Never pod does not preempt, it waits.
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], pod('patient', 'polite'));
  await waitFor(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'events', '--field-selector', 'involvedObject.name=patient,reason=FailedScheduling', '-o', 'name']);
    return stdout.trim() !== '' ? true : undefined;
  }, 'the Never pod to fail scheduling', WAIT);
  assert.equal((await pods('app=batch')).length, 3);

  await kubectlOk(kubeconfig, ['apply', '-f', '-'], pod('urgent', 'high'));
  const urgent = await waitFor(async () => {
    const [found] = await pods('app=urgent');
    return found?.status.phase === 'Running' ? found : undefined;
  }, 'the high-priority pod to run', WAIT);
  assert.equal(urgent.spec.nodeName, 'kubelite-node-0');
  assert.equal(urgent.spec.priority, 1000);

  const victims = before.map((p) => p.metadata.name);
  const { stdout: events } = await kubectlOk(kubeconfig, ['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'jsonpath={range .items[*]}{.involvedObject.name} {.message}{"\\n"}{end}']);
  const preempted = events.trim().split('\n').filter((line) => line !== '');
  assert.equal(preempted.length, 1, events);
  assert.ok(victims.includes(preempted[0]?.split(' ')[0] ?? ''), events);
  assert.match(preempted[0] ?? '', /Preempted by pod .* on node kubelite-node-0/);

  // The Deployment replaces its victim, which finds no room and may not preempt its own priority.
  const after = await waitFor(async () => {
    const list = await pods('app=batch');
    return list.length === 3 && list.filter((p) => p.status.phase === 'Running').length === 2 ? list : undefined;
  }, 'two batch pods running and the replacement pending', WAIT);
  assert.equal(after.filter((p) => (p.spec.nodeName ?? '') === '').length, 1);
  const [patient] = await pods('app=patient');
  assert.equal(patient?.spec.nodeName ?? '', '', 'the Never pod is still waiting');
});
