/**
 * @module
 * The REST client: one keep-alive connection pool to one API server (node:http, which is several
 * times faster than fetch here), JSON in and out, Status answers turned into {@link ApiError}s, and
 * the retry rules of client-go's `rest/request.go` and `rest/with_retry.go`:
 *
 * - 429 and 5xx answers that carry Retry-After are retried after that many seconds, any verb — the
 *   server promises the request was not acted on;
 * - a 429 without it, and 5xx answers and broken connections on reads (GET), are retried with an
 *   exponential, jittered backoff; a write that failed that way is not repeated, since it may have
 *   been applied;
 * - a 401 after credentials that can change (a token file, an exec plugin) fetches them again once.
 *
 * An optional token bucket (`qps`, `burst` in the config) limits the client's own request rate, as
 * client-go's `flowcontrol.NewTokenBucketRateLimiter`.
 */
import type { Agent, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { InProcessConnector } from '../../api/transport.js';
import { type Clock, realClock } from '../../util/clock.js';
import { CredentialProvider, type Credentials } from '../config/credentials.js';
import type { RestConfig } from '../config/rest-config.js';
import { ApiError } from '../errors.js';
import { TokenBucket } from '../flowcontrol/token-bucket.js';
import type { KubeObject } from '../object.js';
import { makeAgent } from './agent.js';
import { ChannelClient, ChannelClosedError, type ClientChannelPort, type WholeAnswer } from './channel-client.js';
import { type AnswerStream, WatchIdleError, WatchStream } from './watch-stream.js';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  readonly method: Verb;
  /** The API path, e.g. `/api/v1/namespaces/default/pods` (the server URL's own path is prefixed). */
  readonly path: string;
  readonly query?: Query;
  /** Sent as JSON unless it is a Buffer or string. */
  readonly body?: unknown;
  /** @defaultValue 'application/json' */
  readonly contentType?: string;
  /** The Accept header. @defaultValue 'application/json' */
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

export interface RestClientOptions {
  /** Send requests to an API server in this process instead of over the network. */
  readonly inProcess?: InProcessConnector;
  /**
   * Send requests as messages to an API server on another thread of this process (the request
   * channel of api/transport.ts) instead of as HTTP.
   */
  readonly channel?: ClientChannelPort;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Retries of one request (see the module doc). @defaultValue 10 (client-go's maxRetries) */
  readonly maxRetries?: number;
  /** First retry delay without Retry-After; doubles up to 30 s. @defaultValue 200 */
  readonly retryBackoffMs?: number;
  /**
   * A watch silent this long — from the request on, so also one never answered — is presumed dead
   * and ended with a WatchIdleError. @defaultValue 120000
   */
  readonly watchIdleTimeoutMs?: number;
  /** Where credentials come from. @defaultValue a CredentialProvider over the config */
  readonly credentials?: CredentialProvider;
}

/** A request sent and the head of its answer: over HTTP, node:http's request and response. */
interface Exchange {
  readonly request: { destroy(error?: Error): unknown };
  readonly response: AnswerStream;
  /** The answer whole, when a request channel brought it in one message (see ChannelExchange). */
  readonly whole?: WholeAnswer;
}

const RETRY_CAP_MS = 30_000;

export class RestClient {
  readonly config: RestConfig;
  private readonly base: URL;
  private readonly basePath: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly credentialProvider: CredentialProvider;
  private readonly limiter: TokenBucket | undefined;
  private readonly userAgent: string;
  private agent: Agent | undefined;
  private readonly channel: ChannelClient | undefined;
  /** The client certificate the current agent was built with (exec plugins may rotate it). */
  private agentCert: Buffer | undefined;

  constructor(config: RestConfig, private readonly options: RestClientOptions = {}) {
    this.config = config;
    this.base = new URL(config.server);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.credentialProvider = options.credentials ?? new CredentialProvider(config, { clock: this.clock });
    this.limiter = config.qps !== undefined && config.qps > 0 ? new TokenBucket({ qps: config.qps, burst: Math.max(1, config.burst ?? 10), clock: this.clock }) : undefined;
    this.userAgent = config.userAgent ?? `kubelite-client/0.1 (node ${process.versions.node})`;
    this.channel = options.channel === undefined ? undefined : new ChannelClient(options.channel);
  }

  /** Sends a request and returns its JSON answer; throws ApiError for an error answer. */
  async request<T = unknown>(spec: RequestSpec): Promise<T> {
    const text = await this.requestText(spec);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Like `request`, with the answer's body as text (for callers that decode it themselves). */
  async requestText(spec: RequestSpec): Promise<string> {
    const maxRetries = this.options.maxRetries ?? 10;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      let response: AnswerHead;
      let body: string;
      try {
        const exchange = await this.exchange(spec, undefined, this.config.timeoutMs ?? 60_000);
        if (exchange.whole !== undefined) {
          response = exchange.whole;
          const whole = exchange.whole.body;
          body = typeof whole === 'string' ? whole : whole.toString('utf8');
        } else {
          response = exchange.response;
          body = await readBody(exchange.response);
        }
      } catch (error) {
        // The connection broke: a read is safe to repeat; a write may have been applied. A request
        // channel this client closed stays closed.
        if (spec.signal?.aborted === true || spec.method !== 'GET' || attempt >= maxRetries || error instanceof ChannelClosedError) throw error;
        await this.clock.sleep(this.backoff(attempt), spec.signal);
        continue;
      }
      const code = response.statusCode ?? 0;
      if (code >= 200 && code < 300) return body;
      const error = ApiError.fromResponse(code, body, header(response, 'retry-after'));
      if (code === 401 && !reauthenticated) {
        reauthenticated = true;
        this.credentialProvider.invalidate();
        continue;
      }
      const retryable = code === 429 || (code >= 500 && (error.retryAfterSeconds !== undefined || spec.method === 'GET'));
      if (!retryable || attempt >= maxRetries || spec.signal?.aborted === true) throw error;
      const delay = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : this.backoff(attempt);
      await this.clock.sleep(delay, spec.signal);
    }
  }

  /**
   * Starts a watch: resolves once the server has accepted it (200) with its stream of events, or
   * rejects with the ApiError it answered instead (410 Expired, 404, …).
   */
  async watch<T extends KubeObject = KubeObject>(spec: Omit<RequestSpec, 'method' | 'body' | 'contentType'>): Promise<WatchStream<T>> {
    const idleTimeoutMs = this.options.watchIdleTimeoutMs ?? 120_000;
    // The idle timeout starts with the request, not with the answer: a watch sent on a connection
    // that died silently (a pooled keep-alive socket whose NAT entry expired, a route gone) gets no
    // headers either, and would otherwise wait for TCP to give up, some 15 minutes (client-go closes
    // such connections with an HTTP/2 health check for the same reason: kubernetes PR #95981, issue
    // #87615). The server flushes a watch's headers at once, so a healthy one answers well within it.
    const { request, response } = await this.exchange({ ...spec, method: 'GET', query: { ...spec.query, watch: true } }, idleTimeoutMs);
    const code = response.statusCode ?? 0;
    if (code !== 200) {
      const body = await readBody(response);
      throw ApiError.fromResponse(code, body, header(response, 'retry-after'));
    }
    return new WatchStream<T>(request, response, idleTimeoutMs);
  }

  /** Closes the connections (requests still under way fail); a request channel is closed for good. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.channel?.close();
  }

  /** The full request target for `path` and `query`. */
  target(path: string, query: Query | undefined): string {
    let target = this.basePath + path;
    if (query !== undefined) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
      const text = params.toString();
      if (text !== '') target += `?${text}`;
    }
    return target;
  }

  private backoff(attempt: number): number {
    const base = (this.options.retryBackoffMs ?? 200) * 2 ** Math.min(attempt, 16);
    return Math.min(RETRY_CAP_MS, base * (1 + this.random()));
  }

  /**
   * Sends one request and waits for the answer's headers; with `headersTimeoutMs`, a request that
   * gets none that long fails with a {@link WatchIdleError}. With `idleTimeoutMs`, a connection that
   * carries nothing that long while the request or its answer is under way is given up: a pooled
   * connection that died silently would otherwise hold a LIST until TCP gives up, many minutes.
   */
  private async exchange(spec: RequestSpec, headersTimeoutMs?: number, idleTimeoutMs?: number): Promise<Exchange> {
    if (this.limiter !== undefined) await this.limiter.wait(spec.signal);
    const credentials = await this.credentialProvider.credentials();
    if (this.channel !== undefined) return this.exchangeOverChannel(this.channel, spec, credentials, headersTimeoutMs, idleTimeoutMs);
    const agent = this.agentFor(credentials);
    const payload = encodeBody(spec.body);
    const headers: OutgoingHttpHeaders = this.headersFor(spec, credentials, payload?.length);
    const send = this.base.protocol === 'https:' && this.options.inProcess === undefined ? httpsRequest : httpRequest;
    return new Promise<Exchange>((resolve, reject) => {
      const request = send(
        {
          protocol: this.options.inProcess === undefined ? this.base.protocol : 'http:',
          hostname: this.base.hostname,
          port: this.base.port,
          path: this.target(spec.path, spec.query),
          method: spec.method,
          headers,
          agent,
          ...(idleTimeoutMs === undefined ? {} : { timeout: idleTimeoutMs }),
          ...(spec.signal === undefined ? {} : { signal: spec.signal }),
        },
        (response) => {
          clearTimeout(timer);
          resolve({ request, response });
        },
      );
      const timer =
        headersTimeoutMs === undefined
          ? undefined
          : setTimeout(() => request.destroy(noAnswer(headersTimeoutMs)), headersTimeoutMs);
      timer?.unref();
      if (idleTimeoutMs !== undefined) {
        request.on('timeout', () => request.destroy(new Error(`the connection carried nothing for ${idleTimeoutMs / 1000} s; it is presumed dead`)));
      }
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(payload);
    });
  }

  /**
   * Sends one request over the request channel. Only the wait for the head is timed: a thread of
   * this process cannot fall silent as a connection can, and a watch's body has its own idle timer.
   */
  private exchangeOverChannel(channel: ChannelClient, spec: RequestSpec, credentials: Credentials, headersTimeoutMs?: number, idleTimeoutMs?: number): Promise<Exchange> {
    const body = channelBody(spec.body);
    const headers = this.headersFor(spec, credentials, body === undefined ? undefined : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    const timeoutMs = headersTimeoutMs ?? idleTimeoutMs;
    return channel.send({
      method: spec.method,
      target: this.target(spec.path, spec.query),
      headers,
      body,
      ...(spec.signal === undefined ? {} : { signal: spec.signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      timeoutError: () =>
        headersTimeoutMs === undefined
          ? new Error(`the API server sent no answer for ${timeoutMs === undefined ? 0 : timeoutMs / 1000} s`)
          : noAnswer(headersTimeoutMs),
    });
  }

  /** A request's headers (lowercase names, which HTTP and the request channel both take); `bodyBytes` when it has a body. */
  private headersFor(spec: RequestSpec, credentials: Credentials, bodyBytes: number | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: spec.accept ?? 'application/json', 'user-agent': this.userAgent };
    if (bodyBytes !== undefined) {
      headers['content-type'] = spec.contentType ?? 'application/json';
      headers['content-length'] = String(bodyBytes);
    }
    if (credentials.token !== undefined) headers.authorization = `Bearer ${credentials.token}`;
    else if (credentials.basic !== undefined) headers.authorization = `Basic ${credentials.basic}`;
    return headers;
  }

  private agentFor(credentials: Credentials): Agent {
    if (this.agent !== undefined && this.agentCert === credentials.cert) return this.agent;
    this.agent?.destroy();
    this.agentCert = credentials.cert;
    this.agent = makeAgent({
      url: this.base,
      ...(this.config.tls === undefined ? {} : { tls: this.config.tls }),
      ...(credentials.cert === undefined ? {} : { cert: credentials.cert }),
      ...(credentials.key === undefined ? {} : { key: credentials.key }),
      ...(this.options.inProcess === undefined ? {} : { inProcess: this.options.inProcess }),
    });
    return this.agent;
  }
}

/** A request that got no answer's head in `ms`: the connection (or channel) is presumed dead. */
function noAnswer(ms: number): WatchIdleError {
  return new WatchIdleError(`the server sent no answer for ${ms / 1000} s; the connection is presumed dead`);
}

/** A body as a message carries it: text as is; bytes in a buffer of their own (not a pooled Buffer's slab). */
function channelBody(body: unknown): string | Uint8Array | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  return JSON.stringify(body);
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

/**
 * Reads a whole answer. The listeners come off at the end: the response object can outlive the
 * request (in the agent's bookkeeping), and listeners left on it would keep the chunks and the
 * promise holding the text — a 130 MiB list body — alive after the caller has parsed it.
 */
function readBody(response: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => void chunks.push(chunk);
    const detach = (): void => {
      response.off('data', onData);
      response.off('end', onEnd);
      response.off('error', onError);
    };
    const onEnd = (): void => {
      detach();
      const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      chunks = [];
      resolve(text);
    };
    const onError = (error: Error): void => {
      detach();
      chunks = [];
      reject(error);
    };
    response.on('data', onData);
    response.on('end', onEnd);
    response.on('error', onError);
  });
}

/** What the status and headers of an answer are read from. */
interface AnswerHead {
  readonly statusCode?: number | undefined;
  readonly headers: AnswerStream['headers'];
}

function header(response: AnswerHead, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
