/**
 * @module
 * Test fixtures for the Deployment controller's unit tests: Deployments, ReplicaSets and pods in
 * upstream's test shapes (deployment_controller_test.go newDeployment / newReplicaSet), and a
 * {@link SyncContext} whose writes are recorded and echoed back instead of sent.
 */
import type { appsV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY } from './pod-template-hash.js';
import type { DeploymentClient, ReplicaSetControl, SyncContext } from './sync.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;

export const D_UID = 'deployment-uid';
export const SELECTOR = { app: 'web' };

export interface DeploymentShape {
  replicas?: number;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  strategy?: 'RollingUpdate' | 'Recreate';
  image?: string;
  paused?: boolean;
  revisionHistoryLimit?: number;
  generation?: number;
  status?: appsV1.DeploymentStatus;
  annotations?: Record<string, string>;
}

export function deployment(shape: DeploymentShape = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: D_UID, generation: shape.generation ?? 1, resourceVersion: '5', ...(shape.annotations === undefined ? {} : { annotations: shape.annotations }) },
    spec: {
      replicas: shape.replicas ?? 3,
      selector: { matchLabels: SELECTOR },
      template: { metadata: { labels: SELECTOR }, spec: { containers: [{ name: 'c', image: shape.image ?? 'nginx:1' }] } },
      strategy:
        shape.strategy === 'Recreate'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: shape.maxSurge ?? '25%', maxUnavailable: shape.maxUnavailable ?? '25%' } },
      revisionHistoryLimit: shape.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: 600,
      ...(shape.paused === undefined ? {} : { paused: shape.paused }),
    },
    ...(shape.status === undefined ? {} : { status: shape.status }),
  };
}

export interface ReplicaSetShape {
  replicas: number;
  available?: number;
  image?: string;
  revision?: number;
  created?: string;
  hash?: string;
  /** status.replicas; defaults to `replicas`. */
  actual?: number;
  annotations?: Record<string, string>;
}

/** A ReplicaSet of the fixture Deployment named `web-<hash>`. */
export function replicaSet(name: string, shape: ReplicaSetShape): ReplicaSet {
  const hash = shape.hash ?? name;
  const labels = { ...SELECTOR, [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${name}`,
      namespace: 'default',
      uid: `rs-${name}`,
      generation: 1,
      resourceVersion: '3',
      creationTimestamp: shape.created ?? '2025-01-01T00:00:00Z',
      labels,
      annotations: { ...(shape.revision === undefined ? {} : { 'deployment.kubernetes.io/revision': String(shape.revision) }), ...(shape.annotations ?? {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: D_UID, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: shape.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: shape.image ?? 'nginx:1' }] } },
    },
    status: { replicas: shape.actual ?? shape.replicas, readyReplicas: shape.available ?? 0, availableReplicas: shape.available ?? 0, observedGeneration: 1 },
  };
}

/** A SyncContext whose writes are recorded; updates and creates return what they were given. */
export class RecordingContext implements SyncContext {
  readonly created: ReplicaSet[] = [];
  readonly updated: ReplicaSet[] = [];
  readonly deleted: string[] = [];
  readonly patched: { name: string; patch: object }[] = [];
  readonly statusWrites: Deployment[] = [];
  readonly events: string[] = [];
  readonly requeues: number[] = [];
  nowMs = Date.parse('2026-01-01T00:00:00Z');
  cached = new Map<string, ReplicaSet>();
  fresh: Deployment | undefined;

  readonly rsControl: ReplicaSetControl = {
    create: async (rs) => {
      this.created.push(structuredClone(rs));
      return { ...structuredClone(rs), metadata: { ...rs.metadata, uid: `uid-${rs.metadata?.name ?? ''}` } };
    },
    update: async (rs) => {
      this.updated.push(structuredClone(rs));
      return structuredClone(rs);
    },
    delete: async (_namespace, name) => {
      this.deleted.push(name);
    },
    patch: async (_namespace, name, patch) => {
      this.patched.push({ name, patch });
    },
  };

  readonly dClient: DeploymentClient = {
    get: async () => {
      if (this.fresh === undefined) throw new Error('no fresh deployment');
      return structuredClone(this.fresh);
    },
    updateStatus: async (d) => {
      this.statusWrites.push(structuredClone(d));
      return structuredClone(d);
    },
  };

  getCachedReplicaSet(_namespace: string, name: string): DeepReadonly<ReplicaSet> | undefined {
    return this.cached.get(name);
  }

  event(_obj: unknown, type: string, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
  }

  now(): number {
    return this.nowMs;
  }

  enqueueAfter(_d: unknown, ms: number): void {
    this.requeues.push(ms);
  }

  enqueueRateLimited(): void {
    this.requeues.push(0);
  }

  /** The replicas each ReplicaSet was last scaled to, by name. */
  scaledTo(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const rs of this.updated) out[rs.metadata?.name ?? ''] = rs.spec.replicas ?? 1;
    return out;
  }

  lastStatus(): appsV1.DeploymentStatus | undefined {
    return this.statusWrites.at(-1)?.status;
  }
}
