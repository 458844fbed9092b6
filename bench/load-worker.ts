/**
 * @module
 * The `api` suite's load generator, a child process of its own so that making requests and reading
 * responses never shares an event loop with the server under test (the machine has 2 cores: one
 * for the server process, one for this). It uses node:http with keep-alive agents, as Kubernetes
 * clients keep their connections.
 *
 * - `load`: closed-loop load — `concurrency` loops, each sending a request and waiting for the
 *   whole response before the next — for a fixed time; requests/s and latency percentiles.
 * - `sequential`: one request at a time (lists), latency to the last byte of the body.
 * - Watches: opens many watch streams, counts the event lines each receives, and notes the time
 *   when every stream has received a given number of them.
 *
 * The time the last delivery arrives is taken with `monotonicMs()` (rpc.ts), because the suite
 * compares it with the time the server process started writing; everything else uses
 * `performance.now()`.
 */
import { Agent, type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { percentile, withTimeout } from './measure.js';
import { monotonicMs, serveRpc } from './rpc.js';

/** Where requests go: a server on loopback. */
export interface Target {
  readonly port: number;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadSpec extends Target {
  /** Requests carry `before + <unique name> + after` as a JSON body (creates); none when absent. */
  readonly body?: { readonly before: string; readonly after: string; readonly namePrefix: string };
  /** The status every response must have; anything else fails the run. */
  readonly expectStatus: number;
  readonly concurrency: number;
  readonly durationMs: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly perSecond: number;
  /** Milliseconds, from sending the request to the last byte of the response. */
  readonly p50: number;
  readonly p99: number;
}

export interface SequentialSpec extends Target {
  readonly expectStatus: number;
  readonly durationMs: number;
  /** Keep going past `durationMs` until there are this many samples (but never past 5 × durationMs). */
  readonly minSamples: number;
  /** Exactly this many requests instead, however long they take. */
  readonly count?: number;
}

export interface SequentialResult {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  /** Body bytes of the last response (a check that every variant moved what it should). */
  readonly bytes: number;
}

export interface OneResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface LoadWorkerApi {
  request(arg: Target & { readonly body?: string }): Promise<OneResponse>;
  load(arg: LoadSpec): Promise<LoadResult>;
  sequential(arg: SequentialSpec): Promise<SequentialResult>;
  /** Opens `count` watch streams on `path`; resolves when every one has its response headers. */
  openWatches(arg: Target & { readonly count: number }): Promise<void>;
  /** From now, note the time when every open stream has received `perStream` event lines in all. */
  armDeliveries(arg: { readonly perStream: number }): Promise<void>;
  /** Waits for the armed count; the time it was reached, and the fewest and most lines any stream got. */
  awaitDeliveries(arg: { readonly timeoutMs: number }): Promise<{ readonly atMs: number; readonly fewest: number; readonly most: number }>;
  closeWatches(): Promise<void>;
  /** CPU time this process has used (user + system), in ms. */
  cpuMs(): Promise<number>;
}

/** Connections opened at once when opening watches: more would overflow the server's listen backlog (511). */
const WATCH_OPEN_WAVE = 100;

/** Sends one request and reads the whole response, keeping the body only if asked. */
function send(agent: Agent | false, target: Target, body: string | undefined, keep: boolean): Promise<{ status: number; bytes: number; response: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(target.headers ?? {}) };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const request = httpRequest(
      { host: '127.0.0.1', port: target.port, path: target.path, method: target.method ?? 'GET', agent, headers },
      (response) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, bytes, response, text: keep ? Buffer.concat(chunks).toString('utf8') : '' }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** One open watch stream and the event lines it has received. */
interface Stream {
  readonly request: ClientRequest;
  lines: number;
  ended: boolean;
}

class Watches {
  private streams: Stream[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  private total = 0;
  private armed:
    | { readonly target: number; atMs: number | undefined; failure: string | undefined; wake: (() => void) | undefined }
    | undefined;

  async open(target: Target, count: number): Promise<void> {
    for (let opened = 0; opened < count; opened += WATCH_OPEN_WAVE) {
      const wave = Math.min(WATCH_OPEN_WAVE, count - opened);
      await Promise.all(Array.from({ length: wave }, () => this.openOne(target)));
    }
  }

  arm(perStream: number): void {
    this.armed = { target: perStream * this.streams.length, atMs: undefined, failure: undefined, wake: undefined };
    this.check();
  }

  async wait(timeoutMs: number): Promise<{ atMs: number; fewest: number; most: number }> {
    const armed = this.armed;
    if (armed === undefined) throw new Error('awaitDeliveries before armDeliveries');
    if (armed.atMs === undefined && armed.failure === undefined) {
      const reached = new Promise<void>((resolve) => {
        armed.wake = resolve;
      });
      await withTimeout(reached, timeoutMs, `${armed.target} watch deliveries (got ${this.total})`);
    }
    if (armed.failure !== undefined) throw new Error(armed.failure);
    const counts = this.streams.map((stream) => stream.lines);
    return { atMs: armed.atMs ?? Number.NaN, fewest: Math.min(...counts), most: Math.max(...counts) };
  }

  close(): void {
    for (const stream of this.streams) stream.request.destroy();
    this.streams = [];
    this.total = 0;
    this.armed = undefined;
  }

  private openOne(target: Target): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: target.port, path: target.path, agent: this.agent, headers: target.headers ?? {} });
      const stream: Stream = { request, lines: 0, ended: false };
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`watch ${target.path}: HTTP ${String(response.statusCode)}`));
          return;
        }
        this.streams.push(stream);
        response.on('data', (chunk: Buffer) => {
          // Every event is one line; counting newlines is all the reading a count needs.
          let lines = 0;
          for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
          stream.lines += lines;
          this.total += lines;
          this.check();
        });
        // A stream the server ends early (it dropped a watcher that fell behind) can never be
        // counted complete: fail at once rather than at the timeout.
        response.on('end', () => this.ended(stream, target.path));
        response.on('error', () => this.ended(stream, target.path));
        resolve();
      });
      request.on('error', (error) => {
        // A destroyed stream (closeWatches) errors too; only a failure to open matters.
        if (!this.streams.includes(stream)) reject(error);
      });
      request.end();
    });
  }

  private ended(stream: Stream, path: string): void {
    if (stream.ended || !this.streams.includes(stream)) return;
    stream.ended = true;
    const armed = this.armed;
    if (armed === undefined || armed.atMs !== undefined) return;
    armed.failure = `watch ${path} ended after ${stream.lines} events, before the benchmark closed it`;
    armed.wake?.();
  }

  private check(): void {
    const armed = this.armed;
    if (armed === undefined || armed.atMs !== undefined || this.total < armed.target) return;
    armed.atMs = monotonicMs();
    armed.wake?.();
  }
}

