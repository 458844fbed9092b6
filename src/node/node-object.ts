/**
 * @module
 * The Node object a simulated kubelet registers, and the status it reports — what the kubelet builds
 * in pkg/kubelet/kubelet_node_status.go (initialNode, setNodeStatus) with the setters of
 * pkg/kubelet/nodestatus/setters.go: well-known labels (kubernetes.io/hostname, kubernetes.io/os,
 * kubernetes.io/arch, topology.kubernetes.io/zone and region), capacity and allocatable, the
 * conditions Ready, MemoryPressure, DiskPressure and PIDPressure with their kubelet reasons and
 * messages, addresses InternalIP and Hostname, nodeInfo and daemonEndpoints. spec.podCIDR is the
 * node's range of pod addresses; providerID is set, as kwok advises, so cloud controllers accept the
 * node.
 */
import type { coreV1 } from '../api/types/index.js';
import { formatTime } from '../api/time.js';

export const KUBELET_VERSION = 'v1.32.0-kubelite';
/** The kubelet's default port, advertised in status.daemonEndpoints. */
export const KUBELET_PORT = 10250;

export interface NodeResources {
  readonly cpu: string;
  readonly memory: string;
  readonly pods: string;
  readonly [resource: string]: string;
}

export interface NodeSpecOptions {
  readonly name: string;
  readonly podCIDR: string;
  readonly internalIP: string;
  readonly capacity: NodeResources;
  /** @defaultValue capacity */
  readonly allocatable?: NodeResources;
  readonly zone?: string;
  readonly region?: string;
  readonly arch?: string;
  /** Extra labels (a `node-role.kubernetes.io/<role>` label gives the node a role). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly coreV1.Taint[];
}

/** The Node to create (the kubelet's initialNode, with the status it sends on registration). */
export function buildNode(options: NodeSpecOptions, now: number): coreV1.Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: options.name,
      labels: nodeLabels(options),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kubelite.dev/simulated': 'true' },
    },
    spec: {
      podCIDR: options.podCIDR,
      podCIDRs: [options.podCIDR],
      providerID: `kubelite://${options.name}`,
      ...(options.taints === undefined || options.taints.length === 0 ? {} : { taints: options.taints.map((t) => ({ ...t })) }),
    },
    status: nodeStatus(options, now, true),
  };
}

export function nodeLabels(options: NodeSpecOptions): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': options.arch ?? 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': options.arch ?? 'amd64',
    'kubernetes.io/hostname': options.name,
    'kubernetes.io/os': 'linux',
    'type': 'kubelite',
    ...(options.zone === undefined ? {} : { 'topology.kubernetes.io/zone': options.zone }),
    ...(options.region === undefined ? {} : { 'topology.kubernetes.io/region': options.region }),
    ...options.labels,
  };
}

/**
 * The status the node reports: every condition's lastHeartbeatTime is now. `ready` false reports
 * Ready False (KubeletNotReady), as a kubelet whose runtime is down does.
 */
export function nodeStatus(options: NodeSpecOptions, now: number, ready: boolean): coreV1.NodeStatus {
  const time = formatTime(now);
  const condition = (type: string, status: 'True' | 'False', reason: string, message: string): coreV1.NodeCondition => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
  });
  return {
    capacity: { ...options.capacity },
    allocatable: { ...(options.allocatable ?? options.capacity) },
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready
        ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : condition('Ready', 'False', 'KubeletNotReady', 'container runtime is down'),
    ],
    addresses: [
      { type: 'InternalIP', address: options.internalIP },
      { type: 'Hostname', address: options.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      machineID: machineId(options.name),
      systemUUID: machineId(`uuid/${options.name}`),
      bootID: machineId(`boot/${options.name}`),
      kernelVersion: '6.1.0-kubelite',
      osImage: 'kubelite simulated node',
      containerRuntimeVersion: 'kubelite://1.0.0',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: options.arch ?? 'amd64',
    },
  };
}

/**
 * The conditions to report now, keeping each lastTransitionTime that did not change (the kubelet's
 * setters only move it when the status flips) and refreshing every lastHeartbeatTime.
 */
export function refreshedConditions(reported: readonly coreV1.NodeCondition[], current: readonly { readonly type?: string; readonly status?: string; readonly lastTransitionTime?: string }[] | undefined): coreV1.NodeCondition[] {
  return reported.map((condition) => {
    const before = current?.find((c) => c.type === condition.type);
    return before !== undefined && before.status === condition.status && before.lastTransitionTime !== undefined
      ? { ...condition, lastTransitionTime: before.lastTransitionTime }
      : condition;
  });
}

/**
 * The annotation a user sets on a simulated Node to make it go silent, as a dead kubelet would
 * (`kubectl annotate node kubelite-node-1 kubelite.dev/heartbeat=stopped`); removing it, or any
 * other value, brings the heartbeats back.
 */
export const HEARTBEAT_ANNOTATION = 'kubelite.dev/heartbeat';
/** The value of {@link HEARTBEAT_ANNOTATION} that stops the heartbeats. */
export const HEARTBEAT_STOPPED = 'stopped';

/** Whether a Node, as stored, asks its simulated kubelet to stop heartbeating. */
export function heartbeatStoppedByAnnotation(node: { readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> } } | undefined): boolean {
  return node?.metadata?.annotations?.[HEARTBEAT_ANNOTATION] === HEARTBEAT_STOPPED;
}

/** Whether a node's Ready condition, as stored, says True. */
export function isNodeReady(node: { readonly status?: { readonly conditions?: readonly { readonly type?: string; readonly status?: string }[] } }): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** A stable 32-hex-digit id derived from a name (machine-id shape). */
function machineId(seed: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  let out = '';
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < seed.length; i++) {
      a = Math.imul(a ^ seed.charCodeAt(i), 0x01000193) >>> 0;
      b = Math.imul(b ^ (seed.charCodeAt(i) + round), 0x5bd1e995) >>> 0;
    }
    out += ((a ^ b) >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
