/**
 * A TCP fault proxy for client tests: it listens on 127.0.0.1 and forwards each connection to a
 * target (read per connection, so a restarted server on a new port is followed), and injects the
 * network faults an informer must survive (reliability.md §6 item 14):
 *
 * - `blackhole()`: every connection, open or new, stops carrying bytes in either direction, and a
 *   close or reset sent meanwhile is held back too — packets silently dropped, as when a route or a
 *   NAT entry vanishes. Nothing is lost: like TCP retransmission after the path comes back,
 *   `heal()` delivers what was held. A client notices a black hole only by its own timeouts.
 * - `reset()`: every open connection is torn down with a TCP RST (`socket.resetAndDestroy()`).
 * - `refuse(true)`: each new connection is reset as soon as it is accepted (the server is down).
 * - `failNextList()`: the next HTTP request that is a GET without `watch=` (a LIST or GET) is
 *   answered `500 InternalError` by the proxy itself and its connection closed; it never reaches
 *   the server. Only enough HTTP/1.1 is parsed to find request boundaries (Content-Length bodies).
 * - `heal()`: ends the black hole and refusal (an armed `failNextList` stays armed).
 *
 * `stats` counts connections accepted (refused ones included) and the requests seen, so tests can
 * bound how often a client retries.
 */
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

export interface TcpProxyOptions {
  /** Where to forward a new connection; asked at each connection. */
  readonly target: () => { readonly host: string; readonly port: number };
}

export interface TcpProxyStats {
  /** Connections accepted, refused ones included. */
  accepted: number;
  /** Connections reset at once because `refuse(true)` was on. */
  refused: number;
  /** GET requests without `watch=` forwarded (LIST or GET). */
  lists: number;
  /** GET requests with `watch=` forwarded. */
  watches: number;
  /** Requests answered 500 by `failNextList`. */
  failedLists: number;
}

const INJECTED_500 = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the test proxy failed this request on purpose',
  reason: 'InternalError',
  code: 500,
});

/** Where the parser stands in the client's byte stream: reading a request head, or skipping a body. */
interface RequestCursor {
  head: string;
  bodyRemaining: number;
  /** A body whose length we cannot follow (chunked): stop looking at this connection's requests. */
  passThrough: boolean;
}

/** What a connection asks of its proxy. */
interface LinkHooks {
  isBlackholed(): boolean;
  /** Consumes one armed LIST failure, if any. */
  takeListFailure(): boolean;
  countRequest(watch: boolean): void;
  done(link: Link): void;
}

