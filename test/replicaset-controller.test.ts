/**
 * The ReplicaSet controller against a real in-process API server: it creates the pods, replaces a
 * deleted one, follows scaling both ways, adopts a matching orphan and reports status. Nothing runs
 * a kubelet here, so the test marks pods Ready itself through the status subresource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { appsV1, coreV1 } from '../src/api/types/index.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { ReplicaSetController } from '../src/controllers/replicaset/replica-set-controller.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

type Pod = coreV1.Pod;

describe('ReplicaSet controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      const controller = new ReplicaSetController({ client, informers, logger: silentLogger, workers: 2 });
      return [controller];
    });
  });

  after(() => cluster.close());

  const pods = () => client.typed('v1/Pod').namespace('default');
  const replicaSets = () => client.typed('apps/v1/ReplicaSet').namespace('default');

  /** The active pods the ReplicaSet controls, once there are exactly `count`. */
  async function ownedPods(rs: appsV1.ReplicaSet, count: number): Promise<Pod[]> {
    return eventually(async () => {
      const list = await pods().list();
      const owned = list.items.filter(
        (p) => p.metadata?.deletionTimestamp === undefined && p.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata?.uid && r.controller === true),
      );
      return owned.length === count ? owned : undefined;
    }, `${count} pods owned by ${rs.metadata?.name}`);
  }

  test('keeps a ReplicaSet at its replicas, adopts an orphan and reports status', async () => {
    const rs = await replicaSets().create({
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      },
    });

    // Three pods, named after the ReplicaSet and controlled by it.
    const three = await ownedPods(rs, 3);
    for (const p of three) {
      assert.match(p.metadata?.name ?? '', /^web-/);
      assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await eventually(async () => ((await replicaSets().get('web')).status?.replicas === 3 ? true : undefined), 'status.replicas 3');

    // A deleted pod is replaced.
    const victim = three[0]?.metadata?.name ?? '';
    await pods().delete(victim);
    const replaced = await ownedPods(rs, 3);
    assert.ok(!replaced.some((p) => p.metadata?.name === victim));

    // Scaling up and down.
    await replicaSets().patch('web', { spec: { replicas: 5 } }, 'merge');
    await ownedPods(rs, 5);
    await replicaSets().patch('web', { spec: { replicas: 1 } }, 'merge');
    const [survivor] = await ownedPods(rs, 1);
    await eventually(async () => ((await replicaSets().get('web')).status?.replicas === 1 ? true : undefined), 'status.replicas 1');

    // Readiness: with no kubelet, the test reports the pod Ready itself.
    const current = await pods().get(survivor?.metadata?.name ?? '');
    current.status = { ...current.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] };
    await pods().updateStatus(current);
    const ready = await eventually(async () => {
      const s = (await replicaSets().get('web')).status;
      return s?.readyReplicas === 1 && s.availableReplicas === 1 ? s : undefined;
    }, 'readyReplicas 1');
    assert.equal(ready.observedGeneration, (await replicaSets().get('web')).metadata?.generation);

    // An orphan with matching labels is adopted, and the surplus it makes is deleted again.
    await replicaSets().patch('web', { spec: { replicas: 2 } }, 'merge');
    await ownedPods(rs, 2);
    await pods().create({ metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await eventually(async () => {
      const stray = await pods().get('stray').catch(() => undefined);
      // Either adopted (and kept or chosen for deletion as the least ready pod), or already deleted.
      if (stray === undefined) return true;
      return stray.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata?.uid) === true ? true : undefined;
    }, 'the orphan adopted');
    await ownedPods(rs, 2);
  });

  test('adopts a matching orphan that makes up the replicas, instead of creating a pod', async () => {
    const orphan = await pods().create({ metadata: { name: 'lonely', labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const rs = await replicaSets().create({
      metadata: { name: 'solo' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'solo' } },
        template: { metadata: { labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const adopted = await eventually(async () => {
      const p = await pods().get('lonely');
      return p.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata?.uid && r.controller === true && r.blockOwnerDeletion === true) ? p : undefined;
    }, 'the orphan adopted');
    assert.equal(adopted.metadata?.uid, orphan.metadata?.uid);
    await eventually(async () => ((await replicaSets().get('solo')).status?.replicas === 1 ? true : undefined), 'status.replicas 1');
    const list = await pods().list({ labelSelector: 'app=solo' });
    assert.equal(list.items.length, 1, 'no pod was created besides the adopted one');

    // Relabelled, it is released and replaced.
    await pods().patch('lonely', { metadata: { labels: { app: 'elsewhere' } } }, 'merge');
    await eventually(async () => {
      const p = await pods().get('lonely');
      return (p.metadata?.ownerReferences ?? []).length === 0 ? true : undefined;
    }, 'the relabelled pod released');
    await ownedPods(rs, 1);
    await eventually(async () => {
      const l = await pods().list({ labelSelector: 'app=solo' });
      return l.items.length === 1 ? true : undefined;
    }, 'a replacement pod');
  });
});
