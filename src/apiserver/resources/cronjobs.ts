/**
 * @module
 * batch/v1 CronJobs: Jobs created on a schedule. Defaults follow pkg/apis/batch/v1/defaults.go
 * (SetDefaults_CronJob: concurrency Allow, not suspended, three successful and one failed Job
 * kept); the job template gets only its pod template's defaults, not a Job's. Validation follows
 * pkg/apis/batch/validation/validation.go (ValidateCronJobCreate, ValidateCronJobUpdate,
 * ValidateJobTemplateSpec): a schedule robfig/cron accepts, no TZ= in it (use timeZone), an IANA
 * time zone, a job template whose selector is left to be generated, and a name of at most 52
 * characters so the Jobs' `-<timestamp>` names fit. `kubectl get cj` shows NAME SCHEDULE TIMEZONE
 * SUSPEND ACTIVE LAST SCHEDULE AGE (printers.go printCronJob).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { DNS1035_LABEL_MAX_LENGTH, maxLenBytesError, utf8Length } from '../../api/validation/names.js';
import { metaString } from '../registry/object-meta.js';
import { age, humanDuration } from '../table.js';
import { cronScheduleError, timeZoneErrors } from './cron-schedule.js';
import { defineResource } from './define.js';
import { validateJobSpecCommon } from './job-validation.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { ensureObject, objectAt, objectsAt, present, specOf, statusOf, stringAt } from './pod-json.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  containerCells,
  defaultString,
  defaultValue,
  dnsLabelNameWarnings,
  formatLabelSelector,
  selectorColumn,
  templateOf,
  validateNonnegativeFields,
} from './workload-helpers.js';

/** The controller names Jobs `<cronjob>-<minutes since epoch>`: eleven characters of suffix. */
const MAX_NAME_LENGTH = DNS1035_LABEL_MAX_LENGTH - 11;

export const CRON_JOBS = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  namespaced: true,
  schema: 'io.k8s.api.batch.v1.CronJob',
  shortNames: ['cj'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    defaults: defaultCronJob,
    validate: (object) => {
      const errors = validateCronJobSpec(specOf(object), undefined);
      const name = metaString(object, 'name');
      if (utf8Length(name) > MAX_NAME_LENGTH) errors.push(fieldErrors.invalid('metadata.name', name, maxLenBytesError(MAX_NAME_LENGTH)));
      return errors;
    },
    // Longer names are tolerated on update so that old CronJobs can still be changed and deleted.
    validateUpdate: (object, old, context) => (context.subresource === 'status' ? [] : validateCronJobSpec(specOf(object), specOf(old))),
    warnings: (object, old) => (old === undefined ? dnsLabelNameWarnings(object) : []),
    // CronJobs are selectable by metadata.name and metadata.namespace only.
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Schedule', type: 'string', description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', priority: 0 },
      { name: 'Timezone', type: 'string', description: 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.', priority: 0 },
      { name: 'Suspend', type: 'boolean', description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', priority: 0 },
      { name: 'Active', type: 'integer', description: 'A list of pointers to currently running jobs.', priority: 0 },
      { name: 'Last Schedule', type: 'string', description: 'Information when was the last time the job was successfully scheduled.', priority: 0 },
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      selectorColumn('A label query over pods that should match the pod count.'),
    ],
    cells: (object, now) => {
      const spec = specOf(object);
      const status = statusOf(object);
      const jobSpec = specOf(objectAt(spec, 'jobTemplate') ?? {});
      const [containers, images] = containerCells(templateOf(jobSpec));
      const lastSchedule = Date.parse(stringAt(status, 'lastScheduleTime'));
      return [
        metaString(object, 'name'),
        stringAt(spec, 'schedule'),
        present(spec, 'timeZone') ? stringAt(spec, 'timeZone') : '<none>',
        // printBoolPtr.
        typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>',
        objectsAt(status, 'active').length,
        Number.isNaN(lastSchedule) ? '<none>' : humanDuration(now - lastSchedule),
        age(object, now),
        containers,
        images,
        formatLabelSelector(jobSpec.selector),
      ];
    },
  },
});

/** SetDefaults_CronJob, then the defaults of the pod template inside the job template. */
function defaultCronJob(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  defaultString(spec, 'concurrencyPolicy', 'Allow');
  defaultValue(spec, 'suspend', false);
  defaultValue(spec, 'successfulJobsHistoryLimit', 3);
  defaultValue(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = ensureObject(ensureObject(spec, 'jobTemplate'), 'spec');
  // SetDefaults_PodFailurePolicyOnPodConditionsPattern applies wherever the type appears.
  const podFailurePolicy = objectAt(jobSpec, 'podFailurePolicy');
  for (const rule of podFailurePolicy === undefined ? [] : objectsAt(podFailurePolicy, 'rules')) {
    for (const pattern of objectsAt(rule, 'onPodConditions')) if (stringAt(pattern, 'status') === '') pattern.status = 'True';
  }
  defaultPodTemplateSpec(ensureObject(jobSpec, 'template'));
}

/** validateCronJobSpec; `old` is the stored spec on update. */
function validateCronJobSpec(spec: JsonObject, old: JsonObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const schedule = stringAt(spec, 'schedule');
  if (schedule === '') errors.push(fieldErrors.required('spec.schedule', ''));
  else errors.push(...validateSchedule(schedule, old !== undefined && stringAt(old, 'schedule').includes('TZ'), present(spec, 'timeZone')));
  errors.push(...validateNonnegativeFields(spec, 'spec', ['startingDeadlineSeconds']));
  // An unchanged time zone is not checked again: the zone database may have dropped it meanwhile.
  const timeZoneChanged = old === undefined || present(old, 'timeZone') !== present(spec, 'timeZone') || stringAt(old, 'timeZone') !== stringAt(spec, 'timeZone');
  if (present(spec, 'timeZone') && timeZoneChanged) {
    const timeZone = stringAt(spec, 'timeZone');
    for (const message of timeZoneErrors(timeZone)) errors.push(fieldErrors.invalid('spec.timeZone', timeZone, message));
  }
  const policy = stringAt(spec, 'concurrencyPolicy');
  if (policy === '') errors.push(fieldErrors.required('spec.concurrencyPolicy', ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) {
    errors.push(fieldErrors.notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  }
  errors.push(...validateJobTemplateSpec(objectAt(spec, 'jobTemplate') ?? {}, 'spec.jobTemplate'));
  errors.push(...validateNonnegativeFields(spec, 'spec', ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']));
  return errors;
}

/**
 * validateScheduleFormat: parseable, and no TZ= prefix (which upstream never supported officially),
 * unless the stored schedule already had one — and then not together with timeZone.
 */
function validateSchedule(schedule: string, allowTZ: boolean, hasTimeZone: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const error = cronScheduleError(schedule);
  if (error !== undefined) errors.push(fieldErrors.invalid('spec.schedule', schedule, error));
  if (allowTZ && schedule.includes('TZ') && hasTimeZone) {
    errors.push(fieldErrors.invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errors.push(fieldErrors.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errors;
}

/** ValidateJobTemplateSpec: a Job spec whose selector the Job strategy will generate. */
function validateJobTemplateSpec(template: JsonObject, path: string): FieldError[] {
  const spec = specOf(template);
  const errors = validateJobSpecCommon(spec, `${path}.spec`);
  if (present(spec, 'selector')) errors.push(fieldErrors.invalid(`${path}.spec.selector`, spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errors.push(fieldErrors.notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  return errors;
}
