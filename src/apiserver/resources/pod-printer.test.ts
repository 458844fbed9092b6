import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { POD_PRINTER, podSummary } from './pod-printer.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const minutesAgo = (minutes: number): string => new Date(NOW - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(status: JsonObject, spec: JsonObject = {}, metadata: JsonObject = {}): JsonObject {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(5), ...metadata },
    spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec },
    status,
  };
}

const running = (name: string, ready: boolean, restartCount = 0, extra: JsonObject = {}): JsonObject => ({
  name,
  ready,
  restartCount,
  state: { running: { startedAt: minutesAgo(4) } },
  ...extra,
});

test('a new pod prints Pending with nothing ready', () => {
  assert.deepEqual(POD_PRINTER.cells(pod({ phase: 'Pending' }), NOW), ['web', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
});

test('a running pod prints its ready count, IP and node', () => {
  const cells = POD_PRINTER.cells(
    pod({ phase: 'Running', podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }], containerStatuses: [running('web', true)] }, { nodeName: 'node-1' }),
    NOW,
  );
  assert.deepEqual(cells, ['web', '1/1', 'Running', '0', '5m', '10.1.0.7', 'node-1', '<none>', '<none>']);
});

test('a waiting container shows its reason: ContainerCreating, CrashLoopBackOff', () => {
  const creating = pod({ phase: 'Pending', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
  assert.equal(podSummary(creating, NOW).status, 'ContainerCreating');
  const crashing = pod({
    phase: 'Running',
    containerStatuses: [
      {
        name: 'web',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: minutesAgo(2) } },
      },
    ],
  });
  assert.deepEqual(podSummary(crashing, NOW), { ready: 0, total: 1, status: 'CrashLoopBackOff', restarts: '3 (2m ago)' });
});

test('a terminated container shows its reason, or its exit code or signal', () => {
  const completed = pod({ phase: 'Succeeded', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  assert.equal(podSummary(completed, NOW).status, 'Completed');
  const exited = pod({ phase: 'Failed', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] });
  assert.equal(podSummary(exited, NOW).status, 'ExitCode:2');
  const killed = pod({ phase: 'Failed', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] });
  assert.equal(podSummary(killed, NOW).status, 'Signal:9');
});

test('a completed container beside a running one does not make the pod Completed', () => {
  const spec = { containers: [{ name: 'web', image: 'nginx' }, { name: 'job', image: 'busybox' }] };
  const status = (ready: 'True' | 'False'): JsonObject => ({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready }],
    containerStatuses: [running('web', true), { name: 'job', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
  });
  // Statuses are read last to first, so the first container's state is the one that sticks.
  assert.equal(podSummary(pod(status('True'), spec), NOW).status, 'Running');
  const reversed = pod({ ...status('False'), containerStatuses: [...((status('False').containerStatuses as JsonObject[]).reverse())] }, spec);
  assert.equal(podSummary(reversed, NOW).status, 'NotReady');
});

test('init containers show progress, then their failure reason', () => {
  const spec = { initContainers: [{ name: 'migrate', image: 'app' }, { name: 'seed', image: 'app' }] };
  const progress = pod(
    {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'seed', ready: false, restartCount: 0, state: { running: {} } },
      ],
    },
    spec,
  );
  assert.equal(podSummary(progress, NOW).status, 'Init:1/2');
  const waiting = pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] }, spec);
  assert.equal(podSummary(waiting, NOW).status, 'Init:0/2');
  const failing = pod(
    { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    spec,
  );
  assert.deepEqual(podSummary(failing, NOW), { ready: 0, total: 1, status: 'Init:CrashLoopBackOff', restarts: '4' });
  const exited = pod({ phase: 'Failed', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] }, spec);
  assert.equal(podSummary(exited, NOW).status, 'Init:ExitCode:3');
});

test('sidecar init containers count among the containers', () => {
  const spec = { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] };
  const status = {
    phase: 'Running',
    conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [running('web', true)],
  };
  assert.deepEqual(podSummary(pod(status, spec), NOW), { ready: 2, total: 2, status: 'Running', restarts: '1' });
});

test('a deleting pod prints Terminating, unless it has finished or its node is lost', () => {
  const deleting = { deletionTimestamp: minutesAgo(0) };
  assert.equal(podSummary(pod({ phase: 'Running', containerStatuses: [running('web', true)] }, {}, deleting), NOW).status, 'Terminating');
  assert.equal(podSummary(pod({ phase: 'Succeeded' }, {}, deleting), NOW).status, 'Succeeded');
  assert.equal(podSummary(pod({ phase: 'Running', reason: 'NodeLost' }, {}, deleting), NOW).status, 'Unknown');
  assert.equal(podSummary(pod({ phase: 'Running', reason: 'NodeLost' }), NOW).status, 'NodeLost');
});

test('a gated pod prints SchedulingGated and readiness gates count their true conditions', () => {
  const gated = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(podSummary(gated, NOW).status, 'SchedulingGated');
  const gates = pod(
    { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }], containerStatuses: [running('web', true)] },
    { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
  );
  assert.equal(POD_PRINTER.cells(gates, NOW)[8], '1/2');
});

test('restarts show when the last one happened, across all containers', () => {
  const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] };
  const status = {
    phase: 'Running',
    containerStatuses: [
      running('a', true, 1, { lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(90) } } }),
      running('b', true, 2, { lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(30) } } }),
    ],
  };
  assert.equal(podSummary(pod(status, spec), NOW).restarts, '3 (30m ago)');
});

test('the pod columns are upstream printPod columns, wide ones at priority 1', () => {
  assert.deepEqual(
    POD_PRINTER.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1'],
  );
});
