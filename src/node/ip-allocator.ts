/**
 * @module
 * IPv4 address arithmetic for simulated nodes: each node gets a pod CIDR carved out of the cluster
 * CIDR (as the node IPAM controller's range allocator does, pkg/controller/nodeipam/ipam/
 * range_allocator.go, default cluster CIDR 10.244.0.0/16 split into /24s), and pods on a node get
 * addresses from its pod CIDR (as a CNI host-local IPAM plugin does). The first usable address of a
 * node's range is left for the bridge gateway (kubenet's cbr0 takes `.1`), so pods start at `.2`.
 *
 * An address is held by a pod uid until released: allocation is idempotent per uid, so retrying a
 * failed status write reuses the same address.
 */

/** A parsed IPv4 CIDR: the network address as an unsigned 32-bit integer and the prefix length. */
export interface Ipv4Cidr {
  readonly base: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d`, or throws. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new RangeError(`${JSON.stringify(text)} is not an IPv4 address`);
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) throw new RangeError(`${JSON.stringify(text)} is not an IPv4 address`);
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Parses `a.b.c.d/n`; host bits must be zero. */
export function parseCidr(text: string): Ipv4Cidr {
  const [address, prefixText, ...rest] = text.split('/');
  if (address === undefined || prefixText === undefined || rest.length > 0 || !/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    throw new RangeError(`${JSON.stringify(text)} is not an IPv4 CIDR`);
  }
  const prefix = Number(prefixText);
  const base = parseIpv4(address);
  if (base % blockSize(prefix) !== 0) throw new RangeError(`${JSON.stringify(text)} has host bits set`);
  return { base, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

export function cidrContains(cidr: Ipv4Cidr, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + blockSize(cidr.prefix);
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** How many subnets of `/maskSize` the cluster CIDR holds. */
export function subnetCount(cluster: Ipv4Cidr, maskSize: number): number {
  return maskSize < cluster.prefix ? 0 : 2 ** (maskSize - cluster.prefix);
}

/** The `index`-th `/maskSize` subnet of the cluster CIDR (index 0 is the first). */
export function nthSubnet(cluster: Ipv4Cidr, maskSize: number, index: number): Ipv4Cidr {
  if (!Number.isInteger(index) || index < 0 || index >= subnetCount(cluster, maskSize)) {
    throw new RangeError(`${formatCidr(cluster)} has no /${maskSize} subnet number ${index}`);
  }
  return { base: cluster.base + index * blockSize(maskSize), prefix: maskSize };
}

/** The `index`-th host address of a range, counting from the first address after the network one. */
export function nthHost(cidr: Ipv4Cidr, index: number): string {
  return formatIpv4(cidr.base + 1 + index);
}

/**
 * Pod addresses of one node's pod CIDR. Usable: network + 2 (after the gateway) up to broadcast - 1.
 * Invariant: an address is in `byIp` iff its holder maps to it in `byUid`.
 */
export class PodIPAllocator {
  readonly cidr: Ipv4Cidr;
  private readonly byUid = new Map<string, number>();
  private readonly byIp = new Map<number, string>();
  private readonly first: number;
  private readonly last: number;
  /** Next-fit cursor: a released address is not handed out again until the range wraps around. */
  private cursor: number;

  constructor(cidr: string | Ipv4Cidr) {
    this.cidr = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
    const size = blockSize(this.cidr.prefix);
    if (size < 4) throw new RangeError(`pod CIDR ${formatCidr(this.cidr)} is too small: it needs room for a gateway and pods`);
    this.first = this.cidr.base + 2;
    this.last = this.cidr.base + size - 2;
    this.cursor = this.first;
  }

  /** Addresses free to hand out. */
  get free(): number {
    return this.last - this.first + 1 - this.byIp.size;
  }

  /** The address of `uid`, allocating one if it holds none; undefined when the range is full. */
  allocate(uid: string): string | undefined {
    const held = this.byUid.get(uid);
    if (held !== undefined) return formatIpv4(held);
    const span = this.last - this.first + 1;
    for (let i = 0; i < span; i++) {
      const candidate = this.cursor;
      this.cursor = candidate === this.last ? this.first : candidate + 1;
      if (!this.byIp.has(candidate)) {
        this.hold(uid, candidate);
        return formatIpv4(candidate);
      }
    }
    return undefined;
  }

  /**
   * Records that `uid` already has `ip` (a pod found running after a restart). False when the address
   * is outside the usable range or held by another uid.
   */
  reserve(uid: string, ip: string): boolean {
    let value: number;
    try {
      value = parseIpv4(ip);
    } catch {
      return false;
    }
    if (value < this.first || value > this.last) return false;
    const holder = this.byIp.get(value);
    if (holder !== undefined) return holder === uid;
    this.release(uid);
    this.hold(uid, value);
    return true;
  }

  release(uid: string): void {
    const held = this.byUid.get(uid);
    if (held === undefined) return;
    this.byUid.delete(uid);
    this.byIp.delete(held);
  }

  holderOf(ip: string): string | undefined {
    return this.byIp.get(parseIpv4(ip));
  }

  private hold(uid: string, ip: number): void {
    this.byUid.set(uid, ip);
    this.byIp.set(ip, uid);
  }
}
