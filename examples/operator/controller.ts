/**
 * The WebApp operator's reconciler: for each WebApp it keeps a Deployment and a Service (owned by
 * the WebApp, so the garbage collector deletes them with it), publishes a route ConfigMap in
 * another namespace (which only its finalizer can clean up), and reports status — availableReplicas,
 * url, and the conditions Ready and Progressing with the generation they were computed from.
 *
 * It reads only through {@link WebAppCache} (listers over the manager's informers) and writes only
 * through {@link WebAppControl} (upstream's PodControl pattern), so a unit test can run one
 * reconcile against preloaded caches and a control that records what it was asked to do.
 * A Conflict requeues the WebApp (rate-limited); other errors are thrown, and the controller
 * retries with backoff. Each reconcile starts again from the cache (level-triggered).
 */
import { type DeepReadonly, type NamespaceLister, type api, addFinalizer, hasFinalizer, isAlreadyExists, isConflict, isNotFound, removeFinalizer } from '../../src/client/index.js';
import type { EventType } from '../../src/client/index.js';
import {
  type Manager,
  type Reconciler,
  type Request,
  type Result,
  createOrUpdate,
  semanticEqual,
  isControlledBy,
  setStatusCondition,
  terminal,
} from '../../src/runtime/index.js';
import type { Clock } from '../../src/util/clock.js';
import type { Logger } from '../../src/util/logger.js';
import { ROUTES_NAMESPACE, deploymentMatches, desiredDeployment, desiredService, routeConfigMap, routeName, serviceMatches, updatedDeployment, updatedService, urlOf } from './resources.js';
import { WebApp, type WebAppObject, type WebAppStatus } from './webapp.js';

type Deployment = api.appsV1.Deployment;
type Service = api.coreV1.Service;

/** The finalizer that removes a WebApp's route before the WebApp goes. */
export const FINALIZER = 'example.com/route-cleanup';

/** What the reconciler reads: the informers' caches (listers fit). */
export interface WebAppCache {
  readonly webApps: { namespace(namespace: string): NamespaceLister<WebAppObject> };
  readonly deployments: { namespace(namespace: string): NamespaceLister<Deployment> };
  readonly services: { namespace(namespace: string): NamespaceLister<Service> };
}

/** What the reconciler writes. Each call is one API request (or, for routes, a create-or-update). */
export interface WebAppControl {
  createDeployment(deployment: Deployment): Promise<void>;
  updateDeployment(deployment: Deployment): Promise<void>;
  createService(service: Service): Promise<void>;
  updateService(service: Service): Promise<void>;
  /** Writes metadata and spec (the finalizer list); returns the object as written. */
  updateWebApp(webApp: WebAppObject): Promise<WebAppObject>;
  updateWebAppStatus(webApp: WebAppObject): Promise<void>;
  publishRoute(webApp: DeepReadonly<WebAppObject>): Promise<void>;
  /** Removes the route; succeeds when it is already gone. */
  removeRoute(namespace: string, name: string): Promise<void>;
  event(webApp: DeepReadonly<WebAppObject>, type: EventType, reason: string, message: string): void;
}

export interface WebAppReconcilerOptions {
  readonly cache: WebAppCache;
  readonly control: WebAppControl;
  readonly clock?: Clock;
}

export class WebAppReconciler implements Reconciler {
  constructor(private readonly options: WebAppReconcilerOptions) {}

  async reconcile(request: Request): Promise<Result | void> {
    try {
      return await this.sync(request);
    } catch (error) {
      // Someone wrote the object since our cache saw it (often we did, a moment ago): read the
      // newer version and try again, rate-limited, without reporting a failure.
      if (isConflict(error)) return { requeue: true };
      throw error;
    }
  }

