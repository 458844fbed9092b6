/**
 * @module
 * The `e2e` suite's main measurement: against a running `kubelite up`, create one Deployment of N
 * replicas and watch its pods until every one has been seen Running.
 *
 * - **pods/s**: N ÷ the time from sending the Deployment's create to seeing the last pod Running.
 * - **pod startup latency**, per pod: from the watch's first sight of the pod (its ADDED event) to
 *   its first sight of `status.phase: Running`. Upstream's SLI starts at creationTimestamp, which
 *   has one-second resolution; the watch sees a pod a few ms after its creation, so this is the same
 *   span measured in ms.
 * - **p99 mutating API call latency** over the run: every create, update, patch and delete the
 *   server answered between two scrapes of its /metrics (controllers, scheduler, nodes and this
 *   client alike), from apiserver_request_duration_seconds as histogram_quantile computes it —
 *   how upstream's API call latency SLO is measured.
 */
import type { Pod } from '../src/api/types/core-v1.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { WatchEvent } from '../src/client/rest/watch-stream.js';
import { percentile, untilDone } from './measure.js';
import { bucketsBetween, histogramBuckets, histogramQuantile, observations } from './prometheus.js';
import { monotonicMs } from './rpc.js';

export const BENCH_NAMESPACE = 'e2e-bench';
const MUTATING_VERBS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'PATCH', 'DELETE', 'DELETECOLLECTION']);

export interface RolloutResult {
  readonly podsPerSecond: number;
  readonly startupP50Ms: number;
  readonly startupP99Ms: number;
  readonly mutatingP99Ms: number;
  readonly mutatingCalls: number;
  readonly elapsedMs: number;
}

/** Rolls out `replicas` pods (requests small enough that the nodes hold them all) and measures it. */
export async function measureRollout(client: KubeClient, replicas: number, timeoutMs: number, log: (line: string) => void): Promise<RolloutResult> {
  await client.typed('v1/Namespace').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NAMESPACE } });
  const pods = client.typed('v1/Pod').namespace(BENCH_NAMESPACE);
  const listed = await pods.list();
  const watch = await pods.watch({ resourceVersion: listed.metadata?.resourceVersion ?? '0' });
  const firstSeen = new Map<string, number>();
  const bound = new Set<string>();
  const runningAt = new Map<string, number>();
  let resolveAll: () => void = () => undefined;
  const allRunning = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const watching = watch.forEachBatch((events: WatchEvent<Pod>[]) => {
    const now = monotonicMs();
    for (const event of events) {
      if (event.type !== 'ADDED' && event.type !== 'MODIFIED') continue;
      const name = event.object.metadata?.name ?? '';
      if (!firstSeen.has(name)) firstSeen.set(name, now);
      if (event.object.spec?.nodeName !== undefined) bound.add(name);
      if (event.object.status?.phase === 'Running' && !runningAt.has(name)) runningAt.set(name, now);
    }
    if (runningAt.size >= replicas) resolveAll();
  });

  const metricsBefore = await client.rest.requestText({ method: 'GET', path: '/metrics' });
  const started = monotonicMs();
  await client.typed('apps/v1/Deployment').namespace(BENCH_NAMESPACE).create(deployment(replicas));
  const progress = setInterval(() => log(`  ${firstSeen.size} of ${replicas} pods created, ${bound.size} scheduled, ${runningAt.size} running`), 2000);
  try {
    const watchEnded = watching.then(() => Promise.reject(new Error('the pod watch ended before every pod ran')));
    await untilDone(allRunning, [watchEnded], timeoutMs, () => `only ${runningAt.size} of ${replicas} pods running after ${timeoutMs} ms`);
  } finally {
    clearInterval(progress);
    watch.close();
  }
  const finished = Math.max(...runningAt.values());
  const metricsAfter = await client.rest.requestText({ method: 'GET', path: '/metrics' });
  const mutating = (labels: ReadonlyMap<string, string>): boolean => MUTATING_VERBS.has(labels.get('verb') ?? '');
  const name = 'apiserver_request_duration_seconds';
  const calls = bucketsBetween(histogramBuckets(metricsBefore, name, mutating), histogramBuckets(metricsAfter, name, mutating));
  const startups = [...runningAt].map(([pod, at]) => at - (firstSeen.get(pod) ?? at));
  return {
    podsPerSecond: replicas / ((finished - started) / 1000),
    startupP50Ms: percentile(startups, 50),
    startupP99Ms: percentile(startups, 99),
    mutatingP99Ms: histogramQuantile(calls, 0.99) * 1000,
    mutatingCalls: observations(calls),
    elapsedMs: finished - started,
  };
}

function deployment(replicas: number): import('../src/api/types/apps-v1.js').Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'load' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'load' } },
      template: {
        metadata: { labels: { app: 'load' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
}
