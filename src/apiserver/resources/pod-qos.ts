/**
 * @module
 * A pod's quality-of-service class (status.qosClass), which the API server sets on create and which
 * never changes after: BestEffort when no container asks for cpu or memory, Guaranteed when every
 * container limits both and all requests equal the limits, Burstable otherwise. The kubelet evicts
 * and OOM-scores by it. Follows pkg/apis/core/helper/qos/qos.go ComputePodQOS (container-level
 * resources; pod-level resources are not considered).
 */
import type { JsonObject } from '../../api/json.js';
import { Quantity } from '../../api/quantity.js';
import { objectAt, objectsAt, specOf } from './pod-json.js';

export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

export function computePodQOS(pod: JsonObject): PodQOSClass {
  const spec = specOf(pod);
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  // Ephemeral containers cannot set resources, so they do not count.
  for (const container of [...objectsAt(spec, 'containers'), ...objectsAt(spec, 'initContainers')]) {
    const resources = objectAt(container, 'resources') ?? {};
    addPositive(requests, objectAt(resources, 'requests'));
    const limited = addPositive(limits, objectAt(resources, 'limits'));
    if (!QOS_RESOURCES.every((name) => limited.has(name))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || limit.cmp(request) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** Adds the positive cpu and memory quantities of `list` to `sums`; returns the names it added. */
function addPositive(sums: Map<string, Quantity>, list: JsonObject | undefined): Set<string> {
  const found = new Set<string>();
  if (list === undefined) return found;
  for (const name of QOS_RESOURCES) {
    const value = list[name];
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const parsed = Quantity.safeParse(String(value));
    if (!parsed.ok || parsed.quantity.sign() <= 0) continue;
    found.add(name);
    const sum = sums.get(name);
    sums.set(name, sum === undefined ? parsed.quantity : sum.add(parsed.quantity));
  }
  return found;
}
