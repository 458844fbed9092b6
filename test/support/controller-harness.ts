/**
 * Controllers running against a real in-process API server, for the controllers' integration tests:
 * one client and one informer factory shared by the controllers `build` makes (as
 * kube-controller-manager shares one), started together and stopped together by `close`.
 */
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import type { KubeClient } from '../../src/client/kube-client.js';
import { silentLogger } from '../../src/util/logger.js';
import { startClientEnv } from './client-harness.js';

/** What `build` hands back: anything that runs until its signal aborts. */
export interface Runnable {
  run(signal: AbortSignal): Promise<unknown>;
}

export interface ControllerCluster {
  readonly client: KubeClient;
  readonly informers: SharedInformerFactory;
  /** Stops the controllers and the informers, then the server. */
  close(): Promise<void>;
}

/**
 * Starts a server, builds the controllers (and whatever else `build` sets up on the client and the
 * informers), then starts the informers and runs what `build` returned.
 */
export async function startControllers(build: (client: KubeClient, informers: SharedInformerFactory) => readonly Runnable[]): Promise<ControllerCluster> {
  const env = await startClientEnv('in-process');
  const client = env.client();
  const informers = new SharedInformerFactory(client, { logger: silentLogger });
  const stop = new AbortController();
  const parts = build(client, informers);
  informers.start(stop.signal);
  const running = Promise.all(parts.map((part) => part.run(stop.signal)));
  return {
    client,
    informers,
    async close() {
      stop.abort();
      await running;
      await informers.shutdown();
      await env.close();
    },
  };
}
