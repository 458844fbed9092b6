/**
 * @module
 * One sync of one Job (upstream pkg/controller/job/job_controller.go syncJob and manageJob, 1.32
 * semantics), given the pods it already claimed:
 *
 * - counts: active (not terminal, not terminating), ready, succeeded, failed, terminating. This
 *   port counts the terminal pods that still exist ("legacy tracking") instead of upstream's
 *   batch.kubernetes.io/job-tracking finalizer and status.uncountedTerminatedPods (always written
 *   empty here): a finished pod deleted before the Job finished is forgotten.
 * - failures beyond spec.backoffLimit → FailureTarget (BackoffLimitExceeded); a start time older
 *   than activeDeadlineSeconds → FailureTarget (DeadlineExceeded); either deletes the active pods.
 * - enough successes → SuccessCriteriaMet (CompletionsReached).
 * - the terminal condition (Failed, or Complete with completionTime) follows the interim one once
 *   no pod is active or terminating, as upstream does since 1.31.
 * - otherwise keeps min(parallelism, completions − succeeded) pods active, in slow-start batches;
 *   a suspended Job keeps none (condition Suspended), and restarts its deadline clock on resume.
 * - Indexed Jobs give each pod a completion index (annotation and label
 *   batch.kubernetes.io/job-completion-index, hostname `<job>-<index>`) and report completedIndexes.
 */
import type { batchV1, coreV1 } from '../../api/types/index.js';
import { isNotFound } from '../../client/errors.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import type { UIDTrackingControllerExpectations } from '../controller-utils/expectations.js';
import { newControllerRef } from '../controller-utils/owner-refs.js';
import type { PodControl } from '../controller-utils/pod-control.js';
import { sortPodsForDeletion } from '../controller-utils/pod-ranking.js';
import { filterActivePods, isPodReady, podKey } from '../controller-utils/pod-utils.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../controller-utils/slow-start-batch.js';
import {
  ensureJobCondition,
  formatIndexes,
  getCompletionIndex,
  getJobCondition,
  isPodFailed,
  isPodSucceeded,
  isPodTerminatingNotFinished,
  JOB_COMPLETION_INDEX_ANNOTATION,
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE_EXCEEDED,
} from './job-util.js';
import { formatTime } from '../../api/time.js';

type Job = batchV1.Job;
type Pod = DeepReadonly<coreV1.Pod>;

/** The kind a Job's controller references name. */
export const JOB_KIND = { apiVersion: 'batch/v1', kind: 'Job' } as const;

/** Upstream's MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

export interface JobSyncContext {
  readonly podControl: PodControl;
  readonly expectations: UIDTrackingControllerExpectations;
  /** The Job's queue key, under which expectations are kept. */
  readonly key: string;
  readonly now: number;
  /** Whether the expectations of the last round were met (pods may be created or deleted). */
  readonly satisfied: boolean;
}

export interface JobSyncResult {
  /** The Job with its new status (compare with the input to decide on a write). */
  readonly job: Job;
  /** Sync again after this many ms (for activeDeadlineSeconds). */
  readonly requeueAfter?: number;
  /** The first error of the pod round, to retry after the status is written. */
  readonly error?: unknown;
}

interface Finish {
  readonly type: 'Failed' | 'Complete';
  readonly reason: string;
  readonly message: string;
}

