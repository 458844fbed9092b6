/**
 * The client's transports over one real API server: HTTP on a loopback port, in-process connections
 * to the same server, and a request channel it serves (DESIGN.md: the same tests pass on each).
 */
import { MessageChannel } from 'node:worker_threads';
import { KubeClient } from '../../src/client/kube-client.js';
import type { RestClientOptions } from '../../src/client/rest/rest-client.js';
import { type Backend, type RunningApi, startApi } from './api-harness.js';
import type { ApiServerOptions } from '../../src/apiserver/server.js';

export type Transport = 'http' | 'in-process' | 'channel';

export const TRANSPORTS: readonly Transport[] = ['http', 'in-process', 'channel'];

export interface ClientEnv {
  readonly api: RunningApi;
  /** A client over the transport under test (made anew after a restart). */
  client(options?: RestClientOptions): KubeClient;
  close(): Promise<void>;
}

export async function startClientEnv(transport: Transport, options: { readonly backend?: Backend; readonly server?: Partial<ApiServerOptions> } = {}): Promise<ClientEnv> {
  const api = await startApi(options.backend ?? 'memory', options.server ?? {});
  const clients: KubeClient[] = [];
  return {
    api,
    client(clientOptions = {}) {
      const client = clientOver(transport, api, clientOptions);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await api.close();
    },
  };
}

function clientOver(transport: Transport, api: RunningApi, options: RestClientOptions): KubeClient {
  switch (transport) {
    case 'http':
      return new KubeClient({ server: api.url }, options);
    case 'in-process':
      return KubeClient.inProcess({ connect: () => api.server.connect() }, options);
    case 'channel': {
      const { port1, port2 } = new MessageChannel();
      api.server.serveChannel(port1);
      return KubeClient.overChannel(port2, options);
    }
    default: {
      const never: never = transport;
      throw new Error(`unknown transport ${String(never)}`);
    }
  }
}
