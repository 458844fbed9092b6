/**
 * @module
 * One sample of the `crd` suite's start-up figure, in a fresh Node process of its own (the suite
 * runs this file several times): what an operator's test does first with `kubelite/testing` —
 * import it and the runtime, `startTestCluster({ crds: [<the suite's CRD>] })`, start a Manager
 * with a controller for the custom resource, create one, and wait until its reconcile has completed
 * (read from the informer's cache, status written through the status subresource).
 *
 * The kubelite modules are imported dynamically after the first clock reading, so the time to load
 * them is measured apart from the time to start. It prints one JSON line, {@link FirstReconcileSample},
 * and exits. This is envtest's role (controller-runtime pkg/envtest), which starts etcd and
 * kube-apiserver binaries; none are installed on the recording machine, so no anchor runs here.
 */
import type { KubeObject } from '../src/client/object.js';
import { GROUP, KIND, NAMESPACE, PLURAL, VERSION, crdManifest, widgetManifest } from './crd-objects.js';

/** Milliseconds, each from `performance.now()` in the child (whose origin is its process start). */
export interface FirstReconcileSample {
  /** Node's own start, before this module runs: process start → first line of this module. */
  readonly nodeStartMs: number;
  /** Loading `kubelite/testing` and `kubelite/runtime` (with everything they import). */
  readonly importMs: number;
  /** `startTestCluster` with the CRD, until it resolves (the CRD served). */
  readonly clusterStartMs: number;
  /** From just before `startTestCluster` to the end of the first reconcile of the created resource. */
  readonly firstReconcileMs: number;
}

const WIDGETS = { group: GROUP, version: VERSION, resource: PLURAL, namespaced: true, kind: KIND } as const;
const TIMEOUT_MS = 30_000;

async function sample(): Promise<FirstReconcileSample> {
  const scriptStart = performance.now();
  const [{ startTestCluster }, { Manager }, { silentLogger }] = await Promise.all([
    import('../src/testing/index.js'),
    import('../src/runtime/index.js'),
    import('../src/util/logger.js'),
  ]);
  const imported = performance.now();
  // JSON is YAML: the text is what a CRD file would hold, without loading a YAML writer here.
  const crdYaml = JSON.stringify(crdManifest(), null, 2);

  const start = performance.now();
  const cluster = await startTestCluster({ crds: [crdYaml] });
  const clusterStarted = performance.now();
  const stop = new AbortController();
  try {
    const manager = new Manager({ client: cluster.client, logger: silentLogger });
    const cache = manager.informerFor(WIDGETS).lister();
    const widgets = cluster.client.resource(WIDGETS);
    let reconciled: (at: number) => void = () => undefined;
    const firstReconcile = new Promise<number>((resolve) => {
      reconciled = resolve;
    });
    manager
      .controller('widget')
      .for(WIDGETS)
      .complete({
        async reconcile({ namespace, name }) {
          const widget = cache.namespace(namespace).get(name);
          if (widget === undefined) return undefined;
          const status = { ready: true, observedGeneration: widget.metadata?.generation ?? 0 };
          // Cached objects are read-only: write a copy.
          const copy = structuredClone(widget) as KubeObject & { status?: unknown };
          copy.status = status;
          await widgets.namespace(namespace).updateStatus(copy);
          reconciled(performance.now());
          return undefined;
        },
      });
    const running = manager.run(stop.signal);
    await widgets.namespace(NAMESPACE).create(widgetManifest('first') as KubeObject);
    const done = await Promise.race([
      firstReconcile,
      running.then(() => Promise.reject(new Error('the manager stopped before the first reconcile'))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no reconcile within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
    return { nodeStartMs: scriptStart, importMs: imported - scriptStart, clusterStartMs: clusterStarted - start, firstReconcileMs: done - start };
  } finally {
    stop.abort();
    await cluster.stop();
  }
}

// Only as a program: the suite imports this module for its types.
if (process.argv[1]?.endsWith('crd-first-reconcile.js') === true) {
  try {
    process.stdout.write(`${JSON.stringify(await sample())}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
}