/** Computes and enacts one sync of `cached` with its claimed `pods`. Never throws for pod errors. */
export async function syncJobPods(ctx: JobSyncContext, cached: DeepReadonly<Job>, pods: readonly Pod[]): Promise<JobSyncResult> {
  const job = structuredClone(cached) as Job;
  const spec = job.spec ?? { template: {} };
  const nowIso = formatTime(ctx.now);
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? undefined;
  const suspended = spec.suspend === true;

  let activePods = filterActivePods(pods);
  const succeededPods = pods.filter(isPodSucceeded);
  const failed = pods.filter(isPodFailed).length;
  let terminating = pods.filter(isPodTerminatingNotFinished).length;
  const succeededIndexes = new Set<number>();
  if (indexed) {
    for (const pod of succeededPods) {
      const index = getCompletionIndex(pod);
      if (index !== undefined && index < (completions ?? 0)) succeededIndexes.add(index);
    }
  }
  const succeeded = indexed ? succeededIndexes.size : succeededPods.length;

  // Suspension and resumption; a resumed Job's deadline counts from the resumption.
  if (suspended) {
    ensureJobCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', nowIso);
  } else {
    const wasSuspended = getJobCondition(job, 'Suspended')?.status === 'True';
    if (ensureJobCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', nowIso) && wasSuspended) {
      job.status = { ...job.status, startTime: nowIso };
    }
    if (job.status?.startTime === undefined) job.status = { ...job.status, startTime: nowIso };
  }

  let finish = interimFinish(job);
  let requeueAfter: number | undefined;
  if (finish === undefined) {
    const backoffLimit = spec.backoffLimit ?? 6;
    const deadline = spec.activeDeadlineSeconds ?? undefined;
    const started = Date.parse(job.status?.startTime ?? '');
    if (failed > backoffLimit) {
      finish = { type: 'Failed', reason: REASON_BACKOFF_LIMIT_EXCEEDED, message: 'Job has reached the specified backoff limit' };
    } else if (deadline !== undefined && !suspended && !Number.isNaN(started)) {
      const remaining = started + deadline * 1000 - ctx.now;
      if (remaining <= 0) finish = { type: 'Failed', reason: REASON_DEADLINE_EXCEEDED, message: 'Job was active longer than specified deadline' };
      else requeueAfter = remaining;
    }
  }

  let error: unknown;
  if (finish?.type === 'Failed') {
    // A failing Job stops all its pods (deleteActivePods); they count as terminating until gone.
    const deleted = await deletePods(ctx, cached, activePods, activePods.length);
    terminating += deleted.count;
    error = deleted.error;
    activePods = activePods.filter((p) => !deleted.names.has(p.metadata?.name ?? ''));
  } else if (ctx.satisfied && job.metadata?.deletionTimestamp === undefined) {
    const managed = await manageJob(ctx, cached, activePods, succeeded, succeededIndexes);
    activePods = managed.activePods;
    terminating += managed.deleted;
    error = managed.error;
  }
  const active = activePods.length;

  if (finish === undefined && !suspended) {
    const complete = indexed
      ? completions !== undefined && succeeded >= completions && active === 0
      : completions === undefined
        ? succeeded > 0 && active === 0
        : succeeded >= completions && active === 0;
    if (complete) finish = { type: 'Complete', reason: REASON_COMPLETIONS_REACHED, message: 'Reached expected number of succeeded pods' };
  }
  if (finish !== undefined) {
    ensureJobCondition(job, finish.type === 'Failed' ? 'FailureTarget' : 'SuccessCriteriaMet', 'True', finish.reason, finish.message, nowIso);
    // The terminal condition waits for every pod to stop (delayTerminalCondition).
    if (active === 0 && terminating === 0) {
      ensureJobCondition(job, finish.type, 'True', finish.reason, finish.message, nowIso);
      if (finish.type === 'Complete') job.status = { ...job.status, completionTime: nowIso };
      requeueAfter = undefined;
    }
  }

  job.status = {
    ...job.status,
    active,
    ready: activePods.filter((p) => isPodReady(p)).length,
    succeeded,
    failed,
    terminating,
    uncountedTerminatedPods: {},
  };
  if (indexed) job.status.completedIndexes = formatIndexes(succeededIndexes);
  return { job, ...(requeueAfter === undefined ? {} : { requeueAfter }), ...(error === undefined ? {} : { error }) };
}

/** The finish an earlier sync decided (an interim condition already True). */
function interimFinish(job: Job): Finish | undefined {
  for (const [interim, type] of [['FailureTarget', 'Failed'], ['SuccessCriteriaMet', 'Complete']] as const) {
    const c = getJobCondition(job, interim);
    if (c?.status === 'True') return { type, reason: c.reason ?? '', message: c.message ?? '' };
  }
  return undefined;
}

interface ManageResult {
  readonly activePods: Pod[];
  readonly deleted: number;
  readonly error?: unknown;
}

