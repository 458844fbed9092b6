/**
 * Unit tests of syncStatefulSet: one sync against preloaded informer caches, with a
 * StatefulPodControl and a StatefulSet client that record what the sync did (upstream
 * stateful_set_control_test.go's style). The revision history has its own tests
 * (stateful-set-history.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pod, REF, revisionName, setup, statefulSet } from './stateful-set-testing.js';
import { CONTROLLER_REVISION_HASH_LABEL, POD_INDEX_LABEL, STATEFUL_SET_POD_NAME_LABEL } from './stateful-set-utils.js';

describe('StatefulSet controller sync', () => {
  test('creates only web-0 first, with its stable identity', async () => {
    const set = statefulSet(3);
    const { controller, podControl, setClient, key } = setup(set, []);
    await controller.syncStatefulSet(key);
    assert.deepEqual(podControl.creates.map((p) => p.metadata?.name), ['web-0']);
    const web0 = podControl.creates[0];
    assert.equal(web0?.metadata?.labels?.[STATEFUL_SET_POD_NAME_LABEL], 'web-0');
    assert.equal(web0?.metadata?.labels?.[POD_INDEX_LABEL], '0');
    assert.equal(web0?.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL], revisionName(set));
    assert.equal(web0?.spec?.hostname, 'web-0');
    assert.equal(web0?.spec?.subdomain, 'nginx');
    assert.deepEqual(web0?.metadata?.ownerReferences, [REF]);
    const status = setClient.statusUpdates.at(-1)?.status;
    assert.equal(status?.observedGeneration, 4);
    assert.equal(status?.updateRevision, revisionName(set));
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
