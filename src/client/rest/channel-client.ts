/**
 * @module
 * The client's end of a request channel (api/transport.ts): requests go out as messages, and each
 * answer comes back as a Readable with a status code and headers, as node:http's IncomingMessage —
 * so the REST client and its watch streams read both alike.
 *
 * The bytes of a streamed answer are acknowledged as they are taken from the Readable, in steps of
 * {@link ACK_BYTES}; a reader that stops taking them stops acknowledging, and the server's writes then
 * report a full buffer, as they would over a socket that is not read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { type ChannelClientMessage, type ChannelPort, type ChannelServerMessage, chunkBuffer } from '../../api/transport.js';

/** Bytes taken before they are acknowledged (well under the server's high-water mark). */
export const ACK_BYTES = 64 * 1024;

export type ClientChannelPort = ChannelPort<ChannelServerMessage, ChannelClientMessage>;

/** The channel was closed by this client: nothing more can be sent on it, and retrying is pointless. */
export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError';
}

export interface ChannelRequestSpec {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  readonly signal?: AbortSignal;
  /** No head this long: the request fails with `timeoutError()`. */
  readonly timeoutMs?: number;
  readonly timeoutError?: () => Error;
}

/** A request sent: its answer's head has come, and its body arrives through `response`. */
export interface ChannelExchange {
  readonly request: { destroy(error?: Error): void };
  readonly response: ChannelAnswer;
  /**
   * The answer, when it came whole with its head (most do: everything but watches and other
   * streams). Reading it here costs no stream: `response` is then made only if asked for.
   */
  readonly whole?: WholeAnswer;
}

/** An answer that came whole in one message. */
export interface WholeAnswer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  /** As the server wrote it: text (most answers are JSON text) or bytes. */
  readonly body: string | Buffer;
}

/** The exchange of an answer that came whole: its stream, if anyone wants one, holds the body and ends. */
class WholeExchange implements ChannelExchange {
  private answer: ChannelAnswer | undefined;

  constructor(readonly whole: WholeAnswer) {}

  get response(): ChannelAnswer {
    if (this.answer === undefined) {
      this.answer = new ChannelAnswer(this.whole.statusCode, this.whole.headers, () => undefined, () => undefined);
      if (this.whole.body.length > 0) this.answer.push(chunkBuffer(this.whole.body));
      this.answer.push(null);
    }
    return this.answer;
  }

  readonly request = { destroy: (error?: Error): void => void this.answer?.destroy(error) };
}

/** An answer's body as it arrives, with the head's status and headers. */
export class ChannelAnswer extends Readable {
  constructor(
    readonly statusCode: number,
    readonly headers: IncomingHttpHeaders,
    private readonly onTaken: () => void,
    private readonly onDestroyed: () => void,
  ) {
    super();
  }

  override _read(): void {
    this.onTaken();
  }

  /**
   * An error is passed on only to a reader listening for it, as node:http's IncomingMessage does: a
   * held answer nobody reads yet must not end the thread with an unhandled 'error'.
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.onDestroyed();
    callback(this.listenerCount('error') > 0 ? error : null);
  }
}

interface Waiting {
  readonly resolve: (exchange: ChannelExchange) => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly cleanup: () => void;
}

/** A streamed answer under way: bytes taken but not yet acknowledged, and bytes the reader has yet to take. */
interface Streaming {
  readonly answer: ChannelAnswer;
  taken: number;
  held: number;
}

export class ChannelClient {
  private nextId = 1;
  /** Requests whose head has not come. */
  private readonly waiting = new Map<number, Waiting>();
  /** Answers whose body is still arriving. */
  private readonly streaming = new Map<number, Streaming>();
  private closed = false;

  constructor(private readonly port: ClientChannelPort) {
    port.on('message', (message) => this.receive(message));
    port.on('close', () => this.failAll(new Error('the request channel to the API server closed')));
  }

  /** Sends a request; resolves with its exchange once the answer's head has come. */
  send(spec: ChannelRequestSpec): Promise<ChannelExchange> {
    if (this.closed) return Promise.reject(new ChannelClosedError('the request channel to the API server is closed'));
    if (spec.signal?.aborted === true) return Promise.reject(abortError());
    const id = this.nextId++;
    return new Promise<ChannelExchange>((resolve, reject) => {
      const { signal } = spec;
      const onAbort = (): void => this.cancel(id, abortError());
      const timer = spec.timeoutMs === undefined ? undefined : setTimeout(() => this.cancel(id, spec.timeoutError?.() ?? new Error('the API server sent no answer')), spec.timeoutMs);
      timer?.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.waiting.set(id, { resolve, reject, signal, cleanup });
      try {
        this.port.postMessage({ kind: 'request', id, method: spec.method, target: spec.target, headers: spec.headers, body: spec.body });
      } catch (error) {
        this.waiting.delete(id);
        cleanup();
        reject(error);
      }
    });
  }

