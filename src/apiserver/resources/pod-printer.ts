/**
 * @module
 * Server-side printing of pods: the columns `kubectl get pods` shows (NAME READY STATUS RESTARTS
 * AGE, and with `-o wide` IP NODE NOMINATED NODE READINESS GATES) and the STATUS a user reads —
 * the phase, or the reason a container is waiting or terminated (ContainerCreating,
 * CrashLoopBackOff, Completed, Error), init progress (Init:0/2, Init:CrashLoopBackOff),
 * Terminating, NodeLost, SchedulingGated. Follows pkg/printers/internalversion/printers.go
 * (printPod, the pod column definitions), where the logic lives for every kubectl version.
 */
import type { JsonObject } from '../../api/json.js';
import type { TablePrinter } from '../registry/resource-definition.js';
import { age, humanDuration } from '../table.js';
import { conditionOf, metaOf, numberAt, objectAt, objectsAt, present, specOf, statusOf, stringAt } from './pod-json.js';

/** node.NodeUnreachablePodReason: the node controller's reason for pods on a lost node. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

export const POD_PRINTER: TablePrinter = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', priority: 0 },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', priority: 0 },
    {
      name: 'Restarts',
      type: 'string',
      description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      priority: 0,
    },
    { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    { name: 'IP', type: 'string', description: 'The IP address allocated to the pod.', priority: 1 },
    { name: 'Node', type: 'string', description: 'The node the pod is scheduled onto.', priority: 1 },
    { name: 'Nominated Node', type: 'string', description: 'The node the scheduler is making room on for this pod, by preemption.', priority: 1 },
    { name: 'Readiness Gates', type: 'string', description: 'The readiness gates of the pod that are true, of all of them.', priority: 1 },
  ],
  cells: (pod, now) => {
    const summary = podSummary(pod, now);
    return [
      stringAt(metaOf(pod), 'name'),
      `${summary.ready}/${summary.total}`,
      summary.status,
      summary.restarts,
      age(pod, now),
      ...wideCells(pod),
    ];
  },
};

/** What printPod computes for the default columns. */
export interface PodSummary {
  readonly ready: number;
  readonly total: number;
  /** The STATUS column. */
  readonly status: string;
  /** The RESTARTS column: "0", or "3 (2m ago)" when the last restart's time is known. */
  readonly restarts: string;
}

/** printPod's READY, STATUS and RESTARTS for `pod` at time `now` (ms). */
export function podSummary(pod: JsonObject, now: number): PodSummary {
  const spec = specOf(pod);
  const status = statusOf(pod);
  const phase = stringAt(status, 'phase');
  let reason = stringAt(status, 'reason') !== '' ? stringAt(status, 'reason') : phase;
  if (objectsAt(status, 'conditions').some((c) => stringAt(c, 'type') === 'PodScheduled' && stringAt(c, 'reason') === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  const initContainers = new Map(objectsAt(spec, 'initContainers').map((c) => [stringAt(c, 'name'), c]));
  const isSidecar = (name: string): boolean => stringAt(initContainers.get(name) ?? {}, 'restartPolicy') === 'Always';
  const total = objectsAt(spec, 'containers').length + [...initContainers.keys()].filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;

  let initializing = false;
  const initStatuses = objectsAt(status, 'initContainerStatuses');
  for (const [index, container] of initStatuses.entries()) {
    const name = stringAt(container, 'name');
    const count = numberAt(container, 'restartCount') ?? 0;
    const finished = lastTerminationTime(container);
    restarts += count;
    lastRestart = Math.max(lastRestart, finished);
    if (isSidecar(name)) {
      sidecarRestarts += count;
      lastSidecarRestart = Math.max(lastSidecarRestart, finished);
    }
    const state = objectAt(container, 'state') ?? {};
    const terminated = objectAt(state, 'terminated');
    const waiting = objectAt(state, 'waiting');
    if (terminated !== undefined && (numberAt(terminated, 'exitCode') ?? 0) === 0) continue;
    if (isSidecar(name) && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) {
      // A failed init container: its reason, or its signal or exit code.
      const why = stringAt(terminated, 'reason');
      reason = why !== '' ? `Init:${why}` : signalOrExit('Init:', terminated);
    } else if (waiting !== undefined && stringAt(waiting, 'reason') !== '' && stringAt(waiting, 'reason') !== 'PodInitializing') {
      reason = `Init:${stringAt(waiting, 'reason')}`;
    } else {
      reason = `Init:${index}/${initContainers.size}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionOf(status, 'Initialized')?.status === 'True') {
    // Once initialized, only sidecars' restarts still count among the init containers'.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objectsAt(status, 'containerStatuses');
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i] ?? {};
      restarts += numberAt(container, 'restartCount') ?? 0;
      lastRestart = Math.max(lastRestart, lastTerminationTime(container));
      const state = objectAt(container, 'state') ?? {};
      const waiting = objectAt(state, 'waiting');
      const terminated = objectAt(state, 'terminated');
      if (waiting !== undefined && stringAt(waiting, 'reason') !== '') reason = stringAt(waiting, 'reason');
      else if (terminated !== undefined && stringAt(terminated, 'reason') !== '') reason = stringAt(terminated, 'reason');
      else if (terminated !== undefined) reason = signalOrExit('', terminated);
      else if (container.ready === true && present(state, 'running')) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but another still runs is not "Completed".
    if (reason === 'Completed' && hasRunning) reason = conditionOf(status, 'Ready')?.status === 'True' ? 'Running' : 'NotReady';
  }

  const deleting = present(metaOf(pod), 'deletionTimestamp');
  if (deleting && stringAt(status, 'reason') === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready, total, status: reason, restarts: restartsText };
}

/** "Signal:9" or "ExitCode:1" (with a prefix for init containers). */
function signalOrExit(prefix: string, terminated: JsonObject): string {
  const signal = numberAt(terminated, 'signal') ?? 0;
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${numberAt(terminated, 'exitCode') ?? 0}`;
}

/** When the container last terminated (lastState.terminated.finishedAt), in ms; 0 when unknown. */
function lastTerminationTime(container: JsonObject): number {
  const terminated = objectAt(objectAt(container, 'lastState') ?? {}, 'terminated');
  const finished = terminated === undefined ? '' : stringAt(terminated, 'finishedAt');
  const at = finished === '' ? Number.NaN : Date.parse(finished);
  return Number.isNaN(at) ? 0 : at;
}

/** IP, NODE, NOMINATED NODE and READINESS GATES, "<none>" when empty. */
function wideCells(pod: JsonObject): string[] {
  const spec = specOf(pod);
  const status = statusOf(pod);
  const podIP = stringAt(objectsAt(status, 'podIPs')[0] ?? {}, 'ip');
  const gates = objectsAt(spec, 'readinessGates');
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const satisfied = gates.filter((gate) => conditionOf(status, stringAt(gate, 'conditionType'))?.status === 'True').length;
    readinessGates = `${satisfied}/${gates.length}`;
  }
  return [
    orNone(podIP === '' ? stringAt(status, 'podIP') : podIP),
    orNone(stringAt(spec, 'nodeName')),
    orNone(stringAt(status, 'nominatedNodeName')),
    readinessGates,
  ];
}

function orNone(value: string): string {
  return value === '' ? '<none>' : value;
}
