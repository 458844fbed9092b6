/**
 * @module
 * The default pod stages, after kwok's `kustomize/stage/pod/fast` and `general` sets (pod-ready,
 * pod-complete, pod-delete) plus a crash loop from its chaos stages, written as data with the stage
 * model of ./stages.ts:
 *
 * - **pod-ready**: a pod bound to the node, not deleting, with no IP yet → Running, with a pod IP
 *   from the node's pod CIDR, hostIP, startTime, conditions PodScheduled, Initialized,
 *   ContainersReady and Ready True, init containers Completed, containers running, ready, started.
 *   At once by default, as kwok's default pod-ready (the `fast` set, kwok's built-in stages, has no
 *   delay): what a rollout then measures is the control plane. A kubelet that takes a while to start
 *   containers is a delay away (`readyDelayMs`, `kubelite up --pod-ready-delay 500ms-1.5s`).
 * - **pod-complete**: a Running pod owned by a Job → Succeeded, containers terminated with exit code
 *   0. A pod with restartPolicy Never or OnFailure and the annotation {@link RUN_DURATION_ANNOTATION}
 *   completes the same way, after that long (a Job pod honours the annotation too).
 * - **pod-crash-loop**: a Running pod annotated {@link CRASH_LOOP_ANNOTATION} = "true" (restartPolicy
 *   other than Never) → containers waiting in CrashLoopBackOff, restartCount up by one, not ready;
 *   it matches again afterwards, so the count keeps climbing.
 * - **pod-delete**: a pod with a deletionTimestamp → deleted for good once the grace period has run
 *   out (the delay runs until the deletionTimestamp, which the API server set to now + grace).
 */
import type { Stage } from './stages.js';

/** How long a Never/OnFailure pod runs before completing: a duration (`30s`, `1m`) or seconds. */
export const RUN_DURATION_ANNOTATION = 'kubelite.dev/run-duration';
/** "true" makes a running pod crash-loop (failure injection). */
export const CRASH_LOOP_ANNOTATION = 'kubelite.dev/crash-loop';

export interface DefaultPodStageOptions {
  /**
   * Delay of pod-ready: at least `readyDelayMs`, and up to `readyJitterMs` when that is larger (kwok's
   * jitter, the upper bound). @defaultValue 0 and none
   */
  readonly readyDelayMs?: number;
  readonly readyJitterMs?: number;
  /** How long a Job pod runs without the run-duration annotation. @defaultValue 1000 and 2000 jitter */
  readonly completeDelayMs?: number;
  readonly completeJitterMs?: number;
  /** Time between restarts of a crash-looping pod. @defaultValue 10000 (the kubelet's first back-off) */
  readonly crashLoopIntervalMs?: number;
  /**
   * A cap on how long a deleted pod waits for its grace period; unset waits the whole
   * terminationGracePeriodSeconds, as a kubelet whose containers ignore SIGTERM.
   */
  readonly maxTerminationMs?: number;
}

const NOT_DELETING = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' } as const;
const RUNNING = { key: '.status.phase', operator: 'In', values: ['Running'] } as const;
const NOT_CRASH_LOOPING = { key: `.metadata.annotations[${JSON.stringify(CRASH_LOOP_ANNOTATION)}]`, operator: 'NotIn', values: ['true'] } as const;
const OWNED_BY_JOB = { key: '.metadata.ownerReferences[].kind', operator: 'In', values: ['Job'] } as const;
const RUN_DURATION_PATH = `.metadata.annotations[${JSON.stringify(RUN_DURATION_ANNOTATION)}]`;

/** The conditions of a pod that finished: not ready any more, because it completed. */
const COMPLETED_CONDITIONS = [
  { type: 'Ready', status: 'False', reason: 'PodCompleted' },
  { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
];

export function defaultPodStages(options: DefaultPodStageOptions = {}): Stage[] {
  const completeDelay = {
    durationMs: options.completeDelayMs ?? 1000,
    jitterDurationMs: options.completeJitterMs ?? 2000,
    durationFrom: RUN_DURATION_PATH,
  };
  const complete = {
    statusPatch: { phase: 'Succeeded', conditions: COMPLETED_CONDITIONS },
    containers: { state: 'terminated', exitCode: 0, reason: 'Completed', ready: false, started: false },
  } as const;
  return [
    {
      name: 'pod-ready',
      selector: {
        matchExpressions: [
          NOT_DELETING,
          { key: '.spec.nodeName', operator: 'Exists' },
          { key: '.status.podIP', operator: 'DoesNotExist' },
          { key: '.status.phase', operator: 'NotIn', values: ['Running', 'Succeeded', 'Failed'] },
        ],
      },
      ...(options.readyDelayMs === undefined && options.readyJitterMs === undefined
        ? {}
        : { delay: { durationMs: options.readyDelayMs ?? 0, ...(options.readyJitterMs === undefined ? {} : { jitterDurationMs: options.readyJitterMs }) } }),
      next: {
        statusPatch: {
          phase: 'Running',
          hostIP: '${hostIP}',
          hostIPs: [{ ip: '${hostIP}' }],
          podIP: '${podIP}',
          podIPs: [{ ip: '${podIP}' }],
          startTime: '${now}',
          conditions: [
            { type: 'PodReadyToStartContainers', status: 'True' },
            { type: 'Initialized', status: 'True' },
            { type: 'ContainersReady', status: 'True' },
            { type: 'Ready', status: 'True' },
            { type: 'PodScheduled', status: 'True' },
          ],
        },
        initContainers: { state: 'terminated', exitCode: 0, reason: 'Completed', ready: true, started: false },
        containers: { state: 'running', ready: true, started: true },
      },
    },
    {
      name: 'pod-complete',
      selector: { matchExpressions: [NOT_DELETING, RUNNING, NOT_CRASH_LOOPING, OWNED_BY_JOB] },
      delay: completeDelay,
      next: complete,
    },
    {
      name: 'pod-complete-after-run-duration',
      selector: {
        matchExpressions: [
          NOT_DELETING,
          RUNNING,
          NOT_CRASH_LOOPING,
          { key: '.metadata.ownerReferences[].kind', operator: 'NotIn', values: ['Job'] },
          { key: '.spec.restartPolicy', operator: 'In', values: ['Never', 'OnFailure'] },
          { key: RUN_DURATION_PATH, operator: 'Exists' },
        ],
      },
      delay: completeDelay,
      next: complete,
    },
    {
      name: 'pod-crash-loop',
      selector: {
        matchAnnotations: { [CRASH_LOOP_ANNOTATION]: 'true' },
        matchExpressions: [NOT_DELETING, RUNNING, { key: '.spec.restartPolicy', operator: 'NotIn', values: ['Never'] }],
      },
      delay: { durationMs: options.crashLoopIntervalMs ?? 10_000 },
      next: {
        statusPatch: {
          conditions: [
            { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status' },
            { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status' },
          ],
        },
        containers: {
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          message: 'back-off restarting failed container',
          ready: false,
          started: false,
          restart: { exitCode: 1, reason: 'Error' },
        },
        event: { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' },
      },
    },
    {
      name: 'pod-delete',
      selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }] },
      delay: {
        durationMs: 0,
        durationFrom: '.metadata.deletionTimestamp',
        ...(options.maxTerminationMs === undefined ? {} : { maxDurationMs: options.maxTerminationMs }),
      },
      next: { delete: true },
    },
  ];
}
