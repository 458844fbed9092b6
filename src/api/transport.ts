/**
 * @module
 * The contracts between the client and an API server in the same process (DESIGN.md, "Client
 * toolkit"), two of them: in-memory connections that carry HTTP/1.1 on one thread, which the REST
 * client sends its requests over instead of TCP; and the request channel between threads (below).
 * The types (and the one conversion both ends make) live here, below both, so the client never
 * imports the API server; the CLI or a test hands one to the other.
 */
import type { Duplex } from 'node:stream';

export interface InProcessConnector {
  /** A new connection to the server: a byte stream that the server reads requests from. */
  connect(): Duplex;
}

/**
 * The request channel: the messages of HTTP's exchange carried over a MessagePort between a client
 * on one thread and the API server on another (`kubelite up`'s control-plane thread). The server
 * answers each request with the same handler as over HTTP; what the channel saves is HTTP itself —
 * formatting and parsing heads, the socket, the kernel — which cost a control-plane thread and the
 * server about 100 µs per request over a Unix socket, five times what the messages do.
 *
 * A request is one message, and so is a whole answer that is ready at once. A streamed answer (a
 * watch) is a head, then a message per chunk. The client acknowledges the bytes it has consumed, so
 * the server sees a reader that stops reading as it would over a socket (its writes report a full
 * buffer), and a cancel is the client closing the connection.
 */
export type ChannelClientMessage =
  | {
      readonly kind: 'request';
      readonly id: number;
      readonly method: string;
      /** The path and query. */
      readonly target: string;
      /** Lowercase names, as node:http gives a server. */
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string | Uint8Array | undefined;
    }
  | { readonly kind: 'cancel'; readonly id: number }
  | { readonly kind: 'ack'; readonly id: number; readonly bytes: number };

export type ChannelServerMessage =
  | {
      readonly kind: 'head';
      readonly id: number;
      readonly status: number;
      /** Lowercase names. */
      readonly headers: Readonly<Record<string, string | readonly string[]>>;
      /** The first chunk of the body, when there is one already. */
      readonly chunk: string | Uint8Array | undefined;
      /** Whether this message ends the answer. */
      readonly end: boolean;
    }
  | { readonly kind: 'data'; readonly id: number; readonly chunk: string | Uint8Array | undefined; readonly end: boolean }
  /** The server dropped the answer midway (as a socket reset). */
  | { readonly kind: 'reset'; readonly id: number; readonly message: string };

/** Either end of a request channel: a MessagePort of node:worker_threads, or a stand-in for one. */
export interface ChannelPort<In, Out> {
  postMessage(message: Out): void;
  on(event: 'message', listener: (message: In) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close(): void;
}

/** A message's chunk as bytes: text encoded as UTF-8, bytes viewed in place. */
export function chunkBuffer(chunk: string | Uint8Array): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
