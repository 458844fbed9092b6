/**
 * Unit tests of a StatefulSet's ControllerRevision history: one syncStatefulSet against preloaded
 * caches (set, pods, revisions) with recording pod, set and revision clients (upstream
 * stateful_set_control_test.go TestStatefulSetControlRollback / TestStatefulSetHistoryTruncation in
 * spirit).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../client/errors.js';
import { CONTROLLER_REVISION_HASH_LABEL, revisionTemplate } from '../controller-utils/history.js';
import { pod, REF, revisionName, setup, statefulSet, storedRevision, withImage } from './stateful-set-testing.js';

describe('StatefulSet revision history', () => {
  test('the first sync creates revision 1 and labels the first pod with its name', async () => {
    const set = statefulSet(3);
    const { controller, podControl, setClient, revisionClient, key } = setup(set, []);
    await controller.syncStatefulSet(key);

    assert.equal(revisionClient.creates.length, 1);
    const rev = revisionClient.creates[0];
    assert.equal(rev?.revision, 1);
    assert.match(rev?.metadata?.name ?? '', /^web-[a-z0-9]+$/);
    assert.equal(rev?.metadata?.labels?.['app'], 'web');
    assert.equal(`web-${rev?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ''}`, rev?.metadata?.name);
    assert.deepEqual(rev?.metadata?.ownerReferences, [REF]);
    assert.deepEqual(revisionTemplate(rev ?? { data: null }), set.spec.template);

    assert.equal(podControl.creates[0]?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], rev?.metadata?.name);
    const status = setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.updateRevision, rev?.metadata?.name);
    assert.equal(status?.currentRevision, rev?.metadata?.name);
    assert.equal(status?.collisionCount, 0);
  });

  test('an orphaned revision its selector matches is adopted and, holding the template, used as it is', async () => {
    const set = statefulSet(1);
    const orphan = storedRevision(set, 1);
    orphan.metadata = { ...orphan.metadata, uid: 'orphan-uid' };
    delete orphan.metadata.ownerReferences;
    const { controller, setClient, revisionClient, key } = setup(set, [pod(set, 0, true)], [orphan]);
    await controller.syncStatefulSet(key);

    assert.deepEqual(revisionClient.patches, [{ name: orphan.metadata.name, patch: { metadata: { ownerReferences: [REF], uid: 'orphan-uid' } } }]);
    assert.deepEqual(revisionClient.creates, []);
    assert.equal(setClient.statusUpdates.at(-1)?.status?.updateRevision, orphan.metadata.name);
  });

  test('a set being deleted creates, renumbers and deletes no revision, whatever the garbage collector has left', async () => {
    const v1 = statefulSet(1);
    const v2 = withImage(v1, 'nginx:2');
    v2.metadata = { ...v2.metadata, deletionTimestamp: '2026-11-26T10:00:00Z', finalizers: ['foregroundDeletion'] };
    v2.spec.revisionHistoryLimit = 0;
    const { controller, revisionClient, key } = setup(v2, [pod(v1, 0, true)], [storedRevision(v1, 1)]);
    await controller.syncStatefulSet(key);
    assert.deepEqual([revisionClient.creates, revisionClient.updates, revisionClient.deletes], [[], [], []]);
  });

  test('a changed template creates revision 2, which status.updateRevision names while the pods stay current', async () => {
    const v1 = statefulSet(3);
    const rev1 = storedRevision(v1, 1);
    const v2 = withImage(v1, 'nginx:2');
    v2.status = { currentRevision: rev1.metadata?.name ?? '', replicas: 3, currentReplicas: 3 };
    const pods = [pod(v1, 0, true), pod(v1, 1, true), pod(v1, 2, true)];
    const { controller, podControl, setClient, revisionClient, key } = setup(v2, pods, [rev1]);
    await controller.syncStatefulSet(key);

    assert.deepEqual(revisionClient.creates.map((r) => r.revision), [2]);
    const rev2 = revisionClient.creates[0];
    assert.notEqual(rev2?.metadata?.name, rev1.metadata?.name);
    assert.equal(rev2?.metadata?.name, revisionName(v2));
    const status = setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.updateRevision, rev2?.metadata?.name);
    assert.equal(status?.currentRevision, rev1.metadata?.name);
    assert.equal(status?.currentReplicas, 3);
    assert.equal(status?.updatedReplicas, 0);
    // The rolling update starts from the top.
    assert.deepEqual(podControl.deletes, ['web-2']);
  });

  test('going back to an older template renumbers its revision as the newest instead of creating one', async () => {
    const v1 = statefulSet(1);
    const v2 = withImage(v1, 'nginx:2');
    const rev1 = storedRevision(v1, 1);
    const rev2 = storedRevision(v2, 2);
    const back = structuredClone(v1);
    back.status = { replicas: 1, currentRevision: rev2.metadata?.name ?? '', updateRevision: rev2.metadata?.name ?? '' };
    const { controller, setClient, revisionClient, key } = setup(back, [pod(v2, 0, true)], [rev1, rev2]);
    await controller.syncStatefulSet(key);

    assert.deepEqual(revisionClient.creates, []);
    assert.deepEqual(revisionClient.updates.map((r) => [r.metadata?.name, r.revision]), [[rev1.metadata?.name, 3]]);
    const status = setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.updateRevision, rev1.metadata?.name);
    assert.equal(status?.currentRevision, rev2.metadata?.name);
  });

  test('an unchanged template re-uses the newest revision and writes none', async () => {
    const set = statefulSet(1);
    const rev1 = storedRevision(set, 1);
    const { controller, revisionClient, key } = setup(set, [pod(set, 0, true)], [rev1]);
    await controller.syncStatefulSet(key);
    assert.deepEqual(revisionClient.creates, []);
    assert.deepEqual(revisionClient.updates, []);
  });

  test("the revision carries the set's annotations, which kubectl shows as CHANGE-CAUSE", async () => {
    const set = statefulSet(1);
    set.metadata = { ...set.metadata, annotations: { 'kubernetes.io/change-cause': 'kubectl set image sts/web nginx=nginx:2' } };
    const { controller, revisionClient, key } = setup(set, []);
    await controller.syncStatefulSet(key);
    assert.equal(revisionClient.creates[0]?.metadata?.annotations?.['kubernetes.io/change-cause'], 'kubectl set image sts/web nginx=nginx:2');
  });

  test('history is truncated to revisionHistoryLimit, oldest first, keeping the revisions pods and status name', async () => {
    const base = statefulSet(2, { revisionHistoryLimit: 1 });
    const revisions = [1, 2, 3, 4, 5, 6].map((n) => storedRevision(withImage(base, `nginx:${n}`), n));
    const set = withImage(base, 'nginx:6');
    set.status = { replicas: 2, currentRevision: revisions[4]?.metadata?.name ?? '' };
    // web-0 is still at revision 1 and web-1 at 6, the update revision; 5 is live as the current one.
    const pods = [pod(withImage(base, 'nginx:1'), 0, true), pod(set, 1, true)];
    const { controller, revisionClient, key } = setup(set, pods, revisions);
    await controller.syncStatefulSet(key);
    // Not live: 2, 3, 4; one of them may stay, the newest.
    assert.deepEqual(revisionClient.deletes, [revisions[1]?.metadata?.name, revisions[2]?.metadata?.name]);
  });

  test('a missing pod below the partition is created from the current revision, one above from the update revision', async () => {
    const v1 = statefulSet(3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const rev1 = storedRevision(v1, 1);
    const v2 = withImage(v1, 'nginx:2');
    v2.status = { replicas: 0, currentRevision: rev1.metadata?.name ?? '' };
    const { controller, podControl, key } = setup(v2, [], [rev1]);
    await controller.syncStatefulSet(key);

    const byName = new Map(podControl.creates.map((p) => [p.metadata?.name, p]));
    assert.equal(byName.get('web-0')?.spec?.containers[0]?.image, 'nginx');
    assert.equal(byName.get('web-0')?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], rev1.metadata?.name);
    assert.equal(byName.get('web-1')?.spec?.containers[0]?.image, 'nginx');
    assert.equal(byName.get('web-2')?.spec?.containers[0]?.image, 'nginx:2');
    assert.equal(byName.get('web-2')?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], revisionName(v2));
  });

  test('a name taken by a revision with other data raises collisionCount and names the revision anew', async () => {
    const set = statefulSet(1);
    const squatter = storedRevision(withImage(set, 'other'), 1);
    squatter.metadata = { ...squatter.metadata, name: revisionName(set) };
    // Not owned by the set, so not in its history, but its name is taken.
    squatter.metadata.ownerReferences = [];
    const { controller, setClient, revisionClient, podControl, key } = setup(set, [], [squatter]);
    await controller.syncStatefulSet(key);

    const created = revisionClient.creates[0];
    assert.notEqual(created?.metadata?.name, squatter.metadata.name);
    const status = setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.collisionCount, 1);
    assert.equal(status?.updateRevision, created?.metadata?.name);
    assert.equal(podControl.creates[0]?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], created?.metadata?.name);
  });

  test('a failing revision write fails the sync before a single pod is touched', async () => {
    const set = statefulSet(1);
    const { controller, podControl, revisionClient, key } = setup(set, []);
    revisionClient.create = async () => {
      throw new ApiError(403, 'Forbidden', 'no');
    };
    await assert.rejects(controller.syncStatefulSet(key), /no/);
    assert.deepEqual(podControl.creates, []);
  });
});
