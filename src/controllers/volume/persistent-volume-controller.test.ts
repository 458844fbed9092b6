/**
 * Unit tests of the PV controller's claim sync: one syncClaim against preloaded informer caches,
 * with an API client and an event sink that record what the sync did (upstream binder_test.go and
 * provision_test.go's style: initial objects → expected writes and events).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1, storageV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { PersistentVolumeController, PvcProtectionController, PvProtectionController, SimulatedProvisioner } from './index.js';
import { claim, pod, RecordingEvents, RecordingVolumeClient, storageClass, testInformers, volume } from './volume-testing.js';

interface Objects {
  readonly volumes?: coreV1.PersistentVolume[];
  readonly claims?: coreV1.PersistentVolumeClaim[];
  readonly classes?: storageV1.StorageClass[];
  readonly pods?: coreV1.Pod[];
}

function setup(objects: Objects) {
  const { client, informers } = testInformers();
  const api = new RecordingVolumeClient();
  const events = new RecordingEvents();
  const controller = new PersistentVolumeController({ client, informers, clock: new FakeClock(), logger: silentLogger, volumeClient: api, events, syncPeriodMs: 0 });
  for (const v of objects.volumes ?? []) informers.typed('v1/PersistentVolume').indexer.add(v);
  for (const c of objects.claims ?? []) informers.typed('v1/PersistentVolumeClaim').indexer.add(c);
  for (const c of objects.classes ?? []) informers.typed('storage.k8s.io/v1/StorageClass').indexer.add(c);
  for (const p of objects.pods ?? []) informers.typed('v1/Pod').indexer.add(p);
  return { controller, api, events };
}

const EXTERNAL_MESSAGE =
  "Waiting for a volume to be created either by the external provisioner 'example.com/external' or manually by the system administrator. " +
  'If volume creation is delayed, please verify that the provisioner is running and correctly registered.';

describe('PV controller: unbound claims', () => {
  test('binds a claim to the smallest fitting volume with four writes in upstream order', async () => {
    const { controller, api, events } = setup({ volumes: [volume('big', '10Gi'), volume('small', '2Gi'), volume('tiny', '500Mi')], claims: [claim('c', '1Gi')] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateVolume small', 'updateVolumeStatus small', 'updateClaim c', 'updateClaimStatus c']);
    const [pvUpdate, pvStatus, claimUpdate, claimStatus] = api.actions;
    assert.deepEqual(pvUpdate?.volume?.spec?.claimRef, {
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'c',
      uid: 'uid-c',
      apiVersion: 'v1',
      resourceVersion: '7',
    });
    assert.equal(pvUpdate?.volume?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(pvStatus?.volume?.status?.phase, 'Bound');
    assert.deepEqual(claimUpdate?.claim?.metadata?.annotations, { 'pv.kubernetes.io/bound-by-controller': 'yes', 'pv.kubernetes.io/bind-completed': 'yes' });
    assert.equal(claimUpdate?.claim?.spec?.volumeName, 'small');
    assert.deepEqual(claimStatus?.claim?.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
    assert.deepEqual(events.events, []);
  });

  test('a claim with a class and no matching volume is handed to the external provisioner of its class', async () => {
    const { controller, api, events } = setup({ classes: [storageClass('standard')], claims: [claim('c', '1Gi', { className: 'standard' })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateClaim c']);
    assert.deepEqual(api.actions[0]?.claim?.metadata?.annotations, {
      'volume.beta.kubernetes.io/storage-provisioner': 'example.com/external',
      'volume.kubernetes.io/storage-provisioner': 'example.com/external',
    });
    assert.deepEqual(events.events, [{ object: 'c', type: 'Normal', reason: 'ExternalProvisioning', message: EXTERNAL_MESSAGE }]);
  });

  test('the provisioner annotation is written once; later syncs only repeat the event', async () => {
    const annotated = claim('c', '1Gi', { className: 'standard', annotations: { 'volume.kubernetes.io/storage-provisioner': 'example.com/external' } });
    const { controller, api, events } = setup({ classes: [storageClass('standard')], claims: [annotated] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.reasons, ['Normal ExternalProvisioning']);
  });

  test('a claim of a missing class reports ProvisioningFailed', async () => {
    const { controller, api, events } = setup({ claims: [claim('c', '1Gi', { className: 'gone' })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, [{ object: 'c', type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "gone" not found' }]);
  });

  test('a WaitForFirstConsumer claim waits for its first consumer, neither bound nor provisioned', async () => {
    const { controller, api, events } = setup({
      classes: [storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' })],
      volumes: [volume('free', '5Gi', { className: 'local' })],
      claims: [claim('c', '1Gi', { className: 'local' })],
    });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, [{ object: 'c', type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' }]);
  });

  test('a WaitForFirstConsumer claim names the unscheduled pods it waits for, ignoring terminated ones', async () => {
    const pods = [pod('web-0', { claims: ['c'] }), pod('web-1', { claims: ['c'] }), pod('done', { claims: ['c'], phase: 'Failed' }), pod('running', { claims: ['c'], nodeName: 'n1' })];
    const { controller, events } = setup({ classes: [storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' })], claims: [claim('c', '1Gi', { className: 'local' })], pods });
    await controller.syncClaim('default/c');
    assert.deepEqual(events.events, [{ object: 'c', type: 'Normal', reason: 'WaitForPodScheduled', message: 'waiting for pods web-0,web-1 to be scheduled' }]);
  });

  test('a WaitForFirstConsumer claim with a selected node is provisioned', async () => {
    const selected = claim('c', '1Gi', { className: 'local', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } });
    const { controller, api, events } = setup({ classes: [storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' })], claims: [selected] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateClaim c']);
    assert.deepEqual(events.reasons, ['Normal ExternalProvisioning']);
  });

  test('a claim with the empty class and no volume reports FailedBinding and is Pending', async () => {
    const c = claim('c', '1Gi', { className: '' });
    c.status = {};
    const { controller, api, events } = setup({ claims: [c], classes: [storageClass('standard', { isDefault: true })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateClaimStatus c']);
    assert.deepEqual(api.actions[0]?.claim?.status, { phase: 'Pending' });
    assert.deepEqual(events.events, [{ object: 'c', type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' }]);
  });

  test('a claim that never chose a class gets the default class and nothing else that sync', async () => {
    const classes = [storageClass('old', { isDefault: true }), { ...storageClass('new', { isDefault: true }), metadata: { name: 'new', creationTimestamp: '2026-02-01T00:00:00Z', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }];
    const { controller, api, events } = setup({ claims: [claim('c', '1Gi')], classes });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateClaim c']);
    assert.equal(api.actions[0]?.claim?.spec?.storageClassName, 'new');
    assert.deepEqual(events.events, []);
  });
});

describe('PV controller: claims that name their volume', () => {
  test('a claim naming a free volume is bound to it; the volume is marked bound-by-controller, the claim is not', async () => {
    const { controller, api } = setup({ volumes: [volume('v', '1Gi')], claims: [claim('c', '1Gi', { volumeName: 'v' })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateVolume v', 'updateVolumeStatus v', 'updateClaim c', 'updateClaimStatus c']);
    assert.equal(api.actions[0]?.volume?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(api.actions[2]?.claim?.metadata?.annotations, { 'pv.kubernetes.io/bind-completed': 'yes' });
  });

  test('a claim naming a volume too small for it reports VolumeMismatch and stays Pending', async () => {
    const { controller, api, events } = setup({ volumes: [volume('v', '1Gi')], claims: [claim('c', '5Gi', { volumeName: 'v' })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, [{ object: 'c', type: 'Warning', reason: 'VolumeMismatch', message: 'Cannot bind to requested volume "v": requested PV is too small' }]);
  });

  test('a claim naming a volume bound to another claim reports FailedBinding and waits', async () => {
    const { controller, api, events } = setup({ volumes: [volume('v', '1Gi', { claim: { name: 'other', uid: 'uid-other' }, phase: 'Bound' })], claims: [claim('c', '1Gi', { volumeName: 'v' })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, [{ object: 'c', type: 'Warning', reason: 'FailedBinding', message: 'volume "v" already bound to a different claim.' }]);
  });
});

describe('PV controller: bound claims', () => {
  const bound = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };

  test('a bound claim whose volume is gone is Lost with a ClaimLost warning', async () => {
    const { controller, api, events } = setup({ claims: [claim('c', '1Gi', { volumeName: 'v', phase: 'Bound', annotations: bound })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, ['updateClaimStatus c']);
    assert.equal(api.actions[0]?.claim?.status?.phase, 'Lost');
    assert.deepEqual(events.events, [{ object: 'c', type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' }]);
  });

  test('a bound claim whose volume names another claim is Lost with a ClaimMisbound warning, reported once', async () => {
    const other = volume('v', '1Gi', { claim: { name: 'c', uid: 'someone-else' }, phase: 'Bound' });
    const { controller, events } = setup({ volumes: [other], claims: [claim('c', '1Gi', { volumeName: 'v', phase: 'Bound', annotations: bound })] });
    await controller.syncClaim('default/c');
    assert.deepEqual(events.reasons, ['Warning ClaimMisbound']);
    const lost = setup({ volumes: [other], claims: [claim('c', '1Gi', { volumeName: 'v', phase: 'Lost', annotations: bound })] });
    await lost.controller.syncClaim('default/c');
    assert.deepEqual(lost.events.events, []);
    assert.deepEqual(lost.api.verbs, []);
  });

  test('a bound claim whose binding is complete writes nothing', async () => {
    const c = claim('c', '1Gi', { volumeName: 'v', phase: 'Bound', annotations: bound });
    c.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } };
    const v = volume('v', '1Gi', { claim: { name: 'c', uid: 'uid-c' }, phase: 'Bound', annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } });
    const { controller, api } = setup({ volumes: [v], claims: [c] });
    await controller.syncClaim('default/c');
    assert.deepEqual(api.verbs, []);
  });
});

describe('volume controllers: run', () => {
  test('each run resolves once its signal has aborted, before the caches synced', async () => {
    const { client, informers } = testInformers();
    const common = { client, informers, clock: new FakeClock(), logger: silentLogger };
    const signal = AbortSignal.abort();
    await new PersistentVolumeController({ ...common, events: new RecordingEvents() }).run(signal);
    await new SimulatedProvisioner({ ...common, events: new RecordingEvents() }).run(signal);
    await new PvcProtectionController(common).run(signal);
    await new PvProtectionController(common).run(signal);
  });
});
