/**
 * DefaultPreemption's pure parts: victim selection with its reprieve, candidate choice by upstream's
 * criteria in order, eligibility, and the evaluator over a cache (which nodes are tried, messages,
 * nominated pods).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { selectorFromLabelSelector } from '../../api/labels.js';
import type { coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { SchedulerCache } from './cache.js';
import { newPodContext, runFiltersWithNominatedPods } from './filter.js';
import { FitError } from './fit-error.js';
import { makeNode, makePod } from './fixtures.js';
import { NodeInfo, newPodInfo } from './node-info.js';
import { PodNominator } from './nominator.js';
import { PreemptionEvaluator, nodeSimulation } from './preemption-evaluator.js';
import { type Candidate, type DisruptionBudget, type NodeSimulation, calculateNumCandidates, dryRunPreemption, pickOneNodeForPreemption, podEligibleToPreemptOthers, selectVictimsOnNode } from './preemption.js';
import { GenericScheduler } from './schedule-pod.js';
import type { Pod } from './resources.js';

function pod(name: string, priority: number, cpu: string, extra: { nodeName?: string; labels?: Record<string, string>; startTime?: string; spec?: Partial<coreV1.PodSpec> } = {}): coreV1.Pod {
  const p = makePod(name, { cpu, ...(extra.labels === undefined ? {} : { labels: extra.labels }), spec: { priority, ...(extra.nodeName === undefined ? {} : { nodeName: extra.nodeName }), ...extra.spec } });
  if (extra.startTime !== undefined) p.status = { startTime: extra.startTime };
  return p;
}

function nodeWith(node: coreV1.Node, pods: coreV1.Pod[]): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) info.addPod(newPodInfo({ ...p, spec: { ...(p.spec ?? { containers: [] }), nodeName: node.metadata?.name ?? '' } }));
  return info;
}

/** The scheduler's filters for `preemptor`, as the evaluator uses them. */
function fitsFor(preemptor: Pod, nodes: NodeInfo[] = []): NodeSimulation {
  return nodeSimulation(newPodContext(preemptor, () => nodes, () => []), undefined);
}

const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '');

describe('selectVictimsOnNode', () => {
  test('only as many lower-priority pods as needed are victims, the most important reprieved first', () => {
    const node = nodeWith(makeNode('n', { cpu: '4' }), [pod('low1', 1, '1'), pod('low2', 2, '1'), pod('mid', 5, '2')]);
    const preemptor = pod('p', 10, '2');
    const outcome = selectVictimsOnNode(preemptor, node, fitsFor(preemptor));
    assert.ok(outcome.ok);
    assert.deepEqual(names(outcome.victims.pods), ['low2', 'low1']);
    assert.equal(outcome.victims.numPDBViolations, 0);
    // The node itself is untouched.
    assert.equal(node.pods.size, 3);
    assert.equal(node.requested.milliCPU, 4000);
  });

  test('pods of equal or higher priority are never victims', () => {
    const node = nodeWith(makeNode('n', { cpu: '2' }), [pod('same', 10, '1'), pod('higher', 20, '1')]);
    const preemptor = pod('p', 10, '1');
    const outcome = selectVictimsOnNode(preemptor, node, fitsFor(preemptor));
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && outcome.status.code === 'UnschedulableAndUnresolvable' && outcome.status.reasons[0] === 'No preemption victims found for incoming pod');
  });

  test('a node where removing every lower-priority pod is not enough says why the pod still does not fit', () => {
    const node = nodeWith(makeNode('n', { cpu: '2' }), [pod('low', 1, '500m'), pod('high', 20, '1')]);
    const preemptor = pod('p', 10, '2');
    const outcome = selectVictimsOnNode(preemptor, node, fitsFor(preemptor));
    assert.ok(!outcome.ok);
    assert.deepEqual(outcome.status.reasons, ['Insufficient cpu']);
  });

  test('at equal priority the pod that started later is evicted before the one that ran longer', () => {
    const node = nodeWith(makeNode('n', { cpu: '2' }), [pod('young', 1, '1', { startTime: '2024-01-02T00:00:00Z' }), pod('old', 1, '1', { startTime: '2024-01-01T00:00:00Z' })]);
    const preemptor = pod('p', 10, '1');
    const outcome = selectVictimsOnNode(preemptor, node, fitsFor(preemptor));
    assert.ok(outcome.ok);
    assert.deepEqual(names(outcome.victims.pods), ['young']);
  });

  test('pods whose eviction would violate a PDB are reprieved before the others, and counted when they must go', () => {
    const budget: DisruptionBudget = { namespace: 'default', selector: selectorFromLabelSelector({ matchLabels: { app: 'db' } }), disruptionsAllowed: 0, disruptedPods: new Set() };
    // Both are needed out of the way for one of them: the PDB-protected one stays if it can.
    const node = nodeWith(makeNode('n', { cpu: '2' }), [pod('db', 1, '1', { labels: { app: 'db' } }), pod('web', 5, '1')]);
    const preemptor = pod('p', 10, '1');
    const outcome = selectVictimsOnNode(preemptor, node, fitsFor(preemptor), [budget]);
    assert.ok(outcome.ok);
    assert.deepEqual(names(outcome.victims.pods), ['web']);
    assert.equal(outcome.victims.numPDBViolations, 0);
    const big = pod('big', 10, '2');
    const both = selectVictimsOnNode(big, node, fitsFor(big), [budget]);
    assert.ok(both.ok);
    assert.deepEqual(names(both.victims.pods), ['web', 'db']);
    assert.equal(both.victims.numPDBViolations, 1);
  });
});

