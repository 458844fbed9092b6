import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeNode, makePod } from '../fixtures.js';
import { NodeInfo, newPodInfo } from '../node-info.js';
import { podRequests, resourceFromList } from '../resources.js';
import { interPodAffinityFilter, interPodAffinityPreFilter } from './inter-pod-affinity.js';
import { RequiredNodeAffinity, nodeAffinityFilter } from './node-affinity.js';
import { nodeNameFilter } from './node-name.js';
import { nodeResourcesFitFilter } from './node-resources-fit.js';
import { nodeUnschedulableFilter } from './node-unschedulable.js';
import { podTopologySpreadFilter, podTopologySpreadPreFilter } from './pod-topology-spread.js';
import type { Status } from './status.js';
import { taintTolerationFilter } from './taint-toleration.js';
import type { coreV1 } from '../../../api/types/index.js';

function nodeWith(node: coreV1.Node, pods: coreV1.Pod[] = []): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) info.addPod(newPodInfo({ ...p, spec: { ...(p.spec ?? { containers: [] }), nodeName: node.metadata?.name ?? '' } }));
  return info;
}

function reasons(s: Status): string {
  return s.code === 'Success' ? 'Success' : `${s.code}: ${s.reasons.join(', ')}`;
}

describe('NodeResourcesFit', () => {
  test('a pod fits a node with room for its cpu and memory', () => {
    assert.equal(reasons(nodeResourcesFitFilter(podRequests(makePod('p', { cpu: '1', memory: '1Gi' })), nodeWith(makeNode('n', { cpu: '2' })))), 'Success');
  });

  test('requests beyond what is left are each named as insufficient', () => {
    const node = nodeWith(makeNode('n', { cpu: '2', memory: '2Gi' }), [makePod('a', { cpu: '1500m', memory: '1Gi' })]);
    assert.equal(reasons(nodeResourcesFitFilter(podRequests(makePod('p', { cpu: '1', memory: '1500Mi' })), node)), 'Unschedulable: Insufficient cpu, Insufficient memory');
  });

  test('a node at its pod limit has too many pods, even for a pod requesting nothing', () => {
    const node = nodeWith(makeNode('n', { pods: '1' }), [makePod('a')]);
    assert.equal(reasons(nodeResourcesFitFilter(podRequests(makePod('p')), node)), 'Unschedulable: Too many pods');
  });

  test('an init container larger than the containers sets the request', () => {
    const pod = makePod('p', { cpu: '100m', spec: { initContainers: [{ name: 'init', resources: { requests: { cpu: '3' } } }] } });
    assert.equal(podRequests(pod).milliCPU, 3000);
    assert.equal(reasons(nodeResourcesFitFilter(podRequests(pod), nodeWith(makeNode('n', { cpu: '2' })))), 'Unschedulable: Insufficient cpu');
  });

  test('extended resources are checked against allocatable', () => {
    const node = makeNode('n');
    node.status = { ...node.status, allocatable: { ...node.status?.allocatable, 'example.com/gpu': '1' } };
    const pod = makePod('p', { spec: { containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '2' } } }] } });
    assert.equal(reasons(nodeResourcesFitFilter(podRequests(pod), nodeWith(node))), 'Unschedulable: Insufficient example.com/gpu');
  });
});

describe('resourceFromList', () => {
  test('one amount reads as thousandths for cpu and as whole units for the rest, however often it comes', () => {
    for (let i = 0; i < 3; i++) {
      const r = resourceFromList({ cpu: '2', memory: '2', pods: '2', 'ephemeral-storage': '2', 'example.com/gpu': '2' });
      assert.deepEqual([r.milliCPU, r.memory, r.allowedPodNumber, r.ephemeralStorage, r.scalar.get('example.com/gpu')], [2000, 2, 2, 2, 2]);
    }
    assert.equal(resourceFromList({ memory: '100m' }).memory, 1, 'a fraction of a byte rounds up');
    assert.equal(resourceFromList({ cpu: '100m' }).milliCPU, 100);
  });

  test('a memory amount too large for a number is counted as infinite, as before the cache, however often it is read', () => {
    for (let i = 0; i < 2; i++) assert.equal(resourceFromList({ memory: '1e9998' }).memory, Number.POSITIVE_INFINITY);
  });

  test('an amount that is no quantity counts as zero, every time it is read', () => {
    for (let i = 0; i < 2; i++) assert.deepEqual(resourceFromList({ cpu: 'lots', memory: '1Gi' }), { ...resourceFromList({ memory: '1Gi' }) });
  });
});

