/**
 * @module
 * One registered event handler of a shared informer and its own queue of notifications
 * (shared_informer.go's processorListener). Notifications reach the handler one at a time, in
 * order, on a later microtask — never while the informer is updating its cache — so a slow or
 * throwing handler delays only itself. The queue is unbounded, as upstream's ring buffer: handlers
 * must be quick (slow work belongs in a work queue).
 *
 * The handler has synced once the informer has and it has been handed every notification that was
 * part of the initial list (upstream's synctrack): a handler added late is in sync only after it has
 * seen an Add for every object already cached.
 */
import type { Logger } from '../../util/logger.js';
import { errorMessage } from '../../util/logger.js';
import type { DeepReadonly, KubeObject } from '../object.js';
import type { DeletedFinalStateUnknown } from './keys.js';

/** The callbacks of a handler; each is optional. Objects are the cache's: never change them. */
export interface ResourceEventHandler<T extends KubeObject> {
  onAdd?(object: DeepReadonly<T>, isInInitialList: boolean): void;
  onUpdate?(oldObject: DeepReadonly<T>, newObject: DeepReadonly<T>): void;
  /** The object may be a tombstone: deleted while the informer was not watching, final state unknown. */
  onDelete?(object: DeepReadonly<T> | DeletedFinalStateUnknown<DeepReadonly<T> | undefined>): void;
}

export type Notification<T extends KubeObject> =
  | { readonly type: 'add'; readonly object: DeepReadonly<T>; readonly isInInitialList: boolean }
  | { readonly type: 'update'; readonly oldObject: DeepReadonly<T>; readonly newObject: DeepReadonly<T> }
  | { readonly type: 'delete'; readonly object: DeepReadonly<T> | DeletedFinalStateUnknown<DeepReadonly<T> | undefined> };

/** The queue's array is kept between drains up to this many slots. */
const KEPT_CAPACITY = 1024;

export class ProcessorListener<T extends KubeObject> {
  /**
   * Queued notifications, from `next` up to `end`; delivered slots are cleared so they can be
   * collected. The array is kept from one drain to the next (informers notify one event at a time,
   * and a fresh array per event was most of what notifying allocated), unless a burst grew it past
   * {@link KEPT_CAPACITY}.
   */
  private pending: (Notification<T> | undefined)[] = [];
  private next = 0;
  private end = 0;
  private scheduled = false;
  private readonly drainLater = (): void => this.drain();
  /** Initial-list notifications queued but not yet handed to the handler. */
  private initialPending = 0;
  private removed = false;
  /** When this handler is next due a resync (ms since the epoch); Infinity when it never is. */
  nextResync = Infinity;
  /** Chosen at the last resync check: this handler receives Sync updates until the next check. */
  syncing = false;

  constructor(
    readonly handler: ResourceEventHandler<T>,
    /** 0 means never. */
    readonly resyncPeriodMs: number,
    private readonly informerSynced: () => boolean,
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  add(notification: Notification<T>): void {
    if (this.removed) return;
    if (notification.type === 'add' && notification.isInInitialList) this.initialPending++;
    this.pending[this.end++] = notification;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.drainLater);
    }
  }

  hasSynced(): boolean {
    return this.informerSynced() && this.initialPending === 0;
  }

  /** Stops delivering; notifications still queued are dropped. */
  remove(): void {
    this.removed = true;
    this.pending = [];
    this.next = 0;
    this.end = 0;
    this.initialPending = 0;
  }

  determineNextResync(now: number): void {
    this.nextResync = this.resyncPeriodMs > 0 ? now + this.resyncPeriodMs : Infinity;
  }

  shouldResync(now: number): boolean {
    return now >= this.nextResync;
  }

  private drain(): void {
    this.scheduled = false;
    // Notifications added while draining are appended and handled in this same pass.
    while (this.next < this.end && !this.removed) {
      const notification = this.pending[this.next];
      this.pending[this.next] = undefined;
      this.next++;
      if (notification === undefined) continue;
      this.deliver(notification);
      if (notification.type === 'add' && notification.isInInitialList) this.initialPending--;
    }
    if (this.next >= this.end) {
      if (this.pending.length > KEPT_CAPACITY) this.pending = [];
      this.next = 0;
      this.end = 0;
    }
  }

  private deliver(notification: Notification<T>): void {
    try {
      switch (notification.type) {
        case 'add':
          this.handler.onAdd?.(notification.object, notification.isInInitialList);
          break;
        case 'update':
          this.handler.onUpdate?.(notification.oldObject, notification.newObject);
          break;
        case 'delete':
          this.handler.onDelete?.(notification.object);
          break;
        default: {
          const never: never = notification;
          throw new Error(`unknown notification ${String(never)}`);
        }
      }
    } catch (error) {
      // A handler's bug must not stop the informer or the other handlers (upstream recovers panics).
      this.logger.warn(`${this.name}: an event handler threw: ${errorMessage(error)}`);
    }
  }
}
