/**
 * @module
 * One sync of one CronJob (upstream pkg/controller/cronjob/cronjob_controllerv2.go sync,
 * syncCronJob, cleanupFinishedJobs): reconcile status.active with the Jobs it owns, record
 * lastSuccessfulTime, then — unless deleted, suspended or unparseable — start the Job of the most
 * recent unmet schedule time under the concurrency policy, delete finished Jobs beyond the history
 * limits, and say when to look again (the next schedule time).
 */
import type { batchV1 } from '../../api/types/index.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { DeepReadonly } from '../../client/object.js';
import { type CronSchedule, CronParseError, isKnownTimeZone, parseCronSchedule } from './cron-schedule.js';
import {
  getFinishedStatus,
  getJobFromTemplate,
  getJobName,
  inActiveList,
  inActiveListByName,
  isJobFinished,
  jobReference,
  mostRecentScheduleTime,
  nextScheduleTimeDuration,
} from './cronjob-utils.js';
import { formatTime } from '../../api/time.js';

type CronJob = batchV1.CronJob;
type Job = batchV1.Job;

/** The Job writes and fresh reads a sync makes (upstream jobControlInterface). */
export interface JobControl {
  getJob(namespace: string, name: string): Promise<Job>;
  createJob(namespace: string, job: Job): Promise<Job>;
  /** Deletes with background propagation, so the Job's pods go too. */
  deleteJob(namespace: string, name: string): Promise<void>;
}

/** The CronJob reads and status writes a sync makes (upstream cjControlInterface). */
export interface CronJobControl {
  getCronJob(namespace: string, name: string): Promise<CronJob>;
  updateStatus(cj: CronJob): Promise<CronJob>;
}

/** Where a sync reports what users should see (an EventRecorder, or a recording fake). */
export type EventSink = (cj: DeepReadonly<CronJob>, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export interface CronJobSyncContext {
  readonly jobControl: JobControl;
  readonly cronJobControl: CronJobControl;
  readonly event: EventSink;
  readonly now: number;
}

export interface SyncResult {
  /** Sync again after this many ms (the next schedule time). */
  readonly requeueAfter?: number;
}

/**
 * Syncs `cached` against the Jobs it controls (`jobs`, from the cache). Throws the errors worth a
 * rate-limited retry.
 */
export async function syncCronJob(ctx: CronJobSyncContext, cached: DeepReadonly<CronJob>, jobs: readonly DeepReadonly<Job>[]): Promise<SyncResult> {
  let cj = structuredClone(cached) as CronJob;
  let statusChanged = false;
  const namespace = cj.metadata?.namespace ?? '';
  const children = new Set<string>();

  for (const job of jobs) {
    const uid = job.metadata?.uid ?? '';
    children.add(uid);
    const found = inActiveList(cj, uid);
    if (!found && !isJobFinished(job)) {
      // Perhaps our own status write is not in the cache yet: check a fresh copy.
      const fresh = await ctx.cronJobControl.getCronJob(namespace, cj.metadata?.name ?? '');
      if (inActiveList(fresh, uid)) {
        cj = fresh;
        continue;
      }
      ctx.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name ?? ''}`);
    } else if (found && isJobFinished(job)) {
      removeFromActive(cj, uid);
      statusChanged = true;
      ctx.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name ?? ''}, condition: ${getFinishedStatus(job) ?? ''}`);
    }
    if (getFinishedStatus(job) === 'Complete') {
      const completion = job.status?.completionTime;
      const last = cj.status?.lastSuccessfulTime;
      if (completion !== undefined && (last === undefined || Date.parse(completion) > Date.parse(last))) {
        cj.status = { ...cj.status, lastSuccessfulTime: completion };
        statusChanged = true;
      }
    }
  }
  // Active references whose Job the cache no longer holds: drop those the API confirms gone.
  for (const ref of [...(cj.status?.active ?? [])]) {
    if (children.has(ref.uid ?? '')) continue;
    try {
      const job = await ctx.jobControl.getJob(ref.namespace ?? namespace, ref.name ?? '');
      if (job.metadata?.uid === ref.uid) continue;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    ctx.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
    removeFromActive(cj, ref.uid ?? '');
    statusChanged = true;
  }

  const result = await scheduleNext(ctx, cj, () => {
    statusChanged = true;
  });
  if (statusChanged) cj = await ctx.cronJobControl.updateStatus(cj);
  await cleanupFinishedJobs(ctx, cj, jobs);
  return result;
}

