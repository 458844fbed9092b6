/**
 * @module
 * The Job controller (upstream pkg/controller/job/job_controller.go): runs a Job's pods to
 * completion. A sync claims the Job's pods (owned ones, plus matching orphans it adopts), then —
 * while the expectations of its previous round are unmet it only recounts — computes the next round
 * with job-sync.ts and writes the status when it changed.
 *
 * Informer handlers keep expectations honest as in the ReplicaSet controller: a pod created is
 * observed by its add, a pod deleted by its deletionTimestamp or its delete. The caller starts the
 * informer factory; `run` waits for the caches, then runs the workers.
 */
import { LabelSelectorError, selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { batchV1, coreV1 } from '../../api/types/index.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { deletedObject, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import type { Indexer } from '../../client/cache/thread-safe-store.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, OwnerReference } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { podControllerRefManager, recheckDeletionTimestamp } from '../controller-utils/controller-ref-manager.js';
import { UIDTrackingControllerExpectations } from '../controller-utils/expectations.js';
import { getControllerOf } from '../controller-utils/owner-refs.js';
import { type PodControl, RealPodControl } from '../controller-utils/pod-control.js';
import { addPodControllerUidIndexer, filterPodsByOwner } from '../controller-utils/pod-index.js';
import { podKey } from '../controller-utils/pod-utils.js';
import { JOB_KIND, syncJobPods } from './job-sync.js';
import { isJobFinished } from './job-util.js';
import { runWorkLoop } from '../controller-utils/work-loop.js';

type Job = batchV1.Job;
type Pod = coreV1.Pod;

/** The Job reads and status writes a sync makes besides its cache. */
export interface JobClient {
  get(namespace: string, name: string): Promise<Job>;
  updateStatus(job: Job): Promise<Job>;
}

export interface JobControllerOptions {
  readonly client: KubeClient;
  /** Gives the Job and Pod informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Concurrent syncs of different Jobs. @defaultValue 5 (ConcurrentJobSyncs) */
  readonly workers?: number;
  /** How pods are written. @defaultValue a {@link RealPodControl} over `client`, recording events */
  readonly podControl?: PodControl;
  /** How Jobs are read fresh and their status written. @defaultValue over `client` */
  readonly jobClient?: JobClient;
}

