/**
 * @module
 * A bounded single-consumer queue read with `for await`, in batches: each read takes everything
 * queued so far. A consumer already waiting is woken on the next microtask, so items pushed in one
 * synchronous run (a commit's events) reach it as one batch. A producer that finds it full (the consumer stopped reading) learns so from `push`
 * and ends the queue; nothing waits on a slow consumer and nothing grows without bound.
 */

type Waiter<T> = {
  readonly resolve: (result: IteratorResult<T[]>) => void;
  readonly reject: (error: unknown) => void;
};

export class AsyncQueue<T> implements AsyncIterable<T[]> {
  private items: T[] = [];
  private ended: { readonly error?: unknown } | undefined;
  private waiter: Waiter<T> | undefined;
  private wakeScheduled = false;
  private readonly onEnd: (() => void) | undefined;

  /** @param capacity items held before `push` refuses; @param onEnd called once when the queue ends. */
  constructor(
    private readonly capacity: number,
    onEnd?: () => void,
  ) {
    this.onEnd = onEnd;
  }

  get closed(): boolean {
    return this.ended !== undefined;
  }

  get length(): number {
    return this.items.length;
  }

  /** Queues `item`; false when the queue is full or ended (the item is dropped). */
  push(item: T): boolean {
    if (this.ended !== undefined) return false;
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    if (this.waiter !== undefined && !this.wakeScheduled) {
      this.wakeScheduled = true;
      queueMicrotask(() => this.wake());
    }
    return true;
  }

  /** Hands the waiting consumer everything queued since it started waiting. */
  private wake(): void {
    this.wakeScheduled = false;
    const waiter = this.waiter;
    if (waiter === undefined || this.items.length === 0) return;
    this.waiter = undefined;
    const batch = this.items;
    this.items = [];
    waiter.resolve({ value: batch, done: false });
  }

  /** Ends the queue; the consumer gets what is queued, then the end (or `error`). */
  end(error?: unknown): void {
    if (this.ended !== undefined) return;
    this.ended = error === undefined ? {} : { error };
    this.onEnd?.();
    const waiter = this.waiter;
    // A consumer with items on their way gets them first (wake), then the end on its next read.
    if (waiter !== undefined && this.items.length === 0) {
      this.waiter = undefined;
      this.settleEnd(waiter);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T[]> {
    return {
      next: () => this.next(),
      return: () => {
        this.items = [];
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private next(): Promise<IteratorResult<T[]>> {
    if (this.items.length > 0) {
      const batch = this.items;
      this.items = [];
      return Promise.resolve({ value: batch, done: false });
    }
    if (this.ended !== undefined) {
      return new Promise((resolve, reject) => this.settleEnd({ resolve, reject }));
    }
    if (this.waiter !== undefined) return Promise.reject(new Error('an AsyncQueue has one consumer'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private settleEnd(waiter: Waiter<T>): void {
    const error = this.ended?.error;
    this.ended = {};
    if (error === undefined) waiter.resolve({ value: undefined, done: true });
    else waiter.reject(error);
  }
}
