/**
 * @module
 * Running an API server from the command line until Ctrl-C: `kubelite apiserver` (any storage) and
 * `kubelite up` (embedded SQLite under a data directory). Shutdown stops accepting requests, ends
 * watches, and closes the store, so every acknowledged write is on disk before the process exits.
 */
import { ApiServer } from '../apiserver/server.js';
import { openStore } from '../storage/open-store.js';
import type { Logger } from '../util/logger.js';
import { writeKubeconfig } from './kubeconfig.js';

export interface ServeOptions {
  readonly storage: string;
  readonly host: string;
  readonly port: number;
  readonly kubeconfig: string;
  readonly logger: Logger;
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
    options.logger.info(`try: kubectl --kubeconfig ${options.kubeconfig} get namespaces`);
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
  } finally {
    await server.close();
    await store.close();
  }
}
