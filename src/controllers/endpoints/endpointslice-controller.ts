/**
 * @module
 * The EndpointSlice controller (upstream pkg/controller/endpointslice/endpointslice_controller.go):
 * for each Service with a selector, discovery.k8s.io/v1 EndpointSlices named `<service>-<random>`,
 * labelled `kubernetes.io/service-name=<service>` and
 * `endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io`, controlled by the Service,
 * listing its pods' addresses with ready/serving/terminating conditions, node, zone (from the node's
 * `topology.kubernetes.io/zone` label) and pod reference — see {@link reconcileSlices}.
 *
 * When a Service goes, its slices are left to the garbage collector through their owner reference,
 * as upstream does; the controller only forgets them. Slices the controller wrote but the cache has
 * not caught up with make a sync stale: it fails and is retried (endpointslice_tracker.go).
 */
import type { coreV1, discoveryV1 } from '../../api/types/index.js';
import { selectorFromSet } from '../../api/labels.js';
import { deletedObject, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { Lister, NamespaceLister } from '../../client/cache/listers.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { hasManagedEndpoints, LABEL_SERVICE_NAME, LABEL_SLICE_MANAGED_BY, SLICE_CONTROLLER_NAME } from './endpoints-util.js';
import { LABEL_TOPOLOGY_ZONE, MAX_ENDPOINTS_PER_SLICE, reconcileSlices } from './endpointslice-reconciler.js';
import { EndpointSliceTracker, serviceKey } from './endpointslice-tracker.js';
import { ServiceWorkLoop } from './service-work-loop.js';

type EndpointSlice = discoveryV1.EndpointSlice;

/** The writes of EndpointSlices a sync makes; each resolves to what the server stored. */
export interface EndpointSliceClient {
  create(namespace: string, slice: EndpointSlice): Promise<EndpointSlice>;
  update(namespace: string, slice: EndpointSlice): Promise<EndpointSlice>;
  delete(namespace: string, name: string): Promise<void>;
}

/** A cache older than this controller's own writes; the sync is retried once it caught up. */
export class StaleInformerCacheError extends Error {
  constructor(key: string) {
    super(`EndpointSlice informer cache is out of date for service ${key}`);
    this.name = 'StaleInformerCacheError';
  }
}

export interface EndpointSliceControllerOptions {
  readonly client: KubeClient;
  /** Gives the Service, Pod, Node and EndpointSlice informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different Services. @defaultValue 5 (ConcurrentServiceEndpointSyncs) */
  readonly workers?: number;
  /** @defaultValue {@link MAX_ENDPOINTS_PER_SLICE} */
  readonly maxEndpointsPerSlice?: number;
  /** How slices are written. @defaultValue the discovery.k8s.io/v1 client over `client` */
  readonly sliceClient?: EndpointSliceClient;
}

export class EndpointSliceController {
  readonly tracker = new EndpointSliceTracker();
  private readonly loop: ServiceWorkLoop;
  private readonly sliceClient: EndpointSliceClient;
  private readonly sliceLister: Lister<EndpointSlice>;
  private readonly nodeLister: Lister<coreV1.Node>;
  private readonly maxEndpointsPerSlice: number;

  constructor(options: EndpointSliceControllerOptions) {
    this.maxEndpointsPerSlice = options.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
    if (!(this.maxEndpointsPerSlice >= 1 && this.maxEndpointsPerSlice <= 1000)) throw new Error(`maxEndpointsPerSlice must be within 1..1000, got ${this.maxEndpointsPerSlice}`);
    const logger = options.logger ?? stderrLogger;
    this.loop = new ServiceWorkLoop({
      name: 'endpointslice',
      informers: options.informers,
      clock: options.clock ?? realClock,
      logger,
      workers: options.workers ?? 5,
      sync: (key) => this.syncService(key),
    });
    this.sliceClient = options.sliceClient ?? clientSlices(options.client);

    const sliceInformer = options.informers.typed('discovery.k8s.io/v1/EndpointSlice');
    this.sliceLister = sliceInformer.lister();
    this.loop.addSynced(
      sliceInformer.addEventHandler({
        onAdd: (slice) => this.onSliceChange(slice),
        onUpdate: (_old, cur) => this.onSliceChange(cur),
        onDelete: (obj) => {
          const slice = deletedObject(obj);
          if (slice === undefined || !isManaged(slice) || !this.tracker.has(slice)) return;
          // A deletion this controller did not make: write the slice again.
          if (!this.tracker.handleDeletedSlice(slice)) this.loop.queue.add(serviceKey(slice));
        },
      }).hasSynced,
    );
    const nodeInformer = options.informers.typed('v1/Node');
    this.nodeLister = nodeInformer.lister();
    const zone = (node: DeepReadonly<coreV1.Node>): string | undefined => node.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
    // A node's zone shows in its endpoints: a zone that appears or changes resyncs every Service.
    const resyncAll = (): void => this.loop.enqueueAll(this.loop.serviceLister.list().map((s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`));
    this.loop.addSynced(
      nodeInformer.addEventHandler({
        onAdd: (node, initial) => {
          if (!initial && zone(node) !== undefined) resyncAll();
        },
        onUpdate: (old, cur) => {
          if (zone(old) !== zone(cur)) resyncAll();
        },
      }).hasSynced,
    );
  }

  /** The queue of Service keys (for tests and metrics). */
  get queue(): ServiceWorkLoop['queue'] {
    return this.loop.queue;
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  run(signal: AbortSignal): Promise<void> {
    return this.loop.run(signal);
  }

  /**
   * Brings the EndpointSlices of Service `key` (`namespace/name`) in line with its pods. Throws a
   * {@link StaleInformerCacheError} or the errors of failed writes, for the caller to retry.
   */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.loop.serviceLister.namespace(namespace).get(name);
    if (service === undefined) {
      // Its slices are the garbage collector's now (owner references).
      this.tracker.deleteService(namespace, name);
      return;
    }
    if (!hasManagedEndpoints(service)) return;
    const pods = this.loop.podLister.namespace(namespace).list(selectorFromSet(service.spec?.selector));
    const existing = this.slicesOf(this.sliceLister.namespace(namespace), name);
    if (this.tracker.staleSlices(namespace, name, existing)) throw new StaleInformerCacheError(key);

    const changes = reconcileSlices({
      service,
      pods,
      existing,
      nodeZone: (nodeName) => this.nodeLister.get(nodeName)?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE],
      maxEndpointsPerSlice: this.maxEndpointsPerSlice,
    });
    const errors: unknown[] = [];
    // Creates first, then updates, then deletes: endpoints move without a gap (finalize()).
    for (const slice of changes.create) {
      try {
        this.tracker.update(await this.sliceClient.create(namespace, slice));
      } catch (error) {
        errors.push(error);
      }
    }
    for (const slice of changes.update) {
      try {
        this.tracker.update(await this.sliceClient.update(namespace, slice));
      } catch (error) {
        errors.push(error);
      }
    }
    for (const slice of changes.delete) {
      try {
        this.tracker.expectDeletion(slice);
        await this.sliceClient.delete(namespace, slice.metadata?.name ?? '');
      } catch (error) {
        if (!isNotFound(error)) errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, errors.map(errorMessage).join('; '));
  }

  private slicesOf(slices: NamespaceLister<EndpointSlice>, serviceName: string): DeepReadonly<EndpointSlice>[] {
    return slices.list(selectorFromSet({ [LABEL_SERVICE_NAME]: serviceName, [LABEL_SLICE_MANAGED_BY]: SLICE_CONTROLLER_NAME }));
  }

  private onSliceChange(slice: DeepReadonly<EndpointSlice>): void {
    // Changes this controller made itself are no news; anyone else's are undone by a sync.
    if (isManaged(slice) && this.tracker.shouldSync(slice)) this.loop.queue.add(serviceKey(slice));
  }
}

function isManaged(slice: DeepReadonly<EndpointSlice>): boolean {
  return slice.metadata?.labels?.[LABEL_SLICE_MANAGED_BY] === SLICE_CONTROLLER_NAME && slice.metadata.labels[LABEL_SERVICE_NAME] !== undefined;
}

/** The default {@link EndpointSliceClient}: the discovery.k8s.io/v1 EndpointSlice client. */
function clientSlices(client: KubeClient): EndpointSliceClient {
  const slices = client.typed('discovery.k8s.io/v1/EndpointSlice');
  return {
    create: (ns, slice) => slices.namespace(ns).create(slice),
    update: (ns, slice) => slices.namespace(ns).update(slice),
    delete: async (ns, name) => {
      await slices.namespace(ns).delete(name);
    },
  };
}
