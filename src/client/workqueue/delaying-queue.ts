/**
 * @module
 * A work queue that can add an item later (client-go `util/workqueue/delaying_queue.go`), so a
 * failed item is retried after a backoff instead of in a hot loop. Waiting items sit in a min-heap
 * by ready time; one loop sleeps on the injected clock until the earliest is due, and an item that
 * becomes the new earliest aborts that sleep so the loop re-plans. Nothing sleeps while no item
 * waits, and shutdown aborts the sleep, so an idle or shut-down queue holds no timer.
 */
import { WorkQueue } from './queue.js';

/** Upstream's `maxWait` heartbeat: insurance that a due item never sits longer than this. */
const MAX_WAIT_MS = 10_000;

interface Waiting<T> {
  readonly item: T;
  readyAt: number;
  /** Insertion order; breaks ties so items due together are added in the order they came. */
  readonly seq: number;
  /** Position in `heap`; kept up to date by every swap. */
  index: number;
}

export class DelayingQueue<T> extends WorkQueue<T> {
  /** Min-heap on (readyAt, seq). An item is in `heap` iff it is a key of `byItem`. */
  private readonly heap: Waiting<T>[] = [];
  private readonly byItem = new Map<T, Waiting<T>>();
  private nextSeq = 0;
  /** Whether the waiting loop is running; at most one runs. */
  private looping = false;
  /** When the loop's current sleep ends, and the means to end it early. */
  private plannedWake = Infinity;
  private wake: AbortController | undefined;

  /**
   * Adds `item` once `delayMs` has passed; with `delayMs <= 0` this is `add`. If the item is
   * already waiting, it keeps the earlier of the two ready times. Ignored after shutdown.
   */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    this.metrics.retry();
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.byItem.get(item);
    if (existing !== undefined) {
      if (readyAt >= existing.readyAt) return;
      existing.readyAt = readyAt;
      this.siftUp(existing.index);
    } else {
      const entry: Waiting<T> = { item, readyAt, seq: this.nextSeq++, index: this.heap.length };
      this.heap.push(entry);
      this.byItem.set(item, entry);
      this.siftUp(entry.index);
    }
    if (!this.looping) {
      this.looping = true;
      void this.waitingLoop();
    } else if (readyAt < this.plannedWake) {
      this.wake?.abort();
    }
  }

  /** Items waiting for their delay to pass (not yet counted by `len`). */
  waitingLen(): number {
    return this.heap.length;
  }

  override shutDown(): void {
    super.shutDown();
    this.stopWaiting();
  }

  override shutDownWithDrain(): Promise<void> {
    const drained = super.shutDownWithDrain();
    this.stopWaiting();
    return drained;
  }

  /** Upstream drops waiting items on shutdown; they could not be added anyway. */
  private stopWaiting(): void {
    this.heap.length = 0;
    this.byItem.clear();
    this.wake?.abort();
  }

  /**
   * Adds due items, then sleeps until the earliest waiting one is due (or MAX_WAIT_MS), until
   * nothing waits or the queue shuts down. Runs synchronously up to its first sleep, so
   * `plannedWake` is set before `addAfter` returns.
   */
  private async waitingLoop(): Promise<void> {
    try {
      while (!this.shuttingDown()) {
        const now = this.clock.now();
        for (let head = this.heap[0]; head !== undefined && head.readyAt <= now; head = this.heap[0]) {
          this.popHead();
          this.add(head.item);
        }
        const head = this.heap[0];
        if (head === undefined) return;
        const sleepMs = Math.min(head.readyAt - now, MAX_WAIT_MS);
        this.plannedWake = now + sleepMs;
        this.wake = new AbortController();
        await this.clock.sleep(sleepMs, this.wake.signal);
      }
    } finally {
      this.looping = false;
      this.plannedWake = Infinity;
      this.wake = undefined;
    }
  }

  private popHead(): void {
    const head = this.heap[0];
    const last = this.heap.pop();
    if (head === undefined || last === undefined) return;
    this.byItem.delete(head.item);
    if (last !== head) {
      this.place(last, 0);
      this.siftDown(0);
    }
  }

  private before(a: Waiting<T>, b: Waiting<T>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  private place(entry: Waiting<T>, index: number): void {
    this.heap[index] = entry;
    entry.index = index;
  }

  private siftUp(start: number): void {
    const entry = this.heap[start];
    if (entry === undefined) return;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.heap[parentIndex];
      if (parent === undefined || !this.before(entry, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(entry, index);
  }

  private siftDown(start: number): void {
    const entry = this.heap[start];
    if (entry === undefined) return;
    let index = start;
    for (;;) {
      let smallest = entry;
      let smallestIndex = index;
      for (const childIndex of [2 * index + 1, 2 * index + 2]) {
        const child = this.heap[childIndex];
        if (child !== undefined && this.before(child, smallest)) {
          smallest = child;
          smallestIndex = childIndex;
        }
      }
      if (smallestIndex === index) break;
      this.place(smallest, index);
      index = smallestIndex;
    }
    this.place(entry, index);
  }
}
