/**
 * @module
 * The CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go): watches
 * CronJobs and the Jobs they control, and syncs a CronJob (see cronjob-sync.ts) whenever either
 * changes, and again at its next schedule time, measured on the injected clock. The caller starts
 * the informer factory; `run` waits for the caches, then runs the workers until the signal aborts.
 */
import type { batchV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { DeletedFinalStateUnknown, deletedObject, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { getControllerOf } from '../controller-utils/owner-refs.js';
import { type CronJobControl, type EventSink, type JobControl, type SyncResult, syncCronJob } from './cronjob-sync.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';

type CronJob = batchV1.CronJob;
type Job = batchV1.Job;

export interface CronJobControllerOptions {
  readonly client: KubeClient;
  /** Gives the CronJob and Job informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  /** Decides when schedules are due and when requeues fire. @defaultValue the wall clock */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different CronJobs. @defaultValue 5 (ConcurrentCronJobSyncs) */
  readonly workers?: number;
  /** @defaultValue over `client` */
  readonly jobControl?: JobControl;
  /** @defaultValue over `client` */
  readonly cronJobControl?: CronJobControl;
  /** Where events go. @defaultValue an EventRecorder over `client` */
  readonly events?: EventSink;
}

export class CronJobController {
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly jobControl: JobControl;
  private readonly cronJobControl: CronJobControl;
  private readonly recorder: EventRecorder | undefined;
  private readonly events: EventSink;
  private readonly cronJobLister: Lister<CronJob>;
  private readonly jobLister: Lister<Job>;
  private readonly synced: (() => boolean)[];

  constructor(options: CronJobControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 5;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'cronjob', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.jobControl = options.jobControl ?? clientJobControl(options.client);
    this.cronJobControl = options.cronJobControl ?? clientCronJobControl(options.client);
    if (options.events === undefined) {
      const recorder = new EventRecorder({ client: options.client, source: { component: 'cronjob-controller' }, clock: this.clock, logger: this.logger });
      this.recorder = recorder;
      this.events = (cj, type, reason, message) => recorder.event(cj, type, reason, message);
    } else {
      this.events = options.events;
    }

    const cjInformer = options.informers.typed('batch/v1/CronJob');
    const jobInformer = options.informers.typed('batch/v1/Job');
    this.cronJobLister = cjInformer.lister();
    this.jobLister = jobInformer.lister();
    const cjRegistration = cjInformer.addEventHandler({
      onAdd: (cj) => this.enqueue(cj),
      onUpdate: (old, cur) => this.updateCronJob(old, cur),
      onDelete: (cj) => {
        if (cj instanceof DeletedFinalStateUnknown) this.queue.add(cj.key);
        else this.enqueue(cj);
      },
    });
    const jobRegistration = jobInformer.addEventHandler({
      onAdd: (job) => this.enqueueController(job),
      onUpdate: (_old, cur) => this.enqueueController(cur),
      onDelete: (job) => {
        const obj = deletedObject(job);
        if (obj !== undefined) this.enqueueController(obj);
      },
    });
    this.synced = [cjRegistration.hasSynced, jobRegistration.hasSynced];
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    await runWorkLoop(
      {
        name: 'cronjob',
        queue: this.queue,
        synced: this.synced,
        workers: this.workers,
        clock: this.clock,
        logger: this.logger,
        sync: async (key) => {
          const result = await this.sync(key);
          return result.requeueAfter === undefined ? undefined : { requeueAfterMs: result.requeueAfter };
        },
      },
      signal,
    );
    await this.recorder?.flush();
  }

  /** Syncs the CronJob `key` (`namespace/name`) against the cache; says when to sync it again. */
  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cj = this.cronJobLister.namespace(namespace).get(name);
    if (cj === undefined) return {};
    const uid = cj.metadata?.uid ?? '';
    const jobs = this.jobLister.namespace(namespace).list().filter((job) => getControllerOf(job)?.uid === uid);
    return syncCronJob({ jobControl: this.jobControl, cronJobControl: this.cronJobControl, event: this.events, now: this.clock.now() }, cj, jobs);
  }

  private enqueue(cj: DeepReadonly<CronJob>): void {
    this.queue.add(metaNamespaceKeyFunc(cj));
  }

  /** A schedule or time zone change: sync now, so the requeue moves to the new next time. */
  private updateCronJob(_old: DeepReadonly<CronJob>, cur: DeepReadonly<CronJob>): void {
    this.enqueue(cur);
  }

  private enqueueController(job: DeepReadonly<Job>): void {
    const ref = getControllerOf(job);
    if (ref?.kind !== 'CronJob') return;
    const cj = this.cronJobLister.namespace(job.metadata?.namespace ?? '').get(ref.name);
    if (cj === undefined || cj.metadata?.uid !== ref.uid) return;
    this.enqueue(cj);
  }
}

/** The default {@link JobControl}: the batch/v1 Job client. */
function clientJobControl(client: KubeClient): JobControl {
  const jobs = client.typed('batch/v1/Job');
  return {
    getJob: (namespace, name) => jobs.namespace(namespace).get(name),
    createJob: (namespace, job) => jobs.namespace(namespace).create(job),
    deleteJob: async (namespace, name) => {
      await jobs.namespace(namespace).delete(name, { propagationPolicy: 'Background' });
    },
  };
}

/** The default {@link CronJobControl}: the batch/v1 CronJob client. */
function clientCronJobControl(client: KubeClient): CronJobControl {
  const cronJobs = client.typed('batch/v1/CronJob');
  return {
    getCronJob: (namespace, name) => cronJobs.namespace(namespace).get(name),
    updateStatus: (cj) => cronJobs.updateStatus(cj),
  };
}
