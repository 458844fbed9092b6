/**
 * The canonical sample controller (k8s.io/sample-controller, controller.go), written only with
 * kubelite's client toolkit: shared informers and listers for Foos (a custom resource, see
 * crd.yaml) and Deployments, a rate-limited work queue, workers running processNextWorkItem, owner
 * references, status written through the status subresource, and an event recorder. Step for step
 * upstream's control loop; test/examples.test.ts runs it against a real kubelite API server.
 */
import {
  type DeepReadonly,
  EventRecorder,
  type KubeClient,
  type KubeObject,
  type Lister,
  type ResourceRef,
  RateLimitingQueue,
  SharedInformerFactory,
  defaultControllerRateLimiter,
  metaNamespaceKeyFunc,
  splitMetaNamespaceKey,
  DeletedFinalStateUnknown,
  type api,
} from '../../src/client/index.js';

/** samplecontroller.k8s.io/v1alpha1 Foo (upstream's pkg/apis/samplecontroller/v1alpha1/types.go). */
export interface Foo extends KubeObject {
  spec?: { deploymentName?: string; replicas?: number };
  status?: { availableReplicas?: number };
}

type Deployment = api.appsV1.Deployment;

export const FOOS: ResourceRef & { readonly kind: string } = { group: 'samplecontroller.k8s.io', version: 'v1alpha1', resource: 'foos', namespaced: true, kind: 'Foo' };
const FOO_API_VERSION = `${FOOS.group}/${FOOS.version}`;

/** An error that retrying cannot fix: logged, not requeued (upstream's utilruntime.HandleError + return nil). */
class InvalidFoo extends Error {}

export class SampleController {
  readonly queue = new RateLimitingQueue<string>({ name: 'Foos', rateLimiter: defaultControllerRateLimiter<string>() });
  private readonly foos: Lister<Foo>;
  private readonly deployments: Lister<Deployment>;
  private readonly synced: (() => boolean)[];
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: KubeClient,
    factory: SharedInformerFactory,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    const fooInformer = factory.forResource<Foo>(FOOS);
    const deploymentInformer = factory.typed('apps/v1/Deployment');
    this.foos = fooInformer.lister();
    this.deployments = deploymentInformer.lister();
    this.recorder = new EventRecorder({ client, source: { component: 'sample-controller' } });
    const fooRegistration = fooInformer.addEventHandler({
      onAdd: (foo) => this.enqueueFoo(foo),
      onUpdate: (_old, foo) => this.enqueueFoo(foo),
    });
    // A Deployment's change is its owning Foo's business (handleObject in upstream).
    const deploymentRegistration = deploymentInformer.addEventHandler({
      onAdd: (deployment) => this.handleObject(deployment),
      onUpdate: (old, deployment) => {
        // Periodic resyncs send updates of unchanged objects; two versions of one are the same.
        if (old.metadata?.resourceVersion !== deployment.metadata?.resourceVersion) this.handleObject(deployment);
      },
      onDelete: (deployment) => this.handleObject(deployment instanceof DeletedFinalStateUnknown ? deployment.obj : deployment),
    });
    this.synced = [fooRegistration.hasSynced, deploymentRegistration.hasSynced];
  }

  /** Waits for the caches, then runs `workers` workers until `signal` aborts; resolves when they have stopped. */
  async run(workers: number, signal: AbortSignal, waitForSync: (synced: (() => boolean)[]) => Promise<boolean>): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (!(await waitForSync(this.synced))) return;
    await Promise.all(Array.from({ length: workers }, async () => {
      while (await this.processNextWorkItem()) {
        // One key per turn.
      }
    }));
    await this.recorder.flush();
  }

  /** Takes one key off the queue and syncs it; false once the queue has shut down. */
  async processNextWorkItem(): Promise<boolean> {
    const next = await this.queue.get();
    if (next.shutdown) return false;
    const key = next.item;
    try {
      await this.syncHandler(key);
      this.queue.forget(key);
    } catch (error) {
      if (error instanceof InvalidFoo) {
        this.log(`${key}: ${error.message}`);
        this.queue.forget(key);
      } else {
        this.log(`error syncing ${key}: ${String(error)}; requeuing`);
        this.queue.addRateLimited(key);
      }
    } finally {
      this.queue.done(key);
    }
    return true;
  }

  /** Drives the Foo's Deployment towards its spec and writes its status (syncHandler in upstream). */
  private async syncHandler(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const foo = this.foos.namespace(namespace).get(name);
    if (foo === undefined) return; // deleted: its Deployment goes with it (garbage collection)
    const deploymentName = foo.spec?.deploymentName ?? '';
    if (deploymentName === '') throw new InvalidFoo('deployment name must be specified');
    const replicas = foo.spec?.replicas ?? 1;
    const deployments = this.client.typed('apps/v1/Deployment').namespace(namespace);

    let deployment: DeepReadonly<Deployment> | undefined = this.deployments.namespace(namespace).get(deploymentName);
    if (deployment === undefined) deployment = await deployments.create(newDeployment(foo, deploymentName, replicas));
    if (!isControlledBy(deployment, foo)) {
      const message = `Resource "${deploymentName}" already exists and is not managed by Foo`;
      this.recorder.event(foo, 'Warning', 'ErrResourceExists', message);
      throw new Error(message);
    }
    if (deployment.spec?.replicas !== replicas) {
      deployment = await deployments.update(newDeployment(foo, deploymentName, replicas, deployment.metadata?.resourceVersion));
    }
    await this.updateFooStatus(foo, deployment.status?.availableReplicas ?? 0);
    this.recorder.event(foo, 'Normal', 'Synced', 'Foo synced successfully');
  }

  /** Writes status.availableReplicas through the status subresource (updateFooStatus upstream). */
  private async updateFooStatus(foo: DeepReadonly<Foo>, available: number): Promise<void> {
    if (foo.status?.availableReplicas === available) return;
    // Never change the cached object: copy, then write through the API.
    const copy = structuredClone(foo) as Foo;
    copy.status = { ...copy.status, availableReplicas: available };
    await this.client.resource<Foo>(FOOS).updateStatus(copy);
  }

  private enqueueFoo(foo: DeepReadonly<Foo>): void {
    this.queue.add(metaNamespaceKeyFunc(foo));
  }

  /** Enqueues the Foo that controls `object`, if a Foo does. */
  private handleObject(object: DeepReadonly<Deployment> | undefined): void {
    const owner = object?.metadata?.ownerReferences?.find((reference) => reference.controller === true);
    if (owner === undefined || owner.kind !== FOOS.kind) return;
    const foo = this.foos.namespace(object?.metadata?.namespace ?? '').get(owner.name);
    if (foo === undefined || foo.metadata?.uid !== owner.uid) {
      this.log(`ignoring orphaned object ${object?.metadata?.name} of foo ${owner.name}`);
      return;
    }
    this.enqueueFoo(foo);
  }
}