/** One proxied connection: the client's socket and the one to the target. */
class Link {
  private readonly cursor: RequestCursor = { head: '', bodyRemaining: 0, passThrough: false };
  /** Closes or resets that happened during a black hole, applied when it heals. */
  private deferred: (() => void)[] = [];
  private done = false;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly hooks: LinkHooks,
  ) {
    client.on('data', (chunk: Buffer) => this.fromClient(chunk));
    upstream.on('data', (chunk: Buffer) => this.forward(upstream, client, chunk));
    client.on('end', () => this.whenFlowing(() => upstream.end()));
    upstream.on('end', () => this.whenFlowing(() => client.end()));
    // An error (ECONNRESET from a peer's RST) is passed on as an RST; a close as a close.
    client.on('error', () => this.whenFlowing(() => this.teardown(true)));
    upstream.on('error', () => this.whenFlowing(() => this.teardown(true)));
    client.on('close', () => this.whenFlowing(() => this.teardown(false)));
    upstream.on('close', () => this.whenFlowing(() => this.teardown(false)));
    if (hooks.isBlackholed()) this.pause();
  }

  pause(): void {
    this.client.pause();
    this.upstream.pause();
  }

  resume(): void {
    const deferred = this.deferred;
    this.deferred = [];
    for (const action of deferred) action();
    if (this.done) return;
    this.client.resume();
    this.upstream.resume();
  }

  /** Tears both sockets down: with an RST when `reset`, else a plain close. */
  teardown(reset: boolean): void {
    if (this.done) return;
    this.done = true;
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.hooks.done(this);
  }

  private whenFlowing(action: () => void): void {
    if (this.hooks.isBlackholed()) this.deferred.push(action);
    else action();
  }

  private forward(from: Socket, to: Socket, chunk: Buffer): void {
    if (this.done || to.destroyed) return;
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => {
        if (!this.hooks.isBlackholed()) from.resume();
      });
    }
  }

  /** Client bytes: find request heads (to count them and fail a LIST on demand), forward the rest. */
  private fromClient(chunk: Buffer): void {
    const cursor = this.cursor;
    if (cursor.passThrough) return this.forward(this.client, this.upstream, chunk);
    let text = chunk.toString('latin1');
    while (text.length > 0 && !this.done) {
      if (cursor.bodyRemaining > 0) {
        const body = text.slice(0, cursor.bodyRemaining);
        cursor.bodyRemaining -= body.length;
        text = text.slice(body.length);
        this.forward(this.client, this.upstream, Buffer.from(body, 'latin1'));
        continue;
      }
      cursor.head += text;
      text = '';
      const end = cursor.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = cursor.head.slice(0, end + 4);
      text = cursor.head.slice(end + 4);
      cursor.head = '';
      const requestLine = head.slice(0, head.indexOf('\r\n'));
      const isGet = requestLine.startsWith('GET ');
      const isWatch = /[?&]watch=(true|1)/.test(requestLine);
      if (isGet && !isWatch && this.hooks.takeListFailure()) {
        this.client.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(INJECTED_500)}\r\nConnection: close\r\n\r\n${INJECTED_500}`);
        this.done = true;
        this.upstream.destroy();
        this.hooks.done(this);
        return;
      }
      if (isGet) this.hooks.countRequest(isWatch);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      cursor.bodyRemaining = length === null ? 0 : Number(length[1]);
      if (/\r\ntransfer-encoding:/i.test(head)) cursor.passThrough = true;
      this.forward(this.client, this.upstream, Buffer.from(head, 'latin1'));
      if (cursor.passThrough) {
        if (text.length > 0) this.forward(this.client, this.upstream, Buffer.from(text, 'latin1'));
        return;
      }
    }
  }
}

export class TcpProxy {
  readonly stats: TcpProxyStats = { accepted: 0, refused: 0, lists: 0, watches: 0, failedLists: 0 };
  private readonly links = new Set<Link>();
  private blackholed = false;
  private refusing = false;
  private listFailures = 0;
  private readonly hooks: LinkHooks = {
    isBlackholed: () => this.blackholed,
    takeListFailure: () => {
      if (this.listFailures === 0) return false;
      this.listFailures--;
      this.stats.failedLists++;
      return true;
    },
    countRequest: (watch) => {
      if (watch) this.stats.watches++;
      else this.stats.lists++;
    },
    done: (link) => this.links.delete(link),
  };

  private constructor(
    private readonly server: Server,
    private readonly options: TcpProxyOptions,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts a proxy on 127.0.0.1 at a free port. */
  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The proxy's URL, for a client's `server`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open connections. */
  get connections(): number {
    return this.links.size;
  }

  blackhole(): void {
    this.blackholed = true;
    for (const link of this.links) link.pause();
  }

  reset(): void {
    for (const link of [...this.links]) link.teardown(true);
  }

  refuse(on: boolean): void {
    this.refusing = on;
  }

  /** Answers the next non-watch GET with a 500 (and `count - 1` more after it). */
  failNextList(count = 1): void {
    this.listFailures += count;
  }

  heal(): void {
    this.refusing = false;
    if (!this.blackholed) return;
    this.blackholed = false;
    for (const link of [...this.links]) link.resume();
  }

  /** Resets every connection and stops listening. */
  async close(): Promise<void> {
    this.blackholed = false;
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.stats.accepted++;
    if (this.refusing) {
      this.stats.refused++;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const { host, port } = this.options.target();
    const upstream = connect({ host, port });
    this.links.add(new Link(client, upstream, this.hooks));
  }
}
