/**
 * @module
 * The `api` suite's server process: it runs kubelite (an ApiServer over a SQLite store in a file,
 * or over a MemoryStore for the `crd` suite)
 * and the anchors it is compared with — bare node:http servers doing the least a server can do for
 * the same response — so that they take turns on the same core, apart from the load worker. It also
 * does the work that belongs on the server's side of a figure: writing pods straight to the store
 * for the watchers, the raw per-commit SQLite anchor, and memory readings of this process.
 *
 * The suite forks one host per part (a fresh process for the list figures, so its memory readings
 * see only that ApiServer) and drives it through `ApiHostApi`. With `--cpu-prof` in its execArgv,
 * the profile is the server side's alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { JsonObject } from '../src/api/json.js';
import { ApiServer } from '../src/apiserver/server.js';
import { PODS } from '../src/apiserver/resources/pods.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { type SqliteStore, openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { silentLogger } from '../src/util/logger.js';
import { addedEventLine, podStorageKey, storedPod } from './api-pods.js';
import { throughput } from './measure.js';
import { type MemoryReading, PeakMemory, memoryNow } from './peak-memory.js';
import { pod, podKey } from './pods.js';
import { monotonicMs, serveRpc } from './rpc.js';
import { RawSqlite } from './storage-anchors.js';

export interface WriteResult {
  /** monotonicMs() just before the first write. */
  readonly startMs: number;
  /** Writes and group commits the store made meanwhile (writes ÷ commits = events per watch batch). */
  readonly writes: number;
  readonly commits: number;
}

export interface ApiHostApi {
  /** Opens the SQLite store kubelite will serve (its file is created if missing). */
  openStore(arg: { readonly path: string }): Promise<void>;
  /** Constructs the ApiServer over the open store (registry, schemas, empty caches). */
  createServer(): Promise<void>;
  /** Fills the watch caches from the store and listens on a free loopback port. */
  startServer(): Promise<{ readonly port: number }>;
  /** openStore, createServer and startServer in one. */
  startKubelite(arg: { readonly path: string }): Promise<{ readonly port: number }>;
  /** Like startKubelite, on a MemoryStore: no disk in the write path (the crd suite's second view). */
  startKubeliteInMemory(): Promise<{ readonly port: number }>;
  /** Closes the ApiServer and the store, and deletes the store's files when asked. */
  stopKubelite(arg: { readonly deleteFiles: boolean }): Promise<void>;
  /** Creates pods `${prefix}0` … `${prefix}${count - 1}` straight in the store, `writers` at a time. */
  writePods(arg: { readonly template: JsonObject; readonly prefix: string; readonly count: number; readonly writers: number }): Promise<WriteResult>;
  /** Store counters: writes acknowledged and group commits made. */
  storeStats(): Promise<{ readonly writes: number; readonly commits: number }>;
  /** Open watches: on kubelite's pods plus on the watch anchor. */
  watcherCount(): Promise<number>;
  /** A bare server answering every request with `body` and `headers`. */
  startGetAnchor(arg: { readonly body: string; readonly headers: Readonly<Record<string, string>> }): Promise<{ readonly port: number }>;
  /** A bare server holding every request as an open chunked watch response. */
  startWatchAnchor(): Promise<{ readonly port: number }>;
  /**
   * Writes the ADDED lines of pods `${prefix}0…` to every held watch response, `batch` lines per
   * chunk, waiting for a response to drain whenever its socket is full, as kubelite's watch does.
   */
  anchorWatchWrite(arg: {
    readonly template: JsonObject;
    readonly prefix: string;
    readonly count: number;
    readonly batch: number;
    readonly firstRevision: number;
  }): Promise<{ readonly startMs: number }>;
  /** Creates/s of raw better-sqlite3, one INSERT per transaction, on a fresh file under `dir`. */
  rawCreates(arg: { readonly dir: string; readonly durationMs: number; readonly warmupMs: number }): Promise<number>;
  memory(arg: { readonly gc: boolean }): Promise<MemoryReading>;
  /** Starts a peak-memory window, after a full GC when asked. */
  startPeakMemory(arg: { readonly gc: boolean }): Promise<void>;
  stopPeakMemory(): Promise<MemoryReading>;
  /** CPU time this process has used (user + system), in ms. */
  cpuMs(): Promise<number>;
}

/** kubelite's node:http settings (ApiServer.listen), so the anchors' connections behave alike. */
const HTTP_OPTIONS = { maxHeaderSize: 64 * 1024, keepAliveTimeout: 30_000 } as const;
/** The headers kubelite's watch responses carry (handlers/watch.ts). */
const WATCH_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' } as const;

class Host implements ApiHostApi {
  private store: SqliteStore | undefined;
  private memoryStore: MemoryStore | undefined;
  private storePath: string | undefined;
  private server: ApiServer | undefined;
  private readonly anchors: Server[] = [];
  private readonly watchResponses = new Set<ServerResponse>();
  private readonly peak = new PeakMemory();

  async openStore({ path }: { readonly path: string }): Promise<void> {
    if (this.store !== undefined) throw new Error('a store is already open');
    this.store = await openSqliteStore(path, { logger: silentLogger, compaction: false });
    this.storePath = path;
  }

  async createServer(): Promise<void> {
    this.server = new ApiServer({ store: this.openedStore(), logger: silentLogger });
  }

  async startServer(): Promise<{ readonly port: number }> {
    const server = this.server;
    if (server === undefined) throw new Error('createServer first');
    await server.start();
    return { port: (await server.listen(0)).port };
  }

  async startKubelite(arg: { readonly path: string }): Promise<{ readonly port: number }> {
    await this.openStore(arg);
    await this.createServer();
    return this.startServer();
  }