/** manageJob: deletes surplus or suspended pods, or creates the missing ones. */
async function manageJob(ctx: JobSyncContext, job: DeepReadonly<Job>, activePods: Pod[], succeeded: number, succeededIndexes: ReadonlySet<number>): Promise<ManageResult> {
  const spec = job.spec ?? { template: {} };
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? undefined;
  const indexed = spec.completionMode === 'Indexed';
  let wantActive: number;
  if (spec.suspend === true) wantActive = 0;
  else if (completions === undefined) wantActive = succeeded > 0 ? activePods.length : parallelism;
  else wantActive = Math.max(0, Math.min(completions - succeeded, parallelism));

  // Pods to remove: for Indexed Jobs first those whose index is invalid, done or duplicated.
  const surplus: Pod[] = [];
  let keep = activePods;
  if (indexed) {
    const seen = new Set<number>();
    keep = [];
    for (const pod of activePods) {
      const index = getCompletionIndex(pod);
      if (index === undefined || index >= (completions ?? 0) || succeededIndexes.has(index) || seen.has(index)) surplus.push(pod);
      else {
        seen.add(index);
        keep.push(pod);
      }
    }
  }
  const rmAtLeast = Math.max(0, keep.length - wantActive);
  const toDelete = [...surplus, ...sortPodsForDeletion(keep, [], ctx.now).slice(0, rmAtLeast)];
  if (toDelete.length > 0) {
    const deleted = await deletePods(ctx, job, toDelete, Math.min(toDelete.length, MAX_POD_CREATE_DELETE_PER_SYNC));
    const remaining = activePods.filter((p) => !deleted.names.has(p.metadata?.name ?? ''));
    return { activePods: remaining, deleted: deleted.count, ...(deleted.error === undefined ? {} : { error: deleted.error }) };
  }
  if (keep.length >= wantActive) return { activePods, deleted: 0 };

  const diff = Math.min(wantActive - keep.length, MAX_POD_CREATE_DELETE_PER_SYNC);
  const indexes: number[] = [];
  if (indexed) {
    const taken = new Set<number>([...succeededIndexes, ...keep.map((p) => getCompletionIndex(p) ?? -1)]);
    for (let i = 0; i < (completions ?? 0) && indexes.length < diff; i++) if (!taken.has(i)) indexes.push(i);
  }
  const count = indexed ? indexes.length : diff;
  ctx.expectations.expectCreations(ctx.key, count);
  const controllerRef: OwnerReference = newControllerRef(job, JOB_KIND);
  let next = 0;
  const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, async () => {
    const index = indexed ? indexes[next++] : undefined;
    await ctx.podControl.createPods(job.metadata?.namespace ?? '', podTemplate(job, index), job, controllerRef);
  });
  // The informer will never see the pods of the batches not started.
  for (let skipped = count - successes; skipped > 0; skipped--) ctx.expectations.creationObserved(ctx.key);
  // Created pods are active from now on; their names are learnt from the informer.
  const placeholders = Array.from({ length: successes }, (): Pod => ({ metadata: {}, spec: { containers: [] } }));
  return { activePods: [...activePods, ...placeholders], deleted: 0, ...(error === undefined ? {} : { error }) };
}

/** The template of one pod: for Indexed Jobs with its completion index and hostname. */
function podTemplate(job: DeepReadonly<Job>, index: number | undefined): DeepReadonly<coreV1.PodTemplateSpec> {
  const template = job.spec?.template ?? {};
  if (index === undefined) return template;
  const meta = template.metadata ?? {};
  return {
    ...template,
    metadata: {
      ...meta,
      annotations: { ...meta.annotations, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) },
      labels: { ...meta.labels, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) },
    },
    spec: { ...(template.spec ?? { containers: [] }), hostname: `${job.metadata?.name ?? ''}-${index}` },
  };
}

/** Deletes the first `limit` of `pods`, expecting their deletions; NotFound counts as deleted. */
async function deletePods(ctx: JobSyncContext, job: DeepReadonly<Job>, pods: readonly Pod[], limit: number): Promise<{ count: number; names: Set<string>; error?: unknown }> {
  const chosen = pods.slice(0, limit);
  if (chosen.length === 0) return { count: 0, names: new Set() };
  ctx.expectations.expectDeletions(ctx.key, chosen.map(podKey));
  const names = new Set<string>();
  let error: unknown;
  await Promise.all(
    chosen.map(async (pod) => {
      const name = pod.metadata?.name ?? '';
      try {
        await ctx.podControl.deletePod(pod.metadata?.namespace ?? '', name, job);
        names.add(name);
      } catch (err) {
        ctx.expectations.deletionObserved(ctx.key, podKey(pod));
        if (isNotFound(err)) names.add(name);
        else error ??= err;
      }
    }),
  );
  return { count: names.size, names, ...(error === undefined ? {} : { error }) };
}
