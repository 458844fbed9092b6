import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { deletesBefore, maxContainerRestarts, podDeletionCost, ranksByRelatedPodsOnSameNode, sortPodsForDeletion } from './pod-ranking.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

interface Shape {
  node?: string;
  phase?: 'Pending' | 'Running' | 'Unknown';
  ready?: boolean;
  readySince?: string;
  created?: string;
  cost?: string;
  restarts?: number;
  uid?: string;
}

function pod(name: string, s: Shape = {}): coreV1.Pod {
  return {
    metadata: {
      name,
      uid: s.uid ?? name,
      creationTimestamp: s.created ?? '2025-06-01T00:00:00Z',
      ...(s.cost === undefined ? {} : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': s.cost } }),
    },
    spec: { containers: [], nodeName: s.node ?? 'n1' },
    status: {
      phase: s.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: s.ready === false ? 'False' : 'True', lastTransitionTime: s.readySince ?? '2025-06-01T00:00:10Z' }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: s.restarts ?? 0 }],
    },
  };
}

function first(a: coreV1.Pod, b: coreV1.Pod, ranks: [number, number] = [0, 0]): string {
  const before = deletesBefore({ pod: a, rank: ranks[0] }, { pod: b, rank: ranks[1] }, NOW);
  const after = deletesBefore({ pod: b, rank: ranks[1] }, { pod: a, rank: ranks[0] }, NOW);
  assert.notEqual(before, after, 'exactly one goes first');
  return before ? (a.metadata?.name ?? '') : (b.metadata?.name ?? '');
}

test('an unscheduled pod is deleted before a scheduled one', () => {
  assert.equal(first(pod('scheduled'), { ...pod('unscheduled'), spec: { containers: [] } }), 'unscheduled');
});

test('pending goes before unknown, unknown before running', () => {
  assert.equal(first(pod('running'), pod('pending', { phase: 'Pending' })), 'pending');
  assert.equal(first(pod('running'), pod('unknown', { phase: 'Unknown' })), 'unknown');
  assert.equal(first(pod('unknown', { phase: 'Unknown' }), pod('pending', { phase: 'Pending' })), 'pending');
});

test('a not-ready pod is deleted before a ready one', () => {
  assert.equal(first(pod('ready'), pod('not-ready', { ready: false })), 'not-ready');
});

test('a lower pod-deletion-cost goes first; an unparseable cost is 0', () => {
  assert.equal(first(pod('dear', { cost: '100' }), pod('cheap', { cost: '-5' })), 'cheap');
  assert.equal(podDeletionCost(pod('x', { cost: 'lots' })), 0);
  assert.equal(podDeletionCost(pod('x', { cost: '99999999999' })), 0);
});

test('a pod doubled up on a node (higher rank) goes first', () => {
  assert.equal(first(pod('alone'), pod('crowded'), [1, 3]), 'crowded');
});

test('of two ready pods, the one ready for less time goes first on a log scale', () => {
  assert.equal(first(pod('long', { readySince: '2025-01-01T00:00:00Z' }), pod('recent', { readySince: '2025-12-31T23:00:00Z' })), 'recent');
});

test('ready times in the same power-of-two bucket tie and fall back to uid order', () => {
  // About 60 and 61 minutes old: the same floor(log2(ns)).
  const a = pod('a', { readySince: '2025-12-31T23:00:00Z', uid: 'z' });
  const b = pod('b', { readySince: '2025-12-31T22:59:00Z', uid: 'a' });
  assert.equal(first(a, b), 'b');
});

test('more container restarts go first', () => {
  assert.equal(first(pod('stable'), pod('crashy', { restarts: 5 })), 'crashy');
  assert.equal(maxContainerRestarts(pod('x', { restarts: 3 })), 3);
});

test('the younger pod goes first, and a pod without creationTimestamp before both', () => {
  assert.equal(first(pod('old', { created: '2024-01-01T00:00:00Z' }), pod('young', { created: '2025-12-31T00:00:00Z' })), 'young');
  const noTime = pod('no-time');
  delete noTime.metadata?.creationTimestamp;
  assert.equal(first(pod('young', { created: '2025-12-31T00:00:00Z' }), noTime), 'no-time');
});

test('sortPodsForDeletion orders by every rule together', () => {
  const pods = [
    pod('ready-old', { created: '2024-01-01T00:00:00Z' }),
    pod('not-ready', { ready: false }),
    { ...pod('unscheduled', { phase: 'Pending', ready: false }), spec: { containers: [] } },
    pod('pending', { phase: 'Pending', ready: false }),
    pod('ready-young', { created: '2025-12-31T00:00:00Z' }),
  ];
  assert.deepEqual(sortPodsForDeletion(pods, [], NOW).map((p) => p.metadata?.name), ['unscheduled', 'pending', 'not-ready', 'ready-young', 'ready-old']);
});

test('ranks count the active related pods on the same node', () => {
  const pods = [pod('a', { node: 'n1' }), pod('b', { node: 'n2' })];
  const related = [...pods, pod('c', { node: 'n1' }), { ...pod('d', { node: 'n1' }), metadata: { name: 'd', deletionTimestamp: '2026-01-01T00:00:00Z' } }];
  assert.deepEqual(ranksByRelatedPodsOnSameNode(pods, related), [2, 1]);
});
