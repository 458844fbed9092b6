/**
 * @module
 * `kubelite/testing`: a real kubelite control plane inside a test. {@link startTestCluster} starts an
 * API server on memory (or SQLite) storage in the test's own process — optionally with the
 * controller-manager, the scheduler and simulated nodes, and listening on a loopback port with a
 * kubeconfig for kubectl — installs CRDs, and hands back clients that reach it over the in-process
 * transport. Everything between those clients and the server passes a fault layer ({@link Faults}),
 * so a test can make chosen requests conflict, fail, slow down or lose their watches, and see that
 * the controller under test recovers. The control plane's own parts bypass the faults.
 *
 * It is envtest's role (controller-runtime pkg/envtest), without binaries to download: the server
 * is the same one `kubelite up` runs, so whatever a controller sees here it sees there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ApiServer } from '../apiserver/server.js';
import { writeKubeconfig } from '../cli/kubeconfig.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { KubeClient } from '../client/kube-client.js';
import type { RestClientOptions } from '../client/rest/rest-client.js';
import type { Store } from '../storage/interface.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { openSqliteStore } from '../storage/sqlite/sqlite-store.js';
import { type Logger, errorMessage, silentLogger } from '../util/logger.js';
import { MemorySocket } from '../util/memory-socket.js';
import { installCrds } from './crds.js';
import { Faults } from './faults.js';

export interface TestClusterOptions {
  /**
   * Where objects are kept: in memory, or in a SQLite file (`'sqlite'`: a temporary one, removed at
   * stop; `{ sqlite: path }`: that file, kept). @defaultValue 'memory'
   */
  readonly storage?: 'memory' | 'sqlite' | { readonly sqlite: string };
  /** Run the controller-manager and the scheduler. @defaultValue false */
  readonly controllers?: boolean;
  /** Run this many simulated nodes (pods bound to them become Running). @defaultValue 0 */
  readonly nodes?: number;
  /** CRDs to install before the cluster is handed over: YAML texts or paths of YAML files. */
  readonly crds?: readonly string[];
  /** Also listen on a loopback port and write a kubeconfig, for kubectl or other processes. @defaultValue false */
  readonly listen?: boolean;
  /** Where the server and the control plane log. @defaultValue silent */
  readonly logger?: Logger;
}

export interface TestCluster extends AsyncDisposable {
  /** A client of the cluster through the fault layer (namespace `default`). */
  readonly client: KubeClient;
  /** The faults in force for every client of {@link newClient} (and {@link client}). */
  readonly faults: Faults;
  /** The API server itself, for what only a server can say (its metrics, its registry). */
  readonly server: ApiServer;
  /** The URL it listens on, with `listen`. */
  readonly url: string | undefined;
  /** A kubeconfig file pointing at {@link url}, with `listen`. */
  readonly kubeconfig: string | undefined;
  /** Another client through the fault layer, with options of its own (rate limits, user agent, …). */
  newClient(options?: Omit<RestClientOptions, 'inProcess'>): KubeClient;
  /** Installs CRDs (YAML texts or file paths) and resolves once each is served. */
  installCrds(...manifests: string[]): Promise<void>;
  /** Stops the control plane and the server, closes the store; removes temporary files. */
  stop(): Promise<void>;
}

