/**
 * @module
 * Cluster IPs and node ports for Services, reserved in storage so that they stay unique across
 * restarts and across several API servers sharing one store. Each reservation is a key of its own —
 * `/registry/core/allocations/serviceips/<ip>` or `/registry/core/allocations/nodeports/<port>` —
 * created with the store's create-if-absent, so two servers racing for one value see one succeed and
 * the other get KeyExists and move on. The value names the owning Service (namespace, name, uid), so
 * a release only ever removes its own reservations.
 *
 * Follows pkg/registry/core/service/ipallocator and portallocator: the network and (IPv4) broadcast
 * addresses are never handed out; a requested value must be in range and free ("provided IP is
 * already allocated"); dynamic allocation picks at random, trying the upper part of the range first
 * so the lower part stays free for static requests (ServiceIPStaticSubrange and
 * ServiceNodePortStaticSubrange, calculateRangeOffset); a dry run checks and picks but reserves
 * nothing. {@link allocateForService} decides which values a new Service needs, as
 * pkg/registry/core/service/storage/alloc.go allocateCreate does.
 */
import { fieldErrors, invalidError } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { type StatusError, internalError } from '../../api/status.js';
import { isStorageError } from '../../storage/errors.js';
import type { Store } from '../../storage/interface.js';
import type { UpdateReservation } from '../registry/resource-definition.js';
import { type IPFamily, bitsOf, formatIP, formatValue, parseCIDR, parseIP } from './network-validation.js';
import { numberOr, strings } from '../../api/json-values.js';

export const SERVICE_IP_PREFIX = '/registry/core/allocations/serviceips/';
export const NODE_PORT_PREFIX = '/registry/core/allocations/nodeports/';

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

/** The part of the store the allocator uses. */
export type AllocationStore = Pick<Store, 'get' | 'list' | 'create' | 'delete'>;

