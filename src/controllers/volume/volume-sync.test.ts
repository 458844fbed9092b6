/**
 * Unit tests of the PV controller's volume sync: one syncVolume against preloaded informer caches,
 * with an API client and an event sink that record what the sync did (upstream recycle_test.go,
 * delete_test.go and binder_test.go's syncVolume cases).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { PersistentVolumeController } from './persistent-volume-controller.js';
import { claim, RecordingEvents, RecordingVolumeClient, testInformers, volume } from './volume-testing.js';

function setup(volumes: coreV1.PersistentVolume[], claims: coreV1.PersistentVolumeClaim[] = []) {
  const { client, informers } = testInformers();
  const api = new RecordingVolumeClient();
  const events = new RecordingEvents();
  const controller = new PersistentVolumeController({ client, informers, clock: new FakeClock(), logger: silentLogger, volumeClient: api, events, syncPeriodMs: 0 });
  for (const v of volumes) informers.typed('v1/PersistentVolume').indexer.add(v);
  for (const c of claims) informers.typed('v1/PersistentVolumeClaim').indexer.add(c);
  return { controller, api, events };
}

const BOUND_CLAIM = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
const PROVISIONED = { 'pv.kubernetes.io/provisioned-by': 'kubelite.dev/simulated' };

describe('PV controller: volumes', () => {
  test('a new volume without a claimRef becomes Available', async () => {
    const { controller, api } = setup([volume('v', '1Gi', { phase: 'Pending' })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, ['updateVolumeStatus v']);
    assert.deepEqual(api.actions[0]?.volume?.status, { phase: 'Available' });
  });

  test('a volume pre-bound by claim name only stays Available for that claim', async () => {
    const { controller, api } = setup([volume('v', '1Gi', { claim: { name: 'c' } })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, []);
  });

  test('a volume whose claim was deleted is Released without an event, after asking the server', async () => {
    const { controller, api, events } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Bound' })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, ['getClaim c', 'updateVolumeStatus v']);
    assert.equal(api.actions[1]?.volume?.status?.phase, 'Released');
    assert.deepEqual(events.events, []);
  });

  test('a released Retain volume keeps its claimRef and is left alone', async () => {
    const { controller, api, events } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Released', policy: 'Retain' })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, []);
  });

  test('a Delete volume of an external provisioner is Released and left for the provisioner to delete', async () => {
    const { controller, api, events } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Bound', policy: 'Delete', annotations: PROVISIONED })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, ['getClaim c', 'updateVolumeStatus v']);
    assert.deepEqual(events.events, []);
  });

  test('a Delete volume no provisioner owns fails, as upstream without a deleter plugin', async () => {
    const { controller, api, events } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Released', policy: 'Delete' })]);
    await controller.syncVolume('v');
    const message = 'error getting deleter volume plugin for volume "v": no deletable volume plugin matched';
    assert.deepEqual(api.actions.map((a) => [a.verb, a.volume?.status]), [['updateVolumeStatus', { phase: 'Failed', message }]]);
    assert.deepEqual(events.events, [{ object: 'v', type: 'Warning', reason: 'VolumeFailedDelete', message }]);
  });

  test('a claim recreated under the same name does not keep the old volume', async () => {
    const { controller, api } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'old-uid' }, phase: 'Bound' })], [claim('c', '1Gi')]);
    api.liveClaims.set('default/c', claim('c', '1Gi'));
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, ['getClaim c', 'updateVolumeStatus v']);
    assert.equal(api.actions[1]?.volume?.status?.phase, 'Released');
  });

  test('a volume pointing at a claim that is not bound yet queues the claim and writes nothing', async () => {
    const { controller, api } = setup([volume('pvc-uid-c', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Pending', annotations: PROVISIONED })], [claim('c', '1Gi')]);
    await controller.syncVolume('pvc-uid-c');
    assert.deepEqual(api.verbs, []);
    assert.equal(controller.claimQueue.len(), 1);
  });

  test('a volume whose claim names it is Bound', async () => {
    const { controller, api } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Available' })], [claim('c', '1Gi', { volumeName: 'v', annotations: BOUND_CLAIM })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, ['updateVolumeStatus v']);
    assert.equal(api.actions[0]?.volume?.status?.phase, 'Bound');
  });

  test('a volume the controller bound to a claim that went to another volume is freed', async () => {
    const mine = volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Bound', annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } });
    const { controller, api } = setup([mine], [claim('c', '1Gi', { volumeName: 'other', annotations: BOUND_CLAIM })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.verbs, ['updateVolume v', 'updateVolumeStatus v']);
    assert.equal(api.actions[0]?.volume?.spec?.claimRef, undefined);
    assert.equal(api.actions[0]?.volume?.metadata?.annotations, undefined);
    assert.equal(api.actions[1]?.volume?.status?.phase, 'Available');
  });

  test('a volume the user pre-bound to a claim that went elsewhere keeps the claim name but not its uid', async () => {
    const { controller, api } = setup([volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Bound' })], [claim('c', '1Gi', { volumeName: 'other', annotations: BOUND_CLAIM })]);
    await controller.syncVolume('v');
    assert.deepEqual(api.actions[0]?.volume?.spec?.claimRef, { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: 'c' });
  });
});
