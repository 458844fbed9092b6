/**
 * The filter framework's state: the AddPod/RemovePod PreFilter extensions keep pod affinity and
 * spreading counts as a recount over the changed cluster would (framework.go
 * RunPreFilterExtensionAddPod/RemovePod), and nominated pods are counted by those two filters too
 * (addGENominatedPods).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { type PodContext, addPodToContext, clonePodContext, newPodContext, removePodFromContext, runFiltersWithNominatedPods } from './filter.js';
import { makeNode, makePod } from './fixtures.js';
import { NodeInfo, type PodInfo, newPodInfo } from './node-info.js';
import { PodNominator } from './nominator.js';

function nodeWith(node: coreV1.Node, pods: coreV1.Pod[] = []): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) info.addPod(newPodInfo({ ...p, spec: { ...(p.spec ?? { containers: [] }), nodeName: node.metadata?.name ?? '' } }));
  return info;
}

const web = (name: string, priority = 0): coreV1.Pod => makePod(name, { labels: { app: 'web' }, spec: { priority } });

/** A pod spread by zone over app=web, with anti-affinity to app=db per node and affinity to app=cache per zone. */
function incoming(priority = 5): coreV1.Pod {
  return makePod('incoming', {
    labels: { app: 'web' },
    spec: {
      priority,
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
      affinity: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'cache' } } }] },
      },
    },
  });
}

/** What the filters read from a context, comparable with deepEqual. */
function counts(ctx: PodContext) {
  return {
    spread: ctx.topologySpread?.counts.map((m) => new Map([...m].sort())),
    minimums: ctx.topologySpread?.minimums,
    affinity: new Map([...(ctx.interPodAffinity?.affinityCounts ?? [])].sort()),
    antiAffinity: new Map([...(ctx.interPodAffinity?.antiAffinityCounts ?? [])].sort()),
    existingAntiAffinity: new Map([...(ctx.interPodAffinity?.existingAntiAffinityCounts ?? [])].sort()),
  };
}

describe('PreFilter extensions', () => {
  test('removing pods one at a time and adding them back keeps the counts a recount of the changed cluster gives', () => {
    const guard = makePod('guard', { labels: { app: 'guard' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'web' } } }] } } } });
    const a = nodeWith(makeNode('a', { labels: { zone: 'z1' } }), [web('w1'), web('w2'), makePod('c1', { labels: { app: 'cache' } }), makePod('db1', { labels: { app: 'db' } }), guard]);
    const b = nodeWith(makeNode('b', { labels: { zone: 'z2' } }), [web('w3')]);
    const c = nodeWith(makeNode('c', { labels: { zone: 'z3' } }), [web('w4'), web('w5')]);
    const pod = incoming();
    const info = newPodInfo(pod);
    const recount = (nodes: NodeInfo[]): PodContext => newPodContext(pod, () => nodes, () => nodes.filter((n) => n.podsWithRequiredAntiAffinity.size > 0), info);
    const base = recount([a, b, c]);
    const ctx = clonePodContext(base);
    const copy = a.clone();
    const moved: PodInfo[] = [...a.pods.values()];
    for (const p of moved) {
      copy.removePod(p.key);
      removePodFromContext(ctx, p, copy);
      assert.deepEqual(counts(ctx), counts(recount([copy, b, c])), `after removing ${p.key}`);
    }
    // Zone z1 now holds no web pod: the minimum dropped to 0.
    assert.deepEqual(ctx.topologySpread?.minimums, [0]);
    for (const p of moved) {
      copy.addPod(p);
      addPodToContext(ctx, p, copy);
      assert.deepEqual(counts(ctx), counts(recount([copy, b, c])), `after adding ${p.key} back`);
    }
    // The clone was changed, the context it came from was not.
    assert.deepEqual(counts(base), counts(recount([a, b, c])));
    assert.deepEqual(base.topologySpread?.minimums, [1]);
  });
});

describe('nominated pods', () => {
  test("a pod nominated to a node counts for the incoming pod's anti-affinity there", () => {
    const pod = makePod('incoming', { spec: { priority: 5, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } } });
    const a = nodeWith(makeNode('a'));
    const ctx = newPodContext(pod, () => [a], () => []);
    const nominator = new PodNominator();
    assert.equal(runFiltersWithNominatedPods(ctx, a, nominator).code, 'Success');
    nominator.addNominatedPod(makePod('db', { labels: { app: 'db' }, spec: { priority: 10 } }), 'a');
    assert.equal(runFiltersWithNominatedPods(ctx, a, nominator).code, 'Unschedulable');
  });

  test("a nominated pod's own anti-affinity keeps the incoming pod off its node", () => {
    const pod = makePod('incoming', { labels: { app: 'web' }, spec: { priority: 5 } });
    const a = nodeWith(makeNode('a'));
    // Nothing on the cluster can reject the pod: PreFilter leaves no affinity state at all.
    const ctx = newPodContext(pod, () => [a], () => []);
    assert.equal(ctx.interPodAffinity, undefined);
    const nominator = new PodNominator();
    nominator.addNominatedPod(makePod('loner', { spec: { priority: 10, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } } }), 'a');
    const status = runFiltersWithNominatedPods(ctx, a, nominator);
    assert.ok(status.code === 'Unschedulable');
    assert.deepEqual(status.reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
  });

  test('a pod nominated to a node counts in its domain for topology spreading, unless it is less important', () => {
    const pod = makePod('incoming', { labels: { app: 'web' }, spec: { priority: 5, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] } });
    const a = nodeWith(makeNode('a'));
    const b = nodeWith(makeNode('b'));
    const ctx = newPodContext(pod, () => [a, b], () => []);
    const nominator = new PodNominator();
    nominator.addNominatedPod(web('less', 1), 'a');
    assert.equal(runFiltersWithNominatedPods(ctx, a, nominator).code, 'Success');
    nominator.addNominatedPod(web('more', 10), 'a');
    assert.equal(runFiltersWithNominatedPods(ctx, a, nominator).code, 'Unschedulable');
    assert.equal(runFiltersWithNominatedPods(ctx, b, nominator).code, 'Success');
    // The context the scheduler shares across nodes is untouched.
    assert.deepEqual(ctx.topologySpread?.counts, [new Map([['a', 0], ['b', 0]])]);
  });
});
