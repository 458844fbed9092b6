/**
 * The life of a dynamically provisioned volume, one sync at a time: the PV controller and the
 * simulated provisioner share informer caches, and each write they record is applied to those caches
 * as the API server would store it — the steps research §7 lists for kind, without a server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { PersistentVolumeController } from './persistent-volume-controller.js';
import { SIMULATED_PROVISIONER, SimulatedProvisioner } from './simulated-provisioner.js';
import { claim, RecordingEvents, RecordingVolumeClient, storageClass, testInformers } from './volume-testing.js';

test('a claim is provisioned, bound, released after its deletion, and its Delete volume deleted', async () => {
  const { client, informers } = testInformers();
  const api = new RecordingVolumeClient();
  const events = new RecordingEvents();
  const common = { client, informers, clock: new FakeClock(), logger: silentLogger, events };
  const controller = new PersistentVolumeController({ ...common, volumeClient: api, syncPeriodMs: 0 });
  const provisioner = new SimulatedProvisioner({ ...common, provisionerClient: api });
  const volumes = informers.typed('v1/PersistentVolume').indexer;
  const claims = informers.typed('v1/PersistentVolumeClaim').indexer;
  informers.typed('storage.k8s.io/v1/StorageClass').indexer.add(storageClass('sim', { provisioner: SIMULATED_PROVISIONER, reclaimPolicy: 'Delete' }));
  claims.add(claim('data', '2Gi', { className: 'sim' }));

  let applied = 0;
  const apply = (): string[] => {
    const fresh = api.actions.slice(applied);
    applied = api.actions.length;
    for (const action of fresh) {
      if (action.claim !== undefined) claims.update(action.claim);
      // The API server resets a new volume's status to Pending.
      if (action.verb === 'createVolume' && action.volume !== undefined) volumes.add({ ...action.volume, status: { phase: 'Pending' } });
      else if (action.volume !== undefined) volumes.update(action.volume);
    }
    return fresh.map((a) => `${a.verb} ${a.name}`);
  };

  await controller.syncClaim('default/data');
  assert.deepEqual(apply(), ['updateClaim data']);
  await provisioner.syncClaim('default/data');
  assert.deepEqual(apply(), ['createVolume pvc-uid-data']);

  // The new volume's sync hands the claim to the claim queue; the claim's sync binds them.
  await controller.syncVolume('pvc-uid-data');
  assert.deepEqual(apply(), []);
  assert.equal(controller.claimQueue.len(), 1);
  await controller.syncClaim('default/data');
  assert.deepEqual(apply(), ['updateVolumeStatus pvc-uid-data', 'updateClaim data', 'updateClaimStatus data']);
  const bound = volumes.getByKey('pvc-uid-data');
  const boundClaim = claims.getByKey('default/data');
  assert.equal(bound?.status?.phase, 'Bound');
  assert.equal(bound?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined, 'a provisioned volume is pre-bound: not bound by the controller');
  assert.deepEqual(boundClaim?.metadata?.annotations, {
    'volume.beta.kubernetes.io/storage-provisioner': SIMULATED_PROVISIONER,
    'volume.kubernetes.io/storage-provisioner': SIMULATED_PROVISIONER,
    'pv.kubernetes.io/bound-by-controller': 'yes',
    'pv.kubernetes.io/bind-completed': 'yes',
  });
  assert.deepEqual(boundClaim?.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });

  // A second pass of both finds nothing left to do.
  await controller.syncClaim('default/data');
  await controller.syncVolume('pvc-uid-data');
  await provisioner.syncClaim('default/data');
  assert.deepEqual(apply(), []);

  // The claim is deleted: the volume is Released, then the provisioner deletes it.
  const gone = claims.getByKey('default/data');
  if (gone !== undefined) claims.delete(gone);
  await controller.syncVolume('pvc-uid-data');
  assert.deepEqual(apply(), ['getClaim data', 'updateVolumeStatus pvc-uid-data']);
  assert.equal(volumes.getByKey('pvc-uid-data')?.status?.phase, 'Released');
  await provisioner.syncVolume('pvc-uid-data');
  assert.deepEqual(apply(), ['deleteVolume pvc-uid-data']);

  assert.deepEqual(events.reasons, ['Normal ExternalProvisioning', 'Normal Provisioning', 'Normal ProvisioningSucceeded']);
});
