/**
 * The CronJob controller against a real in-process API server, with a fake clock the test steps:
 * a CronJob scheduled every minute starts a Job named after the scheduled minute.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeClient } from '../src/client/kube-client.js';
import { CronJobController } from '../src/controllers/cronjob/cronjob-controller.js';
import { FakeClock } from '../src/util/fake-clock.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';

describe('CronJob controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;
  let clock: FakeClock;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      // The fake clock starts at the real time, so the API server's creationTimestamp is "now".
      clock = new FakeClock(Date.now());
      const controller = new CronJobController({ client, informers, clock, logger: silentLogger, workers: 2 });
      return [controller];
    });
  });

  after(() => cluster.close());

  test('a CronJob "*/1 * * * *" starts a Job at the next minute as the clock moves', async () => {
    const cronJobs = client.typed('batch/v1/CronJob').namespace('default');
    const cj = await cronJobs.create({
      metadata: { name: 'tick' },
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      },
    });
    let job: Awaited<ReturnType<ReturnType<KubeClient['typed']>['get']>> | undefined;
    for (let i = 0; i < 600 && job === undefined; i++) {
      // Each round moves the fake clock a second; the controller's requeue waits on it.
      await clock.step(1000);
      const list = await client.typed('batch/v1/Job').namespace('default').list();
      job = list.items.find((j) => j.metadata?.ownerReferences?.some((r) => r.uid === cj.metadata?.uid && r.controller === true));
      if (job === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(job !== undefined, 'a Job was created');
    const scheduled = Date.parse(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '');
    assert.equal(scheduled % 60_000, 0, 'scheduled on a minute');
    assert.equal(job.metadata?.name, `tick-${scheduled / 60_000}`);
    const status = await (async () => {
      for (let i = 0; i < 600; i++) {
        const s = (await cronJobs.get('tick')).status;
        if (s?.active?.length === 1 && s.lastScheduleTime !== undefined) return s;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return undefined;
    })();
    assert.ok(status !== undefined, 'status.active and lastScheduleTime written');
    assert.equal(Date.parse(status.lastScheduleTime ?? ''), scheduled);
    assert.equal(status.active?.[0]?.name, job.metadata?.name);
  });
});
