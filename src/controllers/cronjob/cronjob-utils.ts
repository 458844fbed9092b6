/**
 * @module
 * The CronJob controller's pure helpers (upstream pkg/controller/cronjob/utils.go): which scheduled
 * time is due (mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration), the name and
 * shape of the Job made for a scheduled time (getJobName, getJobFromTemplate2), and reading a Job's
 * finished state (IsJobFinished, IsJobSucceeded).
 */
import type { batchV1, coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import type { CronSchedule } from './cron-schedule.js';
import { zoneOffsetMs } from './cron-schedule.js';

type CronJob = batchV1.CronJob;
type Job = batchV1.Job;

/** batchv1.CronJobScheduledTimestampAnnotation: the scheduled time of the run, RFC 3339. */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Requeue a little past the schedule, so the sync sees it due (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** More missed schedules than this earn a TooManyMissedTimes warning. */
export const MAX_MISSED_SCHEDULES = 100;

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecentSchedule {
  /** The time schedules are counted from: lastScheduleTime, creation, or the starting deadline. */
  readonly earliest: number;
  /** The latest schedule time in (earliest, now], if any. */
  readonly mostRecent: number | undefined;
  readonly missed: MissedSchedules;
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * mostRecentScheduleTime: the latest schedule time not after `now` and after the earliest time
 * considered. Many missed schedules are skipped over arithmetically, as upstream does, and then
 * walked forward to the exact time. Throws when two schedules are less than a second apart.
 */
export function mostRecentScheduleTime(cj: DeepReadonly<CronJob>, now: number, schedule: CronSchedule): MostRecentSchedule {
  let earliest = parseTime(cj.status?.lastScheduleTime) ?? parseTime(cj.metadata?.creationTimestamp) ?? now;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = schedule.next(earliest);
  if (t1 === undefined || now < t1) return { earliest, mostRecent: undefined, missed: 'none' };
  const t2 = schedule.next(t1);
  if (t2 === undefined || now < t2) return { earliest, mostRecent: t1, missed: 'few' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const missedCount = Math.floor((now - t1) / 1000 / between) + 1;
  // Jump close to now (never past it), then walk to the exact latest time.
  let mostRecent = t1 + Math.max(0, missedCount - 2) * between * 1000;
  for (let t = schedule.next(mostRecent); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  return { earliest, mostRecent, missed: missedCount > MAX_MISSED_SCHEDULES ? 'many' : 'few' };
}

/** How long from `now` until the schedule after the most recent one, plus a small delta. */
export function nextScheduleTimeDuration(cj: DeepReadonly<CronJob>, now: number, schedule: CronSchedule): number | undefined {
  let recent: MostRecentSchedule;
  try {
    recent = mostRecentScheduleTime(cj, now, schedule);
  } catch {
    return undefined;
  }
  const next = schedule.next(recent.mostRecent ?? recent.earliest);
  return next === undefined ? undefined : Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - now);
}

/** getTimeHashInMinutes: the scheduled time in minutes since the epoch. */
export function getTimeHashInMinutes(scheduledMs: number): number {
  return Math.floor(scheduledMs / 60_000);
}

/** getJobName: `<cronjob>-<minutes since epoch>`, so one scheduled time makes at most one Job. */
export function getJobName(cj: DeepReadonly<CronJob>, scheduledMs: number): string {
  return `${cj.metadata?.name ?? ''}-${getTimeHashInMinutes(scheduledMs)}`;
}

/** RFC 3339 (seconds precision) of `ms` in `timeZone`, as Go's time.Format(time.RFC3339). */
export function formatRfc3339(ms: number, timeZone: string | undefined): string {
  const offset = timeZone === undefined ? 0 : zoneOffsetMs(ms, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/**
 * getJobFromTemplate2: the Job to create for `scheduledMs` — the template's labels, annotations
 * and spec, the scheduled-timestamp annotation, the deterministic name, and the CronJob as its
 * controller.
 */
export function getJobFromTemplate(cj: DeepReadonly<CronJob>, scheduledMs: number): Job {
  const template = cj.spec.jobTemplate;
  const labels = template.metadata?.labels;
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = formatRfc3339(scheduledMs, cj.spec.timeZone ?? undefined);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: getJobName(cj, scheduledMs),
      namespace: cj.metadata?.namespace ?? '',
      ...(labels === undefined ? {} : { labels: { ...labels } }),
      annotations,
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata?.name ?? '', uid: cj.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: structuredClone(template.spec ?? { template: {} }) as batchV1.JobSpec,
  };
}

/** The Job's finished condition type (Complete or Failed) when it is True, else undefined. */
export function getFinishedStatus(job: DeepReadonly<Job>): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

export function isJobFinished(job: DeepReadonly<Job>): boolean {
  return getFinishedStatus(job) !== undefined;
}

export function isJobSucceeded(job: DeepReadonly<Job>): boolean {
  return getFinishedStatus(job) === 'Complete';
}

/** getRef: the reference the CronJob's status.active holds for a Job. */
export function jobReference(job: DeepReadonly<Job>): coreV1.ObjectReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata?.name ?? '',
    namespace: job.metadata?.namespace ?? '',
    uid: job.metadata?.uid ?? '',
    resourceVersion: job.metadata?.resourceVersion ?? '',
  };
}

export function inActiveList(cj: DeepReadonly<CronJob>, uid: string): boolean {
  return (cj.status?.active ?? []).some((ref) => ref.uid === uid);
}

export function inActiveListByName(cj: DeepReadonly<CronJob>, name: string, namespace: string): boolean {
  return (cj.status?.active ?? []).some((ref) => ref.name === name && ref.namespace === namespace);
}
