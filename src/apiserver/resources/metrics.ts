/**
 * @module
 * The resource metrics API, metrics.k8s.io/v1beta1, for simulated nodes: NodeMetrics and PodMetrics,
 * what metrics-server serves and `kubectl top` reads. In a real cluster metrics-server scrapes each
 * kubelet and kube-apiserver proxies to it (an aggregated API); kubelite's nodes run nothing, so the
 * server computes the usage from the pods in its watch cache, read only and stored nowhere:
 *
 * - a Running pod's container uses what it requests (cpu and memory; none requested, none used);
 *   the pod's annotations `kubelite.dev/cpu-usage` and `kubelite.dev/memory-usage` (quantities)
 *   set what each of its containers uses instead, for simulating load;
 * - a node uses what its Running pods use, and is listed only while Ready, as metrics-server lists
 *   only the nodes it could scrape;
 * - other pods have no metrics (metrics-server reports containers that run).
 *
 * Objects are shaped as metrics-server's (k8s.io/metrics pkg/apis/metrics/v1beta1): metadata with
 * the name, namespace and labels of the node or pod and a creationTimestamp of now, a timestamp of
 * now, a window.
 */
import { type JsonObject, getObject, isJsonObject } from '../../api/json.js';
import { BoundedMemo } from '../../api/bounded-memo.js';
import { Quantity, safeParseQuantity } from '../../api/quantity.js';
import { formatTime } from '../../api/time.js';
import type { ResourceDefinition, StoreLookup } from '../registry/resource-definition.js';
import { metaString } from '../registry/object-meta.js';
import { storagePrefix } from '../registry/registry.js';
import { defineResource } from './define.js';

/** Annotations that set what each container of a pod uses. */
export const CPU_USAGE_ANNOTATION = 'kubelite.dev/cpu-usage';
export const MEMORY_USAGE_ANNOTATION = 'kubelite.dev/memory-usage';

const API_VERSION = 'metrics.k8s.io/v1beta1';
/** metrics-server's resolution: each figure covers the last 15 s. */
const WINDOW = '15s';
const RESOURCES = ['cpu', 'memory'] as const;
type Usage = Record<(typeof RESOURCES)[number], Quantity>;

export const NODE_METRICS: ResourceDefinition = defineResource({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'NodeMetrics',
  resource: 'nodes',
  namespaced: false,
  schema: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics',
  computed: (lookup, _namespace, now) => nodeMetrics(lookup, now),
});

export const POD_METRICS: ResourceDefinition = defineResource({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  resource: 'pods',
  namespaced: true,
  schema: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics',
  computed: (lookup, namespace, now) => [...runningPods(lookup, namespace)].map((pod) => podMetrics(pod, now)),
});

function nodeMetrics(lookup: StoreLookup, now: number): JsonObject[] {
  const used = new Map<string, Usage>();
  for (const pod of runningPods(lookup, undefined)) {
    const node = getObject(pod.object, 'spec')?.nodeName;
    if (typeof node !== 'string') continue;
    const total = used.get(node) ?? zero();
    for (const container of pod.containers) for (const resource of RESOURCES) total[resource] = total[resource].add(container.usage[resource]);
    used.set(node, total);
  }
  const metrics: JsonObject[] = [];
  for (const node of objectsOf(lookup, 'nodes', undefined)) {
    if (!isReady(node)) continue;
    const name = metaString(node, 'name');
    metrics.push({
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: metadataOf(node, now),
      timestamp: formatTime(now),
      window: WINDOW,
      usage: usageJson(used.get(name) ?? zero()),
    });
  }
  return metrics;
}

interface RunningPod {
  readonly object: JsonObject;
  readonly containers: readonly { readonly name: string; readonly usage: Usage }[];
}

function* runningPods(lookup: StoreLookup, namespace: string | undefined): Generator<RunningPod> {
  for (const pod of objectsOf(lookup, 'pods', namespace)) {
    const status = getObject(pod, 'status');
    const spec = getObject(pod, 'spec');
    if (status?.phase !== 'Running' || typeof spec?.nodeName !== 'string' || !Array.isArray(spec.containers)) continue;
    const annotations = getObject(pod, 'metadata', 'annotations') ?? {};
    const containers = [];
    for (const container of spec.containers) {
      if (!isJsonObject(container) || typeof container.name !== 'string') continue;
      const requests = getObject(container, 'resources', 'requests') ?? {};
      containers.push({
        name: container.name,
        usage: { cpu: quantity(annotations[CPU_USAGE_ANNOTATION] ?? requests.cpu), memory: quantity(annotations[MEMORY_USAGE_ANNOTATION] ?? requests.memory) },
      });
    }
    yield { object: pod, containers };
  }
}

function podMetrics(pod: RunningPod, now: number): JsonObject {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: metadataOf(pod.object, now),
    timestamp: formatTime(now),
    window: WINDOW,
    containers: pod.containers.map((container) => ({ name: container.name, usage: usageJson(container.usage) })),
  };
}

/** The cached objects of a core/v1 resource, in one namespace or all. */
function objectsOf(lookup: StoreLookup, resource: 'pods' | 'nodes', namespace: string | undefined): JsonObject[] {
  const store = lookup('', 'v1', resource);
  if (store === undefined) return [];
  const prefix = `${storagePrefix(store.definition)}${namespace === undefined ? '' : `${namespace}/`}`;
  return store.cache.listPage(prefix, {}, 0).items.map((item) => item.object);
}

function isReady(node: JsonObject): boolean {
  const conditions = getObject(node, 'status')?.conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some((condition) => isJsonObject(condition) && condition.type === 'Ready' && condition.status === 'True');
}

/** metrics-server's metadata: the object's name, namespace and labels, created now. */
function metadataOf(object: JsonObject, now: number): JsonObject {
  const metadata = getObject(object, 'metadata') ?? {};
  const labels = getObject(metadata, 'labels');
  return {
    name: metaString(object, 'name'),
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    creationTimestamp: formatTime(now),
    ...(labels === undefined ? {} : { labels }),
  };
}

/** A quantity from a request or an annotation; anything else (absent, not a quantity) is none. */
function quantity(value: unknown): Quantity {
  return typeof value === 'string' ? quantities.get(value) : Quantity.fromValue(0);
}

/** Parsed quantities: a cluster's pods repeat a few ("100m", "64Mi"), and a node's sum reads them all. */
const quantities = new BoundedMemo<string, Quantity>(4096, (text) => {
  const parsed = safeParseQuantity(text);
  return parsed.ok ? parsed.quantity : Quantity.fromValue(0);
});

function zero(): Usage {
  return { cpu: Quantity.fromValue(0), memory: Quantity.fromValue(0) };
}

function usageJson(usage: Usage): JsonObject {
  return { cpu: usage.cpu.toString(), memory: usage.memory.toString() };
}
