/**
 * One scheduling attempt over a preloaded cache: a pod nominated by preemption goes back to its
 * nominated node when it fits there (schedule_one.go evaluateNominatedNode), even where scoring
 * would prefer another node.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { SchedulerCache } from './cache.js';
import { makeNode, makePod } from './fixtures.js';
import { PodNominator } from './nominator.js';
import { GenericScheduler } from './schedule-pod.js';

/** Node `empty` is idle, `busy` half used: scoring alone prefers `empty`. */
function setup() {
  const cache = new SchedulerCache({ clock: new FakeClock() });
  cache.addNode(makeNode('empty', { cpu: '4' }));
  cache.addNode(makeNode('busy', { cpu: '4' }));
  cache.addPod(makePod('resident', { cpu: '2', nodeName: 'busy' }));
  const nominator = new PodNominator();
  return { cache, nominator, scheduler: new GenericScheduler(cache, { nominator, random: () => 0 }) };
}

function nominatedTo(node: string | undefined): coreV1.Pod {
  const pod = makePod('preemptor', { cpu: '1', spec: { priority: 100 } });
  if (node !== undefined) pod.status = { nominatedNodeName: node };
  return pod;
}

test('without a nomination, scoring sends the pod to the idle node', async () => {
  const { scheduler } = setup();
  assert.equal((await scheduler.schedule(nominatedTo(undefined))).nodeName, 'empty');
});

test('a pod whose status names a nominated node that fits is sent there, and only that node is evaluated', async () => {
  const { scheduler } = setup();
  const result = await scheduler.schedule(nominatedTo('busy'));
  assert.deepEqual(result, { nodeName: 'busy', delayedClaims: [], evaluatedNodes: 1, feasibleNodes: 1 });
});

test('a nomination the nominator recorded before the status patch came back sends the pod to its node too', async () => {
  const { scheduler, nominator } = setup();
  const pod = nominatedTo(undefined);
  nominator.addNominatedPod(pod, 'busy');
  assert.equal((await scheduler.schedule(pod)).nodeName, 'busy');
});

test('a pod whose nominated node no longer fits is scheduled elsewhere', async () => {
  const { cache, scheduler } = setup();
  cache.addPod(makePod('filler', { cpu: '2', nodeName: 'busy' }));
  assert.equal((await scheduler.schedule(nominatedTo('busy'))).nodeName, 'empty');
});
