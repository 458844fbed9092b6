/**
 * Unit tests of a StatefulSet pod's claims (stateful-set-utils.ts): each volumeClaimTemplate gives
 * every ordinal a claim of its own, named and labelled as upstream names them, and the pod mounts it
 * under the template's name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { appsV1 } from '../../api/types/index.js';
import { newStatefulSetPod, statefulSetClaims } from './stateful-set-utils.js';

const set: appsV1.StatefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'shop', uid: 'set-uid' },
  spec: {
    serviceName: 'web',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'config', configMap: { name: 'web' } }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'www', labels: { app: 'other', tier: 'disk' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
};
const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };

test("a claim per template and ordinal: <template>-<set>-<ordinal>, in the set's namespace, the selector's labels over the template's", () => {
  assert.deepEqual(statefulSetClaims(set, 2), [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'www-web-2', namespace: 'shop', labels: { app: 'web', tier: 'disk' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  ]);
});

test("the pod mounts its claim under the template's name, before its own volumes, replacing one of the same name", () => {
  const pod = newStatefulSetPod(set, 1, 'web-abc', ref);
  assert.deepEqual(pod.spec?.volumes, [
    { name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } },
    { name: 'config', configMap: { name: 'web' } },
  ]);
});
