import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { calculateStatus, updateReplicaSetStatus } from './replica-set-status.js';
import { getPodsToDelete } from './pods-to-delete.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function rs(status: appsV1.ReplicaSetStatus = { replicas: 0 }): appsV1.ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 3 },
    spec: { replicas: 2, minReadySeconds: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', v: '1' } } } },
    status,
  };
}

function pod(labels: Record<string, string>, readySince?: string): coreV1.Pod {
  return {
    metadata: { name: 'p', labels },
    status: readySince === undefined ? {} : { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] },
  };
}

test('status counts replicas, fully labeled, ready and available pods', () => {
  const pods = [pod({ app: 'web', v: '1' }, '2025-12-31T23:00:00Z'), pod({ app: 'web' }, '2025-12-31T23:59:55Z'), pod({ app: 'web', v: '1' })];
  assert.deepEqual(calculateStatus(rs(), pods, undefined, NOW), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 });
});

test('a failed create sets ReplicaFailure FailedCreate, and a clean sync removes it', () => {
  const failed = calculateStatus(rs(), [], new Error('quota'), NOW);
  assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
  const recovered = calculateStatus(rs(failed), [], undefined, NOW);
  assert.equal(recovered.conditions, undefined);
});

test('a failed delete sets ReplicaFailure FailedDelete', () => {
  const pods = [pod({ app: 'web' }), pod({ app: 'web' }), pod({ app: 'web' })];
  assert.equal(calculateStatus(rs(), pods, new Error('no'), NOW).conditions?.[0]?.reason, 'FailedDelete');
});

test('status is written with observedGeneration, retried once on a fresh read, and skipped when unchanged', async () => {
  const writes: appsV1.ReplicaSet[] = [];
  let gets = 0;
  let fail = true;
  const client = {
    updateStatus: async (r: appsV1.ReplicaSet) => {
      writes.push(structuredClone(r));
      if (fail) {
        fail = false;
        throw new Error('conflict');
      }
      return r;
    },
    get: async () => {
      gets++;
      return rs();
    },
  };
  const updated = await updateReplicaSetStatus(client, rs(), { replicas: 1 });
  assert.equal(writes.length, 2);
  assert.equal(gets, 1);
  assert.deepEqual(updated.status, { replicas: 1, observedGeneration: 3 });
  const same = rs({ replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 3 });
  assert.equal(await updateReplicaSetStatus(client, same, { replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 }), same);
  assert.equal(writes.length, 2);
});

test('getPodsToDelete prefers pods on nodes crowded with related pods', () => {
  const onNode = (name: string, node: string): coreV1.Pod => ({
    metadata: { name, uid: name, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { containers: [], nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
  });
  const mine = [onNode('a', 'n1'), onNode('b', 'n2')];
  const related = [...mine, onNode('other', 'n2')];
  assert.deepEqual(getPodsToDelete(mine, related, 1, NOW).map((p) => p.metadata?.name), ['b']);
  assert.equal(getPodsToDelete(mine, related, 2, NOW).length, 2);
});
