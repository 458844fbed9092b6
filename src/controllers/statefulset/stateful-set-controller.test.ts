/**
 * Unit tests of syncStatefulSet: one sync against preloaded informer caches, with a
 * StatefulPodControl and a StatefulSet client that record what the sync did (upstream
 * stateful_set_control_test.go's style).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import type { StatefulPodControl } from './stateful-pod-control.js';
import { type StatefulSetClient, StatefulSetController } from './stateful-set-controller.js';
import { CONTROLLER_REVISION_HASH_LABEL, newStatefulSetPod, POD_INDEX_LABEL, STATEFUL_SET_POD_NAME_LABEL, updateRevision } from './stateful-set-utils.js';

type StatefulSet = appsV1.StatefulSet;
type Pod = coreV1.Pod;

const UID = 'sts-uid';
const REF = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: UID, controller: true, blockOwnerDeletion: true };

class RecordingPodControl implements StatefulPodControl {
  readonly creates: Pod[] = [];
  readonly deletes: string[] = [];
  async createStatefulPod(_set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void> {
    this.creates.push(pod);
  }
  async deleteStatefulPod(_set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void> {
    this.deletes.push(pod.metadata?.name ?? '');
  }
  async patchPod(): Promise<void> {}
}

class RecordingSetClient implements StatefulSetClient {
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

function statefulSet(replicas: number, spec: Partial<appsV1.StatefulSetSpec> = {}): StatefulSet {
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

/** The pod of `ordinal` as the controller would make it, in `phase`, Ready or not. */
function pod(set: StatefulSet, ordinal: number, ready: boolean, revision = updateRevision(set)): Pod {
  const p = newStatefulSetPod(set, ordinal, revision, REF);
  p.metadata = { ...p.metadata, uid: `uid-${ordinal}`, resourceVersion: '1' };
  p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  return p;
}

function setup(set: StatefulSet, pods: Pod[]) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const podControl = new RecordingPodControl();
  const setClient = new RecordingSetClient(set);
  const controller = new StatefulSetController({ client, informers, clock: new FakeClock(), logger: silentLogger, podControl, statefulSetClient: setClient });
  informers.typed('apps/v1/StatefulSet').indexer.add(set);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  return { controller, podControl, setClient, key: 'default/web' };
}

describe('StatefulSet controller sync', () => {
  test('creates only web-0 first, with its stable identity', async () => {
    const set = statefulSet(3);
    const { controller, podControl, setClient, key } = setup(set, []);
    await controller.syncStatefulSet(key);
    assert.deepEqual(podControl.creates.map((p) => p.metadata?.name), ['web-0']);
    const web0 = podControl.creates[0];
    assert.equal(web0?.metadata?.labels?.[STATEFUL_SET_POD_NAME_LABEL], 'web-0');
    assert.equal(web0?.metadata?.labels?.[POD_INDEX_LABEL], '0');
    assert.equal(web0?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], updateRevision(set));
    assert.equal(web0?.spec?.hostname, 'web-0');
    assert.equal(web0?.spec?.subdomain, 'nginx');
    assert.deepEqual(web0?.metadata?.ownerReferences, [REF]);
    const status = setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.observedGeneration, 4);
    assert.equal(status?.updateRevision, updateRevision(set));
  });

  test('waits while web-0 is not Ready, and creates web-1 once it is', async () => {
    const set = statefulSet(3);
    const waiting = setup(set, [pod(set, 0, false)]);
    await waiting.controller.syncStatefulSet(waiting.key);
    assert.deepEqual(waiting.podControl.creates, []);

    const ready = setup(set, [pod(set, 0, true)]);
    await ready.controller.syncStatefulSet(ready.key);
    assert.deepEqual(ready.podControl.creates.map((p) => p.metadata?.name), ['web-1']);
    const status = ready.setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.replicas, 1);
    assert.equal(status?.readyReplicas, 1);
  });

  test('scales down from the highest ordinal, one at a time', async () => {
    const set = statefulSet(1);
    const { controller, podControl, key } = setup(set, [pod(set, 0, true), pod(set, 1, true), pod(set, 2, true)]);
    await controller.syncStatefulSet(key);
    assert.deepEqual(podControl.deletes, ['web-2']);
  });

  test('Parallel creates every missing pod at once', async () => {
    const set = statefulSet(3, { podManagementPolicy: 'Parallel' });
    const { controller, podControl, key } = setup(set, []);
    await controller.syncStatefulSet(key);
    assert.deepEqual(podControl.creates.map((p) => p.metadata?.name), ['web-0', 'web-1', 'web-2']);
  });

  test('a rolling update deletes the highest old-revision pod at or above the partition', async () => {
    const set = statefulSet(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    const pods = [pod(set, 0, true, 'old'), pod(set, 1, true, 'old'), pod(set, 2, true)];
    const { controller, podControl, key } = setup(set, pods);
    await controller.syncStatefulSet(key);
    assert.deepEqual(podControl.deletes, ['web-1']);
    assert.deepEqual(podControl.creates, []);
  });
});
