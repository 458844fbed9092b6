/**
 * The Job controller against a real in-process API server. Nothing runs a kubelet here, so the test
 * plays one: it moves the Job's pods to Succeeded or Failed through the status subresource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { batchV1, coreV1 } from '../src/api/types/index.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { JobController } from '../src/controllers/job/job-controller.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

type Pod = coreV1.Pod;
type Job = batchV1.Job;

const condition = (job: Job, type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

describe('Job controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      const controller = new JobController({ client, informers, logger: silentLogger, workers: 2 });
      return [controller];
    });
  });

  after(() => cluster.close());

  const pods = () => client.typed('v1/Pod').namespace('default');
  const jobs = () => client.typed('batch/v1/Job').namespace('default');

  /** The running pods the Job controls, once there are exactly `count`. */
  async function runningPods(job: Job, count: number): Promise<Pod[]> {
    return eventually(async () => {
      const owned = (await pods().list()).items.filter(
        (p) =>
          p.metadata?.deletionTimestamp === undefined &&
          p.status?.phase !== 'Succeeded' &&
          p.status?.phase !== 'Failed' &&
          p.metadata?.ownerReferences?.some((r) => r.uid === job.metadata?.uid && r.controller === true),
      );
      return owned.length === count ? owned : undefined;
    }, `${count} running pods of ${job.metadata?.name}`);
  }

  async function finishPod(pod: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
    const current = await pods().get(pod.metadata?.name ?? '');
    current.status = { ...current.status, phase };
    await pods().updateStatus(current);
  }

  function jobSpec(name: string, spec: Partial<batchV1.JobSpec>): Job {
    return {
      metadata: { name },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } }, ...spec },
    };
  }

  test('a Job with completions 3 and parallelism 2 runs two pods at a time until three succeed, then is Complete', async () => {
    const job = await jobs().create(jobSpec('batch', { completions: 3, parallelism: 2 }));
    const first = await runningPods(job, 2);
    for (const p of first) {
      assert.match(p.metadata?.name ?? '', /^batch-/);
      assert.equal(p.metadata?.labels?.['batch.kubernetes.io/controller-uid'], job.metadata?.uid);
      assert.equal(p.metadata?.labels?.['batch.kubernetes.io/job-name'], 'batch');
      assert.equal(p.metadata?.labels?.['job-name'], 'batch');
      assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'batch', uid: job.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const started = await eventually(async () => {
      const s = (await jobs().get('batch')).status;
      return s?.active === 2 && s.startTime !== undefined ? s : undefined;
    }, 'status.active 2');
    assert.equal(started.succeeded ?? 0, 0);

    for (const p of first) await finishPod(p, 'Succeeded');
    // Only one completion is left, so only one pod more.
    const [last] = await runningPods(job, 1);
    assert.ok(last !== undefined);
    await finishPod(last, 'Succeeded');

    const done = await eventually(async () => {
      const j = await jobs().get('batch');
      return condition(j, 'Complete') === undefined ? undefined : j;
    }, 'the Job Complete');
    assert.equal(done.status?.succeeded, 3);
    assert.equal(done.status?.active, 0);
    assert.equal(done.status?.failed, 0);
    assert.ok(done.status?.completionTime !== undefined);
    assert.equal(condition(done, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
    assert.equal(condition(done, 'Complete')?.reason, 'CompletionsReached');
  });

  test('a Job whose pods fail beyond backoffLimit 1 is Failed with BackoffLimitExceeded', async () => {
    const job = await jobs().create(jobSpec('flaky', { backoffLimit: 1 }));
    const [firstPod] = await runningPods(job, 1);
    assert.ok(firstPod !== undefined);
    await finishPod(firstPod, 'Failed');
    // One failure is within the limit: the pod is replaced.
    const [second] = await eventually(async () => {
      const running = await runningPods(job, 1);
      return running[0]?.metadata?.name !== firstPod.metadata?.name ? running : undefined;
    }, 'a replacement pod');
    assert.ok(second !== undefined);
    await finishPod(second, 'Failed');

    const failed = await eventually(async () => {
      const j = await jobs().get('flaky');
      return condition(j, 'Failed') === undefined ? undefined : j;
    }, 'the Job Failed');
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(failed, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 2);
    assert.equal(failed.status?.active, 0);
    assert.equal(condition(failed, 'Complete'), undefined);
  });
});
