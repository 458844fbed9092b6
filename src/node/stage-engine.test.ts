import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../api/json.js';
import { defaultPodStages } from './default-stages.js';
import { type PodView, chooseStage, parseGoDuration, stageAction, stageDelayMs } from './stage-engine.js';
import { type CompiledStage, compileStages } from './stages.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const T = '2026-01-01T12:00:00Z';
const stages = compileStages(defaultPodStages());
const stage = (name: string): CompiledStage => {
  const found = stages.find((s) => s.stage.name === name);
  assert.ok(found, name);
  return found;
};
const context = { now: NOW, nodeName: 'n1', hostIP: '172.18.0.2', podIP: '10.244.1.2' };

function pendingPod(extra: { metadata?: JsonObject; spec?: JsonObject; status?: JsonObject } = {}): PodView {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '7', ...extra.metadata },
    spec: { nodeName: 'n1', restartPolicy: 'Always', containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra.spec },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T11:59:00Z' }],
      ...extra.status,
    },
  } as PodView;
}

test('a pending pod bound to a node matches pod-ready, which writes Running, IPs, conditions and running containers', () => {
  const pod = pendingPod({ spec: { initContainers: [{ name: 'init', image: 'busybox' }] } });
  assert.equal(chooseStage(stages, pod)?.stage.name, 'pod-ready');
  const action = stageAction(stage('pod-ready'), pod, context);
  assert.equal(action.delete, false);
  const patch = action.statusPatch as { metadata: JsonObject; status: Record<string, JsonObject[] & JsonObject & string> };
  assert.deepEqual(patch.metadata, { resourceVersion: '7' }, 'the write is conditional on the version read');
  const status = patch.status;
  assert.equal(status.phase, 'Running');
  assert.equal(status.podIP, '10.244.1.2');
  assert.deepEqual(status.podIPs, [{ ip: '10.244.1.2' }]);
  assert.equal(status.hostIP, '172.18.0.2');
  assert.equal(status.startTime, T);
  const conditions = status.conditions as unknown as { type: string; status: string; lastTransitionTime: string }[];
  assert.deepEqual(conditions.map((c) => `${c.type}=${c.status}`), ['PodScheduled=True', 'PodReadyToStartContainers=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True']);
  assert.equal(conditions[0]?.lastTransitionTime, '2026-01-01T11:59:00Z', 'an unchanged condition keeps its transition time');
  assert.equal(conditions[4]?.lastTransitionTime, T);
  const [container] = status.containerStatuses as unknown as { name: string; ready: boolean; started: boolean; restartCount: number; state: JsonObject }[];
  assert.equal(container?.name, 'app');
  assert.equal(container?.ready, true);
  assert.equal(container?.started, true);
  assert.equal(container?.restartCount, 0);
  assert.deepEqual(container?.state, { running: { startedAt: T } });
  const [init] = status.initContainerStatuses as unknown as { state: { terminated: JsonObject } }[];
  assert.equal(init?.state.terminated.reason, 'Completed');
});

test('pod-ready needs a pod IP to be given', () => {
  assert.throws(() => stageAction(stage('pod-ready'), pendingPod(), { now: NOW, nodeName: 'n1', hostIP: '172.18.0.2' }), /needs a pod IP/);
});

const runningStatus = {
  phase: 'Running',
  podIP: '10.244.1.2',
  containerStatuses: [{ name: 'app', restartCount: 0, containerID: 'kubelite://old', state: { running: { startedAt: '2026-01-01T11:00:00Z' } } }],
};

test('a running pod owned by a Job matches pod-complete, which writes Succeeded and exit code 0', () => {
  const pod = pendingPod({ metadata: { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'j1' }] }, spec: { restartPolicy: 'Never' }, status: runningStatus });
  assert.equal(chooseStage(stages, pod)?.stage.name, 'pod-complete');
  const status = stageAction(stage('pod-complete'), pod, context).statusPatch?.status as { phase: string; containerStatuses: { state: { terminated: JsonObject }; ready: boolean }[] };
  assert.equal(status.phase, 'Succeeded');
  assert.deepEqual(status.containerStatuses[0]?.state.terminated, {
    exitCode: 0,
    reason: 'Completed',
    startedAt: '2026-01-01T11:00:00Z',
    finishedAt: T,
    containerID: status.containerStatuses[0]?.state.terminated.containerID ?? '',
  });
  assert.equal(status.containerStatuses[0]?.ready, false);
});

