/**
 * @module
 * The consumer side of one watch: a bounded queue of event batches read with `for await`. Backends
 * push committed batches in; a backend that can read history on demand (memory, SQLite) also gives a
 * `pull` function that the channel calls when its queue runs dry, so catching up from an old revision
 * is paced by the consumer and never buffered whole.
 *
 * A consumer that stops reading cannot hold memory without bound or slow anyone else: once more than
 * `maxQueuedEvents` events or `maxQueuedBytes` value bytes wait undelivered, the channel drops its
 * queue and fails with Overflow (the consumer resumes from the last revision it processed). This is
 * the shape of etcd's slow-watcher handling and the kube-apiserver cacher's "forcing watcher close
 * due to unresponsiveness".
 */
import { StorageError } from './errors.js';
import type { Watch, WatchEvent } from './interface.js';

export const DEFAULT_MAX_QUEUED_EVENTS = 50_000;
export const DEFAULT_MAX_QUEUED_BYTES = 128 * 1024 * 1024;

export interface WatchChannelOptions {
  readonly maxQueuedEvents?: number;
  readonly maxQueuedBytes?: number;
  readonly signal?: AbortSignal;
  /**
   * Called when the queue is empty and the consumer wants more: returns the next batch of history
   * (possibly empty), or undefined once there is no more history to pull (the backend then pushes).
   * It may push or fail the channel itself.
   */
  readonly pull?: () => readonly WatchEvent[] | undefined;
  readonly onRequestProgress?: () => void;
  /** Called once when the channel ends for any reason, so the backend can forget it. */
  readonly onClose?: () => void;
}

type Waiter = {
  readonly resolve: (result: IteratorResult<readonly WatchEvent[]>) => void;
  readonly reject: (error: unknown) => void;
};

export class WatchChannel implements Watch {
  /** Batches not yet handed out; `queue[head..]` are live. */
  private queue: (readonly WatchEvent[])[] = [];
  private head = 0;
  private queuedEvents = 0;
  private queuedBytes = 0;
  private pull: (() => readonly WatchEvent[] | undefined) | undefined;
  /** Set once the channel has ended; an error is thrown to the consumer after queued batches. */
  private ended: { readonly error?: StorageError } | undefined;
  private waiter: Waiter | undefined;
  private readonly maxQueuedEvents: number;
  private readonly maxQueuedBytes: number;
  private readonly abortListener: (() => void) | undefined;

  constructor(private readonly options: WatchChannelOptions = {}) {
    this.maxQueuedEvents = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.pull = options.pull;
    const { signal } = options;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.ended = {};
      } else {
        this.abortListener = () => this.close();
        signal.addEventListener('abort', this.abortListener, { once: true });
      }
    }
  }

  /** True once the channel has ended; pushes are then ignored. */
  get closed(): boolean {
    return this.ended !== undefined;
  }

  /** Stops pulling history: from now on the backend pushes. */
  stopPulling(): void {
    this.pull = undefined;
  }

  /** Queues a batch, or hands it straight to a waiting consumer. Fails with Overflow past the limits. */
  push(batch: readonly WatchEvent[]): void {
    if (this.ended !== undefined || batch.length === 0) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ value: batch, done: false });
      return;
    }
    this.queue.push(batch);
    this.queuedEvents += batch.length;
    this.queuedBytes += batchBytes(batch);
    if (this.queuedEvents > this.maxQueuedEvents || this.queuedBytes > this.maxQueuedBytes) {
      this.dropQueue();
      this.fail(
        new StorageError(
          'Overflow',
          `watcher cut off: it left more than ${this.maxQueuedEvents} events or ${this.maxQueuedBytes} bytes unread`,
        ),
      );
    }
  }

  /** Ends the channel with an error, thrown to the consumer after the batches already queued. */
  fail(error: StorageError): void {
    this.end({ error });
  }

  /** Ends the channel; the consumer's iteration finishes after the batches already queued. */
  finish(): void {
    this.end({});
  }

  requestProgress(): void {
    if (this.ended === undefined) this.options.onRequestProgress?.();
  }

  /** Ends the channel now, dropping anything queued. */
  close(): void {
    this.dropQueue();
    this.end({});
  }

  [Symbol.asyncIterator](): AsyncIterator<readonly WatchEvent[]> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private next(): Promise<IteratorResult<readonly WatchEvent[]>> {
    for (;;) {
      const batch = this.shift();
      if (batch !== undefined) return Promise.resolve({ value: batch, done: false });
      if (this.ended !== undefined) {
        const { error } = this.ended;
        this.ended = {};
        return error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error);
      }
      if (this.pull === undefined) break;
      const pulled = this.pull();
      if (pulled === undefined) {
        this.pull = undefined;
      } else if (pulled.length > 0) {
        return Promise.resolve({ value: pulled, done: false });
      }
    }
    if (this.waiter !== undefined) return Promise.reject(new Error('a watch has one consumer'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private shift(): readonly WatchEvent[] | undefined {
    if (this.head >= this.queue.length) return undefined;
    const batch = this.queue[this.head];
    this.queue[this.head] = [];
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (batch !== undefined) {
      this.queuedEvents -= batch.length;
      this.queuedBytes -= batchBytes(batch);
    }
    return batch;
  }

  private dropQueue(): void {
    this.queue = [];
    this.head = 0;
    this.queuedEvents = 0;
    this.queuedBytes = 0;
  }

  private end(how: { readonly error?: StorageError }): void {
    if (this.ended !== undefined) return;
    this.ended = how;
    this.pull = undefined;
    if (this.abortListener !== undefined) this.options.signal?.removeEventListener('abort', this.abortListener);
    this.options.onClose?.();
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      this.ended = {};
      if (how.error === undefined) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(how.error);
    }
  }
}

/** Value bytes a batch holds (UTF-16 length as a cheap proxy). */
function batchBytes(batch: readonly WatchEvent[]): number {
  let bytes = 0;
  for (const event of batch) {
    switch (event.type) {
      case 'ADDED':
        bytes += event.kv.value.length;
        break;
      case 'MODIFIED':
        bytes += event.kv.value.length + event.prev.value.length;
        break;
      case 'DELETED':
        bytes += event.prev.value.length;
        break;
      case 'BOOKMARK':
        break;
      default: {
        const never: never = event;
        throw new Error(`unknown event ${String(never)}`);
      }
    }
  }
  return bytes;
}