  async startKubeliteInMemory(): Promise<{ readonly port: number }> {
    if (this.store !== undefined || this.memoryStore !== undefined) throw new Error('a store is already open');
    this.memoryStore = new MemoryStore({ logger: silentLogger, compaction: false });
    this.server = new ApiServer({ store: this.memoryStore, logger: silentLogger });
    return this.startServer();
  }

  async stopKubelite({ deleteFiles }: { readonly deleteFiles: boolean }): Promise<void> {
    await this.server?.close();
    this.server = undefined;
    await this.memoryStore?.close();
    this.memoryStore = undefined;
    await this.store?.close();
    this.store = undefined;
    if (deleteFiles && this.storePath !== undefined) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.storePath}${suffix}`, { force: true });
    }
    this.storePath = undefined;
  }

  async writePods(arg: { readonly template: JsonObject; readonly prefix: string; readonly count: number; readonly writers: number }): Promise<WriteResult> {
    const store = this.openedStore();
    // Built before the clock starts: the figure is about serving the writes, not making them.
    const keys = Array.from({ length: arg.count }, (_, i) => podStorageKey(`${arg.prefix}${i}`));
    const values = Array.from({ length: arg.count }, (_, i) => storedPod(arg.template, `${arg.prefix}${i}`));
    const before = store.stats;
    let next = 0;
    const startMs = monotonicMs();
    const writer = async (): Promise<void> => {
      for (let i = next++; i < arg.count; i = next++) await store.create(keys[i] as string, values[i] as string);
    };
    await Promise.all(Array.from({ length: arg.writers }, writer));
    const after = store.stats;
    return { startMs, writes: after.writes - before.writes, commits: after.commits - before.commits };
  }

  async storeStats(): Promise<{ readonly writes: number; readonly commits: number }> {
    return this.openedStore().stats;
  }

  async watcherCount(): Promise<number> {
    const pods = this.server?.storeOf(PODS.group, PODS.version, PODS.resource);
    return (pods?.cache.watcherCount ?? 0) + this.watchResponses.size;
  }

  async startGetAnchor({ body, headers }: { readonly body: string; readonly headers: Readonly<Record<string, string>> }): Promise<{ readonly port: number }> {
    const bytes = Buffer.from(body);
    const allHeaders = { ...headers, 'Content-Length': String(bytes.length) };
    return this.listen(
      createServer(HTTP_OPTIONS, (_request, response) => {
        response.writeHead(200, allHeaders);
        response.end(bytes);
      }),
    );
  }

  async startWatchAnchor(): Promise<{ readonly port: number }> {
    return this.listen(
      createServer(HTTP_OPTIONS, (_request, response) => {
        response.writeHead(200, WATCH_HEADERS);
        response.flushHeaders();
        this.watchResponses.add(response);
        response.once('close', () => this.watchResponses.delete(response));
      }),
    );
  }

  async anchorWatchWrite(arg: {
    readonly template: JsonObject;
    readonly prefix: string;
    readonly count: number;
    readonly batch: number;
    readonly firstRevision: number;
  }): Promise<{ readonly startMs: number }> {
    // Lines and chunks are built before the clock starts, once, and shared by every response.
    const lines = Array.from({ length: arg.count }, (_, i) => addedEventLine(arg.template, `${arg.prefix}${i}`, arg.firstRevision + i));
    const chunks: Buffer[] = [];
    for (let i = 0; i < lines.length; i += arg.batch) chunks.push(Buffer.concat(lines.slice(i, i + arg.batch)));
    const responses = [...this.watchResponses];
    const startMs = monotonicMs();
    await Promise.all(
      responses.map(async (response) => {
        for (const chunk of chunks) {
          if (!response.write(chunk)) await drained(response);
          if (response.destroyed) throw new Error('a watch response closed while the anchor was writing');
        }
      }),
    );
    return { startMs };
  }

  async rawCreates({ dir, durationMs, warmupMs }: { readonly dir: string; readonly durationMs: number; readonly warmupMs: number }): Promise<number> {
    const fileDir = mkdtempSync(join(dir, 'raw-'));
    try {
      const raw = new RawSqlite(join(fileDir, 'raw.db'));
      try {
        // The storage suite's anchor exactly: its values (2.9 KB) and keys, one writer.
        const insert = (i: number): void => raw.insert(podKey('/registry/pods/bench-create/', i), pod(i));
        return await throughput(insert, { concurrency: 1, durationMs, warmupMs });
      } finally {
        raw.close();
      }
    } finally {
      rmSync(fileDir, { recursive: true, force: true });
    }
  }

  async memory({ gc }: { readonly gc: boolean }): Promise<MemoryReading> {
    return memoryNow(gc);
  }

  async startPeakMemory({ gc }: { readonly gc: boolean }): Promise<void> {
    if (gc) memoryNow(true);
    this.peak.start();
  }

  async stopPeakMemory(): Promise<MemoryReading> {
    return this.peak.stop();
  }

  async cpuMs(): Promise<number> {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }

  async shutdown(): Promise<void> {
    for (const response of this.watchResponses) response.destroy();
    await Promise.all(
      this.anchors.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
    await this.stopKubelite({ deleteFiles: false });
  }

  private openedStore(): SqliteStore {
    if (this.store === undefined) throw new Error('openStore first');
    return this.store;
  }

  private listen(server: Server): Promise<{ readonly port: number }> {
    this.anchors.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port }));
    });
  }
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

// Only as a child process: the suite imports this module for its types.
if (process.send !== undefined && process.argv[1]?.endsWith('api-host.js') === true) {
  const host = new Host();
  serveRpc<ApiHostApi>(host, () => host.shutdown());
}
