/**
 * @module
 * SharedIndexInformer (client-go tools/cache/shared_informer.go): one Reflector and one cache per
 * resource, shared by any number of event handlers.
 *
 * The Reflector feeds a DeltaFIFO; this informer pops each key's deltas, applies them to its
 * Indexer, and only then tells every handler — so a handler that reads the cache (a Lister) sees at
 * least the state it was told about. Per handler:
 *
 * - a handler added after the informer started first receives an Add (isInInitialList = true) for
 *   every cached object, so it sees the whole state, and its own `hasSynced` stays false until it
 *   has;
 * - with a resync period (at least 1 s), it periodically receives `onUpdate(obj, obj)` for every
 *   cached object, without any API traffic; relisted objects whose resourceVersion did not change
 *   reach only handlers due a resync;
 * - a transform, set before start, rewrites each object before it is cached (drop managedFields to
 *   save memory).
 *
 * One deliberate difference from client-go: an object deleted and re-created under the same name
 * while the watch was away (seen only by a relist, as a new uid) reaches handlers as a delete — a
 * tombstone of the old object — then an add of the new one, never as an update from one to the other.
 */
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import type { DeepReadonly, KubeObject } from '../object.js';
import type { BackoffOptions } from './backoff.js';
import { DeltaFIFO, type Delta } from './delta-fifo.js';
import { DeletedFinalStateUnknown } from './keys.js';
import { Lister } from './listers.js';
import { type Notification, ProcessorListener, type ResourceEventHandler } from './processor-listener.js';
import { type ListerWatcher, Reflector, type ReflectorStats } from './reflector.js';
import { Indexer, type Indexers } from './thread-safe-store.js';

export type { ResourceEventHandler } from './processor-listener.js';

/** Upstream's minimumResyncPeriod. */
const MIN_RESYNC_MS = 1000;

export interface SharedIndexInformerOptions<T extends KubeObject> {
  readonly listerWatcher: ListerWatcher<T>;
  /** Names the informer in logs, e.g. `pods` or `deployments.apps`. */
  readonly name: string;
  /** Handlers added without their own period resync this often; 0: never. @defaultValue 0 */
  readonly defaultResyncPeriodMs?: number;
  readonly indexers?: Indexers<T>;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly backoff?: BackoffOptions;
  readonly pageSize?: number;
  readonly minWatchTimeoutSeconds?: number;
  readonly useWatchList?: boolean;
}

/** What `addEventHandler` returns: the handle to ask whether this handler is in sync, or remove it. */
export interface HandlerRegistration {
  hasSynced(): boolean;
}

export class SharedIndexInformer<T extends KubeObject> {
  readonly indexer: Indexer<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly listeners = new Map<HandlerRegistration, ProcessorListener<T>>();
  private fifo: DeltaFIFO<T> | undefined;
  private reflector: Reflector<T> | undefined;
  private transform: ((object: T) => T) | undefined;
  private watchErrorHandler: ((error: unknown) => void) | undefined;
  private resyncCheckPeriodMs: number;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Wakes the resync loop when a handler with a shorter period arrives. */
  private replanResync: AbortController | undefined;