describe('NodeName, NodeUnschedulable, TaintToleration', () => {
  test('a pod naming another node does not fit this one', () => {
    assert.equal(reasons(nodeNameFilter(makePod('p', { nodeName: 'other' }), nodeWith(makeNode('n')))), "UnschedulableAndUnresolvable: node(s) didn't match the requested node name");
    assert.equal(reasons(nodeNameFilter(makePod('p', { nodeName: 'n' }), nodeWith(makeNode('n')))), 'Success');
  });

  test('a cordoned node is unschedulable unless the pod tolerates it', () => {
    const node = nodeWith(makeNode('n', { unschedulable: true }));
    assert.equal(reasons(nodeUnschedulableFilter(makePod('p'), node)), 'UnschedulableAndUnresolvable: node(s) were unschedulable');
    const tolerant = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    assert.equal(reasons(nodeUnschedulableFilter(tolerant, node)), 'Success');
  });

  test('an untolerated NoSchedule taint is named with its key and value', () => {
    const node = nodeWith(makeNode('n', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    assert.equal(reasons(taintTolerationFilter(undefined, node)), 'UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
    assert.equal(reasons(taintTolerationFilter([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }], node)), 'Success');
  });

  test('a toleration must match the taint value with the Equal operator', () => {
    const node = nodeWith(makeNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }));
    assert.equal(reasons(taintTolerationFilter([{ key: 'dedicated', value: 'db' }], node)), 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}');
    assert.equal(reasons(taintTolerationFilter([{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], node)), 'Success');
  });

  test('PreferNoSchedule taints never filter', () => {
    const node = nodeWith(makeNode('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }));
    assert.equal(reasons(taintTolerationFilter(undefined, node)), 'Success');
  });
});

describe('NodeAffinity', () => {
  const node = nodeWith(makeNode('n', { labels: { disk: 'ssd', zone: 'a', gen: '5' } }));

  test('nodeSelector requires every pair', () => {
    assert.equal(reasons(nodeAffinityFilter(new RequiredNodeAffinity(makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } })), node)), 'Success');
    assert.equal(reasons(nodeAffinityFilter(new RequiredNodeAffinity(makePod('p', { spec: { nodeSelector: { disk: 'ssd', zone: 'b' } } })), node)), "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector");
  });

  test('required node affinity passes when any term matches, with In, NotIn, Exists, Gt and matchFields', () => {
    const pod = (terms: coreV1.NodeSelectorTerm[]) => new RequiredNodeAffinity(makePod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } }));
    assert.equal(nodeAffinityFilter(pod([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }]), node).code, 'Success');
    assert.equal(nodeAffinityFilter(pod([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }]), node).code, 'UnschedulableAndUnresolvable');
    assert.equal(nodeAffinityFilter(pod([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }]), node).code, 'Success');
    assert.equal(nodeAffinityFilter(pod([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['m'] }] }]), node).code, 'UnschedulableAndUnresolvable');
    assert.equal(nodeAffinityFilter(pod([{}]), node).code, 'UnschedulableAndUnresolvable');
  });
});

describe('InterPodAffinity', () => {
  const web = (name: string) => makePod(name, { labels: { app: 'web' } });
  const antiWeb = (name: string) => makePod(name, { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } } });

  test('required anti-affinity keeps the pod off a node running a matching pod', () => {
    const a = nodeWith(makeNode('a'), [web('w1')]);
    const b = nodeWith(makeNode('b'));
    const pod = newPodInfo(antiWeb('p'));
    const state = interPodAffinityPreFilter(pod, [a, b], []);
    assert.equal(reasons(interPodAffinityFilter(state, a)), "Unschedulable: node(s) didn't match pod anti-affinity rules");
    assert.equal(reasons(interPodAffinityFilter(state, b)), 'Success');
  });

  test("an existing pod's anti-affinity keeps matching pods off its node", () => {
    const a = nodeWith(makeNode('a'), [antiWeb('w1')]);
    const b = nodeWith(makeNode('b'));
    const state = interPodAffinityPreFilter(newPodInfo(web('p')), [a, b], [a]);
    assert.equal(reasons(interPodAffinityFilter(state, a)), "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules");
    assert.equal(reasons(interPodAffinityFilter(state, b)), 'Success');
  });

  test('required affinity needs a matching pod in the same zone, except for the first of its group', () => {
    const withAffinity = makePod('p', { labels: { app: 'cache' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'db' } } }] } } } });
    const a = nodeWith(makeNode('a', { labels: { zone: 'z1' } }), [makePod('db', { labels: { app: 'db' } })]);
    const b = nodeWith(makeNode('b', { labels: { zone: 'z1' } }));
    const c = nodeWith(makeNode('c', { labels: { zone: 'z2' } }));
    const state = interPodAffinityPreFilter(newPodInfo(withAffinity), [a, b, c], []);
    assert.equal(reasons(interPodAffinityFilter(state, b)), 'Success');
    assert.equal(reasons(interPodAffinityFilter(state, c)), "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules");
    const selfMatching = makePod('first', { labels: { app: 'db' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'db' } } }] } } } });
    const empty = interPodAffinityPreFilter(newPodInfo(selfMatching), [b, c], []);
    assert.equal(reasons(interPodAffinityFilter(empty, c)), 'Success');
  });
});

describe('PodTopologySpread', () => {
  const spread = (name: string) =>
    makePod(name, { labels: { app: 'web' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] } });

  test('a domain already one above the minimum is skewed too far', () => {
    const a = nodeWith(makeNode('a', { labels: { zone: 'z1' } }), [makePod('w1', { labels: { app: 'web' } })]);
    const b = nodeWith(makeNode('b', { labels: { zone: 'z2' } }));
    const pod = spread('p');
    const state = podTopologySpreadPreFilter(pod, new RequiredNodeAffinity(pod), [a, b]);
    assert.equal(reasons(podTopologySpreadFilter(state, a)), "Unschedulable: node(s) didn't match pod topology spread constraints");
    assert.equal(reasons(podTopologySpreadFilter(state, b)), 'Success');
  });

  test('a node without the topology key is unresolvable', () => {
    const a = nodeWith(makeNode('a', { labels: { zone: 'z1' } }));
    const bare = nodeWith(makeNode('bare'));
    const pod = spread('p');
    const state = podTopologySpreadPreFilter(pod, new RequiredNodeAffinity(pod), [a, bare]);
    assert.equal(reasons(podTopologySpreadFilter(state, bare)), "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)");
  });
});
