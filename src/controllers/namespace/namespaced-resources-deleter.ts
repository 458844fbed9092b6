/**
 * @module
 * Deletes everything in a terminating namespace, then finalizes it
 * (pkg/controller/namespace/deletion/namespaced_resources_deleter.go):
 *
 * 1. read the namespace; nothing to do unless it has a deletionTimestamp and still holds the
 *    `kubernetes` finalizer in spec.finalizers; make sure its phase is Terminating;
 * 2. discover every namespaced resource (preferred versions) that supports delete, and for each
 *    delete the collection (or list and delete one by one), in Background, then list what remains —
 *    counting instances and their finalizers;
 * 3. write the status conditions (what failed, what remains, which finalizers hold it);
 * 4. if anything remains, report an estimate of seconds to wait; once nothing does, remove
 *    `kubernetes` from spec.finalizers through PUT /api/v1/namespaces/<ns>/finalize — the API
 *    server then removes the namespace.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DiscoveredResource } from '../../client/discovery.js';
import { isConflict, isMethodNotSupported, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import type { ResourceRef } from '../../client/resource-client.js';
import { type Clock, realClock } from '../../util/clock.js';
import { NamespaceConditionUpdater } from './namespace-conditions.js';
import { formatTime } from '../../api/time.js';

/** The finalizer in a namespace's spec.finalizers that this controller owns. */
export const FINALIZER_KUBERNETES = 'kubernetes';
/** Seconds to assume for content held by finalizers (upstream's finalizerEstimateSeconds). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

type Namespace = coreV1.Namespace;

/** What the deleter reads and writes: the namespace, discovery, and any namespaced resource. */
export interface NamespaceDeleterClient {
  /** The namespace, or undefined on 404. */
  getNamespace(name: string): Promise<Namespace | undefined>;
  updateNamespaceStatus(namespace: Namespace): Promise<Namespace>;
  /** PUT namespaces/<name>/finalize. */
  finalizeNamespace(namespace: Namespace): Promise<Namespace>;
  discover(): Promise<readonly DiscoveredResource[]>;
  deleteCollection(resource: ResourceRef, namespace: string): Promise<void>;
  list(resource: ResourceRef, namespace: string): Promise<readonly DeepReadonly<KubeObject>[]>;
  delete(resource: ResourceRef, namespace: string, name: string): Promise<void>;
}

/** The outcome of one pass: done (namespace finalized, gone, or not ours to handle) or content remains. */
export type DeleteOutcome = { readonly done: true } | { readonly done: false; readonly estimateSeconds: number };

interface ResourceTotals {
  readonly estimateSeconds: number;
  readonly remaining: number;
  readonly finalizers: ReadonlyMap<string, number>;
}

export class NamespacedResourcesDeleter {
  private readonly clock: Clock;
  /** Resources whose deletecollection answered 405 or 404 (upstream's operationNotSupportedCache). */
  private readonly noDeleteCollection = new Set<string>();

