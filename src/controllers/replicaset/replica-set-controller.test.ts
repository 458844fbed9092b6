/**
 * Unit tests of syncReplicaSet: one sync against preloaded informer caches, with a PodControl and a
 * ReplicaSet client that record what the sync did (upstream replica_set_test.go's style).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { ApiError } from '../../client/errors.js';
import { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { EXPECTATIONS_TIMEOUT_MS } from '../controller-utils/expectations.js';
import type { PodControl } from '../controller-utils/pod-control.js';
import { MAX_POD_BATCH_MS, ReplicaSetController, type ReplicaSetClient, podChangeDelayMs } from './replica-set-controller.js';

type ReplicaSet = appsV1.ReplicaSet;
type Pod = coreV1.Pod;

const RS_UID = 'rs-uid-1';
const LABELS = { app: 'web' };

class RecordingPodControl implements PodControl {
  readonly creates: { namespace: string; template: DeepReadonly<coreV1.PodTemplateSpec>; owner: string; controllerRef: OwnerReference }[] = [];
  readonly deletes: string[] = [];
  readonly patches: { name: string; patch: object }[] = [];
  /** Makes the create with this 0-based index fail. */
  failCreateAt: number | undefined;
  failDelete: ((name: string) => Error | undefined) | undefined;

  async createPods(namespace: string, template: DeepReadonly<coreV1.PodTemplateSpec>, owner: DeepReadonly<KubeObject>, controllerRef: OwnerReference): Promise<void> {
    const index = this.creates.length;
    this.creates.push({ namespace, template, owner: owner.metadata?.name ?? '', controllerRef });
    if (index === this.failCreateAt) throw new ApiError(403, 'Forbidden', 'exceeded quota');
  }

  async deletePod(_namespace: string, name: string): Promise<void> {
    this.deletes.push(name);
    const error = this.failDelete?.(name);
    if (error !== undefined) throw error;
  }

  async patchPod(_namespace: string, name: string, patch: object): Promise<void> {
    this.patches.push({ name, patch });
  }
}

class RecordingReplicaSetClient implements ReplicaSetClient {
  readonly statusUpdates: ReplicaSet[] = [];
  gets = 0;
  /** What a fresh read returns. */
  constructor(public fresh: () => ReplicaSet) {}

  async updateStatus(rs: ReplicaSet): Promise<ReplicaSet> {
    this.statusUpdates.push(structuredClone(rs));
    return rs;
  }

  async get(): Promise<ReplicaSet> {
    this.gets++;
    return this.fresh();
  }
}

