/**
 * The client's two transports over one real API server: HTTP on a loopback port, and in-process
 * connections to the same server (DESIGN.md: the same tests pass on both).
 */
import { KubeClient } from '../../src/client/kube-client.js';
import type { RestClientOptions } from '../../src/client/rest/rest-client.js';
import { type Backend, type RunningApi, startApi } from './api-harness.js';
import type { ApiServerOptions } from '../../src/apiserver/server.js';

export type Transport = 'http' | 'in-process';

export const TRANSPORTS: readonly Transport[] = ['http', 'in-process'];

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
      const client =
        transport === 'http'
          ? new KubeClient({ server: api.url }, clientOptions)
          : KubeClient.inProcess({ connect: () => api.server.connect() }, clientOptions);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await api.close();
    },
  };
}
