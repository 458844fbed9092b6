/**
 * @module
 * Small builders of Nodes and Pods for the scheduler's tests (and for anyone testing against the
 * scheduler): only the fields scheduling reads.
 */
import type { coreV1 } from '../../api/types/index.js';

export interface NodeShape {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly labels?: Record<string, string>;
  readonly taints?: coreV1.Taint[];
  readonly unschedulable?: boolean;
}

export function makeNode(name: string, shape: NodeShape = {}): coreV1.Node {
  const allocatable = { cpu: shape.cpu ?? '4', memory: shape.memory ?? '8Gi', pods: shape.pods ?? '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...shape.labels } },
    spec: { ...(shape.taints === undefined ? {} : { taints: shape.taints }), ...(shape.unschedulable === undefined ? {} : { unschedulable: shape.unschedulable }) },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export interface PodShape {
  readonly namespace?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly labels?: Record<string, string>;
  readonly nodeName?: string;
  readonly spec?: Partial<coreV1.PodSpec>;
}

export function makePod(name: string, shape: PodShape = {}): coreV1.Pod {
  const requests: Record<string, string> = {};
  if (shape.cpu !== undefined) requests.cpu = shape.cpu;
  if (shape.memory !== undefined) requests.memory = shape.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: shape.namespace ?? 'default', uid: `uid-${name}`, ...(shape.labels === undefined ? {} : { labels: shape.labels }) },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(Object.keys(requests).length === 0 ? {} : { resources: { requests } }) }],
      ...(shape.nodeName === undefined ? {} : { nodeName: shape.nodeName }),
      ...shape.spec,
    },
  };
}