describe('pickOneNodeForPreemption', () => {
  const c = (nodeName: string, victims: Pod[], numPDBViolations = 0): Candidate => ({ nodeName, victims: { pods: victims, numPDBViolations } });

  test('the node with the fewest PDB violations wins first', () => {
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 1, '1')], 1), c('b', [pod('y', 5, '1'), pod('z', 5, '1')], 0)])?.nodeName, 'b');
  });
  test('then the node whose most important victim has the lowest priority', () => {
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 5, '1')]), c('b', [pod('y', 3, '1'), pod('z', 3, '1')])])?.nodeName, 'b');
  });
  test('then the lowest sum of victim priorities, negative priorities included', () => {
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 3, '1'), pod('y', 2, '1')]), c('b', [pod('z', 3, '1'), pod('w', 1, '1')])])?.nodeName, 'b');
    // Two pods of priority -5 cost more than one.
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', -5, '1'), pod('y', -5, '1')]), c('b', [pod('z', -5, '1')])])?.nodeName, 'b');
  });
  test('then the fewest victims', () => {
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 0, '1'), pod('y', 0, '1')]), c('b', [pod('z', 0, '1')])])?.nodeName, 'b');
  });
  test('then the node whose highest-priority victims started latest, then the first node', () => {
    const early = pod('x', 1, '1', { startTime: '2024-01-01T00:00:00Z' });
    const late = pod('y', 1, '1', { startTime: '2024-06-01T00:00:00Z' });
    assert.equal(pickOneNodeForPreemption([c('a', [early]), c('b', [late])])?.nodeName, 'b');
    assert.equal(pickOneNodeForPreemption([c('a', [late]), c('b', [late])])?.nodeName, 'a');
    assert.equal(pickOneNodeForPreemption([]), undefined);
  });
});

