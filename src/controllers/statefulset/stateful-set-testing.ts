/**
 * @module
 * Fixtures for the StatefulSet controller's unit tests (upstream stateful_set_control_test.go's
 * fakes): a StatefulPodControl, a StatefulSet client and a ControllerRevision client that record
 * what a sync did, and a controller whose informer caches the test fills directly.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { ApiError } from '../../client/errors.js';
import { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import type { ControllerRevisionClient } from '../controller-utils/history.js';
import type { StatefulPodControl } from './stateful-pod-control.js';
import { type StatefulSetClient, StatefulSetController } from './stateful-set-controller.js';
import { newRevision } from './stateful-set-history.js';
import { newStatefulSetPod } from './stateful-set-utils.js';

type StatefulSet = appsV1.StatefulSet;
type Pod = coreV1.Pod;
type ControllerRevision = appsV1.ControllerRevision;

export const UID = 'sts-uid';
export const REF = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: UID, controller: true, blockOwnerDeletion: true };

export class RecordingPodControl implements StatefulPodControl {
  readonly creates: Pod[] = [];
  readonly deletes: string[] = [];
  async createStatefulPod(_set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void> {
    this.creates.push(pod);
  }
  async deleteStatefulPod(_set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void> {
    this.deletes.push(pod.metadata?.name ?? '');
  }
  async patchPod(): Promise<void> {}
  async releaseClaimsOfCondemned(): Promise<void> {}
}

export class RecordingSetClient implements StatefulSetClient {
  readonly statusUpdates: StatefulSet[] = [];
  constructor(private readonly set: StatefulSet) {}
  async get(): Promise<StatefulSet> {
    return structuredClone(this.set);
  }
  async updateStatus(set: StatefulSet): Promise<StatefulSet> {
    this.statusUpdates.push(structuredClone(set));
    return set;
  }
}

/** ControllerRevisions held in a map, as a server would: creates fail with AlreadyExists on a taken name. */
export class RecordingRevisionClient implements ControllerRevisionClient {
  readonly creates: ControllerRevision[] = [];
  readonly updates: ControllerRevision[] = [];
  readonly deletes: string[] = [];
  /** Strategic merge patches by revision name (adoptions). */
  readonly patches: { name: string; patch: unknown }[] = [];
  readonly stored = new Map<string, ControllerRevision>();

  constructor(initial: readonly ControllerRevision[] = []) {
    for (const revision of initial) this.stored.set(revision.metadata?.name ?? '', structuredClone(revision));
  }

  namespace(): ControllerRevisionClient {
    return this;
  }
  async create(revision: ControllerRevision): Promise<ControllerRevision> {
    const name = revision.metadata?.name ?? '';
    if (this.stored.has(name)) throw new ApiError(409, 'AlreadyExists', `controllerrevisions "${name}" already exists`);
    this.creates.push(structuredClone(revision));
    this.stored.set(name, structuredClone(revision));
    return revision;
  }
  async get(name: string): Promise<ControllerRevision> {
    const revision = this.stored.get(name);
    if (revision === undefined) throw new ApiError(404, 'NotFound', `controllerrevisions "${name}" not found`);
    return structuredClone(revision);
  }
  async update(revision: ControllerRevision): Promise<ControllerRevision> {
    this.updates.push(structuredClone(revision));
    this.stored.set(revision.metadata?.name ?? '', structuredClone(revision));
    return revision;
  }
  async delete(name: string): Promise<ControllerRevision> {
    const revision = await this.get(name);
    this.deletes.push(name);
    this.stored.delete(name);
    return revision;
  }
  async patch(name: string, patch: unknown): Promise<ControllerRevision> {
    this.patches.push({ name, patch: structuredClone(patch) });
    return this.get(name);
  }
}

export function statefulSet(replicas: number, spec: Partial<appsV1.StatefulSetSpec> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: UID, generation: 4, resourceVersion: '7' },
    spec: {
      replicas,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      ...spec,
    },
  };
}

/** `set` with its containers' image set to `image`. */
export function withImage(set: StatefulSet, image: string): StatefulSet {
  const copy = structuredClone(set);
  copy.spec.template.spec = { containers: [{ name: 'nginx', image }] };
  return copy;
}

/** The stored revision number `number` of `set`'s template, as the server would hand it back. */
export function storedRevision(set: StatefulSet, number: number): ControllerRevision {
  const revision = newRevision(set, number, set.status?.collisionCount ?? 0);
  revision.metadata = { ...revision.metadata, uid: `rev-uid-${number}`, resourceVersion: String(number), creationTimestamp: '2026-01-01T00:00:00Z' };
  return revision;
}

/** The name the revision of `set`'s template takes. */
export function revisionName(set: StatefulSet): string {
  return newRevision(set, 1, set.status?.collisionCount ?? 0).metadata?.name ?? '';
}

/** The pod of `ordinal` as the controller would make it at `revision` (default: the set's template), Running, Ready or not. */
export function pod(set: StatefulSet, ordinal: number, ready: boolean, revision = revisionName(set)): Pod {
  const p = newStatefulSetPod(set, ordinal, revision, REF);
  p.metadata = { ...p.metadata, uid: `uid-${ordinal}`, resourceVersion: '1' };
  p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  return p;
}

/** A controller whose caches hold `set`, `pods` and `revisions`, writing through recording fakes. */
export function setup(set: StatefulSet, pods: readonly Pod[], revisions: readonly ControllerRevision[] = []) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const podControl = new RecordingPodControl();
  const setClient = new RecordingSetClient(set);
  const revisionClient = new RecordingRevisionClient(revisions);
  const controller = new StatefulSetController({ client, informers, clock: new FakeClock(), logger: silentLogger, podControl, statefulSetClient: setClient, revisionClient });
  informers.typed('apps/v1/StatefulSet').indexer.add(set);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  for (const r of revisions) informers.typed('apps/v1/ControllerRevision').indexer.add(r);
  return { controller, podControl, setClient, revisionClient, key: 'default/web' };
}
