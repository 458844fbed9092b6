/**
 * @module
 * What the server's handlers use of a request and of its answer: the slice of node:http's
 * IncomingMessage and ServerResponse they touch. Both node:http's objects and the request channel's
 * (channel-server.ts) have it, so one handler serves HTTP and the control-plane thread alike.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export interface ServerRequest {
  readonly method?: string | undefined;
  /** The path and query, as sent. */
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /**
   * The whole body as text, when it came that way (a request channel's message): readBody takes it
   * as it is instead of reading it as bytes and decoding them back. Unset over HTTP.
   */
  readonly wholeText?: string | undefined;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'end' | 'close' | 'aborted', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'close', listener: () => void): unknown;
  /** Reads (and drops) the rest of the body. */
  resume(): unknown;
}

export interface ServerReply {
  statusCode: number;
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  setHeader(name: string, value: string | readonly string[]): unknown;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): unknown;
  /** Sends the head now, ahead of the body (a watch's answer). */
  flushHeaders(): void;
  /** False when the reader has not taken what was written so far: wait for 'drain'. */
  write(chunk: string | Uint8Array): boolean;
  end(chunk?: string | Uint8Array): unknown;
  /** Drops the answer midway (the connection, over HTTP). */
  destroy(): unknown;
  /** 'close': the answer is done or dropped; 'drain': writing may go on. */
  once(event: 'close' | 'drain', listener: () => void): unknown;
  off(event: 'close' | 'drain', listener: () => void): unknown;
}
