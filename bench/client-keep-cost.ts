/**
 * @module
 * Outside the suites: what decoding and keeping one watch update costs any Node.js informer over
 * JSON, with no network and no machinery, for the `client` section of BENCHMARKS.md. A process
 * holds 100,000 pods in a Map (an informer's cache after sync), then takes 10,000 MODIFIED lines of
 * one pod (the api suite's manifest with a status), three ways, in fresh processes:
 *
 * - `none`: the loop alone;
 * - `parse`: `JSON.parse` each line and drop the result;
 * - `keep`: `JSON.parse` each line and replace that pod's entry in the Map, so the garbage collector
 *   copies and promotes the new object and frees the old, as in every informer.
 *
 * CPU is the process's (user + system, all threads, so GC too). Every 4th line yields to the event
 * loop, as lines arrive a few per chunk. Run: `node --expose-gc dist/bench/client-keep-cost.js`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { podManifest } from './api-pods.js';

const CACHED = 100_000;
const UPDATES = 10_000;
const ROUNDS = 5;
const MODES = ['none', 'parse', 'keep'] as const;
type Mode = (typeof MODES)[number];

/** The suite's pod as the server serves it: the manifest with the server's defaults and a status. */
function line(name: string): string {
  const pod: Record<string, unknown> = podManifest(name);
  const spec = pod.spec as { containers: Record<string, unknown>[] };
  pod.metadata = {
    ...(pod.metadata as object),
    namespace: 'default',
    uid: '8c1f6b8e-6d0a-4f57-a9a3-1b2c3d4e5f60',
    resourceVersion: '123456',
    creationTimestamp: '2026-11-26T08:00:00Z',
  };
  for (const container of spec.containers) {
    Object.assign(container, { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' });
  }
  const toleration = (key: string): Record<string, unknown> => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  pod.spec = {
    ...spec,
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [toleration('node.kubernetes.io/not-ready'), toleration('node.kubernetes.io/unreachable')],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  pod.status = { phase: 'Pending', qosClass: 'Burstable' };
  return JSON.stringify({ type: 'MODIFIED', object: pod });
}

async function measure(mode: Mode): Promise<number> {
  const cache = new Map<number, unknown>();
  const text = line('pod');
  for (let i = 0; i < CACHED; i++) cache.set(i, JSON.parse(text));
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc === 'function') gc();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const start = process.cpuUsage();
  for (let i = 0; i < UPDATES; i++) {
    if (mode === 'parse') JSON.parse(text);
    else if (mode === 'keep') cache.set(i, JSON.parse(text));
    if (i % 4 === 3) await new Promise((resolve) => setImmediate(resolve));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const child = process.argv[2];
if (child !== undefined && (MODES as readonly string[]).includes(child)) {
  process.stdout.write(`${await measure(child as Mode)}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(`${UPDATES.toLocaleString('en-US')} updates of a ${Buffer.byteLength(line('pod'))}-byte line, ${CACHED.toLocaleString('en-US')} pods cached\n`);
  for (let round = 1; round <= ROUNDS; round++) {
    const cells = MODES.map((mode) => {
      const ms = Number(execFileSync(process.execPath, ['--expose-gc', self, mode], { encoding: 'utf8' }));
      return `${mode} ${ms.toFixed(0)} ms (${((ms * 1000) / UPDATES).toFixed(1)} µs each)`;
    });
    process.stdout.write(`round ${round}: ${cells.join(', ')}\n`);
  }
}