/** Starts a test cluster; see {@link TestClusterOptions} for what runs. */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const logger = options.logger ?? silentLogger;
  const cleanups: (() => void | Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const store = await openTestStore(options.storage ?? 'memory', cleanups);
    const server = new ApiServer({ store, logger });
    await server.start();
    cleanups.push(() => server.close());

    const faults = new Faults();
    const handler = (request: IncomingMessage, response: ServerResponse): void =>
      faults.handle(request, response, (req, res) => server.handle(req, res));
    const front = createServer({ maxHeaderSize: 64 * 1024 }, handler);
    cleanups.push(() => front.closeAllConnections());
    const connect = (): Duplex => {
      const [client, serverEnd] = MemorySocket.pair();
      front.emit('connection', serverEnd);
      return client;
    };
    const clients: KubeClient[] = [];
    cleanups.push(() => {
      for (const client of clients) client.close();
    });
    const newClient = (clientOptions: Omit<RestClientOptions, 'inProcess'> = {}): KubeClient => {
      const client = KubeClient.inProcess({ connect }, clientOptions);
      clients.push(client);
      return client;
    };
    const client = newClient();

    let url: string | undefined;
    let kubeconfig: string | undefined;
    if (options.listen === true) {
      ({ url, kubeconfig } = await listenOnLoopback(handler, cleanups));
    }

    const plane = await startControlPlane(server, options, logger);
    cleanups.push(plane.stop);

    if (options.crds !== undefined && options.crds.length > 0) await installCrds(client, options.crds);
    await plane.ready();

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopped ??= cleanUp());
    return {
      client,
      faults,
      server,
      url,
      kubeconfig,
      newClient,
      installCrds: (...manifests) => installCrds(client, manifests),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function openTestStore(storage: NonNullable<TestClusterOptions['storage']>, cleanups: (() => void | Promise<void>)[]): Promise<Store> {
  if (storage === 'memory') {
    const store = new MemoryStore({ logger: silentLogger });
    cleanups.push(() => store.close());
    return store;
  }
  let path: string;
  if (storage === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kubelite-test-cluster-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    path = join(dir, 'kubelite.db');
  } else {
    path = storage.sqlite;
  }
  const store = await openSqliteStore(path, { logger: silentLogger });
  cleanups.push(() => store.close());
  return store;
}

async function listenOnLoopback(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  cleanups: (() => void | Promise<void>)[],
): Promise<{ url: string; kubeconfig: string }> {
  const listening = createServer({ maxHeaderSize: 64 * 1024 }, handler);
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(0, '127.0.0.1', () => resolve());
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        listening.closeAllConnections();
        listening.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${String((listening.address() as AddressInfo).port)}`;
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-test-kubeconfig-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, url);
  return { url, kubeconfig };
}

/**
 * The control plane's parts, on a client of their own straight to the server (no faults). Their
 * modules are loaded only when asked for: a test of one controller does not pay for all of them.
 */
async function startControlPlane(server: ApiServer, options: TestClusterOptions, logger: Logger): Promise<{ ready: () => Promise<void>; stop: () => Promise<void> }> {
  const nodes = options.nodes ?? 0;
  if (options.controllers !== true && nodes === 0) return { ready: () => Promise.resolve(), stop: () => Promise.resolve() };
  const { controllerManager, scheduler, simulatedNodes } = await import('../cli/control-plane.js');
  const client = KubeClient.inProcess({ connect: () => server.connect() });
  const abort = new AbortController();
  const runs: Promise<void>[] = [];
  // One informer per resource for every part, as in `kubelite up`: pods and nodes are decoded and
  // cached once for the controllers, the scheduler and the nodes alike.
  const informers = new SharedInformerFactory(client, { logger });
  if (options.controllers === true) {
    runs.push(controllerManager({ client, logger, informers }).run(abort.signal));
    runs.push(scheduler({ client, logger, informers }).run(abort.signal));
  }
  const simulator = nodes > 0 ? simulatedNodes({ client, logger, count: nodes, informers }) : undefined;
  if (simulator !== undefined) runs.push(simulator.run(abort.signal));
  // A part that fails before the test stops it would otherwise go unnoticed.
  const running = Promise.all(runs);
  running.catch((error: unknown) => logger.error(`test cluster control plane stopped: ${String(error)}`));
  return {
    ready: () => (simulator === undefined ? Promise.resolve() : nodesRegistered(simulator, nodes, running, abort.signal)),
    stop: async () => {
      abort.abort();
      await running.catch(() => undefined);
      client.close();
    },
  };
}

/** How long the simulated nodes may take to register before starting the cluster fails. */
const NODES_READY_TIMEOUT_MS = 30_000;

/**
 * Resolves once `count` simulated nodes have registered; rejects if the control plane stops first
 * (with its error) or the nodes take longer than {@link NODES_READY_TIMEOUT_MS}, so a failing
 * simulator fails startTestCluster instead of hanging it.
 */
export async function nodesRegistered(simulator: { readonly registeredCount: number }, count: number, running: Promise<unknown>, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + NODES_READY_TIMEOUT_MS;
  let stopped: { readonly error: unknown } | undefined;
  running.then(
    () => (stopped ??= { error: new Error('the control plane stopped') }),
    (error: unknown) => (stopped ??= { error }),
  );
  while (simulator.registeredCount < count) {
    if (signal.aborted) return;
    if (stopped !== undefined) {
      throw new Error(`test cluster: the control plane stopped before ${count} simulated nodes registered: ${errorMessage(stopped.error)}`, { cause: stopped.error });
    }
    if (Date.now() > deadline) {
      throw new Error(`test cluster: only ${simulator.registeredCount} of ${count} simulated nodes registered within ${NODES_READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
