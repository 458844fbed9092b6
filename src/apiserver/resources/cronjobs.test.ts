import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { CRON_JOBS } from './cronjobs.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { NOW, errorsAt, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

const POD_SPEC: JsonObject = { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.36' }] };

function cronJob(spec: JsonObject = {}, name = 'hello'): JsonObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: cloneJson(POD_SPEC) } } }, ...spec },
  };
}

function specOf(object: JsonObject): JsonObject {
  const spec = object.spec;
  assert.ok(spec !== null && typeof spec === 'object' && !Array.isArray(spec));
  return spec;
}

test('a minimal CronJob gets exactly upstream defaults, and its job template only pod defaults', () => {
  const { object, errors } = simulateCreate(CRON_JOBS, cronJob());
  assert.deepEqual(printed(errors), []);
  const { jobTemplate, ...rest } = specOf(object);
  assert.deepEqual(rest, { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  const template: JsonObject = { spec: cloneJson(POD_SPEC) };
  defaultPodTemplateSpec(template);
  assert.deepEqual(jobTemplate, { spec: { template } });
});

test('the schedule is required and must parse as a standard cron schedule', () => {
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ schedule: '' })).errors), ['spec.schedule: Required value']);
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ schedule: '0 0 * *' })).errors), [
    'spec.schedule: Invalid value: "0 0 * *": expected exactly 5 fields, found 4: [0 0 * *]',
  ]);
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ schedule: '61 * * * *' })).errors), [
    'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
  ]);
  for (const schedule of ['@hourly', '@every 1h30m', '0 9 * * mon-fri', '*/15 0-6 1,15 jan-jun ?']) {
    assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ schedule })).errors), [], schedule);
  }
});

test('a TZ prefix is refused on create in favour of timeZone', () => {
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ schedule: 'CRON_TZ=UTC 0 * * * *' })).errors), [
    'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
});

test('a stored TZ prefix may stay, but not together with timeZone', () => {
  const stored = simulateCreate(CRON_JOBS, cronJob()).object;
  specOf(stored).schedule = 'TZ=UTC 0 * * * *';
  const kept = simulateUpdate(CRON_JOBS, stored, (object) => (specOf(object).suspend = true));
  assert.deepEqual(printed(kept.errors), []);
  const both = simulateUpdate(CRON_JOBS, stored, (object) => (specOf(object).timeZone = 'Europe/Paris'));
  assert.deepEqual(printed(both.errors), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule']);
});

test('timeZone must be an explicit IANA zone', () => {
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ timeZone: 'Europe/Paris' })).errors), []);
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ timeZone: '' })).errors), [
    'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string',
  ]);
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ timeZone: 'Local' })).errors), [
    'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
  ]);
  assert.deepEqual(printed(simulateCreate(CRON_JOBS, cronJob({ timeZone: 'Mars/Olympus_Mons' })).errors), [
    'spec.timeZone: Invalid value: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons',
  ]);
});

test('concurrency policy and history limits are checked', () => {
  const { errors } = simulateCreate(CRON_JOBS, cronJob({ concurrencyPolicy: 'Sometimes', startingDeadlineSeconds: -5, failedJobsHistoryLimit: -1 }));
  assert.deepEqual(printed(errors), [
    'spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0',
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    'spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('the job template leaves its selector to be generated and runs pods to completion', () => {
  const manifest = cronJob({ jobTemplate: { spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } } });
  const { errors } = simulateCreate(CRON_JOBS, manifest);
  assert.deepEqual(errorsAt(errors, 'spec.jobTemplate.spec.template.spec.restartPolicy'), [
    'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
  assert.deepEqual(errorsAt(errors, 'spec.jobTemplate.spec.selector'), [
    'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
  ]);
  assert.deepEqual(errorsAt(errors, 'spec.jobTemplate.spec.manualSelector'), [
    'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
  ]);
});

test('a CronJob name leaves room for the timestamp suffix, on create only', () => {
  const name = 'c'.repeat(53);
  const created = simulateCreate(CRON_JOBS, cronJob({}, name));
  assert.deepEqual(printed(created.errors), [`metadata.name: Invalid value: "${name}": must be no more than 52 bytes`]);
  const stored = simulateCreate(CRON_JOBS, cronJob({}, name)).object;
  assert.deepEqual(printed(simulateUpdate(CRON_JOBS, stored, (object) => (specOf(object).suspend = true)).errors), []);
});

test('the table shows schedule, time zone, suspension, active jobs and the last run', () => {
  const object: JsonObject = {
    metadata: { name: 'hello', creationTimestamp: new Date(NOW - 26 * 3600_000).toISOString() },
    spec: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template: { spec: cloneJson(POD_SPEC) } } } },
    status: { active: [{ kind: 'Job', name: 'hello-29000000' }], lastScheduleTime: new Date(NOW - 4 * 60_000).toISOString() },
  };
  assert.deepEqual(CRON_JOBS.table?.columns.map((c) => c.name), [
    'Name',
    'Schedule',
    'Timezone',
    'Suspend',
    'Active',
    'Last Schedule',
    'Age',
    'Containers',
    'Images',
    'Selector',
  ]);
  assert.deepEqual(CRON_JOBS.table?.cells(object, NOW), ['hello', '*/5 * * * *', 'Etc/UTC', 'False', 1, '4m', '26h', 'hello', 'busybox:1.36', '<none>']);
  assert.deepEqual(CRON_JOBS.table?.cells({ metadata: { name: 'x' }, spec: { schedule: '@daily' } }, NOW).slice(1, 6), ['@daily', '<none>', '<unset>', 0, '<none>']);
});

test('CronJobs are named cj, listed in all and selectable by metadata only', () => {
  assert.deepEqual(CRON_JOBS.shortNames, ['cj']);
  assert.deepEqual(CRON_JOBS.categories, ['all']);
  assert.equal(CRON_JOBS.statusSubresource, true);
  assert.deepEqual(CRON_JOBS.strategy.selectableFields?.({}), {});
});
