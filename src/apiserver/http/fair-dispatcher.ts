/**
 * @module
 * Fair dispatch of requests between clients: what API Priority and Fairness does inside one priority
 * level (staging/src/k8s.io/apiserver/pkg/util/flowcontrol/fairqueuing/queueset), reduced to what a
 * server on one thread needs. Each client is a flow with a queue of its own; queued requests start
 * one flow at a time, in turn, so a client that sends a burst of hundreds delays another's single
 * request by at most one request per flow rather than by the whole burst.
 *
 * Requests start in turns of the event loop (setImmediate): everything that arrived meanwhile is
 * queued first, then up to {@link FairDispatcherOptions.perTurn} start, round robin. Starting them
 * together also lets the store put their writes into one commit. What a turn leaves waits for the
 * next, after I/O had its share of the loop.
 *
 * Not APF's seats, shuffle sharding or queue limits: the server's in-flight limit still answers 429
 * past its bound, once a request has started.
 */

export interface FairDispatcherOptions {
  /**
   * Requests started per turn of the event loop, at most. A turn of 256 creates, bindings and status
   * patches takes some 30–50 ms here; larger turns made a rollout no faster. @defaultValue 256
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

export class FairDispatcher<Flow> {
  /** The flows with queued requests, in the order their turns come. */
  private readonly queues = new Map<Flow, QueuedRequest[]>();
  private readonly perTurn: number;
  private scheduled = false;

  constructor(options: FairDispatcherOptions = {}) {
    this.perTurn = options.perTurn ?? 256;
    if (!Number.isInteger(this.perTurn) || this.perTurn < 1) throw new RangeError(`perTurn must be a positive integer, got ${this.perTurn}`);
  }

  /** Requests queued and not started yet. */
  get queued(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  /** Queues a request of `flow`; it starts in a later turn of the event loop. */
  enqueue(flow: Flow, request: QueuedRequest): void {
    const queue = this.queues.get(flow);
    if (queue === undefined) this.queues.set(flow, [request]);
    else queue.push(request);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /** Starts up to perTurn requests, one per flow in turn; a flow whose queue empties leaves the round. */
  private turn(): void {
    this.scheduled = false;
    let started = 0;
    try {
      while (started < this.perTurn && this.queues.size > 0) {
        for (const [flow, queue] of this.queues) {
          const request = queue.shift();
          if (queue.length === 0) this.queues.delete(flow);
          if (request === undefined || request.abandoned()) continue;
          started++;
          request.start();
          if (started >= this.perTurn) break;
        }
      }
    } finally {
      if (this.queues.size > 0) this.schedule();
    }
  }
}
