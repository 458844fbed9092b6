import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNode, makePod } from '../fixtures.js';
import { NodeInfo, newPodInfo } from '../node-info.js';
import { podNonZeroRequests, podRequests } from '../resources.js';
import { balancedAllocationScore, defaultNormalizeScore, leastAllocatedScore } from './resource-scores.js';
import { intolerablePreferNoScheduleTaints } from './taint-toleration.js';
import { preferredNodeAffinityScore } from './node-affinity.js';

test('least allocated scores the share left free, averaged over cpu and memory', () => {
  const node = new NodeInfo(makeNode('n', { cpu: '4', memory: '4Gi' }));
  node.addPod(newPodInfo(makePod('a', { cpu: '1', memory: '1Gi', nodeName: 'n' })));
  const pod = makePod('p', { cpu: '1', memory: '1Gi' });
  // cpu (4000-2000)*100/4000 = 50, memory 50.
  assert.equal(leastAllocatedScore(podNonZeroRequests(pod), node), 50);
});

test('least allocated counts a container without requests as 100m and 200Mi', () => {
  const node = new NodeInfo(makeNode('n', { cpu: '1', memory: '1000Mi' }));
  // cpu (1000-100)*100/1000 = 90, memory (1000-200)*100/1000 = 80 → 85.
  assert.equal(leastAllocatedScore(podNonZeroRequests(makePod('p')), node), 85);
});

test('balanced allocation is 100 when cpu and memory fill evenly and lower when they do not', () => {
  const node = new NodeInfo(makeNode('n', { cpu: '4', memory: '4Gi' }));
  assert.equal(balancedAllocationScore(podRequests(makePod('p', { cpu: '2', memory: '2Gi' })), node), 100);
  // fractions 1 and 0.25: std 0.375 → 62.
  assert.equal(balancedAllocationScore(podRequests(makePod('p', { cpu: '4', memory: '1Gi' })), node), 62);
});

test('taint scores are normalized in reverse: the most untolerated PreferNoSchedule taints score 0', () => {
  const soft = new NodeInfo(makeNode('a', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }, { key: 'y', effect: 'PreferNoSchedule' }] }));
  const clean = new NodeInfo(makeNode('b'));
  const scores = [intolerablePreferNoScheduleTaints(undefined, soft), intolerablePreferNoScheduleTaints(undefined, clean)];
  defaultNormalizeScore(scores, true);
  assert.deepEqual(scores, [0, 100]);
});

test('preferred node affinity adds the weights of matching terms', () => {
  const pod = makePod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }, { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } }] } } } });
  assert.equal(preferredNodeAffinityScore(pod, new NodeInfo(makeNode('n', { labels: { disk: 'ssd', zone: 'a' } }))), 8);
  assert.equal(preferredNodeAffinityScore(pod, new NodeInfo(makeNode('n', { labels: { disk: 'hdd' } }))), 0);
});
