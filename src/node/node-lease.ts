/**
 * @module
 * Node heartbeats through Leases (KEP-589), as the kubelet's lease controller does
 * (k8s.io/component-helpers/apimachinery/lease/controller.go, wired up in pkg/kubelet/kubelet.go):
 * one Lease per node in `kube-node-lease`, named after the node, holderIdentity = the node name,
 * leaseDurationSeconds 40 (the kubelet's nodeLeaseDurationSeconds), owned by the Node so it goes
 * with it, renewed every 0.25 × 40 s = 10 s (nodeLeaseRenewIntervalFraction) with 4% jitter
 * (wait.JitterUntil(…, 0.04, …)). The full Node status is posted far less often: on change, or every
 * nodeStatusReportFrequency, 5 minutes (pkg/kubelet/apis/config/v1beta1/defaults.go), because the
 * Lease carries liveness.
 *
 * Renewal updates the Lease the controller last wrote (its `latestLease`), so a renewal is one PUT;
 * on a conflict or a missing Lease it reads or re-creates it, as upstream's `ensureLease` does.
 */
import type { coordinationV1 } from '../api/types/index.js';
import { formatMicroTime } from '../api/time.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_LEASE_DURATION_SECONDS = 40;
/** nodeLeaseRenewIntervalFraction in pkg/kubelet/kubelet.go. */
export const NODE_LEASE_RENEW_INTERVAL_FRACTION = 0.25;
/** The jitter factor of the lease controller's JitterUntil loop. */
export const NODE_LEASE_RENEW_JITTER = 0.04;
/** nodeStatusReportFrequency's default. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

/** The Lease a node creates (newLease with no base: the controller's first write). */
export function buildNodeLease(nodeName: string, nodeUid: string | undefined, now: number, durationSeconds = NODE_LEASE_DURATION_SECONDS): coordinationV1.Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid === undefined ? {} : { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] }),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: formatMicroTime(now) },
  };
}

/** The renewal of `latest` (newLease from a base): holder and duration reasserted, renewTime now. */
export function renewedNodeLease(latest: coordinationV1.Lease, nodeName: string, nodeUid: string | undefined, now: number, durationSeconds = NODE_LEASE_DURATION_SECONDS): coordinationV1.Lease {
  const owners = latest.metadata?.ownerReferences ?? [];
  const ownerReferences = owners.length === 0 && nodeUid !== undefined ? [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] : owners;
  return {
    ...latest,
    metadata: { ...latest.metadata, ...(ownerReferences.length === 0 ? {} : { ownerReferences }) },
    spec: { ...latest.spec, holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: formatMicroTime(now) },
  };
}

/** The renew interval of a lease duration, in milliseconds. */
export function renewIntervalMs(leaseDurationSeconds: number): number {
  return leaseDurationSeconds * 1000 * NODE_LEASE_RENEW_INTERVAL_FRACTION;
}

/** wait.Jitter: `interval` plus up to `factor` of it, at random. */
export function jittered(intervalMs: number, factor: number, random: () => number): number {
  return intervalMs + random() * factor * intervalMs;
}