const watches = new Watches();

async function load(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const samples: number[] = [];
  let next = 0;
  let unexpected: string | undefined;
  const start = performance.now();
  const deadline = start + spec.durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline && unexpected === undefined) {
      const body = spec.body === undefined ? undefined : `${spec.body.before}${spec.body.namePrefix}${next++}${spec.body.after}`;
      const sent = performance.now();
      const { status } = await send(agent, spec, body, false);
      samples.push(performance.now() - sent);
      if (status !== spec.expectStatus) unexpected = `${spec.method ?? 'GET'} ${spec.path}: HTTP ${status}, expected ${spec.expectStatus}`;
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.concurrency }, loop));
  } finally {
    agent.destroy();
  }
  if (unexpected !== undefined) throw new Error(unexpected);
  const seconds = (performance.now() - start) / 1000;
  return { requests: samples.length, perSecond: samples.length / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function sequential(spec: SequentialSpec): Promise<SequentialResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let bytes = 0;
  try {
    const begin = performance.now();
    for (;;) {
      const elapsed = performance.now() - begin;
      if (spec.count !== undefined ? samples.length >= spec.count : elapsed >= 5 * spec.durationMs || (elapsed >= spec.durationMs && samples.length >= spec.minSamples)) {
        break;
      }
      const sent = performance.now();
      const response = await send(agent, spec, undefined, false);
      samples.push(performance.now() - sent);
      if (response.status !== spec.expectStatus) throw new Error(`GET ${spec.path}: HTTP ${response.status}, expected ${spec.expectStatus}`);
      bytes = response.bytes;
    }
  } finally {
    agent.destroy();
  }
  return { samples: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), bytes };
}

const api: LoadWorkerApi = {
  async request(arg) {
    const response = await send(false, arg, arg.body, true);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.status, headers, body: response.text };
  },
  load,
  sequential,
  openWatches: (arg) => watches.open(arg, arg.count),
  async armDeliveries(arg) {
    watches.arm(arg.perStream);
  },
  awaitDeliveries: (arg) => watches.wait(arg.timeoutMs),
  async closeWatches() {
    watches.close();
  },
  async cpuMs() {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  },
};

// Only as a child process: the suite imports this module for its types and `monotonicMs`.
if (process.send !== undefined && process.argv[1]?.endsWith('load-worker.js') === true) {
  serveRpc<LoadWorkerApi>(api, async () => watches.close());
}
