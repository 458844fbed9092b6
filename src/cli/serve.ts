/**
 * @module
 * Running an API server from the command line until Ctrl-C: `kubelite apiserver` (any storage) and
 * `kubelite up` (embedded SQLite under a data directory). Shutdown stops accepting requests, ends
 * watches, and closes the store, so every acknowledged write is on disk before the process exits.
 */
import { ApiServer } from '../apiserver/server.js';
import { openStore } from '../storage/open-store.js';
import type { Logger } from '../util/logger.js';
import { DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS } from '../controllers/node-lifecycle/node-lifecycle-controller.js';
import { runControlPlaneThread } from './control-plane-thread.js';
import type { SchedulerConfig } from './scheduler-config.js';
import { writeKubeconfig } from './kubeconfig.js';

export interface ServeOptions {
  readonly storage: string;
  readonly host: string;
  readonly port: number;
  readonly kubeconfig: string;
  readonly logger: Logger;
  /** Run the controller-manager and this many simulated nodes in the same process (`kubelite up`). */
  readonly controlPlane?: ControlPlaneOptions;
}

export interface ControlPlaneOptions {
  /** How many simulated nodes. */
  readonly nodes: number;
  /**
   * A Unix domain socket the server also listens on, for the control-plane threads (cheaper than
   * TCP over loopback). @defaultValue none: they use the TCP address
   */
  readonly localSocket?: string;
  /** --node-monitor-grace-period; the nodes renew their Leases often enough for it. @defaultValue 50 s */
  readonly nodeMonitorGracePeriodMs?: number;
  /** --scheduler-config, read. @defaultValue upstream's defaults */
  readonly scheduler?: SchedulerConfig;
}

/** Starts the server and resolves once it has shut down after SIGINT or SIGTERM. */
export async function serve(options: ServeOptions): Promise<void> {
  const started = Date.now();
  const store = await openStore(options.storage, { logger: options.logger });
  const server = new ApiServer({ store, logger: options.logger });
  try {
    await server.start();
    const address = await server.listen(options.port, options.host);
    const url = `http://${options.host}:${address.port}`;
    writeKubeconfig(options.kubeconfig, url);
    options.logger.info(`kubelite API server listening at ${url} (storage ${options.storage}), ready in ${Date.now() - started} ms`);
    options.logger.info(`kubeconfig: ${options.kubeconfig}`);
    const stopControlPlane = new AbortController();
    const plane = options.controlPlane;
    const local = plane?.localSocket !== undefined && plane.localSocket.length <= MAX_SOCKET_PATH ? plane.localSocket : undefined;
    if (local !== undefined) await server.listenLocal(local);
    const controlPlane =
      plane === undefined ? undefined : startControlPlane({ url: loopbackUrl(options.host, address.port), ...(local === undefined ? {} : { socketPath: local }) }, plane, options.logger, started, stopControlPlane.signal);
    options.logger.info(`try: kubectl --kubeconfig ${options.kubeconfig} get ${options.controlPlane === undefined ? 'namespaces' : 'nodes'}`);
    let stopOnSignal: () => void = () => undefined;
    const interrupted = new Promise<void>((resolve) => {
      stopOnSignal = (): void => {
        process.off('SIGINT', stopOnSignal);
        process.off('SIGTERM', stopOnSignal);
        resolve();
      };
      process.on('SIGINT', stopOnSignal);
      process.on('SIGTERM', stopOnSignal);
    });
    try {
      // A failed control plane ends `up` too (with its error), once the server has shut down.
      await Promise.race([interrupted, controlPlane ?? interrupted]);
    } finally {
      stopOnSignal();
      options.logger.info('shutting down');
      stopControlPlane.abort();
      await controlPlane;
    }
  } finally {
    await server.close();
    await store.close();
  }
}

/**
 * Runs the controller-manager, the scheduler and the simulated nodes on threads of their own
 * (control-plane-thread.ts), reporting when the nodes have registered. Resolves once they have
 * stopped after `signal` aborts.
 */
function startControlPlane(
  server: { readonly url: string; readonly socketPath?: string },
  options: ControlPlaneOptions,
  logger: Logger,
  started: number,
  signal: AbortSignal,
): Promise<void> {
  const { nodes } = options;
  logger.info(`control plane: controllers starting, ${nodes} simulated node${nodes === 1 ? '' : 's'} registering`);
  return runControlPlaneThread(
    {
      server: server.url,
      ...(server.socketPath === undefined ? {} : { socketPath: server.socketPath }),
      ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
      nodes,
      nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
    },
    logger,
    () => logger.info(`control plane: ${nodes} node${nodes === 1 ? '' : 's'} ready in ${Date.now() - started} ms`),
    signal,
  );
}

/** The longest Unix socket path Linux takes (sun_path is 108 bytes, with its terminating NUL). */
const MAX_SOCKET_PATH = 100;

/** The server's URL from this machine: a wildcard listen address is reached on loopback. */
function loopbackUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