  constructor(
    private readonly client: NamespaceDeleterClient,
    options: { readonly clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? realClock;
  }

  /** One pass over namespace `name`; errors mean "try again later". */
  async delete(name: string): Promise<DeleteOutcome> {
    let namespace = await this.client.getNamespace(name);
    if (namespace?.metadata?.deletionTimestamp === undefined) return { done: true };
    namespace = await this.retryOnConflict(namespace, (ns) => this.ensureTerminating(ns));
    if (namespace === undefined || namespace.metadata?.deletionTimestamp === undefined) return { done: true };
    if (!(namespace.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return { done: true };
    const estimateSeconds = await this.deleteAllContent(namespace);
    if (estimateSeconds > 0) return { done: false, estimateSeconds };
    await this.retryOnConflict(namespace, (ns) => this.finalize(ns));
    return { done: true };
  }

  /** Deletes every namespaced resource's content; the estimate is 0 once none remains. Throws if any resource failed. */
  async deleteAllContent(namespace: Namespace): Promise<number> {
    const name = namespace.metadata?.name ?? '';
    const conditions = new NamespaceConditionUpdater();
    const errors: unknown[] = [];
    let resources: readonly DiscoveredResource[] = [];
    try {
      resources = (await this.client.discover()).filter((r) => r.namespaced && r.preferred && r.verbs.includes('delete'));
    } catch (error) {
      errors.push(error);
      conditions.processDiscoveryError(error);
    }
    let estimate = 0;
    const remainingByResource = new Map<string, number>();
    const remainingByFinalizer = new Map<string, number>();
    const totals = await Promise.all(
      resources.map(async (resource) => {
        try {
          return await this.deleteAllContentOf(resource, name);
        } catch (error) {
          errors.push(error);
          conditions.processDeleteContentError(error);
          return undefined;
        }
      }),
    );
    totals.forEach((total, i) => {
      const resource = resources[i];
      if (total === undefined || resource === undefined) return;
      estimate = Math.max(estimate, total.estimateSeconds);
      if (total.remaining === 0) return;
      remainingByResource.set(`${resource.resource}.${resource.group}`, total.remaining);
      for (const [finalizer, count] of total.finalizers) remainingByFinalizer.set(finalizer, (remainingByFinalizer.get(finalizer) ?? 0) + count);
    });
    conditions.processContentTotals({ resources: remainingByResource, finalizers: remainingByFinalizer });
    // Always written when changed: a condition that cleared must say so too.
    const status: coreV1.NamespaceStatus = structuredClone(namespace.status ?? {});
    if (conditions.update(status, formatTime(this.clock.now()))) {
      try {
        await this.client.updateNamespaceStatus({ ...namespace, status });
      } catch {
        // Best effort, as upstream: the next pass writes them again.
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; '));
    return estimate;
  }

  /** deleteAllContentForGroupVersionResource: delete, then count what remains and why. */
  private async deleteAllContentOf(resource: DiscoveredResource, namespace: string): Promise<ResourceTotals> {
    const key = `${resource.group}/${resource.version}/${resource.resource}`;
    let collected = false;
    if (resource.verbs.includes('deletecollection') && !this.noDeleteCollection.has(key)) {
      try {
        await this.client.deleteCollection(resource, namespace);
        collected = true;
      } catch (error) {
        if (!isMethodNotSupported(error) && !isNotFound(error)) throw error;
        this.noDeleteCollection.add(key);
      }
    }
    if (!resource.verbs.includes('list')) return { estimateSeconds: 0, remaining: 0, finalizers: new Map() };
    if (!collected) {
      for (const item of await this.client.list(resource, namespace)) {
        try {
          await this.client.delete(resource, namespace, item.metadata?.name ?? '');
        } catch (error) {
          if (!isNotFound(error) && !isMethodNotSupported(error)) throw error;
        }
      }
    }
    const remaining = await this.client.list(resource, namespace);
    const finalizers = new Map<string, number>();
    for (const item of remaining) {
      for (const finalizer of item.metadata?.finalizers ?? []) finalizers.set(finalizer, (finalizers.get(finalizer) ?? 0) + 1);
    }
    const graceful = resource.group === '' && resource.resource === 'pods' ? podsEstimateSeconds(remaining) : 0;
    if (remaining.length === 0) return { estimateSeconds: 0, remaining: 0, finalizers };
    if (graceful > 0) return { estimateSeconds: graceful, remaining: remaining.length, finalizers };
    // Content held by finalizers is normal: give its owners time.
    if (finalizers.size > 0) return { estimateSeconds: FINALIZER_ESTIMATE_SECONDS, remaining: remaining.length, finalizers };
    throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${resource.group}/${resource.version}, Resource=${resource.resource}`);
  }

  private async ensureTerminating(namespace: Namespace): Promise<Namespace> {
    if (namespace.status?.phase === 'Terminating') return namespace;
    return this.client.updateNamespaceStatus({ ...namespace, status: { ...namespace.status, phase: 'Terminating' } });
  }

  /** Removes our token from spec.finalizers (finalizeNamespace), keeping the others in order. */
  private async finalize(namespace: Namespace): Promise<Namespace> {
    const finalizers = [...new Set((namespace.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    try {
      return await this.client.finalizeNamespace({ ...namespace, spec: { ...namespace.spec, finalizers } });
    } catch (error) {
      if (isNotFound(error)) return namespace;
      throw error;
    }
  }

  /** Runs `write` on the latest namespace until it does not conflict; undefined once it is gone. */
  private async retryOnConflict(namespace: Namespace, write: (ns: Namespace) => Promise<Namespace>): Promise<Namespace | undefined> {
    let latest = namespace;
    for (let attempt = 0; ; attempt++) {
      try {
        return await write(latest);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        if (!isConflict(error) || attempt >= 10) throw error;
      }
      const fresh = await this.client.getNamespace(latest.metadata?.name ?? '');
      if (fresh === undefined) return undefined;
      if (fresh.metadata?.uid !== latest.metadata?.uid) throw new Error('namespace uid has changed across retries');
      latest = fresh;
    }
  }
}

/** Seconds until the remaining pods' graceful deletion ends (estimateGracefulTerminationForPods). */
function podsEstimateSeconds(pods: readonly DeepReadonly<KubeObject>[]): number {
  let estimate = 0;
  for (const pod of pods as readonly DeepReadonly<coreV1.Pod>[]) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 30);
  }
  return estimate;
}

/** {@link NamespaceDeleterClient} over a KubeClient; discovery is asked afresh each pass, so new CRDs count. */
export class KubeNamespaceDeleterClient implements NamespaceDeleterClient {
  constructor(private readonly client: KubeClient) {}

  async getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return await this.client.typed('v1/Namespace').get(name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  updateNamespaceStatus(namespace: Namespace): Promise<Namespace> {
    return this.client.typed('v1/Namespace').updateStatus(namespace);
  }

  finalizeNamespace(namespace: Namespace): Promise<Namespace> {
    return this.client.typed('v1/Namespace').updateSubresource<Namespace>(namespace.metadata?.name ?? '', 'finalize', namespace);
  }

  discover(): Promise<readonly DiscoveredResource[]> {
    return this.client.discovery.serverResources();
  }

  async deleteCollection(resource: ResourceRef, namespace: string): Promise<void> {
    await this.client.resource(resource).namespace(namespace).deleteCollection({ propagationPolicy: 'Background' });
  }

  async list(resource: ResourceRef, namespace: string): Promise<readonly DeepReadonly<KubeObject>[]> {
    return (await this.client.resource(resource).namespace(namespace).list()).items;
  }

  async delete(resource: ResourceRef, namespace: string, name: string): Promise<void> {
    await this.client.resource(resource).namespace(namespace).delete(name, { propagationPolicy: 'Background' });
  }
}
