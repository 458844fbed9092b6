/**
 * @module
 * The EndpointSlice reconciler as a pure function (upstream staging/src/k8s.io/endpointslice
 * reconciler.go and utils.go, simplified): from a Service, its pods and the slices it has, the slices
 * to create, update and delete. Endpoints are grouped by address type and by the set of ports they
 * serve (a named targetPort may resolve differently per pod); an endpoint stays in the slice that
 * holds it, so changes touch few slices; new endpoints fill slices already being updated, then
 * slices with room, then new slices of at most `maxEndpointsPerSlice`. Slices of port sets no longer
 * needed, or owned by another Service of the same name, are deleted; a Service without endpoints
 * keeps one empty placeholder slice per address type.
 */
import type { coreV1, discoveryV1 } from '../../api/types/index.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import { isPodReady } from '../controller-utils/pod-utils.js';
import {
  findPort,
  LABEL_SERVICE_NAME,
  LABEL_SLICE_MANAGED_BY,
  podIPs,
  podReference,
  serviceLabelsForEndpoints,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  SLICE_CONTROLLER_NAME,
} from './endpoints-util.js';

type Pod = DeepReadonly<coreV1.Pod>;
type Service = DeepReadonly<coreV1.Service>;
type EndpointSlice = discoveryV1.EndpointSlice;
type Endpoint = discoveryV1.Endpoint;
type EndpointPort = discoveryV1.EndpointPort;
type AddressType = 'IPv4' | 'IPv6';

/** Upstream's default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** The node label giving an endpoint's zone. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface SliceChanges {
  readonly create: EndpointSlice[];
  readonly update: EndpointSlice[];
  readonly delete: DeepReadonly<EndpointSlice>[];
}

export interface ReconcileInput {
  readonly service: Service;
  /** The pods the Service's selector matches. */
  readonly pods: readonly Pod[];
  /** The slices labelled as this Service's and managed by this controller. */
  readonly existing: readonly DeepReadonly<EndpointSlice>[];
  /** The zone of a node, if known. */
  readonly nodeZone?: (nodeName: string) => string | undefined;
  /** @defaultValue {@link MAX_ENDPOINTS_PER_SLICE} */
  readonly maxEndpointsPerSlice?: number;
}

/** A group of endpoints serving the same ports. */
interface PortGroup {
  readonly ports: EndpointPort[];
  /** endpoint key (pod uid) → endpoint. */
  readonly endpoints: Map<string, Endpoint>;
}

/** What slices the Service needs, against what it has. */
export function reconcileSlices(input: ReconcileInput): SliceChanges {
  const { service, existing } = input;
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const changes: SliceChanges = { create: [], update: [], delete: [] };
  const types = addressTypes(service);
  const meta = sliceMeta(service);
  const owned: DeepReadonly<EndpointSlice>[] = [];
  for (const slice of existing) {
    const ownedByService = slice.metadata?.ownerReferences?.some((r) => r.controller === true && r.uid === service.metadata?.uid) === true;
    if (ownedByService && (types as readonly string[]).includes(slice.addressType)) owned.push(slice);
    else changes.delete.push(slice);
  }
  for (const type of types) {
    const desired = desiredEndpoints(input, type);
    const ofType = owned.filter((s) => s.addressType === type);
    const result = reconcileAddressType(desired, ofType, meta, type, max);
    changes.create.push(...result.create);
    changes.update.push(...result.update);
    changes.delete.push(...result.delete);
  }
  return changes;
}

function reconcileAddressType(desired: Map<string, PortGroup>, existing: readonly DeepReadonly<EndpointSlice>[], meta: SliceMeta, type: AddressType, max: number): SliceChanges {
  const changes: SliceChanges = { create: [], update: [], delete: [] };
  const byPorts = new Map<string, DeepReadonly<EndpointSlice>[]>();
  for (const slice of existing) {
    const key = portsKey(slice.ports ?? []);
    if (!desired.has(key)) changes.delete.push(slice);
    else byPorts.set(key, [...(byPorts.get(key) ?? []), slice]);
  }
  for (const [key, group] of desired) {
    const placed = new Set<string>();
    const toUpdate: EndpointSlice[] = [];
    const unchanged: EndpointSlice[] = [];
    for (const slice of byPorts.get(key) ?? []) {
      let changed = !meta.matches(slice);
      const endpoints: Endpoint[] = [];
      for (const ep of slice.endpoints ?? []) {
        const epKey = endpointKey(ep);
        const want = group.endpoints.get(epKey);
        if (want === undefined || placed.has(epKey)) {
          changed = true;
          continue;
        }
        placed.add(epKey);
        endpoints.push(want);
        if (canonicalEndpoint(want) !== canonicalEndpoint(ep)) changed = true;
      }
      const next = structuredClone(slice) as EndpointSlice;
      next.endpoints = endpoints;
      if (!changed) unchanged.push(next);
      else if (endpoints.length === 0) changes.delete.push(slice);
      else toUpdate.push(meta.apply(next));
    }
    const remaining = [...group.endpoints].filter(([k]) => !placed.has(k)).map(([, ep]) => ep);
    // Fill the slices written anyway first, then the fullest unchanged ones, then new slices.
    for (const slice of toUpdate) fill(slice, remaining, max);
    unchanged.sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const slice of unchanged) {
      if (remaining.length === 0 || (slice.endpoints?.length ?? 0) >= max) continue;
      fill(slice, remaining, max);
      toUpdate.push(meta.apply(slice));
    }
    while (remaining.length > 0) {
      const slice = meta.newSlice(type, group.ports);
      fill(slice, remaining, max);
      changes.create.push(slice);
    }
    changes.update.push(...toUpdate);
  }
  // No slice would remain: keep (or make) an empty placeholder, as upstream does.
  if (changes.delete.length === existing.length && changes.create.length === 0) {
    const placeholder = changes.delete.length === 1 ? changes.delete[0] : undefined;
    if (placeholder !== undefined && isPlaceholder(placeholder) && meta.matches(placeholder)) changes.delete.length = 0;
    else changes.create.push(meta.newSlice(type, []));
  }
  return changes;
}