  private async sync({ namespace, name }: Request): Promise<Result | void> {
    const { cache, control } = this.options;
    const cached = cache.webApps.namespace(namespace).get(name);
    if (cached === undefined) return; // deleted; what it owned goes with it
    if ((cached.metadata?.deletionTimestamp ?? '') !== '') return this.finalize(cached);

    let webApp: DeepReadonly<WebAppObject> = cached;
    if (!hasFinalizer(webApp, FINALIZER)) {
      // The finalizer goes on before anything is made that only it can clean up.
      const copy = structuredClone(webApp) as WebAppObject;
      addFinalizer(copy, FINALIZER);
      webApp = await control.updateWebApp(copy);
    }

    const deployment = await this.syncDeployment(webApp);
    await this.syncService(webApp);
    await control.publishRoute(webApp);
    await this.updateStatus(webApp, deployment);
    return undefined;
  }

  /** The WebApp is being deleted: remove its route, then its finalizer, so the deletion completes. */
  private async finalize(webApp: DeepReadonly<WebAppObject>): Promise<void> {
    const { control } = this.options;
    if (!hasFinalizer(webApp, FINALIZER)) return;
    const namespace = webApp.metadata?.namespace ?? '';
    const name = webApp.metadata?.name ?? '';
    await control.removeRoute(namespace, name);
    control.event(webApp, 'Normal', 'RouteRemoved', `removed route ${ROUTES_NAMESPACE}/${routeName(namespace, name)}`);
    const copy = structuredClone(webApp) as WebAppObject;
    removeFinalizer(copy, FINALIZER);
    await control.updateWebApp(copy);
  }

  private async syncDeployment(webApp: DeepReadonly<WebAppObject>): Promise<DeepReadonly<Deployment> | undefined> {
    const { cache, control } = this.options;
    const desired = desiredDeployment(webApp);
    const current = cache.deployments.namespace(webApp.metadata?.namespace ?? '').get(desired.metadata?.name ?? '');
    if (current === undefined) {
      await control.createDeployment(desired);
      control.event(webApp, 'Normal', 'CreatedDeployment', `created Deployment ${desired.metadata?.name ?? ''}`);
      return undefined;
    }
    this.assertOwned(webApp, current, 'Deployment');
    if (!deploymentMatches(current, desired)) {
      await control.updateDeployment(updatedDeployment(current, desired));
      control.event(webApp, 'Normal', 'UpdatedDeployment', `updated Deployment ${desired.metadata?.name ?? ''}`);
    }
    return current;
  }

  private async syncService(webApp: DeepReadonly<WebAppObject>): Promise<void> {
    const { cache, control } = this.options;
    const desired = desiredService(webApp);
    const current = cache.services.namespace(webApp.metadata?.namespace ?? '').get(desired.metadata?.name ?? '');
    if (current === undefined) {
      await control.createService(desired);
      control.event(webApp, 'Normal', 'CreatedService', `created Service ${desired.metadata?.name ?? ''}`);
      return;
    }
    this.assertOwned(webApp, current, 'Service');
    if (!serviceMatches(current, desired)) await control.updateService(updatedService(current, desired));
  }

  /** An object of the WebApp's name that someone else controls is not ours to change. */
  private assertOwned(webApp: DeepReadonly<WebAppObject>, object: DeepReadonly<Deployment | Service>, kind: string): void {
    if (isControlledBy(object, webApp)) return;
    const message = `${kind} "${object.metadata?.name ?? ''}" already exists and is not managed by WebApp`;
    this.options.control.event(webApp, 'Warning', 'ErrResourceExists', message);
    throw terminal(new Error(message));
  }

