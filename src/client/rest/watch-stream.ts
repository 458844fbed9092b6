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
import type { ClientRequest, IncomingMessage } from 'node:http';
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

export class WatchIdleError extends Error {
  override readonly name = 'WatchIdleError';
}

export class WatchStream<T extends KubeObject = KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private closedByCaller = false;

  constructor(
    private readonly request: ClientRequest,
    private readonly response: IncomingMessage,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Ends the watch; a loop reading it finishes normally. */
  close(): void {
    this.closedByCaller = true;
    this.response.destroy();
    this.request.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
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
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          const line = text.slice(start, end);
          start = end + 1;
          if (line.trim() !== '') yield decodeEvent<T>(line);
        }
        partial = text.slice(start);
      }
      if (partial.trim() !== '') yield decodeEvent<T>(partial);
    } catch (error) {
      if (!this.closedByCaller) throw error;
    } finally {
      clearTimeout(idle);
      if (!this.response.destroyed) this.response.destroy();
    }
  }
}

function decodeEvent<T extends KubeObject>(line: string): WatchEvent<T> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`the watch stream sent a line that is not JSON: ${line.slice(0, 120)}`);
  }
  if (!isJsonObject(value) || typeof value.type !== 'string' || !TYPES.has(value.type) || !isJsonObject(value.object)) {
    throw new Error(`the watch stream sent something that is not a watch event: ${line.slice(0, 120)}`);
  }
  // The wire is trusted to carry the kind asked for; callers narrow further if they must.
  return { type: value.type as WatchEventType, object: value.object as unknown as T };
}