function fill(slice: EndpointSlice, remaining: Endpoint[], max: number): void {
  slice.endpoints ??= [];
  while (remaining.length > 0 && slice.endpoints.length < max) {
    const next = remaining.shift();
    if (next !== undefined) slice.endpoints.push(next);
  }
}

function isPlaceholder(slice: DeepReadonly<EndpointSlice>): boolean {
  return (slice.endpoints ?? []).length === 0 && (slice.ports ?? []).length === 0;
}

/** The endpoints of one address type, by port set (upstream reconcile's pod loop and podToEndpoint). */
function desiredEndpoints(input: ReconcileInput, type: AddressType): Map<string, PortGroup> {
  const { service } = input;
  const groups = new Map<string, PortGroup>();
  for (const pod of input.pods) {
    // Terminating pods stay, with the terminating condition; terminal ones and those without IP go.
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const address = podIPs(pod).find((ip) => (type === 'IPv6') === ip.includes(':'));
    if (address === undefined) continue;
    const ports = endpointPorts(service, pod);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { ports, endpoints: new Map() }));
    const serving = isPodReady(pod);
    const terminating = pod.metadata?.deletionTimestamp !== undefined;
    const endpoint: Endpoint = {
      addresses: [address],
      conditions: { ready: service.spec?.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
      targetRef: podReference(pod),
    };
    const nodeName = pod.spec?.nodeName;
    if (nodeName !== undefined && nodeName !== '') {
      endpoint.nodeName = nodeName;
      const zone = input.nodeZone?.(nodeName);
      if (zone !== undefined) endpoint.zone = zone;
    }
    if (shouldSetHostname(pod, service) && pod.spec?.hostname !== undefined) endpoint.hostname = pod.spec.hostname;
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }
  return groups;
}

/** The slice ports for the pod: each Service port whose targetPort the pod has (getEndpointPorts). */
function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: servicePort.name ?? '', port, protocol: servicePort.protocol ?? 'TCP' };
    if (servicePort.appProtocol !== undefined) ep.appProtocol = servicePort.appProtocol;
    ports.push(ep);
  }
  return ports;
}

/** The address types the Service's IP families ask for; IPv4 by default. */
function addressTypes(service: Service): AddressType[] {
  const families = service.spec?.ipFamilies ?? [];
  const types = families.filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6');
  return types.length > 0 ? [...new Set(types)] : ['IPv4'];
}

/** An endpoint's identity: its pod, or its first address. */
function endpointKey(ep: DeepReadonly<Endpoint>): string {
  return ep.targetRef?.uid ?? ep.addresses[0] ?? '';
}

/** Endpoint content in a fixed field order, so a cached copy and a computed one compare. */
function canonicalEndpoint(ep: DeepReadonly<Endpoint>): string {
  const ref = ep.targetRef;
  return JSON.stringify([
    ep.addresses,
    ep.conditions?.ready ?? null,
    ep.conditions?.serving ?? null,
    ep.conditions?.terminating ?? null,
    ep.nodeName ?? null,
    ep.zone ?? null,
    ep.hostname ?? null,
    ref === undefined ? null : [ref.kind, ref.namespace, ref.name, ref.uid],
  ]);
}

function portsKey(ports: readonly DeepReadonly<EndpointPort>[]): string {
  return JSON.stringify(ports.map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort());
}

/** The labels and owner every slice of the Service carries. */
interface SliceMeta {
  matches(slice: DeepReadonly<EndpointSlice>): boolean;
  apply(slice: EndpointSlice): EndpointSlice;
  newSlice(type: AddressType, ports: EndpointPort[]): EndpointSlice;
}

function sliceMeta(service: Service): SliceMeta {
  const name = service.metadata?.name ?? '';
  const namespace = service.metadata?.namespace ?? '';
  const labels = { ...serviceLabelsForEndpoints(service), [LABEL_SERVICE_NAME]: name, [LABEL_SLICE_MANAGED_BY]: SLICE_CONTROLLER_NAME };
  const labelsKey = JSON.stringify(Object.entries(labels).sort());
  const owner: OwnerReference = { apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
  return {
    matches: (slice) => JSON.stringify(Object.entries(slice.metadata?.labels ?? {}).sort()) === labelsKey,
    apply: (slice) => {
      slice.metadata = { ...slice.metadata, labels: { ...labels } };
      return slice;
    },
    newSlice: (type, ports) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generateName: `${name}-`, namespace, labels: { ...labels }, ownerReferences: [{ ...owner }] },
      addressType: type,
      endpoints: [],
      ports: structuredClone(ports),
    }),
  };
}
