/**
 * @module
 * Fixtures for the volume controllers' unit tests (upstream pv_controller's framework_test.go in
 * miniature): volumes, claims, classes and pods as plain objects, an event sink and API clients that
 * record what a sync did, and informer caches the test fills directly.
 */
import type { coreV1, storageV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import type { PersistentVolumeClient } from './pv-binding.js';
import type { ProvisionerClient } from './simulated-provisioner.js';
import type { EventSink } from './volume-util.js';

type PV = coreV1.PersistentVolume;
type PVC = coreV1.PersistentVolumeClaim;
type AccessMode = NonNullable<coreV1.PersistentVolumeSpec['accessModes']>[number];

export interface RecordedEvent {
  readonly object: string;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export class RecordingEvents implements EventSink {
  readonly events: RecordedEvent[] = [];
  event(object: DeepReadonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push({ object: object.metadata?.name ?? '', type, reason, message });
  }
  /** `Type Reason` of each event, upstream's expectedEvents shape. */
  get reasons(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason}`);
  }
}

export interface RecordedAction {
  readonly verb: string;
  readonly name: string;
  /** What a volume write sent. */
  readonly volume?: PV;
  /** What a claim write sent. */
  readonly claim?: PVC;
}

/** Records every call and answers as a server would: the object back with a new resourceVersion. */
export class RecordingVolumeClient implements PersistentVolumeClient, ProvisionerClient {
  readonly actions: RecordedAction[] = [];
  /** Claims a live GET finds. */
  readonly liveClaims = new Map<string, PVC>();
  private version = 100;

  private answerVolume(verb: string, volume: PV): PV {
    const sent = structuredClone(volume);
    this.actions.push({ verb, name: volume.metadata?.name ?? '', volume: sent });
    return { ...structuredClone(sent), metadata: { ...sent.metadata, resourceVersion: String(++this.version) } };
  }
  private answerClaim(verb: string, claim: PVC): PVC {
    const sent = structuredClone(claim);
    this.actions.push({ verb, name: claim.metadata?.name ?? '', claim: sent });
    return { ...structuredClone(sent), metadata: { ...sent.metadata, resourceVersion: String(++this.version) } };
  }
  async updateVolume(volume: PV): Promise<PV> {
    return this.answerVolume('updateVolume', volume);
  }
  async updateVolumeStatus(volume: PV): Promise<PV> {
    return this.answerVolume('updateVolumeStatus', volume);
  }
  async updateClaim(claim: PVC): Promise<PVC> {
    return this.answerClaim('updateClaim', claim);
  }
  async updateClaimStatus(claim: PVC): Promise<PVC> {
    return this.answerClaim('updateClaimStatus', claim);
  }
  async createVolume(volume: PV): Promise<PV> {
    return this.answerVolume('createVolume', volume);
  }
  async deleteVolume(name: string): Promise<void> {
    this.actions.push({ verb: 'deleteVolume', name });
  }
  async getClaim(namespace: string, name: string): Promise<PVC | undefined> {
    this.actions.push({ verb: 'getClaim', name });
    return this.liveClaims.get(`${namespace}/${name}`);
  }
  /** `verb name` of each call. */
  get verbs(): string[] {
    return this.actions.map((a) => `${a.verb} ${a.name}`);
  }
}

/** An informer factory whose caches tests fill (its client points nowhere and is never called). */
export function testInformers(): { client: KubeClient; informers: SharedInformerFactory } {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  return { client, informers: new SharedInformerFactory(client) };
}

export interface VolumeShape {
  readonly phase?: NonNullable<coreV1.PersistentVolumeStatus['phase']>;
  readonly modes?: AccessMode[];
  readonly className?: string;
  readonly claim?: { readonly name: string; readonly uid?: string };
  readonly policy?: 'Retain' | 'Delete' | 'Recycle';
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly deleting?: boolean;
  readonly finalizers?: string[];
}

export function volume(name: string, capacity: string, shape: VolumeShape = {}): PV {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: '1',
      ...(shape.labels === undefined ? {} : { labels: shape.labels }),
      ...(shape.annotations === undefined ? {} : { annotations: shape.annotations }),
      ...(shape.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(shape.finalizers === undefined ? {} : { finalizers: shape.finalizers }),
    },
    spec: {
      capacity: { storage: capacity },
      accessModes: shape.modes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: shape.policy ?? 'Retain',
      volumeMode: 'Filesystem',
      hostPath: { path: `/data/${name}` },
      ...(shape.className === undefined ? {} : { storageClassName: shape.className }),
      ...(shape.claim === undefined
        ? {}
        : { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: shape.claim.name, ...(shape.claim.uid === undefined ? {} : { uid: shape.claim.uid }) } }),
    },
    status: { phase: shape.phase ?? 'Available' },
  };
}

export interface ClaimShape {
  readonly modes?: AccessMode[];
  /** undefined: no class chosen; '' the empty class. */
  readonly className?: string;
  readonly volumeName?: string;
  readonly phase?: 'Pending' | 'Bound' | 'Lost';
  readonly annotations?: Record<string, string>;
  readonly selector?: coreV1.PersistentVolumeClaimSpec['selector'];
  readonly deleting?: boolean;
  readonly finalizers?: string[];
  readonly ownerReferences?: NonNullable<coreV1.PersistentVolumeClaim['metadata']>['ownerReferences'];
}

export function claim(name: string, request: string, shape: ClaimShape = {}): PVC {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '7',
      ...(shape.annotations === undefined ? {} : { annotations: shape.annotations }),
      ...(shape.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(shape.finalizers === undefined ? {} : { finalizers: shape.finalizers }),
      ...(shape.ownerReferences === undefined ? {} : { ownerReferences: shape.ownerReferences }),
    },
    spec: {
      accessModes: shape.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: request } },
      volumeMode: 'Filesystem',
      ...(shape.className === undefined ? {} : { storageClassName: shape.className }),
      ...(shape.volumeName === undefined ? {} : { volumeName: shape.volumeName }),
      ...(shape.selector === undefined ? {} : { selector: shape.selector }),
    },
    status: { phase: shape.phase ?? 'Pending' },
  };
}

export function storageClass(name: string, shape: Partial<Omit<storageV1.StorageClass, 'metadata'>> & { readonly isDefault?: boolean } = {}): storageV1.StorageClass {
  const { isDefault, ...rest } = shape;
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...(isDefault === true ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner: 'example.com/external',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    ...rest,
  };
}

export interface PodShape {
  readonly nodeName?: string;
  readonly claims?: string[];
  readonly ephemeral?: string[];
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly deleting?: boolean;
}

export function pod(name: string, shape: PodShape = {}): coreV1.Pod {
  const volumes: coreV1.Volume[] = [
    ...(shape.claims ?? []).map((claimName, i) => ({ name: `data-${i}`, persistentVolumeClaim: { claimName } })),
    ...(shape.ephemeral ?? []).map((volumeName) => ({ name: volumeName, ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce' as const] } } } })),
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '3', ...(shape.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes, ...(shape.nodeName === undefined ? {} : { nodeName: shape.nodeName }) },
    status: { phase: shape.phase ?? (shape.nodeName === undefined ? 'Pending' : 'Running') },
  };
}