  constructor(private readonly options: SharedIndexInformerOptions<T>) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.indexer = new Indexer<T>(options.indexers === undefined ? {} : { indexers: options.indexers });
    this.resyncCheckPeriodMs = normalisePeriod(options.defaultResyncPeriodMs ?? 0);
  }

  get name(): string {
    return this.options.name;
  }

  /** A Lister over the cache. */
  lister(): Lister<T> {
    return new Lister<T>(this.indexer);
  }

  /** Registers a handler; after start it first receives every cached object as an Add. */
  addEventHandler(handler: ResourceEventHandler<T>, options: { readonly resyncPeriodMs?: number } = {}): HandlerRegistration {
    if (this.stopped) throw new Error(`informer ${this.name} has stopped: handlers can no longer be added`);
    let period = normalisePeriod(options.resyncPeriodMs ?? this.options.defaultResyncPeriodMs ?? 0);
    if (period > 0) {
      if (this.running === undefined) {
        if (this.resyncCheckPeriodMs === 0 || period < this.resyncCheckPeriodMs) this.resyncCheckPeriodMs = period;
      } else if (this.resyncCheckPeriodMs === 0 || period < this.resyncCheckPeriodMs) {
        // Upstream: after start, a shorter period is raised to the informer's check period.
        // Only a loop that had nothing to resync is woken; waking one that is counting down would
        // postpone every handler's resync by up to a period.
        if (this.resyncCheckPeriodMs === 0) {
          this.resyncCheckPeriodMs = period;
          this.replanResync?.abort();
        } else {
          period = this.resyncCheckPeriodMs;
        }
      }
    }
    const registration: HandlerRegistration = { hasSynced: () => listener.hasSynced() };
    const listener = new ProcessorListener<T>(handler, period, () => this.hasSynced(), this.logger, this.name);
    listener.determineNextResync(this.clock.now());
    if (this.running !== undefined) {
      // The cache is updated only in whole synchronous steps, so this replay cannot interleave with
      // a delta: the handler sees the cache as it is, then every change after it.
      for (const object of this.indexer.list()) listener.add({ type: 'add', object, isInInitialList: true });
    }
    this.listeners.set(registration, listener);
    return registration;
  }

  /** Stops delivering to a handler. */
  removeEventHandler(registration: HandlerRegistration): void {
    this.listeners.get(registration)?.remove();
    this.listeners.delete(registration);
  }

  /** Sets the transform applied to each object before it is cached. Only before `run`. */
  setTransform(transform: (object: T) => T): void {
    this.mustNotHaveStarted('setTransform');
    this.transform = transform;
  }

  /** Sets what is called when a list or watch fails (the default logs it). Only before `run`. */
  setWatchErrorHandler(handler: (error: unknown) => void): void {
    this.mustNotHaveStarted('setWatchErrorHandler');
    this.watchErrorHandler = handler;
  }

  /** The first list has been put in the cache and handed to the handlers registered then. */
  hasSynced(): boolean {
    return this.fifo?.hasSynced() ?? false;
  }

  lastSyncResourceVersion(): string {
    return this.reflector?.lastSyncResourceVersion() ?? '';
  }

  /** What the reflector has asked of the server so far. */
  get stats(): ReflectorStats {
    return this.reflector?.stats ?? { relists: 0, lists: 0, watches: 0, errors: 0 };
  }

  get isStarted(): boolean {
    return this.running !== undefined;
  }

  /** Runs until `signal` aborts; resolves once the reflector and the processing have stopped. */
  run(signal: AbortSignal): Promise<void> {
    if (this.running !== undefined) return this.running;
    this.running = this.runUntil(signal);
    return this.running;
  }

  private async runUntil(signal: AbortSignal): Promise<void> {
    const fifo = new DeltaFIFO<T>({
      knownObjects: this.indexer,
      emitDeltaTypeReplaced: true,
      ...(this.transform === undefined ? {} : { transform: this.transform }),
    });
    this.fifo = fifo;
    const reflector = new Reflector<T>({
      name: this.name,
      listerWatcher: this.options.listerWatcher,
      store: fifo,
      clock: this.clock,
      logger: this.logger,
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
      ...(this.options.backoff === undefined ? {} : { backoff: this.options.backoff }),
      ...(this.options.pageSize === undefined ? {} : { pageSize: this.options.pageSize }),
      ...(this.options.minWatchTimeoutSeconds === undefined ? {} : { minWatchTimeoutSeconds: this.options.minWatchTimeoutSeconds }),
      ...(this.options.useWatchList === undefined ? {} : { useWatchList: this.options.useWatchList }),
      ...(this.watchErrorHandler === undefined ? {} : { onError: this.watchErrorHandler }),
    });
    this.reflector = reflector;
    const close = (): void => fifo.close();
    signal.addEventListener('abort', close, { once: true });
    const process = (key: string, deltas: readonly Delta<T>[], isInInitialList: boolean): void => this.handleDeltas(key, deltas, isInInitialList);
    const processing = (async () => {
      while ((await fifo.pop(process)) !== undefined) {
        // Each pop handled one key's deltas.
      }
    })();
    await Promise.all([reflector.run(signal), this.resyncLoop(signal), processing]);
    signal.removeEventListener('abort', close);
    this.stopped = true;
  }

  /** shared_informer.go HandleDeltas/processDeltas: apply to the cache, then notify. */
  private handleDeltas(key: string, deltas: readonly Delta<T>[], isInInitialList: boolean): void {
    for (const delta of deltas) {
      const object = delta.object;
      if (delta.type === 'Deleted') {
        this.indexer.delete(object);
        const notified = object instanceof DeletedFinalStateUnknown ? (object as DeletedFinalStateUnknown<DeepReadonly<T> | undefined>) : (object as DeepReadonly<T>);
        this.distribute({ type: 'delete', object: notified }, false);
        continue;
      }
      if (object instanceof DeletedFinalStateUnknown) continue;
      const current = object as DeepReadonly<T>;
      const old = this.indexer.get(object);
      if (old === undefined) {
        this.indexer.add(object);
        this.distribute({ type: 'add', object: current, isInInitialList }, false);
        continue;
      }
      this.indexer.update(object);
      if (old.metadata?.uid !== undefined && object.metadata?.uid !== undefined && old.metadata.uid !== object.metadata.uid) {
        // The object was deleted and re-created under the same name while the watch was away: only a
        // relist saw it, as a new uid under a known key. client-go delivers that as an update
        // old → new (shared_informer.go's interface doc: "a delete and recreate … can appear as an
        // update"), and handlers keyed by uid then keep the old object's dependants forever
        // (kubernetes-client/javascript's cache.ts loses the uid change the same way). Ours reports
        // what happened: a delete of the old object — a tombstone, since its final state was never
        // seen — then an add of the new one.
        this.distribute({ type: 'delete', object: new DeletedFinalStateUnknown(key, old) }, false);
        this.distribute({ type: 'add', object: current, isInInitialList }, false);
        continue;
      }
      // A resync, or a relisted object that did not change, goes only to handlers due a resync.
      const isSync = delta.type === 'Sync' || (delta.type === 'Replaced' && old.metadata?.resourceVersion === object.metadata?.resourceVersion);
      this.distribute({ type: 'update', oldObject: old, newObject: current }, isSync);
    }
  }

  private distribute(notification: Notification<T>, sync: boolean): void {
    for (const listener of this.listeners.values()) {
      if (!sync || listener.syncing) listener.add(notification);
    }
  }

  /** Every check period, resyncs if any handler is due (upstream's resyncChan in the Reflector). */
  private async resyncLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const controller = new AbortController();
      this.replanResync = controller;
      const stop = (): void => controller.abort();
      signal.addEventListener('abort', stop, { once: true });
      await this.clock.sleep(this.resyncCheckPeriodMs > 0 ? this.resyncCheckPeriodMs : 3_600_000, controller.signal);
      signal.removeEventListener('abort', stop);
      if (signal.aborted || controller.signal.aborted || this.resyncCheckPeriodMs === 0) continue;
      const now = this.clock.now();
      let due = false;
      for (const listener of this.listeners.values()) {
        listener.syncing = listener.shouldResync(now);
        if (listener.syncing) {
          due = true;
          listener.determineNextResync(now);
        }
      }
      if (due) this.fifo?.resync();
    }
  }

  private mustNotHaveStarted(what: string): void {
    if (this.running !== undefined) throw new Error(`${what}: informer ${this.name} has already started`);
  }
}

function normalisePeriod(ms: number): number {
  if (ms <= 0) return 0;
  return Math.max(MIN_RESYNC_MS, ms);
}