/** Who holds a reservation. */
export interface AllocationOwner {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export type AllocationErrorReason = 'Allocated' | 'NotInRange' | 'Full';

/** A value that cannot be had; the message is upstream's (ipallocator/portallocator errors). */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';
  constructor(
    readonly reason: AllocationErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface ServiceAllocatorOptions {
  /** The CIDR cluster IPs come from (--service-cluster-ip-range). @defaultValue '10.96.0.0/12' */
  readonly serviceClusterIPRange?: string;
  /** The node port range, `first-last` (--service-node-port-range). @defaultValue '30000-32767' */
  readonly nodePortRange?: string;
  /** A number in [0, 1), for picking where a scan starts. @defaultValue Math.random */
  readonly random?: () => number;
}

/** A run of values `[base, base + size)`, of which the first `offset` are kept for static requests. */
interface Band {
  readonly base: bigint;
  readonly size: bigint;
  readonly offset: bigint;
}

export class ServiceAllocator {
  /** The family of every cluster IP this allocator hands out. */
  readonly family: IPFamily;
  /** The service CIDR as configured, for messages. */
  readonly serviceCIDR: string;
  /** The node port range as `first-last`, for messages. */
  readonly nodePorts: string;
  private readonly ips: Band;
  private readonly ports: Band;
  private readonly random: () => number;

  constructor(options: ServiceAllocatorOptions = {}) {
    this.serviceCIDR = options.serviceClusterIPRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE;
    const cidr = parseCIDR(this.serviceCIDR);
    if (cidr === undefined) throw new Error(`invalid service cluster IP range ${JSON.stringify(this.serviceCIDR)}`);
    this.family = cidr.ip.family;
    const hostBits = bitsOf(this.family) - cidr.prefix;
    const total = 1n << BigInt(hostBits);
    // The network address is never used, nor is the IPv4 broadcast address (ipallocator.NewAllocatorCIDRRange).
    const size = total - (this.family === 'IPv4' ? 2n : 1n);
    if (size < 1n) throw new Error(`service cluster IP range ${this.serviceCIDR} has no usable addresses`);
    this.ips = { base: cidr.network + 1n, size, offset: rangeOffset(total, 16n, 256n, 16n) };

    this.nodePorts = options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    const match = /^(\d+)-(\d+)$/.exec(this.nodePorts);
    const first = Number(match?.[1]);
    const last = Number(match?.[2]);
    if (match === null || first < 1 || last > 65535 || first > last) {
      throw new Error(`invalid node port range ${JSON.stringify(this.nodePorts)}`);
    }
    const portCount = BigInt(last - first + 1);
    this.ports = { base: BigInt(first), size: portCount, offset: rangeOffset(portCount, 16n, 128n, 32n) };
    this.random = options.random ?? Math.random;
  }

  /**
   * Reserves `requested` (an IP in any accepted spelling), or the next free IP when it is undefined,
   * for `owner`; returns the IP in canonical form. On a dry run the IP is checked or picked but not
   * reserved.
   */
  async allocateIP(store: AllocationStore, owner: AllocationOwner, requested: string | undefined, dryRun: boolean): Promise<string> {
    if (requested === undefined) {
      const value = await this.next(store, SERVICE_IP_PREFIX, this.ips, (v) => formatValue(this.family, v), owner, dryRun);
      return formatValue(this.family, value);
    }
    const ip = parseIP(requested);
    if (ip === undefined || ip.family !== this.family || !within(this.ips, ip.value)) {
      const shown = ip === undefined ? requested : formatIP(ip);
      throw new AllocationError(
        'NotInRange',
        `the provided IP (${shown}) is not in the valid range. The range of valid IPs is ${this.serviceCIDR}`,
      );
    }
    const canonical = formatIP(ip);
    await this.claim(store, SERVICE_IP_PREFIX + canonical, owner, dryRun, 'provided IP is already allocated');
    return canonical;
  }

  /** Reserves `requested`, or the next free node port; as {@link allocateIP}. */
  async allocateNodePort(store: AllocationStore, owner: AllocationOwner, requested: number | undefined, dryRun: boolean): Promise<number> {
    if (requested === undefined) return Number(await this.next(store, NODE_PORT_PREFIX, this.ports, String, owner, dryRun));
    if (!Number.isInteger(requested) || !within(this.ports, BigInt(requested))) {
      throw new AllocationError('NotInRange', `provided port is not in the valid range. The range of valid ports is ${this.nodePorts}`);
    }
    await this.claim(store, NODE_PORT_PREFIX + String(requested), owner, dryRun, 'provided port is already allocated');
    return requested;
  }

  /** Releases `ip` if `owner` holds it (a reservation of someone else is left alone). */
  async releaseIP(store: AllocationStore, owner: AllocationOwner, ip: string): Promise<void> {
    const parsed = parseIP(ip);
    if (parsed !== undefined) await release(store, SERVICE_IP_PREFIX + formatIP(parsed), owner.uid);
  }

  async releaseNodePort(store: AllocationStore, owner: AllocationOwner, port: number): Promise<void> {
    await release(store, NODE_PORT_PREFIX + String(port), owner.uid);
  }

  /**
   * Releases every reservation `owner` holds, including any its spec no longer shows (one an update
   * failed to release).
   */
  async releaseAll(store: AllocationStore, owner: AllocationOwner): Promise<void> {
    for (const prefix of [SERVICE_IP_PREFIX, NODE_PORT_PREFIX]) {
      const { items } = await store.list(prefix);
      for (const kv of items) {
        if (ownerUid(kv.value) === owner.uid) await release(store, kv.key, owner.uid);
      }
    }
  }

  /** Creates `key` for `owner`; on a dry run only checks that it is free. */
  private async claim(store: AllocationStore, key: string, owner: AllocationOwner, dryRun: boolean, taken: string): Promise<void> {
    if (dryRun) {
      if ((await store.get(key)) !== undefined) throw new AllocationError('Allocated', taken);
      return;
    }
    try {
      await store.create(key, ownerRecord(owner));
    } catch (error) {
      if (isStorageError(error, 'KeyExists')) throw new AllocationError('Allocated', taken);
      throw error;
    }
  }

  /**
   * The next free value of `band`: a random start in the upper part, scanning round it, then the
   * same in the lower part. Values seen taken (listed, or lost to a racing create) are skipped.
   */
  private async next(
    store: AllocationStore,
    prefix: string,
    band: Band,
    keyOf: (value: bigint) => string,
    owner: AllocationOwner,
    dryRun: boolean,
  ): Promise<bigint> {
    const taken = new Set((await store.list(prefix)).items.map((kv) => kv.key.slice(prefix.length)));
    const parts: [bigint, bigint][] = [
      [band.base + band.offset, band.size - band.offset],
      [band.base, band.offset],
    ];
    for (const [start, size] of parts) {
      if (size <= 0n) continue;
      const first = this.pick(size);
      for (let i = 0n; i < size; i++) {
        const value = start + ((first + i) % size);
        const name = keyOf(value);
        if (taken.has(name)) continue;
        if (dryRun) return value;
        try {
          await store.create(prefix + name, ownerRecord(owner));
          return value;
        } catch (error) {
          if (!isStorageError(error, 'KeyExists')) throw error;
          taken.add(name);
        }
      }
    }
    throw new AllocationError('Full', 'range is full');
  }

  /** A random offset in `[0, size)`. */
  private pick(size: bigint): bigint {
    const r = Math.min(Math.max(this.random(), 0), 1 - Number.EPSILON);
    return BigInt(Math.floor(r * 2 ** 52)) % size;
  }
}

/** calculateRangeOffset: min(max(min, size / step), max), or 0 for ranges of at most `min` values. */
function rangeOffset(size: bigint, min: bigint, max: bigint, step: bigint): bigint {
  if (size <= min) return 0n;
  const offset = size / step;
  return offset < min ? min : offset > max ? max : offset;
}

function within(band: Band, value: bigint): boolean {
  return value >= band.base && value < band.base + band.size;
}

function ownerRecord(owner: AllocationOwner): string {
  const record: JsonObject = { namespace: owner.namespace, name: owner.name, uid: owner.uid };
  return JSON.stringify(record);
}

function ownerUid(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && 'uid' in parsed && typeof parsed.uid === 'string') return parsed.uid;
  } catch {
    // A reservation that is not ours to read is nobody's to release.
  }
  return undefined;
}