describe('eligibility and candidates', () => {
  test('a pod with preemptionPolicy Never may not preempt', () => {
    assert.equal(podEligibleToPreemptOthers(pod('p', 10, '1', { spec: { preemptionPolicy: 'Never' } }), undefined, undefined), 'not eligible due to preemptionPolicy=Never.');
  });

  test('a pod waiting for a preempted pod to terminate on its nominated node may not preempt again, unless that node became unresolvable', () => {
    const victim = pod('v', 1, '1');
    victim.metadata = { ...victim.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' };
    victim.status = { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] };
    const node = nodeWith(makeNode('n'), [victim]);
    const preemptor = pod('p', 10, '1');
    preemptor.status = { nominatedNodeName: 'n' };
    assert.equal(podEligibleToPreemptOthers(preemptor, undefined, node), 'not eligible due to a terminating pod on the nominated node.');
    assert.equal(podEligibleToPreemptOthers(preemptor, { code: 'UnschedulableAndUnresolvable', plugin: 'NodeAffinity', reasons: ['x'] }, node), undefined);
    // A pod deleted for another reason does not block.
    victim.status = {};
    assert.equal(podEligibleToPreemptOthers(preemptor, undefined, nodeWith(makeNode('n'), [victim])), undefined);
  });

  test('candidates sought are 10 % of the potential nodes, at least 100, at most all', () => {
    assert.equal(calculateNumCandidates(50), 50);
    assert.equal(calculateNumCandidates(500), 100);
    assert.equal(calculateNumCandidates(5000), 500);
  });

  test('the dry run stops once it has the number of candidates asked for', () => {
    const nodes = ['a', 'b', 'c'].map((n) => nodeWith(makeNode(n, { cpu: '1' }), [pod(`low-${n}`, 1, '1')]));
    const preemptor = pod('p', 10, '1');
    const result = dryRunPreemption(preemptor, nodes, 1, 2, () => fitsFor(preemptor));
    assert.deepEqual(result.candidates.map((x) => x.nodeName), ['b', 'c']);
  });
});

