/**
 * @module
 * The server's end of a request channel (api/transport.ts): each request message becomes a
 * {@link ServerRequest} and a {@link ServerReply} handed to the same handler as HTTP's, and what the
 * handler writes goes back as messages — one for an answer ended in one go, a head and a message per
 * chunk for a stream.
 *
 * A streamed answer behaves as over a socket: writes report a full buffer once the client holds
 * more than {@link HIGH_WATER_BYTES} it has not acknowledged, and 'drain' follows its
 * acknowledgements; a client's cancel, or its port closing, ends the request as a closed
 * connection does ('close' on both objects).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { type ChannelClientMessage, type ChannelPort, type ChannelServerMessage, chunkBuffer } from '../../api/transport.js';
import type { ServerReply, ServerRequest } from './exchange.js';

/** Unacknowledged bytes past which a streamed answer's writes report a full buffer. */
export const HIGH_WATER_BYTES = 1024 * 1024;

export type ServerChannelPort = ChannelPort<ChannelClientMessage, ChannelServerMessage>;
export type ChannelHandler = (request: ServerRequest, reply: ServerReply) => void;

/** Serves the requests arriving on `port` with `handle` until `close` (or the port closes). */
export class ChannelServer {
  /** Requests whose answers have not ended, by id. */
  private readonly open = new Map<number, { readonly request: ChannelRequest; readonly reply: ChannelReply }>();
  private closed = false;

  constructor(
    private readonly port: ServerChannelPort,
    private readonly handle: ChannelHandler,
  ) {
    port.on('message', (message) => this.receive(message));
    port.on('close', () => this.dropAll());
  }

  /** Ends every request still open (as dropped connections) and closes the port. */
  close(): void {
    if (this.closed) return;
    this.dropAll();
    this.closed = true;
    this.port.close();
  }

  private receive(message: ChannelClientMessage): void {
    if (this.closed) return;
    switch (message.kind) {
      case 'request': {
        const request = new ChannelRequest(message.method, message.target, message.headers, message.body);
        const reply = new ChannelReply(message.id, (out) => this.port.postMessage(out), () => {
          this.open.delete(message.id);
          request.closed();
        });
        this.open.set(message.id, { request, reply });
        this.handle(request, reply);
        return;
      }
      case 'cancel':
        this.open.get(message.id)?.reply.dropped();
        return;
      case 'ack':
        this.open.get(message.id)?.reply.acknowledged(message.bytes);
        return;
      default: {
        // Both ends are this code base's: a message of another kind cannot come, and is ignored
        // rather than thrown where it would end the server's thread.
        const never: never = message;
        return never;
      }
    }
  }

  private dropAll(): void {
    for (const { reply } of [...this.open.values()]) reply.dropped();
  }
}

/** A request whose body came whole in its message; it flows once a reader listens (or resumes). */
class ChannelRequest implements ServerRequest {
  readonly headers: IncomingHttpHeaders;
  readonly wholeText: string | undefined;
  /** The body as bytes, for 'data' listeners: made when one listens (readBody takes `wholeText`). */
  private body: string | Uint8Array | undefined;
  private flowing = false;
  private readonly dataListeners: ((chunk: Buffer) => void)[] = [];
  private endListeners: (() => void)[] = [];
  private closeListeners: (() => void)[] = [];
  private isClosed = false;

  constructor(
    readonly method: string,
    readonly url: string,
    headers: Readonly<Record<string, string>>,
    body: string | Uint8Array | undefined,
  ) {
    this.headers = { ...headers };
    this.wholeText = typeof body === 'string' ? body : undefined;
    this.body = body;
  }

  on(_event: 'data', listener: (chunk: Buffer) => void): this {
    this.dataListeners.push(listener);
    this.flow();
    return this;
  }

