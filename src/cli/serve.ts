/**
 * @module
 * Running an API server from the command line until Ctrl-C: `kubelite apiserver` (any storage) and
 * `kubelite up` (embedded SQLite under a data directory). Shutdown stops accepting requests, ends
 * watches, and closes the store, so every acknowledged write is on disk before the process exits.
 */
import { ApiServer } from '../apiserver/server.js';
import { KubeClient } from '../client/kube-client.js';
import { openStore } from '../storage/open-store.js';
import type { Logger } from '../util/logger.js';
import { controllerManager, scheduler, simulatedNodes } from './control-plane.js';
import { writeKubeconfig } from './kubeconfig.js';

export interface ServeOptions {
  readonly storage: string;
  readonly host: string;
  readonly port: number;
  readonly kubeconfig: string;
  readonly logger: Logger;
  /** Run the controller-manager and this many simulated nodes in the same process (`kubelite up`). */
  readonly controlPlane?: { readonly nodes: number };
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
    const controlPlane = options.controlPlane === undefined ? undefined : startControlPlane(server, options.controlPlane.nodes, options.logger, started, stopControlPlane.signal);
    options.logger.info(`try: kubectl --kubeconfig ${options.kubeconfig} get ${options.controlPlane === undefined ? 'namespaces' : 'nodes'}`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    options.logger.info('shutting down');
    stopControlPlane.abort();
    await controlPlane;
  } finally {
    await server.close();
    await store.close();
  }
}

/**
 * Runs the controller-manager and the simulated nodes over an in-process client, reporting when the
 * nodes have registered. Resolves once they have stopped after `signal` aborts.
 */
async function startControlPlane(server: ApiServer, nodes: number, logger: Logger, started: number, signal: AbortSignal): Promise<void> {
  const client = KubeClient.inProcess(server);
  const manager = controllerManager({ client, logger });
  const schedulerManager = scheduler({ client, logger });
  const simulator = simulatedNodes({ client, logger, count: nodes });
  logger.info(`control plane: controllers starting, ${nodes} simulated node${nodes === 1 ? '' : 's'} registering`);
  const progress = setInterval(() => {
    if (simulator.registeredCount < nodes) return;
    clearInterval(progress);
    logger.info(`control plane: ${nodes} node${nodes === 1 ? '' : 's'} ready in ${Date.now() - started} ms`);
  }, 50);
  try {
    await Promise.all([manager.run(signal), schedulerManager.run(signal), simulator.run(signal)]);
  } finally {
    clearInterval(progress);
    client.close();
  }
}
