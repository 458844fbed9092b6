/**
 * What a WebApp asks for, as pure functions: its Deployment, its Service, its route ConfigMap, and
 * whether an existing one already matches. The controller compares and writes; these only build.
 */
import type { api } from '../../src/client/index.js';
import type { DeepReadonly } from '../../src/client/index.js';
import { setControllerReference } from '../../src/runtime/index.js';
import type { WebAppObject } from './webapp.js';

type Deployment = api.appsV1.Deployment;
type Service = api.coreV1.Service;
type ConfigMap = api.coreV1.ConfigMap;

/** The namespace of route ConfigMaps: one per WebApp, named `<namespace>.<name>`. */
export const ROUTES_NAMESPACE = 'webapp-routes';

export function labelsFor(webApp: DeepReadonly<WebAppObject>): Record<string, string> {
  return { 'app.kubernetes.io/name': 'webapp', 'app.kubernetes.io/instance': webApp.metadata?.name ?? '' };
}

/** The URL a WebApp is reached at, inside the cluster. */
export function urlOf(webApp: DeepReadonly<WebAppObject>): string {
  return `http://${webApp.metadata?.name ?? ''}.${webApp.metadata?.namespace ?? ''}.svc.cluster.local:${String(webApp.spec.port)}`;
}

export function desiredDeployment(webApp: DeepReadonly<WebAppObject>): Deployment {
  const labels = labelsFor(webApp);
  const env = Object.entries(webApp.spec.env ?? {}).map(([name, value]) => ({ name, value }));
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: webApp.metadata?.name ?? '', namespace: webApp.metadata?.namespace ?? '', labels },
    spec: {
      replicas: webApp.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'web', image: webApp.spec.image, ports: [{ name: 'http', containerPort: webApp.spec.port }], ...(env.length > 0 ? { env } : {}) }],
        },
      },
    },
  };
  setControllerReference(webApp, deployment);
  return deployment;
}

/** True when `current` runs what `desired` asks for (the fields the WebApp decides). */
export function deploymentMatches(current: DeepReadonly<Deployment>, desired: Deployment): boolean {
  const a = current.spec?.template.spec?.containers[0];
  const b = desired.spec?.template.spec?.containers[0];
  return (
    current.spec?.replicas === desired.spec?.replicas &&
    a?.image === b?.image &&
    a?.ports?.[0]?.containerPort === b?.ports?.[0]?.containerPort &&
    JSON.stringify(a?.env ?? []) === JSON.stringify(b?.env ?? [])
  );
}

/** `current` changed to what `desired` asks for, everything else kept (a copy). */
export function updatedDeployment(current: DeepReadonly<Deployment>, desired: Deployment): Deployment {
  const copy = structuredClone(current) as Deployment;
  if (copy.spec !== undefined && desired.spec !== undefined) {
    copy.spec = { ...copy.spec, template: desired.spec.template, ...(desired.spec.replicas === undefined ? {} : { replicas: desired.spec.replicas }) };
  }
  return copy;
}

export function desiredService(webApp: DeepReadonly<WebAppObject>): Service {
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: webApp.metadata?.name ?? '', namespace: webApp.metadata?.namespace ?? '', labels: labelsFor(webApp) },
    spec: { selector: labelsFor(webApp), ports: [{ name: 'http', port: webApp.spec.port, targetPort: 'http' }] },
  };
  setControllerReference(webApp, service);
  return service;
}

export function serviceMatches(current: DeepReadonly<Service>, desired: Service): boolean {
  return current.spec?.ports?.[0]?.port === desired.spec?.ports?.[0]?.port;
}

export function updatedService(current: DeepReadonly<Service>, desired: Service): Service {
  const copy = structuredClone(current) as Service;
  copy.spec = { ...copy.spec, ports: desired.spec?.ports ?? [] };
  return copy;
}

/**
 * The route of a WebApp: a ConfigMap in {@link ROUTES_NAMESPACE}, as a stand-in for state outside
 * the WebApp's namespace (a DNS record, a load balancer entry). An owner reference cannot cross
 * namespaces, so the garbage collector would never delete it: the WebApp's finalizer does.
 */
export function routeConfigMap(webApp: DeepReadonly<WebAppObject>): ConfigMap {
  const namespace = webApp.metadata?.namespace ?? '';
  const name = webApp.metadata?.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: routeName(namespace, name), namespace: ROUTES_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'webapp-operator' } },
    data: { namespace, name, url: urlOf(webApp) },
  };
}

export function routeName(namespace: string, name: string): string {
  return `${namespace}.${name}`;
}