  /** Closes the channel for good: requests under way fail, and answers still arriving break off. */
  close(): void {
    if (this.closed) return;
    this.failAll(new ChannelClosedError('the request channel to the API server is closed'));
    this.port.close();
  }

  private receive(message: ChannelServerMessage): void {
    switch (message.kind) {
      case 'head':
        return this.head(message);
      case 'data': {
        const streaming = this.streaming.get(message.id);
        if (streaming === undefined) return;
        if (message.chunk !== undefined) this.push(message.id, streaming, message.chunk);
        if (message.end) {
          this.streaming.delete(message.id);
          streaming.answer.push(null);
        }
        return;
      }
      case 'reset': {
        const error = new Error(message.message);
        const waiting = this.waiting.get(message.id);
        if (waiting !== undefined) {
          this.waiting.delete(message.id);
          waiting.cleanup();
          waiting.reject(error);
        }
        const streaming = this.streaming.get(message.id);
        this.streaming.delete(message.id);
        streaming?.answer.destroy(error);
        return;
      }
      default: {
        // Both ends are this code base's: a message of another kind cannot come, and is ignored.
        const never: never = message;
        return never;
      }
    }
  }

  private head(message: Extract<ChannelServerMessage, { kind: 'head' }>): void {
    const { id } = message;
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.waiting.delete(id);
    waiting.cleanup();
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(message.headers)) headers[name] = typeof value === 'string' ? value : [...value];
    if (message.end && waiting.signal?.aborted !== true) {
      // Text stays text: the reader wants it as such, and encoding it to bytes only to decode it back
      // cost both ways on every answer.
      const { chunk } = message;
      waiting.resolve(new WholeExchange({ statusCode: message.status, headers, body: chunk === undefined ? '' : typeof chunk === 'string' ? chunk : chunkBuffer(chunk) }));
      return;
    }
    let streaming: Streaming | undefined;
    const answer = new ChannelAnswer(
      message.status,
      headers,
      () => {
        if (streaming === undefined || streaming.held === 0) return;
        streaming.taken += streaming.held;
        streaming.held = 0;
        this.acknowledge(id, streaming);
      },
      () => {
        if (this.streaming.delete(id)) this.post({ kind: 'cancel', id });
      },
    );
    if (message.end) {
      if (message.chunk !== undefined) answer.push(chunkBuffer(message.chunk));
      answer.push(null);
    } else {
      streaming = { answer, taken: 0, held: 0 };
      this.streaming.set(id, streaming);
      if (message.chunk !== undefined) this.push(id, streaming, message.chunk);
    }
    const request = { destroy: (error?: Error): void => void answer.destroy(error) };
    if (waiting.signal !== undefined) {
      const { signal } = waiting;
      if (signal.aborted) answer.destroy(abortError());
      else {
        const onAbort = (): void => void answer.destroy(abortError());
        signal.addEventListener('abort', onAbort, { once: true });
        answer.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
    waiting.resolve({ request, response: answer });
  }

  private push(id: number, streaming: Streaming, chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    if (streaming.answer.push(chunkBuffer(chunk))) {
      streaming.taken += bytes;
      this.acknowledge(id, streaming);
    } else {
      streaming.held += bytes;
    }
  }

  private acknowledge(id: number, streaming: Streaming): void {
    if (streaming.taken < ACK_BYTES) return;
    this.post({ kind: 'ack', id, bytes: streaming.taken });
    streaming.taken = 0;
  }

  /** Gives up a request: the server is told, and the caller gets `error`. */
  private cancel(id: number, error: Error): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.waiting.delete(id);
    waiting.cleanup();
    this.post({ kind: 'cancel', id });
    waiting.reject(error);
  }

  /** Fails every request under way with `error`; answers still arriving break off with it. */
  private failAll(error: Error): void {
    this.closed = true;
    const waiting = [...this.waiting.values()];
    const streaming = [...this.streaming.values()];
    this.waiting.clear();
    this.streaming.clear();
    for (const entry of waiting) {
      entry.cleanup();
      entry.reject(error);
    }
    for (const entry of streaming) entry.answer.destroy(error);
  }

  private post(message: ChannelClientMessage): void {
    if (!this.closed) this.port.postMessage(message);
  }
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