function replicaSet(replicas: number, extra: { minReadySeconds?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default', uid: RS_UID, generation: 2, resourceVersion: '10' },
    spec: {
      replicas,
      selector: { matchLabels: LABELS },
      template: { metadata: { labels: { ...LABELS, tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
    status: { replicas: 0 },
  };
}

const ownedBy: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: RS_UID, controller: true, blockOwnerDeletion: true };

interface PodShape {
  node?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready?: boolean;
  readySince?: string;
  created?: string;
  owned?: boolean;
  labels?: Record<string, string>;
  terminating?: boolean;
}

function pod(name: string, shape: PodShape = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: shape.labels ?? { ...LABELS, tier: 'front' },
      creationTimestamp: shape.created ?? '2025-12-01T00:00:00Z',
      ...(shape.owned === false ? {} : { ownerReferences: [ownedBy] }),
      ...(shape.terminating === true ? { deletionTimestamp: '2025-12-31T23:59:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(shape.node === undefined ? {} : { nodeName: shape.node }) },
    status: {
      phase: shape.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: shape.ready === false ? 'False' : 'True', lastTransitionTime: shape.readySince ?? '2025-12-01T00:00:10Z' }],
    },
  };
}

function setup(rs: ReplicaSet, pods: Pod[]) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const clock = new FakeClock();
  const podControl = new RecordingPodControl();
  const rsClient = new RecordingReplicaSetClient(() => structuredClone(rs));
  const controller = new ReplicaSetController({ client, informers, clock, logger: silentLogger, podControl, replicaSetClient: rsClient });
  informers.typed('apps/v1/ReplicaSet').indexer.add(rs);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  return { controller, podControl, rsClient, clock, key: 'default/web' };
}

describe('ReplicaSet controller sync', () => {
  test('creates the missing pods from the template, controlled by the ReplicaSet', async () => {
    const { controller, podControl, rsClient, key } = setup(replicaSet(3), [pod('a', { node: 'n1' })]);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 2);
    for (const create of podControl.creates) {
      assert.equal(create.namespace, 'default');
      assert.equal(create.owner, 'web');
      assert.deepEqual(create.template.metadata?.labels, { app: 'web', tier: 'front' });
      assert.deepEqual(create.controllerRef, ownedBy);
    }
    assert.equal(controller.expectations.getExpectations(key)?.add, 2);
    const status = rsClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.replicas, 1);
    assert.equal(status?.observedGeneration, 2);
  });

  test('does not create again while the creations it expects are unobserved, and does after they expire', async () => {
    const { controller, podControl, clock, key } = setup(replicaSet(3), []);
    await controller.syncReplicaSet(key);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 3);
    await clock.step(EXPECTATIONS_TIMEOUT_MS + 1);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 6);
  });

  test('creates again once every expected creation was observed', async () => {
    const { controller, podControl, key } = setup(replicaSet(2), []);
    await controller.syncReplicaSet(key);
    controller.expectations.creationObserved(key);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 2, 'one creation is still expected');
    controller.expectations.creationObserved(key);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 4);
  });

  test('terminating, succeeded and failed pods do not count as replicas', async () => {
    const pods = [pod('live'), pod('going', { terminating: true }), pod('done', { phase: 'Succeeded' }), pod('broken', { phase: 'Failed' })];
    const { controller, podControl, rsClient, key } = setup(replicaSet(2), pods);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 1);
    assert.equal(rsClient.statusUpdates.at(-1)?.status?.replicas, 1);
  });

  test('deletes the surplus by rank: unscheduled, pending, not ready, then the younger of two ready pods', async () => {
    const pods = [
      pod('old-ready', { node: 'n1', created: '2025-01-01T00:00:00Z' }),
      pod('young-ready', { node: 'n2', created: '2025-12-31T23:00:00Z' }),
      pod('not-ready', { node: 'n3', ready: false }),
      pod('pending', { node: 'n4', phase: 'Pending', ready: false }),
      pod('unscheduled', { phase: 'Pending', ready: false }),
    ];
    const { controller, podControl, key } = setup(replicaSet(1), pods);
    await controller.syncReplicaSet(key);
    assert.deepEqual(podControl.deletes, ['unscheduled', 'pending', 'not-ready', 'young-ready']);
    assert.equal(controller.expectations.getExpectations(key)?.del, 4);
    assert.deepEqual([...(controller.expectations.getUIDs(key) ?? [])].sort(), ['default/not-ready', 'default/pending', 'default/unscheduled', 'default/young-ready']);
  });

  test('a failed deletion is no longer expected, and a pod already gone is not an error', async () => {
    const { controller, podControl, rsClient, key } = setup(replicaSet(0), [pod('a', { node: 'n1' }), pod('b', { node: 'n1' })]);
    podControl.failDelete = (name) => (name === 'a' ? new ApiError(500, 'InternalError', 'boom') : new ApiError(404, 'NotFound', 'gone'));
    await assert.rejects(controller.syncReplicaSet(key), /boom/);
    assert.equal(controller.expectations.satisfiedExpectations(key), true);
    const condition = rsClient.statusUpdates.at(-1)?.status?.conditions?.[0];
    assert.equal(condition?.type, 'ReplicaFailure');
    assert.equal(condition?.reason, 'FailedDelete');
  });

  test('adopts an orphan its selector matches, checking first that it is not being deleted', async () => {
    const { controller, podControl, rsClient, key } = setup(replicaSet(1), [pod('stray', { owned: false })]);
    await controller.syncReplicaSet(key);
    assert.equal(rsClient.gets, 1);
    assert.deepEqual(podControl.patches, [{ name: 'stray', patch: { metadata: { ownerReferences: [ownedBy], uid: 'uid-stray' } } }]);
    assert.equal(podControl.creates.length, 0);
    assert.equal(rsClient.statusUpdates.at(-1)?.status?.replicas, 1);
  });

  test('does not adopt orphans whose labels do not match', async () => {
    const { controller, podControl, key } = setup(replicaSet(1), [pod('other', { owned: false, labels: { app: 'db' } })]);
    await controller.syncReplicaSet(key);
    assert.deepEqual(podControl.patches, []);
    assert.equal(podControl.creates.length, 1);
  });

  test('does not adopt when a fresh read shows the ReplicaSet being deleted', async () => {
    const rs = replicaSet(1);
    const { controller, podControl, rsClient, key } = setup(rs, [pod('stray', { owned: false })]);
    const deleting = structuredClone(rs);
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' };
    rsClient.fresh = () => deleting;
    await assert.rejects(controller.syncReplicaSet(key), /has just been deleted/);
    assert.deepEqual(podControl.patches, []);
  });

  test('releases an owned pod whose labels no longer match, and replaces it', async () => {
    const { controller, podControl, key } = setup(replicaSet(1), [pod('relabelled', { labels: { app: 'debug' } })]);
    await controller.syncReplicaSet(key);
    assert.deepEqual(podControl.patches, [{ name: 'relabelled', patch: { metadata: { ownerReferences: [{ $patch: 'delete', uid: RS_UID }], uid: 'uid-relabelled' } } }]);
    assert.equal(podControl.creates.length, 1);
  });

  test('ignores pods controlled by another owner', async () => {
    const foreign = pod('foreign');
    foreign.metadata = { ...foreign.metadata, ownerReferences: [{ ...ownedBy, name: 'other', uid: 'other-uid' }] };
    const { controller, podControl, key } = setup(replicaSet(1), [foreign]);
    await controller.syncReplicaSet(key);
    assert.deepEqual(podControl.patches, []);
    assert.equal(podControl.creates.length, 1);
  });

  test('status counts fully labeled, ready and available pods, availability after minReadySeconds', async () => {
    // The fake clock starts at 2026-01-01T00:00:00Z.
    const pods = [
      pod('available', { readySince: '2025-12-31T23:59:00Z' }),
      pod('just-ready', { readySince: '2025-12-31T23:59:55Z' }),
      pod('not-ready', { ready: false }),
      pod('partly-labelled', { labels: { app: 'web' }, readySince: '2025-12-31T23:00:00Z' }),
    ];
    const { controller, rsClient, key } = setup(replicaSet(4, { minReadySeconds: 30 }), pods);
    await controller.syncReplicaSet(key);
    assert.deepEqual(rsClient.statusUpdates.at(-1)?.status, {
      replicas: 4,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 2,
      observedGeneration: 2,
    });
  });

  test('slow start: a failure in the first batch stops further batches and sets ReplicaFailure', async () => {
    const { controller, podControl, rsClient, key } = setup(replicaSet(10), []);
    podControl.failCreateAt = 0;
    await assert.rejects(controller.syncReplicaSet(key), /exceeded quota/);
    assert.equal(podControl.creates.length, 1);
    assert.equal(controller.expectations.satisfiedExpectations(key), true, 'the skipped creations are not awaited');
    const condition = rsClient.statusUpdates.at(-1)?.status?.conditions?.[0];
    assert.equal(condition?.type, 'ReplicaFailure');
    assert.equal(condition?.status, 'True');
    assert.equal(condition?.reason, 'FailedCreate');
    assert.equal(condition?.message, 'exceeded quota');
  });

  test('slow start: a failure in a later batch ends the round after that batch', async () => {
    const { controller, podControl, key } = setup(replicaSet(10), []);
    podControl.failCreateAt = 2; // in the second batch (calls 1 and 2)
    await assert.rejects(controller.syncReplicaSet(key));
    assert.equal(podControl.creates.length, 3);
    assert.equal(controller.expectations.getExpectations(key)?.add, 2, 'only the two created pods are awaited');
  });

  test('creates at most burstReplicas pods in one sync', async () => {
    const { controller, podControl, key } = setup(replicaSet(600), []);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length, 500);
  });

  test('a ReplicaSet gone from the cache drops its expectations and writes nothing', async () => {
    const { controller, podControl, rsClient } = setup(replicaSet(1), []);
    controller.expectations.expectCreations('default/gone', 3);
    await controller.syncReplicaSet('default/gone');
    assert.equal(controller.expectations.getExpectations('default/gone'), undefined);
    assert.equal(podControl.creates.length + rsClient.statusUpdates.length, 0);
  });

  test('a ReplicaSet being deleted neither creates pods nor adopts, but still reports status', async () => {
    const rs = replicaSet(3);
    rs.metadata = { ...rs.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' };
    const { controller, podControl, rsClient, key } = setup(rs, [pod('stray', { owned: false }), pod('mine')]);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length + podControl.patches.length, 0);
    assert.equal(rsClient.statusUpdates.at(-1)?.status?.replicas, 1);
  });

  test('writes no status when nothing changed', async () => {
    const rs = replicaSet(1);
    rs.status = { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 };
    const { controller, podControl, rsClient, key } = setup(rs, [pod('a')]);
    await controller.syncReplicaSet(key);
    assert.equal(podControl.creates.length + podControl.deletes.length, 0);
    assert.equal(rsClient.statusUpdates.length, 0);
  });
});

describe('ReplicaSet controller: batching the syncs of large ReplicaSets', () => {
  test('a small ReplicaSet is synced at once for every change of its pods', () => {
    assert.equal(podChangeDelayMs(3, false), 0);
    assert.equal(podChangeDelayMs(99, false), 0);
  });

  test('a large one waits a little, longer the more pods it has, up to a cap', () => {
    assert.equal(podChangeDelayMs(1000, false), 10);
    assert.equal(podChangeDelayMs(10_000, false), 100);
    assert.equal(podChangeDelayMs(1_000_000, false), MAX_POD_BATCH_MS);
  });

  test('a change that meets the expectations is never delayed, so the next round of creates starts at once', () => {
    assert.equal(podChangeDelayMs(10_000, true), 0);
  });
});
