/**
 * Unit tests of syncDaemonSet: one sync against preloaded informer caches, with a PodControl and a
 * DaemonSet client that record what the sync did (upstream daemon_controller_test.go's style).
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
import { computeHash } from '../controller-utils/hash.js';
import { CONTROLLER_REVISION_HASH_LABEL, templatePatch } from '../controller-utils/history.js';
import type { PodControl } from '../controller-utils/pod-control.js';
import { nodeShouldRunDaemonPod, targetNodeName } from './daemon-util.js';
import { type DaemonSetClient, DaemonSetController } from './daemonset-controller.js';
import type { RevisionControl } from './daemonset-history.js';

type DaemonSet = appsV1.DaemonSet;
type Pod = coreV1.Pod;
type Node = coreV1.Node;
type ControllerRevision = appsV1.ControllerRevision;

const DS_UID = 'ds-uid-1';
const LABELS = { app: 'agent' };

class RecordingPodControl implements PodControl {
  readonly creates: { template: DeepReadonly<coreV1.PodTemplateSpec>; controllerRef: OwnerReference }[] = [];
  readonly deletes: string[] = [];
  async createPods(_ns: string, template: DeepReadonly<coreV1.PodTemplateSpec>, _owner: DeepReadonly<KubeObject>, controllerRef: OwnerReference): Promise<void> {
    this.creates.push({ template, controllerRef });
  }
  async deletePod(_ns: string, name: string): Promise<void> {
    this.deletes.push(name);
  }
  async patchPod(): Promise<void> {}
}

class RecordingDaemonSetClient implements DaemonSetClient {
  readonly statusUpdates: DaemonSet[] = [];
  constructor(private readonly ds: DaemonSet) {}
  async get(): Promise<DaemonSet> {
    return structuredClone(this.ds);
  }
  async updateStatus(ds: DaemonSet): Promise<DaemonSet> {
    this.statusUpdates.push(structuredClone(ds));
    return ds;
  }
}

/** Records revision writes; `taken` names that exist already holding other data (a hash collision). */
class RecordingRevisionControl implements RevisionControl {
  readonly creates: ControllerRevision[] = [];
  readonly updates: ControllerRevision[] = [];
  readonly deletes: string[] = [];
  readonly taken = new Map<string, ControllerRevision>();
  async create(revision: ControllerRevision): Promise<ControllerRevision> {
    const name = revision.metadata?.name ?? '';
    if (this.taken.has(name)) throw new ApiError(409, 'AlreadyExists', `controllerrevisions "${name}" already exists`);
    this.creates.push(structuredClone(revision));
    return revision;
  }
  async get(_namespace: string, name: string): Promise<ControllerRevision> {
    const found = this.taken.get(name);
    if (found === undefined) throw new ApiError(404, 'NotFound', `controllerrevisions "${name}" not found`);
    return structuredClone(found);
  }
  async update(revision: ControllerRevision): Promise<ControllerRevision> {
    this.updates.push(structuredClone(revision));
    return revision;
  }
  async delete(_namespace: string, name: string): Promise<void> {
    this.deletes.push(name);
  }
  async patch(): Promise<void> {}
}

/** The hash the DaemonSet's revision of its current template carries. */
function hashOf(ds: DaemonSet): string {
  return computeHash(ds.spec.template, ds.status?.collisionCount);
}

/** A revision of `template` owned by the DaemonSet, as the controller would have written it. */
function revision(template: coreV1.PodTemplateSpec, number: number): ControllerRevision {
  const hash = computeHash(template, undefined);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `agent-${hash}`,
      namespace: 'kube-system',
      uid: `uid-rev-${number}`,
      resourceVersion: '1',
      labels: { ...LABELS, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: DS_UID, controller: true, blockOwnerDeletion: true }],
    },
    data: templatePatch(template),
    revision: number,
  };
}

function template(image: string): coreV1.PodTemplateSpec {
  return { metadata: { labels: LABELS }, spec: { containers: [{ name: 'a', image }] } };
}

function daemonSet(extra: Partial<coreV1.PodSpec> = {}, strategy?: appsV1.DaemonSetUpdateStrategy): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system', uid: DS_UID, generation: 3, resourceVersion: '5' },
    spec: {
      selector: { matchLabels: LABELS },
      template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'a', image: 'agent' }], ...extra } },
      ...(strategy === undefined ? {} : { updateStrategy: strategy }),
    },
  };
}

