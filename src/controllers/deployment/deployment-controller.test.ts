/**
 * Unit tests of syncDeployment: one sync against preloaded informer caches, with ReplicaSet and
 * Deployment clients that record what the sync wrote (upstream deployment_controller_test.go's
 * style), plus the pod-template-hash.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { appsV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { DeploymentController } from './deployment-controller.js';
import { D_UID, deployment, RecordingContext, replicaSet } from './fixtures.js';
import { safeEncodeString } from '../controller-utils/hash.js';
import { computeHash, equalIgnoreHash } from './pod-template-hash.js';

type Deployment = appsV1.Deployment;
type ReplicaSet = appsV1.ReplicaSet;

function setup(d: Deployment, rss: ReplicaSet[]) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const clock = new FakeClock();
  const rec = new RecordingContext();
  rec.nowMs = clock.now();
  rec.fresh = d;
  const controller = new DeploymentController({
    client,
    informers,
    clock,
    logger: silentLogger,
    rsControl: rec.rsControl,
    deploymentClient: rec.dClient,
    recorder: { event: (obj, type, reason, message) => rec.event(obj, type, reason, message) },
  });
  informers.typed('apps/v1/Deployment').indexer.add(d);
  for (const rs of rss) informers.typed('apps/v1/ReplicaSet').indexer.add(rs);
  return { controller, rec, clock, key: 'default/web' };
}

function condition(status: appsV1.DeploymentStatus | undefined, type: string) {
  return status?.conditions?.find((c) => c.type === type);
}

describe('pod-template-hash', () => {
  test('encodes with the alphabet that has no vowels and no 0, 1 or 3', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
    assert.match(computeHash({ spec: { containers: [{ name: 'c', image: 'nginx' }] } }), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  test('is stable for equal templates and changes with the template or the collision count', () => {
    const a = { metadata: { labels: { b: '1', a: '2' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const b = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { a: '2', b: '1' } } };
    assert.equal(computeHash(a), computeHash(b));
    assert.notEqual(computeHash(a), computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }));
    assert.notEqual(computeHash(a), computeHash(a, 1));
  });

  test('template equality ignores the pod-template-hash label and empty fields', () => {
    assert.ok(equalIgnoreHash({ metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [] } }, { metadata: { labels: { app: 'x' } } }));
    assert.ok(!equalIgnoreHash({ metadata: { labels: { app: 'x' } } }, { metadata: { labels: { app: 'y' } } }));
  });
});

describe('Deployment controller sync', () => {
  test('a new Deployment creates its ReplicaSet with the hash label, revision 1 and the replicas annotations', async () => {
    const d = deployment({ replicas: 3, annotations: { 'kubernetes.io/change-cause': 'first' } });
    const { controller, rec, key } = setup(d, []);
    await controller.syncDeployment(key);
    assert.equal(rec.created.length, 1);
    const rs = rec.created[0];
    const hash = computeHash(d.spec.template);
    assert.equal(rs?.metadata?.name, `web-${hash}`);
    assert.equal(rs?.metadata?.labels?.['pod-template-hash'], hash);
    assert.equal(rs?.spec.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(rs?.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(rs?.spec.replicas, 3);
    assert.deepEqual(rs?.metadata?.annotations, {
      'kubernetes.io/change-cause': 'first',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    assert.equal(rs?.metadata?.ownerReferences?.[0]?.uid, D_UID);
    const written = rec.statusWrites.at(-1);
    assert.equal(written?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const progressing = condition(written?.status, 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetCreated');
    assert.equal(progressing?.message, `Created new replica set "web-${hash}"`);
    assert.ok(rec.events.includes(`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`));
  });

  test('a template change creates revision 2 and surges it by maxSurge while the old one stays', async () => {
    const d = deployment({ replicas: 4, image: 'nginx:2', maxSurge: 1, maxUnavailable: 0 });
    const old = replicaSet('old', { replicas: 4, available: 4, revision: 1, image: 'nginx:1' });
    const { controller, rec, key } = setup(d, [old]);
    await controller.syncDeployment(key);
    assert.equal(rec.created.length, 1);
    assert.equal(rec.created[0]?.spec.replicas, 1);
    assert.equal(rec.created[0]?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.deepEqual(rec.scaledTo(), {}, 'maxUnavailable 0: nothing old goes before a new pod is available');
  });

  test('old ReplicaSets shrink by maxUnavailable once the new one is at full size', async () => {
    const d = deployment({ replicas: 4, image: 'nginx:2', maxSurge: 0, maxUnavailable: 2 });
    const old = replicaSet('old', { replicas: 4, available: 4, revision: 1, image: 'nginx:1' });
    const next = replicaSet('new', { replicas: 0, revision: 2, image: 'nginx:2', annotations: { 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '4' } });
    const { controller, rec, key } = setup(d, [old, next]);
    await controller.syncDeployment(key);
    assert.deepEqual(rec.scaledTo(), { 'web-old': 2 });
    assert.equal(rec.created.length, 0);
  });

  test('a Recreate rollout scales the old ReplicaSet to 0 before creating the new one', async () => {
    const d = deployment({ replicas: 3, image: 'nginx:2', strategy: 'Recreate' });
    const old = replicaSet('old', { replicas: 3, available: 3, revision: 1, image: 'nginx:1' });
    const { controller, rec, key } = setup(d, [old]);
    await controller.syncDeployment(key);
    assert.deepEqual(rec.scaledTo(), { 'web-old': 0 });
    assert.equal(rec.created.length, 0);

    // Once the old ReplicaSet reports no pods, the new one is created at full size.
    const gone = replicaSet('old', { replicas: 0, revision: 1, image: 'nginx:1' });
    const second = setup(d, [gone]);
    await second.controller.syncDeployment(second.key);
    assert.equal(second.rec.created.length, 1);
    assert.equal(second.rec.created[0]?.spec.replicas, 3);
  });

  test('a paused Deployment gets no new ReplicaSet, only status and the DeploymentPaused condition', async () => {
    const d = deployment({ replicas: 3, image: 'nginx:2', paused: true });
    const old = replicaSet('old', { replicas: 3, available: 3, revision: 1, image: 'nginx:1', annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } });
    const { controller, rec, key } = setup(d, [old]);
    await controller.syncDeployment(key);
    assert.equal(rec.created.length, 0);
    assert.equal(rec.updated.length, 0);
    const status = rec.lastStatus();
    assert.equal(condition(status, 'Progressing')?.reason, 'DeploymentPaused');
    assert.equal(condition(status, 'Progressing')?.status, 'Unknown');
    assert.equal(status?.replicas, 3);
    assert.equal(status?.updatedReplicas, 0);
  });

  test('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets of a complete rollout', async () => {
    const d = deployment({ replicas: 2, image: 'nginx:4', revisionHistoryLimit: 1, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } });
    const rss = [
      replicaSet('r1', { replicas: 0, revision: 1, image: 'nginx:1', created: '2025-01-01T00:00:00Z' }),
      replicaSet('r2', { replicas: 0, revision: 2, image: 'nginx:2', created: '2025-01-02T00:00:00Z' }),
      replicaSet('r3', { replicas: 0, revision: 3, image: 'nginx:3', created: '2025-01-03T00:00:00Z' }),
      replicaSet('r4', { replicas: 2, available: 2, revision: 4, image: 'nginx:4', created: '2025-01-04T00:00:00Z', annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3' } }),
    ];
    const { controller, rec, key } = setup(d, rss);
    await controller.syncDeployment(key);
    assert.deepEqual(rec.deleted, ['web-r1', 'web-r2']);
  });

  test('a complete rollout reports its counts, Available True and Progressing NewReplicaSetAvailable', async () => {
    const d = deployment({ replicas: 3, generation: 2, status: { observedGeneration: 1 } });
    const rs = replicaSet('cur', { replicas: 3, available: 3, revision: 1, annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' } });
    (d.metadata ??= {}).annotations = { 'deployment.kubernetes.io/revision': '1' };
    const { controller, rec, key } = setup(d, [rs]);
    await controller.syncDeployment(key);
    const status = rec.lastStatus();
    assert.equal(status?.observedGeneration, 2);
    assert.equal(status?.replicas, 3);
    assert.equal(status?.updatedReplicas, 3);
    assert.equal(status?.readyReplicas, 3);
    assert.equal(status?.availableReplicas, 3);
    assert.equal(status?.unavailableReplicas, 0);
    const available = condition(status, 'Available');
    assert.deepEqual([available?.status, available?.reason, available?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
    const progressing = condition(status, 'Progressing');
    assert.deepEqual([progressing?.status, progressing?.reason, progressing?.message], ['True', 'NewReplicaSetAvailable', 'ReplicaSet "web-cur" has successfully progressed.']);
  });

  test('a rollout that made no progress past its deadline is ProgressDeadlineExceeded', async () => {
    const d = deployment({
      replicas: 3,
      image: 'nginx:2',
      status: {
        observedGeneration: 1,
        replicas: 4,
        updatedReplicas: 1,
        readyReplicas: 3,
        availableReplicas: 3,
        unavailableReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2025-12-31T23:00:00Z', lastTransitionTime: '2025-12-31T23:00:00Z' }],
      },
    });
    const old = replicaSet('old', { replicas: 3, available: 3, revision: 1, image: 'nginx:1', annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } });
    const next = replicaSet('new', { replicas: 1, available: 0, revision: 2, image: 'nginx:2', annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' } });
    (d.metadata ??= {}).annotations = { 'deployment.kubernetes.io/revision': '2' };
    const { controller, rec, key } = setup(d, [old, next]);
    await controller.syncDeployment(key);
    const progressing = condition(rec.lastStatus(), 'Progressing');
    assert.deepEqual([progressing?.status, progressing?.reason, progressing?.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-new" has timed out progressing.']);
  });

  test('scaling the Deployment during a rollout spreads the change in proportion to the ReplicaSets', async () => {
    const d = deployment({ replicas: 20, image: 'nginx:2', maxSurge: 3, maxUnavailable: 2 });
    const annotations = { 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' };
    const old = replicaSet('old', { replicas: 8, available: 8, revision: 1, image: 'nginx:1', annotations, created: '2025-01-01T00:00:00Z' });
    const next = replicaSet('new', { replicas: 5, revision: 2, image: 'nginx:2', annotations, created: '2025-01-02T00:00:00Z' });
    const { controller, rec, key } = setup(d, [old, next]);
    await controller.syncDeployment(key);
    // 23 allowed now, 13 before: +10, split 8:5 → about 6 and 4.
    assert.deepEqual(rec.scaledTo(), { 'web-old': 14, 'web-new': 9 });
  });

  test('rolling back to an old template reuses its ReplicaSet with the next revision and keeps the history', async () => {
    const d = deployment({ replicas: 2, image: 'nginx:1' });
    const first = replicaSet('one', { replicas: 0, revision: 1, image: 'nginx:1', created: '2025-01-01T00:00:00Z' });
    const second = replicaSet('two', { replicas: 2, available: 2, revision: 2, image: 'nginx:2', created: '2025-01-02T00:00:00Z', annotations: { 'deployment.kubernetes.io/desired-replicas': '2' } });
    const { controller, rec, key } = setup(d, [first, second]);
    await controller.syncDeployment(key);
    assert.equal(rec.created.length, 0);
    const revised = rec.updated.find((rs) => rs.metadata?.name === 'web-one');
    assert.equal(revised?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(revised?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  });
});
