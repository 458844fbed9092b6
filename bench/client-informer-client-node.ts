/**
 * @module
 * The anchor of the `client` suite's informer comparison: @kubernetes/client-node's informer, set
 * up as its README shows — `makeInformer` with the path of the pods of one namespace and
 * `CoreV1Api.listNamespacedPod` as the list function, over a KubeConfig naming the server's URL — with
 * one handler per event that only counts. Loaded only in its own informer process
 * (client-informer.ts), so kubelite's client never counts in its memory.
 *
 * Its informer (ListWatch, cache.ts upstream) has no "synced" signal of its own: `start()` resolves
 * once the list's adds have been delivered and the watch has been requested. The suite's sync point
 * is the handler's add for the last pod the server holds, the same point it takes for kubelite.
 */
import { CoreV1Api, KubeConfig, type V1Pod, makeInformer } from '@kubernetes/client-node';
import type { InformerEvents, InformerUnderTest } from './client-informer.js';

export function startClientNodeInformer(target: { readonly server: string; readonly namespace: string }, events: InformerEvents): InformerUnderTest {
  const config = new KubeConfig();
  config.loadFromClusterAndUser({ name: 'kubelite', server: target.server, skipTLSVerify: true }, { name: 'bench' });
  const api = config.makeApiClient(CoreV1Api);
  const { namespace } = target;
  const informer = makeInformer<V1Pod>(config, `/api/v1/namespaces/${namespace}/pods`, () => api.listNamespacedPod({ namespace }));
  informer.on('add', () => events.added());
  informer.on('update', () => events.updated());
  informer.on('delete', () => events.deleted());
  // It stops on any error (it does not retry); the benchmark fails at once.
  informer.on('error', (error: unknown) => events.failed(error));
  informer.start().catch((error: unknown) => events.failed(error));
  return {
    synced: () => true,
    cached: () => informer.list(namespace).length,
    stop: () => informer.stop(),
  };
}
