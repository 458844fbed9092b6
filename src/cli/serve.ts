/**
 * @module
 * Running an API server from the command line until Ctrl-C: `kubelite apiserver` (any storage) and
 * `kubelite up` (embedded SQLite under a data directory). Shutdown stops accepting requests, ends
 * watches, and closes the store, so every acknowledged write is on disk before the process exits.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ApiServer } from '../apiserver/server.js';
import { openStore } from '../storage/open-store.js';
import type { Logger } from '../util/logger.js';
import { DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS } from '../controllers/node-lifecycle/node-lifecycle-controller.js';
import { runControlPlaneThread } from './control-plane-thread.js';
import { ensureDefaultStorageClass } from './default-storage-class.js';
import type { SchedulerConfig } from './scheduler-config.js';
import type { Stage } from '../node/stages.js';
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
  /** --node-monitor-grace-period; the nodes renew their Leases often enough for it. @defaultValue 50 s */
  readonly nodeMonitorGracePeriodMs?: number;
  /** --scheduler-config, read. @defaultValue upstream's defaults */
  readonly scheduler?: SchedulerConfig;
  /** The simulated nodes' pod stages. @defaultValue defaultPodStages() */
  readonly stages?: readonly Stage[];
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
    // The control-plane thread's request channel to this thread's server.
    const connect = (): MessagePort => {
      const { port1, port2 } = new MessageChannel();
      server.serveChannel(port1);
      return port2;
    };
    if (plane !== undefined) await ensureDefaultStorageClass(server, Date.now());
    const controlPlane = plane === undefined ? undefined : startControlPlane(connect, plane, options.logger, started, stopControlPlane.signal);
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
 * Runs the controller-manager, the scheduler and the simulated nodes on a thread of their own
 * (control-plane-thread.ts), reporting when the nodes have registered. Resolves once they have
 * stopped after `signal` aborts.
 */
function startControlPlane(
  connect: () => MessagePort,
  options: ControlPlaneOptions,
  logger: Logger,
  started: number,
  signal: AbortSignal,
): Promise<void> {
  const { nodes } = options;
  logger.info(`control plane: controllers starting, ${nodes} simulated node${nodes === 1 ? '' : 's'} registering`);
  return runControlPlaneThread(
    {
      port: connect(),
      ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
      ...(options.stages === undefined ? {} : { stages: options.stages }),
      nodes,
      nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
    },
    logger,
    () => logger.info(`control plane: ${nodes} node${nodes === 1 ? '' : 's'} ready in ${Date.now() - started} ms`),
    signal,
  );
}
