/**
 * A controller in one file, written with kubelite's runtime: every ConfigMap labelled `mirror=true`
 * gets a copy named `<name>-mirror`, owned by it, kept equal to it. README's "Write a controller"
 * shows this file, and test/examples.test.ts runs it.
 *
 * Run it against `kubelite up` (or any cluster):
 *   KUBECONFIG=.kubelite/kubeconfig node dist/examples/configmap-mirror.js
 */
import { KubeClient, isAlreadyExists, loadConfig, type api } from '../src/client/index.js';
import { Manager, labelSelectorPredicate, type Request } from '../src/runtime/index.js';
import { parseLabelSelector } from '../src/api/labels.js';

type ConfigMap = api.coreV1.ConfigMap;

export function mirrorController(manager: Manager): void {
  const configMaps = manager.client.typed('v1/ConfigMap');
  const cache = manager.informerFor('v1/ConfigMap').lister();
  const recorder = manager.eventRecorder('configmap-mirror');

  manager
    .controller('configmap-mirror')
    .for('v1/ConfigMap', { predicates: [labelSelectorPredicate(parseLabelSelector('mirror=true'))] })
    .owns('v1/ConfigMap')
    .complete({
      async reconcile({ namespace, name }: Request) {
        const source = cache.namespace(namespace).get(name);
        if (source === undefined || source.metadata?.labels?.mirror !== 'true') return; // gone, or not ours
        const mirror: ConfigMap = {
          metadata: {
            name: `${name}-mirror`,
            namespace,
            ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name, uid: source.metadata.uid ?? '', controller: true }],
          },
          data: { ...source.data },
        };
        const existing = cache.namespace(namespace).get(`${name}-mirror`);
        if (existing === undefined) {
          // AlreadyExists: the cache has not seen our own create yet; the next event brings it.
          await configMaps.create(mirror).catch((error: unknown) => (isAlreadyExists(error) ? undefined : Promise.reject(error)));
          recorder.event(source, 'Normal', 'Mirrored', `created ${name}-mirror`);
        } else if (JSON.stringify(existing.data ?? {}) !== JSON.stringify(mirror.data)) {
          await configMaps.update({ ...mirror, metadata: { ...mirror.metadata, resourceVersion: existing.metadata?.resourceVersion ?? '' } });
          recorder.event(source, 'Normal', 'Updated', `updated ${name}-mirror`);
        }
        return undefined;
      },
    });
}

// Run as a program: connect with the usual kubeconfig lookup and run until Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const manager = new Manager({ client: new KubeClient(loadConfig()) });
  mirrorController(manager);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  await manager.run(stop.signal);
}
