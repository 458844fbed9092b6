/**
 * @module
 * What the Job controller reads and writes besides pods (upstream pkg/controller/job/utils.go,
 * indexed_job_utils.go and the condition helpers of job_controller.go): the well-known labels and
 * annotations, Job conditions, and the completion indexes of Indexed Jobs with their compact
 * interval form (`1,3-5`).
 */
import type { batchV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';

type Job = batchV1.Job;
type JobCondition = batchV1.JobCondition;
type Pod = DeepReadonly<coreV1.Pod>;

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
/** batch.kubernetes.io/job-completion-index: an Indexed Job pod's index (annotation and label). */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** Condition types (batch.JobConditionType). */
export type JobConditionType = 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet';

/** Condition reasons the controller writes. */
export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';

/** The Job's condition of `type` (the first one decides, as upstream's hasJobCondition). */
export function getJobCondition(job: DeepReadonly<Job>, type: JobConditionType): DeepReadonly<JobCondition> | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

export function hasJobCondition(job: DeepReadonly<Job>, type: JobConditionType): boolean {
  return getJobCondition(job, type)?.status === 'True';
}

/** IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: DeepReadonly<Job>): boolean {
  return hasJobCondition(job, 'Complete') || hasJobCondition(job, 'Failed');
}

/**
 * ensureJobConditionStatus: sets `type` to `status` with reason and message, keeping the transition
 * time when the status does not change. Returns whether anything changed.
 */
export function ensureJobCondition(job: Job, type: JobConditionType, status: 'True' | 'False', reason: string, message: string, nowIso: string): boolean {
  const conditions = job.status?.conditions ?? [];
  const existing = conditions.find((c) => c.type === type);
  if (existing === undefined) {
    // A False condition that was never True is not worth writing (upstream does not add it).
    if (status === 'False') return false;
    job.status = { ...job.status, conditions: [...conditions, { type, status, reason, message, lastProbeTime: nowIso, lastTransitionTime: nowIso }] };
    return true;
  }
  if (existing.status === status && existing.reason === reason && existing.message === message) return false;
  if (existing.status !== status) existing.lastTransitionTime = nowIso;
  existing.status = status;
  existing.reason = reason;
  existing.message = message;
  existing.lastProbeTime = nowIso;
  return true;
}

/** The completion index of an Indexed Job's pod, from its annotation (getCompletionIndex). */
export function getCompletionIndex(pod: Pod): number | undefined {
  const text = pod.metadata?.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION] ?? pod.metadata?.labels?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Sorted indexes as intervals: [0,1,2,5] → `0-2,5` (succeededIndexes.String). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] ?? 0;
    let last = first;
    while (sorted[i + 1] === last + 1) {
      last++;
      i++;
    }
    i++;
    parts.push(first === last ? String(first) : `${first}-${last}`);
  }
  return parts.join(',');
}

/** `0-2,5` → [0,1,2,5], ignoring indexes at or beyond `completions` (parseIndexesFromString). */
export function parseIndexes(text: string | undefined, completions: number): number[] {
  const out: number[] = [];
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) continue;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    for (let i = first; i <= last && i < completions; i++) out.push(i);
  }
  return out;
}

/** Pod phases that end a pod's run. */
export function isPodSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

export function isPodFailed(pod: Pod): boolean {
  return pod.status?.phase === 'Failed';
}

/** A pod being deleted that has not reached a terminal phase (the Job's status.terminating). */
export function isPodTerminatingNotFinished(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && !isPodSucceeded(pod) && !isPodFailed(pod);
}
