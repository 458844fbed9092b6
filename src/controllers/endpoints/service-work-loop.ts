/**
 * @module
 * The control loop the Endpoints and EndpointSlice controllers share (upstream
 * endpoints_controller.go and endpointslice_controller.go have the same shape): Service and Pod
 * informers feed a queue of Service keys — a Service's add, update and delete enqueue it, a pod's
 * change enqueues every Service whose selector matches it before or after — and workers run the
 * controller's sync on each key, retrying failures with rate-limited backoff.
 */
import type { coreV1 } from '../../api/types/index.js';
import { DeletedFinalStateUnknown, deletedObject, metaNamespaceKeyFunc } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { DeepReadonly } from '../../client/object.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';
import { podServiceMemberships, servicesToUpdateForPod } from './endpoints-util.js';

type Pod = coreV1.Pod;
type Service = coreV1.Service;

export interface ServiceWorkLoopOptions {
  readonly name: string;
  readonly informers: SharedInformerFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly workers: number;
  /** Syncs one Service key; a throw requeues the key with backoff. */
  readonly sync: (key: string) => Promise<void>;
}

export class ServiceWorkLoop {
  readonly queue: RateLimitingQueue<string>;
  readonly serviceLister: Lister<Service>;
  readonly podLister: Lister<Pod>;
  private readonly synced: (() => boolean)[] = [];

  constructor(private readonly options: ServiceWorkLoopOptions) {
    if (!(options.workers >= 1)) throw new Error(`workers must be at least 1, got ${options.workers}`);
    this.queue = new RateLimitingQueue<string>({ name: options.name, clock: options.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: options.clock }) });
    const serviceInformer = options.informers.typed('v1/Service');
    const podInformer = options.informers.typed('v1/Pod');
    this.serviceLister = serviceInformer.lister();
    this.podLister = podInformer.lister();
    this.addSynced(
      serviceInformer.addEventHandler({
        onAdd: (svc) => this.enqueue(svc),
        onUpdate: (_old, cur) => this.enqueue(cur),
        onDelete: (svc) => this.enqueueDeleted(svc),
      }).hasSynced,
    );
    this.addSynced(
      podInformer.addEventHandler({
        onAdd: (pod) => this.enqueueAll(podServiceMemberships(this.services(pod), pod)),
        onUpdate: (old, cur) => {
          if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
          this.enqueueAll(servicesToUpdateForPod(this.services(cur), old, cur));
        },
        onDelete: (obj) => {
          const pod = deletedObject(obj);
          if (pod !== undefined) this.enqueueAll(podServiceMemberships(this.services(pod), pod));
        },
      }).hasSynced,
    );
  }

  /** Another informer registration `run` must wait for. */
  addSynced(hasSynced: () => boolean): void {
    this.synced.push(hasSynced);
  }

  enqueue(obj: DeepReadonly<Service> | DeepReadonly<coreV1.Endpoints>): void {
    this.queue.add(metaNamespaceKeyFunc(obj));
  }

  enqueueAll(keys: Iterable<string>): void {
    for (const key of keys) this.queue.add(key);
  }

  /** Waits for the caches, runs `onSynced`, then the workers until `signal` aborts. */
  run(signal: AbortSignal, onSynced: () => void = () => {}): Promise<void> {
    const { name, workers, clock, logger, sync } = this.options;
    return runWorkLoop({ name, subject: 'service', queue: this.queue, synced: this.synced, workers, clock, logger, sync, onSynced }, signal);
  }

  private services(pod: DeepReadonly<Pod>) {
    return this.serviceLister.namespace(pod.metadata?.namespace ?? '');
  }

  private enqueueDeleted(obj: DeepReadonly<Service> | DeletedFinalStateUnknown<DeepReadonly<Service> | undefined>): void {
    if (obj instanceof DeletedFinalStateUnknown) this.queue.add(obj.key);
    else this.enqueue(obj);
  }
}