/** The scheduling half of syncCronJob; `markChanged` notes a status change to write. */
async function scheduleNext(ctx: CronJobSyncContext, cj: CronJob, markChanged: () => void): Promise<SyncResult> {
  const namespace = cj.metadata?.namespace ?? '';
  if (cj.metadata?.deletionTimestamp !== undefined) return {};
  const timeZone = cj.spec.timeZone ?? undefined;
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
    ctx.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${timeZone}"`);
    return {};
  }
  let schedule: CronSchedule;
  try {
    schedule = parseCronSchedule(cj.spec.schedule, timeZone);
  } catch (error) {
    if (!(error instanceof CronParseError)) throw error;
    // Retrying cannot fix the schedule; an update of the CronJob will bring it back.
    ctx.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${error.message}`);
    return {};
  }
  if (cj.spec.suspend === true) return {};
  const now = ctx.now;
  const requeue = (): SyncResult => {
    const after = nextScheduleTimeDuration(cj, now, schedule);
    return after === undefined ? {} : { requeueAfter: after };
  };

  let scheduled: number | undefined;
  try {
    const recent = mostRecentScheduleTime(cj, now, schedule);
    if (recent.missed === 'many') {
      ctx.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    scheduled = recent.mostRecent;
  } catch (error) {
    ctx.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
  if (scheduled === undefined) return requeue();

  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
    ctx.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toISOString()}`);
    return requeue();
  }
  const jobName = getJobName(cj, scheduled);
  const last = cj.status?.lastScheduleTime;
  if (inActiveListByName(cj, jobName, namespace) || (last !== undefined && Date.parse(last) === scheduled)) return requeue();

  const active = cj.status?.active ?? [];
  if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    ctx.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return requeue();
  }
  if (cj.spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...active]) {
      try {
        await ctx.jobControl.deleteJob(ref.namespace ?? namespace, ref.name ?? '');
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      ctx.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name ?? ''}`);
      removeFromActive(cj, ref.uid ?? '');
      markChanged();
    }
  }

  let created: Job;
  try {
    created = await ctx.jobControl.createJob(namespace, getJobFromTemplate(cj, scheduled));
    ctx.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? ''}`);
  } catch (error) {
    if (!isAlreadyExists(error)) {
      ctx.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    // Made by an earlier sync whose status write was lost: adopt it into the status.
    created = await ctx.jobControl.getJob(namespace, jobName);
    const owner = created.metadata?.ownerReferences?.find((ref) => ref.controller === true);
    if (owner?.uid !== cj.metadata?.uid) return requeue();
  }
  if (!isJobFinished(created) && !inActiveList(cj, created.metadata?.uid ?? '')) {
    cj.status = { ...cj.status, active: [...(cj.status?.active ?? []), jobReference(created)] };
  }
  cj.status = { ...cj.status, lastScheduleTime: formatTime(scheduled) };
  markChanged();
  return requeue();
}

function removeFromActive(cj: CronJob, uid: string): void {
  const active = (cj.status?.active ?? []).filter((ref) => ref.uid !== uid);
  cj.status = { ...cj.status, active };
}

/**
 * cleanupFinishedJobs: deletes the oldest finished Jobs (by start time, then name) beyond
 * successfulJobsHistoryLimit (default 3) and failedJobsHistoryLimit (default 1).
 */
async function cleanupFinishedJobs(ctx: CronJobSyncContext, cj: DeepReadonly<CronJob>, jobs: readonly DeepReadonly<Job>[]): Promise<void> {
  const successful = jobs.filter((j) => getFinishedStatus(j) === 'Complete');
  const failed = jobs.filter((j) => getFinishedStatus(j) === 'Failed');
  await removeOldestJobs(ctx, cj, successful, cj.spec.successfulJobsHistoryLimit ?? 3);
  await removeOldestJobs(ctx, cj, failed, cj.spec.failedJobsHistoryLimit ?? 1);
}

async function removeOldestJobs(ctx: CronJobSyncContext, cj: DeepReadonly<CronJob>, jobs: readonly DeepReadonly<Job>[], limit: number): Promise<void> {
  const excess = jobs.length - limit;
  if (excess <= 0) return;
  const start = (j: DeepReadonly<Job>): number => Date.parse(j.status?.startTime ?? '') || Number.MAX_SAFE_INTEGER;
  const sorted = [...jobs].sort((a, b) => start(a) - start(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const job of sorted.slice(0, excess)) {
    try {
      await ctx.jobControl.deleteJob(job.metadata?.namespace ?? '', job.metadata?.name ?? '');
      ctx.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name ?? ''}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
