/**
 * Unit tests of the CronJob sync on a fake clock: one sync against preloaded caches, with Job and
 * CronJob clients that record what the sync did.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { batchV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { ApiError } from '../../client/errors.js';
import { KubeClient } from '../../client/kube-client.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { CronJobController } from './cronjob-controller.js';
import type { CronJobControl, JobControl } from './cronjob-sync.js';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from './cronjob-utils.js';

type CronJob = batchV1.CronJob;
type Job = batchV1.Job;

const CJ_UID = 'cj-uid';
const T0 = Date.UTC(2026, 0, 1, 10, 0, 0); // 10:00:00Z

class RecordingJobControl implements JobControl {
  readonly created: Job[] = [];
  readonly deleted: string[] = [];
  readonly existing = new Map<string, Job>();
  async getJob(_namespace: string, name: string): Promise<Job> {
    const job = this.existing.get(name);
    if (job === undefined) throw new ApiError(404, 'NotFound', `jobs "${name}" not found`);
    return job;
  }
  async createJob(_namespace: string, job: Job): Promise<Job> {
    this.created.push(job);
    const stored = { ...job, metadata: { ...job.metadata, uid: `uid-${job.metadata?.name ?? ''}`, resourceVersion: '5' } };
    this.existing.set(job.metadata?.name ?? '', stored);
    return stored;
  }
  async deleteJob(_namespace: string, name: string): Promise<void> {
    this.deleted.push(name);
  }
}

class RecordingCronJobControl implements CronJobControl {
  readonly updates: CronJob[] = [];
  constructor(private readonly fresh: CronJob) {}
  async getCronJob(): Promise<CronJob> {
    return structuredClone(this.fresh);
  }
  async updateStatus(cj: CronJob): Promise<CronJob> {
    this.updates.push(structuredClone(cj));
    return cj;
  }
}

function cronJob(spec: Partial<batchV1.CronJobSpec> = {}, status: batchV1.CronJobStatus = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default', uid: CJ_UID, creationTimestamp: '2026-01-01T09:58:30Z', resourceVersion: '3' },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
    status,
  };
}

function childJob(name: string, finished?: 'Complete' | 'Failed', startTime?: string): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: CJ_UID, controller: true }],
    },
    spec: { template: {} },
    status: {
      ...(startTime === undefined ? {} : { startTime }),
      ...(finished === undefined ? {} : { conditions: [{ type: finished, status: 'True' }], ...(finished === 'Complete' ? { completionTime: '2026-01-01T09:59:30Z' } : {}) }),
    },
  };
}

const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', name, namespace: 'default', uid: `uid-${name}` });

function setup(cj: CronJob, jobs: Job[], now = T0) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const clock = new FakeClock(now);
  const jobControl = new RecordingJobControl();
  for (const job of jobs) jobControl.existing.set(job.metadata?.name ?? '', job);
  const cjControl = new RecordingCronJobControl(cj);
  const events: string[] = [];
  const controller = new CronJobController({
    client,
    informers,
    clock,
    logger: silentLogger,
    jobControl,
    cronJobControl: cjControl,
    events: (_cj, _type, reason) => events.push(reason),
  });
  informers.typed('batch/v1/CronJob').indexer.add(cj);
  for (const job of jobs) informers.typed('batch/v1/Job').indexer.add(job);
  return { controller, jobControl, cjControl, events, clock };
}

describe('CronJob controller sync', () => {
  test('creates the Job of the scheduled minute, named after it, and records it in status', async () => {
    const { controller, jobControl, cjControl } = setup(cronJob(), [], T0 + 5_000);
    const result = await controller.sync('default/tick');
    assert.equal(jobControl.created.length, 1);
    const job = jobControl.created[0];
    assert.equal(job?.metadata?.name, `tick-${T0 / 60_000}`);
    assert.equal(job?.metadata?.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T10:00:00Z');
    assert.deepEqual(job?.metadata?.labels, { app: 'tick' });
    assert.deepEqual(job?.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: CJ_UID, controller: true, blockOwnerDeletion: true }]);
    const status = cjControl.updates.at(-1)?.status;
    assert.equal(status?.lastScheduleTime, '2026-01-01T10:00:00Z');
    assert.deepEqual(status?.active?.map((r) => r.name), [`tick-${T0 / 60_000}`]);
    // Next schedule at 10:01:00 plus the delta, measured from 10:00:05.
    assert.equal(result.requeueAfter, 55_100);
  });

  test('creates nothing before the scheduled minute and requeues for it', async () => {
    const { controller, jobControl } = setup(cronJob({}, { lastScheduleTime: '2026-01-01T10:00:00Z' }), [], T0 + 30_000);
    const result = await controller.sync('default/tick');
    assert.equal(jobControl.created.length, 0);
    assert.equal(result.requeueAfter, 30_100);
  });

  test('Forbid skips the run while a Job is active', async () => {
    const active = childJob('tick-old');
    const { controller, jobControl, events } = setup(cronJob({ concurrencyPolicy: 'Forbid' }, { active: [ref('tick-old')], lastScheduleTime: '2026-01-01T09:59:00Z' }), [active]);
    await controller.sync('default/tick');
    assert.equal(jobControl.created.length, 0);
    assert.ok(events.includes('JobAlreadyActive'));
  });

  test('Replace deletes the active Job and starts the new one', async () => {
    const active = childJob('tick-old');
    const { controller, jobControl, cjControl } = setup(cronJob({ concurrencyPolicy: 'Replace' }, { active: [ref('tick-old')], lastScheduleTime: '2026-01-01T09:59:00Z' }), [active]);
    await controller.sync('default/tick');
    assert.deepEqual(jobControl.deleted, ['tick-old']);
    assert.equal(jobControl.created.length, 1);
    assert.deepEqual(cjControl.updates.at(-1)?.status?.active?.map((r) => r.name), [`tick-${T0 / 60_000}`]);
  });

  test('a suspended CronJob starts nothing', async () => {
    const { controller, jobControl } = setup(cronJob({ suspend: true }), []);
    assert.deepEqual(await controller.sync('default/tick'), {});
    assert.equal(jobControl.created.length, 0);
  });

  test('a schedule missed by more than startingDeadlineSeconds is skipped', async () => {
    const { controller, jobControl } = setup(cronJob({ startingDeadlineSeconds: 10 }, { lastScheduleTime: '2026-01-01T09:59:00Z' }), [], T0 + 20_000);
    const result = await controller.sync('default/tick');
    assert.equal(jobControl.created.length, 0);
    // The 10:00 run is given up; the next is 10:01.
    assert.equal(result.requeueAfter, 40_100);
  });

  test('finished Jobs leave status.active, set lastSuccessfulTime, and are cleaned up beyond the history limits', async () => {
    const jobs = [
      childJob('ok-1', 'Complete', '2026-01-01T09:51:00Z'),
      childJob('ok-2', 'Complete', '2026-01-01T09:52:00Z'),
      childJob('ok-3', 'Complete', '2026-01-01T09:53:00Z'),
      childJob('ok-4', 'Complete', '2026-01-01T09:54:00Z'),
      childJob('bad-1', 'Failed', '2026-01-01T09:55:00Z'),
      childJob('bad-2', 'Failed', '2026-01-01T09:56:00Z'),
    ];
    const { controller, jobControl, cjControl } = setup(cronJob({ suspend: true }, { active: [ref('ok-4')] }), jobs);
    await controller.sync('default/tick');
    assert.deepEqual(jobControl.deleted.sort(), ['bad-1', 'ok-1']);
    const status = cjControl.updates.at(-1)?.status;
    assert.deepEqual(status?.active, []);
    assert.equal(status?.lastSuccessfulTime, '2026-01-01T09:59:30Z');
  });

  test('an unparseable schedule is reported and not retried', async () => {
    const { controller, jobControl, events } = setup(cronJob({ schedule: 'every minute' }), []);
    assert.deepEqual(await controller.sync('default/tick'), {});
    assert.equal(jobControl.created.length, 0);
    assert.ok(events.includes('UnparseableSchedule'));
  });

  test('a time zone shifts the scheduled time and its annotation', async () => {
    // 05:00 in New York (UTC-5) is 10:00Z.
    const { controller, jobControl } = setup(cronJob({ schedule: '0 5 * * *', timeZone: 'America/New_York' }), [], T0 + 1_000);
    await controller.sync('default/tick');
    assert.equal(jobControl.created[0]?.metadata?.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T05:00:00-05:00');
  });
});