function isControlledBy(object: DeepReadonly<Deployment>, owner: DeepReadonly<Foo>): boolean {
  return object.metadata?.ownerReferences?.some((reference) => reference.controller === true && reference.uid === owner.metadata?.uid) ?? false;
}

/** The Deployment a Foo asks for: nginx, labelled for the Foo, controlled by it (newDeployment upstream). */
export function newDeployment(foo: DeepReadonly<Foo>, name: string, replicas: number, resourceVersion?: string): Deployment {
  const labels = { app: 'nginx', controller: foo.metadata?.name ?? '' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: foo.metadata?.namespace ?? 'default',
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      ownerReferences: [{ apiVersion: FOO_API_VERSION, kind: FOOS.kind, name: foo.metadata?.name ?? '', uid: foo.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] } },
    },
  };
}

// Run as a program (upstream's main.go): the usual kubeconfig lookup, two workers, until Ctrl-C.
//   kubectl apply -f examples/sample-controller/crd.yaml
//   KUBECONFIG=.kubelite/kubeconfig node dist/examples/sample-controller/controller.js
//   kubectl apply -f examples/sample-controller/example-foo.yaml
if (import.meta.url === `file://${process.argv[1]}`) {
  const { KubeClient: Client, loadConfig, waitForCacheSync } = await import('../../src/client/index.js');
  const client = new Client(loadConfig());
  const factory = new SharedInformerFactory(client, { defaultResyncPeriodMs: 30_000 });
  const controller = new SampleController(client, factory, (message) => process.stderr.write(`${message}\n`));
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  factory.start(stop.signal);
  await controller.run(2, stop.signal, (synced) => waitForCacheSync(stop.signal, synced));
  await factory.shutdown();
}
