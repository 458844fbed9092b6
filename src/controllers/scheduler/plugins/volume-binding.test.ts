/**
 * Unit tests of the VolumeBinding PreFilter (volume-binding.ts): a pod's claims must exist, not be
 * deleting, and be bound — or wait for the pod's node when their class binds WaitForFirstConsumer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { coreV1, storageV1 } from '../../../api/types/index.js';
import type { Pod } from '../resources.js';
import { type VolumeLookup, selectedNodeOf, volumeBindingPreFilter } from './volume-binding.js';

const claim = (name: string, extra: Partial<coreV1.PersistentVolumeClaim> = {}): coreV1.PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'db', ...extra.metadata },
  spec: { accessModes: ['ReadWriteOnce'], ...extra.spec },
  ...(extra.status === undefined ? {} : { status: extra.status }),
});
const bound = (name: string): coreV1.PersistentVolumeClaim => claim(name, { metadata: { name, namespace: 'db', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { volumeName: `pv-${name}` } });
const classes: Record<string, storageV1.StorageClass> = {
  late: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'late' }, provisioner: 'kubelite.dev/simulated', volumeBindingMode: 'WaitForFirstConsumer' },
  now: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'now' }, provisioner: 'kubelite.dev/simulated', volumeBindingMode: 'Immediate' },
};
const lookup = (claims: coreV1.PersistentVolumeClaim[]): VolumeLookup => ({
  claim: (namespace, name) => claims.find((c) => c.metadata?.namespace === namespace && c.metadata.name === name),
  storageClass: (name) => classes[name],
});
const pod = (claimNames: string[], ephemeral?: string): Pod => ({
  metadata: { name: 'db-0', namespace: 'db' },
  spec: {
    containers: [{ name: 'db', image: 'postgres' }],
    volumes: [...claimNames.map((claimName) => ({ name: claimName, persistentVolumeClaim: { claimName } })), ...(ephemeral === undefined ? [] : [{ name: ephemeral, ephemeral: {} }])],
  },
});
const reasons = (result: ReturnType<typeof volumeBindingPreFilter>): readonly string[] => result.rejection?.reasons ?? [];

test('a pod whose claims are bound fits; one without volumes is not looked at', () => {
  assert.deepEqual(volumeBindingPreFilter(pod(['data']), lookup([bound('data')])), { delayed: [] });
  assert.deepEqual(volumeBindingPreFilter({ metadata: { name: 'web' }, spec: { containers: [] } }, lookup([])), { delayed: [] });
});

test('a missing, deleting or unbound immediate claim makes the pod unschedulable and unresolvable, in upstream words', () => {
  assert.deepEqual(reasons(volumeBindingPreFilter(pod(['data']), lookup([]))), ['persistentvolumeclaim "data" not found']);
  assert.deepEqual(volumeBindingPreFilter(pod([], 'scratch'), lookup([])), { delayed: [] }, 'generic ephemeral volumes are not looked at: nothing creates their claims');
  const deleting = claim('data', { metadata: { name: 'data', namespace: 'db', deletionTimestamp: '2026-11-26T12:00:00Z' } });
  assert.deepEqual(reasons(volumeBindingPreFilter(pod(['data']), lookup([deleting]))), ['persistentvolumeclaim "data" is being deleted']);
  const immediate = claim('data', { spec: { storageClassName: 'now' } });
  const result = volumeBindingPreFilter(pod(['data']), lookup([immediate]));
  assert.equal(result.rejection?.code, 'UnschedulableAndUnresolvable');
  assert.deepEqual(reasons(result), ['pod has unbound immediate PersistentVolumeClaims']);
});

test('an unbound claim of a WaitForFirstConsumer class waits for the pod: it is returned to be given the node', () => {
  const waiting = claim('data', { spec: { storageClassName: 'late' } });
  assert.deepEqual(volumeBindingPreFilter(pod(['data', 'logs']), lookup([waiting, bound('logs')])), { delayed: [waiting] });
});

test('a waiting claim already given a node names it: the pod is held to that node', () => {
  const given = claim('data', { metadata: { name: 'data', namespace: 'db', annotations: { 'volume.kubernetes.io/selected-node': 'node-2' } }, spec: { storageClassName: 'late' } });
  assert.equal(selectedNodeOf([claim('other', { spec: { storageClassName: 'late' } }), given]), 'node-2');
  assert.equal(selectedNodeOf([claim('other', { spec: { storageClassName: 'late' } })]), undefined);
});