export class JobController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly podControl: PodControl;
  private readonly jobClient: JobClient;
  private readonly recorder: EventRecorder | undefined;
  private readonly jobLister: Lister<Job>;
  private readonly podIndexer: Indexer<Pod>;
  private readonly synced: (() => boolean)[];

  constructor(options: JobControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.workers = options.workers ?? 5;
    if (!(this.workers >= 1)) throw new Error('workers must be at least 1');
    this.queue = new RateLimitingQueue<string>({ name: 'job', clock: this.clock, rateLimiter: defaultControllerRateLimiter<string>({ clock: this.clock }) });
    this.expectations = new UIDTrackingControllerExpectations({ clock: this.clock });
    if (options.podControl === undefined) {
      this.recorder = new EventRecorder({ client: options.client, source: { component: 'job-controller' }, clock: this.clock, logger: this.logger });
    }
    this.podControl = options.podControl ?? new RealPodControl(options.client, this.recorder);
    this.jobClient = options.jobClient ?? clientJobs(options.client);

    const jobInformer = options.informers.typed('batch/v1/Job');
    const podInformer = options.informers.typed('v1/Pod');
    addPodControllerUidIndexer(podInformer.indexer);
    this.jobLister = jobInformer.lister();
    this.podIndexer = podInformer.indexer;
    const jobRegistration = jobInformer.addEventHandler({
      onAdd: (job) => this.queue.add(metaNamespaceKeyFunc(job)),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.expectations.deleteExpectations(metaNamespaceKeyFunc(old));
        this.queue.add(metaNamespaceKeyFunc(cur));
      },
      onDelete: (obj) => {
        const key = deletionHandlingMetaNamespaceKeyFunc(obj);
        this.expectations.deleteExpectations(key);
        this.queue.add(key);
      },
    });
    const podRegistration = podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (pod) => this.deletePod(deletedObject(pod)),
    });
    this.synced = [jobRegistration.hasSynced, podRegistration.hasSynced];
  }

  /** Waits for the caches, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue, synced, workers, clock, logger } = this;
    await runWorkLoop({ name: 'job', queue, synced, workers, clock, logger, sync: (key) => this.syncJob(key) }, signal);
    await this.recorder?.flush();
  }

  /**
   * Brings the Job `key` (`namespace/name`) one round towards completion and writes its status.
   * Throws the error of a failed claim, pod round or status write, for the caller to retry.
   */
  async syncJob(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const job = this.jobLister.namespace(namespace).get(name);
    if (job === undefined) {
      this.expectations.deleteExpectations(key);
      return;
    }
    if (isJobFinished(job)) return;
    const satisfied = this.expectations.satisfiedExpectations(key);
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(job.spec?.selector);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      this.logger.error(`job ${key}: invalid selector: ${error.message}`);
      return;
    }
    const pods = await this.claimPods(job, selector, filterPodsByOwner(this.podIndexer, { uid: job.metadata?.uid ?? '', namespace }, true));
    const result = await syncJobPods({ podControl: this.podControl, expectations: this.expectations, key, now: this.clock.now(), satisfied }, job, pods);
    if (JSON.stringify(result.job.status) !== JSON.stringify(job.status)) await this.jobClient.updateStatus(result.job);
    if (result.requeueAfter !== undefined) this.queue.addAfter(key, result.requeueAfter);
    if (result.error !== undefined) throw result.error;
  }

  private async claimPods(job: DeepReadonly<Job>, selector: LabelSelector, pods: DeepReadonly<Pod>[]): Promise<DeepReadonly<Pod>[]> {
    const namespace = job.metadata?.namespace ?? '';
    const name = job.metadata?.name ?? '';
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = await this.jobClient.get(namespace, name);
      if (fresh.metadata?.uid !== job.metadata?.uid) {
        throw new Error(`original Job ${namespace}/${name} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${job.metadata?.uid ?? ''}`);
      }
      return fresh;
    });
    const manager = podControllerRefManager(this.podControl, { controller: job, selector, controllerKind: JOB_KIND, canAdopt });
    const { claimed, errors } = await manager.claim(pods);
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
    return claimed;
  }

  // ---- pod handlers (addPod/updatePod/deletePod upstream) ----

  /** The Job `ref` names, if the cache holds it with that uid. */
  private resolveControllerRef(namespace: string, ref: DeepReadonly<OwnerReference>): DeepReadonly<Job> | undefined {
    if (ref.kind !== JOB_KIND.kind) return undefined;
    const job = this.jobLister.namespace(namespace).get(ref.name);
    return job !== undefined && job.metadata?.uid === ref.uid ? job : undefined;
  }

  /** The Jobs whose selector matches an orphan pod (getPodJobs). */
  private getPodJobs(pod: DeepReadonly<Pod>): DeepReadonly<Job>[] {
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) return [];
    return this.jobLister.namespace(pod.metadata?.namespace ?? '').list().filter((job) => {
      try {
        const selector = selectorFromLabelSelector(job.spec?.selector);
        return !selector.empty && selector.matches(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  private addPod(pod: DeepReadonly<Pod>): void {
    if (pod.metadata?.deletionTimestamp !== undefined) {
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref !== undefined) {
      const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (job === undefined) return;
      const key = metaNamespaceKeyFunc(job);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const job of this.getPodJobs(pod)) this.queue.add(metaNamespaceKeyFunc(job));
  }

  private updatePod(old: DeepReadonly<Pod>, cur: DeepReadonly<Pod>): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    if (cur.metadata?.deletionTimestamp !== undefined) {
      this.deletePod(cur);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    if (oldRef !== undefined && oldRef.uid !== curRef?.uid) {
      const job = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (job !== undefined) this.queue.add(metaNamespaceKeyFunc(job));
    }
    if (curRef !== undefined) {
      const job = this.resolveControllerRef(cur.metadata?.namespace ?? '', curRef);
      if (job !== undefined) this.queue.add(metaNamespaceKeyFunc(job));
      return;
    }
    for (const job of this.getPodJobs(cur)) this.queue.add(metaNamespaceKeyFunc(job));
  }

  private deletePod(pod: DeepReadonly<Pod> | undefined): void {
    if (pod === undefined) return;
    const ref = getControllerOf(pod);
    if (ref === undefined) return;
    const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (job === undefined) return;
    const key = metaNamespaceKeyFunc(job);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }
}

/** The default {@link JobClient}: the batch/v1 Job client. */
function clientJobs(client: KubeClient): JobClient {
  const jobs = client.typed('batch/v1/Job');
  return {
    get: (namespace, name) => jobs.namespace(namespace).get(name),
    updateStatus: (job) => jobs.updateStatus(job),
  };
}
