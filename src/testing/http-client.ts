/**
 * @module
 * A small HTTP client for tests against a real API server: one call per request (node:http with
 * keep-alive), the body as text and JSON, and a watch reader that collects JSON lines as they arrive.
 */
import { Agent, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Raw body text (wins over `body`). */
  readonly raw?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly baseUrl: string) {}

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload === undefined
              ? {}
              : { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }),
            ...(options.headers ?? {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: parse(text) });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  get(path: string, headers?: Readonly<Record<string, string>>): Promise<HttpResponse> {
    return this.request('GET', path, headers === undefined ? {} : { headers });
  }

  post(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<HttpResponse> {
    return this.request('POST', path, { ...options, body });
  }

  put(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<HttpResponse> {
    return this.request('PUT', path, { ...options, body });
  }

  patch(path: string, body: unknown, contentType: string): Promise<HttpResponse> {
    return this.request('PATCH', path, { body, contentType });
  }

  delete(path: string, body?: unknown): Promise<HttpResponse> {
    return this.request('DELETE', path, body === undefined ? {} : { body });
  }

  /** Opens a watch; events are collected into `events` as their lines arrive. */
  watch(path: string, headers: Readonly<Record<string, string>> = {}): Promise<WatchStream> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${this.baseUrl}${path}`, { method: 'GET', headers }, (response) => {
        resolve(new WatchStream(response, () => request.destroy()));
      });
      request.on('error', reject);
      request.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A watch response being read: its status, the events so far, and a way to wait for more. */
export class WatchStream {
  readonly status: number;
  readonly events: { type: string; object: Record<string, unknown> }[] = [];
  ended = false;
  private buffer = '';
  private listeners: (() => void)[] = [];

  constructor(
    private readonly response: IncomingMessage,
    private readonly abort: () => void,
  ) {
    this.status = response.statusCode ?? 0;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        if (line.trim() !== '') this.events.push(JSON.parse(line) as { type: string; object: Record<string, unknown> });
        newline = this.buffer.indexOf('\n');
      }
      this.notify();
    });
    response.on('end', () => {
      this.ended = true;
      this.notify();
    });
    response.on('error', () => {
      this.ended = true;
      this.notify();
    });
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers;
  }

  /** Resolves when `condition` holds over the events so far (or the stream ends); throws after `timeoutMs`. */
  async until(condition: (events: WatchStream['events']) => boolean, timeoutMs = 10_000): Promise<WatchStream['events']> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.events)) {
      if (this.ended) return this.events;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`watch: condition not met after ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.type))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  close(): void {
    this.abort();
  }

  private notify(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
