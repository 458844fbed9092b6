/**
 * Unit tests of the PVC protection controller: one syncClaim against preloaded informer caches with
 * a claim client that records the updates (upstream pvc_protection_controller_test.go's style), and
 * the pod-event rule for which claims to look at again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { claimsToRecheck, PvcProtectionController, type PvcProtectionClient } from './pvc-protection-controller.js';
import { claim, pod, testInformers } from './volume-testing.js';

const PROTECTION = 'kubernetes.io/pvc-protection';

class RecordingClaims implements PvcProtectionClient {
  readonly updates: coreV1.PersistentVolumeClaim[] = [];
  async updateClaim(c: coreV1.PersistentVolumeClaim): Promise<coreV1.PersistentVolumeClaim> {
    this.updates.push(structuredClone(c));
    return c;
  }
}

function setup(claims: coreV1.PersistentVolumeClaim[], pods: coreV1.Pod[] = []) {
  const { client, informers } = testInformers();
  const pvcClient = new RecordingClaims();
  const controller = new PvcProtectionController({ client, informers, clock: new FakeClock(), logger: silentLogger, pvcClient });
  for (const c of claims) informers.typed('v1/PersistentVolumeClaim').indexer.add(c);
  const podIndexer = informers.typed('v1/Pod').indexer;
  for (const p of pods) podIndexer.add(p);
  return { controller, pvcClient, podIndexer };
}

const deleting = (name = 'data', extra: Parameters<typeof claim>[2] = {}) => claim(name, '1Gi', { deleting: true, finalizers: [PROTECTION, 'example.com/keep'], ...extra });

describe('PVC protection', () => {
  test('a deleting claim keeps its finalizer while a scheduled pod uses it, and loses it once the pod is gone', async () => {
    const user = pod('web-0', { nodeName: 'node-1', claims: ['data'] });
    const { controller, pvcClient, podIndexer } = setup([deleting()], [user]);
    await controller.syncClaim('default/data');
    assert.equal(pvcClient.updates.length, 0);

    podIndexer.delete(user);
    await controller.syncClaim('default/data');
    assert.deepEqual(pvcClient.updates.map((c) => c.metadata?.finalizers), [['example.com/keep']]);
  });

  test('an unscheduled pod does not hold a deleting claim', async () => {
    const { controller, pvcClient } = setup([deleting()], [pod('web-0', { claims: ['data'] })]);
    await controller.syncClaim('default/data');
    assert.equal(pvcClient.updates.length, 1);
  });

  test('a terminated pod still on its node holds a claim it names, until it is deleted', async () => {
    const { controller, pvcClient } = setup([deleting()], [pod('job-0', { nodeName: 'node-1', claims: ['data'], phase: 'Succeeded' })]);
    await controller.syncClaim('default/data');
    assert.deepEqual(pvcClient.updates, []);
  });

  test('an ephemeral claim is held by the pod that owns it, unless that pod is shut down', async () => {
    const owner = pod('app', { nodeName: 'node-1', ephemeral: ['scratch'] });
    const ref = [{ apiVersion: 'v1', kind: 'Pod', name: 'app', uid: 'uid-app', controller: true, blockOwnerDeletion: true }];
    const held = setup([deleting('app-scratch', { ownerReferences: ref })], [owner]);
    await held.controller.syncClaim('default/app-scratch');
    assert.deepEqual(held.pvcClient.updates, []);

    const shutDown = structuredClone(owner);
    shutDown.metadata = { ...shutDown.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 };
    const freed = setup([deleting('app-scratch', { ownerReferences: ref })], [shutDown]);
    await freed.controller.syncClaim('default/app-scratch');
    assert.equal(freed.pvcClient.updates.length, 1);
  });

  test('a claim named like a pod volume but not owned by the pod is not held by it', async () => {
    const { controller, pvcClient } = setup([deleting('app-scratch')], [pod('app', { nodeName: 'node-1', ephemeral: ['scratch'] })]);
    await controller.syncClaim('default/app-scratch');
    assert.equal(pvcClient.updates.length, 1);
  });

  test('a live claim without the finalizer gets it; one with it is left alone', async () => {
    const { controller, pvcClient } = setup([claim('bare', '1Gi'), claim('kept', '1Gi', { finalizers: [PROTECTION] })]);
    await controller.syncClaim('default/bare');
    await controller.syncClaim('default/kept');
    assert.deepEqual(pvcClient.updates.map((c) => [c.metadata?.name, c.metadata?.finalizers]), [['bare', [PROTECTION]]]);
  });
});

describe('PVC protection: pod events', () => {
  test('a deleted, terminated or unscheduled pod sends its claims to be checked again; a running scheduled one does not', () => {
    const both = { claims: ['data'], ephemeral: ['scratch'] };
    assert.deepEqual(claimsToRecheck(pod('p', { ...both, nodeName: 'n' }), true), ['default/data', 'default/p-scratch']);
    assert.deepEqual(claimsToRecheck(pod('p', { ...both, nodeName: 'n', phase: 'Failed' }), false), ['default/data', 'default/p-scratch']);
    assert.deepEqual(claimsToRecheck(pod('p', both), false), ['default/data', 'default/p-scratch']);
    assert.deepEqual(claimsToRecheck(pod('p', { ...both, nodeName: 'n' }), false), []);
  });
});
