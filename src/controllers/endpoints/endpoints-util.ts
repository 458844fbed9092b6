/**
 * @module
 * What the Endpoints and EndpointSlice controllers share about Services and their pods: which pods
 * belong in a Service's endpoints, which Services a pod belongs to, how a Service port's targetPort
 * resolves against a pod, and the labels both controllers stamp. Follows upstream
 * staging/src/k8s.io/endpointslice/util/controller_utils.go (ShouldPodBeInEndpoints,
 * ShouldSetHostname, GetPodServiceMemberships) and pkg/api/v1/pod/util.go (FindPort).
 */
import { selectorFromSet } from '../../api/labels.js';
import type { coreV1 } from '../../api/types/index.js';
import type { NamespaceLister } from '../../client/cache/listers.js';
import type { DeepReadonly } from '../../client/object.js';

type Pod = DeepReadonly<coreV1.Pod>;
type Service = DeepReadonly<coreV1.Service>;
type ServicePort = DeepReadonly<coreV1.ServicePort>;

/** The label marking a headless Service's Endpoints and slices (v1.IsHeadlessService). */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

/** The label naming the Service an EndpointSlice belongs to (discovery.LabelServiceName). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

/** The label naming an EndpointSlice's manager (discovery.LabelManagedBy). */
export const LABEL_SLICE_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

/** The EndpointSlice controller's value of {@link LABEL_SLICE_MANAGED_BY}. */
export const SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

/** The label naming an Endpoints object's manager (v1.EndpointsLabelManagedBy, since 1.33). */
export const LABEL_ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

/** The Endpoints controller's value of {@link LABEL_ENDPOINTS_MANAGED_BY}. */
export const ENDPOINTS_CONTROLLER_NAME = 'endpoint-controller';

/** Whether the Service is headless: clusterIP "None". */
export function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === 'None';
}

/**
 * Whether the Service's endpoints are computed by the controllers at all: it has a selector and is
 * not an ExternalName Service. A Service without a selector has its Endpoints written by the user.
 */
export function hasManagedEndpoints(service: Service): boolean {
  return service.spec?.selector !== undefined && service.spec.type !== 'ExternalName';
}

/**
 * Whether the pod belongs in endpoints at all (ShouldPodBeInEndpoints): it is not terminal, it has
 * an IP, and — unless terminating pods are included — it is not terminating.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (podIPs(pod).length === 0) return false;
  return includeTerminating || pod.metadata?.deletionTimestamp === undefined;
}

/** The pod's IPs: status.podIPs, else status.podIP. */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => ip !== undefined && ip !== '');
  if (ips.length > 0) return ips;
  const ip = pod.status?.podIP;
  return ip === undefined || ip === '' ? [] : [ip];
}

/** The pod's first IPv4 address (an address of the IPv4 family, as the controllers publish). */
export function podIPv4(pod: Pod): string | undefined {
  return podIPs(pod).find((ip) => !ip.includes(':'));
}

/**
 * Whether the endpoint gets the pod's hostname (ShouldSetHostname): the pod names a hostname and
 * its subdomain is this Service, in the same namespace.
 */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  const hostname = pod.spec?.hostname;
  return hostname !== undefined && hostname !== '' && pod.spec?.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;
}

/**
 * The pod port a Service port reaches (podutil.FindPort): a numeric targetPort as is, a named one
 * looked up among the containers' (and restartable init containers') ports of the same protocol.
 * A missing targetPort means the Service port itself. Undefined when the pod has no such port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** A reference to the pod, as endpoints carry it. */
export function podReference(pod: Pod): coreV1.ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

/**
 * The keys (`namespace/name`) of the Services in the pod's namespace whose selector matches it
 * (GetPodServiceMemberships). A Service without a selector matches nothing.
 */
export function podServiceMemberships(services: NamespaceLister<coreV1.Service>, pod: Pod): Set<string> {
  const keys = new Set<string>();
  const labels = pod.metadata?.labels ?? {};
  for (const service of services.list()) {
    const selector = service.spec?.selector;
    if (selector === undefined) continue;
    if (selectorFromSet(selector).matches(labels)) keys.add(`${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`);
  }
  return keys;
}

/**
 * The Services a pod update concerns (determineNeededServiceUpdates): with changed labels, those it
 * joined or left; with a change that moves its endpoint (IP, readiness, deletion, node, hostname),
 * every Service it is in, before or after.
 */
export function servicesToUpdateForPod(services: NamespaceLister<coreV1.Service>, old: Pod, cur: Pod): Set<string> {
  const before = podServiceMemberships(services, old);
  const after = podServiceMemberships(services, cur);
  // In no Service before or after (most pods of a large rollout): nothing to compare.
  if (before.size === 0 && after.size === 0) return before;
  if (podEndpointChanged(old, cur)) return new Set([...before, ...after]);
  const changed = new Set<string>();
  for (const key of before) if (!after.has(key)) changed.add(key);
  for (const key of after) if (!before.has(key)) changed.add(key);
  return changed;
}

/** Whether anything an endpoint of the pod shows differs (podEndpointsChanged, loosely). */
function podEndpointChanged(old: Pod, cur: Pod): boolean {
  const view = (p: Pod): string =>
    JSON.stringify([
      podIPs(p),
      p.status?.phase,
      p.metadata?.deletionTimestamp,
      p.spec?.nodeName,
      p.spec?.hostname,
      p.spec?.subdomain,
      p.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      p.spec?.containers.map((c) => c.ports),
    ]);
  return view(old) !== view(cur);
}

/** The Service's labels the controllers copy, minus the headless label, which they set themselves. */
export function serviceLabelsForEndpoints(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata?.labels ?? {})) {
    if (key !== LABEL_HEADLESS) labels[key] = value;
  }
  if (isHeadless(service)) labels[LABEL_HEADLESS] = '';
  return labels;
}
