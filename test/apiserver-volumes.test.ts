/**
 * PersistentVolumeClaims, PersistentVolumes and StorageClasses over HTTP against a real API server
 * on SQLite: a claim created without a class gets the default StorageClass (the newest of two
 * defaults), new claims and volumes get their protection finalizers and a Pending status, a bound
 * claim grows only when its class allows expansion (403 otherwise), and an invalid object is a 422
 * in upstream's words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';

const CLASSES = '/apis/storage.k8s.io/v1/storageclasses';
const CLAIMS = '/api/v1/namespaces/default/persistentvolumeclaims';
const VOLUMES = '/api/v1/persistentvolumes';
const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };

interface Named {
  readonly metadata: { readonly name: string; readonly finalizers?: readonly string[]; readonly resourceVersion?: string };
  readonly spec: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
}

const storageClass = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, annotations: DEFAULT },
  provisioner: 'kubelite.dev/simulated',
  ...extra,
});
const claim = (name: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});

describe('volumes over HTTP', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi('sqlite');
  });
  after(() => api.close());

  it('a claim without a class gets the newest default StorageClass, the protection finalizer and a Pending status', async () => {
    assert.equal((await api.client.post(CLASSES, storageClass('older'))).status, 201);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await api.client.post(CLASSES, storageClass('newer', { volumeBindingMode: 'WaitForFirstConsumer' }))).status, 201);
    const created = await api.client.post(CLAIMS, claim('data'));
    assert.equal(created.status, 201, created.text);
    const body = created.json as Named;
    assert.equal(body.spec.storageClassName, 'newer');
    assert.deepEqual(body.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    assert.deepEqual(body.status, { phase: 'Pending' });
    const classless = await api.client.post(CLAIMS, claim('classless', { storageClassName: '' }));
    assert.equal((classless.json as Named).spec.storageClassName, '', 'an empty class asks for none and is kept');
  });

  it('a volume gets its finalizer, Pending and a phase transition time; a deleted one waits for its finalizer', async () => {
    const created = await api.client.post(VOLUMES, {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'disk-1' },
      spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/disk-1' } },
    });
    assert.equal(created.status, 201, created.text);
    const body = created.json as Named;
    assert.deepEqual(body.metadata.finalizers, ['kubernetes.io/pv-protection']);
    assert.equal(body.status?.phase, 'Pending');
    assert.equal(typeof body.status?.lastPhaseTransitionTime, 'string');
    assert.equal((await api.client.delete(`${VOLUMES}/disk-1`)).status, 200);
    const deleting = (await api.client.get(`${VOLUMES}/disk-1`)).json as { metadata: { deletionTimestamp?: string } };
    assert.equal(typeof deleting.metadata.deletionTimestamp, 'string');
  });

  it('a bound claim grows only when its class allows expansion: 403 in upstream words, then allowed', async () => {
    const created = (await api.client.post(CLAIMS, claim('grow', { storageClassName: 'older' }))).json as Named;
    const bound = await api.client.put(`${CLAIMS}/grow/status`, { ...created, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } });
    assert.equal(bound.status, 200, bound.text);
    const grow = (current: Named): Promise<{ status: number; text: string; json: unknown }> =>
      api.client.put(`${CLAIMS}/grow`, { ...current, spec: { ...current.spec, volumeName: 'pv-grow', resources: { requests: { storage: '2Gi' } } } });
    const refused = await grow(bound.json as Named);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(
      (refused.json as { message: string }).message,
      'persistentvolumeclaims "grow" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    const older = (await api.client.get(`${CLASSES}/older`)).json as Record<string, unknown>;
    assert.equal((await api.client.put(`${CLASSES}/older`, { ...older, allowVolumeExpansion: true })).status, 200);
    const allowed = await grow(bound.json as Named);
    assert.equal(allowed.status, 200, allowed.text);
  });

  it('invalid objects are 422s in upstream words', async () => {
    const invalid = await api.client.post(CLAIMS, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bad' }, spec: {} });
    assert.equal(invalid.status, 422);
    assert.equal(
      (invalid.json as { message: string }).message,
      'PersistentVolumeClaim "bad" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
    );
    const changed = await api.client.patch(`${CLASSES}/newer`, { provisioner: 'other.example.com/disk' }, 'application/merge-patch+json');
    assert.equal(changed.status, 422);
    assert.match((changed.json as { message: string }).message, /provisioner: Forbidden: updates to provisioner are forbidden\./);
  });
});
