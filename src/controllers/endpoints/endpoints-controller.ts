/**
 * @module
 * The Endpoints controller (upstream pkg/controller/endpoint/endpoints_controller.go): for each
 * Service with a selector, an Endpoints object of the same name listing the IPs of the pods in its
 * namespace the selector matches — ready pods under `addresses`, the others under
 * `notReadyAddresses` (all under `addresses` with publishNotReadyAddresses), terminating pods left
 * out — with the Service's ports resolved against each pod. Services without a selector (and
 * ExternalName Services) are left alone: their Endpoints belong to the user. When a Service goes, the
 * controller deletes its Endpoints itself, as upstream does (they carry no owner reference).
 *
 * Not done here: the `endpoints.kubernetes.io/last-change-trigger-time` annotation, the batching of
 * pod updates (endpointUpdatesBatchPeriod), and the over-capacity truncation at 1000 addresses.
 */
import type { coreV1 } from '../../api/types/index.js';
import { selectorFromSet } from '../../api/labels.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { NamespaceLister } from '../../client/cache/listers.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { ENDPOINTS_CONTROLLER_NAME, hasManagedEndpoints, LABEL_ENDPOINTS_MANAGED_BY, serviceLabelsForEndpoints } from './endpoints-util.js';
import { ServiceWorkLoop } from './service-work-loop.js';
import { computeSubsets, subsetsEqual } from './subsets.js';

type Endpoints = coreV1.Endpoints;
type Service = coreV1.Service;
type Pod = coreV1.Pod;

/** The writes of Endpoints a sync makes: the narrow interface tests record. */
export interface EndpointsClient {
  create(namespace: string, endpoints: Endpoints): Promise<Endpoints>;
  update(namespace: string, endpoints: Endpoints): Promise<Endpoints>;
  delete(namespace: string, name: string): Promise<void>;
}

/** What a sync reads: Services, pods and Endpoints by namespace (listers over the informer caches). */
export interface EndpointsSyncSources {
  services(namespace: string): NamespaceLister<Service>;
  pods(namespace: string): NamespaceLister<Pod>;
  endpoints(namespace: string): NamespaceLister<Endpoints>;
}

export interface EndpointsControllerOptions {
  readonly client: KubeClient;
  /** Gives the Service, Pod and Endpoints informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different Services. @defaultValue 5 (ConcurrentEndpointSyncs) */
  readonly workers?: number;
  /** How Endpoints are written. @defaultValue the v1 Endpoints client over `client` */
  readonly endpointsClient?: EndpointsClient;
}

export class EndpointsController {
  private readonly loop: ServiceWorkLoop;
  private readonly endpointsClient: EndpointsClient;
  private readonly sources: EndpointsSyncSources;
  private readonly logger: Logger;

  constructor(options: EndpointsControllerOptions) {
    this.logger = options.logger ?? stderrLogger;
    this.loop = new ServiceWorkLoop({
      name: 'endpoint',
      informers: options.informers,
      clock: options.clock ?? realClock,
      logger: this.logger,
      workers: options.workers ?? 5,
      sync: (key) => this.syncService(key),
    });
    this.endpointsClient = options.endpointsClient ?? clientEndpoints(options.client);
    const endpointsInformer = options.informers.typed('v1/Endpoints');
    const endpointsLister = endpointsInformer.lister();
    // An Endpoints object it manages that someone deleted is rewritten (onEndpointsDelete).
    this.loop.addSynced(
      endpointsInformer.addEventHandler({
        onDelete: (obj) => {
          if ('metadata' in obj && obj.metadata?.labels?.[LABEL_ENDPOINTS_MANAGED_BY] === ENDPOINTS_CONTROLLER_NAME) this.loop.enqueue(obj);
        },
      }).hasSynced,
    );
    this.sources = {
      services: (ns) => this.loop.serviceLister.namespace(ns),
      pods: (ns) => this.loop.podLister.namespace(ns),
      endpoints: (ns) => endpointsLister.namespace(ns),
    };
  }

  /** The queue of Service keys (for tests and metrics). */
  get queue(): ServiceWorkLoop['queue'] {
    return this.loop.queue;
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  run(signal: AbortSignal): Promise<void> {
    return this.loop.run(signal, () => this.checkLeftoverEndpoints());
  }

  /**
   * Brings the Endpoints of Service `key` (`namespace/name`) in line with its pods, or deletes them
   * when the Service is gone. Throws a failed write, for the caller to retry.
   */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.sources.services(namespace).get(name);
    if (service === undefined) {
      // The Service was deleted; its Endpoints go with it (upstream deletes them explicitly).
      const current = this.sources.endpoints(namespace).get(name);
      if (current !== undefined && !isManaged(current)) return;
      try {
        await this.endpointsClient.delete(namespace, name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return;
    }
    if (!hasManagedEndpoints(service)) return;

    const selector = selectorFromSet(service.spec?.selector);
    const pods = this.sources.pods(namespace).list(selector);
    const subsets = computeSubsets(service, pods);
    const labels = { ...serviceLabelsForEndpoints(service), [LABEL_ENDPOINTS_MANAGED_BY]: ENDPOINTS_CONTROLLER_NAME };

    const current = this.sources.endpoints(namespace).get(name);
    if (current !== undefined && subsetsEqual(current.subsets ?? [], subsets) && sameLabels(current.metadata?.labels, labels)) return;

    if (current === undefined) {
      const fresh: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
      try {
        await this.endpointsClient.create(namespace, fresh);
      } catch (error) {
        // The cache is behind a create of ours or someone else's: the update event will requeue.
        if (!isAlreadyExists(error)) throw error;
        this.logger.info(`endpoint: Endpoints ${key} already exist; waiting for the cache`);
      }
      return;
    }
    const updated = structuredClone(current) as Endpoints;
    updated.metadata = { ...updated.metadata, labels };
    updated.subsets = subsets;
    await this.endpointsClient.update(namespace, updated);
  }

  /**
   * Queues the Endpoints this controller manages, so those whose Service was deleted while it was
   * not running are removed (checkLeftoverEndpoints).
   */
  private checkLeftoverEndpoints(): void {
    for (const ep of this.sources.endpoints('').list()) if (isManaged(ep)) this.loop.enqueue(ep);
  }
}

/** Whether this controller wrote the Endpoints (it never deletes others'). */
function isManaged(endpoints: DeepReadonly<Endpoints>): boolean {
  return endpoints.metadata?.labels?.[LABEL_ENDPOINTS_MANAGED_BY] === ENDPOINTS_CONTROLLER_NAME;
}

function sameLabels(a: DeepReadonly<Record<string, string>> | undefined, b: Record<string, string>): boolean {
  const left = Object.entries(a ?? {}).sort();
  const right = Object.entries(b).sort();
  return JSON.stringify(left) === JSON.stringify(right);
}

/** The default {@link EndpointsClient}: the v1 Endpoints client. */
function clientEndpoints(client: KubeClient): EndpointsClient {
  const endpoints = client.typed('v1/Endpoints');
  return {
    create: (ns, ep) => endpoints.namespace(ns).create(ep),
    update: (ns, ep) => endpoints.namespace(ns).update(ep),
    delete: async (ns, name) => {
      await endpoints.namespace(ns).delete(name);
    },
  };
}
