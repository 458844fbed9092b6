/**
 * @module
 * The namespace controller (pkg/controller/namespace/namespace_controller.go): for each namespace
 * that is being deleted, the {@link NamespacedResourcesDeleter} empties it and finalizes it. While
 * content remains it is looked at again after about half the estimated time (estimate/2 + 1 s, as
 * upstream); failures are retried with backoff.
 *
 * @example
 * const controller = namespaceController({ client, factory });
 * await controller.run(signal);
 */
import type { coreV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Lister } from '../../client/cache/listers.js';
import type { KubeClient } from '../../client/kube-client.js';
import { Controller } from '../../runtime/controller.js';
import type { Reconciler, Request, Result } from '../../runtime/reconciler.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { KubeNamespaceDeleterClient, type NamespaceDeleterClient, NamespacedResourcesDeleter } from './namespaced-resources-deleter.js';

export interface NamespaceReconcilerOptions {
  /** The namespace cache: a namespace not deleting there is skipped without a request. */
  readonly namespaces: Pick<Lister<coreV1.Namespace>, 'get'>;
  readonly deleter: NamespacedResourcesDeleter;
  /** Caps the wait before a namespace whose content remains is looked at again. @defaultValue no cap */
  readonly maxRequeueAfterMs?: number;
}

/** syncNamespaceFromKey as a Reconciler. */
export class NamespaceReconciler implements Reconciler {
  constructor(private readonly options: NamespaceReconcilerOptions) {
    if (options.maxRequeueAfterMs !== undefined && !(options.maxRequeueAfterMs > 0)) {
      throw new Error(`maxRequeueAfterMs must be positive, got ${options.maxRequeueAfterMs}`);
    }
  }

  async reconcile(request: Request): Promise<Result> {
    const cached = this.options.namespaces.get(request.name);
    if (cached?.metadata?.deletionTimestamp === undefined) return {};
    const outcome = await this.options.deleter.delete(request.name);
    if (outcome.done) return {};
    const after = (Math.floor(outcome.estimateSeconds / 2) + 1) * 1000;
    return { requeueAfterMs: Math.min(after, this.options.maxRequeueAfterMs ?? after) };
  }
}

export interface NamespaceControllerOptions {
  readonly client: KubeClient;
  readonly factory: SharedInformerFactory;
  /** Replaces the client the deleter works through (tests). @defaultValue a {@link KubeNamespaceDeleterClient} */
  readonly deleterClient?: NamespaceDeleterClient;
  /** Namespaces deleted at once (upstream's --concurrent-namespace-syncs). @defaultValue 10 */
  readonly workers?: number;
  readonly maxRequeueAfterMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** The namespace controller, watching namespaces through `factory`; run it with `run(signal)`. */
export function namespaceController(options: NamespaceControllerOptions): Controller {
  const informer = options.factory.typed('v1/Namespace');
  const deleter = new NamespacedResourcesDeleter(options.deleterClient ?? new KubeNamespaceDeleterClient(options.client), {
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const reconciler = new NamespaceReconciler({
    namespaces: informer.lister(),
    deleter,
    ...(options.maxRequeueAfterMs === undefined ? {} : { maxRequeueAfterMs: options.maxRequeueAfterMs }),
  });
  const controller = new Controller({
    name: 'namespace',
    reconciler,
    maxConcurrentReconciles: options.workers ?? 10,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  controller.watch({ informer });
  return controller;
}
