/**
 * Unit tests of syncJob: one sync against preloaded informer caches, with a PodControl and a Job
 * client that record what the sync did (upstream job_controller_test.go's style).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { batchV1, coreV1 } from '../../api/types/index.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import type { PodControl } from '../controller-utils/pod-control.js';
import { type JobClient, JobController } from './job-controller.js';
import { formatIndexes, JOB_COMPLETION_INDEX_ANNOTATION, parseIndexes } from './job-util.js';

type Job = batchV1.Job;
type Pod = coreV1.Pod;

const JOB_UID = 'job-uid';
const LABELS = { 'batch.kubernetes.io/controller-uid': JOB_UID, 'batch.kubernetes.io/job-name': 'work', 'controller-uid': JOB_UID, 'job-name': 'work' };
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

class RecordingPodControl implements PodControl {
  readonly creates: { template: DeepReadonly<coreV1.PodTemplateSpec>; controllerRef: OwnerReference }[] = [];
  readonly deletes: string[] = [];
  async createPods(_ns: string, template: DeepReadonly<coreV1.PodTemplateSpec>, _owner: DeepReadonly<KubeObject>, controllerRef: OwnerReference): Promise<void> {
    this.creates.push({ template, controllerRef });
  }
  async deletePod(_ns: string, name: string): Promise<void> {
    this.deletes.push(name);
  }
  async patchPod(): Promise<void> {}
}

class RecordingJobClient implements JobClient {
  readonly statusUpdates: Job[] = [];
  constructor(private readonly fresh: Job) {}
  async get(): Promise<Job> {
    return structuredClone(this.fresh);
  }
  async updateStatus(job: Job): Promise<Job> {
    this.statusUpdates.push(structuredClone(job));
    return job;
  }
}

function job(spec: Partial<batchV1.JobSpec> = {}, status: batchV1.JobStatus = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: 'default', uid: JOB_UID, resourceVersion: '4' },
    spec: {
      completions: 3,
      parallelism: 2,
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': JOB_UID } },
      template: { metadata: { labels: LABELS }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
    status,
  };
}

function pod(name: string, phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed', extra: { index?: number; terminating?: boolean; ready?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: LABELS,
      creationTimestamp: '2026-01-01T11:00:00Z',
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: JOB_UID, controller: true, blockOwnerDeletion: true }],
      ...(extra.index === undefined ? {} : { annotations: { [JOB_COMPLETION_INDEX_ANNOTATION]: String(extra.index) } }),
      ...(extra.terminating === true ? { deletionTimestamp: '2026-01-01T11:59:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase, conditions: [{ type: 'Ready', status: extra.ready === true ? 'True' : 'False' }] },
  };
}

function setup(j: Job, pods: Pod[]) {
  const client = new KubeClient({ server: 'http://127.0.0.1:9' });
  const informers = new SharedInformerFactory(client);
  const clock = new FakeClock(NOW);
  const podControl = new RecordingPodControl();
  const jobClient = new RecordingJobClient(j);
  const controller = new JobController({ client, informers, clock, logger: silentLogger, podControl, jobClient });
  informers.typed('batch/v1/Job').indexer.add(j);
  for (const p of pods) informers.typed('v1/Pod').indexer.add(p);
  const lastStatus = () => jobClient.statusUpdates.at(-1)?.status;
  const conditionOf = (type: string) => lastStatus()?.conditions?.find((c) => c.type === type);
  return { controller, podControl, jobClient, clock, lastStatus, conditionOf, key: 'default/work' };
}

describe('Job controller sync', () => {
  test('a new Job gets parallelism pods from its template, controlled by the Job, and a start time', async () => {
    const { controller, podControl, lastStatus, key } = setup(job(), []);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 2);
    for (const c of podControl.creates) {
      assert.deepEqual(c.template.metadata?.labels, LABELS);
      assert.deepEqual(c.controllerRef, { apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: JOB_UID, controller: true, blockOwnerDeletion: true });
    }
    assert.equal(lastStatus()?.active, 2);
    assert.equal(lastStatus()?.startTime, '2026-01-01T12:00:00Z');
    assert.deepEqual(lastStatus()?.uncountedTerminatedPods, {});
  });

  test('active pods are bounded by the completions that remain', async () => {
    const { controller, podControl, lastStatus, key } = setup(job(), [pod('a', 'Succeeded'), pod('b', 'Succeeded')]);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 1);
    assert.equal(lastStatus()?.succeeded, 2);
  });

  test('counts active, ready, succeeded, failed and terminating pods', async () => {
    const pods = [pod('run', 'Running', { ready: true }), pod('wait', 'Pending'), pod('ok', 'Succeeded'), pod('bad', 'Failed'), pod('going', 'Running', { terminating: true })];
    const { controller, podControl, lastStatus, key } = setup(job({ completions: 5 }), pods);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 0);
    assert.deepEqual(
      { active: lastStatus()?.active, ready: lastStatus()?.ready, succeeded: lastStatus()?.succeeded, failed: lastStatus()?.failed, terminating: lastStatus()?.terminating },
      { active: 2, ready: 1, succeeded: 1, failed: 1, terminating: 1 },
    );
  });

  test('reaching completions adds SuccessCriteriaMet, then Complete with a completion time', async () => {
    const { controller, podControl, conditionOf, lastStatus, key } = setup(job({}, { startTime: '2026-01-01T11:00:00Z' }), [pod('a', 'Succeeded'), pod('b', 'Succeeded'), pod('c', 'Succeeded')]);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 0);
    assert.equal(conditionOf('SuccessCriteriaMet')?.reason, 'CompletionsReached');
    assert.equal(conditionOf('Complete')?.status, 'True');
    assert.equal(lastStatus()?.completionTime, '2026-01-01T12:00:00Z');
    assert.equal(lastStatus()?.succeeded, 3);
  });

  test('Complete waits while a pod is still terminating', async () => {
    const pods = [pod('a', 'Succeeded'), pod('b', 'Succeeded'), pod('c', 'Succeeded'), pod('d', 'Running', { terminating: true })];
    const { controller, conditionOf, key } = setup(job(), pods);
    await controller.syncJob(key);
    assert.equal(conditionOf('SuccessCriteriaMet')?.status, 'True');
    assert.equal(conditionOf('Complete'), undefined);
  });

  test('failures beyond backoffLimit delete the active pods and mark the Job FailureTarget, then Failed', async () => {
    const { controller, podControl, conditionOf, key } = setup(job({ backoffLimit: 1 }), [pod('x', 'Failed'), pod('y', 'Failed'), pod('live', 'Running')]);
    await controller.syncJob(key);
    assert.deepEqual(podControl.deletes, ['live']);
    assert.equal(podControl.creates.length, 0);
    assert.equal(conditionOf('FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(conditionOf('Failed'), undefined, 'the deleted pod is still terminating');

    // Next round: the pod is gone.
    const second = setup(job({ backoffLimit: 1 }, { conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] }), [pod('x', 'Failed'), pod('y', 'Failed')]);
    await second.controller.syncJob(second.key);
    assert.equal(second.conditionOf('Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(second.lastStatus()?.completionTime, undefined);
  });

  test('failures within backoffLimit are replaced', async () => {
    const { controller, podControl, conditionOf, key } = setup(job({ backoffLimit: 1, completions: 1, parallelism: 1 }), [pod('x', 'Failed')]);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 1);
    assert.equal(conditionOf('FailureTarget'), undefined);
  });

  test('a Job active longer than activeDeadlineSeconds fails with DeadlineExceeded', async () => {
    const { controller, podControl, conditionOf, key } = setup(job({ activeDeadlineSeconds: 60 }, { startTime: '2026-01-01T11:58:00Z' }), [pod('live', 'Running')]);
    await controller.syncJob(key);
    assert.deepEqual(podControl.deletes, ['live']);
    assert.equal(conditionOf('FailureTarget')?.reason, 'DeadlineExceeded');
  });

  test('a suspended Job deletes its active pods and says Suspended', async () => {
    const { controller, podControl, conditionOf, lastStatus, key } = setup(job({ suspend: true }), [pod('a', 'Running'), pod('b', 'Running')]);
    await controller.syncJob(key);
    assert.deepEqual(podControl.deletes.sort(), ['a', 'b']);
    assert.equal(podControl.creates.length, 0);
    assert.equal(conditionOf('Suspended')?.reason, 'JobSuspended');
    assert.equal(lastStatus()?.startTime, undefined);
  });

  test('a finished Job is left alone', async () => {
    const { controller, podControl, jobClient, key } = setup(job({}, { conditions: [{ type: 'Complete', status: 'True' }] }), []);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 0);
    assert.equal(jobClient.statusUpdates.length, 0);
  });

  test('an Indexed Job creates the missing indexes with annotation, label and hostname, and reports completedIndexes', async () => {
    const { controller, podControl, lastStatus, key } = setup(job({ completionMode: 'Indexed', completions: 4, parallelism: 2 }), [pod('i0', 'Succeeded', { index: 0 }), pod('i1', 'Running', { index: 1 })]);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 1);
    const created = podControl.creates[0]?.template;
    assert.equal(created?.metadata?.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION], '2');
    assert.equal(created?.metadata?.labels?.[JOB_COMPLETION_INDEX_ANNOTATION], '2');
    assert.equal(created?.spec?.hostname, 'work-2');
    assert.equal(lastStatus()?.completedIndexes, '0');
    assert.equal(lastStatus()?.succeeded, 1);
  });

  test('does not create again while the creations it expects are unobserved', async () => {
    const { controller, podControl, key } = setup(job(), []);
    await controller.syncJob(key);
    await controller.syncJob(key);
    assert.equal(podControl.creates.length, 2);
  });

  test('completion indexes format as intervals and parse back', () => {
    assert.equal(formatIndexes([5, 0, 1, 2, 7, 8]), '0-2,5,7-8');
    assert.deepEqual(parseIndexes('0-2,5,7-8', 8), [0, 1, 2, 5, 7]);
  });
});