test('a running pod of a ReplicaSet matches no stage; with the run-duration annotation and restartPolicy Never it completes after that long', () => {
  const plain = pendingPod({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'r1' }] }, status: runningStatus });
  assert.equal(chooseStage(stages, plain), undefined);
  const timed = pendingPod({ metadata: { annotations: { 'kubelite.dev/run-duration': '1m30s' } }, spec: { restartPolicy: 'Never' }, status: runningStatus });
  const chosen = chooseStage(stages, timed);
  assert.equal(chosen?.stage.name, 'pod-complete-after-run-duration');
  assert.equal(chosen === undefined ? -1 : stageDelayMs(chosen, timed, NOW, () => 0.5), 90_000);
});

test('the crash-loop stage bumps restartCount, records the last termination and waits in CrashLoopBackOff', () => {
  const pod = pendingPod({ metadata: { annotations: { 'kubelite.dev/crash-loop': 'true' } }, status: runningStatus });
  assert.equal(chooseStage(stages, pod)?.stage.name, 'pod-crash-loop');
  const action = stageAction(stage('pod-crash-loop'), pod, context);
  assert.deepEqual(action.event, { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' });
  const status = action.statusPatch?.status as { conditions: { type: string; status: string }[]; containerStatuses: JsonObject[] };
  const container = status.containerStatuses[0];
  assert.equal(container?.restartCount, 1);
  assert.deepEqual(container?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' } });
  assert.deepEqual(container?.lastState, {
    terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-01-01T11:00:00Z', finishedAt: T, containerID: 'kubelite://old' },
  });
  assert.equal(status.conditions.find((c) => c.type === 'Ready')?.status, 'False');
});

test('a deleting pod matches pod-delete, which waits until the deletionTimestamp (capped when configured) and deletes', () => {
  const pod = pendingPod({ metadata: { deletionTimestamp: '2026-01-01T12:00:30Z', deletionGracePeriodSeconds: 30 }, status: runningStatus });
  const chosen = chooseStage(stages, pod);
  assert.equal(chosen?.stage.name, 'pod-delete');
  assert.ok(chosen);
  assert.equal(stageDelayMs(chosen, pod, NOW), 30_000);
  assert.deepEqual(stageAction(chosen, pod, context), { delete: true });
  const [capped] = compileStages(defaultPodStages({ maxTerminationMs: 2000 }).filter((s) => s.name === 'pod-delete'));
  assert.ok(capped);
  assert.equal(stageDelayMs(capped, pod, NOW), 2000);
  assert.equal(stageDelayMs(chosen, pod, NOW + 60_000), 0, 'a past deletionTimestamp means at once');
});

test('pod-ready fires at once by default, as kwok\'s default stage does', () => {
  assert.equal(stageDelayMs(stage('pod-ready'), pendingPod(), NOW, () => 0.5), 0);
});

test('the delay is chosen between durationMs and jitterDurationMs', () => {
  const [ready] = compileStages(defaultPodStages({ readyDelayMs: 500, readyJitterMs: 1500 }).filter((s) => s.name === 'pod-ready'));
  assert.ok(ready);
  assert.equal(stageDelayMs(ready, pendingPod(), NOW, () => 0), 500);
  assert.equal(stageDelayMs(ready, pendingPod(), NOW, () => 0.5), 1000);
  assert.equal(stageDelayMs(ready, pendingPod(), NOW, () => 0.999999), 1500);
  const [fixed] = compileStages(defaultPodStages({ readyDelayMs: 2000 }).filter((s) => s.name === 'pod-ready'));
  assert.ok(fixed);
  assert.equal(stageDelayMs(fixed, pendingPod(), NOW, () => 0.5), 2000, 'without jitter, the delay is the duration');
});

test('among matching stages one is chosen by weight', () => {
  const weighted = compileStages([
    { name: 'light', selector: {}, weight: 1, next: {} },
    { name: 'heavy', selector: {}, weight: 3, next: {} },
    { name: 'never', selector: {}, weight: 0, next: {} },
  ]);
  assert.equal(chooseStage(weighted, pendingPod(), () => 0.1)?.stage.name, 'light');
  assert.equal(chooseStage(weighted, pendingPod(), () => 0.5)?.stage.name, 'heavy');
  assert.equal(chooseStage(weighted, pendingPod(), () => 0.99)?.stage.name, 'heavy');
});

test('Go durations parse to milliseconds', () => {
  assert.equal(parseGoDuration('1h2m3.5s'), 3_723_500);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('5 seconds'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});
