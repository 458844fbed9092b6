/**
 * @module
 * kubelite's side of the `client` suite's informer comparison: the pods informer a controller built
 * on kubelite's client runs — a SharedInformerFactory scoped to one namespace, over a KubeClient
 * speaking HTTP to the server, with one handler that only counts. Loaded only in its own informer
 * process (client-informer.ts), so @kubernetes/client-node never counts in its memory.
 */
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import { KubeClient } from '../src/client/kube-client.js';
import { silentLogger } from '../src/util/logger.js';
import type { InformerEvents, InformerUnderTest } from './client-informer.js';

export function startKubeliteInformer(target: { readonly server: string; readonly namespace: string }, events: InformerEvents): InformerUnderTest {
  const client = new KubeClient({ server: target.server });
  const factory = new SharedInformerFactory(client, { namespace: target.namespace, logger: silentLogger });
  const informer = factory.typed('v1/Pod');
  informer.addEventHandler({
    onAdd: () => events.added(),
    onUpdate: () => events.updated(),
    onDelete: () => events.deleted(),
  });
  // The reflector would retry; a benchmark should fail at once instead.
  informer.setWatchErrorHandler((error) => events.failed(error));
  const controller = new AbortController();
  factory.start(controller.signal);
  return {
    synced: () => informer.hasSynced(),
    cached: () => informer.indexer.size,
    async stop() {
      controller.abort();
      await factory.shutdown();
      client.close();
    },
  };
}
