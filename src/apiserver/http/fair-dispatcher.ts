/**
 * @module
 * Fair dispatch of the requests of several clients: what API Priority and Fairness does inside one
 * priority level (staging/src/k8s.io/apiserver/pkg/util/flowcontrol/fairqueuing/queueset), reduced
 * to what a server on one thread needs. Each client is a flow with a queue of its own, and queued
 * requests start one flow at a time, round robin, the round going on from one turn to the next: a
 * client that sends a burst of hundreds delays another client's single request by one request per
 * busy flow rather than by the whole burst. The API server dispatches its request channels' requests
 * this way (each channel a flow); HTTP requests start as they arrive.
 *
 * Requests start in turns of the event loop (setImmediate): everything that arrived meanwhile is
 * queued first, then up to {@link FairDispatcherOptions.perTurn} start. Starting them together also
 * lets the store put their writes into one commit. What a turn leaves waits for the next, after I/O
 * had its share of the loop.
 *
 * Not APF's seats or shuffle sharding; the server bounds the queue (see ApiServer.serveChannel).
 */

export interface FairDispatcherOptions {
  /**
   * Requests started per turn of the event loop, at most. In a large rollout, 256 beat 64 and 16
   * (fewer, larger commits); larger turns made it no faster. @defaultValue 256
   */
  readonly perTurn?: number;
}

/**
 * A queued request: `start` runs it (and answers its own failures: it must not throw), unless
 * `abandoned` says its client has gone meanwhile.
 */
export interface QueuedRequest {
  readonly start: () => void;
  readonly abandoned: () => boolean;
}

/** One flow's waiting requests, oldest at `head` (shift() copies a long array every time). */
class FlowQueue {
  /** Taken slots are cleared, so a started request is not kept alive by its queue. */
  private items: (QueuedRequest | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(request: QueuedRequest): void {
    this.items.push(request);
  }

  take(): QueuedRequest | undefined {
    const request = this.items[this.head];
    if (request === undefined) return undefined;
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return request;
  }
}

export class FairDispatcher<Flow> {
  /** The flows with queued requests, in the order of their next turns. */
  private readonly queues = new Map<Flow, FlowQueue>();
  private readonly perTurn: number;
  private waiting = 0;
  private scheduled = false;

  constructor(options: FairDispatcherOptions = {}) {
    this.perTurn = options.perTurn ?? 256;
    if (!Number.isInteger(this.perTurn) || this.perTurn < 1) throw new RangeError(`perTurn must be a positive integer, got ${this.perTurn}`);
  }

  /** Requests queued and not started yet (abandoned ones included until their turn comes). */
  get queued(): number {
    return this.waiting;
  }

  /** Queues a request of `flow`; it starts in a later turn of the event loop. */
  enqueue(flow: Flow, request: QueuedRequest): void {
    let queue = this.queues.get(flow);
    if (queue === undefined) {
      queue = new FlowQueue();
      this.queues.set(flow, queue);
    }
    queue.push(request);
    this.waiting++;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /**
   * Starts up to perTurn requests, one per flow in turn. A flow served goes to the back of the
   * round (Map order); a flow whose queue empties leaves it, and joins at the back with its next
   * request.
   */
  private turn(): void {
    this.scheduled = false;
    let started = 0;
    try {
      for (const [flow, queue] of this.queues) {
        if (started >= this.perTurn) break;
        const request = queue.take();
        this.queues.delete(flow);
        if (queue.length > 0) this.queues.set(flow, queue);
        if (request === undefined) continue;
        this.waiting--;
        if (request.abandoned()) continue;
        started++;
        request.start();
      }
    } finally {
      if (this.queues.size > 0) this.schedule();
    }
  }
}
