/**
 * Starts a real API server in-process on a free port over a chosen storage backend, for HTTP tests:
 * memory, a SQLite file, or the shared test etcd (with a key prefix of its own).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, type ApiServerOptions } from '../../src/apiserver/server.js';
import { openEtcdStore } from '../../src/storage/etcd/etcd-store.js';
import type { Store } from '../../src/storage/interface.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { sharedTestEtcd } from '../../src/testing/etcd-server.js';
import { HttpClient } from '../../src/testing/http-client.js';
import { silentLogger } from '../../src/util/logger.js';

export type Backend = 'memory' | 'sqlite' | 'etcd';

export const BACKENDS: readonly Backend[] = ['memory', 'sqlite', 'etcd'];

export interface RunningApi {
  readonly server: ApiServer;
  readonly store: Store;
  readonly client: HttpClient;
  readonly url: string;
  /** Replaces the server with a new one on the same store (its caches start from storage again). */
  restart(before?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

let etcd: Awaited<ReturnType<typeof sharedTestEtcd>> | undefined;

/** The shared etcd, started on first use; `releaseTestEtcd` stops it if this file started it. */
async function etcdEndpoints(): Promise<readonly string[]> {
  etcd ??= await sharedTestEtcd();
  return etcd.endpoints;
}

export async function releaseTestEtcd(): Promise<void> {
  await etcd?.release();
  etcd = undefined;
}

export async function openTestStore(backend: Backend): Promise<{ store: Store; cleanup: () => void }> {
  switch (backend) {
    case 'memory':
      return { store: new MemoryStore({ logger: silentLogger, compaction: false, progressNotifyIntervalMs: 200 }), cleanup: () => undefined };
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'kubelite-api-'));
      const store = await openSqliteStore(join(dir, 'kubelite.db'), { logger: silentLogger, compaction: false, progressNotifyIntervalMs: 200 });
      return { store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    }
    case 'etcd': {
      const store = await openEtcdStore({ endpoints: await etcdEndpoints(), keyPrefix: `/api-${randomUUID()}`, logger: silentLogger, compaction: false });
      return { store, cleanup: () => undefined };
    }
    default: {
      const never: never = backend;
      throw new Error(`unknown backend ${String(never)}`);
    }
  }
}

export async function startApi(backend: Backend, options: Partial<ApiServerOptions> = {}): Promise<RunningApi> {
  const { store, cleanup } = await openTestStore(backend);
  const serve = async (): Promise<{ server: ApiServer; client: HttpClient; url: string }> => {
    const server = new ApiServer({ store, logger: silentLogger, watchCache: { bookmarkIntervalMs: 1000 }, ...options });
    await server.start();
    const address = await server.listen(0);
    const url = `http://127.0.0.1:${address.port}`;
    return { server, client: new HttpClient(url), url };
  };
  let current = await serve();
  return {
    get server() {
      return current.server;
    },
    get client() {
      return current.client;
    },
    get url() {
      return current.url;
    },
    store,
    async restart(between) {
      current.client.close();
      await current.server.close();
      await between?.();
      current = await serve();
    },
    async close() {
      current.client.close();
      await current.server.close();
      await store.close();
      cleanup();
    },
  };
}
