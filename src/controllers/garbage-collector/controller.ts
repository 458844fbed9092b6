/**
 * @module
 * The garbage collector as a running controller (kube-controller-manager's garbagecollector
 * controller, pkg/controller/garbagecollector): monitors of every deletable resource feed the owner
 * graph; the collector's workers act on it through the API. `run(signal)` discovers, waits for the
 * graph to sync, then collects until `signal` aborts, and resolves once everything has stopped.
 *
 * @example
 * const gc = new GarbageCollectorController({ client, factory: new SharedInformerFactory(client) });
 * await gc.run(signal);
 */
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { KubeClient } from '../../client/kube-client.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { GarbageCollector } from './garbage-collector.js';
import { type GcClient, KubeGcClient } from './gc-client.js';
import { GraphMonitors } from './monitors.js';

export interface GarbageCollectorControllerOptions {
  readonly client: KubeClient;
  /** The informers to share; the collector asks it for one per deletable resource. */
  readonly factory: SharedInformerFactory;
  /** @defaultValue 20 */
  readonly workers?: number;
  /** How often resources are rediscovered (new CRDs). @defaultValue 30 000 ms */
  readonly discoveryPeriodMs?: number;
  /** Replaces the client the collector writes through (tests). @defaultValue a {@link KubeGcClient} */
  readonly gcClient?: GcClient;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export class GarbageCollectorController {
  readonly collector: GarbageCollector;
  readonly monitors: GraphMonitors;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: GarbageCollectorControllerOptions) {
    if (options.discoveryPeriodMs !== undefined && !(options.discoveryPeriodMs > 0)) {
      throw new Error(`discoveryPeriodMs must be positive, got ${options.discoveryPeriodMs}`);
    }
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.collector = new GarbageCollector({
      client: options.gcClient ?? new KubeGcClient(options.client),
      clock: this.clock,
      logger: this.logger,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      onInvalidOwnerNamespace: (dependent, ownerUid) =>
        this.logger.warn(`garbage collector: ${dependent.kind} ${dependent.namespace}/${dependent.name} refers to owner ${ownerUid} in another namespace (OwnerRefInvalidNamespace)`),
    });
    this.monitors = new GraphMonitors({
      // Given the stop signal: discovery's retries must not hold up a stop while the server is away.
      discover: (signal) => options.client.discovery.serverResources(signal),
      factory: options.factory,
      onEvent: (event) => this.collector.graph.process(event),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    // The first discovery must succeed before the graph can be called synced.
    for (let delay = 100; !signal.aborted; delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.monitors.sync(signal);
        break;
      } catch (error) {
        this.logger.warn(`garbage collector: initial resource discovery failed (will retry): ${errorMessage(error)}`);
        await this.clock.sleep(delay, signal);
      }
    }
    if (signal.aborted) return;
    await Promise.all([this.rediscover(signal), this.collector.run(signal, () => this.monitors.hasSynced())]);
  }

  private async rediscover(signal: AbortSignal): Promise<void> {
    const period = this.options.discoveryPeriodMs ?? 30_000;
    while (!signal.aborted) {
      await this.clock.sleep(period, signal);
      if (signal.aborted) break;
      try {
        await this.monitors.sync(signal);
      } catch (error) {
        this.logger.warn(`garbage collector: resource discovery failed (will retry in ${period} ms): ${errorMessage(error)}`);
      }
    }
  }
}