/** Deletes `key` if `uid` owns it; a key already gone or changed meanwhile is left as it is. */
async function release(store: AllocationStore, key: string, uid: string): Promise<void> {
  const kv = await store.get(key);
  if (kv === undefined || ownerUid(kv.value) !== uid) return;
  try {
    await store.delete(key, { expectedRevision: kv.modRevision });
  } catch (error) {
    if (!isStorageError(error, 'KeyNotFound') && !isStorageError(error, 'Conflict')) throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// What a Service needs (alloc.go allocateCreate, txnAllocClusterIPs, initNodePorts, allocHealthCheckNodePort).

/**
 * Allocates what the new Service `service` needs, writing the values into its spec: cluster IPs
 * for every family in spec.ipFamilies (unless it is headless or an ExternalName), node ports for
 * NodePort and LoadBalancer Services, and a health check node port for a LoadBalancer with
 * externalTrafficPolicy Local. Returns how to give them all back. Throws upstream's errors: 422 for
 * a requested value that is out of range or taken, 500 when a range is full.
 */
export async function allocateForService(
  allocator: ServiceAllocator,
  service: JsonObject,
  store: AllocationStore,
  dryRun: boolean,
): Promise<() => Promise<void>> {
  const reserved = await reserveFor(allocator, service, NOTHING_HELD, store, dryRun);
  return reserved.undo;
}

/**
 * Allocates what an updated Service needs beyond what `old` holds (alloc.go allocateUpdate): cluster
 * IPs when an ExternalName becomes another type, node ports when it becomes a NodePort or
 * LoadBalancer or gains a port, a health check node port when it starts needing one. Once the update
 * is stored, what `old` held and the new spec no longer uses is released (releaseIPs and the node
 * port release of the update transaction's commit).
 */
export async function allocateForServiceUpdate(
  allocator: ServiceAllocator,
  service: JsonObject,
  old: JsonObject,
  store: AllocationStore,
  dryRun: boolean,
): Promise<UpdateReservation> {
  const before = heldBy(old);
  const reserved = await reserveFor(allocator, service, before, store, dryRun);
  const owner = ownerOf(service);
  return {
    undo: reserved.undo,
    commit: async () => {
      if (dryRun) return;
      const after = heldBy(service);
      for (const ip of before.ips) if (!after.ips.has(ip)) await allocator.releaseIP(store, owner, ip);
      for (const port of before.ports) if (!after.ports.has(port)) await allocator.releaseNodePort(store, owner, port);
    },
  };
}

/** The cluster IPs and node ports a Service's spec shows it holding. */
interface Held {
  readonly ips: ReadonlySet<string>;
  readonly ports: ReadonlySet<number>;
}

const NOTHING_HELD: Held = { ips: new Set(), ports: new Set() };

function heldBy(service: JsonObject): Held {
  const spec = isJsonObject(service.spec) ? service.spec : {};
  const clusterIPs = strings(spec.clusterIPs);
  const ips = spec.type === 'ExternalName' || clusterIPs[0] === 'None' ? [] : clusterIPs.filter((ip) => ip !== '');
  const ports = new Set<number>();
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    for (const port of Array.isArray(spec.ports) ? spec.ports.filter(isJsonObject) : []) {
      const nodePort = numberOr(port.nodePort, 0);
      if (nodePort !== 0) ports.add(nodePort);
    }
  }
  const healthCheck = numberOr(spec.healthCheckNodePort, 0);
  if (needsHealthCheck(spec) && healthCheck !== 0) ports.add(healthCheck);
  return { ips: new Set(ips), ports };
}

/** Reserves what `service` needs and `held` does not cover; returns how to give those back. */
async function reserveFor(
  allocator: ServiceAllocator,
  service: JsonObject,
  held: Held,
  store: AllocationStore,
  dryRun: boolean,
): Promise<{ undo: () => Promise<void> }> {
  const owner = ownerOf(service);
  const ips: string[] = [];
  const ports = new Set<number>();
  const undo = async (): Promise<void> => {
    if (dryRun) return;
    for (const ip of ips) await allocator.releaseIP(store, owner, ip);
    for (const port of ports) await allocator.releaseNodePort(store, owner, port);
  };
  try {
    await allocateClusterIPs(allocator, service, held.ips, store, dryRun, ips);
    await allocateNodePorts(allocator, service, held.ports, store, dryRun, ports);
  } catch (error) {
    await undo();
    throw error;
  }
  return { undo };
}

/** Releases everything a deleted Service held. */
export async function releaseForService(allocator: ServiceAllocator, service: JsonObject, store: AllocationStore): Promise<void> {
  await allocator.releaseAll(store, ownerOf(service));
}

function ownerOf(service: JsonObject): AllocationOwner {
  const metadata = isJsonObject(service.metadata) ? service.metadata : {};
  const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
  return { namespace: text(metadata.namespace), name: text(metadata.name), uid: text(metadata.uid) };
}

function specOf(service: JsonObject): JsonObject {
  const spec = isJsonObject(service.spec) ? service.spec : {};
  service.spec = spec;
  return spec;
}

function nameOf(service: JsonObject): string {
  return ownerOf(service).name;
}

async function allocateClusterIPs(
  allocator: ServiceAllocator,
  service: JsonObject,
  held: ReadonlySet<string>,
  store: AllocationStore,
  dryRun: boolean,
  allocated: string[],
): Promise<void> {
  const spec = specOf(service);
  if (spec.type === 'ExternalName') return;
  const clusterIPs = strings(spec.clusterIPs);
  if (clusterIPs[0] === 'None') return;
  const families = strings(spec.ipFamilies);
  if (families.length === 0) families.push(allocator.family);
  const result = [...clusterIPs];
  for (const [i, family] of families.entries()) {
    // Validation has refused families this cluster does not serve; a second one is never ours.
    if (family !== allocator.family) continue;
    const requested = clusterIPs[i] ?? '';
    if (held.has(requested)) continue;
    try {
      const ip = await allocator.allocateIP(store, ownerOf(service), requested === '' ? undefined : requested, dryRun);
      if (!dryRun) allocated.push(ip);
      result[i] = requested === '' ? ip : requested;
    } catch (error) {
      throw translate(error, () =>
        requested === ''
          ? internalError(new Error(`failed to allocate a serviceIP: ${messageOf(error)}`))
          : invalidError(SERVICE_KIND, nameOf(service), [
              fieldErrors.invalid('spec.clusterIPs', clusterIPs, `failed to allocate IP ${requested}: ${messageOf(error)}`),
            ]),
      );
    }
  }
  spec.clusterIPs = result;
  spec.clusterIP = result[0] ?? '';
}

async function allocateNodePorts(
  allocator: ServiceAllocator,
  service: JsonObject,
  held: ReadonlySet<number>,
  store: AllocationStore,
  dryRun: boolean,
  allocated: Set<number>,
): Promise<void> {
  const spec = specOf(service);
  const owner = ownerOf(service);
  const reserve = async (requested: number | undefined, path: string): Promise<number> => {
    if (requested !== undefined && held.has(requested)) return requested;
    try {
      const port = await allocator.allocateNodePort(store, owner, requested, dryRun);
      if (!dryRun) allocated.add(port);
      return port;
    } catch (error) {
      throw translate(error, () =>
        requested === undefined
          ? internalError(new Error(`failed to allocate a nodePort: ${messageOf(error)}`))
          : invalidError(SERVICE_KIND, nameOf(service), [fieldErrors.invalid(path, requested, messageOf(error))]),
      );
    }
  };
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const ports = Array.isArray(spec.ports) ? spec.ports.filter(isJsonObject) : [];
    // One node port per service port number: TCP and UDP on port 53 share it (initNodePorts).
    const byPort = new Map<number, number>();
    for (const [i, port] of ports.entries()) {
      const number = numberOr(port.port, 0);
      const nodePort = numberOr(port.nodePort, 0);
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
      const path = `spec.ports[${i}].nodePort`;
      const known = byPort.get(number);
      if (known === undefined) {
        const requested = ports.slice(i).find((p) => numberOr(p.port, 0) === number && numberOr(p.nodePort, 0) !== 0);
        const wanted = requested === undefined ? undefined : numberOr(requested.nodePort, 0);
        const got = await reserve(wanted, path);
        port.nodePort = got;
        byPort.set(number, got);
      } else if (nodePort !== known) {
        if (nodePort === 0) port.nodePort = known;
        else await reserve(nodePort, path);
      }
    }
  }
  if (needsHealthCheck(spec)) {
    const requested = numberOr(spec.healthCheckNodePort, 0);
    if (held.has(requested)) return;
    try {
      spec.healthCheckNodePort = await allocator.allocateNodePort(store, owner, requested === 0 ? undefined : requested, dryRun);
      if (!dryRun) allocated.add(spec.healthCheckNodePort);
    } catch (error) {
      const what = requested === 0 ? `a HealthCheck NodePort 0` : `requested HealthCheck NodePort ${requested}`;
      throw translate(error, () => internalError(new Error(`failed to allocate ${what}: ${messageOf(error)}`)));
    }
  }
}

const SERVICE_KIND = { group: '', kind: 'Service' };

/** shouldAllocateNodePorts: NodePort always, LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function shouldAllocateNodePorts(spec: JsonObject): boolean {
  if (spec.type === 'NodePort') return true;
  return spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false;
}

/** apiservice.NeedsHealthCheck: a LoadBalancer that keeps traffic on the node it arrives at. */
export function needsHealthCheck(spec: JsonObject): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** Allocation errors become the given Status error; anything else (storage trouble) passes through. */
function translate(error: unknown, status: () => StatusError): unknown {
  return error instanceof AllocationError ? status() : error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

