/**
 * Unit tests of the simulated provisioner: one syncClaim or syncVolume against preloaded informer
 * caches, with an API client and an event sink that record what the sync did
 * (sig-storage-lib-external-provisioner controller_test.go's style).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1, storageV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { SIMULATED_PROVISIONER, SimulatedProvisioner } from './simulated-provisioner.js';
import { claim, RecordingEvents, RecordingVolumeClient, storageClass, testInformers, volume } from './volume-testing.js';

interface Objects {
  readonly claims?: coreV1.PersistentVolumeClaim[];
  readonly volumes?: coreV1.PersistentVolume[];
  readonly classes?: storageV1.StorageClass[];
  readonly nodes?: coreV1.Node[];
}

function setup(objects: Objects) {
  const { client, informers } = testInformers();
  const api = new RecordingVolumeClient();
  const events = new RecordingEvents();
  const provisioner = new SimulatedProvisioner({ client, informers, clock: new FakeClock(), logger: silentLogger, provisionerClient: api, events });
  for (const c of objects.claims ?? []) informers.typed('v1/PersistentVolumeClaim').indexer.add(c);
  for (const v of objects.volumes ?? []) informers.typed('v1/PersistentVolume').indexer.add(v);
  for (const c of objects.classes ?? [storageClass('sim', { provisioner: SIMULATED_PROVISIONER })]) informers.typed('storage.k8s.io/v1/StorageClass').indexer.add(c);
  for (const n of objects.nodes ?? []) informers.typed('v1/Node').indexer.add(n);
  return { provisioner, api, events };
}

const ASKED = { 'volume.kubernetes.io/storage-provisioner': SIMULATED_PROVISIONER };
const WFFC = storageClass('sim', { provisioner: SIMULATED_PROVISIONER, volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain' });
const node = (name: string, hostname: string): coreV1.Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': hostname } } });

describe('simulated provisioner: provisioning', () => {
  test('creates pvc-<uid> for a claim the PV controller handed to it, with upstream events', async () => {
    const { provisioner, api, events } = setup({ claims: [claim('data', '3Gi', { className: 'sim', annotations: ASKED, modes: ['ReadWriteOnce', 'ReadOnlyMany'] })] });
    await provisioner.syncClaim('default/data');
    assert.deepEqual(api.verbs, ['createVolume pvc-uid-data']);
    assert.deepEqual(api.actions[0]?.volume, {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-uid-data', annotations: { 'pv.kubernetes.io/provisioned-by': SIMULATED_PROVISIONER } },
      spec: {
        persistentVolumeReclaimPolicy: 'Delete',
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
        volumeMode: 'Filesystem',
        capacity: { storage: '3Gi' },
        hostPath: { path: '/var/lib/kubelite/volumes/pvc-uid-data_default_data', type: 'DirectoryOrCreate' },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data', apiVersion: 'v1', resourceVersion: '7' },
        storageClassName: 'sim',
      },
    });
    assert.deepEqual(events.events, [
      { object: 'data', type: 'Normal', reason: 'Provisioning', message: 'External provisioner is provisioning volume for claim "default/data"' },
      { object: 'data', type: 'Normal', reason: 'ProvisioningSucceeded', message: 'Successfully provisioned volume pvc-uid-data' },
    ]);
  });

  test('reads the beta provisioner annotation too', async () => {
    const { provisioner, api } = setup({ claims: [claim('data', '1Gi', { className: 'sim', annotations: { 'volume.beta.kubernetes.io/storage-provisioner': SIMULATED_PROVISIONER } })] });
    await provisioner.syncClaim('default/data');
    assert.deepEqual(api.verbs, ['createVolume pvc-uid-data']);
  });

  test('a WaitForFirstConsumer claim waits for its selected node', async () => {
    const { provisioner, api, events } = setup({ classes: [WFFC], claims: [claim('data', '1Gi', { className: 'sim', annotations: ASKED })] });
    await provisioner.syncClaim('default/data');
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, []);
  });

  test('a volume for a selected node is pinned to that node by its hostname label, with the class reclaim policy', async () => {
    const selected = claim('data', '1Gi', { className: 'sim', annotations: { ...ASKED, 'volume.kubernetes.io/selected-node': 'node-1' } });
    const { provisioner, api } = setup({ classes: [WFFC], claims: [selected], nodes: [node('node-1', 'host-1')] });
    await provisioner.syncClaim('default/data');
    const spec = api.actions[0]?.volume?.spec;
    assert.deepEqual(spec?.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-1'] }] }] } });
    assert.equal(spec?.persistentVolumeReclaimPolicy, 'Retain');
  });

  test('a selected node that does not exist is given back to the scheduler', async () => {
    const selected = claim('data', '1Gi', { className: 'sim', annotations: { ...ASKED, 'volume.kubernetes.io/selected-node': 'gone' } });
    const { provisioner, api, events } = setup({ classes: [WFFC], claims: [selected] });
    await provisioner.syncClaim('default/data');
    assert.deepEqual(api.verbs, ['updateClaim data']);
    assert.deepEqual(api.actions[0]?.claim?.metadata?.annotations, ASKED);
    assert.deepEqual(events.events, [{ object: 'data', type: 'Warning', reason: 'ProvisioningFailed', message: 'nodes "gone" not found' }]);
  });

  test('leaves claims of other provisioners, claims with a volume, and claims whose volume exists', async () => {
    const { provisioner, api, events } = setup({
      claims: [
        claim('other', '1Gi', { className: 'sim', annotations: { 'volume.kubernetes.io/storage-provisioner': 'example.com/external' } }),
        claim('named', '1Gi', { className: 'sim', annotations: ASKED, volumeName: 'v' }),
        claim('done', '1Gi', { className: 'sim', annotations: ASKED }),
      ],
      volumes: [volume('pvc-uid-done', '1Gi')],
    });
    for (const key of ['default/other', 'default/named', 'default/done']) await provisioner.syncClaim(key);
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events, []);
  });

  test('a claim with a selector cannot be provisioned', async () => {
    const { provisioner, api, events } = setup({ claims: [claim('data', '1Gi', { className: 'sim', annotations: ASKED, selector: { matchLabels: { a: 'b' } } })] });
    await assert.rejects(provisioner.syncClaim('default/data'));
    assert.deepEqual(api.verbs, []);
    assert.deepEqual(events.events.at(-1), {
      object: 'data',
      type: 'Warning',
      reason: 'ProvisioningFailed',
      message: 'failed to provision volume with StorageClass "sim": claim.Spec.Selector is not supported',
    });
  });
});

describe('simulated provisioner: deletion', () => {
  const ours = { 'pv.kubernetes.io/provisioned-by': SIMULATED_PROVISIONER };

  test('deletes a Released volume it provisioned whose policy is Delete', async () => {
    const { provisioner, api } = setup({ volumes: [volume('pvc-1', '1Gi', { phase: 'Released', policy: 'Delete', annotations: ours, claim: { name: 'c', uid: 'u' } })] });
    await provisioner.syncVolume('pvc-1');
    assert.deepEqual(api.verbs, ['deleteVolume pvc-1']);
  });

  test('keeps volumes that are Bound, retained, being deleted, or not its own', async () => {
    const { provisioner, api } = setup({
      volumes: [
        volume('bound', '1Gi', { phase: 'Bound', policy: 'Delete', annotations: ours }),
        volume('retained', '1Gi', { phase: 'Released', policy: 'Retain', annotations: ours }),
        volume('deleting', '1Gi', { phase: 'Released', policy: 'Delete', annotations: ours, deleting: true }),
        volume('foreign', '1Gi', { phase: 'Released', policy: 'Delete', annotations: { 'pv.kubernetes.io/provisioned-by': 'example.com/external' } }),
      ],
    });
    for (const name of ['bound', 'retained', 'deleting', 'foreign']) await provisioner.syncVolume(name);
    assert.deepEqual(api.verbs, []);
  });
});
