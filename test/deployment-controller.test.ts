/**
 * The Deployment controller against a real in-process API server, with the ReplicaSet controller
 * running and a test-only "kubelet" that reports every new pod Running and Ready: a Deployment
 * rolls out, rolls to a new image, rolls back (reusing the old ReplicaSet), scales, pauses and
 * resumes, and reaches the status `kubectl rollout status` waits for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { appsV1, coreV1 } from '../src/api/types/index.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { DeepReadonly } from '../src/client/object.js';
import { DeploymentController } from '../src/controllers/deployment/deployment-controller.js';
import { ReplicaSetController } from '../src/controllers/replicaset/replica-set-controller.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;

/** What kubectl's DeploymentStatusViewer requires before `rollout status` exits 0. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const replicas = d.spec.replicas ?? 1;
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    progressing?.reason !== 'ProgressDeadlineExceeded' &&
    (s.updatedReplicas ?? 0) === replicas &&
    (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0)
  );
}

describe('Deployment controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      const rsController = new ReplicaSetController({ client, informers, logger: silentLogger, workers: 2 });
      const dController = new DeploymentController({ client, informers, logger: silentLogger, workers: 2 });
      // The "kubelet": every pod that appears is reported Running and Ready.
      const pods = client.typed('v1/Pod');
      informers.typed('v1/Pod').addEventHandler({
        onAdd: (pod: DeepReadonly<coreV1.Pod>) => {
          if (pod.status?.phase === 'Running') return;
          const now = new Date().toISOString();
          const ready = structuredClone(pod) as coreV1.Pod;
          ready.status = { ...ready.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
          void pods.namespace(pod.metadata?.namespace ?? '').updateStatus(ready).catch(() => undefined);
        },
      });
      return [rsController, dController];
    });
  });

  after(() => cluster.close());

  const deployments = () => client.typed('apps/v1/Deployment').namespace('default');
  const replicaSets = () => client.typed('apps/v1/ReplicaSet').namespace('default');
  const pods = () => client.typed('v1/Pod').namespace('default');

  async function waitRolledOut(what: string): Promise<Deployment> {
    return eventually(async () => {
      const d = await deployments().get('web');
      return rolledOut(d) ? d : undefined;
    }, what);
  }

  async function ownedReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const list = await replicaSets().list();
    return list.items.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.uid === d.metadata?.uid && r.controller === true));
  }

  const revisionOf = (obj: { metadata?: { annotations?: Record<string, string> } }) => obj.metadata?.annotations?.['deployment.kubernetes.io/revision'];

  test('rolls out, updates, rolls back, scales, pauses and resumes', async () => {
    await deployments().create({
      metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'initial' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } },
      },
    });

    // Three ready pods through one ReplicaSet, revision 1.
    let d = await waitRolledOut('the first rollout');
    assert.equal(d.status?.availableReplicas, 3);
    const available = d.status?.conditions?.find((c) => c.type === 'Available');
    assert.deepEqual([available?.status, available?.reason], ['True', 'MinimumReplicasAvailable']);
    const progressing = await eventually(async () => {
      const c = (await deployments().get('web')).status?.conditions?.find((x) => x.type === 'Progressing');
      return c?.reason === 'NewReplicaSetAvailable' ? c : undefined;
    }, 'Progressing NewReplicaSetAvailable');
    assert.equal(progressing.status, 'True');
    let rss = await ownedReplicaSets(d);
    assert.equal(rss.length, 1);
    const first = rss[0];
    const hash = first?.metadata?.labels?.['pod-template-hash'] ?? '';
    assert.equal(first?.metadata?.name, `web-${hash}`);
    assert.equal(revisionOf(first ?? {}), '1');
    assert.equal(first?.metadata?.annotations?.['kubernetes.io/change-cause'], 'initial');
    const firstPods = (await pods().list({ labelSelector: `pod-template-hash=${hash}` })).items;
    assert.equal(firstPods.length, 3);

    // A new image: a new ReplicaSet at revision 2, the old one scaled to 0.
    await deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } } }, 'strategic');
    d = await waitRolledOut('the rollout of nginx:2');
    rss = await ownedReplicaSets(d);
    assert.equal(rss.length, 2);
    const second = rss.find((rs) => rs.metadata?.uid !== first?.metadata?.uid);
    assert.equal(revisionOf(second ?? {}), '2');
    assert.equal(rss.find((rs) => rs.metadata?.uid === first?.metadata?.uid)?.spec.replicas, 0);
    await eventually(async () => (revisionOf(await deployments().get('web')) === '2' ? true : undefined), 'the Deployment at revision 2');

    // Rolling back (what `kubectl rollout undo` does: the old template patched back) reuses the first ReplicaSet.
    await deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } } } }, 'strategic');
    d = await waitRolledOut('the rollback to nginx:1');
    rss = await ownedReplicaSets(d);
    assert.equal(rss.length, 2, 'no ReplicaSet was created for the rollback');
    const reused = rss.find((rs) => rs.metadata?.uid === first?.metadata?.uid);
    assert.equal(reused?.spec.replicas, 3);
    assert.equal(revisionOf(reused ?? {}), '3');
    assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    await eventually(async () => (revisionOf(await deployments().get('web')) === '3' ? true : undefined), 'the Deployment at revision 3');

    // Scaling.
    await deployments().patch('web', { spec: { replicas: 5 } }, 'merge');
    d = await waitRolledOut('the scale to 5');
    assert.equal(d.status?.availableReplicas, 5);
    assert.equal((await replicaSets().get(reused?.metadata?.name ?? '')).spec.replicas, 5);

    // Paused: a template change makes no ReplicaSet.
    await deployments().patch('web', { spec: { paused: true } }, 'merge');
    await eventually(async () => {
      const c = (await deployments().get('web')).status?.conditions?.find((x) => x.type === 'Progressing');
      return c?.reason === 'DeploymentPaused' ? c : undefined;
    }, 'Progressing DeploymentPaused');
    await deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:3' }] } } } }, 'strategic');
    await eventually(async () => {
      const cur = await deployments().get('web');
      return (cur.status?.observedGeneration ?? 0) >= (cur.metadata?.generation ?? 0) ? cur : undefined;
    }, 'the paused change observed');
    assert.equal((await ownedReplicaSets(d)).length, 2, 'paused: no new ReplicaSet');

    // Resumed: the change rolls out.
    await deployments().patch('web', { spec: { paused: false } }, 'merge');
    d = await waitRolledOut('the rollout of nginx:3 after resuming');
    rss = await ownedReplicaSets(d);
    assert.equal(rss.length, 3);
    const third = rss.find((rs) => rs.spec.template?.spec?.containers[0]?.image === 'nginx:3');
    assert.equal(revisionOf(third ?? {}), '4');
    assert.equal(third?.spec.replicas, 5);
    const finalProgressing = await eventually(async () => {
      const c = (await deployments().get('web')).status?.conditions?.find((x) => x.type === 'Progressing');
      return c?.reason === 'NewReplicaSetAvailable' ? c : undefined;
    }, 'Progressing NewReplicaSetAvailable after resuming');
    assert.equal(finalProgressing.message, `ReplicaSet "${third?.metadata?.name ?? ''}" has successfully progressed.`);
  });
});
