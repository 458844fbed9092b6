/**
 * @module
 * The scheduler alone, as kube-scheduler's scheduler_perf measures it (SchedulingBasic): a
 * `kubelite apiserver` holding N nodes and M pending pods, and kubelite's scheduler — the one
 * `kubelite scheduler` runs — started in this process over HTTP. Throughput is pods bound per second
 * from the first binding the suite's watch sees to the last, so the scheduler's start (listing the
 * nodes and pods) is not counted, as scheduler_perf starts counting once its pods are created.
 */
import type { Pod } from '../src/api/types/core-v1.js';
import { scheduler } from '../src/cli/control-plane.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { WatchEvent } from '../src/client/rest/watch-stream.js';
import { buildNode } from '../src/node/node-object.js';
import { silentLogger } from '../src/util/logger.js';
import { untilDone } from './measure.js';
import { monotonicMs } from './rpc.js';

const NAMESPACE = 'scheduler-bench';
/** Creates in flight while loading nodes and pods. */
const LOAD_CONCURRENCY = 32;

export interface SchedulerResult {
  readonly podsPerSecond: number;
  readonly elapsedMs: number;
}

/** Loads `nodes` nodes and `pods` pending pods through `client`, then schedules them and measures. */
export async function measureScheduler(client: KubeClient, nodes: number, pods: number, timeoutMs: number, log: (line: string) => void): Promise<SchedulerResult> {
  const now = Date.now();
  await inParallel(nodes, (i) =>
    client.typed('v1/Node').create(
      buildNode(
        {
          name: `node-${i}`,
          podCIDR: `10.${(i >> 8) & 255}.${i & 255}.0/24`,
          internalIP: `192.168.${(i >> 8) & 255}.${i & 255}`,
          capacity: { cpu: '32', memory: '256Gi', pods: '110' },
          zone: `zone-${i % 3}`,
        },
        now,
      ),
    ),
  );
  log(`  ${nodes} nodes created`);
  await client.typed('v1/Namespace').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const podClient = client.typed('v1/Pod').namespace(NAMESPACE);
  await inParallel(pods, (i) =>
    podClient.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
    }),
  );
  log(`  ${pods} pending pods created; starting the scheduler`);

  const listed = await podClient.list();
  const watch = await podClient.watch({ resourceVersion: listed.metadata?.resourceVersion ?? '0' });
  const boundAt: number[] = [];
  let resolveAll: () => void = () => undefined;
  const allBound = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const seen = new Set<string>();
  const watching = watch.forEachBatch((events: WatchEvent<Pod>[]) => {
    const at = monotonicMs();
    for (const event of events) {
      const name = event.object.metadata?.name ?? '';
      if (event.type !== 'MODIFIED' || event.object.spec?.nodeName === undefined || seen.has(name)) continue;
      seen.add(name);
      boundAt.push(at);
    }
    if (boundAt.length >= pods) resolveAll();
  });
  const stop = new AbortController();
  const running = scheduler({ client, logger: silentLogger }).run(stop.signal);
  const progress = setInterval(() => log(`  ${boundAt.length} of ${pods} pods bound`), 5000);
  try {
    await untilDone(
      allBound,
      [
        running.then(() => Promise.reject(new Error('the scheduler stopped before binding every pod'))),
        watching.then(() => Promise.reject(new Error('the pod watch ended before every pod was bound'))),
      ],
      timeoutMs,
      () => `only ${boundAt.length} of ${pods} pods bound after ${timeoutMs} ms`,
    );
  } finally {
    clearInterval(progress);
    watch.close();
    stop.abort();
    await running.catch(() => undefined);
  }
  const first = boundAt[0] ?? 0;
  const last = boundAt[boundAt.length - 1] ?? 0;
  return { podsPerSecond: (pods - 1) / ((last - first) / 1000), elapsedMs: last - first };
}

/** Runs `create(i)` for i in [0, count) with LOAD_CONCURRENCY in flight. */
async function inParallel(count: number, create: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < count) await create(next++);
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, loop));
}
