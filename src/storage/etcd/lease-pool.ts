/**
 * @module
 * etcd leases for TTL keys, shared between keys as kube-apiserver's lease manager does
 * (staging/src/k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go): a lease granted a little longer
 * than asked (5% of the TTL, at most 60 s) serves later writes whose TTL it covers, up to 1,000
 * keys, so a stream of Events does not grant one lease per write. A key therefore expires between
 * its TTL and its TTL plus that slack.
 */
import type { Etcd3 } from 'etcd3';
import type { Clock } from '../../util/clock.js';

const REUSE_FRACTION = 0.05;
const MAX_REUSE_SECONDS = 60;
const MAX_KEYS_PER_LEASE = 1000;

interface Lease {
  readonly id: string;
  readonly expiresAt: number;
  attached: number;
}

export class LeasePool {
  private lease: Lease | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly clock: Clock,
  ) {}

  /** A lease ID under which a key written now expires after `ttlSeconds` (plus the reuse slack). */
  async leaseFor(ttlSeconds: number): Promise<string> {
    const now = this.clock.now();
    const reuse = Math.min(MAX_REUSE_SECONDS, Math.floor(ttlSeconds * REUSE_FRACTION));
    const lease = this.lease;
    if (
      lease !== undefined &&
      now + ttlSeconds * 1000 < lease.expiresAt &&
      now + (ttlSeconds + reuse) * 1000 > lease.expiresAt &&
      lease.attached < MAX_KEYS_PER_LEASE
    ) {
      lease.attached++;
      return lease.id;
    }
    const granted = await this.client.leaseClient.leaseGrant({ TTL: ttlSeconds + reuse });
    this.lease = { id: granted.ID, expiresAt: now + (ttlSeconds + reuse) * 1000, attached: 1 };
    return granted.ID;
  }
}