  /** Writes status when it differs from what the WebApp shows. */
  private async updateStatus(webApp: DeepReadonly<WebAppObject>, deployment: DeepReadonly<Deployment> | undefined): Promise<void> {
    const generation = webApp.metadata?.generation ?? 0;
    const wanted = webApp.spec.replicas;
    const available = deployment?.status?.availableReplicas ?? 0;
    const updated = deployment?.status?.updatedReplicas ?? 0;
    const current = deployment !== undefined && (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
    const rolledOut = current && updated >= wanted && (deployment.status?.replicas ?? 0) === wanted;
    const ready = rolledOut && available >= wanted;

    const status = structuredClone(webApp.status ?? {}) as WebAppStatus;
    const conditions = status.conditions ?? [];
    const clock = this.options.clock === undefined ? {} : { clock: this.options.clock };
    setStatusCondition(
      conditions,
      ready
        ? { type: 'Ready', status: 'True', reason: 'Available', message: `${String(available)}/${String(wanted)} replicas available`, observedGeneration: generation }
        : { type: 'Ready', status: 'False', reason: 'Unavailable', message: `${String(available)}/${String(wanted)} replicas available`, observedGeneration: generation },
      clock,
    );
    setStatusCondition(
      conditions,
      rolledOut
        ? { type: 'Progressing', status: 'False', reason: 'RolloutComplete', message: 'the Deployment runs the current spec', observedGeneration: generation }
        : { type: 'Progressing', status: 'True', reason: 'RollingOut', message: 'the Deployment is rolling out the current spec', observedGeneration: generation },
      clock,
    );
    const next: WebAppStatus = { ...status, availableReplicas: available, url: urlOf(webApp), observedGeneration: generation, conditions };
    if (semanticEqual(next, webApp.status ?? {})) return;
    const copy = structuredClone(webApp) as WebAppObject;
    copy.status = next;
    await this.options.control.updateWebAppStatus(copy);
  }
}

/** {@link WebAppControl} over the API. */
export function apiControl(manager: Manager, component = 'webapp-operator'): WebAppControl {
  const client = manager.client;
  const recorder = manager.eventRecorder(component);
  const webApps = client.resource<WebAppObject>(WebApp.ref);
  const ignoreAlreadyExists = (error: unknown): void => {
    // The cache has not seen our earlier create yet; its event brings the next reconcile.
    if (!isAlreadyExists(error)) throw error;
  };
  return {
    createDeployment: async (deployment) => void (await client.typed('apps/v1/Deployment').create(deployment).catch(ignoreAlreadyExists)),
    updateDeployment: async (deployment) => void (await client.typed('apps/v1/Deployment').update(deployment)),
    createService: async (service) => void (await client.typed('v1/Service').create(service).catch(ignoreAlreadyExists)),
    updateService: async (service) => void (await client.typed('v1/Service').update(service)),
    updateWebApp: (webApp) => webApps.update(webApp),
    updateWebAppStatus: async (webApp) => void (await webApps.updateStatus(webApp)),
    publishRoute: async (webApp) => {
      const route = routeConfigMap(webApp);
      const write = (): Promise<unknown> => createOrUpdate(client.typed('v1/ConfigMap'), structuredClone(route), (object) => {
        object.data = route.data ?? {};
        object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, ...route.metadata?.labels } };
      });
      try {
        await write();
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // The routes namespace does not exist yet: make it, then write again.
        await client.typed('v1/Namespace').create({ metadata: { name: ROUTES_NAMESPACE } }).catch(ignoreAlreadyExists);
        await write();
      }
    },
    removeRoute: async (namespace, name) => {
      await client.typed('v1/ConfigMap').namespace(ROUTES_NAMESPACE).delete(routeName(namespace, name)).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    },
    event: (webApp, type, reason, message) => recorder.event({ ...webApp, apiVersion: WebApp.apiVersion, kind: WebApp.kind }, type, reason, message),
  };
}

export interface WebAppControllerOptions {
  readonly clock?: Clock;
  /** @defaultValue 2 */
  readonly maxConcurrentReconciles?: number;
  /** Where failed reconciles are logged. @defaultValue stderr */
  readonly logger?: Logger;
}

/** Adds the WebApp controller to a manager: it reconciles WebApps and watches what they own. */
export function webAppController(manager: Manager, options: WebAppControllerOptions = {}): void {
  const cache: WebAppCache = {
    webApps: manager.informerFor(WebApp.ref).lister(),
    deployments: manager.informerFor('apps/v1/Deployment').lister(),
    services: manager.informerFor('v1/Service').lister(),
  };
  const reconciler = new WebAppReconciler({ cache, control: apiControl(manager), ...(options.clock === undefined ? {} : { clock: options.clock }) });
  manager
    .controller('webapp')
    .for(WebApp.ref)
    .owns('apps/v1/Deployment')
    .owns('v1/Service')
    .withOptions({ maxConcurrentReconciles: options.maxConcurrentReconciles ?? 2, ...(options.logger === undefined ? {} : { logger: options.logger }) })
    .complete(reconciler);
}