  once(event: 'end' | 'close' | 'aborted', listener: () => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
  once(event: 'end' | 'close' | 'aborted' | 'error', listener: (() => void) | ((error: Error) => void)): this {
    // The body is whole: it can neither fail nor be cut off, so 'error' and 'aborted' never come.
    if (event === 'error' || event === 'aborted') return this;
    const noArguments = listener as () => void;
    if (event === 'end') this.endListeners.push(noArguments);
    else {
      if (this.isClosed) queueMicrotask(noArguments);
      else this.closeListeners.push(noArguments);
    }
    return this;
  }

  off(event: 'data' | 'close', listener: (chunk: Buffer) => void): this {
    const listeners = event === 'data' ? this.dataListeners : this.closeListeners;
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
    return this;
  }

  resume(): this {
    this.flow();
    return this;
  }

  /** The answer has ended or was dropped. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener();
  }

  /** Delivers the body after the current turn, so that 'end' listeners added with 'data' see it end. */
  private flow(): void {
    if (this.flowing) return;
    this.flowing = true;
    queueMicrotask(() => {
      const body = this.body === undefined ? undefined : chunkBuffer(this.body);
      this.body = undefined;
      if (body !== undefined && body.length > 0) for (const listener of [...this.dataListeners]) listener(body);
      const ends = this.endListeners;
      this.endListeners = [];
      for (const listener of ends) listener();
    });
  }
}

class ChannelReply implements ServerReply {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  private readonly headers: Record<string, string | readonly string[]> = {};
  private headSent = false;
  private ended = false;
  private unacknowledged = 0;
  private full = false;
  private closeListeners: (() => void)[] = [];
  private drainListeners: (() => void)[] = [];

  constructor(
    private readonly id: number,
    private readonly send: (message: ChannelServerMessage) => void,
    private readonly done: () => void,
  ) {}

  setHeader(name: string, value: string | readonly string[]): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  writeHead(statusCode: number, headers: OutgoingHttpHeaders = {}): this {
    this.statusCode = statusCode;
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) this.headers[name.toLowerCase()] = typeof value === 'number' ? String(value) : value;
    }
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {
    if (!this.headSent && !this.destroyed) this.sendHead(undefined, false);
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.ended || this.destroyed) return false;
    const portable = ownBuffer(chunk);
    if (!this.headSent) this.sendHead(portable, false);
    else this.send({ kind: 'data', id: this.id, chunk: portable, end: false });
    this.unacknowledged += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    if (this.unacknowledged < HIGH_WATER_BYTES) return true;
    this.full = true;
    return false;
  }

  end(chunk?: string | Uint8Array): this {
    if (this.ended || this.destroyed) return this;
    this.ended = true;
    const portable = chunk === undefined ? undefined : ownBuffer(chunk);
    if (!this.headSent) this.sendHead(portable, true);
    else this.send({ kind: 'data', id: this.id, chunk: portable, end: true });
    this.finish();
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    if (!this.ended) this.send({ kind: 'reset', id: this.id, message: 'the server dropped the answer' });
    this.dropped();
    return this;
  }

  once(event: 'close' | 'drain', listener: () => void): this {
    if (event === 'close') this.closeListeners.push(listener);
    else this.drainListeners.push(listener);
    return this;
  }

  off(event: 'close' | 'drain', listener: () => void): this {
    const listeners = event === 'close' ? this.closeListeners : this.drainListeners;
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
    return this;
  }

  /** The client took `bytes` more of the answer. */
  acknowledged(bytes: number): void {
    this.unacknowledged -= bytes;
    if (!this.full || this.unacknowledged >= HIGH_WATER_BYTES) return;
    this.full = false;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const listener of listeners) listener();
  }

  /** The client went away (or the server dropped the answer): nothing more is sent. */
  dropped(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.finish();
  }

  private sendHead(chunk: string | Uint8Array | undefined, end: boolean): void {
    this.headSent = true;
    this.headersSent = true;
    this.send({ kind: 'head', id: this.id, status: this.statusCode, headers: this.headers, chunk, end });
  }

  /** 'close' follows the end, after the current turn, as node:http's does. */
  private finish(): void {
    this.done();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    this.drainListeners = [];
    if (listeners.length > 0) queueMicrotask(() => {
      for (const listener of listeners) listener();
    });
  }
}

/**
 * A chunk that can be posted without copying more than itself: a view into a larger buffer (a
 * pooled Buffer's slab) would be posted with the whole buffer behind it.
 */
function ownBuffer(chunk: string | Uint8Array): string | Uint8Array {
  if (typeof chunk === 'string' || chunk.byteLength === chunk.buffer.byteLength) return chunk;
  return new Uint8Array(chunk);
}
