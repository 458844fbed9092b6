/**
 * @module
 * SharedInformerFactory (client-go informers/factory.go): at most one informer per resource, so
 * every controller in a process that watches pods shares one watch and one cache. `start` runs the
 * informers asked for so far (and may be called again after asking for more); `waitForCacheSync`
 * waits until each has synced.
 */
import { setMaxListeners } from 'node:events';
import { type Clock, realClock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { BuiltInKindTypes } from '../../api/types/index.js';
import type { BuiltInKindName, KubeClient } from '../kube-client.js';
import type { KubeObject, PartialObjectMetadata } from '../object.js';
import type { ResourceClient, ResourceRef } from '../resource-client.js';
import type { BackoffOptions } from './backoff.js';
import type { ListerWatcher } from './reflector.js';
import { SharedIndexInformer } from './shared-informer.js';
import type { Indexers } from './thread-safe-store.js';

export interface InformerFactoryOptions {
  /** Resync period of handlers that do not set one. @defaultValue 0 (never) */
  readonly defaultResyncPeriodMs?: number;
  /** Watch one namespace only. @defaultValue all namespaces */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly backoff?: BackoffOptions;
  readonly minWatchTimeoutSeconds?: number;
  readonly useWatchList?: boolean;
}

/** The list and watch of a resource client, narrowed by selectors. */
export function listWatchFor<T extends KubeObject>(client: ResourceClient<T>, selectors: { readonly labelSelector?: string; readonly fieldSelector?: string } = {}): ListerWatcher<T> {
  const narrow = { ...(selectors.labelSelector === undefined ? {} : { labelSelector: selectors.labelSelector }), ...(selectors.fieldSelector === undefined ? {} : { fieldSelector: selectors.fieldSelector }) };
  return {
    list: (options) => client.list({ ...options, ...narrow }),
    watch: (options) => client.watch({ ...options, ...narrow }),
  };
}

/** Polls `synced` until all are true (true) or `signal` aborts (false), as cache.WaitForCacheSync (100 ms). */
export async function waitForCacheSync(signal: AbortSignal | undefined, synced: readonly (() => boolean)[], clock: Clock = realClock): Promise<boolean> {
  for (;;) {
    if (synced.every((s) => s())) return true;
    if (signal?.aborted === true) return false;
    await clock.sleep(100, signal);
  }
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private readonly clock: Clock;

  constructor(
    private readonly client: KubeClient,
    private readonly options: InformerFactoryOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
  }

  /** The informer of a built-in kind. */
  typed<K extends BuiltInKindName>(kind: K, options: { readonly indexers?: Indexers<BuiltInKindTypes[K]> } = {}): SharedIndexInformer<BuiltInKindTypes[K]> {
    return this.informerFor(this.client.typed(kind), options);
  }

  /** The informer of any resource. */
  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef, options: { readonly indexers?: Indexers<T> } = {}): SharedIndexInformer<T> {
    return this.informerFor(this.client.resource<T>(ref), options);
  }

  /**
   * The metadata informer of a resource (client-go's metadatainformer): its cache holds each
   * object's metadata only, so watching every object of a kind costs little. One per resource,
   * apart from its full informer.
   */
  forMetadata(ref: ResourceRef, options: { readonly indexers?: Indexers<PartialObjectMetadata> } = {}): SharedIndexInformer<PartialObjectMetadata> {
    return this.informerFor(this.client.resource(ref).metadataOnly(), options, true);
  }

  /** Runs every informer not yet running, until `signal` aborts. */
  start(signal: AbortSignal): void {
    // Every informer, and each of its watches, listens to this one signal: many listeners, no leak.
    setMaxListeners(0, signal);
    for (const informer of this.informers.values()) {
      if (!informer.isStarted) this.runs.push(informer.run(signal));
    }
  }

  /** Waits until every started informer has synced; false if `signal` aborted first. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const started = [...this.informers.values()].filter((i) => i.isStarted);
    return waitForCacheSync(signal, started.map((i) => () => i.hasSynced()), this.clock);
  }

  /** Resolves once every informer started has stopped (after the start signal aborted). */
  async shutdown(): Promise<void> {
    await Promise.all(this.runs);
  }

  private informerFor<T extends KubeObject>(client: ResourceClient<T>, options: { readonly indexers?: Indexers<T> }, metadataOnly = false): SharedIndexInformer<T> {
    const { group, version, resource } = client.ref;
    const form = metadataOnly ? ' (metadata)' : '';
    const key = `${group}/${version}/${resource}${form}`;
    const existing = this.informers.get(key);
    if (existing !== undefined) {
      if (options.indexers !== undefined) (existing as unknown as SharedIndexInformer<T>).indexer.addIndexers(options.indexers);
      return existing as unknown as SharedIndexInformer<T>;
    }
    const scoped = this.options.namespace !== undefined && client.ref.namespaced ? client.namespace(this.options.namespace) : client;
    const informer = new SharedIndexInformer<T>({
      name: `${group === '' ? resource : `${resource}.${group}`}${form}`,
      listerWatcher: listWatchFor(scoped, this.options),
      clock: this.clock,
      ...(options.indexers === undefined ? {} : { indexers: options.indexers }),
      ...(this.options.defaultResyncPeriodMs === undefined ? {} : { defaultResyncPeriodMs: this.options.defaultResyncPeriodMs }),
      ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
      ...(this.options.backoff === undefined ? {} : { backoff: this.options.backoff }),
      ...(this.options.minWatchTimeoutSeconds === undefined ? {} : { minWatchTimeoutSeconds: this.options.minWatchTimeoutSeconds }),
      ...(this.options.useWatchList === undefined ? {} : { useWatchList: this.options.useWatchList }),
    });
    this.informers.set(key, informer as unknown as SharedIndexInformer<KubeObject>);
    return informer;
  }
}
