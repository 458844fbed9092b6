/**
 * @module
 * A watch response read as events: the body is one JSON `{type, object}` per line (kube-apiserver's
 * streaming JSON watch encoding), decoded as bytes arrive, with the stream's own backpressure — the
 * socket is read only as fast as the consumer takes events.
 *
 * A watch whose connection dies without a FIN or RST sends nothing ever again; TCP alone notices
 * only after many minutes (kubernetes-client/javascript #596, #364). So a stream that stays silent
 * for `idleTimeoutMs` is ended with an error, and the caller (a Reflector) watches again from the
 * last resourceVersion it saw. Servers that honour `allowWatchBookmarks` send a bookmark at least
 * every minute, so a healthy quiet watch is never cut.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../object.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: WatchEventType;
  /** The object; for ERROR, a Status. */
  readonly object: T;
}

const TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** An answer's body as it arrives, with its head: node:http's IncomingMessage, or a request channel's (channel-client.ts). */
export interface AnswerStream extends Readable {
  readonly statusCode?: number | undefined;
  readonly headers: IncomingHttpHeaders;
}

export class WatchIdleError extends Error {
  override readonly name = 'WatchIdleError';
}

export class WatchStream<T extends KubeObject = KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private closedByCaller = false;

  constructor(
    private readonly request: { destroy(error?: Error): unknown },
    private readonly response: AnswerStream,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Ends the watch; a loop reading it finishes normally. */
  close(): void {
    this.closedByCaller = true;
    this.response.destroy();
    this.request.destroy();
  }

  /**
   * Reads the whole watch, handing each chunk's events to `sink` synchronously as the chunk
   * arrives: no promise per chunk or event, which is what a Reflector wants. Resolves when the
   * server ends the watch (or `close` is called); rejects when the connection breaks, falls silent
   * past the idle timeout, or `sink` throws (the watch is then closed).
   */
  forEachBatch(sink: (events: WatchEvent<T>[]) => void): Promise<void> {
    const { response } = this;
    return new Promise<void>((resolve, reject) => {
      const decoder = new StringDecoder('utf8');
      let partial = '';
      let settled = false;
      const finish = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        response.off('data', onData);
        response.off('end', onEnd);
        response.off('error', onError);
        response.off('close', onClose);
        if (!response.destroyed) response.destroy();
        if (error === undefined || this.closedByCaller) resolve();
        else reject(error);
      };
      const deliver = (events: WatchEvent<T>[]): void => {
        if (events.length === 0) return;
        try {
          sink(events);
        } catch (error) {
          finish(error);
        }
      };
      const onData = (chunk: Buffer): void => {
        idle.refresh();
        const text = partial + decoder.write(chunk);
        const batch: WatchEvent<T>[] = [];
        let start = 0;
        try {
          for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            if (end > start) {
              const event = decodeEvent<T>(text, start, end);
              if (event !== undefined) batch.push(event);
            }
            start = end + 1;
          }
        } catch (error) {
          finish(error);
          return;
        }
        partial = start === text.length ? '' : text.slice(start);
        deliver(batch);
      };
      const onEnd = (): void => {
        try {
          const last = partial === '' ? undefined : decodeEvent<T>(partial, 0, partial.length);
          if (last !== undefined) deliver([last]);
        } catch (error) {
          finish(error);
          return;
        }
        finish();
      };
      const onError = (error: Error): void => finish(error);
      const onClose = (): void => finish(new Error('the watch connection closed before the server ended the watch'));
      const idle = setTimeout(() => {
        finish(new WatchIdleError(`the watch sent nothing for ${this.idleTimeoutMs / 1000} s; the connection is presumed dead`));
      }, this.idleTimeoutMs);
      idle.unref();
      response.on('data', onData);
      response.on('end', onEnd);
      response.on('error', onError);
      response.on('close', onClose);
    });
  }

  /** The events one at a time. */
  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * The events as they arrive, a batch per chunk read from the connection: a consumer that handles
   * each batch synchronously (the Reflector) pays one promise per chunk, not one per event.
   */
  async *batches(): AsyncGenerator<WatchEvent<T>[]> {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    const idle = setTimeout(() => {
      this.response.destroy(new WatchIdleError(`the watch sent nothing for ${this.idleTimeoutMs / 1000} s; the connection is presumed dead`));
    }, this.idleTimeoutMs);
    idle.unref();
    try {
      for await (const chunk of this.response) {
        idle.refresh();
        const text = partial + decoder.write(chunk as Buffer);
        const batch: WatchEvent<T>[] = [];
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          if (end > start) {
            const event = decodeEvent<T>(text, start, end);
            if (event !== undefined) batch.push(event);
          }
          start = end + 1;
        }
        partial = start === text.length ? '' : text.slice(start);
        if (batch.length > 0) yield batch;
      }
      const last = partial === '' ? undefined : decodeEvent<T>(partial, 0, partial.length);
      if (last !== undefined) yield [last];
    } catch (error) {
      if (!this.closedByCaller) throw error;
    } finally {
      clearTimeout(idle);
      if (!this.response.destroyed) this.response.destroy();
    }
  }
}

/** Decodes the event on `text[start, end)` (one line); undefined for a line of only spaces. */
function decodeEvent<T extends KubeObject>(text: string, start: number, end: number): WatchEvent<T> | undefined {
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (line.trim() === '') return undefined;
    throw new Error(`the watch stream sent a line that is not JSON: ${line.slice(0, 120)}`);
  }
  if (!isJsonObject(value) || typeof value.type !== 'string' || !TYPES.has(value.type) || !isJsonObject(value.object)) {
    throw new Error(`the watch stream sent something that is not a watch event: ${line.slice(0, 120)}`);
  }
  // The wire is trusted to carry the kind asked for; callers narrow further if they must.
  return { type: value.type as WatchEventType, object: value.object as unknown as T };
}