describe('PreemptionEvaluator', () => {
  function setup(nodes: coreV1.Node[], pods: coreV1.Pod[]) {
    const cache = new SchedulerCache({ clock: new FakeClock() });
    for (const n of nodes) cache.addNode(n);
    for (const p of pods) cache.addPod(p);
    const nominator = new PodNominator();
    const scheduler = new GenericScheduler(cache, { nominator });
    const evaluator = new PreemptionEvaluator({ cache, nominator, random: () => 0 });
    const fitError = async (p: Pod): Promise<FitError> => {
      const error: unknown = await scheduler.schedule(p).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof FitError);
      return error;
    };
    return { cache, nominator, scheduler, evaluator, fitError };
  }

  test('a pod that fits nowhere gets the node whose victims matter least', async () => {
    const { evaluator, fitError } = setup([makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })], [pod('a-mid', 5, '2', { nodeName: 'a' }), pod('b-low', 1, '2', { nodeName: 'b' })]);
    const p = pod('p', 10, '1');
    const result = evaluator.preempt(p, await fitError(p));
    assert.equal(result.kind, 'Nominate');
    assert.ok(result.kind === 'Nominate');
    assert.equal(result.nodeName, 'b');
    assert.deepEqual(names(result.victims), ['b-low']);
  });

  test('nodes rejected as unresolvable are not tried, and the message says preemption would not help there', async () => {
    const tainted = makeNode('t', { cpu: '2', taints: [{ key: 'k', effect: 'NoSchedule' }] });
    const { evaluator, fitError } = setup([tainted, makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })], [pod('t-low', 1, '2', { nodeName: 't' }), pod('a-high', 20, '2', { nodeName: 'a' }), pod('b-low', 1, '1', { nodeName: 'b' }), pod('b-high', 20, '1', { nodeName: 'b' })]);
    const p = pod('p', 10, '2');
    const result = evaluator.preempt(p, await fitError(p));
    assert.deepEqual(result, {
      kind: 'Unschedulable',
      message: 'preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
      clearNomination: true,
    });
  });

  test('a pod nominated to a node keeps its room from less important pods but not from more important ones', () => {
    const { cache, nominator, scheduler } = setup([makeNode('a', { cpu: '2' })], []);
    const nominated = pod('nominated', 10, '2');
    nominator.addNominatedPod(nominated, 'a');
    const ctx = (p: Pod) => newPodContext(p, () => cache.nodeInfoList(), () => []);
    const nodeA = cache.nodeInfo('a');
    assert.ok(nodeA !== undefined);
    assert.equal(runFiltersWithNominatedPods(ctx(pod('lower', 5, '1')), nodeA, nominator).code, 'Unschedulable');
    assert.equal(runFiltersWithNominatedPods(ctx(pod('higher', 20, '1')), nodeA, nominator).code, 'Success');
    // The nominated pod itself is not in its own way.
    assert.equal(runFiltersWithNominatedPods(ctx(nominated), nodeA, nominator).code, 'Success');
    return assert.rejects(scheduler.schedule(pod('lower2', 5, '1')), FitError);
  });

  test('lower-priority pods nominated to the chosen node are reported so they lose their nomination', async () => {
    const { evaluator, nominator, fitError } = setup([makeNode('a', { cpu: '2' })], [pod('low', 1, '2', { nodeName: 'a' })]);
    const waiting = pod('waiting', 3, '1');
    nominator.addNominatedPod(waiting, 'a');
    const p = pod('p', 10, '2');
    const result = evaluator.preempt(p, await fitError(p));
    assert.ok(result.kind === 'Nominate');
    assert.deepEqual(names(result.lowerPriorityNominated), ['waiting']);
  });

  const spreadWeb = (name: string, priority: number, extra: { nodeName?: string; spread?: boolean } = {}): coreV1.Pod =>
    pod(name, priority, '500m', {
      labels: { app: 'web' },
      ...(extra.nodeName === undefined ? {} : { nodeName: extra.nodeName }),
      ...(extra.spread === true ? { spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] } } : {}),
    });

  test('a spreading preemptor evicts only what the skew across all nodes requires, from one PreFilter pass', async () => {
    // b is full with a more important pod; a holds two web pods: the skew a−b must come down to 1.
    const { evaluator, fitError } = setup([makeNode('a', { cpu: '4' }), makeNode('b', { cpu: '1' })], [spreadWeb('w1', 1, { nodeName: 'a' }), spreadWeb('w2', 1, { nodeName: 'a' }), spreadWeb('b-web', 100, { nodeName: 'b' }), pod('b-high', 100, '500m', { nodeName: 'b' })]);
    const p = spreadWeb('p', 10, { spread: true });
    const result = evaluator.preempt(p, await fitError(p));
    assert.ok(result.kind === 'Nominate');
    assert.equal(result.nodeName, 'a');
    assert.equal(result.victims.length, 1);
    assert.equal(evaluator.contextsBuilt, 1);
  });

  test('with no web pod on the other node both web pods must go, still from one PreFilter pass', async () => {
    const { evaluator, fitError } = setup([makeNode('a', { cpu: '4' }), makeNode('b', { cpu: '1' })], [spreadWeb('w1', 1, { nodeName: 'a' }), spreadWeb('w2', 1, { nodeName: 'a' }), pod('b-high', 100, '1', { nodeName: 'b' })]);
    const p = spreadWeb('p', 10, { spread: true });
    const result = evaluator.preempt(p, await fitError(p));
    assert.ok(result.kind === 'Nominate');
    assert.equal(result.nodeName, 'a');
    assert.deepEqual(names(result.victims).sort(), ['w1', 'w2']);
    assert.equal(evaluator.contextsBuilt, 1);
  });

  test('when no node holds a less important pod, preemption builds no filter state and finds no victims', async () => {
    const { evaluator, fitError } = setup([makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' })], [pod('a-high', 100, '1', { nodeName: 'a' }), pod('b-peer', 10, '1', { nodeName: 'b' })]);
    const p = spreadWeb('p', 10, { spread: true });
    const result = evaluator.preempt(p, await fitError(p));
    assert.deepEqual(result, { kind: 'Unschedulable', message: 'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.', clearNomination: true });
    assert.equal(evaluator.contextsBuilt, 0);
  });
});