function node(name: string, labels: Record<string, string> = {}, spec: coreV1.NodeSpec = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-${name}`, resourceVersion: '1', labels }, spec };
}

function pod(name: string, nodeName: string, opts: { hash?: string; ready?: boolean; created?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: opts.created ?? '2025-01-01T00:00:00Z',
      labels: { ...LABELS, ...(opts.hash === undefined ? {} : { [CONTROLLER_REVISION_HASH_LABEL]: opts.hash }) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: DS_UID, controller: true, blockOwnerDeletion: true }],
    },
    spec: { nodeName, containers: [{ name: 'a', image: 'agent' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

function setup(ds: DaemonSet, nodes: Node[], pods: Pod[], revisions: ControllerRevision[] = []) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const podControl = new RecordingPodControl();
  const dsClient = new RecordingDaemonSetClient(ds);
  const revisionControl = new RecordingRevisionControl();
  const controller = new DaemonSetController({ client, informers, clock: new FakeClock(), logger: silentLogger, podControl, daemonSetClient: dsClient, revisionControl });
  informers.typed('apps/v1/DaemonSet').indexer.add(ds);
  for (const n of nodes) informers.typed('v1/Node').indexer.add(n);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  for (const r of revisions) informers.typed('apps/v1/ControllerRevision').indexer.add(r);
  return { controller, podControl, dsClient, revisionControl, key: 'kube-system/agent' };
}

describe('DaemonSet controller sync', () => {
  test('creates one pod per eligible node, pinned by node affinity, and skips a node failing the nodeSelector', async () => {
    const ds = daemonSet({ nodeSelector: { disk: 'ssd' } });
    const nodes = [node('n1', { disk: 'ssd' }), node('n2', { disk: 'ssd' }), node('n3', { disk: 'hdd' })];
    const { controller, podControl, dsClient, key } = setup(ds, nodes, []);
    await controller.syncDaemonSet(key);
    const targets = podControl.creates.map((c) => targetNodeName({ spec: c.template.spec ?? { containers: [] } }));
    assert.deepEqual(targets.sort(), ['n1', 'n2']);
    const first = podControl.creates[0];
    assert.equal(first?.template.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], hashOf(ds));
    assert.equal(first?.controllerRef.uid, DS_UID);
    assert.ok(first?.template.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule'));
    const status = dsClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.desiredNumberScheduled, 2);
    assert.equal(status?.currentNumberScheduled, 0);
    assert.equal(status?.observedGeneration, 3);
  });

  test('deletes the pod on a node that no longer qualifies and the extra pods on a node', async () => {
    const ds = daemonSet({ nodeSelector: { disk: 'ssd' } });
    const hash = hashOf(ds);
    const nodes = [node('n1', { disk: 'ssd' }), node('n2', { disk: 'hdd' })];
    const pods = [pod('agent-a', 'n1', { hash, created: '2025-01-01T00:00:00Z' }), pod('agent-b', 'n1', { hash, created: '2025-02-01T00:00:00Z' }), pod('agent-c', 'n2', { hash })];
    const { controller, podControl, dsClient, key } = setup(ds, nodes, pods);
    await controller.syncDaemonSet(key);
    assert.equal(podControl.creates.length, 0);
    assert.deepEqual(podControl.deletes.sort(), ['agent-b', 'agent-c']);
    const status = dsClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.numberMisscheduled, 1);
    assert.equal(status?.currentNumberScheduled, 1);
    assert.equal(status?.numberReady, 1);
    assert.equal(status?.updatedNumberScheduled, 1);
  });

  test('deletes a pod whose node no longer exists without counting it as misscheduled', async () => {
    const ds = daemonSet();
    const { controller, podControl, dsClient, key } = setup(ds, [node('n1')], [pod('agent-1', 'n1', { hash: hashOf(ds) }), pod('agent-x', 'gone', { hash: hashOf(ds) })]);
    await controller.syncDaemonSet(key);
    assert.deepEqual(podControl.deletes, ['agent-x']);
    assert.equal(dsClient.statusUpdates.at(-1)?.status?.numberMisscheduled, 0);
  });

  test('runs on unschedulable nodes but not on nodes with a taint it does not tolerate', async () => {
    const nodes = [
      node('cordoned', {}, { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      node('dedicated', {}, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    ];
    const { controller, podControl, key } = setup(daemonSet(), nodes, []);
    await controller.syncDaemonSet(key);
    assert.deepEqual(podControl.creates.map((c) => targetNodeName({ spec: c.template.spec ?? { containers: [] } })), ['cordoned']);
  });

  test('a NoSchedule taint keeps a running pod, a NoExecute taint evicts it', () => {
    const ds = daemonSet();
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, { taints: [{ key: 'x', effect: 'NoSchedule' }] }), ds), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(node('b', {}, { taints: [{ key: 'x', effect: 'NoExecute' }] }), ds), { shouldRun: false, shouldContinueRunning: false });
  });

  test('a rolling update deletes at most maxUnavailable available pods of an old revision', async () => {
    const ds = daemonSet({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    const nodes = [node('n1'), node('n2'), node('n3')];
    const pods = [pod('agent-1', 'n1', { hash: 'old' }), pod('agent-2', 'n2', { hash: 'old' }), pod('agent-3', 'n3', { hash: 'old' })];
    const { controller, podControl, key } = setup(ds, nodes, pods);
    await controller.syncDaemonSet(key);
    assert.equal(podControl.deletes.length, 1);
    assert.equal(podControl.creates.length, 0);
  });
});

describe('DaemonSet controller history (ControllerRevisions)', () => {
  test('the first sync records the template as revision 1, named and labelled by its hash, with the DaemonSet\'s annotations', async () => {
    const ds = daemonSet();
    ds.metadata = { ...ds.metadata, annotations: { 'kubernetes.io/change-cause': 'first' } };
    const { controller, podControl, revisionControl, key } = setup(ds, [node('n1')], []);
    await controller.syncDaemonSet(key);
    assert.equal(revisionControl.creates.length, 1);
    const created = revisionControl.creates[0];
    assert.equal(created?.revision, 1);
    assert.equal(created?.metadata?.name, `agent-${hashOf(ds)}`);
    assert.deepEqual(created?.metadata?.labels, { ...LABELS, [CONTROLLER_REVISION_HASH_LABEL]: hashOf(ds) });
    assert.deepEqual(created?.metadata?.annotations, { 'kubernetes.io/change-cause': 'first' });
    assert.deepEqual(created?.data, { spec: { template: { $patch: 'replace', metadata: { labels: LABELS }, spec: { containers: [{ image: 'agent', name: 'a' }] } } } });
    assert.equal(created?.metadata?.ownerReferences?.[0]?.uid, DS_UID);
    assert.equal(podControl.creates[0]?.template.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], hashOf(ds));
  });

  test('a changed template becomes the next revision and its pods carry the new hash', async () => {
    const ds = daemonSet();
    ds.spec.template = template('agent:2');
    const { controller, podControl, revisionControl, key } = setup(ds, [node('n1')], [], [revision(template('agent:1'), 1)]);
    await controller.syncDaemonSet(key);
    assert.deepEqual(revisionControl.creates.map((r) => r.revision), [2]);
    assert.equal(podControl.creates[0]?.template.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], hashOf(ds));
  });

  test('going back to an older template (rollout undo) renumbers its revision to the top instead of creating one', async () => {
    const ds = daemonSet();
    ds.spec.template = template('agent:1');
    const { controller, revisionControl, key } = setup(ds, [node('n1')], [], [revision(template('agent:1'), 1), revision(template('agent:2'), 2)]);
    await controller.syncDaemonSet(key);
    assert.equal(revisionControl.creates.length, 0);
    assert.deepEqual(
      revisionControl.updates.map((r) => [r.metadata?.name, r.revision]),
      [[`agent-${hashOf(ds)}`, 3]],
    );
  });

  test('revisions beyond revisionHistoryLimit are deleted oldest first, except those a pod still runs', async () => {
    const ds = daemonSet();
    ds.spec.template = template('agent:4');
    ds.spec.revisionHistoryLimit = 1;
    const old = [revision(template('agent:1'), 1), revision(template('agent:2'), 2), revision(template('agent:3'), 3)];
    const live = old[0]?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const current = revision(template('agent:4'), 4);
    const { controller, revisionControl, key } = setup(ds, [node('n1')], [pod('agent-1', 'n1', { hash: live })], [...old, current]);
    await controller.syncDaemonSet(key);
    assert.deepEqual(revisionControl.deletes, [old[1]?.metadata?.name, old[2]?.metadata?.name]);
  });

  test('a hash collision with another template raises status.collisionCount and fails the sync, to retry under a new name', async () => {
    const ds = daemonSet();
    const { controller, dsClient, revisionControl, key } = setup(ds, [node('n1')], []);
    const other = revision(template('something-else'), 1);
    revisionControl.taken.set(`agent-${hashOf(ds)}`, other);
    await assert.rejects(controller.syncDaemonSet(key), /already exists/);
    assert.equal(dsClient.statusUpdates.at(-1)?.status?.collisionCount, 1);
  });
});
