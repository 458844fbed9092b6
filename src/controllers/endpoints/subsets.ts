/**
 * @module
 * The Endpoints object's subsets: computed from a Service and its pods, and put in canonical form
 * (upstream pkg/controller/endpoint/endpoints_controller.go syncService's pod loop and
 * addEndpointSubset, and pkg/api/v1/endpoints/util.go RepackSubsets): each address appears once
 * per port, ready winning over not ready; ports reaching the same addresses share one subset;
 * addresses, ports and subsets are sorted, so equal content compares equal.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { isPodReady } from '../controller-utils/pod-utils.js';
import { findPort, isHeadless, podIPv4, podReference, shouldPodBeInEndpoints, shouldSetHostname } from './endpoints-util.js';

type Pod = DeepReadonly<coreV1.Pod>;
type Service = DeepReadonly<coreV1.Service>;
type EndpointAddress = coreV1.EndpointAddress;
type EndpointPort = coreV1.EndpointPort;
type EndpointSubset = coreV1.EndpointSubset;

/** One address with one port (or none), ready or not: what a pod contributes per Service port. */
interface AddressPort {
  readonly address: EndpointAddress;
  readonly port: EndpointPort | undefined;
  readonly ready: boolean;
}

/**
 * The subsets of the Service's Endpoints from the pods its selector matched. Terminating pods are
 * left out; not-ready pods go to notReadyAddresses unless publishNotReadyAddresses. A pod lacking
 * a named targetPort is left out of that port only. A Service without ports lists its pods only when
 * headless.
 */
export function computeSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const entries: AddressPort[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = podIPv4(pod);
    if (ip === undefined) continue;
    const address: EndpointAddress = { ip, targetRef: podReference(pod) };
    if (pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '') address.nodeName = pod.spec.nodeName;
    if (shouldSetHostname(pod, service) && pod.spec?.hostname !== undefined) address.hostname = pod.spec.hostname;
    const ready = publishNotReady || isPodReady(pod);
    const servicePorts = service.spec?.ports ?? [];
    if (servicePorts.length === 0) {
      if (isHeadless(service)) entries.push({ address, port: undefined, ready });
      continue;
    }
    for (const servicePort of servicePorts) {
      const portNum = findPort(pod, servicePort);
      if (portNum === undefined) continue;
      entries.push({ address, port: endpointPort(servicePort, portNum), ready });
    }
  }
  return repack(entries);
}

/** The Endpoints port for a Service port reaching `port` (endpointPortFromServicePort). */
function endpointPort(servicePort: DeepReadonly<coreV1.ServicePort>, port: number): EndpointPort {
  const result: EndpointPort = { port, protocol: servicePort.protocol ?? 'TCP' };
  if (servicePort.name !== undefined && servicePort.name !== '') result.name = servicePort.name;
  if (servicePort.appProtocol !== undefined) result.appProtocol = servicePort.appProtocol;
  return result;
}

/** Puts existing subsets in the canonical form {@link computeSubsets} returns, for comparison. */
export function repackSubsets(subsets: readonly DeepReadonly<EndpointSubset>[]): EndpointSubset[] {
  const entries: AddressPort[] = [];
  for (const subset of subsets) {
    const ports: (EndpointPort | undefined)[] = subset.ports === undefined || subset.ports.length === 0 ? [undefined] : subset.ports.map((p) => structuredClone(p) as EndpointPort);
    for (const port of ports) {
      for (const a of subset.addresses ?? []) entries.push({ address: structuredClone(a) as EndpointAddress, port, ready: true });
      for (const a of subset.notReadyAddresses ?? []) entries.push({ address: structuredClone(a) as EndpointAddress, port, ready: false });
    }
  }
  return repack(entries);
}

/** Whether two lists of subsets hold the same addresses and ports, in whatever order. */
export function subsetsEqual(a: readonly DeepReadonly<EndpointSubset>[], b: readonly DeepReadonly<EndpointSubset>[]): boolean {
  return JSON.stringify(repackSubsets(a)) === JSON.stringify(repackSubsets(b));
}

const addressKey = (a: EndpointAddress): string => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined): string => (p === undefined ? '' : JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']));

function repack(entries: readonly AddressPort[]): EndpointSubset[] {
  // port key → address key → the address, and whether any occurrence of it was ready.
  const byPort = new Map<string, { port: EndpointPort | undefined; addresses: Map<string, { address: EndpointAddress; ready: boolean }> }>();
  for (const entry of entries) {
    // Keys in sorted order: cached objects and computed ones then print alike.
    const address = sortedKeys(entry.address);
    const port = entry.port === undefined ? undefined : sortedKeys(entry.port);
    const ready = entry.ready;
    const key = portKey(port);
    let group = byPort.get(key);
    if (group === undefined) byPort.set(key, (group = { port, addresses: new Map() }));
    const aKey = addressKey(address);
    const seen = group.addresses.get(aKey);
    if (seen === undefined) group.addresses.set(aKey, { address, ready });
    else if (ready && !seen.ready) group.addresses.set(aKey, { address, ready });
  }
  // Ports that reach exactly the same addresses, with the same readiness, share a subset.
  const bySignature = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const { port, addresses } of byPort.values()) {
    const members = [...addresses.entries()].sort(([x], [y]) => compare(x, y));
    const signature = JSON.stringify(members.map(([key, { ready }]) => [key, ready]));
    let subset = bySignature.get(signature);
    if (subset === undefined) {
      const list = members.map(([, v]) => v);
      subset = { ports: [], ready: list.filter((v) => v.ready).map((v) => v.address), notReady: list.filter((v) => !v.ready).map((v) => v.address) };
      bySignature.set(signature, subset);
    }
    if (port !== undefined) subset.ports.push(port);
  }
  const subsets = [...bySignature.values()].map(({ ports, ready, notReady }) => {
    const subset: EndpointSubset = {};
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (ports.length > 0) subset.ports = ports.sort((x, y) => compare(portKey(x), portKey(y)));
    return subset;
  });
  return subsets.sort((x, y) => compare(JSON.stringify(x), JSON.stringify(y)));
}

function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => sortedKeys(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => compare(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortedKeys(v)])) as T;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
