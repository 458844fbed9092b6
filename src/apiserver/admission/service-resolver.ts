/**
 * @module
 * Where a webhook's clientConfig.service is reached: one ready endpoint of the Service, as
 * kube-apiserver does with --enable-aggregator-routing (kube-aggregator's NewEndpointServiceResolver
 * over k8s.io/apiserver pkg/util/proxy/proxy.go ResolveEndpoint). kubelite has no cluster network,
 * so a clusterIP leads nowhere; an endpoint does — typically a selector-less Service whose
 * EndpointSlice or Endpoints point at a webhook running on the developer's machine (127.0.0.1).
 *
 * Upstream's rules, in order: the Service must exist; its type must be ClusterIP, NodePort or
 * LoadBalancer; one of its ports must have the requested port number; the endpoint port is the one
 * with the same name as that service port (both unnamed for a single-port Service); an endpoint
 * qualifies when it is ready (an EndpointSlice endpoint whose `ready` is absent or true, an address
 * of an Endpoints subset's `addresses`). One is picked at random, of the Service's primary IP family
 * when there is one.
 *
 * EndpointSlices (labelled kubernetes.io/service-name) are read first, as upstream reads them since
 * 1.33. Upstream's EndpointSliceMirroring controller turns a selector-less Service's Endpoints into
 * slices; kubelite has no such controller, so when a Service has no slice its Endpoints object is
 * read instead — the same endpoints the mirrored slices would carry.
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { objects, str, strings } from './read-json.js';
import type { ServiceReference } from './webhook.js';

/** The label that ties an EndpointSlice to its Service (discovery.k8s.io/v1 LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** What resolution reads: the slice of the Services, EndpointSlices and Endpoints caches it needs. */
export interface ServiceLookup {
  service(namespace: string, name: string): JsonObject | undefined;
  /** The EndpointSlices labelled with the Service's name. */
  endpointSlices(namespace: string, service: string): readonly JsonObject[];
  endpoints(namespace: string, name: string): JsonObject | undefined;
}

/** `host:port` to connect to (an IPv6 address in brackets), or why there is none (upstream's words). */
export type Resolution = { readonly host: string } | { readonly error: string };

/** Resolves a webhook's service reference to one endpoint. */
export type ServiceResolver = (service: ServiceReference) => Resolution;

const ROUTABLE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer']);

interface Candidate {
  readonly host: string;
  /** IPv4, IPv6 or FQDN: the slice's addressType, or the address's family for Endpoints. */
  readonly family: string;
}

export interface EndpointServiceResolverOptions {
  /** Picks among ready endpoints: a number in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
}

/** Upstream's endpoint routing over `lookup`. */
export function endpointServiceResolver(lookup: ServiceLookup, options: EndpointServiceResolverOptions = {}): ServiceResolver {
  const random = options.random ?? Math.random;
  return ({ namespace, name, port }) => {
    const service = lookup.service(namespace, name);
    // The lister's NotFound: resource "service", the name alone.
    if (service === undefined) return { error: `service ${JSON.stringify(name)} not found` };
    const spec = isJsonObject(service.spec) ? service.spec : {};
    const type = str(spec.type) ?? 'ClusterIP';
    if (!ROUTABLE_TYPES.has(type)) return { error: `unsupported service type ${JSON.stringify(type)}` };
    const servicePort = objects(spec.ports).find((candidate) => candidate.port === port);
    if (servicePort === undefined) return { error: `no service port ${port} found for service ${JSON.stringify(name)}` };
    const portName = str(servicePort.name) ?? '';
    const slices = lookup.endpointSlices(namespace, name);
    const endpoints = slices.length > 0 ? undefined : lookup.endpoints(namespace, name);
    // No slice and no Endpoints is "no endpoints available", as upstream words an empty slice list.
    const candidates = endpoints === undefined ? sliceCandidates(slices, portName) : endpointsCandidates(endpoints, portName);
    const preferred = strings(spec.ipFamilies)[0];
    const ofPreferred = candidates.filter((candidate) => candidate.family === preferred);
    const pool = ofPreferred.length > 0 ? ofPreferred : candidates;
    const chosen = pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))];
    if (chosen === undefined) return { error: `no endpoints available for service ${JSON.stringify(name)}` };
    return { host: chosen.host };
  };
}

/** Ready endpoints of the slices serving the named port (RandomEndpoint's candidates). */
function sliceCandidates(slices: readonly JsonObject[], portName: string): Candidate[] {
  const found: Candidate[] = [];
  for (const slice of slices) {
    const family = str(slice.addressType) ?? '';
    const port = objects(slice.ports).find((candidate) => (str(candidate.name) ?? '') === portName && typeof candidate.port === 'number');
    if (port === undefined || typeof port.port !== 'number') continue;
    for (const endpoint of objects(slice.endpoints)) {
      const conditions = isJsonObject(endpoint.conditions) ? endpoint.conditions : {};
      if (conditions.ready === false) continue;
      // An endpoint lists one address that counts (upstream uses addresses[0]).
      const address = strings(endpoint.addresses)[0];
      if (address !== undefined) found.push({ host: joinHostPort(address, port.port), family });
    }
  }
  return found;
}

/** Ready addresses of the Endpoints subsets serving the named port (ResolveEndpoints' candidates). */
function endpointsCandidates(endpoints: JsonObject, portName: string): Candidate[] {
  const found: Candidate[] = [];
  for (const subset of objects(endpoints.subsets)) {
    const port = objects(subset.ports).find((candidate) => (str(candidate.name) ?? '') === portName);
    if (port === undefined || typeof port.port !== 'number') continue;
    for (const address of objects(subset.addresses)) {
      const ip = str(address.ip);
      if (ip !== undefined) found.push({ host: joinHostPort(ip, port.port), family: ip.includes(':') ? 'IPv6' : 'IPv4' });
    }
  }
  return found;
}

/** net.JoinHostPort: an IPv6 address goes in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${String(port)}` : `${host}:${String(port)}`;
}
